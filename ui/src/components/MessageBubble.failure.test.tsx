// A failed bubble says why in the window's language when Hourglass knows the
// refusal, and in Meta's own words when it does not.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Failure } from "../bindings/Failure";
import type { Message } from "../bindings/Message";
import type { OutboxInfo } from "../bindings/OutboxInfo";
import { setLanguage } from "../lib/i18n";
import { MessageBubble } from "./MessageBubble";

afterEach(async () => {
  cleanup();
  await setLanguage("en");
});

function failed(failure: Failure, outbox: Partial<OutboxInfo> | null): Message {
  return {
    id: 9,
    wamid: "wamid.out",
    conversation_id: 1,
    direction: "outbound",
    kind: "text",
    body: "We are on it",
    content: { type: "text", body: "We are on it" },
    sent_at: 1_800_000_000,
    status: "failed",
    reply_to_wamid: null,
    sent_by: null,
    quoted: null,
    reactions: [],
    failure,
    edited_at: null,
    revoked: false,
    outbox: outbox && {
      id: "o9",
      state: "failed",
      offer_templates: false,
      can_retry: false,
      reason: null,
      refusal: null,
      unconfirmed: null,
      ...outbox,
    },
  };
}

const meta: Failure = {
  code: 135999,
  title: "Brand new limit",
  detail: "The business has reached a limit introduced this week",
  refusal: "unknown",
};

describe("a failed message", () => {
  it("shows Meta's words for a refusal Hourglass does not know, even when the outbox says unknown", () => {
    render(<MessageBubble message={failed(meta, { refusal: "unknown", reason: null })} />);
    const text = screen.getByTestId("message-failure").textContent ?? "";
    expect(text).toBe("Not delivered (135999): The business has reached a limit introduced this week");
    expect(text).toContain("135999");
    expect(text).not.toContain("does not know");
  });

  it("shows the outbox's reason (Meta's words) over the failure", () => {
    render(<MessageBubble message={failed(meta, { reason: "Brand new limit: as Meta said" })} />);
    expect(screen.getByTestId("message-failure").textContent).toContain("Brand new limit: as Meta said");
  });

  it("a status-only failure of an unknown kind keeps Meta's words", () => {
    render(<MessageBubble message={failed(meta, null)} />);
    expect(screen.getByTestId("message-failure").textContent).toContain("introduced this week");
  });

  it("words an invalid recipient in every language, never as a bug", async () => {
    const bad: Failure = {
      code: 131009,
      title: "Parameter value is not valid",
      detail: "Recipient phone number is not valid",
      refusal: "invalid_recipient",
    };
    const texts: Record<string, string> = {
      en: "not a valid WhatsApp number",
      ru: "не является действительным номером WhatsApp",
      es: "no es un número de WhatsApp válido",
    };
    for (const [lang, expected] of Object.entries(texts)) {
      await setLanguage(lang as "en" | "ru" | "es");
      const { unmount } = render(<MessageBubble message={failed(bad, { refusal: "invalid_recipient" })} />);
      const text = screen.getByTestId("message-failure").textContent ?? "";
      expect(text).toContain(expected);
      expect(text).not.toMatch(/bug|ошибка Hourglass|fallo de Hourglass/);
      unmount();
    }
  });

  it("explains 131062 (an unknown business-scoped user id) in every language", async () => {
    const gone: Failure = {
      code: 131062,
      title: "Business-scoped user ID is not valid",
      detail: "Param recipient is not a valid business-scoped user ID for this business: \"US.9\"",
      refusal: "user_id_unknown",
    };
    const texts: Record<string, string> = {
      en: "no longer knows this customer's user ID",
      ru: "больше не знает идентификатор этого клиента",
      es: "ya no reconoce el ID de usuario de este cliente",
    };
    for (const [lang, expected] of Object.entries(texts)) {
      await setLanguage(lang as "en" | "ru" | "es");
      const { unmount } = render(<MessageBubble message={failed(gone, { refusal: "user_id_unknown" })} />);
      const text = screen.getByTestId("message-failure").textContent ?? "";
      expect(text).toContain(expected);
      expect(text).toContain("131062");
      unmount();
    }
    await setLanguage("en");
  });

  it("a customer's message never reads as not delivered", () => {
    const m = { ...failed(meta, null), direction: "inbound" as const, status: null };
    render(<MessageBubble message={m} />);
    expect(screen.queryByTestId("message-failure")).toBeNull();
    expect(screen.queryByTestId("message-status")).toBeNull();
  });
});
