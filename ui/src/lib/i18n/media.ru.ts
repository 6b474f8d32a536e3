// The Russian texts of `media.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./media";

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

export const mediaTexts = { ru };
