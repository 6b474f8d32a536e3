// Keyboard use of the inbox: the key map (./shortcuts, pure) and the glue to
// the page: where the focus is, one listener for the whole window, and the
// focus handling every modal dialog shares.
import { type RefObject, useEffect, useRef } from "react";
import { type Action, actionFor, type Focus, isMac } from "./shortcuts";

export * from "./shortcuts";

/** Input types that take no typing: a shortcut key pressed on them is still a shortcut. */
const UNTYPED_INPUTS = new Set(["button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit"]);

/** Whether keys pressed on `el` type into it (or pick from it, as a select does). */
export function isTextField(el: Element): boolean {
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !UNTYPED_INPUTS.has(el.type);
  return el instanceof HTMLElement && (el.isContentEditable || el.closest('[contenteditable]:not([contenteditable="false"])') !== null);
}

/** Classifies the focused element for the key map. */
export function focusOf(el: Element | null, parts: { list: Element | null; composer: Element | null }): Focus {
  if (el === null || el === document.body || el === document.documentElement) return "none";
  if (parts.composer !== null && el === parts.composer) return "composer";
  if (isTextField(el)) return "text";
  if (parts.list !== null && parts.list.contains(el)) return "list";
  return "control";
}

/** Whether a modal dialog (the shortcut list, the template picker) is open. */
export function modalOpen(): boolean {
  return document.querySelector('[aria-modal="true"]') !== null;
}

/**
 * Listens to every key pressed in the window and hands the shortcuts to
 * `run`, which says whether it did something (then the key does nothing
 * else: a letter that focused a text field is not typed into it).
 */
export function useShortcuts(
  run: (action: Action) => boolean,
  parts: () => { list: Element | null; composer: Element | null },
) {
  const latest = useRef({ run, parts });
  latest.current = { run, parts };
  useEffect(() => {
    const mac = isMac();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const target = e.target instanceof Element ? e.target : document.activeElement;
      const focus = focusOf(target, latest.current.parts());
      const action = actionFor(e, { mac, focus, modal: modalOpen() });
      if (action !== null && latest.current.run(action)) e.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

/**
 * A modal dialog's focus: it moves into the dialog when it opens (to
 * `initial`, else its first control), Tab and Shift+Tab go round inside it,
 * Escape calls `onClose`, and when it closes the focus goes back where it
 * was.
 */
export function useDialogFocus(
  dialog: RefObject<HTMLElement | null>,
  onClose: () => void,
  initial?: () => HTMLElement | null,
) {
  const latest = useRef({ onClose, initial });
  latest.current = { onClose, initial };
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = dialog.current;
    if (root) (latest.current.initial?.() ?? focusables(root)[0] ?? root).focus();
    const onKeyDown = (e: KeyboardEvent) => {
      const root = dialog.current;
      if (!root || e.defaultPrevented || e.isComposing) return;
      if (e.key === "Escape") {
        e.preventDefault();
        latest.current.onClose();
        return;
      }
      if (e.key !== "Tab") return;
      const inside = focusables(root);
      const first = inside[0];
      const last = inside[inside.length - 1];
      if (!first || !last) {
        e.preventDefault();
        return;
      }
      const at = document.activeElement;
      if (!root.contains(at)) {
        e.preventDefault();
        first.focus();
      } else if (e.shiftKey && (at === first || at === root)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && at === last) {
        e.preventDefault();
        first.focus();
      }
    };
    // Focus that lands outside (a click on the page behind) comes back in.
    const onFocusIn = (e: FocusEvent) => {
      const root = dialog.current;
      if (root && e.target instanceof Node && !root.contains(e.target)) (focusables(root)[0] ?? root).focus();
    };
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("focusin", onFocusIn);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("focusin", onFocusIn);
      if (before?.isConnected) before.focus({ preventScroll: true });
    };
  }, [dialog]);
}
