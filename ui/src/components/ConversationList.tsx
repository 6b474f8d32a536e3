import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import { fullTime, listTime } from "../lib/format/time";
import { WindowCountdown } from "./WindowCountdown";

type Props = {
  conversations: ConversationSummary[];
  selected: ConversationId | null;
  onSelect: (id: ConversationId) => void;
};

// Customer-supplied strings (names, previews) are only ever rendered as React
// text children, never as HTML.
export function ConversationList({ conversations, selected, onSelect }: Props) {
  return (
    <ul className="conversation-list" data-testid="conversation-list" aria-label="Conversations">
      {conversations.map((c) => (
        <li key={c.id}>
          <button
            type="button"
            className={c.id === selected ? "conversation-item selected" : "conversation-item"}
            data-testid="conversation-item"
            data-conversation-id={c.id}
            aria-current={c.id === selected ? "true" : undefined}
            onClick={() => onSelect(c.id)}
          >
            <span className="avatar" aria-hidden="true">
              {initials(c.display_name)}
            </span>
            <span className="conversation-text">
              <span className="conversation-top">
                <span className="conversation-name" data-testid="conversation-name">
                  {c.display_name}
                </span>
                <time className="conversation-time" title={fullTime(c.last_activity_at)}>
                  {c.last_activity_at > 0 ? listTime(c.last_activity_at) : ""}
                </time>
              </span>
              <span className="conversation-bottom">
                <span className="conversation-preview" data-testid="conversation-preview">
                  {c.last_direction === "outbound" ? "You: " : ""}
                  {c.last_preview}
                </span>
                <WindowCountdown lastInboundAt={c.last_inbound_at} variant="list" />
                {c.unread_count > 0 && (
                  <span className="unread-badge" data-testid="unread-badge" aria-label={`${c.unread_count} unread`}>
                    {c.unread_count}
                  </span>
                )}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function initials(name: string): string {
  const letters = name
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? "");
  return letters.join("") || "#";
}
