// Photos, voice notes, videos and documents in a bubble, in each language.
// `media.kind.*` are the nouns used inside the other texts.

const en = {
  kind: {
    image: "photo",
    video: "video",
    audio: "audio",
    voice: "voice message",
    document: "document",
    sticker: "sticker",
  },
  loading: "Loading {{kind}}…",
  unavailable: "This {{kind}} is no longer available on WhatsApp.",
  failed: "The file could not be downloaded.",
  retry: "Retry",
  open: "Open",
  save: "Save a copy",
  saveAs: "Save as…",
  savedTo: "Saved to {{path}}",
  speed: "Playback speed",
  viewer: "Photo viewer",
  zoomIn: "Zoom in",
  zoomOut: "Zoom out",
  actualSize: "Actual size",
  close: "Close",
};

type Texts = typeof en;

const ru: Texts = {
  kind: {
    image: "фото",
    video: "видео",
    audio: "аудио",
    voice: "голосовое сообщение",
    document: "документ",
    sticker: "стикер",
  },
  loading: "Загрузка: {{kind}}…",
  unavailable: "Этот файл ({{kind}}) больше недоступен в WhatsApp.",
  failed: "Не удалось загрузить файл.",
  retry: "Повторить",
  open: "Открыть",
  save: "Сохранить копию",
  saveAs: "Сохранить как…",
  savedTo: "Сохранено: {{path}}",
  speed: "Скорость воспроизведения",
  viewer: "Просмотр фото",
  zoomIn: "Увеличить",
  zoomOut: "Уменьшить",
  actualSize: "Исходный размер",
  close: "Закрыть",
};

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

export const mediaTexts = { en, ru, es };
