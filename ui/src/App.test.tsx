import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC, mockWindows } from "./lib/ipc/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import type { ConversationSummary } from "./bindings/ConversationSummary";
import type { Message } from "./bindings/Message";

const HOSTILE = "<img src=x onerror=alert(1)>";

function conversation(id: number, name: string | null, phone: string, preview: string, at: number): ConversationSummary {
  return {
    id,
    contact: { id, phone, user_id: null, name },
    display_name: name ?? phone,
    phone_number_id: "pn",
    last_preview: preview,
    last_direction: "inbound",
    last_activity_at: at,
    last_inbound_at: at,
    unread_count: id,
  };
}

const conversations = [
  conversation(1, HOSTILE, "+16505551234", "<b>bold?</b>", 2_000_000_000),
  conversation(2, "Ana", "+34612345678", "hola", 1_999_999_000),
];

const messages: Message[] = [
  {
    id: 10,
    wamid: "wamid.1",
    conversation_id: 1,
    direction: "inbound",
    kind: "text",
    body: HOSTILE,
    sent_at: 2_000_000_000,
    status: null,
    reply_to_wamid: null,
    content: { type: "text", body: HOSTILE },
    quoted: null,
    reactions: [],
    failure: null,
    edited_at: null,
    revoked: false,
  },
];

beforeEach(() => mockWindows("main"));
afterEach(() => {
  cleanup();
  clearMocks();
});

describe("inbox", () => {
  it("shows customer text literally, never as markup", async () => {
    mockIPC((cmd, args) => {
      if (cmd === "list_conversations") return conversations;
      if (cmd === "list_messages") {
        expect(args).toMatchObject({ conversationId: 1 });
        return messages;
      }
      throw new Error(`unexpected ${cmd}`);
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

  it("explains an empty inbox", async () => {
    mockIPC(() => []);
    render(<App />);
    expect((await screen.findByTestId("inbox-empty")).textContent).toContain("No conversations yet");
    expect(screen.getByTestId("chat-empty")).toBeTruthy();
  });

  it("shows the store's error and lets the agent retry", async () => {
    let calls = 0;
    mockIPC((cmd) => {
      if (cmd !== "list_conversations") throw new Error(cmd);
      calls += 1;
      if (calls === 1) {
        // Tauri rejects with the command's serialized error.
        return Promise.reject({ code: "database", message: "The local database failed: disk I/O error" });
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
    mockIPC(() =>
      Promise.reject({ code: "newer_schema", message: "written by a newer version of Hourglass. Update Hourglass" }),
    );
    render(<App />);
    const error = await screen.findByTestId("inbox-error");
    expect(error.textContent).toContain("Update Hourglass");
    expect(within(error).queryByRole("button")).toBeNull();
  });
});
