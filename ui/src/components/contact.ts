// The contact panel's data, which the chat needs even while the panel is
// closed (a template's variables are filled from it); the panel itself is
// loaded the first time it is opened.
import type { ContactPanel as Panel } from "../bindings/ContactPanel";
import type { ConversationId } from "../bindings/ConversationId";
import { getContact } from "../lib/ipc";
import { useSynced } from "../lib/sync/useSynced";

/** The contact panel's data for a conversation, kept fresh as the team acts. */
export function useContact(conversationId: ConversationId) {
  const [panel, setPanel] = useSynced<Panel>(conversationId, getContact);
  return { panel, setPanel };
}

/**
 * What a template's named variables are filled with: each field's value
 * under its variable name, and `name` with the customer's name.
 */
export function contactVariables(panel: Panel | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!panel) return out;
  const name = panel.team_name ?? panel.address_book_name ?? panel.profile_name;
  if (name) out.name = name;
  for (const f of panel.fields) if (f.value !== null) out[f.field.variable] = f.value;
  return out;
}
