import { useCallback, useEffect, useState } from "react";
import type { ConversationId } from "./bindings/ConversationId";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { Message } from "./bindings/Message";
import { ChatPane } from "./components/ChatPane";
import { ConversationList } from "./components/ConversationList";
import { CommandError, listConversations, listMessages } from "./lib/ipc";

type Load<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; code: string; message: string };

// Errors that retrying cannot fix: the agent must update or reinstall.
const PERMANENT = new Set(["newer_schema", "migration_changed"]);

export function App() {
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

  const list = conversations.state === "ready" ? conversations.value : [];
  const open = list.find((c) => c.id === selected) ?? null;

  return (
    <div className="app">
      <aside className="sidebar">
        <header className="sidebar-header">
          <h1 className="brand">Hourglass</h1>
        </header>
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
        {conversations.state === "ready" && list.length === 0 && (
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
