import { useEffect, useState } from "react";
import type { ConversationSummary } from "../bindings/ConversationSummary";
import type { ServiceCost } from "../bindings/ServiceCost";
import { type TFunction, useTranslation } from "../lib/i18n";
import { serviceCost } from "../lib/ipc";

/**
 * What the next free-form reply costs, once the team has set a service rate
 * or a monthly allowance in the rate table (Meta is reported to charge for
 * service messages from October 2026). Nothing while replies are simply free.
 */
export function ReplyCost({ conversation }: { conversation: ConversationSummary }) {
  const { t } = useTranslation();
  const [cost, setCost] = useState<ServiceCost | null>(null);
  // Each message may use up the allowance: asked again when the chat moves.
  useEffect(() => {
    let live = true;
    serviceCost(conversation.id).then(
      (c) => live && setCost(c),
      () => live && setCost(null),
    );
    return () => {
      live = false;
    };
  }, [conversation.id, conversation.last_activity_at]);
  const words = cost ? replyCostText(t, cost) : null;
  if (!words) return null;
  return (
    <p className="muted composer-cost" data-testid="reply-cost" data-free={String(cost?.free)}>
      {words}
    </p>
  );
}

/** The line for a cost, or null when there is nothing to say. */
export function replyCostText(t: TFunction, c: ServiceCost): string | null {
  if (c.rate === 0 && c.allowance === 0) return null;
  if (c.free) {
    return c.used < c.allowance ? t("calls.replyCost.free", { used: c.used, allowance: c.allowance }) : null;
  }
  const amount = c.rate.toFixed(4);
  return c.allowance > 0
    ? t("calls.replyCost.paid", { amount, currency: c.currency, allowance: c.allowance })
    : t("calls.replyCost.paidNoAllowance", { amount, currency: c.currency });
}
