// Time labels for the inbox. Meta's timestamps are Unix seconds. Without an
// explicit locale they follow the window's language (see `formatLocale`).
import { formatLocale } from "../i18n";

/**
 * One `Intl.DateTimeFormat` per language and options, made once:
 * `toLocaleTimeString` and its kin make a new one on every call, which cost
 * the first render of the inbox about 20 ms and the web process about 20 MiB
 * at rest and 60 MiB with the long chat open (docs/performance.md). A
 * formatter keeps the time zone it was made in: a new zone for the computer
 * shows after a restart.
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

const HOURS_MINUTES: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };

const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: "short" };
const DAY_MONTH: Intl.DateTimeFormatOptions = { day: "numeric", month: "short" };
const DAY_MONTH_YEAR: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric" };
const FULL: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
/** What a row of the inbox's list shows (`listTime`) and its tooltip (`fullTime`). */
const LIST_FORMATS = [HOURS_MINUTES, WEEKDAY, DAY_MONTH, DAY_MONTH_YEAR, FULL];

/**
 * Makes the formatters the inbox's rows use ahead of them. The first
 * `Intl.DateTimeFormat` of a page sets up the engine's locale data (10 ms
 * and more on a cold start); made while the list is still being read, that
 * time is not added to the first frame.
 */
export function prepareListTimes(locale: string = formatLocale()): void {
  for (const options of LIST_FORMATS) dateFormat(locale, options);
}

/** "14:05" today, "Mon" within the week, "12 Mar" this year, else "12 Mar 2024". */
export function listTime(unixSeconds: number, now: Date = new Date(), locale: string = formatLocale()): string {
  const at = new Date(unixSeconds * 1000);
  const sameDay = at.toDateString() === now.toDateString();
  if (sameDay) {
    return dateFormat(locale, HOURS_MINUTES).format(at);
  }
  const ageMs = now.getTime() - at.getTime();
  if (ageMs >= 0 && ageMs < 6 * 24 * 3600 * 1000) {
    return dateFormat(locale, WEEKDAY).format(at);
  }
  if (at.getFullYear() === now.getFullYear()) {
    return dateFormat(locale, DAY_MONTH).format(at);
  }
  return dateFormat(locale, DAY_MONTH_YEAR).format(at);
}

/** The time inside a bubble: always hours and minutes. */
export function bubbleTime(unixSeconds: number, locale: string = formatLocale()): string {
  return dateFormat(locale, HOURS_MINUTES).format(new Date(unixSeconds * 1000));
}

/** A full date and time, for tooltips. */
export function fullTime(unixSeconds: number, locale: string = formatLocale()): string {
  return dateFormat(locale, FULL).format(new Date(unixSeconds * 1000));
}

/** A time of day (hours and minutes) from Unix milliseconds. */
export function clockTime(unixMs: number, locale: string = formatLocale()): string {
  return dateFormat(locale, HOURS_MINUTES).format(new Date(unixMs));
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
    return capitalise(dateFormat(locale, { weekday: "long" }).format(at), locale);
  }
  const options: Intl.DateTimeFormatOptions =
    at.getFullYear() === now.getFullYear()
      ? { day: "numeric", month: "long" }
      : { day: "numeric", month: "long", year: "numeric" };
  return dateFormat(locale, options).format(at);
}
