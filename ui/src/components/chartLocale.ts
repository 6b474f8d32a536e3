// uPlot builds a number formatter from `navigator.language` when its module
// loads. A system on the POSIX locale reports "C" there, which `Intl`
// refuses with a RangeError, and the Reports screen would not load at all.
// Imported before uPlot: such a system is given the window's language,
// which is what every figure on the screen is written in anyway.
import { currentLanguage } from "../lib/i18n";

try {
  Intl.getCanonicalLocales(navigator.language);
} catch {
  Object.defineProperty(navigator, "language", { value: currentLanguage(), configurable: true });
}
