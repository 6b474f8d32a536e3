// The Russian texts of `outreach.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./outreach";

const ru: Texts = {
  open: "Новый разговор",
  openHint: "Написать первым по номеру или клиенту (N)",
  title: "Новый разговор",
  inputLabel: "Номер телефона или клиент",
  placeholder: "+7 912 345-67-89 или имя",
  countryHint: "Номера без + читаются как номера страны {{country}}.",
  noCountryHint: "Введите номер с + и кодом страны или выберите страну по умолчанию в настройках.",
  newNumber: "{{number}} вам ещё не писал.",
  firstTemplate:
    "Первым сообщением клиенту WhatsApp доставляет только одобренный шаблон; свободный текст станет возможен после его ответа.",
  chooseTemplate: "Выбрать шаблон",
  existing: "{{number}} — это {{name}}, уже в ваших разговорах.",
  openExisting: "Открыть разговор",
  customers: "Клиенты",
  noCustomers: "Нет подходящих клиентов.",
  problem: {
    needs_country: "Добавьте код страны с + (например, +7) или выберите страну по умолчанию в настройках.",
    unreadable: "Это не номер телефона: он слишком короткий или слишком длинный.",
    not_in_plan: "Такого номера не существует. Проверьте цифры и код страны.",
  },
  failed: "Не удалось проверить номер: {{message}}",
  settingTitle: "Страна по умолчанию",
  settingHelp: "Номера, введённые без + и кода страны, читаются как номера этой страны.",
  settingSystem: "Как в системе ({{country}})",
  settingNone: "Нет: всегда вводить + и код страны",
};

export const outreachTexts = { ru };
