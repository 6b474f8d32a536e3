import { useCallback, useEffect, useRef, useState } from "react";
import type { ConnectionState } from "./bindings/ConnectionState";
import type { ConversationId } from "./bindings/ConversationId";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { Message } from "./bindings/Message";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { WorkerState } from "./bindings/WorkerState";
import { ChatPane } from "./components/ChatPane";
import { ConnectionBadge } from "./components/ConnectionBadge";
import { ConversationList } from "./components/ConversationList";
import { LeadLinks } from "./components/LeadLinks";
import { NotificationSettingsPanel } from "./components/NotificationSettingsPanel";
import { UpdateCheck } from "./components/UpdateCheck";
import { ClockProvider, useNow } from "./lib/clock";
import { mergeConversations, mergeMessages } from "./lib/inbox/merge";
import {
  CommandError,
  getSession,
  listConversations,
  listMessages,
  markConversationRead,
  onOpenConversation,
  onOutboxChange,
  onReload,
  onSendingState,
  onSessionChanged,
  onSyncUpdate,
  startDemo,
} from "./lib/ipc";
import { serviceWindow } from "./lib/window";

type Load<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; code: string; message: string };

// Errors that retrying cannot fix: the agent must update or reinstall.
const PERMANENT = new Set(["newer_schema", "migration_changed"]);

type Filter = "all" | "leads" | "closing";

const FILTERS: { id: Filter; label: string; hint: string }[] = [
  { id: "all", label: "All", hint: "Every conversation" },
  { id: "leads", label: "Leads", hint: "New customers, with where they came from" },
  { id: "closing", label: "Closing soon", hint: "Windows with less than an hour left" },
];

export function App() {
  return (
    <ClockProvider>
      <Inbox />
    </ClockProvider>
  );
}

function Inbox() {
  const now = useNow();
  const [filter, setFilter] = useState<Filter>("all");
  const [conversations, setConversations] = useState<Load<ConversationSummary[]>>({ state: "loading" });
  const [selected, setSelected] = useState<ConversationId | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [chatError, setChatError] = useState<string | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const [sending, setSending] = useState<WorkerState | null>(null);
  const [demoError, setDemoError] = useState<string | null>(null);
  const [startingDemo, setStartingDemo] = useState(false);
  const [screen, setScreen] = useState<"inbox" | "lead-links" | "notifications">("inbox");
  const selectedRef = useRef<ConversationId | null>(null);
  selectedRef.current = selected;

  const refresh = useCallback(async () => {
    try {
      setConversations({ state: "ready", value: await listConversations() });
    } catch (err) {
      const code = err instanceof CommandError ? err.code : "unknown";
      setConversations({ state: "failed", code, message: (err as Error).message });
    }
  }, []);

  const markRead = useCallback((id: ConversationId) => {
    markConversationRead(id)
      .then((c) => {
        if (!c) return;
        setConversations((prev) =>
          prev.state === "ready" ? { state: "ready", value: mergeConversations(prev.value, [c]) } : prev,
        );
      })
      // Reading state is best effort: the chat stays usable either way.
      .catch(() => undefined);
  }, []);

  const loadChat = useCallback((id: ConversationId) => {
    let cancelled = false;
    setChatError(null);
    listMessages(id)
      .then((m) => !cancelled && selectedRef.current === id && setMessages(m))
      .catch((err: Error) => !cancelled && setChatError(err.message));
    return () => {
      cancelled = true;
    };
  }, []);

  // Live updates: rows are replaced in place, nothing is reloaded wholesale.
  useEffect(() => {
    const stops = [
      onSyncUpdate((update) => {
        if (update.type === "connection") {
          const { type: _type, ...state } = update;
          setConnection(state as ConnectionState);
          return;
        }
        setConversations((prev) =>
          prev.state === "ready" ? { state: "ready", value: mergeConversations(prev.value, update.conversations) } : prev,
        );
        const open = selectedRef.current;
        if (open === null) return;
        // New customer messages in the chat being looked at are read.
        if (update.conversations.some((c) => c.id === open && c.unread_count > 0) && document.hasFocus()) {
          markRead(open);
        }
        if (update.messages_truncated && update.conversations.some((c) => c.id === open)) {
          loadChat(open);
        } else {
          setMessages((prev) => mergeMessages(prev, update.messages, open));
        }
      }),
      onReload(() => {
        void refresh();
        if (selectedRef.current !== null) loadChat(selectedRef.current);
      }),
      onOutboxChange((change) => {
        setConversations((prev) =>
          prev.state === "ready"
            ? { state: "ready", value: mergeConversations(prev.value, [change.conversation]) }
            : prev,
        );
        const open = selectedRef.current;
        if (open !== null) setMessages((prev) => mergeMessages(prev, [change.message], open));
      }),
      onSendingState(setSending),
      onOpenConversation((id) => {
        setScreen("inbox");
        setFilter("all");
        setSelected(id);
      }),
      onSessionChanged((s) => {
        setSession(s);
        setConnection(s.connection);
        setSelected(null);
        void refresh();
      }),
    ];
    // Load only once listening: whatever changed before is in what we read,
    // whatever changes after arrives as an event.
    let live = true;
    void Promise.all(stops).then(() => {
      if (!live) return;
      void refresh();
      getSession()
        .then((s) => {
          setSession(s);
          // A live update may have arrived first; it is newer.
          setConnection((current) => current ?? s.connection);
          setSending((current) => current ?? s.sending);
        })
        .catch(() => setSession(null));
    });
    return () => {
      live = false;
      for (const stop of stops) void stop.then((unlisten) => unlisten());
    };
  }, [refresh, loadChat, markRead]);

  useEffect(() => {
    if (selected === null) return;
    setMessages([]);
    markRead(selected);
    return loadChat(selected);
  }, [selected, loadChat, markRead]);

  const tryDemo = async () => {
    setStartingDemo(true);
    setDemoError(null);
    try {
      const s = await startDemo();
      setSession(s);
      setConnection(s.connection);
      await refresh();
    } catch (err) {
      setDemoError((err as Error).message);
    } finally {
      setStartingDemo(false);
    }
  };

  const all = conversations.state === "ready" ? conversations.value : [];
  const list =
    filter === "closing"
      ? all.filter((c) => serviceWindow(c.last_inbound_at, now).state === "closing")
      : filter === "leads"
        ? all.filter((c) => c.lead !== null)
        : all;
  const open = all.find((c) => c.id === selected) ?? null;

  return (
    <div className="app">
      <aside className="sidebar">
        <header className="sidebar-header">
          <h1 className="brand">Hourglass</h1>
          {session?.mode === "demo" && (
            <span className="demo-badge" data-testid="demo-badge" title="The built-in simulator plays WhatsApp and your customers">
              Demo
            </span>
          )}
          {connection && <ConnectionBadge connection={connection} />}
        </header>
        {sending?.state === "token_invalid" && (
          <div className="sending-stopped" role="alert" data-testid="sending-stopped">
            <strong>Sending is paused.</strong> {sending.message} Messages you write wait in the outbox and go out
            once a valid access token is saved.
          </div>
        )}
        <nav className="filters" aria-label="Filters">
          {FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              className={filter === f.id ? "filter active" : "filter"}
              data-testid={`filter-${f.id}`}
              aria-pressed={filter === f.id}
              title={f.hint}
              onClick={() => setFilter(f.id)}
            >
              {f.label}
            </button>
          ))}
        </nav>
        {/* The body takes the free height whatever it shows, so the tools
            below stay put while the inbox loads and fills. */}
        <div className="sidebar-body">
          {conversations.state === "loading" && <p className="muted centered">Opening your inbox…</p>}
          {conversations.state === "failed" && (
            <div className="inline-error" role="alert" data-testid="inbox-error">
              <p>The inbox could not be opened.</p>
              <p>{conversations.message}</p>
              {!PERMANENT.has(conversations.code) && (
                <button type="button" onClick={() => void refresh()}>
                  Try again
                </button>
              )}
            </div>
          )}
          {conversations.state === "ready" && all.length > 0 && list.length === 0 && (
            <div className="empty-state" data-testid="filter-empty">
              <p className="muted">No conversation matches this filter.</p>
            </div>
          )}
          {conversations.state === "ready" && all.length === 0 && (
            <div className="empty-state" data-testid="inbox-empty">
              <p className="empty-title">No conversations yet</p>
              <p className="muted">When a customer writes to your WhatsApp number, the chat appears here.</p>
              {session?.mode === "unconfigured" && (
                <div className="welcome-actions">
                  <button
                    type="button"
                    className="primary"
                    data-testid="start-demo"
                    disabled={startingDemo}
                    onClick={() => void tryDemo()}
                  >
                    {startingDemo ? "Starting the demo…" : "Try the demo"}
                  </button>
                  <p className="muted small">
                    The demo runs a simulated WhatsApp with customers writing in, on this computer only.
                  </p>
                  {demoError && (
                    <p className="inline-error" role="alert">
                      {demoError}
                    </p>
                  )}
                </div>
              )}
            </div>
          )}
          {list.length > 0 && (
            <ConversationList
              conversations={list}
              selected={selected}
              onSelect={(id) => {
                setScreen("inbox");
                setSelected(id);
              }}
            />
          )}
        </div>
        <div className="sidebar-tools">
          <button type="button" data-testid="open-lead-links" onClick={() => setScreen("lead-links")}>
            Lead links
          </button>
          <button type="button" data-testid="open-notification-settings" onClick={() => setScreen("notifications")}>
            Notifications
          </button>
        </div>
        <UpdateCheck />
      </aside>
      <main className="main">
        {screen === "notifications" ? (
          <NotificationSettingsPanel onClose={() => setScreen("inbox")} />
        ) : screen === "lead-links" ? (
          <LeadLinks businessNumber={session?.business_number ?? null} onClose={() => setScreen("inbox")} />
        ) : open ? (
          <ChatPane
            key={open.id}
            conversation={open}
            messages={messages}
            error={chatError}
            canSend={session?.mode === "demo"}
            onQueued={(m) => setMessages((prev) => mergeMessages(prev, [m], open.id))}
          />
        ) : (
          <div className="empty-state" data-testid="chat-empty">
            <p className="empty-title">Pick a conversation</p>
            <p className="muted">Choose a chat on the left to read it and reply.</p>
          </div>
        )}
      </main>
    </div>
  );
}
