// Files the agent attaches in the composer, in English (Russian and Spanish: `attachments.ru.ts`, `attachments.es.ts`). The kinds
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

export type Texts = typeof en;

export const attachmentTexts = { en };
