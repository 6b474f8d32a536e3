import type { ConversationId } from "../../bindings/ConversationId";
import type { MessageId } from "../../bindings/MessageId";
import type { PageAt } from "../../bindings/PageAt";
import type { SearchHit } from "../../bindings/SearchHit";

/** Where a chat opened from a search hit should show: that message or note. */
export type ChatAnchor = {
  conversation: ConversationId;
  messageId: MessageId | null;
  noteId: string | null;
  /** A note's time (Unix seconds): the chat loads the messages around it. */
  at?: number | null;
  /** Tells two openings of the same hit apart, so each scrolls to it. */
  seq: number;
};

/** Where a chat's first page is read: around its anchor when it has one, else the newest. */
export function firstPage(anchor: ChatAnchor | null, conversation: ConversationId): PageAt {
  const at = anchor?.conversation === conversation ? anchor : null;
  if (at?.messageId != null) return { at: "around", message: at.messageId };
  if (at?.noteId != null && at.at != null) return { at: "around_time", seconds: at.at };
  return { at: "newest" };
}

/** The anchor of a search hit: its message, or its note's time; a customer hit has none. */
export function hitAnchor(hit: SearchHit): Omit<ChatAnchor, "seq"> {
  return {
    conversation: hit.conversation_id,
    messageId: hit.kind === "message" ? hit.message_id : null,
    noteId: hit.kind === "note" ? hit.note_id : null,
    at: hit.at,
  };
}
