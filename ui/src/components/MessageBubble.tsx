import type { Message } from "../bindings/Message";
import type { MessageContent } from "../bindings/MessageContent";
import type { MessageId } from "../bindings/MessageId";
import type { Refusal } from "../bindings/Refusal";
import { bubbleTime, fullTime } from "../lib/format/time";
import { type TFunction, useTranslation } from "../lib/i18n";
import { en } from "../lib/i18n/en";
import { discardSend, retrySend } from "../lib/ipc";
import { CallLine, callText } from "./CallLine";
import { MediaContent } from "./MediaContent";
import { UploadProgress } from "./Attachment";
import { MessagePricing } from "./MessagePricing";

// Everything the customer wrote is rendered as React text children, never as
// HTML: names, bodies, captions, file names, card fields.
type BubbleProps = {
  message: Message;
  onPickTemplate?: () => void;
  onReply?: (message: Message) => void;
  /** This agent's name on the relay: a colleague's sends are named. */
  me?: string | null;
};

export function MessageBubble({ message: m, onPickTemplate, onReply, me = null }: BubbleProps) {
  const { t } = useTranslation();
  const colleague = m.direction === "outbound" && m.sent_by !== null && m.sent_by !== me ? m.sent_by : null;
  const reason = failureReason(t, m);
  if (m.content.type === "call" && !m.revoked) {
    return (
      <div className="bubble-row call">
        <CallLine message={m} call={m.content} />
      </div>
    );
  }
  return (
    <div className={`bubble-row ${m.direction}`}>
      <div className={`message-bubble ${m.direction}`} data-testid="message-bubble" data-message-id={m.id} data-wamid={m.wamid} data-kind={m.kind}>
        {m.handled_by === "ai_agent" && (
          <span className="message-ai-agent" data-testid="message-ai-agent">
            {t("calls.aiAgent")}
          </span>
        )}
        {m.handled_by === "business_app" && (
          <span className="message-ai-agent" data-testid="message-business-app">
            {t("calls.businessApp")}
          </span>
        )}
        {colleague && (
          <span className="message-sender" data-testid="message-sender" title={t("message.sentBy", { name: colleague })}>
            {colleague}
          </span>
        )}
        {m.quoted && (
          <blockquote className="quoted" data-testid="message-quote">
            <span className="quoted-author">{m.quoted.direction === "outbound" ? t("common.you") : t("common.customer")}</span>
            <span className="quoted-body">{m.quoted.body || kindLabel(t, m.quoted.kind)}</span>
          </blockquote>
        )}
        {m.revoked ? (
          <p className="message-body muted">{t("message.deleted")}</p>
        ) : (
          <Content messageId={m.id} content={m.content} body={m.body} t={t} />
        )}
        {m.content.type === "media" && m.content.id === "" && m.outbox?.state === "queued" && <UploadProgress messageId={m.id} />}
        {m.outbox?.unconfirmed === "ask" ? (
          <div className="message-unconfirmed" role="group" data-testid="message-unconfirmed">
            <p className="message-failure">{t("message.unconfirmed.question")}</p>
            <button type="button" className="link-button" data-testid="message-send-again" onClick={() => void retrySend(m.outbox!.id)}>
              {t("message.unconfirmed.sendAgain")}
            </button>{" "}
            <button type="button" className="link-button" data-testid="message-discard" onClick={() => void discardSend(m.outbox!.id)}>
              {t("message.unconfirmed.discard")}
            </button>
          </div>
        ) : m.outbox?.unconfirmed === "discarded" ? (
          <p className="message-failure" data-testid="message-failure">
            {t("message.unconfirmed.discarded")}
          </p>
        ) : m.direction === "outbound" && (m.failure || m.outbox?.reason) && (
          <p className="message-failure" data-testid="message-failure">
            {m.failure?.code
              ? t("message.notDeliveredCode", { code: m.failure.code, reason })
              : t("message.notDelivered", { reason })}
          </p>
        )}
        {m.outbox?.offer_templates && onPickTemplate && (
          <button type="button" className="link-button" data-testid="message-use-template" onClick={onPickTemplate}>
            {t("message.useTemplate")}
          </button>
        )}
        {m.outbox?.can_retry && (
          <button type="button" className="link-button" data-testid="message-retry" onClick={() => void retrySend(m.outbox!.id)}>
            {t("message.retry")}
          </button>
        )}
        <span className="message-meta">
          {m.edited_at !== null && <span className="muted">{t("message.edited")} · </span>}
          <time className="message-time" title={fullTime(m.sent_at)}>
            {bubbleTime(m.sent_at)}
          </time>
          {m.direction === "outbound" && m.status && (
            <span className={`message-status ${m.status}`} data-testid="message-status" data-status={m.status} title={statusText(t, "statusName", m.status)}>
              {statusText(t, "statusMark", m.status)}
            </span>
          )}
        </span>
        {m.pricing && <MessagePricing pricing={m.pricing} />}
        {onReply && !m.revoked && !m.wamid.startsWith("local:") && (
          <button type="button" className="link-button reply-action" data-testid="message-reply-action" onClick={() => onReply(m)}>
            {t("message.reply")}
          </button>
        )}
        {m.reactions.length > 0 && (
          <span className="reactions" data-testid="message-reactions">
            {m.reactions.map((r, i) => (
              <span key={i} className="reaction" title={r.direction === "inbound" ? t("common.customer") : t("common.you")}>
                {r.emoji}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  );
}

/**
 * Why a message was not delivered. A refusal Hourglass knows is worded in the
 * window's language; one it does not know never hides Meta's own words.
 */
export function failureReason(t: TFunction, m: Message): string {
  const known = (r: Refusal | null | undefined) => (r && r !== "unknown" ? r : null);
  const refusal = known(m.outbox?.refusal) ?? known(m.failure?.refusal);
  return (
    (refusal ? t(`refusal.${refusal}`) : null) ||
    m.outbox?.reason ||
    m.failure?.detail?.trim() ||
    m.failure?.title?.trim() ||
    t("message.unknownReason")
  );
}

/** Meta's title and details as one line, whichever it sent. */
function metaWords(title: string | null | undefined, detail: string | null | undefined): string | null {
  const tt = title?.trim() || null;
  const d = detail?.trim() || null;
  if (tt && d) return d === tt || d.startsWith(tt) ? d : `${tt}: ${d}`;
  return tt ?? d;
}

type Status = keyof typeof en.message.statusMark;

function isKnown<T extends object>(table: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, key);
}

/** An outbound status as a mark (`✓✓ read`) or spelled out; an unknown one as it came. */
function statusText(t: TFunction, form: "statusMark" | "statusName", status: string): string {
  return isKnown(en.message.statusMark, status) ? t(`message.${form}.${status as Status}`) : status;
}

/** WhatsApp's message type (`image`, `location`…) in the window's language; an unknown one as it came. */
export function kindLabel(t: TFunction, kind: string): string {
  return isKnown(en.message.kinds, kind) ? t(`message.kinds.${kind}`) : kind;
}

function Content({ messageId, content, body, t }: { messageId: MessageId; content: MessageContent; body: string; t: TFunction }) {
  switch (content.type) {
    case "text":
      return <p className="message-body">{content.body}</p>;
    case "media":
      return <MediaContent messageId={messageId} media={content} />;
    case "location":
      return (
        <div className="location" data-testid="message-location">
          <span className="message-kind">{t("message.kinds.location")}</span>
          {content.name && <strong>{content.name}</strong>}
          {content.address && <span>{content.address}</span>}
          <span className="coords">
            {content.latitude.toFixed(5)}, {content.longitude.toFixed(5)}
          </span>
          <span className="map-link" title={t("message.mapLink")}>
            {content.map_url}
          </span>
        </div>
      );
    case "contacts":
      return (
        <div className="contact-cards" data-testid="message-contacts">
          <span className="message-kind">{t("message.contactCard")}</span>
          {content.cards.map((c, i) => (
            <div key={i} className="contact-card">
              <strong>{c.name}</strong>
              {c.organization && <span>{c.organization}</span>}
              {c.phones.map((p) => (
                <span key={p}>{p}</span>
              ))}
              {c.emails.map((e) => (
                <span key={e}>{e}</span>
              ))}
            </div>
          ))}
        </div>
      );
    case "reply":
      return (
        <p className="message-body" data-testid="message-reply">
          <span className="message-kind">{t("message.tapped")}</span> {content.title}
          {content.description ? ` — ${content.description}` : ""}
        </p>
      );
    case "order":
      return (
        <p className="message-body">
          <span className="message-kind">{t("message.kinds.order")}</span> {t("message.orderItems", { count: content.items })}
          {content.text ? ` — ${content.text}` : ""}
        </p>
      );
    case "system":
      return <p className="message-body system">{content.body}</p>;
    case "call_permission":
      return (
        <p className="message-body" data-testid="message-call-permission" data-response={content.response}>
          {callPermissionText(t, content)}
        </p>
      );
    case "call":
      return <p className="message-body">{callText(t, content)}</p>;
    case "meta_error": {
      // Meta's words are English: a kind the window words stands for them
      // (they stay in the tooltip).
      const said = metaWords(content.title, content.detail);
      const reason = (content.refusal ? t(`refusal.${content.refusal}`) : said) ?? t("message.unknownReason");
      return (
        <p className="message-body muted" data-testid="message-meta-error" title={content.refusal ? (said ?? undefined) : undefined}>
          {content.code !== null ? t("message.metaErrorCode", { code: content.code, reason }) : t("message.metaError", { reason })}
        </p>
      );
    }
    case "unsupported":
      return (
        <p className="message-body muted" data-testid="message-unsupported">
          {content.kind ? t("message.unsupportedKind", { kind: content.kind }) : t("message.unsupported")}
        </p>
      );
    case "media_placeholder":
      return (
        <p className="message-body muted" data-testid="message-media-placeholder">
          {t("calls.mediaPlaceholder")}
        </p>
      );
    case "unknown":
      return (
        <p className="message-body muted" data-testid="message-unsupported">
          {body
            ? t("message.unknownWithBody", { kind: content.kind, body })
            : t("message.unknown", { kind: content.kind })}
        </p>
      );
  }
}

/** The customer's answer to a call request, with the permission's end when Meta sent one. */
export function callPermissionText(t: TFunction, c: Extract<MessageContent, { type: "call_permission" }>): string {
  switch (c.response) {
    case "accept":
      if (c.permanent) return t("message.callAllowedForever");
      return c.expires_at !== null ? t("message.callAllowedUntil", { date: fullTime(c.expires_at) }) : t("message.callAllowed");
    case "reject":
      return t("message.callDeclined");
    default:
      return t("message.callAnswered", { response: c.response });
  }
}
