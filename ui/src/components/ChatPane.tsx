import { type Ref, useImperativeHandle, useRef, useState } from "react";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import { useTranslation } from "../lib/i18n";
import { Composer } from "./Composer";
import { LeadSourceCard } from "./LeadBadge";
import { MessageBubble } from "./MessageBubble";
import { TemplatePicker } from "./TemplatePicker";
import { WindowCountdown } from "./WindowCountdown";

type Props = {
  conversation: ConversationSummary;
  messages: Message[];
  error: string | null;
  canSend: boolean;
  onQueued: (message: Message) => void;
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
};

export function ChatPane({ conversation, messages, error, canSend, onQueued, ref }: Props) {
  const { t } = useTranslation();
  const [picking, setPicking] = useState(false);
  const [replyTo, setReplyTo] = useState<Message | null>(null);
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
    }),
    [canSend],
  );
  const phone = conversation.contact.phone;
  return (
    <section className="chat" aria-label={t("chat.label", { name: conversation.display_name })}>
      <header className="chat-header" data-testid="chat-header">
        <div className="chat-title">
          <h2 data-testid="chat-title">{conversation.display_name}</h2>
          {phone && phone !== conversation.display_name && <span className="chat-subtitle">{phone}</span>}
        </div>
        {conversation.lead && <LeadSourceCard lead={conversation.lead} />}
        <WindowCountdown lastInboundAt={conversation.last_inbound_at} variant="header" />
      </header>
      <div className="messages" data-testid="message-list" role="log" aria-live="polite">
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
        {!error && messages.length === 0 && <p className="muted centered">{t("chat.noMessages")}</p>}
        {messages.map((m) => (
          <MessageBubble
            key={m.id}
            message={m}
            onPickTemplate={canSend ? () => setPicking(true) : undefined}
            onReply={canSend ? setReplyTo : undefined}
          />
        ))}
      </div>
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
      />
      {picking && (
        <TemplatePicker conversation={conversation} onClose={() => setPicking(false)} onQueued={onQueued} />
      )}
    </section>
  );
}
