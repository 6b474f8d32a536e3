// The one seam between the UI and the Rust side. Nothing else in ui/ imports
// @tauri-apps/*, so every component also runs in a plain browser under test.
import { invoke } from "@tauri-apps/api/core";
import type { ConversationId } from "../../bindings/ConversationId";
import type { ConversationSummary } from "../../bindings/ConversationSummary";
import type { IpcError } from "../../bindings/IpcError";
import type { Message } from "../../bindings/Message";

/** A command failed on the Rust side; `code` is stable, `message` is for people. */
export class CommandError extends Error {
  readonly code: string;
  constructor(err: IpcError) {
    super(err.message);
    this.name = "CommandError";
    this.code = err.code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as IpcError).code === "string" &&
    typeof (value as IpcError).message === "string"
  );
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    if (isIpcError(err)) throw new CommandError(err);
    throw new CommandError({ code: "ipc", message: String(err) });
  }
}

export function listConversations(limit = 500): Promise<ConversationSummary[]> {
  return call("list_conversations", { limit });
}

export function listMessages(conversationId: ConversationId, limit = 500): Promise<Message[]> {
  return call("list_messages", { conversationId, limit });
}
