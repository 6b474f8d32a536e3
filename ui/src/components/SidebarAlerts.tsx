// What the sidebar warns about above the inbox, each until dismissed or
// fixed: the session's problem, a link that could not be followed, sending
// paused, history the relay no longer holds, the account's health, and
// events the sync could not apply.
import type { LaunchProblem } from "../bindings/LaunchProblem";
import { fullTime } from "../lib/format/time";
import { dismissHealthAlerts } from "../lib/ipc";
import { useTranslation } from "../lib/i18n";
import { problemText } from "../lib/i18n/problem";
import type { AccountHealthState } from "../lib/health/useAccountHealth";
import type { LiveInbox } from "../lib/inbox/useLiveInbox";
import { AccountHealthBanner } from "./AccountHealthBanner";

type Props = {
  inbox: LiveInbox;
  launchProblem: LaunchProblem | null;
  onDismissLaunch: () => void;
  health: AccountHealthState;
  onOpen: (screen: "settings" | "health") => void;
};

export function SidebarAlerts({ inbox, ...p }: Props) {
  const { t } = useTranslation();
  const { health } = p;
  return (
    <>
      {inbox.session?.problem && (
        <div className="session-problem" role="alert" data-testid="session-problem">
          {inbox.session.problem.message}{" "}
          <button type="button" className="link" onClick={() => p.onOpen("settings")}>
            {t("app.openSettings")}
          </button>
        </div>
      )}
      {p.launchProblem && (
        <div className="sending-stopped" role="alert" data-testid="launch-problem" data-code={p.launchProblem.code}>
          {problemText({
            code: p.launchProblem.code,
            params: { detail: p.launchProblem.detail },
            message: t("desktop.link.unknown"),
          })}{" "}
          <button type="button" className="link" onClick={p.onDismissLaunch}>
            {t("desktop.link.dismiss")}
          </button>
        </div>
      )}
      {inbox.sending?.state === "token_invalid" && (
        <div className="sending-stopped" role="alert" data-testid="sending-stopped">
          <strong>{t("app.sendingPaused")}</strong> {inbox.sending.message} {t("app.sendingPausedDetail")}
        </div>
      )}
      {inbox.historyBefore !== null && (
        <div className="sending-stopped" role="alert" data-testid="history-pruned">
          {t("app.historyPruned", { date: fullTime(Math.floor(inbox.historyBefore / 1000)) })}{" "}
          <button type="button" className="link" onClick={inbox.dismissHistory}>
            {t("app.dismiss")}
          </button>
        </div>
      )}
      <AccountHealthBanner
        health={health.health}
        onOpen={() => p.onOpen("health")}
        onDismiss={(through) =>
          void dismissHealthAlerts(through)
            .then(health.setHealth)
            .catch(() => health.reload())
        }
      />
      {inbox.unapplied > 0 && (
        <div className="sending-stopped" role="alert" data-testid="sync-unapplied">
          {t("app.unapplied", { count: inbox.unapplied })}{" "}
          <button type="button" className="link" onClick={inbox.dismissUnapplied}>
            {t("app.dismiss")}
          </button>
        </div>
      )}
    </>
  );
}
