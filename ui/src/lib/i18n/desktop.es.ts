// The Spanish texts of `desktop.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { desktopTexts as source } from "./desktop";

const es: typeof source.en = {
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

export const desktopTexts = { es };
