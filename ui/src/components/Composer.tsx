import { type KeyboardEvent, type RefObject, useState } from "react";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { Message } from "../bindings/Message";
import { useNow } from "../lib/clock";
import { fullTime } from "../lib/format/time";
import { useTranslation } from "../lib/i18n";
import { sendAttachment, sendText } from "../lib/ipc";
import { AttachButton, AttachmentPreview, useAttachment } from "./Attachment";
import { CollisionWarning, useCollisionCheck } from "./Presence";
import { isOpen, serviceWindow } from "../lib/window";
import type { CannedResponse } from "../bindings/CannedResponse";
import { CannedPicker, cannedQuery } from "./CannedPicker";
import { kindLabel } from "./MessageBubble";
import { ReplyCost } from "./ReplyCost";
import { errorText } from "../lib/i18n/problem";

type Props = {
  conversation: ConversationSummary;
  canSend: boolean;
  onQueued: (message: Message) => void;
  onPickTemplate: () => void;
  replyTo?: Message | null;
  onCancelReply?: () => void;
  /** Set to what the reply shortcut focuses: the text box, or "Choose a template" once the window closed. */
  focusRef?: RefObject<HTMLTextAreaElement | HTMLButtonElement | null>;
  /** Each keystroke, so the team sees this agent typing. */
  onTyping?: () => void;
  /** A reply went out. */
  onSent?: () => void;
};

/**
 * Free text while the 24-hour window is open (Enter sends, Shift+Enter is a
 * new line). Once it closes, even while the agent is typing, the text box is
 * replaced by an explanation: WhatsApp then accepts only approved templates.
 * The core refuses free text to a closed window as well, whatever the UI does.
 */
export function Composer({
  conversation,
  canSend,
  onQueued,
  onPickTemplate,
  replyTo,
  onCancelReply,
  focusRef,
  onTyping,
  onSent,
}: Props) {
  const now = useNow();
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  // A file picked, dropped or pasted: checked at once, sent with a caption.
  const { attaching, attach, clear } = useAttachment();
  const [caption, setCaption] = useState("");
  const [dragging, setDragging] = useState(false);
  // Someone else is on this customer: asked before sending (see Presence).
  const { collisions, mayGo, dismiss } = useCollisionCheck(conversation.id);
  // What "Send anyway" sends: the text, or the attached file.
  const [held, setHeld] = useState<"text" | "file">("text");
  // `/…` opens the team's canned responses; arrows move, Enter inserts.
  const [cannedActive, setCannedActive] = useState(0);
  const [cannedOptions, setCannedOptions] = useState<CannedResponse[]>([]);
  const [cannedClosed, setCannedClosed] = useState(false);
  const query = canSend && !cannedClosed ? cannedQuery(text) : null;
  const window = serviceWindow(conversation.last_inbound_at, now);
  const setFocusTarget = (el: HTMLTextAreaElement | HTMLButtonElement | null) => {
    if (focusRef) focusRef.current = el;
  };

  if (!isOpen(window)) {
    return (
      <div className="composer closed" data-testid="composer-closed">
        <p className="composer-closed-text">
          {window.state === "closed"
            ? t("composer.closed", { time: fullTime(window.closed_at) })
            : t("composer.neverOpened")}
        </p>
        <button
          ref={setFocusTarget}
          type="button"
          className="primary"
          data-testid="template-picker-open"
          disabled={!canSend}
          onClick={onPickTemplate}
        >
          {t("composer.chooseTemplate")}
        </button>
      </div>
    );
  }

  /**
   * Sends the text, unless the collision check holds it (then the warning
   * shows and the text stays; see `useCollisionCheck`).
   */
  const send = async (anyway = false) => {
    const body = text.trim();
    if (body === "" || sending) return;
    setSending(true);
    setError(null);
    try {
      setHeld("text");
      if (!(await mayGo(anyway))) return;
      const queued = await sendText(conversation.id, body, replyTo?.wamid);
      setText("");
      onQueued(queued.message);
      onSent?.();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };

  const sendFile = async (anyway = false) => {
    if (attaching?.phase !== "ready" || sending) return;
    setSending(true);
    setError(null);
    try {
      setHeld("file");
      if (!(await mayGo(anyway))) return;
      const queued = await sendAttachment(conversation.id, attaching.staged.token, attaching.file.name, caption.trim() || null);
      clear();
      setCaption("");
      onQueued(queued.message);
      onSent?.();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setSending(false);
    }
  };

  const takeFile = (file: File | undefined) => {
    if (!file || !canSend) return;
    setCaption("");
    setError(null);
    void attach(file);
  };

  const pickCanned = (c: CannedResponse) => {
    setText(c.body);
    setCannedActive(0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (query !== null && cannedOptions.length > 0) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const step = e.key === "ArrowDown" ? 1 : -1;
        setCannedActive((i) => (i + step + cannedOptions.length) % cannedOptions.length);
        return;
      }
      if (e.key === "Enter" && !e.nativeEvent.isComposing) {
        e.preventDefault();
        const pick = cannedOptions[Math.min(cannedActive, cannedOptions.length - 1)];
        if (pick) pickCanned(pick);
        return;
      }
    }
    if (query !== null && e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      setCannedClosed(true);
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <form
      className={`composer${dragging ? " dragging" : ""}`}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      onDragOver={(e) => {
        if (!canSend || !e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        setDragging(false);
        if (e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        takeFile(e.dataTransfer.files[0]);
      }}
      aria-description={dragging ? t("attachment.dropHere") : undefined}
    >
      {replyTo && (
        <div className="composer-reply" data-testid="composer-reply">
          <span className="quoted-author">
            {replyTo.direction === "outbound" ? t("composer.replyingToOwn") : t("composer.replyingToCustomer")}
          </span>
          <span className="quoted-body">{replyTo.body || kindLabel(t, replyTo.kind)}</span>
          <button type="button" className="link-button" onClick={onCancelReply} aria-label={t("composer.cancelReply")}>
            {t("common.cancel")}
          </button>
        </div>
      )}
      {query !== null && (
        <CannedPicker query={query} active={cannedActive} onPick={pickCanned} onOptions={setCannedOptions} />
      )}
      {collisions && (
        <CollisionWarning
          collisions={collisions}
          onSend={() => void (held === "file" ? sendFile(true) : send(true))}
          onCancel={() => {
            dismiss();
            if (focusRef?.current) focusRef.current.focus();
          }}
        />
      )}
      {attaching && (
        <AttachmentPreview
          attaching={attaching}
          caption={caption}
          onCaption={setCaption}
          sending={sending}
          onSend={() => void sendFile()}
          onCancel={clear}
        />
      )}
      {error && (
        <p className="inline-error composer-error" role="alert" data-testid="composer-error">
          {error}
        </p>
      )}
      {canSend && <ReplyCost conversation={conversation} />}
      <AttachButton disabled={!canSend} onFile={takeFile} />
      <textarea
        ref={setFocusTarget}
        data-testid="composer-input"
        className="composer-input"
        placeholder={canSend ? t("composer.placeholder") : t("composer.placeholderNoNumber")}
        value={text}
        rows={1}
        disabled={!canSend}
        onChange={(e) => {
          setText(e.target.value);
          dismiss();
          onTyping?.();
          setCannedActive(0);
          if (cannedQuery(e.target.value) === null) setCannedClosed(false);
        }}
        onKeyDown={onKeyDown}
        onPaste={(e) => {
          if (e.clipboardData.files.length === 0) return;
          e.preventDefault();
          takeFile(e.clipboardData.files[0]);
        }}
        aria-label={t("composer.inputLabel")}
      />
      <button
        type="submit"
        data-testid="composer-send"
        className="composer-send"
        disabled={!canSend || sending || text.trim() === ""}
        title={canSend ? t("composer.sendHint") : t("composer.sendHintNoNumber")}
      >
        {t("composer.send")}
      </button>
    </form>
  );
}
