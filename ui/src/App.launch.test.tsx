import { act, cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { LaunchNotice } from "./bindings/LaunchNotice";
import { setLanguage } from "./lib/i18n";
import { clearMocks, emit, mockBackend, mockWindows } from "./lib/ipc/testing";

const ana: ConversationSummary = {
  id: 7,
  contact: { id: 7, phone: "+34612345678", user_id: null, name: null },
  display_name: "+34612345678",
  phone_number_id: "pn",
  last_preview: null,
  last_direction: null,
  last_sent_by: null,
  last_activity_at: null,
  last_inbound_at: null,
  unread_count: 0,
  lead: null,
} as unknown as ConversationSummary;

beforeEach(() => mockWindows("main"));
afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

/** A backend whose shell holds `notices`, handed out one per take. */
function backend(notices: (LaunchNotice | null)[], tray: unknown[] = []) {
  mockBackend((cmd, args) => {
    if (cmd === "take_launch_notice") return notices.shift() ?? null;
    if (cmd === "set_tray_texts") {
      tray.push(args?.texts);
      return null;
    }
    if (cmd === "list_conversations") return [ana];
    if (cmd === "list_messages") return { messages: [], has_older: false, has_newer: false };
    return undefined;
  });
}

describe("links and second launches", () => {
  it("open the conversation the shell names, also when it was handled before the window loaded", async () => {
    backend([{ open: 7, problem: null }]);
    render(<App />);
    expect((await screen.findByTestId("chat-title")).textContent).toBe("+34612345678");
  });

  it("word a refused link in the window's language, from its code", async () => {
    await setLanguage("es");
    const notices: (LaunchNotice | null)[] = [null];
    backend(notices);
    render(<App />);
    await screen.findByTestId("conversation-list");
    notices.push({ open: null, problem: { code: "link_phone_invalid", detail: "abc" } });
    await act(() => emit("launch-notice", null));
    const banner = await screen.findByTestId("launch-problem");
    expect(banner.dataset.code).toBe("link_phone_invalid");
    expect(banner.textContent).toContain("«abc» en el enlace no es un número de teléfono.");
    fireEvent.click(screen.getByText("Cerrar"));
    expect(screen.queryByTestId("launch-problem")).toBeNull();
  });

  it("give the tray its words in the window's language", async () => {
    const tray: unknown[] = [];
    backend([], tray);
    render(<App />);
    await waitFor(() => expect(tray[0]).toEqual({ open: "Open Hourglass", do_not_disturb: "Do not disturb", quit: "Quit Hourglass" }));
    await act(() => setLanguage("ru"));
    await waitFor(() =>
      expect(tray.at(-1)).toEqual({ open: "Открыть Hourglass", do_not_disturb: "Не беспокоить", quit: "Выйти из Hourglass" }),
    );
  });
});
