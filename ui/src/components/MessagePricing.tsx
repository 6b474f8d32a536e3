import type { MessagePricing as Pricing } from "../bindings/MessagePricing";
import { useTranslation } from "../lib/i18n";

/** What Meta reported it charges for a message, folded under "Details". */
export function MessagePricing({ pricing }: { pricing: Pricing }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [];
  if (pricing.billable !== null) rows.push([t("calls.pricing.billable"), pricing.billable ? "✓" : t("calls.pricing.free")]);
  if (pricing.category) rows.push([t("calls.pricing.category"), pricing.category]);
  if (pricing.type) rows.push([t("calls.pricing.type"), pricing.type]);
  if (pricing.model) rows.push([t("calls.pricing.model"), pricing.model]);
  return (
    <details className="message-details" data-testid="message-pricing" data-billable={String(pricing.billable)}>
      <summary>{t("calls.pricing.details")}</summary>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="message-details-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
