// The Russian texts of `attachments.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./attachments";

const ru: Texts = {
  attach: "Прикрепить файл",
  dropHere: "Отпустите файл, чтобы прикрепить его",
  preview: "Отправка файла",
  caption: "Добавьте подпись…",
  noCaption: "К такому файлу WhatsApp не показывает подпись.",
  send: "Отправить",
  cancel: "Отмена",
  checking: "Проверяем файл…",
  uploading: "Загрузка",
  headerFile: "Или загрузите файл ({{kind}}) с этого компьютера",
  headerUploaded: "Загружено: шаблон отправит этот файл.",
  refused: {
    empty: "Файл пуст.",
    format: "WhatsApp не принимает этот формат ({{kind}}: {{type}}).",
    tooLarge: "Размер файла ({{kind}}) — {{size}}; WhatsApp принимает не больше {{limit}}.",
    other: "Этот файл нельзя отправить: {{reason}}",
  },
};

export const attachmentTexts = { ru };
