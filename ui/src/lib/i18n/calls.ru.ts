// The Russian texts of `calls.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./calls";

const ru: Texts = {
  missed: "Пропущенный звонок",
  missedOutgoing: "Клиент не ответил на звонок",
  answered: "Звонок, {{duration}}",
  minutesSeconds: "{{minutes}} мин {{seconds}} с",
  seconds: "{{seconds}} с",
  aiAgent: "Ответил ИИ-агент Meta",
  businessApp: "Отправлено из приложения WhatsApp Business",
  handover: {
    app: "ИИ-агент Meta передал этот разговор вашей команде",
    ai_agent: "ИИ-агент Meta взял этот разговор на себя",
  },
  replyCost: {
    free: "Ответы в этом месяце бесплатны: использовано {{used}} из {{allowance}} бесплатных сервисных сообщений",
    paid: "Около {{amount}} {{currency}} за ответ: {{allowance}} бесплатных сервисных сообщений этого месяца израсходованы",
    paidNoAllowance: "Около {{amount}} {{currency}} за ответ: Meta берёт плату за сервисные сообщения по ставке из вашей таблицы тарифов",
  },
  mediaPlaceholder: "Фото, видео или файл из приложения WhatsApp Business. WhatsApp передаёт такие файлы только за последние 14 дней.",
  owner: {
    ai_agent: "Отвечает ИИ-агент Meta",
    app: "Отвечает ваша команда",
  },
  takeOver: "Перехватить",
  takeOverHint: "Попросить Meta передать этот разговор от ИИ-агента вашей команде.",
  takingOver: "Перехватываем…",
  takeOverFailed: "Не удалось перехватить: {{reason}}",
  pricing: {
    details: "Подробности",
    billable: "Платно по данным Meta",
    free: "Бесплатно",
    category: "Категория",
    type: "Тип тарифа",
    model: "Модель тарификации",
  },
  missedCallsSetting: {
    label: "Пропущенные звонки",
    hint: "Уведомление, когда клиент звонит в WhatsApp и никто не отвечает, в любом чате.",
  },
};

export const callTexts = { ru };
