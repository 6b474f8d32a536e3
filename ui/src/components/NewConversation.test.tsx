// New conversation over a mocked Rust side: the number formatted as it is
// typed, an unusable one explained, a known customer opened, and a new
// number sent on to the template picker, with nothing started before Send.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import type { NumberCheck } from "../bindings/NumberCheck";
import type { TemplateOption } from "../bindings/TemplateOption";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend, mockWindows, preferenceCall } from "../lib/ipc/testing";
import { DefaultCountrySetting, NewConversationDialog } from "./NewConversation";

const NOW = Math.floor(Date.now() / 1000);

const olga: ConversationSummary = {
  id: 7,
  contact: { id: 3, phone: "+34612345678", user_id: null, name: "Olga" },
  display_name: "Olga",
  phone_number_id: "pn",
  last_preview: "hello",
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: NOW - 60,
  last_inbound_at: NOW - 60,
  unread_count: 0,
  lead: null,
};

const hello: TemplateOption = {
  key: { name: "hello_world", language: "en_US" },
  status: "APPROVED",
  category: "utility",
  parameter_format: "positional",
  variables: [],
  preview: {
    header_text: null,
    header_media: null,
    header_media_source: null,
    body: "Hello! Thanks for reaching out.",
    footer: null,
    buttons: [],
    problem: null,
  },
  disabled_reason: null,
  why: { reason: null, detail: null, recommendation: null, title: null, at: null },
  cost: null,
};

const fresh = { e164: "+34612987654", international: "+34 612 98 76 54", country: "ES" };

/** What the core answers for each typed text (see outreach.rs). */
function checkOf(input: string): NumberCheck {
  const digits = input.replace(/\D/g, "");
  if (digits === "") return { kind: "problem", problem: "no_digits" };
  if (digits === "612987654" || digits === "34612987654") return { kind: "new", number: fresh };
  if (digits === "612345678" || digits === "34612345678")
    return { kind: "existing", number: { e164: "+34612345678", international: "+34 612 34 56 78", country: "ES" }, conversation: olga };
  if (digits.length < 6) return { kind: "problem", problem: "unreadable" };
  return { kind: "problem", problem: "not_in_plan" };
}

let started: unknown[] = [];
let country: string | null = null;

beforeEach(() => {
  mockWindows("main");
  started = [];
  country = null;
  mockBackend((cmd, args) => {
    const preference = preferenceCall(cmd, args);
    if (preference?.key === "default_country") {
      if (cmd === "set_preference") country = (preference.value as string | null) ?? null;
      const value = {
        chosen: country,
        system: "ES",
        countries: [
          { code: "ES", calling_code: 34 },
          { code: "RU", calling_code: 7 },
        ],
      };
      return { key: "default_country", value };
    }
    if (cmd === "check_new_number") return checkOf(args?.input as string);
    if (cmd === "find_contacts") {
      const q = (args?.query as string).toLowerCase();
      return "olga".startsWith(q) || q.startsWith("olg")
        ? [{ kind: "contact", conversation_id: 7, title: "Olga", snippet: [{ text: "Olga", hit: true }], at: NOW }]
        : [];
    }
    if (cmd === "list_templates") return [hello];
    if (cmd === "preview_template") return hello.preview;
    if (cmd === "start_conversation") {
      started.push(args);
      const message: Message = {
        id: 500,
        wamid: "local:500",
        conversation_id: 42,
        direction: "outbound",
        kind: "template",
        body: hello.preview.body,
        content: { type: "text", body: hello.preview.body },
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
      const conversation = { ...olga, id: 42, display_name: fresh.e164, contact: { id: 9, phone: fresh.e164, user_id: null, name: null } };
      return { conversation, queued: { outbox_id: "o-1", message } };
    }
    return undefined;
  });
});
afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

function type(text: string) {
  fireEvent.change(screen.getByTestId("new-conversation-input"), { target: { value: text } });
}

describe("New conversation", () => {
  it("formats a new number as it is typed and starts the conversation only when the template is sent", async () => {
    const onStarted = vi.fn();
    const onOpen = vi.fn();
    const onClose = vi.fn();
    render(<NewConversationDialog onClose={onClose} onOpen={onOpen} onStarted={onStarted} />);
    expect(await screen.findByText("Numbers without + are read as Spain numbers.")).toBeTruthy();
    type("612 98 76 54");
    expect((await screen.findByTestId("new-conversation-number")).textContent).toBe("+34 612 98 76 54");
    expect(screen.getByText(/only delivers an approved template as the first message/)).toBeTruthy();

    fireEvent.click(screen.getByTestId("new-conversation-continue"));
    expect((await screen.findByRole("heading", { level: 2 })).textContent).toBe("Send a template to +34 612 98 76 54");
    // Picking a template and looking at it starts nothing.
    fireEvent.click(await screen.findByTestId("template-option"));
    const send = (await screen.findByTestId("template-send")) as HTMLButtonElement;
    await waitFor(() => expect(send.disabled).toBe(false));
    expect(started).toEqual([]);

    fireEvent.click(send);
    await waitFor(() => expect(onStarted).toHaveBeenCalledTimes(1));
    expect(started).toEqual([{ number: "+34612987654", key: hello.key, values: [] }]);
    expect(onStarted.mock.calls[0]?.[0].conversation.id).toBe(42);
    expect(onClose).toHaveBeenCalled();
    expect(onOpen).not.toHaveBeenCalled();
  });

  it("opens the conversation of a number or a customer already in the inbox", async () => {
    const onOpen = vi.fn();
    render(<NewConversationDialog onClose={() => undefined} onOpen={onOpen} onStarted={() => undefined} />);
    type("+34 612 34 56 78");
    expect((await screen.findByText("+34 612 34 56 78 is Olga, already in your inbox.")).textContent).toBeTruthy();
    expect(screen.queryByTestId("new-conversation-continue")).toBeNull();
    fireEvent.click(screen.getByTestId("new-conversation-open"));
    expect(onOpen).toHaveBeenCalledWith(7);

    // By name: the customer is offered, and no number problem is shown.
    type("Olg");
    const contact = await screen.findByTestId("new-conversation-contact");
    expect(contact.textContent).toContain("Olga");
    expect(screen.queryByTestId("new-conversation-error")).toBeNull();
    fireEvent.click(contact);
    expect(onOpen).toHaveBeenLastCalledWith(7);
    expect(started).toEqual([]);
  });

  it("explains a number that cannot be used, in the window's language, and offers no template", async () => {
    await setLanguage("ru");
    render(<NewConversationDialog onClose={() => undefined} onOpen={() => undefined} onStarted={() => undefined} />);
    type("123 45 67 89");
    const error = await screen.findByTestId("new-conversation-error");
    expect(error.dataset.problem).toBe("not_in_plan");
    expect(error.textContent).toBe("Такого номера не существует. Проверьте цифры и код страны.");
    expect(screen.queryByTestId("new-conversation-continue")).toBeNull();
    // Enter does nothing with an unusable number.
    fireEvent.keyDown(screen.getByTestId("new-conversation-input"), { key: "Enter" });
    expect(screen.queryByTestId("template-picker")).toBeNull();

    await setLanguage("es");
    type("12");
    expect((await screen.findByTestId("new-conversation-error")).textContent).toBe(
      "No es un número de teléfono: es demasiado corto o demasiado largo.",
    );
  });

  it("goes from a typed number to the template picker with Enter", async () => {
    render(<NewConversationDialog onClose={() => undefined} onOpen={() => undefined} onStarted={() => undefined} />);
    type("612987654");
    await screen.findByTestId("new-conversation-continue");
    fireEvent.keyDown(screen.getByTestId("new-conversation-input"), { key: "Enter" });
    expect(await screen.findByTestId("template-picker")).toBeTruthy();
  });
});

describe("Settings → Default country", () => {
  it("follows the system until a country is chosen, and saves the choice", async () => {
    render(<DefaultCountrySetting />);
    const select = (await screen.findByTestId("setting-default-country")) as HTMLSelectElement;
    await waitFor(() => expect(select.disabled).toBe(false));
    expect(select.value).toBe("");
    expect(select.options[0]?.textContent).toBe("As the system (Spain)");
    expect([...select.options].map((o) => o.value)).toContain("RU");
    fireEvent.change(select, { target: { value: "RU" } });
    await waitFor(() => expect(select.value).toBe("RU"));
    expect(country).toBe("RU");
    fireEvent.change(select, { target: { value: "" } });
    await waitFor(() => expect(select.value).toBe(""));
    expect(country).toBeNull();
  });
});
