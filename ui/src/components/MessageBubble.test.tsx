// The bubble of a send WhatsApp never confirmed asks the agent, in each
// language, and each answer reaches the Rust side exactly once.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Message } from "../bindings/Message";
import type { OutboxInfo } from "../bindings/OutboxInfo";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { MessageBubble } from "./MessageBubble";
import { textMessage } from "../test/messages";

afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

function unconfirmed(state: OutboxInfo["state"], unconfirmed: OutboxInfo["unconfirmed"]): Message {
  return textMessage(7, {
    wamid: "local:o7",
    direction: "outbound",
    body: "Your order ships today",
    sent_at: 1_800_000_000,
    status: state === "failed" ? "failed" : "pending",
    outbox: {
      id: "o7",
      state,
      offer_templates: false,
      can_retry: false,
      reason: "WhatsApp did not confirm this message.",
      refusal: null,
      unconfirmed,
    },
  });
}

function backend() {
  const calls: [string, unknown][] = [];
  mockWindows("main");
  mockBackend((cmd, args) => {
    if (cmd === "retry_send" || cmd === "discard_send") {
      calls.push([cmd, args?.outboxId]);
      return null;
    }
    return undefined;
  });
  return calls;
}

describe("an unconfirmed send", () => {
  it("asks the agent instead of showing a failure, and Send again sends once", async () => {
    const calls = backend();
    render(<MessageBubble message={unconfirmed("needs_human", "ask")} />);
    expect(screen.getByTestId("message-unconfirmed").textContent).toContain(
      "WhatsApp did not confirm this message. Send again?",
    );
    expect(screen.queryByTestId("message-failure")).toBeNull();
    expect(screen.queryByTestId("message-retry")).toBeNull();
    fireEvent.click(screen.getByTestId("message-send-again"));
    await waitFor(() => expect(calls).toEqual([["retry_send", "o7"]]));
  });

  it("Discard tells the Rust side not to send it again", async () => {
    const calls = backend();
    render(<MessageBubble message={unconfirmed("needs_human", "ask")} />);
    expect(screen.getByTestId("message-discard").textContent).toBe("Discard");
    fireEvent.click(screen.getByTestId("message-discard"));
    await waitFor(() => expect(calls).toEqual([["discard_send", "o7"]]));
  });

  it("speaks Russian and Spanish", async () => {
    backend();
    await setLanguage("ru");
    const { unmount } = render(<MessageBubble message={unconfirmed("needs_human", "ask")} />);
    expect(screen.getByTestId("message-unconfirmed").textContent).toContain(
      "WhatsApp не подтвердил это сообщение. Отправить ещё раз?",
    );
    expect(screen.getByTestId("message-send-again").textContent).toBe("Отправить ещё раз");
    unmount();
    await setLanguage("es");
    render(<MessageBubble message={unconfirmed("needs_human", "ask")} />);
    expect(screen.getByTestId("message-send-again").textContent).toBe("Enviar de nuevo");
    expect(screen.getByTestId("message-discard").textContent).toBe("Descartar");
  });

  it("once discarded, says it was not sent again and offers nothing", () => {
    backend();
    render(<MessageBubble message={unconfirmed("failed", "discarded")} />);
    expect(screen.getByTestId("message-failure").textContent).toBe(
      "WhatsApp did not confirm this message; it was not sent again.",
    );
    expect(screen.queryByTestId("message-unconfirmed")).toBeNull();
    expect(screen.queryByTestId("message-retry")).toBeNull();
  });
});
