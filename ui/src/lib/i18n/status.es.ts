// The Spanish texts of `status.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { statusTexts as source } from "./status";

const es: typeof source.en = {
  label: "Estado",
  open: "Abierta",
  pending: "Pendiente",
  snoozed: "Pospuesta",
  resolved: "Resuelta",
  snoozedUntil: "Pospuesta hasta {{time}}",
  snoozedUntilReply: "Pospuesta hasta que el cliente escriba",
  resolve: "Resolver",
  snooze: "Posponer",
  reopen: "Reabrir",
  markPending: "Marcar pendiente",
  snoozeChoices: "Posponer hasta",
  snoozeHour: "Dentro de 1 hora",
  snoozeTomorrow: "Mañana a las 9:00",
  snoozeReply: "Hasta que el cliente escriba",
  filtersLabel: "Estado de la conversación",
  filterOpenHint: "Conversaciones abiertas y pendientes",
  filterSnoozedHint: "Conversaciones pospuestas",
  filterResolvedHint: "Conversaciones resueltas",
  line: {
    open: "{{name}} reabrió esta conversación",
    pending: "{{name}} marcó esta conversación como pendiente",
    snoozed: "{{name}} pospuso esta conversación hasta {{until}}",
    snoozedReply: "{{name}} pospuso esta conversación hasta que el cliente escriba",
    resolved: "{{name}} resolvió esta conversación",
    customer: "El cliente escribió: la conversación vuelve a estar abierta",
  },
};

export const statusTexts = { es };
