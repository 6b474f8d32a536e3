// The Spanish texts of `calls.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./calls";

const es: Texts = {
  missed: "Llamada perdida",
  missedOutgoing: "El cliente no respondió la llamada",
  answered: "Llamada, {{duration}}",
  minutesSeconds: "{{minutes}} min {{seconds}} s",
  seconds: "{{seconds}} s",
  aiAgent: "Atendido por el agente de IA de Meta",
  businessApp: "Enviado desde la app WhatsApp Business",
  handover: {
    app: "El agente de IA de Meta pasó esta conversación a tu equipo",
    ai_agent: "El agente de IA de Meta se hizo cargo de esta conversación",
  },
  replyCost: {
    free: "Las respuestas son gratis este mes: {{used}} de {{allowance}} mensajes de servicio gratuitos usados",
    paid: "Unos {{amount}} {{currency}} por respuesta: los {{allowance}} mensajes de servicio gratuitos de este mes ya se usaron",
    paidNoAllowance: "Unos {{amount}} {{currency}} por respuesta: Meta cobra los mensajes de servicio según tu tabla de tarifas",
  },
  mediaPlaceholder: "Una foto, un vídeo o un archivo de la app WhatsApp Business. WhatsApp comparte estos archivos solo de los últimos 14 días.",
  owner: {
    ai_agent: "Responde el agente de IA de Meta",
    app: "Responde tu equipo",
  },
  takeOver: "Tomar el control",
  takeOverHint: "Pedir a Meta que pase esta conversación de su agente de IA a tu equipo.",
  takingOver: "Tomando el control…",
  takeOverFailed: "No se pudo tomar el control: {{reason}}",
  pricing: {
    details: "Detalles",
    billable: "Cobrado por Meta",
    free: "Gratis",
    category: "Categoría",
    type: "Tipo de precio",
    model: "Modelo de precios",
  },
  missedCallsSetting: {
    label: "Llamadas perdidas",
    hint: "Una notificación cuando un cliente llama por WhatsApp y nadie responde, en cualquier chat.",
  },
};

export const callTexts = { es };
