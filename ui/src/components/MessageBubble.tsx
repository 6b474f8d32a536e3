import type { Message } from "../bindings/Message";
import type { MessageContent } from "../bindings/MessageContent";
import { bubbleTime, fullTime } from "../lib/format/time";
import { retrySend } from "../lib/ipc";

// Everything the customer wrote is rendered as React text children, never as
// HTML: names, bodies, captions, file names, card fields.
type BubbleProps = { message: Message; onPickTemplate?: () => void; onReply?: (message: Message) => void };

export function MessageBubble({ message: m, onPickTemplate, onReply }: BubbleProps) {
  return (
    <div className={`bubble-row ${m.direction}`}>
      <div className={`message-bubble ${m.direction}`} data-testid="message-bubble" data-wamid={m.wamid} data-kind={m.kind}>
        {m.quoted && (
          <blockquote className="quoted" data-testid="message-quote">
            <span className="quoted-author">{m.quoted.direction === "outbound" ? "You" : "Customer"}</span>
            <span className="quoted-body">{m.quoted.body || m.quoted.kind}</span>
          </blockquote>
        )}
        {m.revoked ? <p className="message-body muted">This message was deleted.</p> : <Content content={m.content} body={m.body} />}
        {(m.failure || m.outbox?.reason) && (
          <p className="message-failure" data-testid="message-failure">
            Not delivered{m.failure?.code ? ` (${m.failure.code})` : ""}:{" "}
            {m.outbox?.reason || m.failure?.detail || m.failure?.title || "unknown reason"}
          </p>
        )}
        {m.outbox?.offer_templates && onPickTemplate && (
          <button type="button" className="link-button" data-testid="message-use-template" onClick={onPickTemplate}>
            Send a template instead
          </button>
        )}
        {m.outbox?.can_retry && (
          <button type="button" className="link-button" data-testid="message-retry" onClick={() => void retrySend(m.outbox!.id)}>
            Retry
          </button>
        )}
        <span className="message-meta">
          {m.edited_at !== null && <span className="muted">edited · </span>}
          <time className="message-time" title={fullTime(m.sent_at)}>
            {bubbleTime(m.sent_at)}
          </time>
          {m.direction === "outbound" && m.status && (
            <span className={`message-status ${m.status}`} data-testid="message-status" data-status={m.status} title={m.status}>
              {STATUS_MARK[m.status] ?? m.status}
            </span>
          )}
        </span>
        {onReply && !m.revoked && !m.wamid.startsWith("local:") && (
          <button type="button" className="link-button reply-action" data-testid="message-reply-action" onClick={() => onReply(m)}>
            Reply
          </button>
        )}
        {m.reactions.length > 0 && (
          <span className="reactions" data-testid="message-reactions">
            {m.reactions.map((r, i) => (
              <span key={i} className="reaction" title={r.direction === "inbound" ? "Customer" : "You"}>
                {r.emoji}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  );
}

const STATUS_MARK: Record<string, string> = {
  pending: "sending…",
  accepted: "sending…",
  sent: "✓",
  delivered: "✓✓",
  read: "✓✓ read",
  played: "✓✓ played",
  failed: "failed",
};

function Content({ content, body }: { content: MessageContent; body: string }) {
  switch (content.type) {
    case "text":
      return <p className="message-body">{content.body}</p>;
    case "media":
      return (
        <div className="media-placeholder" data-testid="message-media">
          <span className="message-kind">{content.voice ? "voice message" : content.kind}</span>
          {content.filename && <span className="media-filename">{content.filename}</span>}
          {content.caption && <p className="message-body">{content.caption}</p>}
          {!content.caption && !content.filename && <p className="message-body muted">{body}</p>}
        </div>
      );
    case "location":
      return (
        <div className="location" data-testid="message-location">
          <span className="message-kind">location</span>
          {content.name && <strong>{content.name}</strong>}
          {content.address && <span>{content.address}</span>}
          <span className="coords">
            {content.latitude.toFixed(5)}, {content.longitude.toFixed(5)}
          </span>
          <span className="map-link" title="Map link">
            {content.map_url}
          </span>
        </div>
      );
    case "contacts":
      return (
        <div className="contact-cards" data-testid="message-contacts">
          <span className="message-kind">contact card</span>
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
          <span className="message-kind">tapped</span> {content.title}
          {content.description ? ` — ${content.description}` : ""}
        </p>
      );
    case "order":
      return (
        <p className="message-body">
          <span className="message-kind">order</span> {content.items} item{content.items === 1 ? "" : "s"}
          {content.text ? ` — ${content.text}` : ""}
        </p>
      );
    case "system":
      return <p className="message-body system">{content.body}</p>;
    case "unsupported":
      return (
        <p className="message-body muted" data-testid="message-unsupported">
          Unsupported message{content.kind ? ` (${content.kind})` : ""}: open WhatsApp on a phone to see it.
        </p>
      );
    case "unknown":
      return (
        <p className="message-body muted" data-testid="message-unsupported">
          A {content.kind} message Hourglass cannot show yet{body ? `: ${body}` : ""}.
        </p>
      );
  }
}
