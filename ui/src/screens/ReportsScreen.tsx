// The team's reports. Loaded when first opened (see `index.tsx`), with the
// charting library: both stay out of the inbox's first script.
import { ReportsScreen as Reports } from "../components/ReportsScreen";
import type { ScreenProps } from "./props";

export function ReportsScreen({ me, onOpenConversation, onClose }: ScreenProps) {
  return <Reports me={me} onOpenConversation={onOpenConversation} onClose={onClose} />;
}
