import { describe, expect, it } from "vitest";
import { isOpen, longLabel, serviceWindow, shortLabel } from ".";

const T = 1_750_000_000;
const H = 3600;

describe("serviceWindow (same boundaries as crates/whatsapp/src/window.rs)", () => {
  it("is open one second before 24 h and closed at 24 h", () => {
    expect(serviceWindow(T, T + 24 * H - 1)).toEqual({ state: "closing", closes_at: T + 24 * H });
    expect(isOpen(serviceWindow(T, T + 24 * H - 1))).toBe(true);
    expect(serviceWindow(T, T + 24 * H)).toEqual({ state: "closed", closed_at: T + 24 * H });
    expect(isOpen(serviceWindow(T, T + 24 * H))).toBe(false);
  });
  it("is closing only in the last hour", () => {
    expect(serviceWindow(T, T + 23 * H).state).toBe("open");
    expect(serviceWindow(T, T + 23 * H + 1).state).toBe("closing");
  });
  it("has no window before the customer writes", () => {
    expect(serviceWindow(null, T)).toEqual({ state: "never_opened" });
  });
});

describe("labels", () => {
  it("formats hours and minutes, minutes, and closed", () => {
    expect(shortLabel(serviceWindow(T, T + 48 * 60), T + 48 * 60)).toBe("23h 12m");
    expect(shortLabel(serviceWindow(T, T + 24 * H - 47 * 60), T + 24 * H - 47 * 60)).toBe("47m");
    expect(shortLabel(serviceWindow(T, T + 24 * H - 20), T + 24 * H - 20)).toBe("<1m");
    expect(shortLabel(serviceWindow(T, T + 25 * H), T + 25 * H)).toBe("Closed");
  });
  it("shows seconds in the last hour in the header", () => {
    const now = T + 24 * H - (47 * 60 + 5);
    expect(longLabel(serviceWindow(T, now), now)).toBe("47m 05s");
    expect(longLabel(serviceWindow(T, T + H), T + H)).toBe("23h 0m");
  });
  it("never shows more than 24 h for a timestamp ahead of our clock", () => {
    expect(shortLabel(serviceWindow(T + 600, T), T)).toBe("24h 0m");
  });
});
