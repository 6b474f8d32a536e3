// The Spanish texts of `attachments.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./attachments";

const es: Texts = {
  attach: "Adjuntar un archivo",
  dropHere: "Suelta el archivo para adjuntarlo",
  preview: "Enviar un archivo",
  caption: "Añade un texto…",
  noCaption: "WhatsApp no muestra texto con este tipo de archivo.",
  send: "Enviar",
  cancel: "Cancelar",
  checking: "Comprobando el archivo…",
  uploading: "Subiendo",
  headerFile: "O sube un archivo ({{kind}}) desde este equipo",
  headerUploaded: "Subido: la plantilla envía este archivo.",
  refused: {
    empty: "Este archivo está vacío.",
    format: "WhatsApp no acepta este formato de {{kind}} ({{type}}).",
    tooLarge: "Este archivo ({{kind}}) ocupa {{size}}; WhatsApp acepta como máximo {{limit}}.",
    other: "Este archivo no se puede enviar: {{reason}}",
  },
};

export const attachmentTexts = { es };
