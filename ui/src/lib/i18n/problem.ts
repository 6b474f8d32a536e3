// Words a problem from the Rust side in the window's language: its stable
// code, filled in with the values that came along. Rust's English message
// is the fallback for a code this window does not know (a newer backend).
import type { ErrorCode } from "../../bindings/ErrorCode";
import { CommandError } from "../ipc";
import { i18n } from "./index";

export type Problem = { code: ErrorCode; params?: Record<string, string>; message: string };

/**
 * The problems whose wording shows Meta's own (English) words in
 * `{{detail}}`: when Meta's refusal is of a kind the window words
 * (`refusal`), that sentence stands for them, with Meta's code.
 */
const META_WORDS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "graph_transient",
  "graph_undeliverable",
  "graph_unsupported",
  "graph_template",
  "graph_bad_request",
  "graph_account_restricted",
]);

/** The problem in the window's language. */
export function problemText(problem: Problem): string {
  const params = { ...problem.params };
  // A refused input names its reason, a failure of the system its kind:
  // worded here, either replaces the English in `detail` (kept for a
  // reason or kind this window does not know).
  if (params.reason) {
    params.detail = i18n.t(`reasons.${params.reason}`, { ...params, defaultValue: params.detail ?? "" });
  } else if (params.os) {
    params.detail = i18n.t(`os.${params.os}`, { defaultValue: params.detail ?? "" });
  }
  if (params.refusal && META_WORDS.has(problem.code)) {
    const reason = i18n.t(`refusal.${params.refusal}`, { defaultValue: "" });
    if (reason) return withoutMissing(i18n.t("metaRefused", { reason, meta_code: params.meta_code ?? "" }));
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
