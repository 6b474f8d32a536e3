import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useRef } from "react";
import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import { fullTime, listTime } from "../lib/format/time";
import { useTranslation } from "../lib/i18n";
import { LeadTag } from "./LeadBadge";
import { WindowCountdown } from "./WindowCountdown";

type Props = {
  conversations: ConversationSummary[];
  selected: ConversationId | null;
  onSelect: (id: ConversationId) => void;
};

/** Every row has this height, so the list can be virtualised exactly. */
export const ROW_HEIGHT = 59;

// Only the rows in view (plus a margin) are in the DOM, so 10,000
// conversations scroll as smoothly as ten. Customer-supplied strings (names,
// previews) are only ever rendered as React text children, never as HTML.
export function ConversationList({ conversations, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
    // Before the first layout (and in tests without layout) assume a window-sized list.
    initialRect: { width: 360, height: 900 },
    getItemKey: (i) => conversations[i]?.id ?? i,
  });
  return (
    <div className="conversation-scroller" ref={scroller}>
      <ul
        className="conversation-list"
        data-testid="conversation-list"
        aria-label={t("conversations.label")}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((row) => {
          const c = conversations[row.index];
          if (!c) return null;
          return (
            <li key={row.key} className="conversation-row" style={{ top: row.start }}>
              <ConversationRow conversation={c} selected={c.id === selected} onSelect={onSelect} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}

const ConversationRow = memo(function ConversationRow({
  conversation: c,
  selected,
  onSelect,
}: {
  conversation: ConversationSummary;
  selected: boolean;
  onSelect: (id: ConversationId) => void;
}) {
  // Subscribed here too: a memoised row re-renders on a language change.
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className={selected ? "conversation-item selected" : "conversation-item"}
      data-testid="conversation-item"
      data-conversation-id={c.id}
      aria-current={selected ? "true" : undefined}
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
          {c.lead && <LeadTag lead={c.lead} />}
          <time className="conversation-time" title={fullTime(c.last_activity_at)}>
            {c.last_activity_at > 0 ? listTime(c.last_activity_at) : ""}
          </time>
        </span>
        <span className="conversation-bottom">
          <span className="conversation-preview" data-testid="conversation-preview">
            {c.last_direction === "outbound" ? t("conversations.youPrefix") : ""}
            {c.last_preview}
          </span>
          <WindowCountdown lastInboundAt={c.last_inbound_at} variant="list" />
          {c.unread_count > 0 && (
            <span className="unread-badge" data-testid="unread-badge" aria-label={t("conversations.unread", { count: c.unread_count })}>
              {c.unread_count}
            </span>
          )}
        </span>
      </span>
    </button>
  );
});

export function initials(name: string): string {
  const letters = name
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]?.toUpperCase() ?? "");
  return letters.join("") || "#";
}
