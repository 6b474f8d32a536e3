// The countdown's mirror of the window rule against the cases the Rust rule
// is tested with (crates/whatsapp/tests/window_vectors.rs): a change to the
// rule on either side fails that side until the shared file changes too.
import { describe, expect, it } from "vitest";
import vectors from "../../../../crates/whatsapp/tests/vectors/window.json";
import {
  CLOSING_SOON_SECS,
  SERVICE_WINDOW_SECS,
  isOpen,
  remaining,
  serviceWindow,
  windowStart,
} from ".";

describe("serviceWindow against the shared vectors", () => {
  it("uses the same durations", () => {
    expect(SERVICE_WINDOW_SECS).toBe(vectors.service_window_secs);
    expect(CLOSING_SOON_SECS).toBe(vectors.closing_soon_secs);
  });

  it("has cases in every state", () => {
    const states = new Set(vectors.cases.map((c) => c.expected.state));
    expect([...states].sort()).toEqual(["closed", "closing", "never_opened", "open"]);
  });

  it("has cases where a call opened the window", () => {
    expect(vectors.cases.some((c) => c.last_inbound_at === null && c.last_call_at !== null)).toBe(true);
  });

  for (const c of vectors.cases) {
    it(c.name, () => {
      const w = serviceWindow(windowStart(c.last_inbound_at, c.last_call_at), c.now);
      expect(w).toEqual(c.expected);
      expect(remaining(w, c.now)).toBe(c.remaining);
      expect(isOpen(w)).toBe(c.expected.state === "open" || c.expected.state === "closing");
    });
  }
});
