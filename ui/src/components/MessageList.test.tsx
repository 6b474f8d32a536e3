// The chat's list opens at its newest message and draws that part first.
import { cleanup, render } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClockProvider } from "../lib/clock";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { SHEENA } from "../test/conversations";
import { textMessage } from "../test/messages";
import { ChatPane } from "./ChatPane";
import { MessageList } from "./MessageList";
import { mergeTimeline } from "./timeline";

// jsdom does no layout: each row is given a text bubble's height, so the
// list holds more rows than fit in view, as in the window.
const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "offsetHeight");
beforeEach(() => {
  mockWindows("main");
  mockBackend(() => undefined);
  Object.defineProperty(HTMLElement.prototype, "offsetHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains("timeline-row") ? 62 : 0;
    },
  });
});
afterEach(() => {
  cleanup();
  clearMocks();
  if (offsetHeight) Object.defineProperty(HTMLElement.prototype, "offsetHeight", offsetHeight);
});

const messages = Array.from({ length: 100 }, (_, i) => textMessage(i + 1, { body: `Message ${i + 1}` }));

/** The ids of every bubble `draw` put in the document, even for a moment. */
function drawnBy(draw: () => void): Set<string> {
  const drawn = new Set<string>();
  const observer = new MutationObserver(() => undefined);
  observer.observe(document.body, { childList: true, subtree: true });
  draw();
  for (const record of observer.takeRecords()) {
    for (const node of record.addedNodes) {
      if (!(node instanceof HTMLElement)) continue;
      for (const bubble of node.querySelectorAll<HTMLElement>("[data-testid=message-bubble]")) drawn.add(bubble.dataset.messageId ?? "");
      if (node.dataset.testid === "message-bubble") drawn.add(node.dataset.messageId ?? "");
    }
  }
  observer.disconnect();
  return drawn;
}

const conversation = SHEENA;

describe("MessageList", () => {
  it("draws the newest messages first when it opens at the newest, never the oldest held", () => {
    const drawn = drawnBy(() =>
      render(
      <ClockProvider>
        <MessageList
          rows={mergeTimeline(messages, [])}
          older={true}
          newer={false}
          anchor={null}
          error={null}
          empty={false}
          me={null}
          blockedSince={null}
        />
      </ClockProvider>,
      ),
    );
    expect(drawn.has("100")).toBe(true);
    expect(drawn.has("1")).toBe(false);
  });

  it("does so too in a chat that opened before its first page came", () => {
    const chat = (held: typeof messages) => (
      <ClockProvider>
        <ChatPane conversation={conversation} messages={held} older={held.length > 0} error={null} canSend={false} onQueued={() => undefined} />
      </ClockProvider>
    );
    const { rerender } = render(chat([]));
    const drawn = drawnBy(() => rerender(chat(messages)));
    expect(drawn.has("100")).toBe(true);
    expect(drawn.has("1")).toBe(false);
  });
});
