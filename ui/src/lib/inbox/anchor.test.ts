import { describe, expect, it } from "vitest";
import type { SearchHit } from "../../bindings/SearchHit";
import { firstPage, hitAnchor } from "./anchor";

const hit = (parts: Partial<SearchHit> & Pick<SearchHit, "kind">): SearchHit =>
  ({ conversation_id: 4, title: "Ana", snippet: [], at: 1_700_000_000, ...parts }) as SearchHit;

describe("hitAnchor and firstPage", () => {
  it("opens a message hit around that message", () => {
    const a = hitAnchor(hit({ kind: "message", message_id: 42 }));
    expect(a).toEqual({ conversation: 4, messageId: 42, noteId: null, at: 1_700_000_000 });
    expect(firstPage({ ...a, seq: 1 }, 4)).toEqual({ at: "around", message: 42 });
  });

  it("opens a note hit around the note's time", () => {
    const a = hitAnchor(hit({ kind: "note", note_id: "n-1" }));
    expect(firstPage({ ...a, seq: 1 }, 4)).toEqual({ at: "around_time", seconds: 1_700_000_000 });
  });

  it("opens a customer hit, another chat's anchor, or none at the newest messages", () => {
    expect(firstPage({ ...hitAnchor(hit({ kind: "contact" })), seq: 1 }, 4)).toEqual({ at: "newest" });
    expect(firstPage({ conversation: 5, messageId: 1, noteId: null, seq: 1 }, 4)).toEqual({ at: "newest" });
    expect(firstPage(null, 4)).toEqual({ at: "newest" });
  });
});
