// The part of a chat the window holds: a few pages of messages, read by
// keyset from the store, with whether the chat goes on at either end.
// Far-away pages are dropped as others are read, so what JavaScript keeps
// is bounded by a few pages, not by the chat.
import type { ConversationId } from "../../bindings/ConversationId";
import type { Message } from "../../bindings/Message";
import type { MessagePage } from "../../bindings/MessagePage";

/** Messages read at a time. */
export const PAGE_SIZE = 100;
/** The most messages kept: the farthest pages go beyond this. */
export const MAX_KEPT = 4 * PAGE_SIZE;

export type ChatWindow = {
  /** Whose messages these are; null before a chat is read. */
  conversation: ConversationId | null;
  /** Oldest first. */
  messages: Message[];
  /** Older messages exist in the store before the first one. */
  older: boolean;
  /** Newer messages exist in the store after the last one. */
  newer: boolean;
};

export const NO_CHAT: ChatWindow = { conversation: null, messages: [], older: false, newer: false };

/** The store's order: by time, then by row id. */
export function byPlace(a: Message, b: Message): number {
  return a.sent_at - b.sent_at || a.id - b.id;
}

/** A chat's first page. */
export function fromPage(conversation: ConversationId, page: MessagePage): ChatWindow {
  return { conversation, messages: page.messages, older: page.has_older, newer: page.has_newer };
}

/** An older page before the first message; the newest messages beyond the limit are dropped. */
export function withOlder(w: ChatWindow, page: MessagePage, max = MAX_KEPT): ChatWindow {
  const known = new Set(w.messages.map((m) => m.id));
  const messages = [...page.messages.filter((m) => !known.has(m.id)), ...w.messages];
  const drop = Math.max(0, messages.length - max);
  return {
    ...w,
    messages: drop > 0 ? messages.slice(0, messages.length - drop) : messages,
    older: page.has_older,
    newer: w.newer || drop > 0,
  };
}

/** A newer page after the last message; the oldest messages beyond the limit are dropped. */
export function withNewer(w: ChatWindow, page: MessagePage, max = MAX_KEPT): ChatWindow {
  const known = new Set(w.messages.map((m) => m.id));
  const messages = [...w.messages, ...page.messages.filter((m) => !known.has(m.id))];
  const drop = Math.max(0, messages.length - max);
  return {
    ...w,
    messages: drop > 0 ? messages.slice(drop) : messages,
    older: w.older || drop > 0,
    newer: page.has_newer,
  };
}

/**
 * Live changes to one chat: messages held are replaced in place; new ones
 * join when they fall inside what is held (at the newest end only while the
 * newest messages are held; a page read later brings the others). Past the
 * limit, the oldest are dropped.
 */
export function mergeLive(w: ChatWindow, changed: readonly Message[], conversation: ConversationId, max = MAX_KEPT): ChatWindow {
  if (w.conversation !== conversation) return w;
  const mine = changed.filter((m) => m.conversation_id === conversation);
  if (mine.length === 0) return w;
  const byId = new Map(mine.map((m) => [m.id, m]));
  const known = new Set(w.messages.map((m) => m.id));
  const first = w.messages[0];
  const last = w.messages.at(-1);
  const fresh = mine.filter(
    (m) =>
      !known.has(m.id) &&
      !(w.older && first !== undefined && byPlace(m, first) < 0) &&
      !(w.newer && last !== undefined && byPlace(m, last) > 0) &&
      // An empty window that is not at the newest end takes nothing.
      !(w.newer && last === undefined),
  );
  const updated = w.messages.map((m) => byId.get(m.id) ?? m);
  if (fresh.length === 0) {
    return updated.every((m, i) => m === w.messages[i]) ? w : { ...w, messages: updated };
  }
  const messages = [...updated, ...fresh].sort(byPlace);
  const drop = Math.max(0, messages.length - max);
  return { ...w, messages: drop > 0 ? messages.slice(drop) : messages, older: w.older || drop > 0 };
}
