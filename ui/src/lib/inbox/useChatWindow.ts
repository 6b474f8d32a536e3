// The open chat's pages: the first read where the chat opens, older and
// newer ones as the agent scrolls toward either end.
import { useCallback, useRef, useState } from "react";
import type { ConversationId } from "../../bindings/ConversationId";
import type { PageAt } from "../../bindings/PageAt";
import { errorText } from "../i18n/problem";
import { listMessages } from "../ipc";
import { type ChatWindow, fromPage, NO_CHAT, PAGE_SIZE, withNewer, withOlder } from "./pages";

export type ChatPages = {
  chat: ChatWindow;
  /** Applies a change to what is held (live updates, a message just queued). */
  setChat: (update: (prev: ChatWindow) => ChatWindow) => void;
  /** Why the chat or its next page could not be read. */
  error: string | null;
  /** Reads a chat's first page; what an earlier read brings after this is ignored. */
  open: (conversation: ConversationId, at: PageAt) => void;
  /** Reads the next page toward one end, unless one is on its way or that end is reached. */
  more: (side: "older" | "newer") => void;
};

export function useChatWindow(): ChatPages {
  const [chat, setChatState] = useState<ChatWindow>(NO_CHAT);
  const [error, setError] = useState<string | null>(null);
  // What is held, changed here at once and mirrored into React's state: a
  // scroll between a page's arrival and its render reads the new edges, so
  // it never asks again for the page that just came in.
  const current = useRef(chat);
  const change = useCallback((update: (prev: ChatWindow) => ChatWindow) => {
    const next = update(current.current);
    if (next === current.current) return;
    current.current = next;
    setChatState(next);
  }, []);
  // Every open starts a new generation: pages of an earlier one are dropped.
  const generation = useRef(0);
  const busy = useRef({ older: false, newer: false });

  const open = useCallback(
    (conversation: ConversationId, at: PageAt) => {
      generation.current += 1;
      const g = generation.current;
      busy.current = { older: false, newer: false };
      setError(null);
      // Another chat's messages go at once; the same chat's stay until replaced.
      change((prev) => (prev.conversation === conversation ? prev : { ...NO_CHAT, conversation }));
      listMessages(conversation, at, PAGE_SIZE)
        .then((page) => {
          if (g === generation.current) change(() => fromPage(conversation, page));
        })
        .catch((err: unknown) => {
          if (g === generation.current) setError(errorText(err));
        });
    },
    [change],
  );

  const more = useCallback(
    (side: "older" | "newer") => {
      const w = current.current;
      if (w.conversation === null || !w[side] || busy.current[side]) return;
      const edge = side === "older" ? w.messages[0] : w.messages.at(-1);
      if (!edge) return;
      const conversation = w.conversation;
      const g = generation.current;
      busy.current[side] = true;
      listMessages(conversation, side === "older" ? { at: "before", message: edge.id } : { at: "after", message: edge.id }, PAGE_SIZE)
        .then((page) => {
          if (g !== generation.current) return;
          change((prev) => {
            // The edge moved meanwhile (a page dropped): this page no longer joins it.
            const now = side === "older" ? prev.messages[0] : prev.messages.at(-1);
            if (prev.conversation !== conversation || now?.id !== edge.id) return prev;
            return side === "older" ? withOlder(prev, page) : withNewer(prev, page);
          });
        })
        .catch((err: unknown) => {
          if (g === generation.current) setError(errorText(err));
        })
        .finally(() => {
          if (g === generation.current) busy.current[side] = false;
        });
    },
    [change],
  );

  return { chat, setChat: change, error, open, more };
}
