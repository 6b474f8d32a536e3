// What the sync engine's updates do to the inbox the window shows: pure
// steps, applied by `useLiveInbox`.
import type { ConnectionState } from "../../bindings/ConnectionState";
import type { ConversationId } from "../../bindings/ConversationId";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import type { InboxChange } from "../../bindings/InboxChange";
import type { SyncUpdate } from "../../bindings/SyncUpdate";
import { mergeConversations } from "./merge";

export type Load<T> =
  | { state: "loading" }
  | { state: "ready"; value: T }
  | { state: "failed"; code: string; message: string };

/** The conversation list as the window holds it. */
export type ListLoad = Load<ConversationSummary[]>;

/** Rows changed and removed, merged into a loaded list; a list not loaded yet waits for its read. */
export function mergeLoaded(list: ListLoad, changed: ConversationSummary[], removed?: readonly number[]): ListLoad {
  return list.state === "ready" ? { state: "ready", value: mergeConversations(list.value, changed, removed) } : list;
}

/** The inbox and what the sync says about itself. */
export type LiveState = {
  conversations: ListLoad;
  /** The relay connection, once known. */
  connection: ConnectionState | null;
  /** Events the sync kept flagged because applying them failed, since the banner was last dismissed. */
  unapplied: number;
  /** The relay's retention removed events before this time (Unix ms) that this desktop had not read. */
  historyBefore: number | null;
};

export const STARTING: LiveState = { conversations: { state: "loading" }, connection: null, unapplied: 0, historyBefore: null };

/** One sync update applied: rows replaced in place, nothing reloaded wholesale. */
export function applySync(state: LiveState, update: SyncUpdate): LiveState {
  switch (update.type) {
    case "connection": {
      const { type: _type, ...connection } = update;
      return { ...state, connection: connection as ConnectionState };
    }
    case "history_pruned": {
      const before = update.before_ms;
      return { ...state, historyBefore: Math.max(state.historyBefore ?? before, before) };
    }
    case "inbox":
      return {
        ...state,
        unapplied: state.unapplied + Math.max(0, update.unapplied),
        conversations: mergeLoaded(state.conversations, update.conversations, update.removed),
      };
  }
}

/** What an inbox change does to the open chat. */
export type ChatStep =
  | { kind: "none" }
  /** It merged into another conversation: nothing left to show. */
  | { kind: "close" }
  /** Too many of its messages changed to list: read it again. */
  | { kind: "reload"; markRead: boolean }
  /** Its changed messages join what is held. */
  | { kind: "merge"; markRead: boolean };

/**
 * The open chat's part of a change. New customer messages in the chat
 * being looked at (`focused`: the window has the focus) are read.
 */
export function chatStep(change: InboxChange, open: ConversationId | null, focused: boolean): ChatStep {
  if (open === null) return { kind: "none" };
  if (change.removed?.includes(open)) return { kind: "close" };
  const mine = change.conversations.find((c) => c.id === open);
  const markRead = focused && change.conversations.some((c) => c.id === open && c.unread_count > 0);
  return { kind: change.messages_truncated && mine !== undefined ? "reload" : "merge", markRead };
}
