import { useVirtualizer } from "@tanstack/react-virtual";
import { type FocusEventHandler, memo, type RefObject, useEffect, useRef } from "react";
import type { ConversationId } from "../bindings/ConversationId";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import { fullTime, listTime } from "../lib/format/time";
import { useFirstFrameDrawn } from "../lib/startup";
import { useTranslation } from "../lib/i18n";
import { LeadTag } from "./LeadBadge";
import { WindowCountdown } from "./WindowCountdown";
import { handleBeside } from "../lib/inbox/handle";

type Props = {
  conversations: ConversationSummary[];
  /** The open chat. */
  selected: ConversationId | null;
  onSelect: (id: ConversationId) => void;
  /** The keyboard cursor: the row Enter opens. */
  active?: ConversationId | null;
  /** The pointer went down on a row: the cursor goes there. */
  onPoint?: (id: ConversationId) => void;
  onFocus?: FocusEventHandler<HTMLUListElement>;
  listRef?: RefObject<HTMLUListElement | null>;
  /** Who owns which conversation (team work). */
  owners?: ReadonlyMap<ConversationId, string>;
  /** Conversations marked pending: shown with the open ones, marked. */
  pending?: ReadonlySet<ConversationId>;
  /** This agent's name on the relay: a colleague's last reply is named. */
  me?: string | null;
};

/** The DOM id of a conversation's row, for `aria-activedescendant`. */
export function rowId(id: ConversationId): string {
  return `conversation-option-${id}`;
}

/** Every row has this height, so the list can be virtualised exactly. */
export const ROW_HEIGHT = 59;
/** Rows rendered beyond the visible ones, for smooth scrolling. */
const OVERSCAN = 20;

// Only the rows in view (plus a margin) are in the DOM, so 10,000
// conversations scroll as smoothly as ten. Customer-supplied strings (names,
// previews) are only ever rendered as React text children, never as HTML.
//
// For the keyboard and screen readers it is a listbox: the list itself holds
// the focus (one Tab stop) and `aria-activedescendant` names the row under
// the cursor, which is `aria-selected`. The focus never sits on a row, so a
// row scrolled out (and unmounted) cannot take the focus with it. The open
// chat's row is `aria-current`.
export function ConversationList({
  conversations,
  selected,
  onSelect,
  active = null,
  onPoint,
  onFocus,
  listRef,
  owners,
  pending,
  me = null,
}: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  // The first frame draws the rows in view; those beyond come right after it.
  const drawn = useFirstFrameDrawn();
  const virtualizer = useVirtualizer({
    count: conversations.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: drawn ? OVERSCAN : 0,
    // Before the first layout (and in tests without layout) assume a window-high list.
    initialRect: { width: 360, height: window.innerHeight },
    getItemKey: (i) => conversations[i]?.id ?? i,
  });

  // The cursor's row scrolls into view when the cursor moves, even when it
  // is far outside the rows in the DOM. Only then: a row that moves as the
  // list changes live does not drag the scroll position along.
  const activeIndex = active === null ? -1 : conversations.findIndex((c) => c.id === active);
  const indexRef = useRef(activeIndex);
  indexRef.current = activeIndex;
  useEffect(() => {
    if (indexRef.current >= 0) virtualizer.scrollToIndex(indexRef.current, { align: "auto" });
  }, [active, virtualizer]);

  const rows = virtualizer.getVirtualItems();
  const activeShown = rows.some((row) => row.index === activeIndex);
  return (
    <div className="conversation-scroller" ref={scroller}>
      <ul
        ref={listRef}
        className="conversation-list"
        data-testid="conversation-list"
        role="listbox"
        tabIndex={0}
        aria-label={t("conversations.label")}
        aria-activedescendant={activeShown && active !== null ? rowId(active) : undefined}
        onFocus={onFocus}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {rows.map((row) => {
          const c = conversations[row.index];
          if (!c) return null;
          return (
            <li key={row.key} className="conversation-row" role="none" style={{ top: row.start }}>
              <ConversationRow
                conversation={c}
                selected={c.id === selected}
                active={c.id === active}
                position={row.index + 1}
                count={conversations.length}
                onSelect={onSelect}
                onPoint={onPoint}
                owner={owners?.get(c.id) ?? null}
                pending={pending?.has(c.id) ?? false}
                me={me}
              />
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
  active,
  position,
  count,
  onSelect,
  onPoint,
  owner,
  pending,
  me,
}: {
  owner: string | null;
  pending: boolean;
  me: string | null;
  conversation: ConversationSummary;
  selected: boolean;
  active: boolean;
  position: number;
  count: number;
  onSelect: (id: ConversationId) => void;
  onPoint?: (id: ConversationId) => void;
}) {
  // Subscribed here too: a memoised row re-renders on a language change.
  const { t } = useTranslation();
  // A number is shown in the header only; a username says who this is.
  const handle = c.contact.phone ? null : handleBeside(c.contact, c.display_name);
  const classes = ["conversation-item", selected && "selected", active && "active"].filter(Boolean).join(" ");
  // Only some rows are in the DOM, so each says where it stands in the whole list.
  return (
    <div
      id={rowId(c.id)}
      role="option"
      className={classes}
      data-testid="conversation-item"
      data-conversation-id={c.id}
      aria-selected={active}
      aria-current={selected ? "true" : undefined}
      aria-posinset={position}
      aria-setsize={count}
      onMouseDown={() => onPoint?.(c.id)}
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
          {handle && (
            <span className="conversation-handle" data-testid="conversation-handle">
              {handle}
            </span>
          )}
          {c.lead && <LeadTag lead={c.lead} />}
          {pending && (
            <span className="pending-tag" data-testid="conversation-pending">
              {t("status.pending")}
            </span>
          )}
          {owner && (
            <span className="assignee-tag" data-testid="conversation-assignee" title={t("team.assignee")}>
              → {owner}
            </span>
          )}
          <time className="conversation-time" title={fullTime(c.last_activity_at)}>
            {c.last_activity_at > 0 ? listTime(c.last_activity_at) : ""}
          </time>
        </span>
        <span className="conversation-bottom">
          <span className="conversation-preview" data-testid="conversation-preview">
            {c.last_direction !== "outbound"
              ? ""
              : c.last_sent_by && c.last_sent_by !== me
                ? t("conversations.agentPrefix", { name: c.last_sent_by })
                : t("conversations.youPrefix")}
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
    </div>
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
