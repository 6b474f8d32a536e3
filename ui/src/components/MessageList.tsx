import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useRef } from "react";
import type { Message } from "../bindings/Message";
import { dayLabel } from "../lib/format/time";
import { useTranslation } from "../lib/i18n";
import type { ChatAnchor } from "../lib/inbox/anchor";
import { HandoverLine } from "./CallLine";
import { MessageBubble } from "./MessageBubble";
import { StatusLine } from "./StatusControl";
import { NoteBubble } from "./TeamPanel";
import { rowKey, type TimelineRow } from "./timeline";

type Props = {
  rows: readonly TimelineRow[];
  /** Older messages exist beyond the first row. */
  older: boolean;
  /** Newer messages exist beyond the last row. */
  newer: boolean;
  /** Reads the next page toward one end of the chat. */
  onMore?: (side: "older" | "newer") => void;
  /** Opened from a search hit: the message or note to show. */
  anchor: ChatAnchor | null;
  /** Leaves the hit for the newest messages. */
  onShowNewest?: () => void;
  error: string | null;
  /** The chat has no messages at all. */
  empty: boolean;
  me: string | null;
  /** Inbound messages at or after this time (Unix ms) are marked as arrived while blocked. */
  blockedSince: number | null;
  onPickTemplate?: () => void;
  onReply?: (message: Message) => void;
};

/** How close to the newest message (px) still counts as reading it. */
const NEAR_BOTTOM = 80;
/** The list's padding above the first row and below the last (px). */
const PADDING = 16;
/** The space between rows (px). */
const GAP = 6;
/** Rows rendered beyond each edge of the visible part. */
const OVERSCAN = 6;

/** A first guess at a row's height, before it is measured. */
function estimate(row: TimelineRow | undefined): number {
  if (!row) return 60;
  switch (row.kind) {
    case "day":
      return 32;
    case "status":
    case "handover":
      return 30;
    case "note":
      return 52;
    case "message":
      return row.message.content.type === "media" ? 250 : 62;
  }
}

/** The list's size before its first layout. */
const INITIAL_RECT = { width: 800, height: 600 };

/** Where the list is scrolled to its end, by the rows' first guesses. */
function estimatedEnd(rows: readonly TimelineRow[]): number {
  let total = 2 * PADDING + GAP * Math.max(rows.length - 1, 0);
  for (const row of rows) total += estimate(row);
  return Math.max(total - INITIAL_RECT.height, 0);
}

// The chat's timeline, virtualised: only the rows in view (and a few beyond)
// are in the DOM, each measured as it renders, so a chat of any length costs
// a screen's worth of elements. It opens at the newest message, or centred
// on the search hit it was opened for; while the agent reads the newest,
// new rows keep it there, and rows added above (an older page) leave what is
// on screen where it was. Nearing either end of what is held reads the
// next page there.
export function MessageList({
  rows,
  older,
  newer,
  onMore,
  anchor,
  onShowNewest,
  error,
  empty,
  me,
  blockedSince,
  onPickTemplate,
  onReply,
}: Props) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const targeted = anchor !== null && (anchor.messageId != null || anchor.noteId != null);
  // The hit last scrolled to (its `seq`), so each opening scrolls once.
  const shownAnchor = useRef<number | null>(null);
  const pendingAnchor = targeted && shownAnchor.current !== anchor.seq;
  // The newest message is to be shown once the newest page is in.
  const wantEnd = useRef(!targeted);
  // The first position was taken: from now on, scrolling near an end reads more.
  const positioned = useRef(false);

  // Rows that join at the end while the newest message was already held are
  // new messages: the list follows them while the agent reads the end. A page
  // read toward the newest is history: the bubble being read stays in place.
  const heldNewest = useRef(!newer);
  useEffect(() => {
    heldNewest.current = !newer;
  });

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (i) => estimate(rows[i]),
    getItemKey: (i) => (rows[i] ? rowKey(rows[i]) : i),
    overscan: OVERSCAN,
    paddingStart: PADDING,
    paddingEnd: PADDING,
    gap: GAP,
    anchorTo: "end",
    followOnAppend: !pendingAnchor && heldNewest.current,
    scrollEndThreshold: NEAR_BOTTOM,
    // Before the first layout (and in tests without layout) assume a window-sized list.
    initialRect: INITIAL_RECT,
    // A list that opens at the newest message starts there: its first render
    // draws the newest rows, not the oldest ones and then the newest.
    initialOffset: () => (wantEnd.current && !newer ? estimatedEnd(rows) : 0),
  });

  /** The index of the hit's row, when it is held. */
  const anchorIndex = (): number => {
    if (!anchor) return -1;
    return rows.findIndex((r) =>
      anchor.messageId != null
        ? r.kind === "message" && r.message.id === anchor.messageId
        : r.kind === "note" && r.note.id === anchor.noteId,
    );
  };

  // Back from a hit (to the newest, or to a customer hit): show the newest again.
  const wasTargeted = useRef(targeted);
  if (wasTargeted.current !== targeted) {
    wasTargeted.current = targeted;
    if (!targeted) {
      shownAnchor.current = null;
      wantEnd.current = true;
    }
  }

  // Where the chat opens: the hit, centred and marked, or the newest message.
  const marking = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || rows.length === 0) return;
    if (pendingAnchor) {
      const index = anchorIndex();
      if (index < 0) return; // not read yet
      shownAnchor.current = anchor.seq;
      wantEnd.current = false;
      marking.current = anchor.seq;
      virtualizer.scrollToIndex(index, { align: "center" });
      positioned.current = true;
      return;
    }
    if (wantEnd.current && !newer) {
      wantEnd.current = false;
      virtualizer.scrollToEnd();
      positioned.current = true;
    }
  });

  // The hit's element, once rendered, is marked for a moment so the eye finds it.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || marking.current === null || !anchor) return;
    const target =
      anchor.messageId != null
        ? el.querySelector<HTMLElement>(`[data-message-id="${anchor.messageId}"]`)
        : ([...el.querySelectorAll<HTMLElement>("[data-note-id]")].find((n) => n.dataset.noteId === anchor.noteId) ?? null);
    if (!target) return;
    marking.current = null;
    target.classList.add("search-target");
    setTimeout(() => target.classList.remove("search-target"), 4000);
  });

  // Near either end of what is held: the next page there.
  const readMore = () => {
    const el = scroller.current;
    if (!el || !positioned.current || !onMore) return;
    const screen = Math.max(el.clientHeight, 1);
    if (older && el.scrollTop < screen) onMore("older");
    if (newer && el.scrollHeight - el.scrollTop - el.clientHeight < screen) onMore("newer");
  };
  // Also when a page came in and the agent is still near that end. A page
  // that comes in once the most rows are held drops as many at the other end,
  // so the rows at either end say that it came, not their count; and the
  // list, already scrolled as far as it goes, sends no scroll event.
  const readMoreRef = useRef(readMore);
  readMoreRef.current = readMore;
  const [first, last] = [rows[0], rows.at(-1)];
  const firstKey = first ? rowKey(first) : null;
  const lastKey = last ? rowKey(last) : null;
  useEffect(() => readMoreRef.current(), [firstKey, lastKey, older, newer]);

  const items = virtualizer.getVirtualItems();
  return (
    <div
      className="messages virtual"
      data-testid="message-list"
      role="log"
      aria-live="polite"
      data-older={older}
      data-newer={newer}
      data-held={rows.length}
      ref={scroller}
      onScroll={readMore}
    >
      <div className="timeline-rows" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <div
              key={item.key}
              className="timeline-row"
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Row row={row} me={me} blockedSince={blockedSince} onPickTemplate={onPickTemplate} onReply={onReply} />
            </div>
          );
        })}
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {!error && empty && <p className="muted centered">{t("chat.noMessages")}</p>}
      {anchor?.messageId != null && onShowNewest && (
        <button type="button" className="show-newest" data-testid="show-newest" onClick={onShowNewest}>
          {t("team.showNewest")} ↓
        </button>
      )}
    </div>
  );
}

function Row({
  row,
  me,
  blockedSince,
  onPickTemplate,
  onReply,
}: {
  row: TimelineRow;
  me: string | null;
  blockedSince: number | null;
  onPickTemplate?: () => void;
  onReply?: (message: Message) => void;
}) {
  const { t } = useTranslation();
  switch (row.kind) {
    case "day":
      return (
        <div className="day-separator" role="separator" data-testid="day-separator" data-day={row.day}>
          <span>{dayLabel(row.at)}</span>
        </div>
      );
    case "status":
      return <StatusLine change={row.change} />;
    case "handover":
      return <HandoverLine handover={row.handover} />;
    case "note":
      return <NoteBubble id={row.note.id} author={row.note.author} body={row.note.body} atMs={row.note.at_ms} />;
    case "message":
      return (
        <>
          <MessageBubble message={row.message} me={me} onPickTemplate={onPickTemplate} onReply={onReply} />
          {blockedSince !== null && row.message.direction === "inbound" && Number(row.message.sent_at) * 1000 >= blockedSince && (
            <span className="blocked-mark" data-testid="blocked-message">
              {t("contacts.blockedMessage")}
            </span>
          )}
        </>
      );
  }
}
