// The contact panel beside the real ChatPane over a mocked Rust side: the
// toggle, fields saved once with the Rust side's errors shown, consent and
// block shown with dates, the blocked customer's messages marked, named
// template variables prefilled from the contact, and the Settings section.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ContactPanel as Panel } from "../bindings/ContactPanel";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import type { TemplateOption } from "../bindings/TemplateOption";
import { ClockProvider } from "../lib/clock";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { ChatPane } from "./ChatPane";
import { ContactFieldSettings, parseOptions } from "./ContactFieldSettings";
import { contactVariables } from "./contact";
import { prefill } from "./TemplatePicker";
import { textMessage } from "../test/messages";

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

function inbound(id: number, body: string, sentAt: number): Message {
  return textMessage(id, { conversation_id: 9, body, sent_at: sentAt });
}

function panel(over: Partial<Panel> = {}): Panel {
  return {
    key: { customer: "+34600000009", phone_number_id: "pn" },
    profile_name: "Tess",
    team_name: null,
    address_book_name: null,
    phone: "+34600000009",
    user_id: "US.42",
    username: "tess.tiles",
    fields: [
      {
        field: { id: "f1", label: "Order number", kind: "number", options: [], variable: "order_number" },
        value: null,
        by_agent: null,
      },
      {
        field: { id: "f2", label: "Plan", kind: "choice", options: ["basic", "pro"], variable: "plan" },
        value: "pro",
        by_agent: "ana",
      },
    ],
    consent: {
      opted_in: false,
      changes: [
        { opted_in: false, origin: { from: "error131050" }, at_ms: (NOW - 100) * 1000 },
        { opted_in: true, origin: { from: "agent", agent: "ana", source: "Web form" }, at_ms: (NOW - 200) * 1000 },
      ],
    },
    block: null,
    history: [{ conversation_id: 9, phone_number_id: "pn", first_message: 1, started_at: NOW - 300, ended_at: NOW - 60, messages: 3 }],
    ...over,
  };
}

let current: Panel = panel();
let calls: { cmd: string; args: Record<string, unknown> | undefined }[] = [];

beforeEach(() => {
  mockWindows("main");
  current = panel();
  calls = [];
  mockBackend((cmd, args) => {
    if (cmd === "get_contact") return current;
    if (cmd === "set_contact_value") {
      calls.push({ cmd, args });
      if (args?.value === "twelve") throw {
          code: "contact_invalid",
          params: { detail: "Order number: “twelve” is not a number (for example 42 or 3.5)." },
          message: "Order number: “twelve” is not a number (for example 42 or 3.5).",
        };
      current = panel({
        fields: current.fields.map((f) => (f.field.id === args?.fieldId ? { ...f, value: args?.value as string } : f)),
      });
      return current;
    }
    if (cmd === "set_blocked") {
      calls.push({ cmd, args });
      current = panel({ block: { blocked: args?.blocked as boolean, by_agent: "ana", at_ms: (NOW - 30) * 1000 } });
      return current;
    }
    return undefined;
  });
});
afterEach(() => {
  cleanup();
  clearMocks();
});

function chat(messages: Message[] = []) {
  render(
    <ClockProvider>
      <ChatPane conversation={conversation} messages={messages} error={null} canSend onQueued={() => undefined} />
    </ClockProvider>,
  );
}

describe("contact panel", () => {
  it("opens from the header and shows identity, fields, consent and history", async () => {
    chat();
    expect(screen.queryByTestId("contact-panel")).toBeNull();
    fireEvent.click(screen.getByTestId("contact-toggle"));
    const aside = await screen.findByTestId("contact-panel");
    await waitFor(() => expect(within(aside).getAllByTestId("contact-field")).toHaveLength(2));
    expect(within(aside).getByTestId("contact-phone").textContent).toBe("+34600000009");
    expect(within(aside).getByTestId("contact-user-id").textContent).toBe("US.42");
    expect(within(aside).getByTestId("contact-username").textContent).toBe("@tess.tiles");
    expect(within(aside).getByTestId("consent-state").textContent).toBe("Opted out");
    const changes = within(aside).getAllByTestId("consent-change").map((li) => li.textContent);
    expect(changes[0]).toContain("131050");
    expect(changes[1]).toContain("Opted in by ana (Web form)");
    expect(within(aside).getAllByTestId("contact-history-item")).toHaveLength(1);
    const plan = within(aside).getByLabelText("Plan") as HTMLSelectElement;
    expect(plan.value).toBe("pro");
  });

  it("shows the name the business saved in the WhatsApp Business app, and prefers it for {{name}}", async () => {
    current = panel({ address_book_name: "Tess (tiles shop)" });
    chat();
    fireEvent.click(screen.getByTestId("contact-toggle"));
    const aside = await screen.findByTestId("contact-panel");
    await waitFor(() => expect(within(aside).getByTestId("contact-address-book-name").textContent).toBe("Tess (tiles shop)"));
    expect(within(aside).getByTestId("contact-profile-name").textContent).toBe("Tess");
    expect(contactVariables(current).name).toBe("Tess (tiles shop)");
  });

  it("saves a field once and shows why a value is refused", async () => {
    chat();
    fireEvent.click(screen.getByTestId("contact-toggle"));
    const input = (await screen.findByLabelText("Order number")) as HTMLInputElement;
    fireEvent.change(input, { target: { value: "twelve" } });
    fireEvent.keyDown(input, { key: "Enter" });
    fireEvent.blur(input);
    expect((await screen.findByTestId("contact-error")).textContent).toContain("is not a number");
    expect(calls.filter((c) => c.cmd === "set_contact_value")).toHaveLength(1);
    fireEvent.change(input, { target: { value: "1042" } });
    fireEvent.keyDown(input, { key: "Enter" });
    fireEvent.blur(input);
    await waitFor(() => expect(screen.queryByTestId("contact-error")).toBeNull());
    const saves = calls.filter((c) => c.cmd === "set_contact_value");
    expect(saves).toHaveLength(2);
    expect(saves[1]?.args).toEqual({ conversationId: 9, fieldId: "f1", value: "1042" });
  });

  it("blocks after confirming, then shows the banner and marks messages sent while blocked", async () => {
    window.confirm = () => true;
    chat([inbound(1, "before", NOW - 120), inbound(2, "after", NOW - 10)]);
    expect(screen.queryByTestId("blocked-banner")).toBeNull();
    fireEvent.click(screen.getByTestId("contact-toggle"));
    fireEvent.click(await screen.findByTestId("contact-block"));
    expect(await screen.findByTestId("blocked-banner")).toBeTruthy();
    expect(calls.find((c) => c.cmd === "set_blocked")?.args).toEqual({ conversationId: 9, blocked: true });
    expect(screen.getByTestId("contact-blocked").textContent).toContain("Blocked by ana");
    // Only the message that arrived after the block is marked.
    expect(screen.getAllByTestId("blocked-message")).toHaveLength(1);
    expect(screen.getByTestId("contact-unblock")).toBeTruthy();
  });
});

describe("template variables from the contact", () => {
  const option = (vars: string[]): TemplateOption => ({
    key: { name: "appointment", language: "en_US" },
    status: "APPROVED",
    category: "utility",
    parameter_format: "named",
    variables: vars.map((v) => ({ slot: { slot: "body" as const, var: v }, kind: "text" as const, example: null })),
    preview: { header_text: null, header_media: null, header_media_source: null, body: "", footer: null, buttons: [], problem: null },
    disabled_reason: null,
    why: { reason: null, detail: null, recommendation: null, title: null, at: null },
    cost: null,
  });

  it("fills a named variable named like a field or `name`, and nothing else", () => {
    const values = prefill(option(["first_name", "order_number", "1", "time"]), { order_number: "1042", first_name: "Tess" });
    expect(values).toEqual({ "body:first_name": "Tess", "body:order_number": "1042" });
    expect(prefill(option(["Name"]), { name: "Tess (VIP)" })).toEqual({ "body:Name": "Tess (VIP)" });
  });
});

describe("contact fields in Settings", () => {
  it("adds a choice field with its options", async () => {
    const saved: unknown[] = [];
    mockBackend((cmd, args) => {
      if (cmd === "list_contact_fields") return [];
      if (cmd === "save_contact_field") {
        saved.push(args);
        return [{ id: "x", label: "Tier", kind: "choice", options: ["gold", "silver"], variable: "tier" }];
      }
      return undefined;
    });
    render(<ContactFieldSettings />);
    fireEvent.change(screen.getByTestId("contact-field-label"), { target: { value: "Tier" } });
    fireEvent.change(screen.getByTestId("contact-field-kind"), { target: { value: "choice" } });
    fireEvent.change(screen.getByTestId("contact-field-options"), { target: { value: " gold, silver ,," } });
    fireEvent.click(screen.getByTestId("contact-field-add"));
    expect((await screen.findByTestId("contact-field-def")).textContent).toContain("{{tier}}");
    expect(saved).toEqual([{ id: null, label: "Tier", kind: "choice", options: ["gold", "silver"] }]);
    expect(parseOptions("a, ,b")).toEqual(["a", "b"]);
  });
});
