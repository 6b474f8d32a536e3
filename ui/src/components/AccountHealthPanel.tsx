import { useState } from "react";
import type { AccountHealth } from "../bindings/AccountHealth";
import type { TemplateHealth } from "../bindings/TemplateHealth";
import { useTranslation, type TFunction } from "../lib/i18n";
import { clockTime, fullTime } from "../lib/format/time";
import { changeText, ratingName, statusName, templateWhy, tierName } from "../lib/health/wording";
import { refreshAccountHealth } from "../lib/ipc";
import { errorText } from "../lib/i18n/problem";
import "../health.css";

type Props = {
  health: AccountHealth | null;
  error: string | null;
  /** The panel read the number again: the new state. */
  onHealth: (health: AccountHealth) => void;
  onClose: () => void;
};

function categoryLine(tpl: TemplateHealth, t: TFunction): string | null {
  const change = tpl.category_change;
  if (!change) return null;
  const from = change.from?.toLowerCase() ?? t("health.change.unknown");
  const to = change.to?.toLowerCase() ?? t("health.change.unknown");
  if (change.impending && change.effective_at !== null) {
    return t("health.categoryMoving", { from, to, date: fullTime(change.effective_at) });
  }
  return t("health.categoryMoved", { from, to });
}

/** Templates that cannot be sent or are changing category first, each group by name. */
function needsAttentionFirst(templates: TemplateHealth[]): TemplateHealth[] {
  const fine = (tpl: TemplateHealth) => tpl.status === "APPROVED" && !tpl.category_change;
  return [...templates.filter((tpl) => !fine(tpl)), ...templates.filter(fine)];
}

/**
 * The account's health: the number's quality rating and messaging limit,
 * every template's status with Meta's reasons, and the recent changes.
 * Customer-facing texts from Meta are shown as text.
 */
export function AccountHealthPanel({ health, error, onHealth, onClose }: Props) {
  const { t } = useTranslation();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<string | null>(null);

  const refresh = async () => {
    setRefreshing(true);
    setRefreshError(null);
    try {
      onHealth(await refreshAccountHealth());
    } catch (err) {
      setRefreshError(errorText(err));
    } finally {
      setRefreshing(false);
    }
  };

  const problem = refreshError ?? error;
  return (
    <section className="lead-links account-health" data-testid="account-health" aria-label={t("health.title")}>
      <header className="chat-header">
        <div className="chat-title">
          <h2>{t("health.title")}</h2>
          <span className="chat-subtitle">{t("health.subtitle")}</span>
        </div>
        <button type="button" onClick={() => void refresh()} disabled={refreshing} data-testid="account-health-refresh">
          {refreshing ? t("health.refreshing") : t("health.refresh")}
        </button>
        <button type="button" onClick={onClose} data-testid="account-health-close">
          {t("health.close")}
        </button>
      </header>
      <div className="lead-links-body health-body">
        {problem && (
          <p className="inline-error" role="alert">
            {problem}
          </p>
        )}
        {!health && !problem && <p className="muted">{t("health.loading")}</p>}
        {health && health.numbers.length === 0 && <p className="muted">{t("health.noNumber")}</p>}
        {health?.numbers.map((n) => (
          <div key={n.number} className="health-number" data-testid="account-health-number" data-number={n.number}>
            <h3>{t("health.number", { number: n.number })}</h3>
            <dl className="health-facts">
              <dt>{t("health.quality")}</dt>
              <dd>
                <span
                  className={`health-rating rating-${(n.quality_rating ?? "UNKNOWN").toLowerCase()}`}
                  data-testid="account-health-quality"
                  data-rating={n.quality_rating ?? ""}
                >
                  {ratingName(n.quality_rating, t)}
                </span>
              </dd>
              <dt>{t("health.tier")}</dt>
              <dd data-testid="account-health-tier" data-tier={n.messaging_tier ?? ""}>
                {tierName(n.messaging_tier, t)}
              </dd>
            </dl>
            {n.flagged && <p className="health-warning">{t("health.flagged")}</p>}
            {n.checked_at_ms !== null && (
              <p className="muted small">{t("health.checkedAt", { time: clockTime(n.checked_at_ms) })}</p>
            )}
          </div>
        ))}
        {health && (
          <>
            <h3>{t("health.templates")}</h3>
            {health.templates.length === 0 && <p className="muted">{t("health.noTemplates")}</p>}
            <ul className="health-templates">
              {needsAttentionFirst(health.templates).map((tpl) => {
                const why = templateWhy(tpl.status, tpl.why, t);
                const category = categoryLine(tpl, t);
                return (
                  <li
                    key={`${tpl.name}/${tpl.language}`}
                    data-testid="account-health-template"
                    data-name={tpl.name}
                    data-language={tpl.language}
                    data-status={tpl.status}
                  >
                    <span className="template-name">
                      {tpl.name} <span className="muted">· {tpl.language}</span>
                    </span>
                    <span className={`health-status status-${tpl.status.toLowerCase()}`}>{statusName(tpl.status, t)}</span>
                    {why.map((line) => (
                      <span key={line} className="muted small health-why">
                        {line}
                      </span>
                    ))}
                    {category && <span className="health-warning small">{category}</span>}
                  </li>
                );
              })}
            </ul>
            <h3>{t("health.history")}</h3>
            {health.changes.length === 0 && <p className="muted">{t("health.noChanges")}</p>}
            <ul className="health-history">
              {health.changes.map((c) => (
                <li key={c.id} data-testid="account-health-change" data-kind={c.kind} className={c.alert ? "alert" : ""}>
                  <span className="muted small">{fullTime(c.at)}</span> {changeText(c, t)}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </section>
  );
}
