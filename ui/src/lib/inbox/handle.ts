// How a customer is reached, shown beside their name: the number, or for a
// customer who hides it behind a WhatsApp username, `@username`.
import type { Contact } from "../../bindings/Contact";

/** The number, else `@username`, else null (a bare user id says nothing). */
export function customerHandle(contact: Contact): string | null {
  if (contact.phone) return contact.phone;
  const username = contact.username?.trim().replace(/^@/, "");
  return username ? `@${username}` : null;
}

/** The handle to show beside `displayName`, or null when it adds nothing. */
export function handleBeside(contact: Contact, displayName: string): string | null {
  const handle = customerHandle(contact);
  return handle && handle !== displayName ? handle : null;
}
