// Conversation status in the window: the list's Open / Snoozed / Resolved
// views, the chat header's actions and shortcuts, and the timeline's lines.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import type { ConversationStatusRow } from "./bindings/ConversationStatusRow";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { ConversationTeam } from "./bindings/ConversationTeam";
import type { StatusChange } from "./bindings/StatusChange";
import { effectiveStatus, snoozeTimes, viewOf } from "./components/StatusControl";
import { setLanguage } from "./lib/i18n";
import { clearMocks, emit, mockBackend, mockWindows, UNCONFIGURED } from "./lib/ipc/testing";

const NOW = Math.floor(Date.now() / 1000);

function conv(id: number): ConversationSummary {
  return {
    id,
    contact: { id, phone: `+3460000000${id}`, user_id: null, name: `Customer ${id}` },
    display_name: `Customer ${id}`,
    phone_number_id: "pn",
    last_preview: `message ${id}`,
    last_direction: "inbound",
    last_sent_by: null,
    last_activity_at: 2_000_000_000 - id,
    last_inbound_at: NOW - 60,
    unread_count: 0,
    lead: null,
  };
}

function change(status: StatusChange["status"], by: string | null, atMs: number, snoozeUntil: number | null = null): StatusChange {
  return { status, by, at_ms: atMs, snooze_until: snoozeUntil };
}

let statuses: ConversationStatusRow[] = [];
let history: StatusChange[] = [];
let set: Record<string, unknown>[] = [];

function team(): ConversationTeam {
  return { key: { customer: "+34600000001", phone_number_id: "pn" }, assignee: null, notes: [], labels: [], status: history, handovers: [] };
}

function backend() {
  set = [];
  mockBackend((cmd, args) => {
    if (cmd === "get_session") return { ...UNCONFIGURED, mode: "demo" };
    if (cmd === "list_conversations") return [1, 2, 3, 4, 5].map(conv);
    if (cmd === "list_messages") return { messages: [], has_older: false, has_newer: false };
    if (cmd === "list_statuses") return statuses;
    if (cmd === "get_conversation_team") return team();
    if (cmd === "list_templates") return [];
    if (cmd === "set_conversation_status") {
      set.push(args!);
      history = [...history, change(args!.status as StatusChange["status"], "maria", Date.now(), (args!.snoozeUntil as number | null) ?? null)];
      return team();
    }
    return undefined;
  });
}

beforeEach(() => {
  mockWindows("main");
  statuses = [];
  history = [];
});
afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

const names = () => within(screen.getByTestId("conversation-list")).getAllByTestId("conversation-name").map((n) => n.textContent);

function key(k: string) {
  fireEvent.keyDown(document.activeElement ?? document.body, { key: k, code: `Key${k.toUpperCase()}` });
}

describe("status", () => {
  it("is decided at read time: a snooze whose time passed is open; pending shows in Open", () => {
    expect(effectiveStatus(undefined, NOW)).toBe("open");
    expect(effectiveStatus(change("snoozed", "ana", 0, NOW + 1), NOW)).toBe("snoozed");
    expect(effectiveStatus(change("snoozed", "ana", 0, NOW), NOW)).toBe("open");
    expect(effectiveStatus(change("snoozed", "ana", 0, null), NOW + 1e9)).toBe("snoozed");
    expect(viewOf("pending")).toBe("open");
    expect(viewOf("resolved")).toBe("resolved");
  });

  it("offers a snooze of an hour and one until 9:00 tomorrow, local time", () => {
    const now = new Date(2026, 2, 3, 22, 15, 0);
    const times = snoozeTimes(now);
    expect(times.hour - now.getTime() / 1000).toBe(3600);
    const tomorrow = new Date(times.tomorrow * 1000);
    expect([tomorrow.getDate(), tomorrow.getHours(), tomorrow.getMinutes()]).toEqual([4, 9, 0]);
  });

  it("shows Open by default, and Snoozed and Resolved on their own, with counts", async () => {
    statuses = [
      { conversation_id: 2, change: change("resolved", "maria", 0) },
      { conversation_id: 3, change: change("snoozed", "maria", 0, NOW + 3600) },
      { conversation_id: 4, change: change("pending", "ivan", 0) },
      // Its snooze ended a minute ago: open again.
      { conversation_id: 5, change: change("snoozed", "ivan", 0, NOW - 60) },
    ];
    backend();
    render(<App />);
    await screen.findByTestId("demo-badge");
    await waitFor(() => expect(names()).toEqual(["Customer 1", "Customer 4", "Customer 5"]));
    expect(screen.getByTestId("filter-open").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("filter-open").dataset.count).toBe("3");
    expect(screen.getByTestId("filter-snoozed").dataset.count).toBe("1");
    expect(screen.getByTestId("filter-resolved").dataset.count).toBe("1");
    const pendings = within(screen.getByTestId("conversation-list")).getAllByTestId("conversation-pending");
    expect(pendings).toHaveLength(1);
    expect(pendings[0]!.closest("[data-conversation-id]")?.getAttribute("data-conversation-id")).toBe("4");

    fireEvent.click(screen.getByTestId("filter-resolved"));
    expect(names()).toEqual(["Customer 2"]);
    fireEvent.click(screen.getByTestId("filter-snoozed"));
    expect(names()).toEqual(["Customer 3"]);

    // A colleague's change arrives through the sync: the lists follow.
    statuses = [];
    await act(async () => {
      await emit("sync-update", { type: "inbox", conversations: [], messages: [], cursor: 9 });
    });
    await waitFor(() => expect(screen.getByTestId("filter-snoozed").dataset.count).toBe("0"));
    expect(screen.getByTestId("filter-empty")).toBeTruthy();
  });

  it("resolves, snoozes and reopens from the header and the keyboard, each with its timeline line", async () => {
    backend();
    render(<App />);
    fireEvent.click((await screen.findAllByTestId("conversation-item"))[0]!);
    const chip = await screen.findByTestId("conversation-status");
    await waitFor(() => expect(screen.getByTestId("status-resolve").hasAttribute("disabled")).toBe(false));
    expect(chip.dataset.status).toBe("open");
    expect(screen.queryByTestId("status-reopen")).toBeNull();

    act(() => (document.activeElement as HTMLElement | null)?.blur());
    key("e");
    await waitFor(() => expect(screen.getByTestId("conversation-status").dataset.status).toBe("resolved"));
    expect(set[0]).toMatchObject({ conversationId: 1, status: "resolved", snoozeUntil: null });
    const line = screen.getByTestId("status-line");
    expect(line.textContent).toMatch(/^maria resolved this conversation · \d{1,2}:\d{2}/);
    expect(screen.queryByTestId("status-resolve")).toBeNull();

    fireEvent.click(screen.getByTestId("status-reopen"));
    await waitFor(() => expect(screen.getByTestId("conversation-status").dataset.status).toBe("open"));
    expect(set[1]).toMatchObject({ status: "open" });

    act(() => (document.activeElement as HTMLElement | null)?.blur());
    key("z");
    fireEvent.click(await screen.findByTestId("snooze-reply"));
    await waitFor(() => expect(screen.getByTestId("conversation-status").dataset.status).toBe("snoozed"));
    expect(set[2]).toMatchObject({ status: "snoozed", snoozeUntil: null });
    expect(screen.getByTestId("conversation-status").textContent).toBe("Snoozed until the customer writes");

    act(() => (document.activeElement as HTMLElement | null)?.blur());
    key("u");
    await waitFor(() => expect(set).toHaveLength(4));
    expect(set[3]).toMatchObject({ status: "open" });
    // The line comes with the command's answer, a moment after the call.
    await waitFor(() =>
      expect(screen.getAllByTestId("status-line").map((l) => l.dataset.status)).toEqual(["resolved", "open", "snoozed", "open"]),
    );
  });

  it("words the timeline in the window's language, and names the customer's reopening", async () => {
    history = [change("resolved", "maria", Date.now() - 60_000), change("open", null, Date.now())];
    backend();
    await setLanguage("ru");
    render(<App />);
    fireEvent.click((await screen.findAllByTestId("conversation-item"))[0]!);
    await waitFor(() => expect(screen.getAllByTestId("status-line")).toHaveLength(2));
    const [resolved, reopened] = screen.getAllByTestId("status-line");
    expect(resolved!.textContent).toMatch(/^maria отметил\(а\) разговор решённым · /);
    expect(reopened!.textContent).toMatch(/^Клиент написал: разговор снова открыт · /);
    expect(screen.getByTestId("conversation-status").textContent).toBe("Открыт");
    await setLanguage("es");
    await waitFor(() => expect(screen.getAllByTestId("status-line")[0]!.textContent).toMatch(/^maria resolvió esta conversación · /));
  });
});
