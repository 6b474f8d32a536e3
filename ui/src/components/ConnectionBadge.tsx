import type { ConnectionState } from "../bindings/ConnectionState";
import { useNow } from "../lib/clock";
import { clockTime } from "../lib/format/time";
import { type TFunction, useTranslation } from "../lib/i18n";

function describe(c: ConnectionState, now: number, t: TFunction): { label: string; tone: string } {
  switch (c.state) {
    case "connecting":
      return { label: t("connection.connecting"), tone: "pending" };
    case "catching_up":
      return { label: t("connection.catchingUp", { cursor: c.cursor, head: c.head }), tone: "pending" };
    case "connected":
      return { label: t("connection.live"), tone: "ok" };
    case "reconnecting": {
      const seconds = Math.max(0, Math.ceil(c.next_retry_at_ms / 1000 - now));
      return { label: t("connection.reconnecting", { seconds }), tone: "warn" };
    }
    case "offline":
      return { label: t("connection.offline", { time: clockTime(c.since_ms) }), tone: "bad" };
    case "stopped":
      return { label: t("connection.stopped"), tone: "bad" };
  }
}

/** The link to the relay, shown small in the corner. */
export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  const now = useNow();
  const { t } = useTranslation();
  const { label, tone } = describe(connection, now, t);
  const detail = "error" in connection ? connection.error : undefined;
  return (
    <span className={`connection-badge ${tone}`} data-testid="connection-state" data-state={connection.state} title={detail}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}
