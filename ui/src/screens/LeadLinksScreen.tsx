// Links and QR codes that open a chat with the business number, with a lead source.
import { LeadLinks } from "../components/LeadLinks";
import type { ScreenProps } from "./props";

export function LeadLinksScreen({ session, onClose }: ScreenProps) {
  return <LeadLinks businessNumber={session?.business_number ?? null} onClose={onClose} />;
}
