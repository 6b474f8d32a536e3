import { useCallback, useEffect, useState } from "react";
import type { ConversationId } from "./bindings/ConversationId";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { Message } from "./bindings/Message";
import { ChatPane } from "./components/ChatPane";
import { ConversationList } from "./components/ConversationList";
import { ClockProvider, useNow } from "./lib/clock";
import { CommandError, listConversations, listMessages } from "./lib/ipc";
import { serviceWindow } from "./lib/window";

type Load<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; code: string; message: string };

// Errors that retrying cannot fix: the agent must update or reinstall.
const PERMANENT = new Set(["newer_schema", "migration_changed"]);

type Filter = "all" | "closing";

const FILTERS: { id: Filter; label: string; hint: string }[] = [
  { id: "all", label: "All", hint: "Every conversation" },
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

  const refresh = useCallback(async () => {
    try {
      setConversations({ state: "ready", value: await listConversations() });
    } catch (err) {
      const code = err instanceof CommandError ? err.code : "unknown";
      setConversations({ state: "failed", code, message: (err as Error).message });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (selected === null) return;
    let cancelled = false;
    setChatError(null);
    setMessages([]);
    listMessages(selected)
      .then((m) => !cancelled && setMessages(m))
      .catch((err: Error) => !cancelled && setChatError(err.message));
    return () => {
      cancelled = true;
    };
  }, [selected]);

  const all = conversations.state === "ready" ? conversations.value : [];
  const list =
    filter === "closing" ? all.filter((c) => serviceWindow(c.last_inbound_at, now).state === "closing") : all;
  const open = all.find((c) => c.id === selected) ?? null;

  return (
    <div className="app">
      <aside className="sidebar">
        <header className="sidebar-header">
          <h1 className="brand">Hourglass</h1>
        </header>
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
          </div>
        )}
        {list.length > 0 && (
          <ConversationList conversations={list} selected={selected} onSelect={setSelected} />
        )}
      </aside>
      <main className="main">
        {open ? (
          <ChatPane key={open.id} conversation={open} messages={messages} error={chatError} />
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
