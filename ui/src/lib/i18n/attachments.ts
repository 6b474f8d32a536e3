// Files the agent attaches in the composer, in each language. The kinds
// reuse `media.kind.*`; sizes come formatted.

const en = {
  attach: "Attach a file",
  dropHere: "Drop the file to attach it",
  preview: "Send a file",
  caption: "Add a caption…",
  noCaption: "WhatsApp shows no caption with this kind of file.",
  send: "Send",
  cancel: "Cancel",
  checking: "Checking the file…",
  uploading: "Uploading",
  headerFile: "Or upload a {{kind}} from this computer",
  headerUploaded: "Uploaded: the template sends this file.",
  refused: {
    empty: "This file is empty.",
    format: "WhatsApp does not take this {{kind}} format ({{type}}).",
    tooLarge: "This {{kind}} is {{size}}; WhatsApp takes at most {{limit}}.",
    other: "This file cannot be sent: {{reason}}",
  },
};

type Texts = typeof en;

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

export const attachmentTexts = { en, ru, es };
