// WhatsApp calls in the timeline, Meta's business AI agent in the chat and
// its header, messages sent from the WhatsApp Business app, and what Meta
// charged for a message, in each language.

const en = {
  missed: "Missed call",
  missedOutgoing: "Call not answered by the customer",
  answered: "Call, {{duration}}",
  minutesSeconds: "{{minutes}} min {{seconds}} s",
  seconds: "{{seconds}} s",
  aiAgent: "Handled by Meta's AI agent",
  businessApp: "Sent from the WhatsApp Business app",
  handover: {
    app: "Meta's AI agent handed this conversation to your team",
    ai_agent: "Meta's AI agent took this conversation over",
  },
  replyCost: {
    free: "Replies are free this month: {{used}} of {{allowance}} free service messages used",
    paid: "About {{amount}} {{currency}} per reply: this month's {{allowance}} free service messages are used",
    paidNoAllowance: "About {{amount}} {{currency}} per reply: Meta charges for service messages at your rate table's rate",
  },
  mediaPlaceholder: "A photo, video or file from the WhatsApp Business app. WhatsApp shares such files only for the last 14 days.",
  owner: {
    ai_agent: "Meta's AI agent is answering",
    app: "Your team is answering",
  },
  takeOver: "Take over",
  takeOverHint: "Ask Meta to hand this conversation from its AI agent to your team.",
  takingOver: "Taking over…",
  takeOverFailed: "Could not take over: {{reason}}",
  pricing: {
    details: "Details",
    billable: "Charged by Meta",
    free: "Free",
    category: "Category",
    type: "Pricing type",
    model: "Pricing model",
  },
  missedCallsSetting: {
    label: "Missed calls",
    hint: "A notification when a customer calls on WhatsApp and nobody answers, in any chat.",
  },
};

type Texts = typeof en;

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

export const callTexts = { en, ru, es };
