// Words a problem from the Rust side in the window's language: its stable
// code, filled in with the values that came along. Rust's English message
// is the fallback for a code this window does not know (a newer backend).
import type { ErrorCode } from "../../bindings/ErrorCode";
import { CommandError } from "../ipc";
import { i18n } from "./index";

export type Problem = { code: ErrorCode; params?: Record<string, string>; message: string };

/** The problem in the window's language. */
export function problemText(problem: Problem): string {
  const params = { ...problem.params };
  // A refused input names its reason: worded here, it replaces Rust's
  // English in `detail` (kept for a reason this window does not know).
  if (params.reason) {
    params.detail = i18n.t(`reasons.${params.reason}`, { ...params, defaultValue: params.detail ?? "" });
  }
  return withoutMissing(i18n.t(`errors.${problem.code}`, { ...params, defaultValue: problem.message }));
}

/**
 * A worded text without the values that were not given: a "({{detail}})"
 * with no detail goes, with its brackets, as does an empty "()".
 */
export function withoutMissing(text: string): string {
  return text
    .replace(/ ?\((?:\{\{\w+\}\})?\)/g, "")
    .replace(/\{\{\w+\}\}/g, "")
    .trim();
}

/** Any failure a command or a promise gave, for a person to read. */
export function errorText(err: unknown): string {
  if (err instanceof CommandError) return problemText(err);
  if (err instanceof Error) return err.message;
  return String(err);
}
