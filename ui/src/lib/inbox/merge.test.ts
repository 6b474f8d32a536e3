import { describe, expect, it } from "vitest";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import { mergeConversations } from "./merge";

const row = (id: number, at: number): ConversationSummary => ({
  id,
  contact: { id, phone: null, user_id: `US.${id}`, name: null, username: `u${id}` },
  display_name: `@u${id}`,
  phone_number_id: "pn",
  last_preview: "",
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: at,
  last_inbound_at: at,
  unread_count: 0,
  lead: null,
});

describe("mergeConversations", () => {
  it("drops a conversation merged into another and shows the one it joined", () => {
    const current = [row(1, 300), row(2, 200), row(3, 100)];
    const joined = { ...row(3, 400), last_preview: "Both halves" };
    const next = mergeConversations(current, [joined], [2]);
    expect(next.map((c) => c.id)).toEqual([3, 1]);
    expect(next[0]?.last_preview).toBe("Both halves");
  });

  it("with nothing changed or removed, keeps the very same list", () => {
    const current = [row(1, 300)];
    expect(mergeConversations(current, [])).toBe(current);
    expect(mergeConversations(current, [], [9]).map((c) => c.id)).toEqual([1]);
  });
});
