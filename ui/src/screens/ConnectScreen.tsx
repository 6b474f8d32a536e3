// Connecting a number from the empty inbox.
import { ConnectForm } from "../components/ConnectForm";
import { useTranslation } from "../lib/i18n";
import type { ScreenProps } from "./props";

export function ConnectScreen({ onSession, onClose }: ScreenProps) {
  const { t } = useTranslation();
  return (
    <div className="connect-screen" data-testid="connect-screen">
      <h2>{t("app.connectNumber")}</h2>
      <ConnectForm onConnected={onSession} onCancel={onClose} />
    </div>
  );
}
