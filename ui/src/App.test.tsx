import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, emit, mockBackend, mockWindows } from "./lib/ipc/testing";
import { act } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { Message } from "./bindings/Message";
import { fullTime } from "./lib/format/time";
import { setLanguage } from "./lib/i18n";
import { prefetchConversations, prefetchSettled } from "./lib/ipc";
import { textMessage } from "./test/messages";

const HOSTILE = "<img src=x onerror=alert(1)>";

function conversation(id: number, name: string | null, phone: string, preview: string, at: number): ConversationSummary {
  return {
    id,
    contact: { id, phone, user_id: null, name },
    display_name: name ?? phone,
    phone_number_id: "pn",
    last_preview: preview,
    last_direction: "inbound",
    last_sent_by: null,
    last_activity_at: at,
    last_inbound_at: at,
    unread_count: id,
    lead: null,
  };
}

const conversations = [
  conversation(1, HOSTILE, "+16505551234", "<b>bold?</b>", 2_000_000_000),
  conversation(2, "Ana", "+34612345678", "hola", 1_999_999_000),
];

const messages: Message[] = [textMessage(10, { wamid: "wamid.1", body: HOSTILE, sent_at: 2_000_000_000 })];

beforeEach(() => mockWindows("main"));
afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

describe("inbox", () => {
  it("shows customer text literally, never as markup", async () => {
    mockBackend((cmd, args) => {
      if (cmd === "list_conversations") return conversations;
      if (cmd === "list_messages") {
        expect(args).toMatchObject({ conversationId: 1 });
        return { messages: messages, has_older: false, has_newer: false };
      }
      return undefined;
    });
    const { container } = render(<App />);
    const list = await screen.findByTestId("conversation-list");
    const names = within(list).getAllByTestId("conversation-name").map((n) => n.textContent);
    expect(names).toEqual([HOSTILE, "Ana"]);
    expect(within(list).getAllByTestId("conversation-preview")[0]?.textContent).toBe("<b>bold?</b>");
    expect(container.querySelector("img, b, script")).toBeNull();

    fireEvent.click(within(list).getAllByTestId("conversation-item")[0]!);
    const bubble = await screen.findByTestId("message-bubble");
    expect(bubble.textContent).toContain(HOSTILE);
    expect(screen.getByTestId("chat-title").textContent).toBe(HOSTILE);
    expect(container.querySelector("img, script")).toBeNull();
  });

  it("shows the list asked for as the page started, then the one read once the window listens", async () => {
    let answerLater: (list: ConversationSummary[]) => void = () => undefined;
    let reads = 0;
    mockBackend((cmd) => {
      if (cmd !== "list_conversations") return undefined;
      reads += 1;
      // The page's early read answers; the read made once listening waits.
      if (reads === 1) return conversations.slice(1);
      return new Promise<ConversationSummary[]>((resolve) => (answerLater = resolve));
    });
    prefetchConversations();
    render(<App />);
    await waitFor(() => expect(screen.getAllByTestId("conversation-item")).toHaveLength(1));
    expect(screen.getByTestId("conversation-name").textContent).toBe("Ana");
    await waitFor(() => expect(reads).toBe(2));
    act(() => answerLater(conversations));
    await waitFor(() => expect(screen.getAllByTestId("conversation-item")).toHaveLength(2));
  });

  it("draws the list that arrived before the first render in the first frame", async () => {
    mockBackend((cmd) => (cmd === "list_conversations" ? conversations : undefined));
    prefetchConversations();
    await prefetchSettled(1000);
    render(<App />);
    // No wait: the rows are there as the first render commits.
    expect(screen.getAllByTestId("conversation-item")).toHaveLength(2);
  });

  it("renders without the early list when it is slow to come", async () => {
    let answer: (list: ConversationSummary[]) => void = () => undefined;
    let reads = 0;
    mockBackend((cmd) => {
      if (cmd !== "list_conversations") return undefined;
      reads += 1;
      if (reads === 1) return new Promise<ConversationSummary[]>((resolve) => (answer = resolve));
      return conversations;
    });
    prefetchConversations();
    await prefetchSettled(50);
    render(<App />);
    expect(screen.queryAllByTestId("conversation-item")).toHaveLength(0);
    await waitFor(() => expect(screen.getAllByTestId("conversation-item")).toHaveLength(2));
    act(() => answer([]));
  });

  it("tells the shell an empty inbox is shown, and marks the first rows once they come", async () => {
    const told: unknown[] = [];
    let list: ConversationSummary[] = [];
    mockBackend((cmd, args) => {
      if (cmd === "inbox_shown") told.push((args as { conversations: number }).conversations);
      return cmd === "list_conversations" ? list : undefined;
    });
    render(<App />);
    await screen.findByTestId("inbox-empty");
    await waitFor(() => expect(told).toEqual([0]));
    list = conversations;
    await act(() => emit("reload"));
    await waitFor(() => expect(told).toEqual([0, 2]));
  });

  it("explains an empty inbox", async () => {
    mockBackend(() => []);
    render(<App />);
    expect((await screen.findByTestId("inbox-empty")).textContent).toContain("No conversations yet");
    expect(screen.getByTestId("chat-empty")).toBeTruthy();
  });

  it("shows the store's error and lets the agent retry", async () => {
    let calls = 0;
    mockBackend((cmd) => {
      if (cmd !== "list_conversations") return undefined;
      calls += 1;
      if (calls === 1) {
        // Tauri rejects with the command's serialized error.
        return Promise.reject({
          code: "database",
          params: { detail: "disk I/O error" },
          message: "The local database failed: disk I/O error",
        });
      }
      return conversations;
    });
    render(<App />);
    const error = await screen.findByTestId("inbox-error");
    expect(error.textContent).toContain("disk I/O error");
    fireEvent.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getAllByTestId("conversation-item")).toHaveLength(2));
  });

  it("offers no retry when only an update can help", async () => {
    mockBackend(() =>
      Promise.reject({
        code: "newer_schema",
        params: { found: "99", supported: "11" },
        message: "written by a newer version of Hourglass. Update Hourglass",
      }),
    );
    render(<App />);
    const error = await screen.findByTestId("inbox-error");
    expect(error.textContent).toContain("Update Hourglass");
    expect(within(error).queryByRole("button")).toBeNull();
  });
});

describe("live updates", () => {
  it("puts a new conversation on top and a new message in the open chat, in place", async () => {
    let listCalls = 0;
    mockBackend((cmd) => {
      if (cmd === "list_conversations") {
        listCalls += 1;
        return conversations;
      }
      if (cmd === "list_messages") return { messages: messages, has_older: false, has_newer: false };
      if (cmd === "mark_conversation_read") return { ...conversations[0]!, unread_count: 0 };
      return undefined;
    });
    render(<App />);
    const list = await screen.findByTestId("conversation-list");
    fireEvent.click(within(list).getAllByTestId("conversation-item")[0]!);
    await screen.findByTestId("message-bubble");

    const newcomer = conversation(3, "Zoe", "+447700900999", "first!", 2_000_000_100);
    const reply: Message = { ...messages[0]!, id: 11, wamid: "wamid.2", body: "second", content: { type: "text", body: "second" }, sent_at: 2_000_000_050 };
    await act(async () => {
      await emit("sync-update", {
        type: "inbox",
        cursor: 7,
        replay: false,
        conversations: [newcomer],
        messages: [reply],
        messages_truncated: false,
        new_messages: 2,
        templates_changed: false,
        health_changed: false,
        flagged: 0,
        unapplied: 0,
        incoming: [],
      });
    });
    const names = within(screen.getByTestId("conversation-list"))
      .getAllByTestId("conversation-name")
      .map((n) => n.textContent);
    expect(names).toEqual(["Zoe", HOSTILE, "Ana"]);
    const bubbles = screen.getAllByTestId("message-bubble").map((b) => b.textContent);
    expect(bubbles).toHaveLength(2);
    expect(bubbles[1]).toContain("second");
    expect(listCalls).toBe(1);
    // Opening the chat marked it read.
    const badges = within(screen.getByTestId("conversation-list")).queryAllByTestId("unread-badge");
    expect(badges.map((b) => b.textContent)).toEqual(["3", "2"]);
  });

  it("says when events from the relay could not be applied, until dismissed", async () => {
    mockBackend((cmd) => (cmd === "list_conversations" ? [] : undefined));
    render(<App />);
    await screen.findByTestId("inbox-empty");
    expect(screen.queryByTestId("sync-unapplied")).toBeNull();
    const batch = (unapplied: number) => ({
      type: "inbox",
      cursor: 9,
      replay: false,
      conversations: [],
      messages: [],
      messages_truncated: false,
      new_messages: 0,
      templates_changed: false,
        health_changed: false,
      flagged: unapplied,
      unapplied,
      incoming: [],
    });
    await act(async () => {
      await emit("sync-update", batch(1));
    });
    expect((await screen.findByTestId("sync-unapplied")).textContent).toContain(
      "1 event from the relay could not be applied and was kept for diagnosis.",
    );
    await act(async () => {
      await emit("sync-update", batch(2));
    });
    const banner = screen.getByTestId("sync-unapplied");
    expect(banner.textContent).toContain("3 events from the relay could not be applied and were kept for diagnosis.");
    fireEvent.click(within(banner).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("sync-unapplied")).toBeNull();
  });

  it("says from when the relay's history is missing, in the window's language", async () => {
    mockBackend((cmd) => (cmd === "list_conversations" ? [] : undefined));
    render(<App />);
    await screen.findByTestId("inbox-empty");
    const before = Date.UTC(2026, 2, 14, 9, 30);
    const pruned = { type: "history_pruned", missed_after: 0, resumed_at: 40, before_ms: before };
    await act(async () => {
      await emit("sync-update", pruned);
    });
    const banner = await screen.findByTestId("history-pruned");
    expect(banner.textContent).toContain(`History before ${fullTime(before / 1000, "en")} is not available from the relay.`);
    await act(async () => {
      await setLanguage("ru");
    });
    expect(screen.getByTestId("history-pruned").textContent).toContain(
      `История до ${fullTime(before / 1000, "ru")} недоступна на ретрансляторе.`,
    );
    await act(async () => {
      await setLanguage("es");
    });
    expect(screen.getByTestId("history-pruned").textContent).toContain(
      `El historial anterior al ${fullTime(before / 1000, "es")} no está disponible en el relay.`,
    );
    expect(fullTime(before / 1000, "es")).not.toBe(fullTime(before / 1000, "en"));
  });

  it("shows the connection state unobtrusively", async () => {
    mockBackend((cmd) => (cmd === "list_conversations" ? [] : undefined));
    render(<App />);
    await screen.findByTestId("inbox-empty");
    await act(async () => {
      await emit("sync-update", { type: "connection", state: "offline", since_ms: 0, attempt: 4, next_retry_at_ms: 0, error: "connection refused" });
    });
    const badge = await screen.findByTestId("connection-state");
    expect(badge.dataset.state).toBe("offline");
    expect(badge.textContent).toContain("Offline since");
    expect(badge.title).toBe("connection refused");
  });
});
