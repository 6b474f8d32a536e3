// The sidebar's header: the name, the demo badge, the relay connection and
// the button that starts a new conversation.
import type { ConnectionState } from "../bindings/ConnectionState";
import type { Mode } from "../bindings/Mode";
import { useTranslation } from "../lib/i18n";
import { ariaKeys, combosFor, isMac } from "../lib/keyboard";
import { ConnectionBadge } from "./ConnectionBadge";

type Props = {
  mode: Mode | null;
  connection: ConnectionState | null;
  /** Opens the new-conversation dialog; null when this session cannot send. */
  onNew: (() => void) | null;
};

export function SidebarHeader({ mode, connection, onNew }: Props) {
  const { t } = useTranslation();
  return (
    <header className="sidebar-header">
      <h1 className="brand">Hourglass</h1>
      {mode === "demo" && (
        <span className="demo-badge" data-testid="demo-badge" title={t("app.demoBadgeHint")}>
          {t("app.demoBadge")}
        </span>
      )}
      {connection && <ConnectionBadge connection={connection} />}
      {onNew && (
        <button
          type="button"
          className="new-conversation-button"
          data-testid="new-conversation"
          aria-label={t("outreach.open")}
          title={t("outreach.openHint")}
          aria-keyshortcuts={combosFor(["newConversation"]).map((c) => ariaKeys(c, isMac())).join(" ")}
          onClick={onNew}
        >
          <span aria-hidden="true">+</span>
        </button>
      )}
    </header>
  );
}
