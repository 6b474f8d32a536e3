// The chat open in the inbox: which conversation, where it opened (a search
// hit, a message in the contact panel's history, or its newest messages),
// and the pages of it the window holds.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationId } from "../../bindings/ConversationId";
import type { Message } from "../../bindings/Message";
import { type ChatAnchor, firstPage } from "./anchor";
import { mergeLive } from "./pages";
import { type ChatPages, useChatWindow } from "./useChatWindow";

export type OpenChat = {
  selected: ConversationId | null;
  /** The same, for event handlers that outlive a render. */
  selectedRef: { readonly current: ConversationId | null };
  anchor: ChatAnchor | null;
  pages: ChatPages;
  /** Opens a chat at its newest messages. */
  open: (id: ConversationId) => void;
  /** Opens a chat at a message or note (a new anchor, even for the same one again). */
  openAt: (anchor: Omit<ChatAnchor, "seq">) => void;
  /** Selects a chat, keeping the anchor (a link, a notification). */
  select: (id: ConversationId) => void;
  close: () => void;
  /** Back from an anchor to the newest messages. */
  showNewest: () => void;
  /** Reads the chat's first page again. */
  reload: (id: ConversationId) => void;
  /** Messages the sync or the outbox changed, for the chat held. */
  merge: (messages: readonly Message[], id?: ConversationId) => void;
  /** The agent queued `m` in chat `id`: it joins the newest messages, read again first when older ones show. */
  queued: (id: ConversationId, m: Message) => void;
};

/** Names a chat's first read: the chat, and the anchor it opens at. */
function readKey(id: ConversationId, anchor: ChatAnchor | null): string {
  return anchor?.conversation === id ? `${id}@${anchor.seq}` : `${id}`;
}

export function useOpenChat(): OpenChat {
  const [selected, setSelected] = useState<ConversationId | null>(null);
  const selectedRef = useRef<ConversationId | null>(null);
  selectedRef.current = selected;
  const [anchor, setAnchor] = useState<ChatAnchor | null>(null);
  const anchorRef = useRef<ChatAnchor | null>(null);
  anchorRef.current = anchor;
  const pages = useChatWindow();
  const { open: openPage, setChat } = pages;

  // The read the held pages come from: a chat and its anchor, read once.
  const lastRead = useRef<string | null>(null);
  const read = useCallback(
    (id: ConversationId, at: ChatAnchor | null) => {
      lastRead.current = readKey(id, at);
      openPage(id, firstPage(at, id));
    },
    [openPage],
  );
  const reload = useCallback((id: ConversationId) => read(id, anchorRef.current), [read]);

  // The chat loads when it is selected, and again for each search hit in it
  // (and when the agent goes back from a hit to the newest messages), unless
  // the click that opened it already asked.
  const anchorKey = anchor !== null && anchor.conversation === selected ? anchor.seq : null;
  useEffect(() => {
    if (selected === null) lastRead.current = null;
    else if (lastRead.current !== readKey(selected, anchorRef.current)) read(selected, anchorRef.current);
  }, [selected, anchorKey, read]);

  // The page is asked for with the click (or the search hit), not after
  // React has drawn the empty chat: it is on its way while the chat's frame
  // renders, and ahead of the chat's other reads (its team, its contact).
  const open = useCallback(
    (id: ConversationId) => {
      if (lastRead.current !== readKey(id, null)) read(id, null);
      setAnchor(null);
      setSelected(id);
    },
    [read],
  );
  const openAt = useCallback(
    (at: Omit<ChatAnchor, "seq">) => {
      const anchor = { ...at, seq: (anchorRef.current?.seq ?? 0) + 1 };
      anchorRef.current = anchor;
      read(at.conversation, anchor);
      setAnchor(anchor);
      setSelected(at.conversation);
    },
    [read],
  );
  const close = useCallback(() => setSelected(null), []);
  const showNewest = useCallback(() => setAnchor(null), []);
  const merge = useCallback(
    (messages: readonly Message[], id?: ConversationId) => {
      const into = id ?? selectedRef.current;
      if (into !== null) setChat((prev) => mergeLive(prev, messages, into));
    },
    [setChat],
  );

  const queued = (id: ConversationId, m: Message) => {
    if (pages.chat.conversation === id && pages.chat.newer) {
      setAnchor(null);
      openPage(id, { at: "newest" });
    } else {
      setChat((prev) => mergeLive(prev, [m], id));
    }
  };

  return { selected, selectedRef, anchor, pages, open, openAt, select: setSelected, close, showNewest, reload, merge, queued };
}
