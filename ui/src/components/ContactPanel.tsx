import { type FormEvent, useEffect, useRef, useState } from "react";
import type { ConsentChange } from "../bindings/ConsentChange";
import type { ContactFieldValue } from "../bindings/ContactFieldValue";
import type { ContactPanel as Panel } from "../bindings/ContactPanel";
import type { ConversationId } from "../bindings/ConversationId";
import type { MessageId } from "../bindings/MessageId";
import { fullTime } from "../lib/format/time";
import { type TFunction, useTranslation } from "../lib/i18n";
import { recordOptIn, setBlocked, setContactName, setContactValue } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";
import "../contacts.css";

const message = (err: unknown) => (errorText(err));

const at = (ms: number) => fullTime(Math.floor(ms / 1000));

function consentLine(c: ConsentChange, t: TFunction): string {
  const date = at(c.at_ms);
  switch (c.origin.from) {
    case "agent":
      return c.origin.agent
        ? t("contacts.consentByAgent", { agent: c.origin.agent, source: c.origin.source, date })
        : t("contacts.consentAgentSource", { source: c.origin.source, date });
    case "user_preferences":
      return c.opted_in ? t("contacts.consentResumed", { date }) : t("contacts.consentStopped", { date });
    case "error131050":
      return t("contacts.consent131050", { date });
  }
}

type Props = {
  conversationId: ConversationId;
  panel: Panel | null;
  onPanel: (panel: Panel) => void;
  /** Opens a conversation of the history at its first message. */
  onOpenMessage?: (conversation: ConversationId, message: MessageId) => void;
  onClose: () => void;
  /** Blocking and the team's actions need a connection. */
  canAct: boolean;
};

/** The customer beside the chat: names, identity, fields, consent, block, history. */
export function ContactPanel({ conversationId, panel, onPanel, onOpenMessage, onClose, canAct }: Props) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState("");
  const [source, setSource] = useState("");
  useEffect(() => setName(panel?.team_name ?? ""), [panel?.team_name]);

  async function run(action: () => Promise<Panel>): Promise<boolean> {
    setBusy(true);
    try {
      onPanel(await action());
      setError(null);
      return true;
    } catch (err) {
      setError(message(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (!panel) return <aside className="contact-panel" data-testid="contact-panel" aria-label={t("contacts.title")} />;
  const blocked = panel.block?.blocked === true;
  const consent = panel.consent.opted_in;
  const displayName = panel.team_name ?? panel.address_book_name ?? panel.profile_name ?? panel.phone ?? "";
  return (
    <aside className="contact-panel" data-testid="contact-panel" aria-label={t("contacts.title")}>
      <header className="contact-panel-header">
        <h3>{t("contacts.title")}</h3>
        <button type="button" className="link" aria-label={t("contacts.close")} onClick={onClose}>
          ×
        </button>
      </header>

      <dl className="contact-identity">
        <dt>{t("contacts.profileName")}</dt>
        <dd data-testid="contact-profile-name">{panel.profile_name ?? "—"}</dd>
        {panel.address_book_name && (
          <>
            <dt title={t("contacts.addressBookHint")}>{t("contacts.addressBookName")}</dt>
            <dd data-testid="contact-address-book-name">{panel.address_book_name}</dd>
          </>
        )}
        {panel.phone && (
          <>
            <dt>{t("contacts.phone")}</dt>
            <dd data-testid="contact-phone">{panel.phone}</dd>
          </>
        )}
        {panel.username && (
          <>
            <dt>{t("contacts.username")}</dt>
            <dd data-testid="contact-username">@{panel.username}</dd>
          </>
        )}
        {panel.user_id && (
          <>
            <dt>{t("contacts.userId")}</dt>
            <dd data-testid="contact-user-id">{panel.user_id}</dd>
          </>
        )}
      </dl>

      <form
        className="contact-name"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void run(() => setContactName(conversationId, name.trim() || null));
        }}
      >
        <label>
          <span>{t("contacts.teamName")}</span>
          <input
            data-testid="contact-team-name"
            value={name}
            maxLength={100}
            title={t("contacts.teamNameHint")}
            disabled={!canAct}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <button type="submit" disabled={!canAct || busy || name.trim() === (panel.team_name ?? "")} data-testid="contact-team-name-save">
          {t("contacts.save")}
        </button>
      </form>

      <section className="contact-section">
        <h4>{t("contacts.fields")}</h4>
        {panel.fields.length === 0 && <p className="muted small">{t("contacts.noFields")}</p>}
        {panel.fields.map((f) => (
          <FieldRow
            key={f.field.id}
            value={f}
            disabled={!canAct || busy}
            onSave={(v) => run(() => setContactValue(conversationId, f.field.id, v))}
          />
        ))}
      </section>

      <section className="contact-section" data-testid="contact-consent">
        <h4>{t("contacts.consent")}</h4>
        <p className={`consent-state ${consent === false ? "out" : consent ? "in" : ""}`} data-testid="consent-state">
          {consent === null ? t("contacts.consentUnknown") : consent ? t("contacts.consentIn") : t("contacts.consentOut")}
        </p>
        <ul className="consent-changes">
          {panel.consent.changes.map((c, i) => (
            <li key={i} data-testid="consent-change" className="small">
              {consentLine(c, t)}
            </li>
          ))}
        </ul>
        {canAct && (
          <form
            className="contact-inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void run(() => recordOptIn(conversationId, source)).then((ok) => ok && setSource(""));
            }}
          >
            <input
              data-testid="opt-in-source"
              placeholder={t("contacts.optInSource")}
              aria-label={t("contacts.optInSource")}
              value={source}
              maxLength={200}
              onChange={(e) => setSource(e.target.value)}
            />
            <button type="submit" data-testid="opt-in-record" disabled={busy || !source.trim()}>
              {t("contacts.recordOptIn")}
            </button>
          </form>
        )}
      </section>

      <section className="contact-section">
        {panel.block?.blocked && (
          <p className="small" data-testid="contact-blocked">
            {t("contacts.blocked", { agent: panel.block.by_agent ?? "—", date: at(panel.block.at_ms) })}
          </p>
        )}
        {canAct && (
          <button
            type="button"
            className={blocked ? "" : "danger"}
            data-testid={blocked ? "contact-unblock" : "contact-block"}
            disabled={busy}
            onClick={() => {
              if (!blocked && !window.confirm(t("contacts.blockConfirm", { name: displayName }))) return;
              void run(() => setBlocked(conversationId, !blocked));
            }}
          >
            {blocked ? t("contacts.unblock") : t("contacts.block")}
          </button>
        )}
      </section>

      <section className="contact-section">
        <h4>{t("contacts.history")}</h4>
        {panel.history.length === 0 && <p className="muted small">{t("contacts.noHistory")}</p>}
        <ul className="contact-history">
          {panel.history.map((s) => (
            <li key={`${s.conversation_id}-${s.first_message}`}>
              <button
                type="button"
                className="link"
                data-testid="contact-history-item"
                onClick={() => onOpenMessage?.(s.conversation_id, s.first_message)}
              >
                {t("contacts.span", { from: fullTime(s.started_at), to: fullTime(s.ended_at), count: s.messages })}
              </button>
              {s.conversation_id !== conversationId && (
                <span className="muted small"> {t("contacts.spanOn", { number: s.phone_number_id })}</span>
              )}
            </li>
          ))}
        </ul>
      </section>

      {error && (
        <p className="inline-error" role="alert" data-testid="contact-error">
          {error}
        </p>
      )}
    </aside>
  );
}

/** One custom field: edited in place, saved on Enter, on leaving it, or on choosing. */
function FieldRow({
  value,
  disabled,
  onSave,
}: {
  value: ContactFieldValue;
  disabled: boolean;
  onSave: (value: string | null) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const { field } = value;
  const [draft, setDraft] = useState(value.value ?? "");
  // The value being saved: Enter then leaving the field saves it once.
  const pending = useRef<string | null>(null);
  useEffect(() => setDraft(value.value ?? ""), [value.value]);
  const save = (next: string) => {
    const v = next.trim();
    if (v === (value.value ?? "") || v === pending.current) return;
    pending.current = v;
    void onSave(v || null).then((ok) => {
      pending.current = null;
      if (!ok) setDraft(value.value ?? "");
    });
  };
  const id = `contact-field-${field.id}`;
  return (
    <div className="contact-field" data-testid="contact-field" data-field={field.label}>
      <label htmlFor={id}>{field.label}</label>
      {field.kind === "choice" ? (
        <select
          id={id}
          value={draft}
          disabled={disabled}
          onChange={(e) => {
            setDraft(e.target.value);
            save(e.target.value);
          }}
        >
          <option value="">{t("contacts.choose")}</option>
          {field.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={field.kind === "date" ? "date" : "text"}
          inputMode={field.kind === "number" ? "decimal" : undefined}
          value={draft}
          disabled={disabled}
          maxLength={500}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => save(draft)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              save(draft);
            }
          }}
        />
      )}
    </div>
  );
}
