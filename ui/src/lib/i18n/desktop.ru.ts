// The Russian texts of `desktop.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { desktopTexts as source } from "./desktop";

const ru: typeof source.en = {
  tray: {
    open: "Открыть Hourglass",
    doNotDisturb: "Не беспокоить",
    quit: "Выйти из Hourglass",
  },
  title: "Рабочий стол",
  startAtLogin: "Запускать Hourglass при входе в систему",
  closeToTray: "Оставаться в трее после закрытия окна",
  closeToTrayHint: "Выйти можно из меню значка в трее.",
  diagnostics: "Скопировать диагностику",
  diagnosticsHint: "Версии, состояние подключения и конец журнала — для поддержки. Токены и секреты не включаются.",
  diagnosticsCopied: "Диагностика скопирована в буфер обмена.",
  diagnosticsFailed: "Не удалось скопировать диагностику.",
  link: {
    dismiss: "Закрыть",
    unknown: "Не удалось открыть ссылку.",
  },
};

export const desktopTexts = { ru };
