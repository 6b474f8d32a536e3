// Numbers for people, in the window's language (a decimal comma in Russian
// and Spanish). Only the language counts, not the region, so English always
// shows a decimal point.
import { currentLanguage } from "../i18n";

/** `value` with exactly `digits` decimals and no grouping: `0.025`, `0,025`. */
export function fixedDecimals(value: number, digits: number, language: string = currentLanguage()): string {
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    useGrouping: false,
  }).format(value);
}
