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

type Texts = typeof en;

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

const es: Texts = {
  open: "Nueva conversación",
  openHint: "Escribir primero a un número o a un cliente (N)",
  title: "Nueva conversación",
  inputLabel: "Número de teléfono o cliente",
  placeholder: "+34 612 34 56 78, o un nombre",
  countryHint: "Los números sin + se leen como números de {{country}}.",
  noCountryHint: "Escribe el número con + y el código de país, o elige un país predeterminado en Ajustes.",
  newNumber: "{{number}} aún no te ha escrito.",
  firstTemplate:
    "WhatsApp solo entrega una plantilla aprobada como primer mensaje a un cliente; el texto libre será posible cuando responda.",
  chooseTemplate: "Elegir una plantilla",
  existing: "{{number}} es {{name}}, ya está en tu bandeja.",
  openExisting: "Abrir la conversación",
  customers: "Clientes",
  noCustomers: "Ningún cliente coincide.",
  problem: {
    needs_country: "Añade el código de país con + (por ejemplo +34), o elige un país predeterminado en Ajustes.",
    unreadable: "No es un número de teléfono: es demasiado corto o demasiado largo.",
    not_in_plan: "Ese número no existe. Revisa los dígitos y el código de país.",
  },
  failed: "No se pudo comprobar el número: {{message}}",
  settingTitle: "País predeterminado",
  settingHelp: "Los números escritos sin + ni código de país se leen en este país.",
  settingSystem: "Como el sistema ({{country}})",
  settingNone: "Ninguno: escribir siempre + y el código de país",
};

export const outreachTexts = { en, ru, es };
