// Real components in each language: Russian and Spanish show their own text,
// English shows exactly the text it always had.
import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { App } from "../../App";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import type { Message } from "../../bindings/Message";
import { ConversationList } from "../../components/ConversationList";
import { MessageBubble } from "../../components/MessageBubble";
import { WindowCountdown } from "../../components/WindowCountdown";
import { ClockProvider } from "../clock";
import { clearMocks, mockBackend, mockWindows } from "../ipc/testing";
import { setLanguage } from ".";

const NOW = 1_800_000_000;

afterEach(async () => {
  cleanup();
  clearMocks();
  vi.useRealTimers();
  await setLanguage("en");
});

function conv(id: number, name: string, lastInboundAt: number, unread: number): ConversationSummary {
  return {
    id,
    contact: { id, phone: `+3461234567${id}`, user_id: null, name },
    display_name: name,
    phone_number_id: "pn",
    last_preview: "hola",
    last_direction: "outbound",
    last_sent_by: null,
    last_activity_at: lastInboundAt,
    last_inbound_at: lastInboundAt,
    unread_count: unread,
    lead: null,
  };
}

describe("WindowCountdown", () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
    vi.setSystemTime(NOW * 1000);
  });

  function countdown(lastInboundAt: number) {
    render(
      <ClockProvider>
        <WindowCountdown lastInboundAt={lastInboundAt} variant="header" />
      </ClockProvider>,
    );
    return screen.getByTestId("window-countdown");
  }

  it("keeps the English text", () => {
    const el = countdown(NOW - 24 * 3600 + 65);
    expect(el.textContent).toBe("Window 1m 05s");
    expect(el.getAttribute("aria-label")).toBe("24-hour window: 1m 05s");
    expect(el.title).toMatch(/^Free text until .+ \(24 hours after the customer's last message\)\. After that, only approved templates\.$/);
  });

  it("speaks Russian", async () => {
    await setLanguage("ru");
    const el = countdown(NOW - 24 * 3600 + 65);
    expect(el.textContent).toBe("Окно 1 мин 05 с");
    expect(el.getAttribute("aria-label")).toBe("24-часовое окно: 1 мин 05 с");
    expect(el.title).toMatch(/^Свободный текст до .+ \(24 часа после последнего сообщения клиента\)/);
    act(() => vi.advanceTimersByTime(65_000));
    expect(el.textContent).toBe("Закрыто");
    expect(el.title).toMatch(/^Закрыто с /);
  });

  it("follows a language change while shown", async () => {
    const el = countdown(NOW - 25 * 3600);
    expect(el.textContent).toBe("Closed");
    await act(() => setLanguage("es"));
    expect(el.textContent).toBe("Cerrada");
    await act(() => setLanguage("en"));
    expect(el.textContent).toBe("Closed");
  });
});

describe("ConversationList", () => {
  function list() {
    render(
      <ClockProvider>
        <ConversationList
          conversations={[conv(1, "Ana", NOW - 3600, 1), conv(2, "Oleg", NOW - 3600, 3), conv(3, "Eva", NOW - 3600, 21)]}
          selected={null}
          onSelect={() => {}}
        />
      </ClockProvider>,
    );
  }
  const badges = () => screen.getAllByTestId("unread-badge").map((b) => b.getAttribute("aria-label"));
  const previews = () => screen.getAllByTestId("conversation-preview").map((p) => p.textContent);

  it("keeps the English text", () => {
    list();
    expect(screen.getByTestId("conversation-list").getAttribute("aria-label")).toBe("Conversations");
    expect(badges()).toEqual(["1 unread", "3 unread", "21 unread"]);
    expect(previews()).toEqual(["You: hola", "You: hola", "You: hola"]);
  });

  it("speaks Russian, with its plural forms, in rows already shown", async () => {
    list();
    await act(() => setLanguage("ru"));
    expect(screen.getByTestId("conversation-list").getAttribute("aria-label")).toBe("Разговоры");
    expect(badges()).toEqual(["1 непрочитанное сообщение", "3 непрочитанных сообщения", "21 непрочитанное сообщение"]);
    expect(previews()).toEqual(["Вы: hola", "Вы: hola", "Вы: hola"]);
  });
});

describe("MessageBubble", () => {
  const order: Message = {
    id: 1,
    wamid: "wamid.1",
    conversation_id: 1,
    direction: "outbound",
    kind: "order",
    body: "",
    sent_at: NOW,
    status: "read",
    reply_to_wamid: null,
    sent_by: null,
    content: { type: "order", text: null, items: 5 },
    quoted: null,
    reactions: [],
    failure: { code: 131047, title: "Re-engagement message", detail: null, refusal: "window_closed" },
    edited_at: null,
    revoked: false,
    outbox: null,
  };

  it("keeps the English text", () => {
    render(<MessageBubble message={order} />);
    const bubble = screen.getByTestId("message-bubble");
    expect(bubble.textContent).toContain("order 5 items");
    expect(screen.getByTestId("message-failure").textContent).toBe(
      "Not delivered (131047): The customer last wrote more than 24 hours ago. Send an approved template to reopen the conversation.",
    );
    expect(screen.getByTestId("message-status").textContent).toBe("✓✓ read");
    expect(screen.getByTestId("message-status").title).toBe("read");
  });

  it("speaks Spanish and Russian", async () => {
    await setLanguage("es");
    const { unmount } = render(<MessageBubble message={order} />);
    expect(screen.getByTestId("message-bubble").textContent).toContain("pedido 5 artículos");
    expect(screen.getByTestId("message-failure").textContent).toBe(
      "No entregado (131047): El cliente escribió por última vez hace más de 24 horas. Envía una plantilla aprobada para reabrir la conversación.",
    );
    unmount();
    await setLanguage("ru");
    render(<MessageBubble message={order} />);
    expect(screen.getByTestId("message-bubble").textContent).toContain("заказ 5 товаров");
    expect(screen.getByTestId("message-status").textContent).toBe("✓✓ прочитано");
  });

  it("words a refusal in the window's language, and keeps Meta's words for one it does not know", async () => {
    const refused: Message = {
      ...order,
      status: "failed",
      failure: null,
      outbox: { id: "o1", state: "failed", offer_templates: false, can_retry: false, reason: "Too many messages.", refusal: "pair_rate_limit", unconfirmed: null },
    };
    await setLanguage("ru");
    const { unmount } = render(<MessageBubble message={refused} />);
    expect(screen.getByTestId("message-failure").textContent).toBe(
      "Не доставлено: Слишком много сообщений этому клиенту за короткое время. Hourglass повторит попытку чуть позже.",
    );
    unmount();
    const odd: Message = {
      ...order,
      failure: { code: 199999, title: "Something new", detail: "Meta's own detail", refusal: "unknown" },
    };
    render(<MessageBubble message={odd} />);
    expect(screen.getByTestId("message-failure").textContent).toBe("Не доставлено (199999): Meta's own detail");
    await setLanguage("en");
  });

  it("names a colleague's send, and not this agent's own", () => {
    const byMaria: Message = { ...order, sent_by: "maria", failure: null };
    const { unmount } = render(<MessageBubble message={byMaria} me="you" />);
    expect(screen.getByTestId("message-sender").textContent).toBe("maria");
    expect(screen.getByTestId("message-sender").title).toBe("Sent by maria");
    unmount();
    const { unmount: gone } = render(<MessageBubble message={{ ...byMaria, sent_by: "you" }} me="you" />);
    expect(screen.queryByTestId("message-sender")).toBeNull();
    gone();
    // A customer is never labelled as an agent.
    render(<MessageBubble message={{ ...byMaria, direction: "inbound" }} me="you" />);
    expect(screen.queryByTestId("message-sender")).toBeNull();
  });
});

describe("App", () => {
  beforeEach(() => mockWindows("main"));

  it("shows the empty inbox in English, Russian and Spanish", async () => {
    mockBackend((cmd) => (cmd === "list_conversations" ? [] : undefined));
    render(<App />);
    const empty = await screen.findByTestId("inbox-empty");
    expect(empty.textContent).toContain("No conversations yet");
    expect((await screen.findByTestId("start-demo")).textContent).toBe("Try the demo");
    expect(screen.getByTestId("filter-closing").textContent).toBe("Closing soon");
    expect(screen.getByTestId("update-check").textContent).toBe("Check for updates");
    expect(screen.getByTestId("chat-empty").textContent).toBe(
      "Pick a conversationChoose a chat on the left to read it and reply.",
    );

    await act(() => setLanguage("ru"));
    expect(empty.textContent).toContain("Разговоров пока нет");
    expect(screen.getByTestId("start-demo").textContent).toBe("Попробовать демо");
    expect(screen.getByTestId("filter-closing").textContent).toBe("Скоро закроются");
    expect(screen.getByTestId("filter-closing").title).toBe("Окна, в которых осталось меньше часа");
    expect(screen.getByTestId("open-lead-links").textContent).toBe("Ссылки для лидов");
    expect(screen.getByTestId("update-check").textContent).toBe("Проверить обновления");

    await act(() => setLanguage("es"));
    expect(empty.textContent).toContain("Todavía no hay conversaciones");
    expect(screen.getByTestId("filter-all").textContent).toBe("Todas");
    expect(screen.getByTestId("open-notification-settings").textContent).toBe("Notificaciones");
  });

  it("filters in Russian, with the English test ids", async () => {
    await setLanguage("ru");
    const now = Math.floor(Date.now() / 1000);
    mockBackend((cmd) => {
      if (cmd === "list_conversations") return [conv(1, "Anna", now - 3600, 0)];
      if (cmd === "list_messages") return { messages: [], has_older: false, has_newer: false };
      return undefined;
    });
    render(<App />);
    await screen.findByTestId("conversation-list");
    fireEvent.click(screen.getByTestId("filter-closing"));
    const empty = await screen.findByTestId("filter-empty");
    expect(empty.textContent).toBe("Под этот фильтр не подходит ни один разговор.");
    fireEvent.click(screen.getByTestId("filter-all"));
    fireEvent.click(within(screen.getByTestId("conversation-list")).getByTestId("conversation-item"));
    expect((await screen.findByTestId("composer-input")).getAttribute("placeholder")).toBe(
      "Подключите номер WhatsApp, чтобы отвечать",
    );
    expect(screen.getByTestId("composer-send").textContent).toBe("Отправить");
  });
});
