// File sizes for people, in the window's language: `820 B`, `1.4 MB`
// (`1,4 МБ` in Russian). Binary multiples, as WhatsApp's limits are read.
import { currentLanguage } from "../i18n";

const UNITS = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;

export function formatBytes(bytes: number, language: string = currentLanguage()): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(language, {
    style: "unit",
    unit: UNITS[unit],
    // "607 B" rather than "607 byte"; "1.4 MB" for the rest.
    unitDisplay: unit === 0 ? "narrow" : "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}
