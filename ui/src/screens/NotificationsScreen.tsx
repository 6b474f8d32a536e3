// Which desktop notifications this agent gets.
import { NotificationSettingsPanel } from "../components/NotificationSettingsPanel";
import type { ScreenProps } from "./props";

export function NotificationsScreen({ onClose }: ScreenProps) {
  return <NotificationSettingsPanel onClose={onClose} />;
}
