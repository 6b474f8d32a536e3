import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { MessagePage } from "../../bindings/MessagePage";
import type { PageAt } from "../../bindings/PageAt";
import { textMessage } from "../../test/messages";
import { clearMocks, mockBackend } from "../ipc/testing";
import { PAGE_SIZE } from "./pages";
import { useChatWindow } from "./useChatWindow";

/** A chat of `count` messages, ids 1 to `count`, oldest first. */
const CHAT = 1_000;
const message = (id: number) => textMessage(id, { conversation_id: 7, body: `Message ${id}` });

/** The store's answer: `limit` messages from where `at` says. */
function page(at: PageAt, limit: number): MessagePage {
  const [from, to] =
    at.at === "newest"
      ? [CHAT - limit + 1, CHAT]
      : at.at === "after"
        ? [at.message + 1, Math.min(CHAT, at.message + limit)]
        : at.at === "before"
          ? [Math.max(1, at.message - limit), at.message - 1]
          : [1, limit];
  const messages = Array.from({ length: to - from + 1 }, (_, i) => message(from + i));
  return { messages, has_older: from > 1, has_newer: to < CHAT };
}

/** Lets the answers already on their way arrive. */
const arrive = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => clearMocks());

describe("useChatWindow", () => {
  it("reads the next page from the edge a page just brought, before the window shows it", async () => {
    const asked: PageAt[] = [];
    mockBackend((cmd, args) => {
      if (cmd !== "list_messages") return undefined;
      const at = args?.at as PageAt;
      asked.push(at);
      return page(at, Number(args?.limit));
    });
    const { result } = renderHook(() => useChatWindow());
    act(() => result.current.open(7, { at: "around", message: 1 }));
    await waitFor(() => expect(result.current.chat.messages).toHaveLength(PAGE_SIZE));

    // Inside one act nothing renders: the second ask comes after the first
    // page arrived and before the window showed it, as a scroll event can.
    await act(async () => {
      result.current.more("newer");
      await arrive();
      result.current.more("newer");
      await arrive();
    });

    expect(asked.slice(1)).toEqual([
      { at: "after", message: PAGE_SIZE },
      { at: "after", message: 2 * PAGE_SIZE },
    ]);
    const ids = result.current.chat.messages.map((m) => m.id);
    expect(ids).toEqual(Array.from({ length: 3 * PAGE_SIZE }, (_, i) => i + 1));
    expect(result.current.chat.newer).toBe(true);
  });

  it("asks once while a page toward that end is on its way", async () => {
    const asked: PageAt[] = [];
    mockBackend((cmd, args) => {
      if (cmd !== "list_messages") return undefined;
      asked.push(args?.at as PageAt);
      return page(args?.at as PageAt, Number(args?.limit));
    });
    const { result } = renderHook(() => useChatWindow());
    act(() => result.current.open(7, { at: "newest" }));
    await waitFor(() => expect(result.current.chat.messages).toHaveLength(PAGE_SIZE));

    await act(async () => {
      result.current.more("older");
      result.current.more("older");
      await arrive();
    });

    expect(asked.slice(1)).toEqual([{ at: "before", message: CHAT - PAGE_SIZE + 1 }]);
    expect(result.current.chat.messages[0]?.id).toBe(CHAT - 2 * PAGE_SIZE + 1);
  });
});
