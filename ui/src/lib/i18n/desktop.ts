// Texts of the desktop conventions: the tray menu, Settings' "Desktop"
// section, diagnostics, what a link or a second launch could not do, and the
// update errors the Rust side sends as codes.

const en = {
  tray: {
    open: "Open Hourglass",
    doNotDisturb: "Do not disturb",
    quit: "Quit Hourglass",
  },
  title: "Desktop",
  startAtLogin: "Start Hourglass when I log in",
  closeToTray: "Keep running in the tray when the window is closed",
  closeToTrayHint: "Quit from the tray icon's menu.",
  diagnostics: "Copy diagnostics",
  diagnosticsHint: "Versions, the connection's state and the end of the log, for support. No tokens or secrets are included.",
  diagnosticsCopied: "Diagnostics copied to the clipboard.",
  diagnosticsFailed: "The diagnostics could not be copied.",
  link: {
    dismiss: "Dismiss",
    unknown: "The link could not be followed.",
  },
};

const ru: typeof en = {
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

const es: typeof en = {
  tray: {
    open: "Abrir Hourglass",
    doNotDisturb: "No molestar",
    quit: "Salir de Hourglass",
  },
  title: "Escritorio",
  startAtLogin: "Abrir Hourglass al iniciar sesión",
  closeToTray: "Seguir en la bandeja al cerrar la ventana",
  closeToTrayHint: "Para salir, usa el menú del icono de la bandeja.",
  diagnostics: "Copiar diagnóstico",
  diagnosticsHint: "Versiones, estado de la conexión y el final del registro, para soporte. No incluye tokens ni secretos.",
  diagnosticsCopied: "Diagnóstico copiado al portapapeles.",
  diagnosticsFailed: "No se pudo copiar el diagnóstico.",
  link: {
    dismiss: "Cerrar",
    unknown: "No se pudo seguir el enlace.",
  },
};

export const desktopTexts = { en, ru, es };
