// A customer's answer to a call request and a message Meta could not give
// are told in words, in each language, never as "cannot show yet".
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../bindings/Message";
import type { MessageContent } from "../bindings/MessageContent";
import { setLanguage } from "../lib/i18n";
import { fullTime } from "../lib/format/time";
import { MessageBubble } from "./MessageBubble";
import { textMessage } from "../test/messages";

afterEach(async () => {
  cleanup();
  await setLanguage("en");
});

function inbound(content: MessageContent, body = ""): Message {
  return textMessage(3, { wamid: "wamid.in", kind: "interactive", body, content, sent_at: 1_800_000_000 });
}

const text = (id: string) => screen.getByTestId(id).textContent ?? "";

describe("a call permission reply", () => {
  it("says the customer allowed calls, until when", () => {
    render(<MessageBubble message={inbound({ type: "call_permission", response: "accept", permanent: false, expires_at: 1_800_604_800 })} />);
    expect(text("message-call-permission")).toBe(`The customer allowed calls until ${fullTime(1_800_604_800)}`);
    expect(screen.queryByTestId("message-unsupported")).toBeNull();
  });

  it("says the customer declined, in every language", async () => {
    const declined = inbound({ type: "call_permission", response: "reject", permanent: false, expires_at: null });
    const expected = { en: "The customer declined calls", ru: "Клиент отказался от звонков", es: "El cliente rechazó las llamadas" };
    for (const [lang, words] of Object.entries(expected)) {
      await setLanguage(lang as "en" | "ru" | "es");
      const { unmount } = render(<MessageBubble message={declined} />);
      expect(text("message-call-permission")).toBe(words);
      unmount();
    }
  });

  it("a permanent permission and an answer not known yet", () => {
    const { unmount } = render(<MessageBubble message={inbound({ type: "call_permission", response: "accept", permanent: true, expires_at: null })} />);
    expect(text("message-call-permission")).toBe("The customer allowed calls (no end date)");
    unmount();
    render(<MessageBubble message={inbound({ type: "call_permission", response: "<b>later</b>", permanent: false, expires_at: null })} />);
    expect(text("message-call-permission")).toBe("The customer answered the call request: <b>later</b>");
    expect(screen.getByTestId("message-call-permission").querySelector("b")).toBeNull();
  });
});

describe("a message Meta could not give", () => {
  it("shows Meta's error, not an empty kind", async () => {
    const m = inbound({ type: "meta_error", code: 131051, title: "Message type unknown", detail: "Not supported.", refusal: null });
    const { unmount } = render(<MessageBubble message={m} />);
    expect(text("message-meta-error")).toBe("WhatsApp could not deliver this message (131051): Message type unknown: Not supported.");
    unmount();
    await setLanguage("ru");
    render(<MessageBubble message={m} />);
    expect(text("message-meta-error")).toContain("WhatsApp не смог передать это сообщение (131051)");
  });

  it("words a code Hourglass knows in the window's language, with Meta's words in the tooltip", async () => {
    const m = inbound({ type: "meta_error", code: 131051, title: "Message type unknown", detail: "Not supported.", refusal: "unsupported_type" });
    await setLanguage("es");
    render(<MessageBubble message={m} />);
    const said = screen.getByTestId("message-meta-error");
    expect(said.textContent).toContain("(131051)");
    expect(said.textContent).not.toContain("Not supported.");
    expect(said.getAttribute("title")).toBe("Message type unknown: Not supported.");
    await setLanguage("en");
  });
});
