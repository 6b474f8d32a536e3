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

/** The local calendar day of a Unix time, as a sortable key (`2026-11-21`). */
export function dayKey(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Whole calendar days from `at` to `now` (0 today, 1 yesterday), in local time. */
function daysBetween(at: Date, now: Date): number {
  const a = new Date(at.getFullYear(), at.getMonth(), at.getDate());
  const b = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  // Rounded: a day across a daylight-saving change is 23 or 25 hours.
  return Math.round((b.getTime() - a.getTime()) / (24 * 3600 * 1000));
}

function capitalise(text: string, locale: string): string {
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/**
 * The label of the day separator between messages: "Today", "Yesterday", the
 * weekday within the last week, else the date, with the year when it is not
 * this year. Worded by `Intl` in the window's language.
 */
export function dayLabel(unixSeconds: number, now: Date = new Date(), locale: string = formatLocale()): string {
  const at = new Date(unixSeconds * 1000);
  const days = daysBetween(at, now);
  if (days === 0 || days === 1) {
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(-days, "day");
    return capitalise(relative, locale);
  }
  if (days > 1 && days < 7) {
    return capitalise(new Intl.DateTimeFormat(locale, { weekday: "long" }).format(at), locale);
  }
  const options: Intl.DateTimeFormatOptions =
    at.getFullYear() === now.getFullYear()
      ? { day: "numeric", month: "long" }
      : { day: "numeric", month: "long", year: "numeric" };
  return new Intl.DateTimeFormat(locale, options).format(at);
}
