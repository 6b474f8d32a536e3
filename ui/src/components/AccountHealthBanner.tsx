import type { AccountHealth } from "../bindings/AccountHealth";
import { useTranslation } from "../lib/i18n";
import { changeText } from "../lib/health/wording";

type Props = {
  health: AccountHealth | null;
  onOpen: () => void;
  onDismiss: (through: number) => void;
};

/**
 * Raised when the account's health changed for the worse (a lower quality
 * rating, a new messaging limit, a template rejected, paused, disabled or
 * re-categorised, an account violation) until the agent dismisses it.
 */
export function AccountHealthBanner({ health, onOpen, onDismiss }: Props) {
  const { t } = useTranslation();
  const alerts = health?.alerts ?? [];
  const newest = alerts[0];
  if (!newest) return null;
  const more = alerts.length - 1;
  return (
    <div className="sending-stopped health-banner" role="alert" data-testid="account-health-banner">
      <strong>{changeText(newest, t)}</strong>
      {more > 0 && <span> {t("health.banner.more", { count: more })}</span>}{" "}
      <button type="button" className="link" data-testid="account-health-banner-open" onClick={onOpen}>
        {t("health.banner.open")}
      </button>{" "}
      <button
        type="button"
        className="link"
        data-testid="account-health-banner-dismiss"
        onClick={() => onDismiss(newest.id)}
      >
        {t("health.banner.dismiss")}
      </button>
    </div>
  );
}
