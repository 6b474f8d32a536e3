// What the window hands every screen but the inbox.
import type { ConversationId } from "../bindings/ConversationId";
import type { SessionInfo } from "../bindings/SessionInfo";
import type { AccountHealthState } from "../lib/health/useAccountHealth";

/** What every screen may use of the window. */
export type ScreenProps = {
  session: SessionInfo | null;
  /** This agent's name on the team's relay. */
  me: string | null;
  health: AccountHealthState;
  /** A session was made or changed on this screen. */
  onSession: (session: SessionInfo) => void;
  /** Opens a conversation in the inbox. */
  onOpenConversation: (id: ConversationId) => void;
  /** Back to the inbox. */
  onClose: () => void;
};
