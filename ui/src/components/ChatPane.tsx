import { type Ref, useImperativeHandle, useRef, useState } from "react";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import { useTranslation } from "../lib/i18n";
import type { ChatAnchor } from "../lib/inbox/anchor";
import type { MessageId } from "../bindings/MessageId";
import type { ConversationId } from "../bindings/ConversationId";
import { Composer } from "./Composer";
import { contactVariables, useContact } from "./contact";
import { LeadSourceCard } from "./LeadBadge";
import { MessageList } from "./MessageList";
import { OwnerBar } from "./OwnerBar";
import { NoteComposer, TeamBar, useConversationTeam } from "./TeamPanel";
import { PresenceLine, usePresence } from "./Presence";
import { effectiveStatus, StatusBar, useSetStatus } from "./StatusControl";
import { mergeTimeline, withDays } from "./timeline";
import { WindowCountdown } from "./WindowCountdown";
import { handleBeside } from "../lib/inbox/handle";
import { onDemand } from "./OnDemand";

// Opened on demand: their code loads the first time a chat shows them.
const ContactPanel = onDemand(() => import("./ContactPanel").then((m) => m.ContactPanel));
const TemplatePicker = onDemand(() => import("./TemplatePicker").then((m) => m.TemplatePicker));

type Props = {
  conversation: ConversationSummary;
  /** Oldest first: the part of the chat that is held. */
  messages: Message[];
  /** Older messages exist before the first one. */
  older?: boolean;
  /** Newer messages exist after the last one. */
  newer?: boolean;
  /** Reads the next page toward one end of the chat. */
  onMore?: (side: "older" | "newer") => void;
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
  /** The conversation's row changed here (taken over from Meta's AI agent). */
  onConversation?: (conversation: ConversationSummary) => void;
  ref?: Ref<ChatPaneHandle>;
};

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
  older = false,
  newer = false,
  onMore,
  error,
  canSend,
  onQueued,
  anchor = null,
  onShowNewest,
  me = null,
  onOpenMessage,
  onConversation,
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
  const rows = withDays(
    mergeTimeline(messages, team?.notes ?? [], team?.status ?? [], { older, newer }, team?.handovers ?? []),
    older,
  );
  const focusTarget = useRef<HTMLTextAreaElement | HTMLButtonElement | null>(null);

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
        <OwnerBar conversation={conversation} canSend={canSend} onUpdated={onConversation} />
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
      <MessageList
        // A new list once the first messages are in: it starts at the end
        // they bring (see MessageList's initialOffset).
        key={messages.length > 0 ? "held" : "none"}
        rows={rows}
        older={older}
        newer={newer}
        onMore={onMore}
        anchor={anchor}
        onShowNewest={onShowNewest}
        error={error}
        empty={messages.length === 0}
        me={me}
        blockedSince={blockedSince}
        onPickTemplate={canSend ? () => setPicking(true) : undefined}
        onReply={canSend ? setReplyTo : undefined}
      />
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
