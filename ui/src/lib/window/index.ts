// The customer-service window for display. The rule itself lives in Rust
// (crates/whatsapp/src/window.rs), which is what refuses free text to a closed
// window; this mirror only drives the countdown. Both are tested against the
// same cases, crates/whatsapp/tests/vectors/window.json (vectors.test.ts).
import type { ServiceWindow } from "../../bindings/ServiceWindow";
import { i18n } from "../i18n";

export const SERVICE_WINDOW_SECS = 24 * 3600;
export const CLOSING_SOON_SECS = 3600;

/**
 * When the customer last reached out: the later of their last message and
 * their last call. A call opens the window as a message does.
 */
export function windowStart(lastMessageAt: number | null, lastCallAt: number | null): number | null {
  if (lastMessageAt === null) return lastCallAt;
  if (lastCallAt === null) return lastMessageAt;
  return Math.max(lastMessageAt, lastCallAt);
}

export function serviceWindow(lastInboundAt: number | null, now: number): ServiceWindow {
  if (lastInboundAt === null) return { state: "never_opened" };
  const closesAt = lastInboundAt + SERVICE_WINDOW_SECS;
  const left = closesAt - now;
  if (left <= 0) return { state: "closed", closed_at: closesAt };
  if (left < CLOSING_SOON_SECS) return { state: "closing", closes_at: closesAt };
  return { state: "open", closes_at: closesAt };
}

export function isOpen(w: ServiceWindow): boolean {
  return w.state === "open" || w.state === "closing";
}

/** Seconds until it closes (0 when closed or never opened), as the Rust rule counts them. */
export function remaining(w: ServiceWindow, now: number): number {
  if (w.state !== "open" && w.state !== "closing") return 0;
  return Math.max(w.closes_at - now, 0);
}

/** Seconds left as displayed: a timestamp ahead of our clock never shows more than 24 h. */
function shownRemaining(w: ServiceWindow, now: number): number {
  return Math.min(remaining(w, now), SERVICE_WINDOW_SECS);
}

/**
 * The list's label, in the window's language: in English `23h 12m`, `47m`,
 * `<1m`, `Closed`, `No window`.
 */
export function shortLabel(w: ServiceWindow, now: number): string {
  if (w.state === "never_opened") return i18n.t("window.noWindow");
  if (w.state === "closed") return i18n.t("window.closed");
  const left = shownRemaining(w, now);
  const hours = Math.floor(left / 3600);
  const minutes = Math.floor((left % 3600) / 60);
  if (hours > 0) return i18n.t("window.hoursMinutes", { hours, minutes });
  if (minutes > 0) return i18n.t("window.minutes", { minutes });
  return i18n.t("window.underAMinute");
}

/** The header's label: like the list, with seconds in the last hour (`47m 05s`). */
export function longLabel(w: ServiceWindow, now: number): string {
  if (w.state !== "closing") return shortLabel(w, now);
  const left = shownRemaining(w, now);
  const minutes = Math.floor(left / 60);
  const seconds = String(left % 60).padStart(2, "0");
  return i18n.t("window.minutesSeconds", { minutes, seconds });
}
