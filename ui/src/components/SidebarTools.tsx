// The buttons under the inbox that open the other screens and the shortcuts.
import { useTranslation } from "../lib/i18n";
import { ariaKeys, combosFor, isMac } from "../lib/keyboard";

/** The screens opened from here. */
export type Tool = "reports" | "health" | "lead-links" | "notifications" | "settings";

type Props = {
  onOpen: (screen: Tool) => void;
  onShortcuts: () => void;
  /** A session that sends: its account's health can be read. */
  canSend: boolean;
};

export function SidebarTools({ onOpen, onShortcuts, canSend }: Props) {
  const { t } = useTranslation();
  return (
    <div className="sidebar-tools">
      <button type="button" data-testid="open-reports" onClick={() => onOpen("reports")}>
        {t("reports.open")}
      </button>
      {canSend && (
        <button type="button" data-testid="open-account-health" onClick={() => onOpen("health")}>
          {t("health.open")}
        </button>
      )}
      <button type="button" data-testid="open-lead-links" onClick={() => onOpen("lead-links")}>
        {t("app.leadLinks")}
      </button>
      <button type="button" data-testid="open-notification-settings" onClick={() => onOpen("notifications")}>
        {t("app.notifications")}
      </button>
      <button type="button" data-testid="open-settings" onClick={() => onOpen("settings")}>
        {t("app.settings")}
      </button>
      <button
        type="button"
        data-testid="open-shortcuts"
        aria-label={t("shortcuts.open")}
        aria-keyshortcuts={combosFor(["help"]).map((c) => ariaKeys(c, isMac())).join(" ")}
        title={t("shortcuts.open")}
        onClick={onShortcuts}
      >
        ?
      </button>
    </div>
  );
}
