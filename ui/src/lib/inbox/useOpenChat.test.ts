import { act, renderHook, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { PageAt } from "../../bindings/PageAt";
import { textMessage } from "../../test/messages";
import { clearMocks, mockBackend } from "../ipc/testing";
import { useOpenChat } from "./useOpenChat";

afterEach(() => clearMocks());

/** Answers every page read with one message of the chat asked for; records the reads. */
function recordReads(): { chat: number; at: PageAt }[] {
  const reads: { chat: number; at: PageAt }[] = [];
  mockBackend((cmd, args) => {
    if (cmd !== "list_messages") return undefined;
    const chat = Number(args?.conversationId);
    reads.push({ chat, at: args?.at as PageAt });
    return { messages: [textMessage(chat * 100, { conversation_id: chat })], has_older: false, has_newer: false };
  });
  return reads;
}

describe("useOpenChat", () => {
  it("asks for a chat's page with the click that opens it, and only once", async () => {
    const reads = recordReads();
    const { result } = renderHook(() => useOpenChat());

    act(() => {
      result.current.open(7);
      // Before React has rendered the chat or run its effects.
      expect(reads).toEqual([{ chat: 7, at: { at: "newest" } }]);
    });
    await waitFor(() => expect(result.current.pages.chat.messages.map((m) => m.id)).toEqual([700]));
    expect(reads).toHaveLength(1);

    // The open chat clicked again: nothing to read.
    act(() => result.current.open(7));
    expect(reads).toHaveLength(1);

    // Another chat, then back: each is read once more.
    act(() => result.current.open(8));
    await waitFor(() => expect(result.current.pages.chat.conversation).toBe(8));
    act(() => result.current.open(7));
    await waitFor(() => expect(result.current.pages.chat.messages.map((m) => m.id)).toEqual([700]));
    expect(reads.map((r) => r.chat)).toEqual([7, 8, 7]);
  });

  it("reads again for a search hit, for the way back to the newest, and after closing", async () => {
    const reads = recordReads();
    const { result } = renderHook(() => useOpenChat());
    act(() => result.current.open(7));
    act(() => {
      result.current.openAt({ conversation: 7, messageId: 42, noteId: null });
      expect(reads).toHaveLength(2);
    });
    act(() => result.current.open(7));
    act(() => result.current.close());
    act(() => result.current.select(7));
    await waitFor(() => expect(reads).toHaveLength(4));
    expect(reads.map((r) => r.at)).toEqual([
      { at: "newest" },
      { at: "around", message: 42 },
      { at: "newest" },
      { at: "newest" },
    ]);
    // Nothing more on its way.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(reads).toHaveLength(4);
  });
});
