import { Fragment, type Ref, useImperativeHandle, useLayoutEffect, useRef, useState } from "react";
import type { ChatAnchor } from "../App";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import type { Note } from "../bindings/Note";
import type { StatusChange } from "../bindings/StatusChange";
import { dayKey, dayLabel } from "../lib/format/time";
import { useTranslation } from "../lib/i18n";
import type { MessageId } from "../bindings/MessageId";
import type { ConversationId } from "../bindings/ConversationId";
import { Composer } from "./Composer";
import { ContactPanel, contactVariables, useContact } from "./ContactPanel";
import { LeadSourceCard } from "./LeadBadge";
import { MessageBubble } from "./MessageBubble";
import { OwnerBar } from "./OwnerBar";
import { NoteBubble, NoteComposer, TeamBar, useConversationTeam } from "./TeamPanel";
import { PresenceLine, usePresence } from "./Presence";
import { effectiveStatus, StatusBar, StatusLine, useSetStatus } from "./StatusControl";
import { TemplatePicker } from "./TemplatePicker";
import { WindowCountdown } from "./WindowCountdown";
import { handleBeside } from "../lib/inbox/handle";

type Props = {
  conversation: ConversationSummary;
  messages: Message[];
  error: string | null;
  canSend: boolean;
  onQueued: (message: Message) => void;
  /** Opened from a search hit: the message or note to show. */
  anchor?: ChatAnchor | null;
  /** Leaves the hit for the newest messages. */
  onShowNewest?: () => void;
  /** This agent's name on the relay: a colleague's sends are named. */
  me?: string | null;
  /** Opens a conversation at a message (the contact panel's history). */
  onOpenMessage?: (conversation: ConversationId, message: MessageId) => void;
  ref?: Ref<ChatPaneHandle>;
};

/** How close to the bottom (px) still counts as reading the newest messages. */
const NEAR_BOTTOM = 80;

/** What the inbox's keyboard shortcuts can do in the open chat. */
export type ChatPaneHandle = {
  /**
   * Focuses the message box, or "Choose a template" when the window is
   * closed. False when there is nothing to focus (no number to send from).
   */
  focusComposer: () => boolean;
  /** Opens the template picker; false when nothing can be sent. */
  openTemplates: () => boolean;
  /** The message box, while it is shown. */
  composer: () => HTMLTextAreaElement | null;
  /** Resolves, opens the snooze choices or reopens; false when it does not apply. */
  status: (action: "resolve" | "snooze" | "reopen") => boolean;
};

export function ChatPane({
  conversation,
  messages,
  error,
  canSend,
  onQueued,
  anchor = null,
  onShowNewest,
  me = null,
  onOpenMessage,
  ref,
}: Props) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
  const [writing, setWriting] = useState<"reply" | "note">("reply");
  const { team, setTeam } = useConversationTeam(conversation.id);
  const { panel, setPanel } = useContact(conversation.id);
  const [showContact, setShowContact] = useState(false);
  // Inbound messages that arrived while the customer was blocked are marked.
  const blockedSince = panel?.block?.blocked ? panel.block.at_ms : null;
  const presence = usePresence(conversation.id, canSend);
  const status = useSetStatus(conversation.id, setTeam);
  const [snoozing, setSnoozing] = useState(false);
  // Private notes and status changes sit in the timeline by time, between the messages.
  const timeline = mergeTimeline(messages, team?.notes ?? [], team?.status ?? []);
  const focusTarget = useRef<HTMLTextAreaElement | HTMLButtonElement | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  // Whether the agent is at the newest messages (then new ones keep it there).
  const atBottom = useRef(true);
  const shownAnchor = useRef<number | null>(null);
  /** The hit's element in the timeline, once it is rendered. */
  const findAnchor = (el: HTMLElement): HTMLElement | null => {
    if (anchor?.messageId != null) return el.querySelector<HTMLElement>(`[data-message-id="${anchor.messageId}"]`);
    if (anchor?.noteId != null) {
      return [...el.querySelectorAll<HTMLElement>("[data-note-id]")].find((n) => n.dataset.noteId === anchor.noteId) ?? null;
    }
    return null;
  };
  // A chat opens at its newest message, or at the search hit it was opened
  // for; while the agent reads the newest, new messages scroll into view.
  useLayoutEffect(() => {
    const el = scroller.current;
    const targeted = anchor !== null && (anchor.messageId != null || anchor.noteId != null);
    // Back from a hit (to the newest, or to a customer hit): follow the
    // newest messages again.
    if (!targeted && shownAnchor.current !== null) {
      shownAnchor.current = null;
      atBottom.current = true;
    }
    if (!el || timeline.length === 0) return;
    if (anchor && targeted && shownAnchor.current !== anchor.seq) {
      const target = findAnchor(el);
      if (!target) return; // not loaded yet
      shownAnchor.current = anchor.seq;
      atBottom.current = false;
      target.scrollIntoView({ block: "center" });
      // Marked for a moment, so the eye finds it.
      target.classList.add("search-target");
      setTimeout(() => target.classList.remove("search-target"), 4000);
      return;
    }
    if (atBottom.current) el.scrollTop = el.scrollHeight;
  });

  useImperativeHandle(
    ref,
    () => ({
      focusComposer: () => {
        const el = focusTarget.current;
        if (!el || el.disabled) return false;
        el.focus();
        return true;
      },
      openTemplates: () => {
        if (!canSend) return false;
        setPicking(true);
        return true;
      },
      composer: () => (focusTarget.current instanceof HTMLTextAreaElement ? focusTarget.current : null),
      status: (action) => {
        if (!canSend || !team || status.busy) return false;
        const now = Math.floor(Date.now() / 1000);
        const current = effectiveStatus(team.status.at(-1), now);
        if (action === "resolve" && current !== "resolved") status.set("resolved");
        else if (action === "reopen" && current !== "open") status.set("open");
        else if (action === "snooze") setSnoozing(true);
        else return false;
        return true;
      },
    }),
    [canSend, team, status],
  );
  const handle = handleBeside(conversation.contact, conversation.display_name);
  return (
    <section
      className={showContact ? "chat chat-with-contact" : "chat"}
      aria-label={t("chat.label", { name: conversation.display_name })}
    >
      <header className="chat-header" data-testid="chat-header">
        <div className="chat-title">
          <h2 data-testid="chat-title">{conversation.display_name}</h2>
          {handle && (
            <span className="chat-subtitle" data-testid="chat-handle">
              {handle}
            </span>
          )}
        </div>
        {conversation.lead && <LeadSourceCard lead={conversation.lead} />}
        <WindowCountdown lastInboundAt={conversation.last_inbound_at} variant="header" />
        {canSend && (
          <StatusBar
            team={team}
            set={status.set}
            busy={status.busy}
            error={status.error}
            snoozing={snoozing}
            onSnoozing={setSnoozing}
          />
        )}
        <OwnerBar conversation={conversation} canSend={canSend} />
        {canSend && <TeamBar conversationId={conversation.id} team={team} onTeam={setTeam} />}
        <PresenceLine others={presence.others} />
        <button
          type="button"
          className="contact-toggle"
          data-testid="contact-toggle"
          aria-pressed={showContact}
          title={t("contacts.toggleHint")}
          onClick={() => setShowContact((v) => !v)}
        >
          {t("contacts.toggle")}
        </button>
      </header>
      {blockedSince !== null && (
        <p className="blocked-banner" role="status" data-testid="blocked-banner">
          {t("contacts.blockedBanner")}
        </p>
      )}
      <div
        className="messages"
        data-testid="message-list"
        role="log"
        aria-live="polite"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
        }}
      >
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!error && messages.length === 0 && <p className="muted centered">{t("chat.noMessages")}</p>}
        {withDays(timeline).map((item) =>
          item.kind === "day" ? (
            <div key={`day-${item.day}`} className="day-separator" role="separator" data-testid="day-separator" data-day={item.day}>
              <span>{dayLabel(item.at)}</span>
            </div>
          ) : item.kind === "status" ? (
            <StatusLine key={`status-${item.change.at_ms}-${item.index}`} change={item.change} />
          ) : item.kind === "note" ? (
            <NoteBubble key={`note-${item.note.id}`} id={item.note.id} author={item.note.author} body={item.note.body} atMs={item.note.at_ms} />
          ) : (
            <Fragment key={item.message.id}>
              <MessageBubble
                message={item.message}
                me={me}
                onPickTemplate={canSend ? () => setPicking(true) : undefined}
                onReply={canSend ? setReplyTo : undefined}
              />
              {blockedSince !== null && item.message.direction === "inbound" && Number(item.message.sent_at) * 1000 >= blockedSince && (
                <span className="blocked-mark" data-testid="blocked-message">
                  {t("contacts.blockedMessage")}
                </span>
              )}
            </Fragment>
          ),
        )}
        {anchor?.messageId != null && onShowNewest && (
          <button type="button" className="show-newest" data-testid="show-newest" onClick={onShowNewest}>
            {t("team.showNewest")} ↓
          </button>
        )}
      </div>
      {canSend && (
        <div className="composer-tabs" role="tablist" aria-label={t("team.writeAs")}>
          <button
            type="button"
            role="tab"
            aria-selected={writing === "reply"}
            data-testid="composer-tab-reply"
            onClick={() => setWriting("reply")}
          >
            {t("team.replyTab")}
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={writing === "note"}
            data-testid="composer-tab-note"
            onClick={() => setWriting("note")}
          >
            {t("team.privateNote")}
          </button>
        </div>
      )}
      {canSend && writing === "note" ? (
        <NoteComposer conversationId={conversation.id} onTeam={setTeam} />
      ) : (
      <Composer
        conversation={conversation}
        canSend={canSend}
        onQueued={(m) => {
          setReplyTo(null);
          onQueued(m);
        }}
        replyTo={replyTo}
        onCancelReply={() => setReplyTo(null)}
        onPickTemplate={() => setPicking(true)}
        focusRef={focusTarget}
        onTyping={presence.typing}
        onSent={presence.sent}
      />
      )}
      {showContact && (
        <ContactPanel
          conversationId={conversation.id}
          panel={panel}
          onPanel={setPanel}
          onOpenMessage={onOpenMessage}
          onClose={() => setShowContact(false)}
          canAct={canSend}
        />
      )}
      {picking && (
        <TemplatePicker
          conversation={conversation}
          contactValues={contactVariables(panel)}
          onClose={() => setPicking(false)}
          onQueued={onQueued}
          onTyping={presence.typing}
          onSent={presence.sent}
        />
      )}
    </section>
  );
}

type TimelineItem =
  | { kind: "message"; message: Message }
  | { kind: "note"; note: Note }
  | { kind: "status"; change: StatusChange; index: number };
type DayItem = { kind: "day"; day: string; at: number };

/** The Unix second an item of the timeline happened at. */
function itemAt(item: TimelineItem): number {
  if (item.kind === "message") return Number(item.message.sent_at);
  return Math.floor(itemMs(item) / 1000);
}

/** The Unix millisecond of a note or status change. */
function itemMs(item: Exclude<TimelineItem, { kind: "message" }>): number {
  return item.kind === "note" ? item.note.at_ms : item.change.at_ms;
}

/** The timeline with a day separator before the first item of each local calendar day. */
export function withDays(timeline: readonly TimelineItem[]): (TimelineItem | DayItem)[] {
  const out: (TimelineItem | DayItem)[] = [];
  const seen = new Set<string>();
  for (const item of timeline) {
    const at = itemAt(item);
    const day = dayKey(at);
    // A day seen before (an item out of order) gets no second separator,
    // so the separators' keys stay unique.
    if (!seen.has(day)) {
      seen.add(day);
      out.push({ kind: "day", day, at });
    }
    out.push(item);
  }
  return out;
}

/** Messages (already in order), notes and status changes (each in log order) merged by time. */
export function mergeTimeline(
  messages: readonly Message[],
  notes: readonly Note[],
  statuses: readonly StatusChange[] = [],
): TimelineItem[] {
  const team: Exclude<TimelineItem, { kind: "message" }>[] = [
    ...notes.map((note) => ({ kind: "note" as const, note })),
    ...statuses.map((change, index) => ({ kind: "status" as const, change, index })),
  ];
  // Stable: notes and changes at the same moment keep their log order.
  team.sort((a, b) => itemMs(a) - itemMs(b));
  const out: TimelineItem[] = [];
  let n = 0;
  for (const message of messages) {
    while (n < team.length && itemMs(team[n]!) < Number(message.sent_at) * 1000) {
      out.push(team[n]!);
      n += 1;
    }
    out.push({ kind: "message", message });
  }
  for (; n < team.length; n += 1) out.push(team[n]!);
  return out;
}
