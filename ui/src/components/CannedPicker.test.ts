import { describe, expect, it } from "vitest";
import type { CannedResponse } from "../bindings/CannedResponse";
import { cannedQuery, matchCanned } from "./CannedPicker";

const canned = (id: string, title: string, body: string): CannedResponse => ({ id, title, body, updated_by: null });

describe("canned responses in the composer", () => {
  it("open only for a message that starts with a slash", () => {
    expect(cannedQuery("/")).toBe("");
    expect(cannedQuery("/Hours")).toBe("hours");
    expect(cannedQuery("see https://shop.example.com/hours")).toBeNull();
    expect(cannedQuery("/hours and more")).toBeNull();
    expect(cannedQuery("")).toBeNull();
  });

  it("match every word, titles before texts", () => {
    const all = [
      canned("1", "Refund policy", "Refunds take 5 days"),
      canned("2", "Opening hours", "We are open 9 to 6, also for refunds"),
      canned("3", "Shipping", "Two days"),
    ];
    expect(matchCanned(all, "refund").map((c) => c.id)).toEqual(["1", "2"]);
    expect(matchCanned(all, "open 9").map((c) => c.id)).toEqual(["2"]);
    expect(matchCanned(all, "").map((c) => c.id)).toEqual(["1", "2", "3"]);
    expect(matchCanned(all, "nothing")).toEqual([]);
  });
});
