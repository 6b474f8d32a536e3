import type { LeadInfo } from "../bindings/LeadInfo";
import type { LeadSource } from "../bindings/LeadSource";
import { useNow } from "../lib/clock";
import { fullTime } from "../lib/format/time";

/** One line saying where a lead came from. */
export function leadLabel(source: LeadSource | null): string {
  if (source === null) return "New lead";
  if (source.kind === "partner_code") return `Partner code ${source.code}`;
  const what = source.source_type === "post" ? "Post" : "Ad";
  return source.headline ? `${what}: ${source.headline}` : `From a click-to-WhatsApp ${what.toLowerCase()}`;
}

/** The small tag in the conversation list. */
export function LeadTag({ lead }: { lead: LeadInfo }) {
  return (
    <span className="lead-tag" data-testid="lead-source" title={leadLabel(lead.source)}>
      {lead.source?.kind === "partner_code" ? lead.source.code : lead.source?.kind === "ad" ? "Ad" : "Lead"}
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
  const source = lead.source;
  let freeEntry: string | null = null;
  if (source?.kind === "ad") {
    const replyBy = lead.at + 24 * H;
    const reply = lead.first_reply_at;
    if (reply !== null && reply >= lead.at && reply < replyBy) {
      const until = reply + 72 * H;
      freeEntry = now < until ? `Free messaging until ${fullTime(until)}` : "Free entry point ended";
    } else if (reply === null && now < replyBy) {
      freeEntry = `Reply before ${fullTime(replyBy)} to open 72 free hours`;
    } else {
      freeEntry = null;
    }
  }
  return (
    <div className="lead-card" data-testid="lead-card">
      <span className="lead-card-title">{leadLabel(source)}</span>
      {source?.kind === "ad" && source.source_url && (
        <span className="lead-card-url" title="Where the customer clicked">
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
