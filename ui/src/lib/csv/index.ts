// CSV for the Reports screen's exports (RFC 4180): fields separated by
// commas, records by CRLF, a field quoted when it holds a comma, a quote, a
// line break or spaces at either end, quotes inside doubled.
//
// Customer content (names, messages) goes into these files, and spreadsheets
// run a cell that starts with `=`, `+`, `-` or `@` as a formula: such text is
// written with a leading apostrophe so it opens as the text it is. Numbers
// are written as numbers (a point for decimals, whatever the window's
// language), so a negative number stays a number.

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field, escaped. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  const text = FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header line and one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",") + "\r\n").join("");
}

/** The file as saved: UTF-8 with a byte-order mark, so spreadsheets read Cyrillic and accents right. */
export function csvFile(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return "\uFEFF" + toCsv(header, rows);
}
