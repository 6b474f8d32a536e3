import { useEffect, useRef, useState } from "react";
import type { ConversationId } from "../bindings/ConversationId";
import type { DefaultCountry } from "../bindings/DefaultCountry";
import type { NumberCheck } from "../bindings/NumberCheck";
import type { SearchHit } from "../bindings/SearchHit";
import type { Started } from "../bindings/Started";
import type { TypedNumber } from "../bindings/TypedNumber";
import { currentLanguage, useTranslation } from "../lib/i18n";
import { checkNewNumber, findContacts, getDefaultCountry, setDefaultCountry } from "../lib/ipc";
import { useDialogFocus } from "../lib/keyboard";
import { TemplatePicker } from "./TemplatePicker";
import { errorText } from "../lib/i18n/problem";

type Props = {
  onClose: () => void;
  /** A customer already in the inbox: open their chat. */
  onOpen: (id: ConversationId) => void;
  /** The first template to a new number was queued with its conversation. */
  onStarted: (started: Started) => void;
};

/** A country's name in the window's language (`ES` → "Spain"), else its code. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames([currentLanguage()], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The country numbers without `+` are read in, or null. */
function effective(c: DefaultCountry | null): string | null {
  return c?.chosen ?? c?.system ?? null;
}

/**
 * New conversation: the agent types a number (read with their default
 * country and shown formatted as they type) or part of a customer's name.
 * A customer already in the inbox opens their chat; a number that never
 * wrote goes on to the template picker, since WhatsApp only delivers an
 * approved template as the first message. Nothing is stored until that
 * template is sent.
 */
export function NewConversationDialog({ onClose, onOpen, onStarted }: Props) {
  const { t } = useTranslation();
  const [input, setInput] = useState("");
  const [check, setCheck] = useState<NumberCheck | null>(null);
  const [contacts, setContacts] = useState<SearchHit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [country, setCountry] = useState<DefaultCountry | null>(null);
  const [picking, setPicking] = useState<TypedNumber | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  useDialogFocus(dialog, onClose, () => inputRef.current);

  useEffect(() => {
    getDefaultCountry().then(setCountry, () => setCountry(null));
  }, []);

  // Every keystroke asks again; an answer to older input is dropped.
  useEffect(() => {
    const typed = input.trim();
    if (typed === "") {
      setCheck(null);
      setContacts([]);
      setError(null);
      return;
    }
    let live = true;
    checkNewNumber(typed).then(
      (c) => {
        if (!live) return;
        setCheck(c);
        setError(null);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    findContacts(typed).then(
      (hits) => live && setContacts(hits),
      () => live && setContacts([]),
    );
    return () => {
      live = false;
    };
  }, [input]);

  if (picking) {
    return (
      <TemplatePicker
        number={picking}
        onClose={() => setPicking(null)}
        onStarted={(started) => {
          onStarted(started);
          onClose();
        }}
      />
    );
  }

  const go = () => {
    if (check?.kind === "existing") onOpen(check.conversation.id);
    else if (check?.kind === "new") setPicking(check.number);
  };

  const home = effective(country);
  // A name being typed is not a bad number: stay quiet until it has digits.
  const problem = check?.kind === "problem" && check.problem !== "no_digits" ? check.problem : null;
  const shownContacts = contacts.filter((c) => check?.kind !== "existing" || c.conversation_id !== check.conversation.id);

  return (
    <div className="picker-backdrop">
      <div
        ref={dialog}
        className="template-picker new-conversation"
        role="dialog"
        aria-modal="true"
        tabIndex={-1}
        aria-labelledby="new-conversation-title"
        data-testid="new-conversation-dialog"
      >
        <header className="picker-header">
          <h2 id="new-conversation-title">{t("outreach.title")}</h2>
          <button type="button" onClick={onClose} data-testid="new-conversation-close">
            {t("common.close")}
          </button>
        </header>
        <label className="field">
          <span>{t("outreach.inputLabel")}</span>
          <input
            ref={inputRef}
            data-testid="new-conversation-input"
            value={input}
            placeholder={t("outreach.placeholder")}
            inputMode="tel"
            autoComplete="off"
            aria-invalid={problem !== null}
            aria-describedby="new-conversation-status"
            onChange={(e) => setInput(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                go();
              }
            }}
          />
        </label>
        <p className="muted small" data-testid="new-conversation-country">
          {home ? t("outreach.countryHint", { country: countryName(home) }) : t("outreach.noCountryHint")}
        </p>
        <div id="new-conversation-status" aria-live="polite">
          {problem && (
            <p className="inline-error" data-testid="new-conversation-error" data-problem={problem}>
              {t(`outreach.problem.${problem}`)}
            </p>
          )}
          {error && (
            <p className="inline-error" role="alert">
              {t("outreach.failed", { message: error })}
            </p>
          )}
          {check?.kind === "new" && (
            <div className="new-conversation-number">
              <p>
                <strong data-testid="new-conversation-number">{check.number.international}</strong>
              </p>
              <p>{t("outreach.newNumber", { number: check.number.international })}</p>
              <p className="muted small">{t("outreach.firstTemplate")}</p>
              <button type="button" className="primary" data-testid="new-conversation-continue" onClick={go}>
                {t("outreach.chooseTemplate")}
              </button>
            </div>
          )}
          {check?.kind === "existing" && (
            <div className="new-conversation-number">
              <p>
                <strong data-testid="new-conversation-number">{check.number.international}</strong>
              </p>
              <p>{t("outreach.existing", { number: check.number.international, name: check.conversation.display_name })}</p>
              <button type="button" className="primary" data-testid="new-conversation-open" onClick={go}>
                {t("outreach.openExisting")}
              </button>
            </div>
          )}
        </div>
        {shownContacts.length > 0 && (
          <section aria-labelledby="new-conversation-customers">
            <h3 id="new-conversation-customers" className="small">
              {t("outreach.customers")}
            </h3>
            <ul className="picker-list">
              {shownContacts.map((hit) => (
                <li key={hit.conversation_id}>
                  <button
                    type="button"
                    className="template-option"
                    data-testid="new-conversation-contact"
                    onClick={() => onOpen(hit.conversation_id)}
                  >
                    <span className="template-name">{hit.title}</span>
                    <span className="template-body muted">{hit.snippet.map((s) => s.text).join("")}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
        {check?.kind === "problem" && check.problem === "no_digits" && contacts.length === 0 && input.trim().length >= 3 && (
          <p className="muted">{t("outreach.noCustomers")}</p>
        )}
      </div>
    </div>
  );
}

/** Settings: the country numbers typed without `+` are read in. */
export function DefaultCountrySetting() {
  const { t } = useTranslation();
  const [country, setCountry] = useState<DefaultCountry | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getDefaultCountry().then(setCountry, (err: unknown) => setError(String(err)));
  }, []);
  const change = (value: string) => {
    setDefaultCountry(value === "" ? null : value).then(
      (saved) => {
        setCountry(saved);
        setError(null);
      },
      (err: unknown) => setError(errorText(err)),
    );
  };
  const options = (country?.countries ?? [])
    .map((c) => ({ ...c, name: countryName(c.code) }))
    .sort((a, b) => a.name.localeCompare(b.name, currentLanguage()));
  return (
    <section className="settings-section" aria-labelledby="settings-default-country">
      <h3 id="settings-default-country">{t("outreach.settingTitle")}</h3>
      <select
        data-testid="setting-default-country"
        aria-labelledby="settings-default-country"
        value={country?.chosen ?? ""}
        disabled={country === null}
        onChange={(e) => change(e.target.value)}
      >
        <option value="">
          {country?.system
            ? t("outreach.settingSystem", { country: countryName(country.system) })
            : t("outreach.settingNone")}
        </option>
        {options.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name} (+{c.calling_code})
          </option>
        ))}
      </select>
      <p className="muted small">{t("outreach.settingHelp")}</p>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
