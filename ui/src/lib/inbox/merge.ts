// Applying the sync engine's changes to what the window shows, in place.
import type { ConversationSummary } from "../../bindings/ConversationSummary";

/** Newest activity first; ties by id, newest first (as the store orders). */
export function byActivity(a: ConversationSummary, b: ConversationSummary): number {
  return b.last_activity_at - a.last_activity_at || b.id - a.id;
}

/** Replaces changed conversations, adds new ones, drops `removed` ones
 * (merged into another), keeps the list ordered. */
export function mergeConversations(
  current: ConversationSummary[],
  changed: ConversationSummary[],
  removed: readonly number[] = [],
): ConversationSummary[] {
  if (changed.length === 0 && removed.length === 0) return current;
  const gone = new Set(removed);
  const byId = new Map(changed.map((c) => [c.id, c]));
  const next = current.filter((c) => !gone.has(c.id)).map((c) => byId.get(c.id) ?? c);
  const known = new Set(current.map((c) => c.id));
  for (const c of changed) if (!known.has(c.id)) next.push(c);
  return next.sort(byActivity);
}
