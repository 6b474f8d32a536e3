// The number's quality rating and messaging limit, and the templates' statuses.
import { AccountHealthPanel } from "../components/AccountHealthPanel";
import type { ScreenProps } from "./props";

export function AccountHealthScreen({ health, onClose }: ScreenProps) {
  return <AccountHealthPanel health={health.health} error={health.error} onHealth={health.setHealth} onClose={onClose} />;
}
