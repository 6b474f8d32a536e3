// Time labels for the inbox. Meta's timestamps are Unix seconds. Without an
// explicit locale they follow the window's language (see `formatLocale`).
import { formatLocale } from "../i18n";

/** "14:05" today, "Mon" within the week, "12 Mar" this year, else "12 Mar 2024". */
export function listTime(unixSeconds: number, now: Date = new Date(), locale: string = formatLocale()): string {
  const at = new Date(unixSeconds * 1000);
  const sameDay = at.toDateString() === now.toDateString();
  if (sameDay) {
    return at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  }
  const ageMs = now.getTime() - at.getTime();
  if (ageMs >= 0 && ageMs < 6 * 24 * 3600 * 1000) {
    return at.toLocaleDateString(locale, { weekday: "short" });
  }
  if (at.getFullYear() === now.getFullYear()) {
    return at.toLocaleDateString(locale, { day: "numeric", month: "short" });
  }
  return at.toLocaleDateString(locale, { day: "numeric", month: "short", year: "numeric" });
}

/** The time inside a bubble: always hours and minutes. */
export function bubbleTime(unixSeconds: number, locale: string = formatLocale()): string {
  return new Date(unixSeconds * 1000).toLocaleTimeString(locale, {
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** A full date and time, for tooltips. */
export function fullTime(unixSeconds: number, locale: string = formatLocale()): string {
  return new Date(unixSeconds * 1000).toLocaleString(locale, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** A time of day (hours and minutes) from Unix milliseconds. */
export function clockTime(unixMs: number, locale: string = formatLocale()): string {
  return new Date(unixMs).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}
