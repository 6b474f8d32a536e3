import { Fragment, useId, useRef } from "react";
import { type TFunction, useTranslation } from "../lib/i18n";
import { type Combo, combosFor, isMac, SHORTCUT_GROUPS, useDialogFocus } from "../lib/keyboard";

type Props = { onClose: () => void };

/** A key cap: what is printed on it, and its name when that is a symbol. */
type Cap = { glyph: string; name?: string };

function caps(combo: Combo, mac: boolean, t: TFunction): Cap[] {
  const out: Cap[] = [];
  if (combo.mod) out.push(mac ? { glyph: "⌘", name: t("shortcuts.keys.command") } : { glyph: t("shortcuts.keys.ctrl") });
  if (combo.shift) out.push(mac ? { glyph: "⇧", name: t("shortcuts.keys.shift") } : { glyph: t("shortcuts.keys.shift") });
  switch (combo.key) {
    case "ArrowDown":
      out.push({ glyph: "↓", name: t("shortcuts.keys.down") });
      break;
    case "ArrowUp":
      out.push({ glyph: "↑", name: t("shortcuts.keys.up") });
      break;
    case "Enter":
      out.push({ glyph: t("shortcuts.keys.enter") });
      break;
    case "Escape":
      out.push({ glyph: t("shortcuts.keys.escape") });
      break;
    case "Home":
      out.push({ glyph: t("shortcuts.keys.home") });
      break;
    case "End":
      out.push({ glyph: t("shortcuts.keys.end") });
      break;
    default:
      // A letter alone is shown as typed (j, not J: no Shift); with a
      // modifier as printed on the key.
      out.push({ glyph: combo.mod || combo.shift ? combo.key.toUpperCase() : combo.key });
  }
  return out;
}

function Keys({ combo, mac, t }: { combo: Combo; mac: boolean; t: TFunction }) {
  return (
    <span className="shortcut-combo">
      {caps(combo, mac, t).map((cap, i) => (
        <Fragment key={i}>
          {/* macOS writes ⌘⇧T; elsewhere it is Ctrl+Shift+T. */}
          {i > 0 && !mac && <span aria-hidden="true">+</span>}
          <kbd>
            {cap.name ? (
              <>
                <span aria-hidden="true">{cap.glyph}</span>
                <span className="visually-hidden">{cap.name}</span>
              </>
            ) : (
              cap.glyph
            )}
          </kbd>
        </Fragment>
      ))}
    </span>
  );
}

/**
 * The list of keyboard shortcuts (opened with `?`): a modal dialog that
 * keeps the focus inside and closes with Escape, its Close button or a
 * click beside it. The keys come from the key map itself.
 */
export function ShortcutsDialog({ onClose }: Props) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDivElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  useDialogFocus(dialog, onClose, () => close.current);
  const mac = isMac();
  return (
    <div
      className="picker-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={dialog}
        className="shortcuts-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid="shortcuts-dialog"
      >
        <header className="picker-header">
          <h2 id={titleId}>{t("shortcuts.title")}</h2>
          <button ref={close} type="button" onClick={onClose} data-testid="shortcuts-close">
            {t("common.close")}
          </button>
        </header>
        {SHORTCUT_GROUPS.map((group) => (
          <section key={group.id} className="shortcut-group" aria-labelledby={`${titleId}-${group.id}`}>
            <h3 id={`${titleId}-${group.id}`}>{t(`shortcuts.groups.${group.id}`)}</h3>
            <ul className="shortcut-list">
              {group.rows.map((row) => (
                <li key={row.id} className="shortcut" data-testid="shortcut" data-shortcut={row.id}>
                  <span className="shortcut-what">{t(`shortcuts.rows.${row.id}`)}</span>
                  <span className="shortcut-keys">
                    {combosFor(row.actions).map((combo, i) => (
                      <Fragment key={i}>
                        {i > 0 && <span className="shortcut-or">{t("shortcuts.or")}</span>}
                        <Keys combo={combo} mac={mac} t={t} />
                      </Fragment>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ))}
        <p className="muted small">
          {t("shortcuts.typingNote", { modifier: mac ? "⌘" : t("shortcuts.keys.ctrl") })}
        </p>
      </div>
    </div>
  );
}
