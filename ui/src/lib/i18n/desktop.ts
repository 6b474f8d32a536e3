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

export const desktopTexts = { en };
