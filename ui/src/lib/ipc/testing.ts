// Test-only access to Tauri's IPC mocks, kept behind the same seam as the
// real IPC so no other module imports @tauri-apps/*.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { SessionInfo } from "../../bindings/SessionInfo";

export { clearMocks, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
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
 * session query it does not answer gets an unconfigured session.
 */
export function mockBackend(handler: Handler) {
  mockIPC(
    (cmd, args) => {
      const answer = handler(cmd, args as Record<string, unknown> | undefined);
      if (answer === undefined && cmd === "get_session") return UNCONFIGURED;
      return answer;
    },
    { shouldMockEvents: true },
  );
}
