// The window: the inbox's sidebar beside the main area's screen. What the
// inbox holds lives in hooks (`useLiveInbox`, `useOpenChat`,
// `useSearchCursor`); each screen is a file under `screens/`.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationId } from "./bindings/ConversationId";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { Started } from "./bindings/Started";
import type { SearchHit } from "./bindings/SearchHit";
import type { ChatPaneHandle } from "./components/ChatPane";
import { InboxBody } from "./components/InboxBody";
import { InboxFilters, type InboxQuery, inboxView, useInboxTeam } from "./components/InboxFilters";
import { SearchBox } from "./components/SearchPanel";
import { onDemand } from "./components/OnDemand";
import { SidebarAlerts } from "./components/SidebarAlerts";
import { SidebarHeader } from "./components/SidebarHeader";
import { SidebarTools } from "./components/SidebarTools";
import { UpdateCheck } from "./components/UpdateCheck";
import { ClockProvider, useNow } from "./lib/clock";
import { useInboxShown, useLaunchNotices, useShellLanguage } from "./lib/desktop";
import { useAccountHealth } from "./lib/health/useAccountHealth";
import { hitAnchor } from "./lib/inbox/anchor";
import { useLiveInbox } from "./lib/inbox/useLiveInbox";
import { useOpenChat } from "./lib/inbox/useOpenChat";
import { landCursor } from "./lib/keyboard";
import { focusList, useInboxShortcuts } from "./lib/keyboard/inbox";
import { hitId, useSearchCursor } from "./lib/search";
import { type Screen, ScreenRouter } from "./screens";
import { InboxScreen } from "./screens/InboxScreen";

// Dialogs opened on demand: their code loads the first time they are shown.
const NewConversationDialog = onDemand(() => import("./components/NewConversation").then((m) => m.NewConversationDialog));
const ShortcutsDialog = onDemand(() => import("./components/ShortcutsDialog").then((m) => m.ShortcutsDialog));

const ALL: InboxQuery = { statusView: "open", filter: "all", label: null };

export function App() {
  return (
    <ClockProvider>
      <Inbox />
    </ClockProvider>
  );
}

function Inbox() {
  const now = useNow();
  const [screen, setScreen] = useState<Screen>("inbox");
  const [query, setQuery] = useState<InboxQuery>(ALL);
  const setFilter = (filter: InboxQuery["filter"]) => setQuery((q) => ({ ...q, filter }));
  const chat = useOpenChat();
  const inbox = useLiveInbox(chat, (id) => {
    setScreen("inbox");
    setFilter("all");
    chat.select(id);
  });
  const { session, conversations } = inbox;
  const mode = session?.mode ?? null;
  const team = useInboxTeam(mode);
  const { owners, me } = team;
  const canSend = mode === "demo" || mode === "connected";
  const accountHealth = useAccountHealth(canSend);
  // The keyboard cursor in the list: the row Enter opens (see lib/keyboard).
  const [active, setActive] = useState<ConversationId | null>(null);
  const [showShortcuts, setShowShortcuts] = useState(false);
  const [showNew, setShowNew] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const chatRef = useRef<ChatPaneHandle>(null);
  const selected = chat.selected;

  // Whichever way a chat opens, the cursor goes to its row.
  useEffect(() => {
    if (selected !== null) setActive(selected);
  }, [selected]);

  // One function for every render: the list's rows, memoised, redraw only
  // when their own conversation changes, not each time the open chat does.
  const openConversation = chat.open;
  const openChat = useCallback(
    (id: ConversationId) => {
      setScreen("inbox");
      openConversation(id);
    },
    [openConversation],
  );
  /** Opens a hit's conversation at the message or note that matched. */
  const openHit = (hit: SearchHit) => {
    setScreen("inbox");
    chat.openAt(hitAnchor(hit));
  };
  const search = useSearchCursor(openHit, () => void focusList(listRef));

  useShellLanguage();
  useInboxShown(conversations.state === "ready" ? conversations.value.length : null);
  const launch = useLaunchNotices((id) => {
    setScreen("inbox");
    setFilter("all");
    search.setQuery("");
    chat.select(id);
  });

  /** A connection was made or changed: show its inbox. */
  const connected = (s: SessionInfo) => {
    if (s.mode === "connected") setScreen("inbox");
    void inbox.adopt(s, true);
  };

  /** A new conversation, or the first template to a new number: shown whatever the filters. */
  const showNewChat = (id: ConversationId) => {
    search.setQuery("");
    setQuery((q) => ({ ...q, filter: "all", label: null }));
    openChat(id);
  };
  const started = ({ conversation, queued }: Started) => {
    inbox.merge([conversation]);
    showNewChat(conversation.id);
    chat.merge([queued.message], conversation.id);
  };

  const all = conversations.state === "ready" ? conversations.value : [];
  const view = inboxView(all, query, team, now);
  const ids = view.list.map((c) => c.id);
  const open = all.find((c) => c.id === selected) ?? null;

  useInboxShortcuts({
    ids,
    active,
    selected,
    setActive,
    open: openChat,
    list: listRef,
    search: searchRef,
    chat: chatRef,
    inInbox: screen === "inbox",
    showInbox: () => setScreen("inbox"),
    filter: setFilter,
    newConversation: canSend ? () => setShowNew(true) : null,
    help: () => setShowShortcuts(true),
  });

  return (
    <div className="app">
      <aside className="sidebar">
        <SidebarHeader mode={mode} connection={inbox.connection} onNew={canSend ? () => setShowNew(true) : null} />
        <SidebarAlerts
          inbox={inbox}
          launchProblem={launch.problem}
          onDismissLaunch={launch.dismiss}
          health={accountHealth}
          onOpen={setScreen}
        />
        {all.length > 0 && (
          <SearchBox
            query={search.query}
            onQuery={search.setQuery}
            inputRef={searchRef}
            onKeyDown={search.onKeyDown}
            activeId={search.hits.length > 0 ? hitId(search.active) : undefined}
          />
        )}
        <InboxFilters query={query} onQuery={setQuery} counts={view.counts} labels={view.labels} team={mode !== null && mode !== "unconfigured"} />
        <InboxBody
          search={search}
          onOpenHit={openHit}
          inbox={inbox}
          onConnect={() => setScreen("connect")}
          list={{
            conversations: view.list,
            owners,
            pending: view.pending,
            me,
            selected,
            onSelect: openChat,
            active,
            onPoint: setActive,
            listRef,
            onFocus: () => setActive((current) => landCursor(ids, current, selected)),
          }}
        />
        <SidebarTools onOpen={setScreen} onShortcuts={() => setShowShortcuts(true)} canSend={canSend} />
        <UpdateCheck />
      </aside>
      <main className="main">
        <ScreenRouter
          screen={screen}
          session={session}
          me={me}
          health={accountHealth}
          onSession={connected}
          onOpenConversation={openChat}
          onClose={() => setScreen("inbox")}
          inbox={
            <InboxScreen open={open} chat={chat} chatRef={chatRef} me={me} canSend={canSend} onConversation={(c) => inbox.merge([c])} />
          }
        />
      </main>
      {showShortcuts && <ShortcutsDialog onClose={() => setShowShortcuts(false)} />}
      {showNew && (
        <NewConversationDialog
          onClose={() => setShowNew(false)}
          onOpen={(id) => {
            setShowNew(false);
            showNewChat(id);
          }}
          onStarted={started}
        />
      )}
    </div>
  );
}
