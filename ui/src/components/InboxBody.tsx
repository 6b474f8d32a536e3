// The sidebar's body: search results while a query is typed, else the
// conversation list, or why there is none (loading, failed, filtered out,
// empty with the first-run choices).
import { type ComponentProps, useState } from "react";
import type { SearchHit } from "../bindings/SearchHit";
import type { SessionInfo } from "../bindings/SessionInfo";
import { useTranslation } from "../lib/i18n";
import { errorText } from "../lib/i18n/problem";
import type { LiveInbox } from "../lib/inbox/useLiveInbox";
import { startDemo } from "../lib/ipc";
import type { SearchCursor } from "../lib/search";
import { ConversationList } from "./ConversationList";
import { SearchResultsView } from "./SearchPanel";

// Errors that retrying cannot fix: the agent must update or reinstall.
const PERMANENT = new Set(["newer_schema", "migration_changed"]);

type Props = {
  search: SearchCursor;
  onOpenHit: (hit: SearchHit) => void;
  inbox: LiveInbox;
  /** No session yet: the empty inbox offers connecting a number (and the demo). */
  onConnect: () => void;
  list: ComponentProps<typeof ConversationList>;
};

export function InboxBody({ search, onOpenHit, inbox, onConnect, list }: Props) {
  const { t } = useTranslation();
  const { conversations } = inbox;
  const total = conversations.state === "ready" ? conversations.value.length : 0;
  // The body takes the free height whatever it shows, so the tools below
  // stay put while the inbox loads and fills.
  if (search.query.trim() !== "") {
    return (
      <div className="sidebar-body">
        <SearchResultsView search={search.found} active={search.active} onOpen={onOpenHit} />
      </div>
    );
  }
  return (
    <div className="sidebar-body">
      {conversations.state === "loading" && <p className="muted centered">{t("app.loading")}</p>}
      {conversations.state === "failed" && (
        <div className="inline-error" role="alert" data-testid="inbox-error">
          <p>{t("app.loadFailed")}</p>
          <p>{conversations.message}</p>
          {!PERMANENT.has(conversations.code) && (
            <button type="button" onClick={() => void inbox.refresh()}>
              {t("app.tryAgain")}
            </button>
          )}
        </div>
      )}
      {total > 0 && list.conversations.length === 0 && (
        <div className="empty-state" data-testid="filter-empty">
          <p className="muted">{t("app.filterEmpty")}</p>
        </div>
      )}
      {conversations.state === "ready" && total === 0 && (
        <div className="empty-state" data-testid="inbox-empty">
          <p className="empty-title">{t("app.emptyTitle")}</p>
          <p className="muted">{t("app.emptyHint")}</p>
          {inbox.session?.mode === "unconfigured" && <Welcome onDemo={(s) => inbox.adopt(s)} onConnect={onConnect} />}
        </div>
      )}
      {list.conversations.length > 0 && <ConversationList {...list} />}
    </div>
  );
}

/** The first run's choices: the demo, or connecting a number. */
function Welcome({ onDemo, onConnect }: { onDemo: (session: SessionInfo) => Promise<void>; onConnect: () => void }) {
  const { t } = useTranslation();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const tryDemo = async () => {
    setStarting(true);
    setError(null);
    try {
      await onDemo(await startDemo());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setStarting(false);
    }
  };
  return (
    <div className="welcome-actions">
      <button type="button" className="primary" data-testid="start-demo" disabled={starting} onClick={() => void tryDemo()}>
        {starting ? t("app.startingDemo") : t("app.tryDemo")}
      </button>
      <p className="muted small">{t("app.demoHint")}</p>
      <button type="button" data-testid="start-connect" onClick={onConnect}>
        {t("app.connectNumber")}
      </button>
      <p className="muted small">{t("app.connectHint")}</p>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
