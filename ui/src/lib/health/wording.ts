// Account health in words: Meta's codes (ratings, tiers, template statuses
// and reasons, account events) turned into the window's language. Codes
// Hourglass does not know yet are shown as Meta wrote them, never hidden.
import type { HealthChange } from "../../bindings/HealthChange";
import type { StatusWhy } from "../../bindings/StatusWhy";
import { en } from "../i18n/en";
import type { TFunction } from "../i18n";
import { fullTime } from "../format/time";

type Health = typeof en.health;

function known<T extends object>(table: T, code: string | null | undefined): code is Extract<keyof T, string> {
  return code !== null && code !== undefined && Object.prototype.hasOwnProperty.call(table, code);
}

/** `GREEN` → "High", in the window's language. */
export function ratingName(rating: string | null | undefined, t: TFunction): string {
  if (known<Health["rating"]>(en.health.rating, rating)) return t(`health.rating.${rating}`);
  return rating ?? t("health.rating.UNKNOWN");
}

/** `TIER_2K` → "2,000 customers a day". */
export function tierName(tier: string | null | undefined, t: TFunction): string {
  if (known<Health["tierName"]>(en.health.tierName, tier)) return t(`health.tierName.${tier}`);
  return tier ?? t("health.change.unknown");
}

/** `PAUSED` → "Paused". */
export function statusName(status: string, t: TFunction): string {
  if (known<Health["status"]>(en.health.status, status)) return t(`health.status.${status}`);
  return status;
}

/** Meta's reason code in words (`INVALID_FORMAT` → "invalid format"). */
export function reasonName(reason: string, t: TFunction): string {
  if (known<Health["reason"]>(en.health.reason, reason)) return t(`health.reason.${reason}`);
  return reason;
}

/**
 * Why a template cannot be sent, in sentences: what its status means, then
 * Meta's own words and recommendation when it gave them. Empty for an
 * approved template.
 */
export function templateWhy(status: string, why: StatusWhy, t: TFunction): string[] {
  if (status === "APPROVED") return [];
  const lines: string[] = [];
  if (status === "REJECTED" && why.reason) {
    lines.push(t("health.why.rejectedFor", { reason: reasonName(why.reason, t) }));
  } else if (
    status === "PENDING" ||
    status === "REJECTED" ||
    status === "PAUSED" ||
    status === "DISABLED" ||
    status === "IN_APPEAL"
  ) {
    lines.push(t(`health.why.${status}`));
  } else {
    lines.push(t("health.why.other", { status: statusName(status, t) }));
  }
  if (why.detail) lines.push(t("health.why.meta", { detail: why.detail }));
  if (why.recommendation) lines.push(t("health.why.recommendation", { recommendation: why.recommendation }));
  return lines;
}

function category(name: string | null | undefined, t: TFunction): string {
  return name ? name.toLowerCase() : t("health.change.unknown");
}

/** One line of the change history (and of the banner). */
export function changeText(c: HealthChange, t: TFunction): string {
  const unknown = t("health.change.unknown");
  switch (c.kind) {
    case "quality":
      if (c.reason === "FLAGGED") return t("health.change.flagged");
      if (c.reason === "UNFLAGGED") return t("health.change.unflagged");
      return t("health.change.quality", { from: ratingName(c.old_value, t), to: ratingName(c.new_value, t) });
    case "tier":
      return t("health.change.tier", {
        from: c.old_value ? tierName(c.old_value, t) : unknown,
        to: tierName(c.new_value, t),
      });
    case "template_status":
      return t("health.change.template", {
        name: c.subject ?? unknown,
        language: c.language ?? unknown,
        status: c.reason && c.new_value === "REJECTED"
          ? `${statusName(c.new_value, t)} (${reasonName(c.reason, t)})`
          : statusName(c.new_value ?? "UNKNOWN", t),
      });
    case "template_category":
      if (c.reason === "IMPENDING" && c.effective_at !== null) {
        return t("health.change.categorySoon", {
          name: c.subject ?? unknown,
          language: c.language ?? unknown,
          from: category(c.old_value, t),
          to: category(c.new_value, t),
          date: fullTime(c.effective_at),
        });
      }
      return t("health.change.category", {
        name: c.subject ?? unknown,
        language: c.language ?? unknown,
        from: category(c.old_value, t),
        to: category(c.new_value, t),
      });
    case "account":
      switch (c.new_value) {
        case "ACCOUNT_VIOLATION":
          return t("health.change.violation", { detail: c.reason ?? unknown });
        case "DISABLED_UPDATE":
          return t("health.change.disabled", { detail: c.reason ?? unknown });
        case "ACCOUNT_DELETED":
          return t("health.change.deleted");
        default:
          return t("health.change.account", { event: c.new_value ?? unknown });
      }
    default:
      return c.new_value ?? unknown;
  }
}
