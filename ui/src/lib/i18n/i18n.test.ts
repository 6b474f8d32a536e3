import { afterEach, describe, expect, it, vi } from "vitest";
import { serviceWindow, shortLabel, longLabel } from "../window";
import { fixedDecimals } from "../format/number";
import { en } from "./en";
import { es } from "./es";
import { ru } from "./ru";
import { currentLanguage, detectLanguage, formatLocale, i18n, LANGUAGES, setLanguage, type Language } from ".";

afterEach(async () => {
  vi.restoreAllMocks();
  await setLanguage("en");
});

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf as `a.b.c` → text. */
function flatten(tree: object, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "object" && value !== null) {
      for (const [k, v] of flatten(value, path)) out.set(k, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

/** `{{name}}` (i18next's) and `{code}` (the core's) placeholders in a text. */
function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|\{(\w+)\}/g)].map((m) => m[1] ?? m[2] ?? "").sort();
}

const RESOURCES: Record<Language, object> = { en, ru, es };
const flat = {
  en: flatten(en),
  ru: flatten(ru),
  es: flatten(es),
};

describe("resources", () => {
  it("list every language the window offers", () => {
    expect(LANGUAGES).toEqual([
      { code: "en", label: "English" },
      { code: "ru", label: "Русский" },
      { code: "es", label: "Español" },
    ]);
    expect(Object.keys(RESOURCES).sort()).toEqual(LANGUAGES.map((l) => l.code).sort());
  });

  for (const lang of ["ru", "es"] as const) {
    it(`${lang} has exactly the keys of en (plural forms as its language needs)`, () => {
      const plain = (keys: Iterable<string>) => [...keys].filter((k) => !PLURAL.test(k)).sort();
      expect(plain(flat[lang].keys())).toEqual(plain(flat.en.keys()));

      // A counted text has exactly the plural forms CLDR gives the language.
      const counted = (l: Language) => {
        const bases = new Map<string, string[]>();
        for (const key of flat[l].keys()) {
          const m = PLURAL.exec(key);
          if (!m) continue;
          const base = key.slice(0, m.index);
          bases.set(base, [...(bases.get(base) ?? []), m[1]!].sort());
        }
        return bases;
      };
      const enBases = counted("en");
      const langBases = counted(lang);
      expect([...langBases.keys()].sort()).toEqual([...enBases.keys()].sort());
      const forms = (l: Language) => [...new Intl.PluralRules(l).resolvedOptions().pluralCategories].sort();
      for (const [base, found] of enBases) expect(found, `en ${base}`).toEqual(forms("en"));
      for (const [base, found] of langBases) expect(found, `${lang} ${base}`).toEqual(forms(lang));
    });

    it(`${lang} has no empty text and keeps every placeholder of en`, () => {
      for (const [key, text] of flat[lang]) {
        expect(typeof text, key).toBe("string");
        expect((text as string).trim(), key).not.toBe("");
        const source = flat.en.get(key) ?? flat.en.get(key.replace(PLURAL, "_other"));
        expect(source, `${key} has an English source`).toBeTypeOf("string");
        expect(placeholders(text as string), key).toEqual(placeholders(source as string));
      }
    });
  }

  it("en has no empty text", () => {
    for (const [key, text] of flat.en) {
      expect(typeof text, key).toBe("string");
      expect((text as string).trim(), key).not.toBe("");
    }
  });
});

describe("plurals", () => {
  it("picks Russian's one, few and many forms", async () => {
    await setLanguage("ru");
    const unread = (count: number) => i18n.t("conversations.unread", { count });
    expect(unread(1)).toBe("1 непрочитанное сообщение");
    expect(unread(3)).toBe("3 непрочитанных сообщения");
    expect(unread(5)).toBe("5 непрочитанных сообщений");
    expect(unread(21)).toBe("21 непрочитанное сообщение");
    expect(unread(11)).toBe("11 непрочитанных сообщений");
    const items = (count: number) => i18n.t("message.orderItems", { count });
    expect([1, 3, 5, 21].map(items)).toEqual(["1 товар", "3 товара", "5 товаров", "21 товар"]);
  });

  it("picks English's and Spanish's one and other forms", async () => {
    const items = (count: number) => i18n.t("message.orderItems", { count });
    expect([1, 3, 5, 21].map(items)).toEqual(["1 item", "3 items", "5 items", "21 items"]);
    await setLanguage("es");
    expect([1, 3, 21].map(items)).toEqual(["1 artículo", "3 artículos", "21 artículos"]);
  });
});

describe("language", () => {
  it("follows the system's language when Hourglass speaks it, else English", () => {
    const language = vi.spyOn(navigator, "language", "get");
    for (const [system, expected] of [
      ["ru-RU", "ru"],
      ["ru", "ru"],
      ["es-419", "es"],
      ["ES", "es"],
      ["en-GB", "en"],
      ["de-DE", "en"],
      ["", "en"],
    ] as const) {
      language.mockReturnValue(system);
      expect(detectLanguage(), system).toBe(expected);
    }
  });

  it("starts in English under test, where the system says en-US", () => {
    expect(navigator.language).toBe("en-US");
    expect(currentLanguage()).toBe("en");
    expect(i18n.t("window.closed")).toBe("Closed");
  });

  it("switches every text and the document's language", async () => {
    await setLanguage("ru");
    expect(currentLanguage()).toBe("ru");
    expect(document.documentElement.lang).toBe("ru");
    expect(i18n.t("window.closed")).toBe("Закрыто");
    await setLanguage("es");
    expect(document.documentElement.lang).toBe("es");
    expect(i18n.t("window.closed")).toBe("Cerrada");
    await setLanguage("en");
    expect(document.documentElement.lang).toBe("en");
    expect(i18n.t("window.closed")).toBe("Closed");
  });

  it("formats dates in the system's locale when it is the window's language", async () => {
    const language = vi.spyOn(navigator, "language", "get");
    language.mockReturnValue("en-GB");
    expect(formatLocale()).toBe("en-GB");
    await setLanguage("ru");
    expect(formatLocale()).toBe("ru");
    language.mockReturnValue("ru-RU");
    expect(formatLocale()).toBe("ru-RU");
    language.mockReturnValue("not a locale");
    expect(formatLocale()).toBe("ru");
  });

  it("formats decimals by the language", async () => {
    expect(fixedDecimals(0.0125, 3)).toBe((0.0125).toFixed(3));
    expect(fixedDecimals(1234.5, 3)).toBe("1234.500");
    await setLanguage("ru");
    expect(fixedDecimals(1234.5, 3)).toBe("1234,500");
    await setLanguage("es");
    expect(fixedDecimals(0.025, 3)).toBe("0,025");
  });
});

describe("interpolation", () => {
  it("leaves customer text as it is: no HTML escaping, no second pass", () => {
    const name = `<b>Tom & "Jerry"</b> {{count}} $t(common.close)`;
    expect(i18n.t("chat.label", { name })).toBe(`Chat with ${name}`);
    expect(i18n.t("templates.slotHeaderText", { variable: "{{1}}" })).toBe("Header {{1}}");
  });
});

describe("countdown labels", () => {
  const T = 1_750_000_000;
  const H = 3600;
  const labels = () => [
    shortLabel(serviceWindow(T, T + 48 * 60), T + 48 * 60),
    shortLabel(serviceWindow(T, T + 24 * H - 47 * 60), T + 24 * H - 47 * 60),
    shortLabel(serviceWindow(T, T + 24 * H - 20), T + 24 * H - 20),
    shortLabel(serviceWindow(T, T + 25 * H), T + 25 * H),
    shortLabel(serviceWindow(null, T), T),
    longLabel(serviceWindow(T, T + 24 * H - 305), T + 24 * H - 305),
  ];

  it("keep their English form", () => {
    expect(labels()).toEqual(["23h 12m", "47m", "<1m", "Closed", "No window", "5m 05s"]);
  });

  it("are translated", async () => {
    await setLanguage("ru");
    expect(labels()).toEqual(["23 ч 12 мин", "47 мин", "<1 мин", "Закрыто", "Нет окна", "5 мин 05 с"]);
    await setLanguage("es");
    expect(labels()).toEqual(["23 h 12 min", "47 min", "<1 min", "Cerrada", "Sin ventana", "5 min 05 s"]);
  });
});
