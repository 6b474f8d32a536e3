import { useEffect, useState } from "react";
import type { ContactField } from "../bindings/ContactField";
import type { ContactFieldKind } from "../bindings/ContactFieldKind";
import { useTranslation } from "../lib/i18n";
import { listContactFields, removeContactField, saveContactField } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

const KINDS: ContactFieldKind[] = ["text", "number", "date", "choice"];
const message = (err: unknown) => (errorText(err));

/** Options typed as `a, b, c`. */
export function parseOptions(text: string): string[] {
  return text
    .split(",")
    .map((o) => o.trim())
    .filter((o) => o !== "");
}

/** Settings → Contact fields: the team's custom fields, added, renamed and removed. */
export function ContactFieldSettings() {
  const { t } = useTranslation();
  const [fields, setFields] = useState<ContactField[] | null>(null);
  const [label, setLabel] = useState("");
  const [kind, setKind] = useState<ContactFieldKind>("text");
  const [options, setOptions] = useState("");
  const [renaming, setRenaming] = useState<{ id: string; label: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listContactFields().then(setFields, (err: unknown) => setError(message(err)));
  }, []);

  async function run(action: Promise<ContactField[]>): Promise<boolean> {
    try {
      setFields(await action);
      setError(null);
      return true;
    } catch (err) {
      setError(message(err));
      return false;
    }
  }

  return (
    <section className="settings-section" aria-labelledby="settings-contact-fields" data-testid="contact-field-settings">
      <h3 id="settings-contact-fields">{t("contacts.settingsTitle")}</h3>
      <p className="muted small">{t("contacts.settingsHelp", { example: "{{order_number}}" })}</p>
      <ul className="canned-list">
        {fields?.map((f) => (
          <li key={f.id} data-testid="contact-field-def" data-field={f.label}>
            {renaming?.id === f.id ? (
              <form
                className="contact-inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void run(saveContactField(f.id, renaming.label, f.kind, f.options)).then((ok) => ok && setRenaming(null));
                }}
              >
                <input
                  className="settings-input"
                  aria-label={t("contacts.fieldName")}
                  value={renaming.label}
                  maxLength={100}
                  onChange={(e) => setRenaming({ id: f.id, label: e.target.value })}
                />
                <button type="submit">{t("contacts.save")}</button>
              </form>
            ) : (
              <>
                <strong>{f.label}</strong>{" "}
                <span className="muted">
                  {t(`contacts.kind.${f.kind}`)}
                  {f.kind === "choice" && `: ${f.options.join(", ")}`} · {`{{${f.variable}}}`}
                </span>{" "}
                <button type="button" className="link" onClick={() => setRenaming({ id: f.id, label: f.label })}>
                  {t("contacts.rename")}
                </button>{" "}
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    if (window.confirm(t("contacts.removeConfirm", { label: f.label }))) void run(removeContactField(f.id));
                  }}
                >
                  {t("contacts.remove")}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <form
        className="canned-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run(saveContactField(null, label, kind, kind === "choice" ? parseOptions(options) : [])).then((ok) => {
            if (ok) {
              setLabel("");
              setOptions("");
            }
          });
        }}
      >
        <input
          className="settings-input"
          data-testid="contact-field-label"
          placeholder={t("contacts.fieldName")}
          aria-label={t("contacts.fieldName")}
          value={label}
          maxLength={100}
          onChange={(e) => setLabel(e.target.value)}
        />
        <select
          data-testid="contact-field-kind"
          aria-label={t("contacts.fieldKind")}
          value={kind}
          onChange={(e) => setKind(e.target.value as ContactFieldKind)}
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`contacts.kind.${k}`)}
            </option>
          ))}
        </select>
        {kind === "choice" && (
          <input
            className="settings-input"
            data-testid="contact-field-options"
            placeholder={t("contacts.options")}
            aria-label={t("contacts.options")}
            value={options}
            onChange={(e) => setOptions(e.target.value)}
          />
        )}
        <button type="submit" data-testid="contact-field-add" disabled={!label.trim()}>
          {t("contacts.addField")}
        </button>
      </form>
      {error && (
        <p className="inline-error" role="alert" data-testid="contact-field-error">
          {error}
        </p>
      )}
    </section>
  );
}
