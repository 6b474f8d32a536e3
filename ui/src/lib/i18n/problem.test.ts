// Problems from the Rust side are worded by the window from their code and
// values, in its language; Rust's English is only the fallback.
import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "./index";
import { errorText, problemText } from "./problem";
import { CommandError } from "../ipc";
import { errorsEn, osEn, reasonsEn } from "./errors";
import { errorsEs, osEs, reasonsEs } from "./errors.es";
import { errorsRu, osRu, reasonsRu } from "./errors.ru";

const errorTexts = { en: errorsEn, ru: errorsRu, es: errorsEs };
const reasonTexts = { en: reasonsEn, ru: reasonsRu, es: reasonsEs };

afterEach(async () => {
  await setLanguage("en");
});

describe("problemText", () => {
  it("fills in the values in the window's language", async () => {
    const problem = {
      code: "relay_unreachable" as const,
      params: { host: "relay.example.org", detail: "connection refused" },
      message: "Could not reach the relay at relay.example.org (connection refused).",
    };
    expect(problemText(problem)).toContain("relay.example.org (connection refused)");
    await setLanguage("ru");
    expect(problemText(problem)).toBe(
      "Не удалось связаться с ретранслятором на relay.example.org (connection refused). Проверьте адрес, что ретранслятор запущен и что файрвол его не блокирует.",
    );
    await setLanguage("es");
    expect(problemText(problem)).toMatch(/^No se pudo contactar con el relay en relay\.example\.org \(connection refused\)/);
  });

  it("leaves out an empty detail rather than showing ()", async () => {
    await setLanguage("es");
    expect(problemText({ code: "demo_failed", params: {}, message: "x" })).toBe("No se pudo iniciar la demo.");
  });

  it("falls back to Rust's message for a code this window does not know", () => {
    const newer = { code: "some_future_code", params: {}, message: "Something new went wrong." };
    expect(problemText(newer as unknown as Parameters<typeof problemText>[0])).toBe("Something new went wrong.");
  });

  it("words a failed command and keeps other errors as they are", async () => {
    await setLanguage("ru");
    const err = new CommandError({ code: "window_closed", params: {}, message: "The customer has not written…" });
    expect(errorText(err)).toMatch(/^Клиент не писал последние 24 часа/);
    expect(errorText(new Error("plain"))).toBe("plain");
    expect(errorText("text")).toBe("text");
  });

  it("has every code worded in every language, with the same values", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const code of Object.keys(errorTexts.en) as (keyof typeof errorTexts.en)[]) {
      for (const lang of ["ru", "es"] as const) {
        expect(errorTexts[lang][code], `${lang} ${code}`).toBeTruthy();
        expect(placeholders(errorTexts[lang][code]), `${lang} ${code}`).toEqual(placeholders(errorTexts.en[code]));
      }
    }
  });

  it("words a refused input's reason in the window's language, with its values", async () => {
    const problem = {
      code: "contact_invalid" as const,
      params: { reason: "value_too_long", label: "Order", max: "200", detail: "Order: up to 200 characters." },
      message: "Order: up to 200 characters.",
    };
    expect(problemText(problem)).toBe("This cannot be saved for the contact: Order: up to 200 characters");
    await setLanguage("ru");
    expect(problemText(problem)).toBe("Это нельзя сохранить в контакте: Order: не больше 200 символов");
    await setLanguage("es");
    expect(problemText({ code: "report_range_invalid", params: { reason: "too_many_days", days: "400", max: "366" }, message: "x" })).toBe(
      "El informe no puede abarcar estas fechas: 400 días es más de lo que abarca un informe (366)",
    );
  });

  it("keeps Rust's English for a reason this window does not know", async () => {
    await setLanguage("ru");
    const newer = { code: "text_invalid" as const, params: { reason: "some_future_reason", detail: "it is odd" }, message: "x" };
    expect(problemText(newer)).toBe("Это сообщение нельзя отправить: it is odd. Исправьте его и отправьте снова.");
  });

  it("has every reason worded in every language, with the same values", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    for (const reason of Object.keys(reasonTexts.en) as (keyof typeof reasonTexts.en)[]) {
      for (const lang of ["ru", "es"] as const) {
        expect(reasonTexts[lang][reason], `${lang} ${reason}`).toBeTruthy();
        expect(placeholders(reasonTexts[lang][reason]), `${lang} ${reason}`).toEqual(placeholders(reasonTexts.en[reason]));
      }
    }
  });

  it("words Meta's refusal by its kind, with Meta's code, instead of Meta's English", async () => {
    const undeliverable = {
      code: "graph_undeliverable" as const,
      params: { meta_code: "131026", detail: "Message undeliverable", refusal: "undeliverable" },
      message: "x",
    };
    await setLanguage("es");
    const es = problemText(undeliverable);
    expect(es).toContain("(error de WhatsApp 131026)");
    expect(es).toContain("WhatsApp no pudo entregar");
    expect(es).not.toContain("Message undeliverable");
    await setLanguage("ru");
    expect(problemText(undeliverable)).toContain("(ошибка WhatsApp 131026)");
    // A code Hourglass does not know keeps Meta's words, in the window's frame.
    const unknown = { code: "graph_unknown_error" as const, params: { meta_code: "199999", detail: "Something new" }, message: "x" };
    expect(problemText(unknown)).toContain("(199999): Something new");
    // A problem whose own wording says it all is not replaced.
    const closed = { code: "graph_window_closed" as const, params: { meta_code: "131047", detail: "Re-engagement message", refusal: "window_closed" }, message: "x" };
    expect(problemText(closed)).not.toContain("Re-engagement message");
    expect(problemText(closed)).toContain("131047");
  });

  it("words the system's failure by its kind and keeps its words for a kind it does not know", async () => {
    const denied = { code: "attachment_io" as const, params: { detail: "Permission denied (os error 13)", os: "permission_denied" }, message: "x" };
    await setLanguage("ru");
    expect(problemText(denied)).toBe(
      "Не удалось сохранить прикреплённый файл на этом компьютере (учётной записи этого компьютера нельзя пользоваться этим файлом или папкой).",
    );
    const odd = { code: "attachment_io" as const, params: { detail: "the disk caught fire", os: "some_future_kind" }, message: "x" };
    expect(problemText(odd)).toContain("(the disk caught fire)");
  });

  it("has every kind of the system's failure worded in every language", () => {
    for (const kind of Object.keys(osEn) as (keyof typeof osEn)[]) {
      expect(osRu[kind], kind).toBeTruthy();
      expect(osEs[kind], kind).toBeTruthy();
    }
  });
});
