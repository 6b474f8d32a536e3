// A message as the store answers it, for tests: an inbound text unless
// `fields` say otherwise.
import type { Message } from "../bindings/Message";

export function textMessage(id: number, fields: Partial<Message> = {}): Message {
  const body = fields.body ?? `m${id}`;
  return {
    id,
    wamid: `wamid.${id}`,
    conversation_id: 1,
    direction: "inbound",
    kind: "text",
    body,
    content: { type: "text", body },
    sent_at: 1_000 + id,
    status: null,
    reply_to_wamid: null,
    sent_by: null,
    quoted: null,
    reactions: [],
    failure: null,
    edited_at: null,
    revoked: false,
    outbox: null,
    ...fields,
  };
}
