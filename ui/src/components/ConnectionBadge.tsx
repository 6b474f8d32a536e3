import type { ConnectionState } from "../bindings/ConnectionState";
import { useNow } from "../lib/clock";

function describe(c: ConnectionState, now: number): { label: string; tone: string } {
  switch (c.state) {
    case "connecting":
      return { label: "Connecting…", tone: "pending" };
    case "catching_up":
      return { label: `Catching up ${c.cursor} / ${c.head}`, tone: "pending" };
    case "connected":
      return { label: "Live", tone: "ok" };
    case "reconnecting": {
      const secs = Math.max(0, Math.ceil(c.next_retry_at_ms / 1000 - now));
      return { label: `Reconnecting in ${secs}s`, tone: "warn" };
    }
    case "offline": {
      const since = new Date(c.since_ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
      return { label: `Offline since ${since}`, tone: "bad" };
    }
    case "stopped":
      return { label: "Stopped", tone: "bad" };
  }
}

/** The link to the relay, shown small in the corner. */
export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  const now = useNow();
  const { label, tone } = describe(connection, now);
  const detail = "error" in connection ? connection.error : undefined;
  return (
    <span className={`connection-badge ${tone}`} data-testid="connection-state" data-state={connection.state} title={detail}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  );
}
