// Russian and Spanish are loaded the first time the window is shown in them;
// English is there from the start.
import { afterEach, describe, expect, it, vi } from "vitest";
import { currentLanguage, i18n, loadLanguage, setLanguage } from ".";

afterEach(async () => {
  vi.doUnmock("./ru");
  await setLanguage("en");
  // Each test starts from a window that has loaded only English.
  i18n.removeResourceBundle("ru", "translation");
  i18n.removeResourceBundle("es", "translation");
});

describe("languages loaded on demand", () => {
  it("has only English until another language is asked for", async () => {
    expect(i18n.hasResourceBundle("en", "translation")).toBe(true);
    expect(i18n.hasResourceBundle("ru", "translation")).toBe(false);
    expect(i18n.hasResourceBundle("es", "translation")).toBe(false);
    expect(i18n.t("common.close")).toBe("Close");
  });

  it("loads Spanish when the window switches to it, and only Spanish", async () => {
    await setLanguage("es");
    expect(currentLanguage()).toBe("es");
    expect(i18n.hasResourceBundle("es", "translation")).toBe(true);
    expect(i18n.hasResourceBundle("ru", "translation")).toBe(false);
    expect(i18n.t("common.close")).toBe("Cerrar");
    // Problems from Rust are worded in the loaded language too.
    expect(i18n.t("errors.snooze_too_long")).toBe("Una pausa dura como máximo un año.");
    // So are the areas' texts, each kept in a file per language.
    expect(i18n.t("calls.missed")).toBe("Llamada perdida");
    await setLanguage("en");
    expect(i18n.t("common.close")).toBe("Close");
    // Back again: the texts are kept, not loaded twice.
    await setLanguage("es");
    expect(i18n.t("common.close")).toBe("Cerrar");
  });

  it("shows the language chosen last, even when an earlier choice loads later", async () => {
    vi.doMock("./ru", async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return vi.importActual("./ru");
    });
    const first = setLanguage("ru");
    const second = setLanguage("es");
    await Promise.all([first, second]);
    expect(i18n.hasResourceBundle("ru", "translation")).toBe(true);
    expect(currentLanguage()).toBe("es");
    expect(i18n.t("common.close")).toBe("Cerrar");
  });

  it("stays in the language it shows when a language cannot load", async () => {
    vi.doMock("./ru", () => {
      throw new Error("the chunk is missing");
    });
    await expect(setLanguage("ru")).rejects.toThrow();
    expect(currentLanguage()).toBe("en");
    expect(i18n.t("common.close")).toBe("Close");
    vi.doUnmock("./ru");
    await loadLanguage("ru");
    expect(i18n.hasResourceBundle("ru", "translation")).toBe(true);
    await setLanguage("ru");
    expect(i18n.t("common.close")).toBe("Закрыть");
  });
});
