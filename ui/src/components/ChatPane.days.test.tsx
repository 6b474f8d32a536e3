// Messages from different days are told apart by a separator naming the
// day, in the window's language; the search anchor still finds its message.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClockProvider } from "../lib/clock";
import { SHEENA } from "../test/conversations";
import { textMessage } from "../test/messages";
import { setLanguage } from "../lib/i18n";
import { clearMocks, mockBackend, mockWindows } from "../lib/ipc/testing";
import { ChatPane } from "./ChatPane";
import { mergeTimeline, withDays } from "./timeline";

const conversation = SHEENA;

const message = (id: number, at: Date) => textMessage(id, { sent_at: Math.floor(at.getTime() / 1000) });

beforeEach(() => {
  mockWindows("main");
  mockBackend(() => undefined);
});
afterEach(async () => {
  cleanup();
  clearMocks();
  await setLanguage("en");
});

describe("day separators", () => {
  const now = new Date();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 0, 30);
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
  const lastYear = new Date(now.getFullYear() - 1, 2, 12, 9);
  const messages = [message(1, lastYear), message(2, lastYear), message(3, yesterday), message(4, today), message(5, today)];

  it("puts one separator before the first message of each day", () => {
    const items = withDays(mergeTimeline(messages, []));
    expect(items.map((i) => (i.kind === "day" ? "day" : i.kind === "message" ? i.message.id : "note"))).toEqual([
      "day", 1, 2, "day", 3, "day", 4, 5,
    ]);
  });

  it("leaves the first day's separator to the older page while one exists", () => {
    const items = withDays(mergeTimeline(messages, []), true);
    expect(items.map((i) => (i.kind === "day" ? "day" : i.kind === "message" ? i.message.id : "note"))).toEqual([
      1, 2, "day", 3, "day", 4, 5,
    ]);
  });

  it("names the days in the window's language, with the year for another year", async () => {
    const { unmount } = render(
      <ClockProvider>
        <ChatPane conversation={conversation} messages={messages} error={null} canSend={false} onQueued={() => undefined} />
      </ClockProvider>,
    );
    const labels = () => screen.getAllByTestId("day-separator").map((d) => d.textContent);
    const year = String(lastYear.getFullYear());
    expect(labels()).toHaveLength(3);
    expect(labels()[0]).toContain(year);
    expect(labels().slice(1)).toEqual(["Yesterday", "Today"]);
    // The bubbles are all still there, in order, each findable by id.
    expect(screen.getAllByTestId("message-bubble").map((b) => b.dataset.messageId)).toEqual(["1", "2", "3", "4", "5"]);
    unmount();
    await setLanguage("ru");
    render(
      <ClockProvider>
        <ChatPane conversation={conversation} messages={messages} error={null} canSend={false} onQueued={() => undefined} />
      </ClockProvider>,
    );
    expect(labels().slice(1)).toEqual(["Вчера", "Сегодня"]);
  });
});

describe("a part of the chat", () => {
  const at = (s: number) => new Date(s * 1000);
  const note = (id: string, s: number) => ({ id, author: "maria", body: id, at_ms: s * 1000 });
  const messages = [message(1, at(1_000)), message(2, at(2_000))];
  const notes = [note("before", 500), note("between", 1_500), note("after", 2_500)];
  const kinds = (held: { older: boolean; newer: boolean }) =>
    mergeTimeline(messages, notes as never, [], held).map((i) => (i.kind === "note" ? i.note.id : i.kind === "message" ? i.message.id : "status"));

  it("shows the notes beyond its ends only where the chat ends", () => {
    expect(kinds({ older: false, newer: false })).toEqual(["before", 1, "between", 2, "after"]);
    expect(kinds({ older: true, newer: false })).toEqual([1, "between", 2, "after"]);
    expect(kinds({ older: false, newer: true })).toEqual(["before", 1, "between", 2]);
    expect(kinds({ older: true, newer: true })).toEqual([1, "between", 2]);
    expect(mergeTimeline([], notes as never, [], { older: true, newer: false })).toEqual([]);
  });

  it("puts the handovers between Meta's AI agent and the team at their time", () => {
    const handovers = [
      { owner: "ai_agent" as const, at: 1_200 },
      { owner: "app" as const, at: 2_200 },
    ];
    const rows = mergeTimeline(messages, [], [], { older: false, newer: false }, handovers).map((i) =>
      i.kind === "handover" ? i.handover.owner : i.kind === "message" ? i.message.id : i.kind,
    );
    expect(rows).toEqual([1, "ai_agent", 2, "app"]);
    // A part of the chat leaves out what lies beyond its ends.
    const part = mergeTimeline(messages, [], [], { older: false, newer: true }, handovers);
    expect(part.filter((i) => i.kind === "handover")).toHaveLength(1);
  });
});
