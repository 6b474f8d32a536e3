// Test-only access to Tauri's IPC mocks, kept behind the same seam as the
// real IPC so no other module imports @tauri-apps/*.
import { mockIPC } from "@tauri-apps/api/mocks";
import type { SessionInfo } from "../../bindings/SessionInfo";

export { clearMocks, mockConvertFileSrc, mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { emit as emitEvent } from "@tauri-apps/api/event";
import type { AppEvent } from "../../bindings/AppEvent";
import type { PreferenceChange } from "../../bindings/PreferenceChange";
import type { PreferenceKey } from "../../bindings/PreferenceKey";
import { APP_EVENT } from "./index";

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

// The window events by their names before they became one `AppEvent`, so a
// test can say what happened in its own words.
const KINDS: Record<string, AppEvent["kind"]> = {
  "sync-update": "sync_update",
  "inbox-reload": "reload",
  "session-changed": "session_changed",
  "open-conversation": "open_conversation",
  "upload-progress": "upload_progress",
  "outbox-update": "outbox_change",
  "sending-state": "sending_state",
  "launch-notice": "launch_notice",
  "notification-settings-changed": "notification_settings_changed",
  "account-health": "account_health_changed",
  "update-ready": "update_ready",
};

/**
 * Emits what the Rust side would: an `AppEvent` of `kind` (or its old event
 * name) with `payload`, on the one window event. Other names are emitted as
 * they are.
 */
export function emit(event: string, payload?: unknown): Promise<void> {
  const kind = KINDS[event] ?? (Object.values(KINDS).includes(event as AppEvent["kind"]) ? event : undefined);
  if (kind === undefined) return emitEvent(event, payload);
  return emitEvent(APP_EVENT, payload === undefined || payload === null ? { kind } : { kind, payload });
}

/**
 * The preference a `get_preference` or `set_preference` call is about, with
 * the value a set saves; `undefined` for any other command.
 */
export function preferenceCall(
  cmd: string,
  args: Record<string, unknown> | undefined,
): { key: PreferenceKey; value?: unknown } | undefined {
  if (cmd === "get_preference") return { key: args?.key as PreferenceKey };
  if (cmd === "set_preference") return args?.change as PreferenceChange;
  return undefined;
}
