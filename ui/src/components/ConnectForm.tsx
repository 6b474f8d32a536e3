import { useState } from "react";
import type { Check } from "../bindings/Check";
import type { CheckPart } from "../bindings/CheckPart";
import type { ConnectForm as Form } from "../bindings/ConnectForm";
import type { ConnectionReport } from "../bindings/ConnectionReport";
import type { ConnectionView } from "../bindings/ConnectionView";
import type { SessionInfo } from "../bindings/SessionInfo";
import { connect, testConnection } from "../lib/ipc";
import { type TFunction, useTranslation } from "../lib/i18n";
import { errorText, problemText, withoutMissing } from "../lib/i18n/problem";
import "../screens.css";

type Field = keyof Form;

const SECRET_FIELDS: ReadonlySet<Field> = new Set<Field>(["relay_token", "access_token"]);

/** The five values, in the order an agent usually gets them. */
const FIELDS: readonly Field[] = ["relay_url", "relay_token", "phone_number_id", "waba_id", "access_token"];

const PARTS: readonly CheckPart[] = ["relay", "phone_number", "templates"];

type Props = {
  /** The saved connection when editing it in Settings; absent on first run. */
  existing?: ConnectionView | null;
  onConnected: (session: SessionInfo) => void;
  onCancel?: () => void;
};

/**
 * The connect form: where each value comes from, "Test connection" with a
 * plain-words result per part, and "Connect", which saves only when every
 * part passes. Tokens are sent once and never shown again.
 */
export function ConnectForm({ existing, onConnected, onCancel }: Props) {
  const { t } = useTranslation();
  const [form, setForm] = useState<Form>({
    relay_url: existing?.settings?.relay_url ?? "",
    relay_token: "",
    phone_number_id: existing?.settings?.phone_number_id ?? "",
    waba_id: existing?.settings?.waba_id ?? "",
    access_token: "",
  });
  const [busy, setBusy] = useState<"test" | "connect" | null>(null);
  const [report, setReport] = useState<ConnectionReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saved = (field: Field) =>
    (field === "relay_token" && existing?.relay_token_saved) ||
    (field === "access_token" && existing?.access_token_saved);

  async function run(action: "test" | "connect") {
    setBusy(action);
    setError(null);
    // The last result goes while the parts are checked again.
    setReport(null);
    try {
      if (action === "test") {
        setReport(await testConnection(form));
      } else {
        const outcome = await connect(form);
        setReport(outcome.report);
        if (outcome.session) {
          // The tokens are in the keychain now; drop them from memory.
          setForm((f) => ({ ...f, relay_token: "", access_token: "" }));
          onConnected(outcome.session);
        }
      }
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form
      className="connect-form"
      data-testid="connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run("connect");
      }}
    >
      <p className="muted">{t("connect.intro")}</p>
      {FIELDS.map((field) => (
        <label key={field} className="connect-field">
          <span className="connect-label">{t(`connect.field.${field}.label`)}</span>
          <input
            data-testid={`connect-${field.replace(/_/g, "-")}`}
            type={SECRET_FIELDS.has(field) ? "password" : "text"}
            autoComplete="off"
            spellCheck={false}
            value={form[field]}
            placeholder={saved(field) ? t("connect.savedPlaceholder") : t(`connect.field.${field}.placeholder`)}
            onChange={(e) => {
              const value = e.target.value;
              setForm((f) => ({ ...f, [field]: value }));
            }}
          />
          <span className="connect-help muted small">{t(`connect.field.${field}.help`)}</span>
        </label>
      ))}
      <div className="connect-actions">
        <button type="button" data-testid="connect-test" disabled={busy !== null} onClick={() => void run("test")}>
          {busy === "test" ? t("connect.testing") : t("connect.test")}
        </button>
        <button type="submit" className="primary" data-testid="connect-submit" disabled={busy !== null}>
          {busy === "connect" ? t("connect.connecting") : t("connect.submit")}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy !== null}>
            {t("connect.cancel")}
          </button>
        )}
      </div>
      {error && (
        <p className="inline-error" role="alert" data-testid="connect-error">
          {error}
        </p>
      )}
      {report && <Report report={report} />}
    </form>
  );
}

function Report({ report }: { report: ConnectionReport }) {
  const { t } = useTranslation();
  const byPart = new Map<CheckPart, Check>(report.checks.map((c) => [c.part, c]));
  const ok = report.checks.every((c) => c.ok);
  return (
    <section className="connect-report" aria-live="polite" data-testid="connect-report" data-ok={ok}>
      <p className="connect-summary">{ok ? t("connect.allPassed") : t("connect.someFailed")}</p>
      <ul>
        {PARTS.map((part) => {
          const check = byPart.get(part);
          if (!check) return null;
          return (
            <li
              key={part}
              className={check.ok ? "connect-check ok" : "connect-check failed"}
              data-testid="connect-check"
              data-part={part}
              data-ok={check.ok}
              data-code={check.code ?? ""}
            >
              <span className="connect-check-icon" aria-hidden="true">
                {check.ok ? "✓" : "✕"}
              </span>
              <span>
                <strong>{t(`connect.part.${part}`)}</strong>{" "}
                <span className="visually-hidden">{check.ok ? t("connect.passed") : t("connect.failed")}</span>
                <span className="connect-check-message">{checkMessage(t, check)}</span>
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A check's outcome in the window's language: what it found, or its problem. */
function checkMessage(t: TFunction, check: Check): string {
  if (check.found !== null) {
    // A number may have no name Meta approved yet.
    return withoutMissing(t(`connect.found.${check.found}`, { ...check.params, defaultValue: check.message }));
  }
  if (check.code !== null) return problemText({ code: check.code, params: check.params, message: check.message });
  return check.message;
}
