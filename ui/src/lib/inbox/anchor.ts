import type { ConversationId } from "../../bindings/ConversationId";
import type { MessageId } from "../../bindings/MessageId";

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
