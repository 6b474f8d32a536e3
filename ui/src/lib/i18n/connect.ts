// Texts of the connect form and Settings, in every language. Kept apart from
// the rest because they explain Meta's and the relay's own terms at length.

const enConnect = {
  intro:
    "Hourglass needs five values: two from whoever runs your team's relay, three from Meta. Tokens are kept in this computer's keychain, never in plain text.",
  field: {
    relay_url: {
      label: "Relay address",
      placeholder: "https://relay.example.com",
      help: "Your team's relay, which receives WhatsApp's webhooks. Whoever set it up has the address; it starts with https://.",
    },
    relay_token: {
      label: "Relay agent token",
      placeholder: "Paste your agent token",
      help: "Your own token for the relay. Its administrator makes one per agent with `hourglass-relay agent add <your name>`.",
    },
    phone_number_id: {
      label: "Phone number ID",
      placeholder: "106540352242922",
      help: "Meta's ID for your business number (not the number itself): App Dashboard → WhatsApp → API Setup.",
    },
    waba_id: {
      label: "WhatsApp Business Account ID",
      placeholder: "102290129340398",
      help: "Shown on the same page, under the phone number ID. It owns your message templates.",
    },
    access_token: {
      label: "Access token",
      placeholder: "EAAG…",
      help: "A permanent token of a system user: Meta Business Settings → Users → System users → Generate token, with whatsapp_business_messaging and whatsapp_business_management.",
    },
  },
  savedPlaceholder: "Saved in the keychain — leave empty to keep it",
  test: "Test connection",
  testing: "Testing…",
  submit: "Connect",
  connecting: "Connecting…",
  cancel: "Cancel",
  allPassed: "Everything works.",
  someFailed: "Something needs fixing:",
  passed: "works:",
  failed: "problem:",
  part: {
    relay: "Relay",
    phone_number: "Phone number",
    templates: "Templates",
  },
  /** What a passed check found. */
  found: {
    relay_accepted: "The relay at {{host}} answers and accepts your agent token.",
    number_ready: "The access token is valid and may send from {{number}} ({{name}}).",
    templates_readable: "The account's message templates can be read.",
    templates_none:
      "The account's templates can be read, but it has none yet. Create one in WhatsApp Manager to write to customers whose 24-hour window has closed.",
  },
};

export type ConnectTexts = typeof enConnect;

const enSettings = {
  title: "Settings",
  language: "Language",
  languageUnavailable: "The texts of this language could not be loaded. The window stays in the language it shows.",
  theme: "The colours follow your system's light or dark mode.",
  typingTitle: "Typing indicator",
  typing: "Show customers that I am typing (this also marks their message read)",
  typingHint: "While you write a reply in an open window, the customer sees “typing…”, at most every 20 seconds.",
  connection: "Connection",
  demoConnection: "The demo is connected to the built-in simulator. Connect your own number from the welcome screen of a new profile.",
  number: "Number",
  tokenSaved: "Saved in the system keychain",
  tokenMissing: "Not saved",
  forget: "Forget",
  replaceHint: "To change a value, edit it and press Connect. Leave a token empty to keep the saved one.",
  notConnected: "No number is connected.",
  disconnect: "Disconnect and forget the tokens",
  save: "Save",
  saved: "Saved.",
  resetDefault: "Back to the default",
  leadPattern: {
    title: "Partner codes in first messages",
    help: "A regular expression that finds a partner's code in a new lead's first message; its one capture group is the code. The default recognises \"Code: ABC123\", \"Код: ABC123\" and \"Código: ABC123\". It applies to leads that arrive from now on.",
  },
  rates: {
    title: "Template prices",
    help: "What one delivered template costs, per country calling code, for the cost shown before sending. Meta's invoice is what counts; keep these close to your rate card.",
    currency: "Currency",
    country: "Calling code",
    marketing: "Marketing",
    utility: "Utility",
    authentication: "Authentication",
    service: "Service (free-form)",
    serviceFree: "Free service messages each month",
    serviceFreeInvalid: "The free service messages each month must be a whole number of zero or more.",
    serviceHelp: "Free-form messages in the 24-hour window cost the service rate once Meta charges for them (reported from October 2026); it stays 0 until you set it.",
    other: "Other countries",
    remove: "Remove",
    add: "Add a country",
    reset: "Back to the published rates",
    invalid: "Every price must be a number of zero or more.",
  },
};

export type SettingsTexts = typeof enSettings;

export const connectTexts = { en: enConnect };
export const settingsTexts = { en: enSettings };
