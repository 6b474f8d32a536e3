import type { LeadInfo } from "../bindings/LeadInfo";
import type { LeadSource } from "../bindings/LeadSource";
import { useNow } from "../lib/clock";
import { fullTime } from "../lib/format/time";
import { i18n, type TFunction, useTranslation } from "../lib/i18n";

/** One line saying where a lead came from, in the window's language. */
export function leadLabel(source: LeadSource | null, t: TFunction = i18n.t): string {
  if (source === null) return t("lead.newLead");
  if (source.kind === "partner_code") return t("lead.partnerCode", { code: source.code });
  const post = source.source_type === "post";
  if (source.headline) {
    return post
      ? t("lead.postHeadline", { headline: source.headline })
      : t("lead.adHeadline", { headline: source.headline });
  }
  return post ? t("lead.fromPost") : t("lead.fromAd");
}

/** The small tag in the conversation list. */
export function LeadTag({ lead }: { lead: LeadInfo }) {
  const { t } = useTranslation();
  return (
    <span className="lead-tag" data-testid="lead-source" title={leadLabel(lead.source, t)}>
      {lead.source?.kind === "partner_code"
        ? lead.source.code
        : lead.source?.kind === "ad"
          ? t("lead.tagAd")
          : t("lead.tagLead")}
    </span>
  );
}

const H = 3600;

/**
 * The source card in the chat header: the ad (headline, link) or the partner
 * code, and the 72-hour free entry point for ad leads. Mirrors
 * `window::free_entry_point` in the core for display.
 */
export function LeadSourceCard({ lead }: { lead: LeadInfo }) {
  const now = useNow();
  const { t } = useTranslation();
  const source = lead.source;
  let freeEntry: string | null = null;
  if (source?.kind === "ad") {
    const replyBy = lead.at + 24 * H;
    const reply = lead.first_reply_at;
    if (reply !== null && reply >= lead.at && reply < replyBy) {
      const until = reply + 72 * H;
      freeEntry = now < until ? t("lead.freeUntil", { time: fullTime(until) }) : t("lead.freeEnded");
    } else if (reply === null && now < replyBy) {
      freeEntry = t("lead.replyBefore", { time: fullTime(replyBy) });
    } else {
      freeEntry = null;
    }
  }
  return (
    <div className="lead-card" data-testid="lead-card">
      <span className="lead-card-title">{leadLabel(source, t)}</span>
      {source?.kind === "ad" && source.source_url && (
        <span className="lead-card-url" title={t("lead.whereClicked")}>
          {source.source_url}
        </span>
      )}
      {freeEntry && (
        <span className="free-entry" data-testid="free-entry-point">
          {freeEntry}
        </span>
      )}
    </div>
  );
}
