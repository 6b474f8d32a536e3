import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../App";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import { ClockProvider } from "../lib/clock";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { WindowCountdown } from "./WindowCountdown";

const NOW = 1_800_000_000;

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: false });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
});

describe("WindowCountdown", () => {
  it("counts down live and flips to Closed by itself", () => {
    render(
      <ClockProvider>
        <WindowCountdown lastInboundAt={NOW - 24 * 3600 + 3} variant="header" />
      </ClockProvider>,
    );
    const el = screen.getByTestId("window-countdown");
    expect(el.dataset.state).toBe("closing");
    expect(el.textContent).toContain("0m 03s");
    expect(el.title).toContain("Free text until");
    act(() => vi.advanceTimersByTime(3000));
    expect(el.dataset.state).toBe("closed");
    expect(el.textContent).toContain("Closed");
    expect(el.title).toContain("Only approved templates");
  });
});

function conv(id: number, name: string, lastInboundAt: number): ConversationSummary {
  return {
    id,
    contact: { id, phone: `+3461234567${id}`, user_id: null, name },
    display_name: name,
    phone_number_id: "pn",
    last_preview: "hi",
    last_direction: "inbound",
    last_sent_by: null,
    last_activity_at: lastInboundAt,
    last_inbound_at: lastInboundAt,
    unread_count: 0,
    lead: null,
  };
}

describe("Closing soon filter", () => {
  it("shows only windows with less than an hour left, and updates as time passes", async () => {
    mockWindows("main");
    mockBackend((cmd) => {
      if (cmd === "list_conversations") {
        return [
          conv(1, "Open", NOW - 3600),
          conv(2, "Closing", NOW - 23 * 3600 - 1800),
          conv(3, "Closed", NOW - 25 * 3600),
          conv(4, "Soon closing", NOW - 23 * 3600 + 30),
        ];
      }
      return [];
    });
    render(<App />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    const states = screen.getAllByTestId("window-countdown").map((e) => e.dataset.state);
    expect(states).toEqual(["open", "closing", "closed", "open"]);
    fireEvent.click(screen.getByTestId("filter-closing"));
    const names = () =>
      within(screen.getByTestId("conversation-list"))
        .getAllByTestId("conversation-name")
        .map((n) => n.textContent);
    expect(names()).toEqual(["Closing"]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(31_000);
    });
    expect(names()).toEqual(["Closing", "Soon closing"]);
  });
});
