// A conversation as the inbox lists it, for tests of the open chat: only
// the fields the chat reads.
import type { ConversationSummary } from "../bindings/ConversationSummary";

export const SHEENA = {
  id: 1,
  display_name: "Sheena",
  contact: { phone: "+16505551234" },
  last_inbound_at: null,
  lead: null,
} as unknown as ConversationSummary;
