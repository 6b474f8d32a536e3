import { describe, expect, it } from "vitest";
import { flatHits, hitId, stepCursor } from ".";

describe("stepCursor", () => {
  it("moves one hit at a time and stops at either end", () => {
    expect(stepCursor(0, 3, 1)).toBe(1);
    expect(stepCursor(2, 3, 1)).toBe(2);
    expect(stepCursor(1, 3, -1)).toBe(0);
    expect(stepCursor(0, 3, -1)).toBe(0);
  });

  it("has nowhere to go without hits", () => {
    expect(stepCursor(0, 0, 1)).toBeNull();
  });
});

describe("flatHits and hitId", () => {
  it("lists customers, then notes, then messages, each with its own DOM id", () => {
    const h = (conversation_id: number) => ({ conversation_id, title: "", snippet: [], at: 0 });
    const hits = flatHits({
      messages: [{ ...h(3), kind: "message", message_id: 1 }],
      notes: [{ ...h(2), kind: "note", note_id: "n" }],
      contacts: [{ ...h(1), kind: "contact" }],
    });
    expect(hits.map((x) => x.conversation_id)).toEqual([1, 2, 3]);
    expect(new Set(hits.map((_, i) => hitId(i))).size).toBe(3);
  });
});
