// Test-only access to Tauri's IPC mocks, kept behind the same seam as the
// real IPC so no other module imports @tauri-apps/*.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { SessionInfo } from "../../bindings/SessionInfo";

export { clearMocks, mockConvertFileSrc, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
export { emit } from "@tauri-apps/api/event";

type Handler = (cmd: string, args: Record<string, unknown> | undefined) => unknown;

export const UNCONFIGURED: SessionInfo = {
  mode: "unconfigured",
  connection: null,
  business_number: null,
  sending: null,
  problem: null,
};

/**
 * Mocks the Rust side with events enabled: `handler` answers commands; a
 * session query it does not answer gets an unconfigured session, team
 * queries an empty team, and presence nobody else.
 */
export function mockBackend(handler: Handler) {
  mockIPC(
    (cmd, args) => {
      const answer = handler(cmd, args as Record<string, unknown> | undefined);
      if (answer !== undefined) return answer;
      if (cmd === "get_session") return UNCONFIGURED;
      // A team nobody has acted in yet.
      if (cmd === "list_assignees" || cmd === "list_canned" || cmd === "list_labels" || cmd === "list_statuses") return [];
      if (cmd === "list_agents") return { me: null, agents: [] };
      if (cmd === "get_conversation_team") throw new Error("no team state in this test");
      if (cmd === "get_contact") throw new Error("no contact in this test");
      // Nobody else around, and nothing to warn about before sending.
      if (cmd === "set_presence" || cmd === "get_presence") return { viewing: [], typing: [] };
      if (cmd === "check_collision") return [];
      // Nothing Meta said about the account yet.
      if (cmd === "get_account_health") return { numbers: [], templates: [], changes: [], alerts: [] };
      return answer;
    },
    { shouldMockEvents: true },
  );
}
