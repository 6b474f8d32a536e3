// Photos, voice notes, videos and documents in a bubble, in English (`media.ru.ts`, `media.es.ts`: the others).
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

export type Texts = typeof en;

export const mediaTexts = { en };
