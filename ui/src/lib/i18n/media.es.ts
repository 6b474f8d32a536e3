// The Spanish texts of `media.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./media";

const es: Texts = {
  kind: {
    image: "foto",
    video: "vídeo",
    audio: "audio",
    voice: "mensaje de voz",
    document: "documento",
    sticker: "sticker",
  },
  loading: "Cargando {{kind}}…",
  unavailable: "Este archivo ({{kind}}) ya no está disponible en WhatsApp.",
  failed: "No se pudo descargar el archivo.",
  retry: "Reintentar",
  open: "Abrir",
  save: "Guardar una copia",
  saveAs: "Guardar como…",
  savedTo: "Guardado en {{path}}",
  speed: "Velocidad de reproducción",
  viewer: "Visor de fotos",
  zoomIn: "Acercar",
  zoomOut: "Alejar",
  actualSize: "Tamaño real",
  close: "Cerrar",
};

export const mediaTexts = { es };
