import { useEffect, useState } from "react";
import type { LeadLinkView } from "../bindings/LeadLinkView";
import type { QrFormat } from "../bindings/QrFormat";
import { useTranslation } from "../lib/i18n";
import { createLeadLink, saveLeadQr } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";

type Props = { businessNumber: string | null; onClose: () => void };

/**
 * Trackable links for partners: a wa.me link whose prefilled first message
 * carries the partner's code, so the lead shows where it came from.
 */
export function LeadLinks({ businessNumber, onClose }: Props) {
  const { t } = useTranslation();
  const [code, setCode] = useState("");
  // The core finds the code after `Code:`, `Код:` or `Código:`.
  const [template, setTemplate] = useState(() => t("leadLinks.defaultMessage"));
  const [view, setView] = useState<LeadLinkView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  // Rebuilt as the agent types; the core validates the code and the template.
  useEffect(() => {
    setSaved(null);
    if (code.trim() === "") {
      setView(null);
      setError(null);
      return;
    }
    let cancelled = false;
    createLeadLink(code, template)
      .then((v) => {
        if (cancelled) return;
        setView(v);
        setError(null);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        setView(null);
        setError(errorText(err));
      });
    return () => {
      cancelled = true;
    };
  }, [code, template]);

  const save = async (format: QrFormat) => {
    try {
      setSaved(t("leadLinks.savedTo", { path: await saveLeadQr(code, format, template) }));
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <section className="lead-links" data-testid="lead-links" aria-label={t("leadLinks.title")}>
      <header className="chat-header">
        <div className="chat-title">
          <h2>{t("leadLinks.title")}</h2>
          <span className="chat-subtitle">
            {businessNumber ? t("leadLinks.forNumber", { number: businessNumber }) : t("leadLinks.needNumber")}
          </span>
        </div>
        <button type="button" onClick={onClose}>
          {t("common.close")}
        </button>
      </header>
      <div className="lead-links-body">
        <p className="muted">{t("leadLinks.intro")}</p>
        <label className="field">
          <span>{t("leadLinks.codeLabel")}</span>
          <input
            data-testid="lead-code-input"
            value={code}
            maxLength={32}
            placeholder="ABC123"
            onChange={(e) => setCode(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t("leadLinks.messageLabel")}</span>
          <input data-testid="lead-template-input" value={template} onChange={(e) => setTemplate(e.target.value)} />
        </label>
        {error && (
          <p className="inline-error" role="alert" data-testid="lead-link-error">
            {error}
          </p>
        )}
        {view && (
          <div className="lead-link-result">
            <code className="lead-link-url" data-testid="lead-link-url">
              {view.link.url}
            </code>
            <img
              className="lead-qr"
              data-testid="lead-qr"
              alt={t("leadLinks.qrAlt", { url: view.link.url })}
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(view.svg)}`}
            />
            <div className="lead-link-actions">
              <button type="button" data-testid="lead-qr-save-png" onClick={() => void save("png")}>
                {t("leadLinks.savePng")}
              </button>
              <button type="button" data-testid="lead-qr-save-svg" onClick={() => void save("svg")}>
                {t("leadLinks.saveSvg")}
              </button>
            </div>
            {saved && (
              <p className="muted small" data-testid="lead-qr-saved">
                {saved}
              </p>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
