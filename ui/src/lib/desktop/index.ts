// The window's ties to the desktop shell: the language it speaks (its
// notifications and tray menu follow), the first inbox on screen, and the
// notices of links and second launches.
import { useEffect, useRef, useState } from "react";
import type { ConversationId } from "../../bindings/ConversationId";
import type { LaunchProblem } from "../../bindings/LaunchProblem";
import { currentLanguage, i18n, type Language, setLanguage } from "../i18n";
import {
  getLanguagePreference,
  inboxShown,
  onLaunchNotice,
  setTrayTexts,
  setWindowLanguage,
  takeLaunchNotice,
} from "../ipc";
import { afterNextFrame, startupMark, startupMarks } from "../startup";

/**
 * The language the agent chose in Settings, else the system's; the shell's
 * notifications and tray menu are worded in it, whatever changes it.
 */
export function useShellLanguage() {
  useEffect(() => {
    const tell = (lang: string) => void setWindowLanguage(lang as Language).catch(() => undefined);
    const tray = () =>
      void setTrayTexts({
        open: i18n.t("desktop.tray.open"),
        do_not_disturb: i18n.t("desktop.tray.doNotDisturb"),
        quit: i18n.t("desktop.tray.quit"),
      }).catch(() => undefined);
    tell(currentLanguage());
    tray();
    i18n.on("languageChanged", tell);
    i18n.on("languageChanged", tray);
    getLanguagePreference()
      .then((lang) => {
        // Should its texts not load, the window stays as it is.
        if (lang) return setLanguage(lang as Language);
      })
      .catch(() => undefined);
    return () => {
      i18n.off("languageChanged", tell);
      i18n.off("languageChanged", tray);
    };
  }, []);
}

/**
 * Once the inbox's list is on screen (`count` conversations, none while it
 * is read), the shell logs it and starts what the first screen does not
 * need (the tray among them): an empty inbox is shown too.
 */
export function useInboxShown(count: number | null) {
  // What the shell was told: nothing yet, an empty inbox, the first rows.
  const told = useRef<"nothing" | "empty" | "rows">("nothing");
  const cancelDrawing = useRef<() => void>(() => undefined);
  useEffect(() => startupMark("first render"), []);
  useEffect(() => {
    if (count === null || told.current === "rows") return;
    if (count === 0) {
      if (told.current === "nothing") void inboxShown(0, []).catch(() => undefined);
      told.current = "empty";
      return;
    }
    told.current = "rows";
    startupMark("rows committed");
    // Shown means drawn: the mark waits for the frame that paints the rows.
    cancelDrawing.current = afterNextFrame(() => {
      startupMark("rows shown");
      void inboxShown(count, startupMarks()).catch(() => undefined);
    });
  }, [count]);
  // A window closed before that frame tells nothing.
  useEffect(() => () => cancelDrawing.current(), []);
}

/**
 * Links and second launches: the shell keeps one notice and pings; the
 * window takes it when pinged and once after it loaded. A conversation it
 * names goes to `open`; what it could not do shows until dismissed.
 */
export function useLaunchNotices(open: (id: ConversationId) => void) {
  const [problem, setProblem] = useState<LaunchProblem | null>(null);
  const latest = useRef(open);
  latest.current = open;
  useEffect(() => {
    let live = true;
    const read = () => {
      takeLaunchNotice()
        .then((notice) => {
          if (!live || !notice) return;
          if (typeof notice.open === "number") {
            latest.current(notice.open);
            setProblem(null);
          }
          if (notice.problem?.code) setProblem(notice.problem);
        })
        .catch(() => undefined);
    };
    const stop = onLaunchNotice(read);
    void stop.then(() => live && read());
    return () => {
      live = false;
      void stop.then((unlisten) => unlisten());
    };
  }, []);
  return { problem, dismiss: () => setProblem(null) };
}
