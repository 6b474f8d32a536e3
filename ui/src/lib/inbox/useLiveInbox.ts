// The live inbox: the conversation list, the session and the sync's state,
// read once the window listens and kept current by the shell's events.
import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationId } from "../../bindings/ConversationId";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import type { SessionInfo } from "../../bindings/SessionInfo";
import type { WorkerState } from "../../bindings/WorkerState";
import { errorText } from "../i18n/problem";
import {
  CommandError,
  getSession,
  listConversations,
  markConversationRead,
  onOpenConversation,
  onOutboxChange,
  onReload,
  onSendingState,
  onSessionChanged,
  onSyncUpdate,
  takeArrivedConversations,
  takePrefetchedConversations,
} from "../ipc";
import { applySync, chatStep, type LiveState, mergeLoaded, STARTING } from "./live";
import type { OpenChat } from "./useOpenChat";

export type LiveInbox = LiveState & {
  session: SessionInfo | null;
  /** The outbox worker's state, once known. */
  sending: WorkerState | null;
  /** Reads the list again. */
  refresh: () => Promise<void>;
  /** Conversations changed here (a team action, a first template): merged in place. */
  merge: (changed: ConversationSummary[]) => void;
  /** A session was started or changed here (demo, connect, settings): its inbox is read. */
  adopt: (session: SessionInfo, withSending?: boolean) => Promise<void>;
  dismissUnapplied: () => void;
  dismissHistory: () => void;
};

/**
 * Subscribes to the shell's events, then reads the list and the session:
 * whatever changed before is in what is read, whatever changes after
 * arrives as an event. `chat` is the open chat the events also update;
 * `onOpen` runs when the shell asks to open a conversation (a notification).
 */
export function useLiveInbox(chat: OpenChat, onOpen: (id: ConversationId) => void): LiveInbox {
  // The list asked for as the page started, when it is already here: the
  // first frame shows it (it is read again once the window listens).
  const [live, setLive] = useState<LiveState>(() => {
    const arrived = takeArrivedConversations();
    return arrived ? { ...STARTING, conversations: { state: "ready", value: arrived } } : STARTING;
  });
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [sending, setSending] = useState<WorkerState | null>(null);
  // The handlers below outlive renders: they read the latest of these.
  const latest = useRef({ chat, onOpen });
  latest.current = { chat, onOpen };

  const refresh = useCallback(async () => {
    try {
      const value = await listConversations();
      setLive((s) => ({ ...s, conversations: { state: "ready", value } }));
    } catch (err) {
      const code = err instanceof CommandError ? err.code : "unknown";
      setLive((s) => ({ ...s, conversations: { state: "failed", code, message: errorText(err) } }));
    }
  }, []);

  const merge = useCallback((changed: ConversationSummary[]) => {
    setLive((s) => ({ ...s, conversations: mergeLoaded(s.conversations, changed) }));
  }, []);

  const markRead = useCallback(
    (id: ConversationId) => {
      markConversationRead(id)
        .then((c) => c && merge([c]))
        // Reading state is best effort: the chat stays usable either way.
        .catch(() => undefined);
    },
    [merge],
  );

  useEffect(() => {
    const stops = [
      onSyncUpdate((update) => {
        setLive((s) => applySync(s, update));
        if (update.type !== "inbox") return;
        const { chat } = latest.current;
        const open = chat.selectedRef.current;
        const step = chatStep(update, open, document.hasFocus());
        if (open === null || step.kind === "none") return;
        if (step.kind === "close") return chat.close();
        if (step.markRead) markRead(open);
        if (step.kind === "reload") chat.reload(open);
        else chat.merge(update.messages, open);
      }),
      onReload(() => {
        void refresh();
        const { chat } = latest.current;
        if (chat.selectedRef.current !== null) chat.reload(chat.selectedRef.current);
      }),
      onOutboxChange((change) => {
        merge([change.conversation]);
        latest.current.chat.merge([change.message]);
      }),
      onSendingState(setSending),
      onOpenConversation((id) => latest.current.onOpen(id)),
      onSessionChanged((s) => {
        setSession(s);
        setLive((l) => ({ ...l, connection: s.connection }));
        latest.current.chat.close();
        void refresh();
      }),
    ];
    let listening = true;
    // The list asked for as the page started is shown first, unless the
    // read below (made once listening, so nothing is missed) answered before.
    takePrefetchedConversations()
      ?.then((value) => {
        if (!listening) return;
        setLive((s) => (s.conversations.state === "loading" ? { ...s, conversations: { state: "ready", value } } : s));
      })
      .catch(() => undefined);
    void Promise.all(stops).then(() => {
      if (!listening) return;
      void refresh();
      getSession()
        .then((s) => {
          setSession(s);
          // A live update may have arrived first; it is newer.
          setLive((l) => ({ ...l, connection: l.connection ?? s.connection }));
          setSending((current) => current ?? s.sending);
        })
        .catch(() => setSession(null));
    });
    return () => {
      listening = false;
      for (const stop of stops) void stop.then((unlisten) => unlisten());
    };
  }, [refresh, merge, markRead]);

  // A chat that opens is read.
  const selected = chat.selected;
  useEffect(() => {
    if (selected !== null) markRead(selected);
  }, [selected, markRead]);

  const adopt = useCallback(
    (s: SessionInfo, withSending = false) => {
      setSession(s);
      setLive((l) => ({ ...l, connection: s.connection }));
      if (withSending) setSending(s.sending);
      return refresh();
    },
    [refresh],
  );

  const dismissUnapplied = useCallback(() => setLive((l) => ({ ...l, unapplied: 0 })), []);
  const dismissHistory = useCallback(() => setLive((l) => ({ ...l, historyBefore: null })), []);

  return { ...live, session, sending, refresh, merge, adopt, dismissUnapplied, dismissHistory };
}
