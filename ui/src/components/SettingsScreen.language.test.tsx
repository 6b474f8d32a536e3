// The language switch in Settings: a language's texts load when it is
// chosen; should they not load, the window says so and stays as it is.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { currentLanguage, setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend, mockWindows, preferenceCall } from "../lib/ipc/testing";
import { SettingsScreen } from "./SettingsScreen";

let saved: unknown[] = [];
const NO_RATE = { marketing: 0, utility: 0, authentication: 0, service: 0 };
const RATES = { currency: "EUR", source: "test rates", countries: {}, other: NO_RATE, service_free_per_month: 0 };

beforeEach(() => {
  mockWindows("main");
  saved = [];
  mockBackend((cmd, args) => {
    const preference = preferenceCall(cmd, args);
    if (cmd === "set_preference" && preference?.key === "language") {
      saved.push(preference.value);
      return preference;
    }
    // What the other sections of Settings read when they show.
    if (preference?.key === "rate_table") return { key: "rate_table", value: RATES };
    if (preference?.key === "lead_pattern") {
      return { key: "lead_pattern", value: { pattern: "", is_default: true, default_pattern: "" } };
    }
    if (cmd.startsWith("list_")) return [];
    return undefined;
  });
});
afterEach(async () => {
  vi.doUnmock("../lib/i18n/ru");
  cleanup();
  clearMocks();
  await setLanguage("en");
});

function show() {
  render(<SettingsScreen session={null} onSession={() => undefined} onClose={() => undefined} />);
  return screen.getByTestId("settings-language") as HTMLSelectElement;
}

describe("Settings → Language", () => {
  it("loads the chosen language and shows the window in it", async () => {
    const select = show();
    expect(screen.getByRole("heading", { name: "Language" })).toBeTruthy();
    fireEvent.change(select, { target: { value: "es" } });
    // Loading a language's chunk may take a while on a busy machine.
    expect(await screen.findByRole("heading", { name: "Idioma" }, { timeout: 15_000 })).toBeTruthy();
    expect(currentLanguage()).toBe("es");
    expect(select.value).toBe("es");
    expect(saved).toEqual(["es"]);
  });

  it("says so and stays in its language when the texts cannot load", async () => {
    vi.doMock("../lib/i18n/ru", () => {
      throw new Error("the chunk is missing");
    });
    const select = show();
    fireEvent.change(select, { target: { value: "ru" } });
    expect(
      await screen.findByText(
        "The texts of this language could not be loaded. The window stays in the language it shows.",
        {},
        { timeout: 15_000 },
      ),
    ).toBeTruthy();
    await waitFor(() => expect(select.value).toBe("en"));
    expect(currentLanguage()).toBe("en");
    expect(screen.getByRole("heading", { name: "Language" })).toBeTruthy();
  });
});
