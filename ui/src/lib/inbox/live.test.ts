import { describe, expect, it } from "vitest";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import type { InboxChange } from "../../bindings/InboxChange";
import type { SyncUpdate } from "../../bindings/SyncUpdate";
import { textMessage } from "../../test/messages";
import { applySync, chatStep, type LiveState, mergeLoaded, STARTING } from "./live";

const row = (id: number, at: number, unread = 0): ConversationSummary => ({
  id,
  contact: { id, phone: `+1650555${1000 + id}`, user_id: null, name: null },
  display_name: `Customer ${id}`,
  phone_number_id: "pn",
  last_preview: `at ${at}`,
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: at,
  last_inbound_at: at,
  unread_count: unread,
  lead: null,
});

const message = (id: number, conversation: number) => textMessage(id, { conversation_id: conversation, body: "hi" });

function change(parts: Partial<InboxChange>): InboxChange {
  return {
    cursor: 1,
    replay: false,
    conversations: [],
    messages: [],
    messages_truncated: false,
    new_messages: 0,
    templates_changed: false,
    health_changed: false,
    flagged: 0,
    unapplied: 0,
    incoming: [],
    assigned: [],
    ...parts,
  };
}

const inbox = (parts: Partial<InboxChange>): SyncUpdate => ({ type: "inbox", ...change(parts) });
const ready = (rows: ConversationSummary[]): LiveState => ({ ...STARTING, conversations: { state: "ready", value: rows } });
const ids = (s: LiveState) => (s.conversations.state === "ready" ? s.conversations.value.map((c) => c.id) : null);

describe("applySync", () => {
  it("replaces changed rows in place, adds new ones, drops merged ones, newest first", () => {
    const before = ready([row(1, 300), row(2, 200), row(3, 100)]);
    const after = applySync(before, inbox({ conversations: [row(3, 400), row(4, 250)], removed: [2] }));
    expect(ids(after)).toEqual([3, 1, 4]);
    expect(after.conversations.state === "ready" && after.conversations.value[0]?.last_preview).toBe("at 400");
  });

  it("leaves a list still loading to its read, but counts what could not be applied", () => {
    const after = applySync(STARTING, inbox({ conversations: [row(1, 100)], unapplied: 2 }));
    expect(after.conversations).toEqual({ state: "loading" });
    expect(after.unapplied).toBe(2);
    expect(applySync(after, inbox({ unapplied: 3 })).unapplied).toBe(5);
    expect(applySync(after, inbox({ flagged: 4 })).unapplied).toBe(2);
  });

  it("takes the connection without the update's tag", () => {
    const after = applySync(STARTING, { type: "connection", state: "reconnecting", attempt: 2, next_retry_at_ms: 5, error: "refused" });
    expect(after.connection).toEqual({ state: "reconnecting", attempt: 2, next_retry_at_ms: 5, error: "refused" });
    expect(after.conversations).toBe(STARTING.conversations);
  });

  it("keeps the latest time before which history was pruned", () => {
    const gap = (before_ms: number): SyncUpdate => ({ type: "history_pruned", missed_after: 1, resumed_at: 9, before_ms });
    const first = applySync(STARTING, gap(5_000));
    expect(first.historyBefore).toBe(5_000);
    expect(applySync(first, gap(3_000)).historyBefore).toBe(5_000);
    expect(applySync(first, gap(8_000)).historyBefore).toBe(8_000);
  });
});

describe("mergeLoaded", () => {
  it("keeps a failed read as it is", () => {
    const failed = { state: "failed", code: "store", message: "locked" } as const;
    expect(mergeLoaded(failed, [row(1, 1)])).toBe(failed);
  });
});

describe("chatStep", () => {
  it("does nothing without an open chat", () => {
    expect(chatStep(change({ conversations: [row(1, 1, 1)] }), null, true)).toEqual({ kind: "none" });
  });

  it("closes the open chat when it merged into another", () => {
    expect(chatStep(change({ conversations: [row(2, 1)], removed: [1] }), 1, true)).toEqual({ kind: "close" });
  });

  it("reads new customer messages in the open chat only while the window has the focus", () => {
    const c = change({ conversations: [row(1, 1, 2)], messages: [message(7, 1)] });
    expect(chatStep(c, 1, true)).toEqual({ kind: "merge", markRead: true });
    expect(chatStep(c, 1, false)).toEqual({ kind: "merge", markRead: false });
    expect(chatStep(change({ conversations: [row(2, 1, 2)] }), 1, true)).toEqual({ kind: "merge", markRead: false });
  });

  it("reads the open chat again when too many of its messages changed to list", () => {
    expect(chatStep(change({ conversations: [row(1, 1)], messages_truncated: true }), 1, true)).toEqual({
      kind: "reload",
      markRead: false,
    });
    // Another chat's flood leaves this one to the messages listed.
    expect(chatStep(change({ conversations: [row(2, 1)], messages_truncated: true }), 1, true)).toEqual({
      kind: "merge",
      markRead: false,
    });
  });
});
