// Signed updates: the app's own commands (src-tauri/updater.rs) and the
// `update_ready` AppEvent its quiet check on start sends. The plugin's JS
// API is not used, so the window needs no updater permission.
import { invoke } from "@tauri-apps/api/core";
import type { IpcError } from "../../bindings/IpcError";
import type { UpdateCheck } from "../../bindings/UpdateCheck";
import { CommandError, subscribe } from "./index";

export type AvailableUpdate = Extract<UpdateCheck, { status: "available" }>;

async function call<T>(command: string): Promise<T> {
  try {
    return await invoke<T>(command);
  } catch (err) {
    const e = err as Partial<IpcError> | null;
    if (typeof e?.code === "string" && typeof e.message === "string") {
      throw new CommandError({ code: e.code, params: e.params ?? {}, message: e.message });
    }
    throw new CommandError({ code: "ipc", params: { detail: String(err) }, message: String(err) });
  }
}

/** Asks the update server; an available update is already downloaded and its signature verified. */
export function checkForUpdates(): Promise<UpdateCheck> {
  return call("check_for_updates");
}

/** The verified update the quiet check on start found, if any. */
export function pendingUpdate(): Promise<UpdateCheck | null> {
  return call("pending_update");
}

/** Installs the verified update; on success the app restarts and this never resolves in practice. */
export function installUpdate(): Promise<void> {
  return call("install_update");
}

/** Calls `handler` when the quiet check finds a verified update; returns the unsubscribe function. */
export async function onUpdateReady(handler: (update: AvailableUpdate) => void): Promise<() => void> {
  return subscribe("update_ready", (update) => {
    if (update.status === "available") handler(update);
  });
}
