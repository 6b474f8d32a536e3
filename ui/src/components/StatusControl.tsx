// Conversation status: the chat header's control, the list's view of every
// conversation's status and the timeline's line for each change. A status
// change is a team event: it shows here once the sync has applied it, the
// same way it shows on every colleague's desktop.
import { useCallback, useEffect, useState } from "react";
import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationTeam } from "../bindings/ConversationTeam";
import type { StatusChange } from "../bindings/StatusChange";
import { useNow } from "../lib/clock";
import { formatLocale, useTranslation } from "../lib/i18n";
import { listStatuses, onSyncUpdate, setConversationStatus } from "../lib/ipc";
import { announce, TEAM_CHANGED } from "./TeamPanel";
import { errorText } from "../lib/i18n/problem";
import "../status.css";

export type StatusName = StatusChange["status"];
/** The list's status views: pending conversations show in Open. */
export type StatusView = "open" | "snoozed" | "resolved";

/** The status in force at `now` (Unix seconds): a snooze whose time has passed is open. */
export function effectiveStatus(change: StatusChange | null | undefined, now: number): StatusName {
  if (!change) return "open";
  if (change.status === "snoozed" && change.snooze_until !== null && change.snooze_until <= now) return "open";
  return change.status;
}

/** Which list view a status belongs to. */
export function viewOf(status: StatusName): StatusView {
  return status === "pending" ? "open" : status;
}

/** The snooze choices' end times (Unix seconds): in an hour, and 9:00 tomorrow local time. */
export function snoozeTimes(now: Date): { hour: number; tomorrow: number } {
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  return { hour: Math.floor(now.getTime() / 1000) + 3600, tomorrow: Math.floor(tomorrow.getTime() / 1000) };
}

const shortTime = (ms: number) => new Date(ms).toLocaleTimeString(formatLocale(), { hour: "2-digit", minute: "2-digit" });
const dateTime = (ms: number) => new Date(ms).toLocaleString(formatLocale(), { dateStyle: "short", timeStyle: "short" });

/** The status of every conversation that is not plainly open, kept fresh. */
export function useStatuses(mode: string | null): Map<ConversationId, StatusChange> {
  const [statuses, setStatuses] = useState<Map<ConversationId, StatusChange>>(new Map());
  useEffect(() => {
    if (mode === null || mode === "unconfigured") {
      setStatuses(new Map());
      return;
    }
    const reload = () =>
      listStatuses().then(
        (rows) => setStatuses(new Map(rows.map((r) => [r.conversation_id, r.change]))),
        () => undefined,
      );
    reload();
    const stop = onSyncUpdate(() => void reload());
    window.addEventListener(TEAM_CHANGED, reload);
    return () => {
      window.removeEventListener(TEAM_CHANGED, reload);
      void stop.then((unlisten) => unlisten());
    };
  }, [mode]);
  return statuses;
}

/** Setting the open chat's status; the error in words when the relay refused it. */
export function useSetStatus(conversationId: ConversationId, onTeam: (team: ConversationTeam) => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = useCallback(
    (status: StatusName, snoozeUntil: number | null = null) => {
      setBusy(true);
      setConversationStatus(conversationId, status, snoozeUntil)
        .then(
          (team) => {
            setError(null);
            onTeam(team);
            announce();
          },
          (err: unknown) => setError(errorText(err)),
        )
        .finally(() => setBusy(false));
    },
    [conversationId, onTeam],
  );
  return { set, error, busy };
}

type BarProps = {
  team: ConversationTeam | null;
  set: (status: StatusName, snoozeUntil?: number | null) => void;
  busy: boolean;
  error: string | null;
  /** The snooze choices are shown. */
  snoozing: boolean;
  onSnoozing: (open: boolean) => void;
};

/** The chat header's status, with what can be done to it. */
export function StatusBar({ team, set, busy, error, snoozing, onSnoozing }: BarProps) {
  const { t } = useTranslation();
  const now = useNow();
  const current = team?.status.at(-1) ?? null;
  const status = effectiveStatus(current, now);
  const label =
    status === "snoozed"
      ? current?.snooze_until != null
        ? t("status.snoozedUntil", { time: dateTime(current.snooze_until * 1000) })
        : t("status.snoozedUntilReply")
      : t(`status.${status}`);
  const times = snoozeTimes(new Date(now * 1000));
  const snooze = (until: number | null) => {
    onSnoozing(false);
    set("snoozed", until);
  };
  return (
    <div className="status-bar">
      <span className={`status-chip status-${status}`} data-testid="conversation-status" data-status={status} title={t("status.label")}>
        {label}
      </span>
      {status !== "resolved" && (
        <button type="button" data-testid="status-resolve" disabled={!team || busy} onClick={() => set("resolved")}>
          {t("status.resolve")}
        </button>
      )}
      {status === "open" && (
        <button type="button" data-testid="status-pending" disabled={!team || busy} onClick={() => set("pending")}>
          {t("status.markPending")}
        </button>
      )}
      <span className="status-snooze">
        <button
          type="button"
          data-testid="status-snooze"
          aria-expanded={snoozing}
          aria-haspopup="menu"
          disabled={!team || busy}
          onClick={() => onSnoozing(!snoozing)}
        >
          {t("status.snooze")}
        </button>
        {snoozing && (
          <span className="status-menu" role="menu" aria-label={t("status.snoozeChoices")}>
            <button type="button" role="menuitem" data-testid="snooze-hour" onClick={() => snooze(times.hour)}>
              {t("status.snoozeHour")}
            </button>
            <button type="button" role="menuitem" data-testid="snooze-tomorrow" onClick={() => snooze(times.tomorrow)}>
              {t("status.snoozeTomorrow")}
            </button>
            <button type="button" role="menuitem" data-testid="snooze-reply" onClick={() => snooze(null)}>
              {t("status.snoozeReply")}
            </button>
          </span>
        )}
      </span>
      {status !== "open" && (
        <button type="button" data-testid="status-reopen" disabled={!team || busy} onClick={() => set("open")}>
          {t("status.reopen")}
        </button>
      )}
      {error && (
        <p className="inline-error small" role="alert" data-testid="status-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The timeline's line for one status change: who, what, when. */
export function StatusLine({ change }: { change: StatusChange }) {
  const { t } = useTranslation();
  const name = change.by ?? t("team.someone");
  const text =
    change.by === null && change.status === "open"
      ? t("status.line.customer")
      : change.status === "snoozed"
        ? change.snooze_until !== null
          ? t("status.line.snoozed", { name, until: dateTime(change.snooze_until * 1000) })
          : t("status.line.snoozedReply", { name })
        : t(`status.line.${change.status}`, { name });
  return (
    <div className="status-line" role="note" data-testid="status-line" data-status={change.status}>
      <span>
        {text} · {shortTime(change.at_ms)}
      </span>
    </div>
  );
}
