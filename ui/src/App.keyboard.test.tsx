// The inbox without a mouse: the key map at work in the real components.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "./App";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { SearchResults } from "./bindings/SearchResults";
import { setLanguage } from "./lib/i18n";
import { clearMocks, mockBackend, mockWindows, UNCONFIGURED } from "./lib/ipc/testing";

const NOW = Math.floor(Date.now() / 1000);

function conv(id: number, lastInboundAt = NOW - 3600): ConversationSummary {
  return {
    id,
    contact: { id, phone: `+3460000${String(id).padStart(4, "0")}`, user_id: null, name: `Customer ${id}` },
    display_name: `Customer ${id}`,
    phone_number_id: "pn",
    last_preview: `message ${id}`,
    last_direction: "inbound",
    last_sent_by: null,
    last_activity_at: 2_000_000_000 - id,
    last_inbound_at: lastInboundAt,
    unread_count: 0,
    lead: id % 2 === 0 ? { source: { kind: "partner_code", code: `P${id}` }, at: NOW - 3600, first_reply_at: null } : null,
  };
}

// jsdom does no layout or scrolling. The list's virtualiser brings the
// cursor's row into view with `scrollTo`, up to the scroller's
// `scrollHeight`: make them behave (the scroller's content is the list,
// as tall as its inline height).
const saved = {
  scrollIntoView: Object.getOwnPropertyDescriptor(Element.prototype, "scrollIntoView"),
  scrollTo: Object.getOwnPropertyDescriptor(Element.prototype, "scrollTo"),
  scrollHeight: Object.getOwnPropertyDescriptor(Element.prototype, "scrollHeight"),
};
beforeAll(() => {
  Object.defineProperty(Element.prototype, "scrollIntoView", { configurable: true, value: () => undefined });
  Object.defineProperty(Element.prototype, "scrollTo", {
    configurable: true,
    value: function (this: Element, options?: ScrollToOptions) {
      if (options?.top !== undefined) this.scrollTop = options.top;
      this.dispatchEvent(new Event("scroll"));
    },
  });
  Object.defineProperty(Element.prototype, "scrollHeight", {
    configurable: true,
    get(this: Element) {
      const inner = this.firstElementChild;
      return inner instanceof HTMLElement ? parseFloat(inner.style.height) || 0 : 0;
    },
  });
});
afterAll(() => {
  for (const [name, descriptor] of Object.entries(saved)) {
    if (descriptor) Object.defineProperty(Element.prototype, name, descriptor);
    else Reflect.deleteProperty(Element.prototype, name);
  }
});

let opened: number[] = [];
let openedAround: (number | null)[] = [];
let searched: string[] = [];
let searchResults: SearchResults = { contacts: [], notes: [], messages: [] };
let labelRows: { conversation_id: number; label: string }[] = [];

function backend(conversations: ConversationSummary[]) {
  opened = [];
  openedAround = [];
  searched = [];
  mockBackend((cmd, args) => {
    if (cmd === "get_session") return { ...UNCONFIGURED, mode: "demo" };
    if (cmd === "list_conversations") return conversations;
    if (cmd === "list_messages") {
      opened.push(args?.conversationId as number);
      const at = args?.at as { at: string; message?: number };
      openedAround.push(at.at === "around" ? (at.message ?? null) : null);
      return { messages: [], has_older: false, has_newer: false };
    }
    if (cmd === "list_labels") return labelRows;
    if (cmd === "search") {
      searched.push(args?.query as string);
      return searchResults;
    }
    if (cmd === "list_templates") return [];
    if (cmd === "get_preference" && args?.key === "notifications") {
      const value = { new_leads: true, new_messages_in_my_chats: true, assigned_to_me: true, window_reminder: true, do_not_disturb: false };
      return { key: "notifications", value };
    }
    return undefined;
  });
}

beforeEach(() => mockWindows("main"));
afterEach(async () => {
  cleanup();
  clearMocks();
  vi.restoreAllMocks();
  await setLanguage("en");
});

/** A key pressed wherever the focus is, as the window would deliver it. */
function key(k: string, init: KeyboardEventInit = {}) {
  const target = document.activeElement ?? document.body;
  const code = /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : k;
  fireEvent.keyDown(target, { key: k, code, ...init });
}

const list = () => screen.getByTestId("conversation-list");
const cursorRow = () => within(list()).getAllByRole("option").find((o) => o.getAttribute("aria-selected") === "true");
const cursorName = () => cursorRow()?.querySelector("[data-testid=conversation-name]")?.textContent;

async function inbox(conversations = Array.from({ length: 30 }, (_, i) => conv(i + 1))) {
  backend(conversations);
  render(<App />);
  await screen.findByTestId("conversation-list");
  await screen.findByTestId("demo-badge");
}

describe("the conversation list", () => {
  it("is a listbox of options, one Tab stop, each row saying where it stands", async () => {
    await inbox();
    const box = screen.getByRole("listbox", { name: "Conversations" });
    expect(box).toBe(list());
    expect(box.tabIndex).toBe(0);
    const options = within(box).getAllByRole("option");
    expect(options[0]?.getAttribute("aria-posinset")).toBe("1");
    expect(options[0]?.getAttribute("aria-setsize")).toBe("30");
    expect(options.every((o) => o.getAttribute("aria-selected") === "false")).toBe(true);
    // The rows themselves take no focus: Tab leaves the list in one step.
    expect(options.every((o) => o.tabIndex < 0)).toBe(true);
  });

  it("moves with the arrow keys, then opens the chat under the cursor with Enter", async () => {
    await inbox();
    // `/` goes to the search box; Escape in an empty box goes on to the list.
    key("/", { code: "Slash" });
    expect(document.activeElement).toBe(screen.getByTestId("search-input"));
    key("Escape");
    expect(document.activeElement).toBe(list());
    expect(cursorName()).toBe("Customer 1");
    key("ArrowDown");
    key("ArrowDown");
    expect(cursorName()).toBe("Customer 3");
    expect(list().getAttribute("aria-activedescendant")).toBe(cursorRow()?.id);
    expect(cursorRow()?.className).toContain("active");
    // Moving only moves: no chat opened (and so none marked read).
    expect(screen.queryByTestId("chat-title")).toBeNull();
    expect(opened).toEqual([]);
    key("ArrowUp");
    expect(cursorName()).toBe("Customer 2");
    key("Enter");
    expect((await screen.findByTestId("chat-title")).textContent).toBe("Customer 2");
    await waitFor(() => expect(opened).toEqual([2]));
    const current = within(list()).getAllByRole("option").find((o) => o.getAttribute("aria-current") === "true");
    expect(current?.textContent).toContain("Customer 2");
    expect(document.activeElement).toBe(list());
  });

  it("moves with j and k from outside the list, taking the focus to it", async () => {
    await inbox();
    (document.activeElement as HTMLElement | null)?.blur();
    key("j");
    expect(document.activeElement).toBe(list());
    expect(cursorName()).toBe("Customer 1");
    key("j");
    key("j");
    key("k");
    expect(cursorName()).toBe("Customer 2");
    key("o");
    expect((await screen.findByTestId("chat-title")).textContent).toBe("Customer 2");
  });

  it("scrolls the cursor's row into view, though only the rows in view are in the DOM", async () => {
    await inbox(Array.from({ length: 2000 }, (_, i) => conv(i + 1)));
    expect(within(list()).queryByText("Customer 2000")).toBeNull();
    act(() => list().focus());
    key("End");
    await waitFor(() => expect(cursorName()).toBe("Customer 2000"));
    expect(list().getAttribute("aria-activedescendant")).toBe(cursorRow()?.id);
    key("Home");
    await waitFor(() => expect(cursorName()).toBe("Customer 1"));
  });

  it("puts the cursor on a clicked row", async () => {
    await inbox();
    const row = within(list()).getAllByTestId("conversation-item")[4]!;
    fireEvent.mouseDown(row);
    fireEvent.click(row);
    expect((await screen.findByTestId("chat-title")).textContent).toBe("Customer 5");
    expect(cursorName()).toBe("Customer 5");
    act(() => list().focus());
    key("ArrowDown");
    expect(cursorName()).toBe("Customer 6");
  });

  it("switches filters with 1, 2 and 3", async () => {
    await inbox();
    const pressed = () => ["all", "leads", "closing"].filter((f) => screen.getByTestId(`filter-${f}`).getAttribute("aria-pressed") === "true");
    key("2");
    expect(pressed()).toEqual(["leads"]);
    expect(within(list()).getAllByTestId("conversation-name")[0]?.textContent).toBe("Customer 2");
    key("3");
    expect(pressed()).toEqual(["closing"]);
    key("1");
    expect(pressed()).toEqual(["all"]);
    expect(screen.getByTestId("filter-leads").getAttribute("aria-keyshortcuts")).toBe("2");
  });
});

describe("the chat", () => {
  async function openSecond() {
    await inbox();
    act(() => list().focus());
    key("ArrowDown");
    key("Enter");
    await screen.findByTestId("chat-title");
  }

  it("r goes to the message box; letters typed there are text; Escape leaves it", async () => {
    await openSecond();
    key("r");
    const input = screen.getByTestId("composer-input");
    expect(document.activeElement).toBe(input);
    for (const k of ["j", "k", "1", "?", "/", "t", "r"]) key(k);
    key("ArrowDown");
    expect(document.activeElement).toBe(input);
    expect(cursorName()).toBe("Customer 2");
    expect(screen.queryByTestId("shortcuts-dialog")).toBeNull();
    expect(screen.queryByTestId("template-picker")).toBeNull();
    expect(screen.getByTestId("filter-all").getAttribute("aria-pressed")).toBe("true");
    fireEvent.change(input, { target: { value: "Hola" } });
    key("Escape");
    expect(document.activeElement).toBe(list());
    expect((screen.getByTestId("composer-input") as HTMLTextAreaElement).value).toBe("Hola");
  });

  it("the letter that moves the focus into the message box is not typed into it", async () => {
    await openSecond();
    const event = new KeyboardEvent("keydown", { key: "r", code: "KeyR", bubbles: true, cancelable: true });
    act(() => {
      document.activeElement?.dispatchEvent(event);
    });
    expect(event.defaultPrevented).toBe(true);
  });

  it("r focuses Choose a template when the window is closed", async () => {
    await inbox([conv(1, NOW - 30 * 3600)]);
    act(() => list().focus());
    key("Enter");
    await screen.findByTestId("composer-closed");
    key("r");
    expect(document.activeElement).toBe(screen.getByTestId("template-picker-open"));
  });

  it("t and Ctrl+Shift+T open the template picker, a modal that Escape closes", async () => {
    await openSecond();
    key("t");
    const picker = await screen.findByTestId("template-picker");
    expect(picker.getAttribute("aria-modal")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("template-search")));
    // While it is open the inbox's keys are off: j is typed, not a move.
    key("j");
    expect(cursorName()).toBe("Customer 2");
    key("Escape");
    expect(screen.queryByTestId("template-picker")).toBeNull();
    expect(document.activeElement).toBe(list());

    key("r");
    key("T", { ctrlKey: true, shiftKey: true, code: "KeyT" });
    await screen.findByTestId("template-picker");
    key("Escape");
    expect(screen.queryByTestId("template-picker")).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId("composer-input"));
  });
});

describe("new conversation", () => {
  it("opens with n from the list, not while typing, and closes with Escape", async () => {
    await inbox();
    const button = screen.getByTestId("new-conversation");
    expect(button.getAttribute("aria-keyshortcuts")).toBe("n");
    act(() => list().focus());
    key("n");
    const dialog = await screen.findByTestId("new-conversation-dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const input = screen.getByTestId("new-conversation-input");
    expect(document.activeElement).toBe(input);
    // Typed into the field, n is a letter, not a second dialog.
    key("n");
    expect(screen.getAllByTestId("new-conversation-dialog")).toHaveLength(1);
    key("Escape");
    expect(screen.queryByTestId("new-conversation-dialog")).toBeNull();
    fireEvent.click(button);
    expect(await screen.findByTestId("new-conversation-dialog")).toBeTruthy();
  });
});

describe("the shortcut list", () => {
  it("opens with ?, traps the focus, and closes with Escape", async () => {
    await inbox();
    act(() => list().focus());
    key("?", { shiftKey: true, code: "Slash" });
    const dialog = await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    expect(dialog).toBe(screen.getByTestId("shortcuts-dialog"));
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    const close = screen.getByTestId("shortcuts-close");
    expect(document.activeElement).toBe(close);
    const rows = within(dialog).getAllByTestId("shortcut");
    expect(rows.length).toBe(16);
    const newConversation = rows.find((r) => r.dataset.shortcut === "newConversation")!;
    expect(newConversation.textContent).toBe("Start a new conversationn");
    const next = rows.find((r) => r.dataset.shortcut === "next")!;
    expect(next.textContent).toBe("Next conversation↓Down arroworj");
    const resolve = rows.find((r) => r.dataset.shortcut === "resolve")!;
    expect(resolve.textContent).toBe("Resolve the conversatione");
    const templates = rows.find((r) => r.dataset.shortcut === "templates")!;
    expect(templates.textContent).toContain("Ctrl+Shift+T");

    // Tab goes round inside: Close is its only control.
    key("Tab");
    expect(document.activeElement).toBe(close);
    key("Tab", { shiftKey: true });
    expect(document.activeElement).toBe(close);
    // The inbox's keys are off while it is open.
    key("j");
    expect(cursorName()).toBe("Customer 1");

    key("Escape");
    expect(screen.queryByTestId("shortcuts-dialog")).toBeNull();
    expect(document.activeElement).toBe(list());
  });

  it("opens from the sidebar button and closes with its Close button", async () => {
    await inbox();
    const button = screen.getByTestId("open-shortcuts");
    expect(button.getAttribute("aria-label")).toBe("Keyboard shortcuts (?)");
    expect(button.getAttribute("aria-keyshortcuts")).toBe("?");
    act(() => button.focus());
    fireEvent.click(button);
    expect(screen.getByTestId("shortcuts-dialog")).toBeTruthy();
    fireEvent.click(screen.getByTestId("shortcuts-close"));
    expect(screen.queryByTestId("shortcuts-dialog")).toBeNull();
    expect(document.activeElement).toBe(button);
  });

  it("shows ⌘ on macOS", async () => {
    vi.spyOn(navigator, "platform", "get").mockReturnValue("MacIntel");
    await inbox();
    fireEvent.click(screen.getByTestId("open-shortcuts"));
    const rows = within(screen.getByTestId("shortcuts-dialog")).getAllByTestId("shortcut");
    const search = rows.find((r) => r.dataset.shortcut === "search")!;
    expect(search.textContent).toBe("Go to the conversation list/or⌘CommandK");
    expect(search.querySelector("kbd .visually-hidden")?.textContent).toBe("Command");
  });

  it("speaks Russian and Spanish", async () => {
    await setLanguage("ru");
    await inbox();
    key("?", { shiftKey: true });
    expect(screen.getByRole("dialog", { name: "Горячие клавиши" })).toBeTruthy();
    const rows = within(screen.getByTestId("shortcuts-dialog")).getAllByTestId("shortcut");
    expect(rows.find((r) => r.dataset.shortcut === "next")?.textContent).toBe("Следующий разговор↓Стрелка внизилиj");
    key("Escape");
    await act(() => setLanguage("es"));
    key("?", { shiftKey: true });
    const es = within(screen.getByTestId("shortcuts-dialog")).getAllByTestId("shortcut");
    expect(es.find((r) => r.dataset.shortcut === "templates")?.textContent).toBe("Enviar una plantillatoCtrl+Mayús+T");
  });
});

describe("Escape", () => {
  it("closes a side panel, but not from inside a text field", async () => {
    await inbox();
    fireEvent.click(screen.getByTestId("open-notification-settings"));
    await screen.findByTestId("notification-settings");
    (document.activeElement as HTMLElement | null)?.blur();
    key("Escape");
    expect(screen.queryByTestId("notification-settings")).toBeNull();
    expect(screen.getByTestId("chat-empty")).toBeTruthy();

    fireEvent.click(screen.getByTestId("open-lead-links"));
    const panel = await screen.findByTestId("lead-links");
    const field = panel.querySelector("input");
    expect(field).not.toBeNull();
    act(() => field!.focus());
    key("Escape");
    expect(screen.getByTestId("lead-links")).toBeTruthy();
  });
});

describe("search", () => {
  it("finds as the agent types, shows hits as text, and opens a chat at its hit by keyboard", async () => {
    searchResults = {
      contacts: [
        {
          kind: "contact",
          conversation_id: 4,
          title: "Customer 4",
          snippet: [{ text: "Customer 4", hit: false }],
          at: NOW,
        },
      ],
      notes: [],
      messages: [
        {
          kind: "message",
          message_id: 777,
          conversation_id: 7,
          title: "Customer 7",
          snippet: [
            { text: "where is my ", hit: false },
            { text: "refund", hit: true },
            { text: ' <img src=x onerror="window.__pwned=1">', hit: false },
          ],
          at: NOW - 60,
        },
      ],
    };
    await inbox();
    key("/", { code: "Slash" });
    const input = screen.getByTestId("search-input");
    fireEvent.change(input, { target: { value: "r" } });
    expect(await screen.findByText("Type at least two characters.")).toBeTruthy();
    fireEvent.change(input, { target: { value: "refund" } });
    const hits = await screen.findAllByTestId("search-hit");
    expect(searched).toEqual(["refund"]);
    // While searching, the hits take the list's place.
    expect(screen.queryByTestId("conversation-list")).toBeNull();
    expect(hits.map((h) => h.getAttribute("data-kind"))).toEqual(["contact", "message"]);
    const marks = hits[1]!.querySelectorAll("mark");
    expect([...marks].map((m) => m.textContent)).toEqual(["refund"]);
    // Customer text is text: the tag is shown, never made.
    expect(hits[1]!.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(document.querySelector("[data-testid=search-results] img")).toBeNull();
    expect(hits[0]!.getAttribute("aria-selected")).toBe("true");
    key("ArrowDown");
    expect(hits[1]!.getAttribute("aria-selected")).toBe("true");
    expect(input.getAttribute("aria-activedescendant")).toBe(hits[1]!.id);
    key("Enter");
    await waitFor(() => expect(opened).toEqual([7]));
    expect(openedAround).toEqual([777]);
    // Escape clears the search and the list comes back.
    key("Escape");
    expect((input as HTMLInputElement).value).toBe("");
    expect(await screen.findByTestId("conversation-list")).toBeTruthy();
  });

  it("says when nothing matched", async () => {
    searchResults = { contacts: [], notes: [], messages: [] };
    await inbox();
    fireEvent.change(screen.getByTestId("search-input"), { target: { value: "giraffe" } });
    expect((await screen.findByTestId("search-empty")).textContent).toContain("giraffe");
  });
});

describe("the label filter", () => {
  afterEach(() => {
    labelRows = [];
  });

  it("lists the team's labels and narrows the list to one, with the other filters", async () => {
    labelRows = [
      { conversation_id: 2, label: "vip" },
      { conversation_id: 3, label: "refund" },
      { conversation_id: 4, label: "vip" },
    ];
    await inbox();
    const select = (await screen.findByTestId("filter-label")) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Any label", "refund", "vip"]);
    fireEvent.change(select, { target: { value: "vip" } });
    const names = () =>
      within(list())
        .getAllByRole("option")
        .map((o) => o.querySelector("[data-testid=conversation-name]")?.textContent);
    await waitFor(() => expect(names()).toEqual(["Customer 2", "Customer 4"]));
    // With "Leads" (even ids here) as well: both still match.
    fireEvent.click(screen.getByTestId("filter-leads"));
    expect(names()).toEqual(["Customer 2", "Customer 4"]);
    fireEvent.change(select, { target: { value: "refund" } });
    expect(await screen.findByTestId("filter-empty")).toBeTruthy();
    fireEvent.click(screen.getByTestId("filter-all"));
    await waitFor(() => expect(names()).toEqual(["Customer 3"]));
    fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(names()).toHaveLength(30));
  });
});
