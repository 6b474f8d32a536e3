import "../calls.css";
import type { Handover } from "../bindings/Handover";
import type { Message } from "../bindings/Message";
import type { MessageContent } from "../bindings/MessageContent";
import { bubbleTime, fullTime } from "../lib/format/time";
import { type TFunction, useTranslation } from "../lib/i18n";

type Call = Extract<MessageContent, { type: "call" }>;

/** A WhatsApp call as one line of the timeline: missed, or answered with its duration. */
export function CallLine({ message: m, call }: { message: Message; call: Call }) {
  const { t } = useTranslation();
  return (
    <div className={`call-line ${call.missed ? "missed" : "answered"}`} data-testid="call-line" data-missed={call.missed} data-message-id={m.id} data-wamid={m.wamid}>
      <span className="call-icon" aria-hidden="true">
        📞
      </span>
      <span className="call-text">{callText(t, call)}</span>
      <time className="message-time" title={fullTime(m.sent_at)}>
        {bubbleTime(m.sent_at)}
      </time>
    </div>
  );
}

/** The call's line in the window's language. */
export function callText(t: TFunction, call: Call): string {
  if (call.missed || call.duration === null) {
    return call.from_customer ? t("calls.missed") : t("calls.missedOutgoing");
  }
  return t("calls.answered", { duration: callDuration(t, call.duration) });
}

export function callDuration(t: TFunction, secs: number): string {
  const minutes = Math.floor(secs / 60);
  const seconds = secs % 60;
  return minutes > 0 ? t("calls.minutesSeconds", { minutes, seconds }) : t("calls.seconds", { seconds });
}

/** A passing of the conversation between Meta's AI agent and the team, as a line of the chat. */
export function HandoverLine({ handover }: { handover: Handover }) {
  const { t } = useTranslation();
  return (
    <div className="status-line" role="note" data-testid="handover-line" data-owner={handover.owner}>
      <span>
        {t(`calls.handover.${handover.owner}`)} · <time title={fullTime(handover.at)}>{bubbleTime(handover.at)}</time>
      </span>
    </div>
  );
}
