// The team's reports, loaded when first opened: the charting library stays
// out of the inbox's bundle.
import { lazy, Suspense } from "react";
import { useTranslation } from "../lib/i18n";
import type { ScreenProps } from "./props";

const Reports = lazy(() => import("../components/ReportsScreen"));

export function ReportsScreen({ me, onOpenConversation, onClose }: ScreenProps) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<p className="muted centered">{t("reports.loading")}</p>}>
      <Reports me={me} onOpenConversation={onOpenConversation} onClose={onClose} />
    </Suspense>
  );
}
