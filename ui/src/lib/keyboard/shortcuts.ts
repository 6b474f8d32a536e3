// The inbox's keyboard shortcuts: which key, pressed where, does what.
//
// Everything here is pure (no DOM, no React) so the whole map can be tested
// key by key. `actionFor` is the single place that decides; the help dialog
// lists the same `BINDINGS`, so what it shows is what the keys do.
//
// Two rules hold for every shortcut:
// - A single key (a letter, digit or sign) never fires while the agent types:
//   in the message box, any input, textarea, select or editable text. Only
//   Escape and the Ctrl/⌘ shortcuts work there.
// - A single key never fires with Ctrl, ⌘, Alt/Option held: those belong to
//   the system and to text editing (copy, paste, Option+letter accents).
//   Shortcuts with a modifier use ⌘ on macOS and Ctrl elsewhere.

export type Action =
  | "next"
  | "previous"
  | "first"
  | "last"
  | "open"
  | "reply"
  | "templates"
  | "resolve"
  | "snooze"
  | "reopen"
  | "filterAll"
  | "filterLeads"
  | "filterClosing"
  | "search"
  | "newConversation"
  | "help"
  | "leaveComposer"
  | "close";

/** Where the keyboard focus is when a key is pressed. */
export type Focus =
  /** The message box of the open chat. */
  | "composer"
  /** Anything else that takes typing: an input, textarea, select or editable text. */
  | "text"
  /** The conversation list. */
  | "list"
  /** A button, link, checkbox…: Enter and Space are its own. */
  | "control"
  /** Nothing in particular (the page itself). */
  | "none";

export type KeyContext = {
  /** macOS: the modifier is ⌘ (Meta); elsewhere it is Ctrl. */
  mac: boolean;
  focus: Focus;
  /** A modal dialog is open: it handles its own keys, the inbox none. */
  modal: boolean;
};

/** The parts of a `KeyboardEvent` the map looks at. */
export type KeyPress = {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
};

export type Binding = {
  action: Action;
  /** `KeyboardEvent.key`; letters in lower case. */
  key: string;
  /** ⌘ on macOS, Ctrl elsewhere. */
  mod?: boolean;
  shift?: boolean;
  /** Where the focus may be for the key to do this. */
  where: readonly Focus[];
};

/** Everywhere except where the agent types. */
const NOT_TYPING: readonly Focus[] = ["list", "control", "none"];
const ANYWHERE: readonly Focus[] = ["composer", "text", "list", "control", "none"];

/**
 * The key map. The arrow keys, Home and End move through the list only while
 * it has the focus, so elsewhere they keep scrolling what they scroll; j and k
 * move through it from anywhere but a text field.
 *
 * Moving only moves the cursor; Enter (or o) opens the chat under it. Opening
 * a chat marks it read and sends WhatsApp read receipts, so the customer sees
 * their messages as read: skimming down the list must not do that to every
 * chat on the way.
 */
export const BINDINGS: readonly Binding[] = [
  { action: "next", key: "ArrowDown", where: ["list"] },
  { action: "next", key: "j", where: NOT_TYPING },
  { action: "previous", key: "ArrowUp", where: ["list"] },
  { action: "previous", key: "k", where: NOT_TYPING },
  { action: "first", key: "Home", where: ["list"] },
  { action: "last", key: "End", where: ["list"] },
  // Not on a button or link: there Enter presses it.
  { action: "open", key: "Enter", where: ["list", "none"] },
  { action: "open", key: "o", where: NOT_TYPING },
  { action: "reply", key: "r", where: NOT_TYPING },
  { action: "templates", key: "t", where: NOT_TYPING },
  { action: "templates", key: "t", mod: true, shift: true, where: ANYWHERE },
  // The open chat's status: e resolves, z opens the snooze choices, u reopens.
  { action: "resolve", key: "e", where: NOT_TYPING },
  { action: "snooze", key: "z", where: NOT_TYPING },
  { action: "reopen", key: "u", where: NOT_TYPING },
  { action: "filterAll", key: "1", where: NOT_TYPING },
  { action: "filterLeads", key: "2", where: NOT_TYPING },
  { action: "filterClosing", key: "3", where: NOT_TYPING },
  { action: "search", key: "/", where: NOT_TYPING },
  { action: "search", key: "k", mod: true, where: ANYWHERE },
  { action: "newConversation", key: "n", where: NOT_TYPING },
  { action: "help", key: "?", where: NOT_TYPING },
  // Escape in the message box leaves it (what was typed stays); elsewhere,
  // out of any text field, it closes the open panel.
  { action: "leaveComposer", key: "Escape", where: ["composer"] },
  { action: "close", key: "Escape", where: NOT_TYPING },
];

const LETTER = /^[a-z]$/;

/**
 * The key as the map names it, or null for a key that is only part of
 * typing (a dead key, an input method composing).
 *
 * Letters are lower-cased (Caps Lock does not change a shortcut). On a layout
 * of another alphabet the letter's place on the keyboard counts: with a
 * Russian layout the key that types «о» is j.
 */
export function keyOf(e: Pick<KeyPress, "key" | "code" | "isComposing">): string | null {
  if (e.isComposing || e.key === "Dead" || e.key === "Process" || e.key === "Unidentified" || e.key === "") return null;
  if ([...e.key].length !== 1) return e.key;
  const lower = e.key.toLowerCase();
  if (LETTER.test(lower)) return lower;
  const place = /^Key([A-Z])$/.exec(e.code);
  if (place?.[1] && /^\p{L}$/u.test(e.key)) return place[1].toLowerCase();
  return e.key;
}

/** What a key press does in `ctx`, or null when it is not a shortcut there. */
export function actionFor(e: KeyPress, ctx: KeyContext): Action | null {
  if (ctx.modal) return null;
  const key = keyOf(e);
  if (key === null) return null;
  const mod = ctx.mac ? e.metaKey : e.ctrlKey;
  // Alt/Option, and Ctrl on macOS or the Windows/Super key elsewhere, are
  // never part of an inbox shortcut.
  if (e.altKey || (ctx.mac ? e.ctrlKey : e.metaKey)) return null;
  // Shift is part of a letter's or a named key's shortcut. A digit or sign is
  // matched by what it types: `?` is Shift+/ on one layout and not another.
  const shiftMatters = LETTER.test(key) || [...key].length > 1;
  for (const b of BINDINGS) {
    if (b.key !== key || (b.mod ?? false) !== mod || !b.where.includes(ctx.focus)) continue;
    if (shiftMatters && (b.shift ?? false) !== e.shiftKey) continue;
    return b.action;
  }
  return null;
}

/** The rows of the shortcut list, in groups, each naming the actions it shows. */
export const SHORTCUT_GROUPS = [
  {
    id: "conversations",
    rows: [
      { id: "next", actions: ["next"] },
      { id: "previous", actions: ["previous"] },
      { id: "firstLast", actions: ["first", "last"] },
      { id: "open", actions: ["open"] },
      { id: "search", actions: ["search"] },
      { id: "filterAll", actions: ["filterAll"] },
      { id: "filterLeads", actions: ["filterLeads"] },
      { id: "filterClosing", actions: ["filterClosing"] },
      { id: "newConversation", actions: ["newConversation"] },
    ],
  },
  {
    id: "chat",
    rows: [
      { id: "reply", actions: ["reply"] },
      { id: "templates", actions: ["templates"] },
      { id: "resolve", actions: ["resolve"] },
      { id: "snooze", actions: ["snooze"] },
      { id: "reopen", actions: ["reopen"] },
      { id: "escape", actions: ["leaveComposer", "close"] },
    ],
  },
  {
    id: "general",
    rows: [{ id: "help", actions: ["help"] }],
  },
] as const satisfies readonly { id: string; rows: readonly { id: string; actions: readonly Action[] }[] }[];

/** A key combination as the list shows it: modifiers first, then the key. */
export type Combo = { key: string; mod: boolean; shift: boolean };

/** Every combination that does one of `actions`, in map order, without repeats. */
export function combosFor(actions: readonly Action[]): Combo[] {
  const out: Combo[] = [];
  for (const b of BINDINGS) {
    if (!actions.includes(b.action)) continue;
    const combo = { key: b.key, mod: b.mod ?? false, shift: b.shift ?? false };
    if (!out.some((c) => c.key === combo.key && c.mod === combo.mod && c.shift === combo.shift)) out.push(combo);
  }
  return out;
}

/**
 * The combination in `aria-keyshortcuts` form (`Control+Shift+T`,
 * `Meta+K`, `?`), for the elements a shortcut stands for.
 */
export function ariaKeys(combo: Combo, mac: boolean): string {
  const parts: string[] = [];
  if (combo.mod) parts.push(mac ? "Meta" : "Control");
  if (combo.shift) parts.push("Shift");
  parts.push(LETTER.test(combo.key) && (combo.mod || combo.shift) ? combo.key.toUpperCase() : combo.key);
  return parts.join("+");
}

/**
 * Whether this computer is a Mac, where shortcuts use ⌘. Read from the
 * browser engine; anything else counts as Ctrl-based.
 */
export function isMac(nav: { platform?: string; userAgent?: string } | undefined = globalThis.navigator): boolean {
  if (!nav) return false;
  return /Mac|iPhone|iPad|iPod/i.test(nav.platform || nav.userAgent || "");
}

/**
 * The next cursor position in the list `ids` (in the order shown).
 *
 * The cursor steps from where it is; when it is not in the list (nothing yet,
 * or a filter hid its row) it steps from the open chat's row, and failing
 * that lands on the first row.
 */
export function moveCursor<T>(
  ids: readonly T[],
  active: T | null,
  open: T | null,
  step: "next" | "previous" | "first" | "last",
): T | null {
  if (ids.length === 0) return null;
  if (step === "first") return ids[0] ?? null;
  if (step === "last") return ids[ids.length - 1] ?? null;
  const at = active === null ? -1 : ids.indexOf(active);
  const from = at !== -1 ? at : open === null ? -1 : ids.indexOf(open);
  if (from === -1) return ids[0] ?? null;
  const to = Math.min(ids.length - 1, Math.max(0, from + (step === "next" ? 1 : -1)));
  return ids[to] ?? null;
}

/**
 * Where the cursor lands when the list gets the focus: where it already is,
 * else on the open chat's row, else on the first row.
 */
export function landCursor<T>(ids: readonly T[], active: T | null, open: T | null): T | null {
  if (active !== null && ids.includes(active)) return active;
  if (open !== null && ids.includes(open)) return open;
  return ids[0] ?? null;
}
