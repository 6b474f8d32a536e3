// Texts of New conversation: writing first to a number or a customer, and
// the default country numbers are read in.

const en = {
  open: "New conversation",
  openHint: "Write first to a number or a customer (N)",
  title: "New conversation",
  inputLabel: "Phone number or customer",
  placeholder: "+34 612 34 56 78, or a name",
  countryHint: "Numbers without + are read as {{country}} numbers.",
  noCountryHint: "Write the number with + and its country code, or choose a default country in Settings.",
  newNumber: "{{number}} has not written to you yet.",
  firstTemplate:
    "WhatsApp only delivers an approved template as the first message to a customer; free text becomes possible once they reply.",
  chooseTemplate: "Choose a template",
  existing: "{{number}} is {{name}}, already in your inbox.",
  openExisting: "Open the conversation",
  customers: "Customers",
  noCustomers: "No customer matches.",
  problem: {
    needs_country: "Add the country code with + (for example +34), or choose a default country in Settings.",
    unreadable: "This is not a phone number: it is too short or too long.",
    not_in_plan: "No such number exists. Check the digits and the country code.",
  },
  failed: "Could not check the number: {{message}}",
  settingTitle: "Default country",
  settingHelp: "Phone numbers typed without + and a country code are read in this country.",
  settingSystem: "As the system ({{country}})",
  settingNone: "None: always type + and the country code",
};

export type Texts = typeof en;

export const outreachTexts = { en };
