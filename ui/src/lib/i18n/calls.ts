// WhatsApp calls in the timeline, Meta's business AI agent in the chat and
// its header, messages sent from the WhatsApp Business app, and what Meta
// charged for a message, in English (`calls.ru.ts` and `calls.es.ts` hold the others).

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

export type Texts = typeof en;

export const callTexts = { en };
