import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { DesktopSettingsSection } from "./DesktopSettings";

beforeEach(() => mockWindows("main"));
afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

describe("Settings → Desktop", () => {
  it("turns each setting on through the shell and shows what the shell answers", async () => {
    const saved: unknown[] = [];
    mockBackend((cmd, args) => {
      if (cmd === "get_desktop_settings") return { start_at_login: false, close_to_tray: false };
      if (cmd === "set_desktop_settings") {
        saved.push(args?.settings);
        return args?.settings;
      }
      return undefined;
    });
    render(<DesktopSettingsSection />);
    const tray = (await screen.findByTestId("setting-close-to-tray")) as HTMLInputElement;
    expect(tray.checked).toBe(false);
    fireEvent.click(tray);
    await waitFor(() => expect(tray.checked).toBe(true));
    expect(saved).toEqual([{ start_at_login: false, close_to_tray: true }]);
  });

  it("words a refused change in the window's language", async () => {
    await setLanguage("ru");
    mockBackend((cmd) => {
      if (cmd === "get_desktop_settings") return { start_at_login: false, close_to_tray: false };
      if (cmd === "set_desktop_settings") throw { code: "autostart_failed", params: { detail: "read-only home" }, message: "read-only home" };
      return undefined;
    });
    render(<DesktopSettingsSection />);
    fireEvent.click(await screen.findByTestId("setting-start-at-login"));
    expect((await screen.findByTestId("desktop-settings-error")).textContent).toBe(
      "Не удалось изменить запуск при входе в систему (read-only home).",
    );
  });

  it("has the shell copy the diagnostics, and says whether it could", async () => {
    let copies = 0;
    let fail = false;
    mockBackend((cmd) => {
      if (cmd === "get_desktop_settings") return { start_at_login: false, close_to_tray: false };
      if (cmd === "copy_diagnostics") {
        copies += 1;
        if (fail) throw { code: "clipboard_failed", message: "no clipboard" };
        return null;
      }
      return undefined;
    });
    render(<DesktopSettingsSection />);
    fireEvent.click(screen.getByTestId("copy-diagnostics"));
    await waitFor(() => expect(screen.getByTestId("diagnostics-status").dataset.state).toBe("copied"));
    expect(screen.getByTestId("diagnostics-status").textContent).toBe("Diagnostics copied to the clipboard.");
    fail = true;
    fireEvent.click(screen.getByTestId("copy-diagnostics"));
    await waitFor(() => expect(screen.getByTestId("diagnostics-status").dataset.state).toBe("failed"));
    expect(copies).toBe(2);
  });
});
