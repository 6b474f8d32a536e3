// The inbox's shortcuts: what each action does to the list, the open chat,
// the filters and the screens.
import type { RefObject } from "react";
import type { ConversationId } from "../../bindings/ConversationId";
import { useShortcuts } from ".";
import { type Action, moveCursor } from "./shortcuts";

/** What the open chat does for the keyboard (the chat pane's handle). */
export type ChatKeys = {
  focusComposer: () => boolean;
  openTemplates: () => boolean;
  composer: () => HTMLTextAreaElement | null;
  status: (action: "resolve" | "snooze" | "reopen") => boolean;
};

export type InboxKeys = {
  /** The rows the list shows, in order. */
  ids: readonly ConversationId[];
  /** The row under the keyboard cursor, and the chat open. */
  active: ConversationId | null;
  selected: ConversationId | null;
  setActive: (id: ConversationId) => void;
  open: (id: ConversationId) => void;
  list: RefObject<HTMLUListElement | null>;
  search: RefObject<HTMLInputElement | null>;
  chat: RefObject<ChatKeys | null>;
  /** The inbox is the screen shown (not settings, reports…). */
  inInbox: boolean;
  showInbox: () => void;
  filter: (filter: "all" | "leads" | "closing") => void;
  /** Opens the new-conversation dialog; null when this session cannot send. */
  newConversation: (() => void) | null;
  help: () => void;
};

/**
 * Focuses the list without scrolling it (it is as tall as all its rows:
 * focusing it must not scroll it back to the top).
 */
export function focusList(list: RefObject<HTMLUListElement | null>): boolean {
  if (!list.current) return false;
  list.current.focus({ preventScroll: true });
  return true;
}

/** Runs one action; says whether it did something. */
export function runInboxAction(action: Action, k: InboxKeys): boolean {
  switch (action) {
    case "next":
    case "previous":
    case "first":
    case "last": {
      const to = moveCursor(k.ids, k.active, k.selected, action);
      if (to === null) return false;
      // Focus first: the list's focus handler places the cursor only when
      // it has none, and this move comes after it.
      focusList(k.list);
      k.setActive(to);
      return true;
    }
    case "open":
      if (k.active === null || !k.ids.includes(k.active)) return false;
      k.open(k.active);
      return true;
    case "reply":
      return k.chat.current?.focusComposer() ?? false;
    case "templates":
      return k.chat.current?.openTemplates() ?? false;
    case "resolve":
    case "snooze":
    case "reopen":
      return k.inInbox ? (k.chat.current?.status(action) ?? false) : false;
    case "filterAll":
      k.filter("all");
      return true;
    case "filterLeads":
      k.filter("leads");
      return true;
    case "filterClosing":
      k.filter("closing");
      return true;
    case "search": {
      const input = k.search.current;
      if (!input) return false;
      k.showInbox();
      input.focus();
      input.select();
      return true;
    }
    case "newConversation":
      if (!k.newConversation) return false;
      k.newConversation();
      return true;
    case "help":
      k.help();
      return true;
    case "leaveComposer":
      if (!focusList(k.list) && document.activeElement instanceof HTMLElement) document.activeElement.blur();
      return true;
    case "close":
      if (k.inInbox) return false;
      k.showInbox();
      return true;
  }
}

/** The inbox's shortcuts, listened to in the whole window. */
export function useInboxShortcuts(keys: InboxKeys) {
  useShortcuts(
    (action) => runInboxAction(action, keys),
    () => ({ list: keys.list.current, composer: keys.chat.current?.composer() ?? null }),
  );
}
