// Presence in the chat header and the warning before a second answer, in
// the real ChatPane over a mocked Rust side.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Collision } from "../bindings/Collision";
import type { ConversationPresence } from "../bindings/ConversationPresence";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import type { TemplateOption } from "../bindings/TemplateOption";
import { ClockProvider } from "../lib/clock";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { ChatPane } from "./ChatPane";

const NOW = Math.floor(Date.now() / 1000);

const conversation: ConversationSummary = {
  id: 9,
  contact: { id: 9, phone: "+34600000009", user_id: null, name: "Tess" },
  display_name: "Tess",
  phone_number_id: "pn",
  last_preview: "hello",
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: NOW - 60,
  last_inbound_at: NOW - 60,
  unread_count: 0,
  lead: null,
};

function outbound(id: number, body: string): Message {
  return {
    id,
    wamid: `local:${id}`,
    conversation_id: 9,
    direction: "outbound",
    kind: "text",
    body,
    content: { type: "text", body },
    sent_at: NOW,
    status: "pending",
    reply_to_wamid: null,
    sent_by: null,
    quoted: null,
    reactions: [],
    failure: null,
    outbox: null,
    edited_at: null,
    revoked: false,
  };
}

const missing = { meta_code: 132000, message: "{{1}} is empty" };
const greeting: TemplateOption = {
  key: { name: "we_are_back", language: "en" },
  status: "APPROVED",
  category: "utility",
  parameter_format: "positional",
  variables: [{ slot: { slot: "body", var: "1" }, kind: "text", example: "Tess" }],
  preview: {
    header_text: null,
    header_media: null,
    header_media_source: null,
    body: "Hello {{1}}, we are back",
    footer: null,
    buttons: [],
    problem: missing,
  },
  disabled_reason: null,
  why: { reason: null, detail: null, recommendation: null, title: null, at: null },
  cost: null,
};

let presence: ConversationPresence = { viewing: [], typing: [] };
let collisions: Collision[] = [];
let sent: string[] = [];
let templatesSent: string[] = [];
let said: string[] = [];
let filesSent: string[] = [];

beforeEach(() => {
  mockWindows("main");
  sent = [];
  filesSent = [];
  templatesSent = [];
  said = [];
  mockBackend((cmd, args) => {
    if (cmd === "set_presence") {
      said.push(args?.presence as string);
      return presence;
    }
    if (cmd === "get_presence") return presence;
    if (cmd === "check_collision") return collisions;
    if (cmd === "list_templates") return [greeting];
    if (cmd === "preview_template") {
      const values = (args?.values ?? []) as { value: string }[];
      const name = values[0]?.value ?? "";
      return { ...greeting.preview, body: `Hello ${name}, we are back`, problem: name ? null : missing };
    }
    if (cmd === "send_template") {
      templatesSent.push((args?.key as { name: string }).name);
      return { message: outbound(100 + templatesSent.length, "Hello Tess, we are back"), conversation };
    }
    if (cmd === "stage_attachment") {
      return {
        outcome: "staged",
        attachment: { token: "ef".repeat(32), kind: "image", mime_type: "image/png", size: 8, animated: false },
      };
    }
    if (cmd === "send_attachment") {
      filesSent.push(args?.token as string);
      return { message: outbound(200 + filesSent.length, "📷 Photo"), conversation };
    }
    if (cmd === "send_text") {
      sent.push(args?.body as string);
      return { message: outbound(100 + sent.length, args?.body as string), conversation };
    }
    return undefined;
  });
});
afterEach(() => {
  cleanup();
  clearMocks();
});

function chat(summary: ConversationSummary = conversation) {
  render(
    <ClockProvider>
      <ChatPane conversation={summary} messages={[]} error={null} canSend onQueued={() => undefined} />
    </ClockProvider>,
  );
}

describe("presence", () => {
  it("says this agent is viewing and shows who else is viewing or typing", async () => {
    presence = { viewing: ["ben"], typing: ["maria"] };
    collisions = [];
    chat();
    expect((await screen.findByTestId("presence-typing")).textContent).toBe("maria is typing…");
    expect(screen.getByTestId("presence-viewing").textContent).toBe("ben viewing");
    expect(said[0]).toBe("viewing");
    // Typing is told to the team, at most every two seconds.
    const input = screen.getByTestId("composer-input");
    fireEvent.change(input, { target: { value: "H" } });
    fireEvent.change(input, { target: { value: "Hi" } });
    await waitFor(() => expect(said.filter((s) => s === "typing")).toHaveLength(1));
    cleanup();
    // Closing the chat says so.
    await waitFor(() => expect(said.at(-1)).toBe("left"));
  });

  it("shows nobody when nobody else is here", async () => {
    presence = { viewing: [], typing: [] };
    chat();
    await waitFor(() => expect(said).toContain("viewing"));
    expect(screen.queryByTestId("presence")).toBeNull();
  });
});

describe("the collision warning", () => {
  it("asks before answering a customer another agent just answered, and sends only when told", async () => {
    presence = { viewing: [], typing: [] };
    collisions = [
      { kind: "sent", agent: "maria", seconds_ago: 12 },
      { kind: "typing", agent: "ben" },
    ];
    chat();
    const input = screen.getByTestId("composer-input");
    fireEvent.change(input, { target: { value: "Your refund is on its way" } });
    fireEvent.keyDown(input, { key: "Enter" });
    const warning = await screen.findByTestId("collision-warning");
    expect(screen.getAllByTestId("collision-reason").map((r) => r.textContent)).toEqual([
      "maria sent this customer a message 12 s ago.",
      "ben is typing to this customer right now.",
    ]);
    expect(warning.textContent).toContain("Send your message anyway?");
    expect(sent).toEqual([]);
    // "Don't send" keeps the text and sends nothing.
    fireEvent.click(screen.getByTestId("collision-cancel"));
    expect(screen.queryByTestId("collision-warning")).toBeNull();
    expect((input as HTMLTextAreaElement).value).toBe("Your refund is on its way");
    expect(sent).toEqual([]);
    // Asked again; this time the agent sends anyway, once.
    fireEvent.keyDown(input, { key: "Enter" });
    fireEvent.click(await screen.findByTestId("collision-send"));
    await waitFor(() => expect(sent).toEqual(["Your refund is on its way"]));
    expect((input as HTMLTextAreaElement).value).toBe("");
    expect(screen.queryByTestId("collision-warning")).toBeNull();
  });

  it("asks before sending a file too, and sends the file (not the text) when told", async () => {
    presence = { viewing: [], typing: [] };
    collisions = [{ kind: "sent", agent: "maria", seconds_ago: 5 }];
    URL.createObjectURL = () => "blob:thumb";
    URL.revokeObjectURL = () => undefined;
    chat();
    const input = screen.getByTestId("composer-attach") as HTMLInputElement;
    Object.defineProperty(input, "files", {
      value: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "lid.png", { type: "image/png" })],
      configurable: true,
    });
    fireEvent.change(input);
    // The caption field shows once the file is staged (Send is disabled
    // while it is checked).
    await screen.findByTestId("attachment-caption");
    fireEvent.click(screen.getByTestId("attachment-send"));
    await screen.findByTestId("collision-warning", {}, { timeout: 5000 });
    expect(filesSent).toEqual([]);
    fireEvent.click(screen.getByTestId("collision-send"));
    await waitFor(() => expect(filesSent).toEqual(["ef".repeat(32)]));
    expect(sent).toEqual([]);
  });

  it("sends at once when nobody else is on the customer", async () => {
    collisions = [];
    chat();
    const input = screen.getByTestId("composer-input");
    fireEvent.change(input, { target: { value: "Hello" } });
    fireEvent.keyDown(input, { key: "Enter" });
    await waitFor(() => expect(sent).toEqual(["Hello"]));
    expect(screen.queryByTestId("collision-warning")).toBeNull();
  });

  it("asks before a template too, once the window has closed", async () => {
    presence = { viewing: [], typing: [] };
    collisions = [{ kind: "sent", agent: "maria", seconds_ago: 40 }];
    // The customer last wrote two days ago: only a template can be sent.
    chat({ ...conversation, last_inbound_at: NOW - 2 * 86_400 });
    fireEvent.click(screen.getByTestId("template-picker-open"));
    fireEvent.click(await screen.findByTestId("template-option"));
    const variable = await screen.findByTestId("template-variable");
    fireEvent.change(variable, { target: { value: "Tess" } });
    // Filling the form tells the team this agent is typing.
    await waitFor(() => expect(said).toContain("typing"));
    await waitFor(() => expect(screen.getByTestId("template-preview").textContent).toContain("Hello Tess, we are back"));
    await waitFor(() => expect(screen.getByTestId("template-send")).not.toHaveProperty("disabled", true));
    fireEvent.click(screen.getByTestId("template-send"));
    await screen.findByTestId("collision-warning");
    expect(screen.getByTestId("collision-reason").textContent).toBe("maria sent this customer a message 40 s ago.");
    expect(templatesSent).toEqual([]);
    // "Don't send" keeps the filled form and sends nothing.
    fireEvent.click(screen.getByTestId("collision-cancel"));
    expect(screen.queryByTestId("collision-warning")).toBeNull();
    expect((screen.getByTestId("template-variable") as HTMLInputElement).value).toBe("Tess");
    expect(templatesSent).toEqual([]);
    // Asked again; sent anyway, once, and the picker closes.
    fireEvent.click(screen.getByTestId("template-send"));
    fireEvent.click(await screen.findByTestId("collision-send"));
    await waitFor(() => expect(templatesSent).toEqual(["we_are_back"]));
    await waitFor(() => expect(screen.queryByTestId("template-picker")).toBeNull());
  });
});
