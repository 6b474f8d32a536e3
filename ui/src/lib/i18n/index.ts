// The window's languages. Every text a person reads comes from here:
// components call `useTranslation()` (re-exported below) and re-render when
// the language changes; plain helpers (countdown labels, lead labels) call
// `i18n.t` while a component renders. Problems from the Rust side are
// worded here from their codes and typed values (see problem.ts); only
// someone else's own words (Meta's, the system's) of a kind Hourglass does
// not know yet are shown as they came.
//
// English is bundled, so the instance is ready as soon as this module is
// imported. Russian and Spanish are separate chunks, loaded the first time
// the window is shown in them (`setLanguage`): a window in English never
// parses them. `ready` resolves once the system's language is loaded, and
// the window renders after it, so the first paint already has its text.
import { createInstance } from "i18next";
import { initReactI18next } from "react-i18next";
import { en, type Translation } from "./en";

export type Language = "en" | "ru" | "es";

/** The languages the window can be shown in, each named in itself. */
export const LANGUAGES: readonly { code: Language; label: string }[] = [
  { code: "en", label: "English" },
  { code: "ru", label: "Русский" },
  { code: "es", label: "Español" },
];

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}

function isLanguage(value: string): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/** The system's language (`navigator.language`) when Hourglass speaks it, else English. */
export function detectLanguage(): Language {
  const tag = typeof navigator === "undefined" ? undefined : navigator.language;
  const primary = (tag ?? "").split(/[-_]/)[0]?.toLowerCase() ?? "";
  return isLanguage(primary) ? primary : "en";
}

/** The languages loaded on demand, each its own chunk. */
const LOADERS: Record<Exclude<Language, "en">, () => Promise<Translation>> = {
  ru: () => import("./ru").then((m) => m.ru),
  es: () => import("./es").then((m) => m.es),
};

export const i18n = createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  lng: "en",
  fallbackLng: "en",
  supportedLngs: LANGUAGES.map((l) => l.code),
  // Resources are inline: initialise now, not on the next tick.
  initAsync: false,
  // React escapes what it renders; escaping here too would show customer
  // names such as `Tom & Jerry` as `Tom &amp; Jerry`.
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});

function markDocument(lang: string) {
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}
markDocument(i18n.language);
i18n.on("languageChanged", markDocument);

/** The language the window is shown in now. */
export function currentLanguage(): Language {
  const lang = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(lang) ? lang : "en";
}

/** Loads `lang`'s texts unless they are loaded already. */
export async function loadLanguage(lang: Language): Promise<void> {
  if (lang === "en" || i18n.hasResourceBundle(lang, "translation")) return;
  const texts = await LOADERS[lang]();
  i18n.addResourceBundle(lang, "translation", texts);
}

/** The language asked for last: a slower load of an earlier choice must not win. */
let wanted: Language | null = null;

/**
 * Switches every text in the window to `lang` (loading its texts first);
 * mounted components re-render. Should the texts not load, the window
 * stays in the language it shows and the promise rejects. When another
 * language is asked for while this one loads, the later choice stands.
 */
export async function setLanguage(lang: Language): Promise<void> {
  wanted = lang;
  await loadLanguage(lang);
  if (wanted !== lang) return;
  await i18n.changeLanguage(lang);
}

/** The window in the system's language: resolves when it is shown (English if its texts cannot load). */
export const ready: Promise<void> = setLanguage(detectLanguage()).catch(() => undefined);

/**
 * The locale for dates, times and numbers: the system's own (e.g. `en-GB`
 * for a 24-hour clock) when it is in the window's language, else the
 * window's language.
 */
export function formatLocale(): string {
  const lang = currentLanguage();
  const system = typeof navigator === "undefined" ? undefined : navigator.language;
  if (system && system.split(/[-_]/)[0]?.toLowerCase() === lang) {
    try {
      return Intl.getCanonicalLocales(system)[0] ?? lang;
    } catch {
      return lang;
    }
  }
  return lang;
}

export { useTranslation } from "react-i18next";
export type { TFunction } from "i18next";
