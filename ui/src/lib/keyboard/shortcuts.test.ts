import { describe, expect, it } from "vitest";
import {
  type Action,
  actionFor,
  ariaKeys,
  BINDINGS,
  combosFor,
  type Focus,
  isMac,
  type KeyPress,
  keyOf,
  landCursor,
  moveCursor,
  SHORTCUT_GROUPS,
} from "./shortcuts";

const FOCUSES: Focus[] = ["composer", "text", "list", "control", "none"];
const TYPING: Focus[] = ["composer", "text"];

/** A key press as a US layout reports it. */
function press(key: string, mods: Partial<Omit<KeyPress, "key" | "code">> = {}, code?: string): KeyPress {
  const guessed = /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^\d$/.test(key) ? `Digit${key}` : key;
  return { key, code: code ?? guessed, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods };
}

function on(focus: Focus, mac = false, modal = false) {
  return { focus, mac, modal };
}

/** Every key a person can type as a single character, on Latin and Cyrillic layouts, with and without Shift. */
const PRINTABLE = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)),
  ..."абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯñÑçÇ¿¡",
];

describe("the key map", () => {
  it("does what each binding says wherever it applies, with Ctrl on Linux and Windows and ⌘ on macOS", () => {
    for (const mac of [false, true]) {
      for (const b of BINDINGS) {
        const mods = b.mod ? (mac ? { metaKey: true } : { ctrlKey: true }) : {};
        const key = b.shift && b.key.length === 1 ? b.key.toUpperCase() : b.key;
        for (const focus of b.where) {
          expect(actionFor(press(key, { ...mods, shiftKey: b.shift ?? false }), on(focus, mac)), `${b.key} in ${focus}`).toBe(b.action);
        }
      }
    }
  });

  it("has the documented keys", () => {
    const none = on("none");
    const list = on("list");
    const cases: [KeyPress, Focus, Action | null][] = [
      [press("ArrowDown"), "list", "next"],
      [press("ArrowUp"), "list", "previous"],
      [press("Home"), "list", "first"],
      [press("End"), "list", "last"],
      [press("j"), "none", "next"],
      [press("k"), "control", "previous"],
      [press("Enter"), "list", "open"],
      [press("Enter"), "none", "open"],
      [press("o"), "control", "open"],
      [press("r"), "list", "reply"],
      [press("t"), "none", "templates"],
      [press("T", { ctrlKey: true, shiftKey: true }), "composer", "templates"],
      [press("1"), "none", "filterAll"],
      [press("2"), "list", "filterLeads"],
      [press("3"), "control", "filterClosing"],
      [press("/", {}, "Slash"), "none", "search"],
      [press("k", { ctrlKey: true }), "text", "search"],
      [press("n"), "list", "newConversation"],
      [press("N", { shiftKey: true }), "none", null],
      [press("?", { shiftKey: true }, "Slash"), "list", "help"],
      [press("Escape"), "composer", "leaveComposer"],
      [press("Escape"), "none", "close"],
      [press("Escape"), "list", "close"],
    ];
    for (const [e, focus, action] of cases) expect(actionFor(e, on(focus)), `${e.key} in ${focus}`).toBe(action);
    expect(actionFor(press("x"), none)).toBeNull();
    expect(actionFor(press("Tab"), list)).toBeNull();
  });

  it("never fires a single-key shortcut inside a text field or the message box", () => {
    for (const focus of TYPING) {
      for (const key of PRINTABLE) {
        for (const shiftKey of [false, true]) {
          for (const mac of [false, true]) {
            expect(actionFor(press(key, { shiftKey }), on(focus, mac)), `${JSON.stringify(key)} in ${focus}`).toBeNull();
          }
        }
      }
      // Keys that edit or move the caret in text stay the field's.
      for (const key of ["ArrowDown", "ArrowUp", "Home", "End", "Enter", "Backspace", "Delete", "Tab", " "]) {
        expect(actionFor(press(key), on(focus)), `${key} in ${focus}`).toBeNull();
      }
    }
    // Escape only leaves the message box; in any other field it is the field's.
    expect(actionFor(press("Escape"), on("text"))).toBeNull();
  });

  it("never fires a single-key shortcut with a modifier the system uses", () => {
    for (const focus of FOCUSES) {
      for (const key of PRINTABLE) {
        for (const mac of [false, true]) {
          const label = `${JSON.stringify(key)} in ${focus}${mac ? " on macOS" : ""}`;
          // Alt/Option types accents and symbols; Ctrl on macOS and the
          // Windows/Super key elsewhere belong to the system.
          expect(actionFor(press(key, { altKey: true }), on(focus, mac)), `Alt+${label}`).toBeNull();
          expect(actionFor(press(key, mac ? { ctrlKey: true } : { metaKey: true }), on(focus, mac)), label).toBeNull();
          // With the platform's own modifier only the two documented
          // shortcuts exist: ⌘/Ctrl+K and ⌘/Ctrl+Shift+T.
          const mod = mac ? { metaKey: true } : { ctrlKey: true };
          const withMod = actionFor(press(key, mod), on(focus, mac));
          expect(withMod === null || (key.toLowerCase() === "k" && withMod === "search"), `Mod+${label}`).toBe(true);
          const withModShift = actionFor(press(key, { ...mod, shiftKey: true }), on(focus, mac));
          expect(withModShift === null || (key.toLowerCase() === "t" && withModShift === "templates"), `Mod+Shift+${label}`).toBe(true);
        }
      }
    }
    // Ctrl+Alt (AltGr on Windows) types characters too.
    expect(actionFor(press("?", { ctrlKey: true, altKey: true }), on("none"))).toBeNull();
  });

  it("leaves Enter to the button or link that has the focus", () => {
    expect(actionFor(press("Enter"), on("control"))).toBeNull();
  });

  it("keeps the arrow keys, Home and End for scrolling outside the list", () => {
    for (const focus of ["control", "none"] as Focus[]) {
      for (const key of ["ArrowDown", "ArrowUp", "Home", "End"]) expect(actionFor(press(key), on(focus)), key).toBeNull();
    }
  });

  it("does nothing while a modal dialog is open: the dialog has the keyboard", () => {
    for (const b of BINDINGS) {
      for (const focus of b.where) {
        const mods = b.mod ? { ctrlKey: true, shiftKey: b.shift ?? false } : {};
        expect(actionFor(press(b.key, mods), on(focus, false, true))).toBeNull();
      }
    }
  });

  it("reads a letter shortcut the same with Caps Lock, but not with Shift", () => {
    expect(actionFor(press("J"), on("none"))).toBe("next");
    expect(actionFor(press("J", { shiftKey: true }), on("none"))).toBeNull();
    expect(actionFor(press("ArrowDown", { shiftKey: true }), on("list"))).toBeNull();
  });

  it("finds letters by their place on layouts of other alphabets", () => {
    // A Russian layout: the keys of j, k, r and t type о, л, к and е.
    expect(actionFor(press("о", {}, "KeyJ"), on("list"))).toBe("next");
    expect(actionFor(press("к", {}, "KeyR"), on("none"))).toBe("reply");
    expect(actionFor(press("л", { ctrlKey: true }, "KeyK"), on("composer"))).toBe("search");
    expect(actionFor(press("Е", { ctrlKey: true, shiftKey: true }, "KeyT"), on("composer"))).toBe("templates");
    expect(actionFor(press("о", {}, "KeyJ"), on("composer"))).toBeNull();
    // Signs are matched by what they type: `?` is Shift+7 on that layout.
    expect(actionFor(press("?", { shiftKey: true }, "Digit7"), on("none"))).toBe("help");
    expect(actionFor(press(".", {}, "Slash"), on("none"))).toBeNull();
  });

  it("ignores keys that only compose a character", () => {
    expect(keyOf({ key: "Dead", code: "Quote" })).toBeNull();
    expect(keyOf({ key: "Process", code: "KeyJ" })).toBeNull();
    expect(keyOf({ key: "j", code: "KeyJ", isComposing: true })).toBeNull();
    expect(actionFor({ ...press("j"), isComposing: true }, on("none"))).toBeNull();
  });
});

describe("the shortcut list", () => {
  it("shows every action once, and only actions the map has", () => {
    const shown = SHORTCUT_GROUPS.flatMap((g) => g.rows.flatMap((r) => [...r.actions]));
    expect(new Set(shown).size).toBe(shown.length);
    expect(new Set(shown)).toEqual(new Set(BINDINGS.map((b) => b.action)));
    for (const g of SHORTCUT_GROUPS) for (const r of g.rows) expect(combosFor(r.actions).length, r.id).toBeGreaterThan(0);
  });

  it("lists each key combination once per row", () => {
    expect(combosFor(["leaveComposer", "close"])).toEqual([{ key: "Escape", mod: false, shift: false }]);
    expect(combosFor(["templates"])).toEqual([
      { key: "t", mod: false, shift: false },
      { key: "t", mod: true, shift: true },
    ]);
  });

  it("names combinations for aria-keyshortcuts", () => {
    const [single, combo] = combosFor(["templates"]);
    expect(ariaKeys(single!, false)).toBe("t");
    expect(ariaKeys(combo!, false)).toBe("Control+Shift+T");
    expect(ariaKeys(combo!, true)).toBe("Meta+Shift+T");
    expect(combosFor(["help"]).map((c) => ariaKeys(c, false))).toEqual(["?"]);
  });
});

describe("isMac", () => {
  it("tells macOS from the rest", () => {
    expect(isMac({ platform: "MacIntel" })).toBe(true);
    expect(isMac({ platform: "", userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15" })).toBe(true);
    expect(isMac({ platform: "Linux x86_64" })).toBe(false);
    expect(isMac({ platform: "Win32" })).toBe(false);
    expect(isMac(undefined)).toBe(false);
  });
});

describe("the list cursor", () => {
  const ids = [10, 20, 30, 40];

  it("steps from where it is and stops at the ends", () => {
    expect(moveCursor(ids, 20, null, "next")).toBe(30);
    expect(moveCursor(ids, 20, null, "previous")).toBe(10);
    expect(moveCursor(ids, 40, null, "next")).toBe(40);
    expect(moveCursor(ids, 10, null, "previous")).toBe(10);
    expect(moveCursor(ids, 20, null, "first")).toBe(10);
    expect(moveCursor(ids, 20, null, "last")).toBe(40);
  });

  it("steps from the open chat when it has no row, else lands on the first", () => {
    expect(moveCursor(ids, null, 30, "next")).toBe(40);
    expect(moveCursor(ids, 99, 30, "previous")).toBe(20);
    expect(moveCursor(ids, null, null, "next")).toBe(10);
    expect(moveCursor(ids, 99, 98, "previous")).toBe(10);
    expect(moveCursor([], null, null, "next")).toBeNull();
  });

  it("lands where it is, else on the open chat, else on the first row when the list takes the focus", () => {
    expect(landCursor(ids, 30, 10)).toBe(30);
    expect(landCursor(ids, 99, 20)).toBe(20);
    expect(landCursor(ids, null, null)).toBe(10);
    expect(landCursor([], null, null)).toBeNull();
  });
});
