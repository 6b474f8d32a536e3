// The Russian texts of `status.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { statusTexts as source } from "./status";

const ru: typeof source.en = {
  label: "Статус",
  open: "Открыт",
  pending: "В ожидании",
  snoozed: "Отложен",
  resolved: "Решён",
  snoozedUntil: "Отложен до {{time}}",
  snoozedUntilReply: "Отложен до ответа клиента",
  resolve: "Решить",
  snooze: "Отложить",
  reopen: "Открыть снова",
  markPending: "В ожидание",
  snoozeChoices: "Отложить до",
  snoozeHour: "Через час",
  snoozeTomorrow: "Завтра в 9:00",
  snoozeReply: "Пока клиент не напишет",
  filtersLabel: "Статус разговора",
  filterOpenHint: "Открытые разговори и разговори в ожидании",
  filterSnoozedHint: "Отложенные разговори",
  filterResolvedHint: "Решённые разговори",
  line: {
    open: "{{name}} снова открыл(а) разговор",
    pending: "{{name}} перевёл(а) разговор в ожидание",
    snoozed: "{{name}} отложил(а) разговор до {{until}}",
    snoozedReply: "{{name}} отложил(а) разговор до ответа клиента",
    resolved: "{{name}} отметил(а) разговор решённым",
    customer: "Клиент написал: разговор снова открыт",
  },
};

export const statusTexts = { ru };
