// Calls as lines of the timeline, messages Meta's AI agent handled, what
// Meta charged, and Take over in the header, in each language.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import type { MessageContent } from "../bindings/MessageContent";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend } from "../lib/ipc/testing";
import { HandoverLine } from "./CallLine";
import { MessageBubble } from "./MessageBubble";
import { OwnerBar } from "./OwnerBar";
import { textMessage } from "../test/messages";

afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

function message(content: MessageContent, extra: Partial<Message> = {}): Message {
  return textMessage(5, { wamid: "wacid.X", kind: "call", body: "📞 Missed call", content, sent_at: 1_800_000_000, ...extra });
}

const text = (id: string) => screen.getByTestId(id).textContent ?? "";

describe("a call in the timeline", () => {
  it("is a line, not a bubble: missed, in every language", async () => {
    const missed = message({ type: "call", missed: true, duration: null, from_customer: true });
    const expected = { en: "Missed call", ru: "Пропущенный звонок", es: "Llamada perdida" };
    for (const [lang, words] of Object.entries(expected)) {
      await setLanguage(lang as "en" | "ru" | "es");
      const { unmount } = render(<MessageBubble message={missed} />);
      expect(screen.queryByTestId("message-bubble")).toBeNull();
      expect(screen.getByTestId("call-line").dataset.missed).toBe("true");
      expect(text("call-line")).toContain(words);
      unmount();
    }
  });

  it("answered, with its duration", async () => {
    const answered = message({ type: "call", missed: false, duration: 125, from_customer: true });
    render(<MessageBubble message={answered} />);
    expect(text("call-line")).toContain("Call, 2 min 5 s");
    expect(screen.getByTestId("call-line").dataset.missed).toBe("false");
    cleanup();
    await setLanguage("es");
    render(<MessageBubble message={message({ type: "call", missed: false, duration: 40, from_customer: true })} />);
    expect(text("call-line")).toContain("Llamada, 40 s");
  });
});

describe("Meta's AI agent and pricing in a bubble", () => {
  it("marks a message the AI agent handled, and only that one", () => {
    const standby = message({ type: "text", body: "¿Envían a Canarias?" }, { kind: "text", handled_by: "ai_agent" });
    const { unmount } = render(<MessageBubble message={standby} />);
    expect(text("message-ai-agent")).toBe("Handled by Meta's AI agent");
    unmount();
    render(<MessageBubble message={message({ type: "text", body: "hola" }, { kind: "text" })} />);
    expect(screen.queryByTestId("message-ai-agent")).toBeNull();
  });

  it("marks a message sent from the WhatsApp Business app, in each language", async () => {
    const echo = message(
      { type: "text", body: "Te la guardo" },
      { kind: "text", direction: "outbound", handled_by: "business_app" },
    );
    const { unmount } = render(<MessageBubble message={echo} />);
    expect(text("message-business-app")).toBe("Sent from the WhatsApp Business app");
    expect(screen.queryByTestId("message-ai-agent")).toBeNull();
    unmount();
    await setLanguage("ru");
    render(<MessageBubble message={message({ type: "media_placeholder" }, { kind: "media_placeholder", body: "" })} />);
    expect(text("message-media-placeholder")).toContain("WhatsApp Business");
    expect(text("message-media-placeholder")).toContain("14 дней");
    expect(screen.queryByTestId("message-business-app")).toBeNull();
  });

  it("words a handover between Meta's AI agent and the team, in each language", async () => {
    const { unmount } = render(<HandoverLine handover={{ owner: "app", at: 1_800_000_000 }} />);
    expect(text("handover-line")).toContain("Meta's AI agent handed this conversation to your team");
    expect(screen.getByTestId("handover-line").dataset.owner).toBe("app");
    unmount();
    await setLanguage("es");
    render(<HandoverLine handover={{ owner: "ai_agent", at: 1_800_000_000 }} />);
    expect(text("handover-line")).toContain("El agente de IA de Meta se hizo cargo");
  });

  it("shows what Meta charged under the details, rendered as text", () => {
    const outbound = message(
      { type: "text", body: "Sí" },
      {
        kind: "text",
        direction: "outbound",
        status: "delivered",
        pricing: { billable: false, model: "PMP", type: "free_customer_service", category: "<b>service</b>" },
      },
    );
    render(<MessageBubble message={outbound} />);
    const details = screen.getByTestId("message-pricing");
    expect(details.dataset.billable).toBe("false");
    expect(details.textContent).toContain("Charged by Meta");
    expect(details.textContent).toContain("Free");
    expect(details.textContent).toContain("free_customer_service");
    expect(details.textContent).toContain("<b>service</b>");
    expect(details.querySelector("b")).toBeNull();
  });
});

const chat: ConversationSummary = {
  id: 7,
  contact: { id: 7, phone: "+34612345678", user_id: null, name: "Ana" },
  display_name: "Ana",
  phone_number_id: "pn",
  last_preview: "hola",
  last_direction: "inbound",
  last_sent_by: null,
  last_activity_at: 1_800_000_000,
  last_inbound_at: 1_800_000_000,
  unread_count: 0,
  lead: null,
  owner: "ai_agent",
};

describe("the owner in the header", () => {
  it("says who answers and takes over from the AI agent", async () => {
    const asked: unknown[] = [];
    mockBackend((cmd, args) => {
      if (cmd === "take_over") {
        asked.push(args);
        return { ...chat, owner: "app" };
      }
    });
    render(<OwnerBar conversation={chat} canSend />);
    expect(screen.getByTestId("thread-owner").dataset.owner).toBe("ai_agent");
    expect(text("thread-owner")).toBe("Meta's AI agent is answering");
    fireEvent.click(screen.getByTestId("take-over"));
    await waitFor(() => expect(screen.getByTestId("thread-owner").dataset.owner).toBe("app"));
    expect(asked).toEqual([{ conversationId: 7 }]);
    expect(text("thread-owner")).toBe("Your team is answering");
    expect(screen.queryByTestId("take-over")).toBeNull();
  });

  it("keeps the owner and says why when Meta refuses", async () => {
    mockBackend((cmd) => {
      if (cmd === "take_over") throw new Error("Take is not permitted");
    });
    render(<OwnerBar conversation={chat} canSend />);
    fireEvent.click(screen.getByTestId("take-over"));
    await waitFor(() => expect(screen.getByTestId("take-over-error")).toBeTruthy());
    expect(text("take-over-error")).toContain("Take is not permitted");
    expect(screen.getByTestId("thread-owner").dataset.owner).toBe("ai_agent");
  });

  it("shows nothing while Meta has said nothing", () => {
    render(<OwnerBar conversation={{ ...chat, owner: null }} canSend />);
    expect(screen.queryByTestId("owner-bar")).toBeNull();
  });
});
