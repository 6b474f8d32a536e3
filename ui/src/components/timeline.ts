// The rows of a chat's timeline: messages, private notes, status changes and
// handovers between Meta's AI agent and the team by time, with a day
// separator before each day's first item.
import type { Handover } from "../bindings/Handover";
import type { Message } from "../bindings/Message";
import type { Note } from "../bindings/Note";
import type { StatusChange } from "../bindings/StatusChange";
import { dayKey } from "../lib/format/time";

export type TimelineItem =
  | { kind: "message"; message: Message }
  | { kind: "note"; note: Note }
  | { kind: "status"; change: StatusChange; index: number }
  | { kind: "handover"; handover: Handover; index: number };
export type DayItem = { kind: "day"; day: string; at: number };
export type TimelineRow = TimelineItem | DayItem;

/** Which ends of the chat the messages given do not reach. */
export type Held = { older: boolean; newer: boolean };

/** The Unix second an item of the timeline happened at. */
function itemAt(item: TimelineItem): number {
  if (item.kind === "message") return Number(item.message.sent_at);
  return Math.floor(itemMs(item) / 1000);
}

/** The Unix millisecond of a note, status change or handover. */
function itemMs(item: Exclude<TimelineItem, { kind: "message" }>): number {
  switch (item.kind) {
    case "note":
      return item.note.at_ms;
    case "status":
      return item.change.at_ms;
    case "handover":
      return item.handover.at * 1000;
  }
}

/** A row's identity across renders and pages. */
export function rowKey(row: TimelineRow): string {
  switch (row.kind) {
    case "day":
      return `day-${row.day}`;
    case "status":
      return `status-${row.change.at_ms}-${row.index}`;
    case "handover":
      return `handover-${row.handover.at}-${row.index}`;
    case "note":
      return `note-${row.note.id}`;
    case "message":
      return `message-${row.message.id}`;
  }
}

/**
 * The timeline with a day separator before the first item of each local
 * calendar day. When older messages exist before the first item (`older`),
 * its day began before it, so that day gets no separator here: it comes
 * with the older page, at the day's first message, and the rows already
 * shown keep their keys.
 */
export function withDays(timeline: readonly TimelineItem[], older = false): TimelineRow[] {
  const out: TimelineRow[] = [];
  const seen = new Set<string>();
  const first = timeline[0];
  if (older && first) seen.add(dayKey(itemAt(first)));
  for (const item of timeline) {
    const at = itemAt(item);
    const day = dayKey(at);
    // A day seen before (an item out of order) gets no second separator,
    // so the separators' keys stay unique.
    if (!seen.has(day)) {
      seen.add(day);
      out.push({ kind: "day", day, at });
    }
    out.push(item);
  }
  return out;
}

/**
 * Messages (already in order), notes and status changes (each in log order)
 * merged by time. When the messages are a part of the chat (`held`), notes
 * and changes beyond the ends they do not reach are left out: they show
 * with the pages they belong to.
 */
export function mergeTimeline(
  messages: readonly Message[],
  notes: readonly Note[],
  statuses: readonly StatusChange[] = [],
  held: Held = { older: false, newer: false },
  handovers: readonly Handover[] = [],
): TimelineItem[] {
  const first = messages[0];
  const last = messages.at(-1);
  const partial = held.older || held.newer;
  const from = held.older && first ? Number(first.sent_at) * 1000 : -Infinity;
  const to = held.newer && last ? (Number(last.sent_at) + 1) * 1000 : Infinity;
  const inRange = (ms: number) => (first || !partial) && ms >= from && ms < to;
  const team: Exclude<TimelineItem, { kind: "message" }>[] = [
    ...notes.map((note) => ({ kind: "note" as const, note })),
    ...statuses.map((change, index) => ({ kind: "status" as const, change, index })),
    ...handovers.map((handover, index) => ({ kind: "handover" as const, handover, index })),
  ].filter((item) => inRange(itemMs(item)));
  // Stable: notes and changes at the same moment keep their log order.
  team.sort((a, b) => itemMs(a) - itemMs(b));
  const out: TimelineItem[] = [];
  let n = 0;
  for (const message of messages) {
    while (n < team.length && itemMs(team[n]!) < Number(message.sent_at) * 1000) {
      out.push(team[n]!);
      n += 1;
    }
    out.push({ kind: "message", message });
  }
  for (; n < team.length; n += 1) out.push(team[n]!);
  return out;
}
