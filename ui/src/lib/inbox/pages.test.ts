import { describe, expect, it } from "vitest";
import type { Message } from "../../bindings/Message";
import type { MessagePage } from "../../bindings/MessagePage";
import { textMessage } from "../../test/messages";
import { type ChatWindow, fromPage, mergeLive, withNewer, withOlder } from "./pages";

const message = (id: number, at = 1_000 + id, conversation = 1) => textMessage(id, { sent_at: at, conversation_id: conversation });

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => message(from + i));
const page = (messages: Message[], has_older: boolean, has_newer: boolean): MessagePage => ({ messages, has_older, has_newer });
const ids = (w: ChatWindow) => w.messages.map((m) => m.id);

describe("the pages a chat holds", () => {
  it("prepends older pages and drops the newest beyond the limit", () => {
    let w = fromPage(1, page(range(300, 400), true, false));
    w = withOlder(w, page(range(200, 300), true, true), 250);
    expect(ids(w)).toEqual(range(200, 400).map((m) => m.id));
    expect([w.older, w.newer]).toEqual([true, false]);
    w = withOlder(w, page(range(100, 200), false, true), 250);
    // 300 read, 250 kept: the newest 50 go, and the window says so.
    expect(ids(w)).toEqual(range(100, 350).map((m) => m.id));
    expect([w.older, w.newer]).toEqual([false, true]);
  });

  it("appends newer pages and drops the oldest beyond the limit", () => {
    let w = fromPage(1, page(range(0, 100), false, true));
    w = withNewer(w, page(range(100, 200), true, true), 150);
    expect(ids(w)).toEqual(range(50, 200).map((m) => m.id));
    expect([w.older, w.newer]).toEqual([true, true]);
    w = withNewer(w, page(range(200, 210), true, false), 150);
    expect(ids(w).at(-1)).toBe(209);
    expect(w.newer).toBe(false);
  });

  it("never holds a message twice when pages overlap", () => {
    let w = fromPage(1, page(range(10, 20), true, false));
    w = withOlder(w, page(range(5, 12), false, true));
    expect(ids(w)).toEqual(range(5, 20).map((m) => m.id));
  });

  it("takes live messages at the newest end only while it holds the newest", () => {
    const newest = fromPage(1, page(range(10, 20), true, false));
    const w = mergeLive(newest, [message(20), message(99, 2_000, 2)], 1);
    expect(ids(w).at(-1)).toBe(20);
    expect(w.messages).toHaveLength(11);
    // Reading history: the new message waits for the newer page.
    const history = fromPage(1, page(range(10, 20), true, true));
    expect(mergeLive(history, [message(20)], 1)).toBe(history);
    // A message older than what is held waits for the older page.
    expect(mergeLive(newest, [message(3)], 1)).toBe(newest);
    // A change to a held message replaces it in place.
    const edited = { ...message(15), body: "edited" };
    expect(mergeLive(history, [edited], 1).messages[5]).toBe(edited);
    // Another chat's window is left alone.
    expect(mergeLive(newest, [message(21)], 2)).toBe(newest);
  });

  it("orders messages of the same second by id and bounds what live messages add", () => {
    let w = fromPage(1, page([message(1, 50), message(3, 50)], false, false));
    w = mergeLive(w, [message(2, 50)], 1);
    expect(ids(w)).toEqual([1, 2, 3]);
    w = mergeLive(w, range(4, 10), 1, 5);
    expect(ids(w)).toEqual([5, 6, 7, 8, 9]);
    expect([w.older, w.newer]).toEqual([true, false]);
  });
});
