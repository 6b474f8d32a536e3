// The inbox's main area: the open chat, or a hint to pick one.
import { type Ref, useEffect } from "react";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { ChatPaneHandle } from "../components/ChatPane";
import { onDemand } from "../components/OnDemand";
import { useTranslation } from "../lib/i18n";
import { useFirstFrameDrawn } from "../lib/startup";
import type { OpenChat } from "../lib/inbox/useOpenChat";

// The chat's code (the message list, bubbles, composer, media) is not needed
// for the inbox's first frame: it loads right after that frame is drawn, so
// it is there by the time a chat is opened.
const ChatPane = onDemand(() => import("../components/ChatPane").then((m) => m.ChatPane));

type Props = {
  /** The open chat's conversation as the list has it. */
  open: ConversationSummary | null;
  chat: OpenChat;
  chatRef: Ref<ChatPaneHandle>;
  me: string | null;
  canSend: boolean;
  /** A conversation changed in the chat (a team action): merged into the list. */
  onConversation: (conversation: ConversationSummary) => void;
};

export function InboxScreen({ open, chat, chatRef, me, canSend, onConversation }: Props) {
  const { t } = useTranslation();
  const drawn = useFirstFrameDrawn();
  useEffect(() => {
    if (drawn) void ChatPane.preload();
  }, [drawn]);
  if (!open) {
    return (
      <div className="empty-state" data-testid="chat-empty">
        <p className="empty-title">{t("app.pickTitle")}</p>
        <p className="muted">{t("app.pickHint")}</p>
      </div>
    );
  }
  const { pages, anchor } = chat;
  const held = pages.chat.conversation === open.id;
  return (
    <ChatPane
      ref={chatRef}
      key={open.id}
      conversation={open}
      onConversation={onConversation}
      messages={held ? pages.chat.messages : []}
      older={held && pages.chat.older}
      newer={held && pages.chat.newer}
      onMore={pages.more}
      anchor={anchor?.conversation === open.id ? anchor : null}
      onShowNewest={chat.showNewest}
      onOpenMessage={(conversation, messageId) => chat.openAt({ conversation, messageId, noteId: null })}
      me={me}
      error={pages.error}
      canSend={canSend}
      onQueued={(m) => chat.queued(open.id, m)}
    />
  );
}
