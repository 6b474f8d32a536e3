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

const ruConnect: ConnectTexts = {
  intro:
    "Hourglass нужны пять значений: два от того, кто запустил ретранслятор вашей команды, и три от Meta. Токены хранятся в связке ключей этого компьютера, никогда открытым текстом.",
  field: {
    relay_url: {
      label: "Адрес ретранслятора",
      placeholder: "https://relay.example.com",
      help: "Ретранслятор вашей команды, который принимает вебхуки WhatsApp. Адрес знает тот, кто его настроил; он начинается с https://.",
    },
    relay_token: {
      label: "Токен агента ретранслятора",
      placeholder: "Вставьте свой токен агента",
      help: "Ваш личный токен для ретранслятора. Администратор создаёт его для каждого агента командой `hourglass-relay agent add <ваше имя>`.",
    },
    phone_number_id: {
      label: "ID номера телефона",
      placeholder: "106540352242922",
      help: "ID вашего бизнес-номера в Meta (не сам номер): App Dashboard → WhatsApp → API Setup.",
    },
    waba_id: {
      label: "ID аккаунта WhatsApp Business",
      placeholder: "102290129340398",
      help: "На той же странице, под ID номера телефона. Этому аккаунту принадлежат ваши шаблоны сообщений.",
    },
    access_token: {
      label: "Токен доступа",
      placeholder: "EAAG…",
      help: "Постоянный токен системного пользователя: Meta Business Settings → Users → System users → Generate token, с whatsapp_business_messaging и whatsapp_business_management.",
    },
  },
  savedPlaceholder: "Сохранён в связке ключей — оставьте пустым, чтобы не менять",
  test: "Проверить подключение",
  testing: "Проверяем…",
  submit: "Подключить",
  connecting: "Подключаем…",
  cancel: "Отмена",
  allPassed: "Всё работает.",
  someFailed: "Нужно исправить:",
  passed: "работает:",
  failed: "проблема:",
  part: {
    relay: "Ретранслятор",
    phone_number: "Номер телефона",
    templates: "Шаблоны",
  },
  found: {
    relay_accepted: "Ретранслятор на {{host}} отвечает и принимает ваш токен агента.",
    number_ready: "Токен доступа действителен и может отправлять с номера {{number}} ({{name}}).",
    templates_readable: "Шаблоны сообщений аккаунта доступны для чтения.",
    templates_none:
      "Шаблоны аккаунта доступны, но их пока нет. Создайте шаблон в WhatsApp Manager, чтобы писать клиентам, чьё 24-часовое окно закрыто.",
  },
};

const ruSettings: SettingsTexts = {
  title: "Настройки",
  language: "Язык",
  languageUnavailable: "Не удалось загрузить тексты этого языка. Окно остаётся на текущем языке.",
  theme: "Цвета следуют светлой или тёмной теме системы.",
  typingTitle: "Индикатор набора",
  typing: "Показывать клиентам, что я печатаю (их сообщение при этом отмечается прочитанным)",
  typingHint: "Пока вы пишете ответ в открытом окне, клиент видит «печатает…», не чаще чем раз в 20 секунд.",
  connection: "Подключение",
  demoConnection:
    "Демо подключено к встроенному симулятору. Подключите свой номер с экрана приветствия в новом профиле.",
  number: "Номер",
  tokenSaved: "Сохранён в системной связке ключей",
  tokenMissing: "Не сохранён",
  forget: "Забыть",
  replaceHint:
    "Чтобы изменить значение, исправьте его и нажмите «Подключить». Оставьте токен пустым, чтобы сохранить прежний.",
  notConnected: "Номер не подключён.",
  disconnect: "Отключить и забыть токены",
  save: "Сохранить",
  saved: "Сохранено.",
  resetDefault: "Вернуть по умолчанию",
  leadPattern: {
    title: "Коды партнёров в первых сообщениях",
    help: "Регулярное выражение, которое находит код партнёра в первом сообщении нового лида; его единственная группа захвата — это код. По умолчанию распознаются «Code: ABC123», «Код: ABC123» и «Código: ABC123». Действует для лидов, пришедших после изменения.",
  },
  rates: {
    title: "Цены шаблонов",
    help: "Сколько стоит один доставленный шаблон по телефонному коду страны — для оценки стоимости перед отправкой. Окончательна сумма в счёте Meta; держите эти цифры близко к своему прайсу.",
    currency: "Валюта",
    country: "Код страны",
    marketing: "Маркетинг",
    utility: "Сервисные",
    authentication: "Аутентификация",
    service: "Обычные сообщения",
    serviceFree: "Бесплатных обычных сообщений в месяц",
    serviceFreeInvalid: "Число бесплатных обычных сообщений в месяц должно быть целым и не меньше нуля.",
    serviceHelp: "Обычные сообщения в 24-часовом окне стоят по этой цене, когда Meta начнёт за них брать плату (ожидается с октября 2026 года); до тех пор она равна 0.",
    other: "Другие страны",
    remove: "Удалить",
    add: "Добавить страну",
    reset: "Вернуть опубликованные цены",
    invalid: "Каждая цена должна быть числом не меньше нуля.",
  },
};

const esConnect: ConnectTexts = {
  intro:
    "Hourglass necesita cinco valores: dos de quien administra el relay de tu equipo y tres de Meta. Los tokens se guardan en el llavero de este ordenador, nunca en texto plano.",
  field: {
    relay_url: {
      label: "Dirección del relay",
      placeholder: "https://relay.example.com",
      help: "El relay de tu equipo, que recibe los webhooks de WhatsApp. Quien lo configuró tiene la dirección; empieza por https://.",
    },
    relay_token: {
      label: "Token de agente del relay",
      placeholder: "Pega tu token de agente",
      help: "Tu propio token para el relay. Su administrador crea uno por agente con `hourglass-relay agent add <tu nombre>`.",
    },
    phone_number_id: {
      label: "ID del número de teléfono",
      placeholder: "106540352242922",
      help: "El ID de Meta para tu número de empresa (no el número en sí): App Dashboard → WhatsApp → API Setup.",
    },
    waba_id: {
      label: "ID de la cuenta de WhatsApp Business",
      placeholder: "102290129340398",
      help: "En la misma página, bajo el ID del número. A esta cuenta pertenecen tus plantillas de mensajes.",
    },
    access_token: {
      label: "Token de acceso",
      placeholder: "EAAG…",
      help: "Un token permanente de un usuario del sistema: Meta Business Settings → Users → System users → Generate token, con whatsapp_business_messaging y whatsapp_business_management.",
    },
  },
  savedPlaceholder: "Guardado en el llavero: déjalo vacío para conservarlo",
  test: "Probar conexión",
  testing: "Probando…",
  submit: "Conectar",
  connecting: "Conectando…",
  cancel: "Cancelar",
  allPassed: "Todo funciona.",
  someFailed: "Hay algo que corregir:",
  passed: "funciona:",
  failed: "problema:",
  part: {
    relay: "Relay",
    phone_number: "Número de teléfono",
    templates: "Plantillas",
  },
  found: {
    relay_accepted: "El relay en {{host}} responde y acepta tu token de agente.",
    number_ready: "El token de acceso es válido y puede enviar desde {{number}} ({{name}}).",
    templates_readable: "Se pueden leer las plantillas de mensajes de la cuenta.",
    templates_none:
      "Se pueden leer las plantillas de la cuenta, pero aún no tiene ninguna. Crea una en WhatsApp Manager para escribir a clientes cuya ventana de 24 horas se cerró.",
  },
};

const esSettings: SettingsTexts = {
  title: "Ajustes",
  language: "Idioma",
  languageUnavailable: "No se pudieron cargar los textos de este idioma. La ventana sigue en el idioma que muestra.",
  theme: "Los colores siguen el modo claro u oscuro del sistema.",
  typingTitle: "Indicador de escritura",
  typing: "Mostrar a los clientes que estoy escribiendo (también marca su mensaje como leído)",
  typingHint: "Mientras escribes una respuesta en una ventana abierta, el cliente ve «escribiendo…», como mucho cada 20 segundos.",
  connection: "Conexión",
  demoConnection:
    "La demo está conectada al simulador integrado. Conecta tu propio número desde la pantalla de bienvenida de un perfil nuevo.",
  number: "Número",
  tokenSaved: "Guardado en el llavero del sistema",
  tokenMissing: "No guardado",
  forget: "Olvidar",
  replaceHint: "Para cambiar un valor, edítalo y pulsa Conectar. Deja un token vacío para conservar el guardado.",
  notConnected: "No hay ningún número conectado.",
  disconnect: "Desconectar y olvidar los tokens",
  save: "Guardar",
  saved: "Guardado.",
  resetDefault: "Volver al valor predeterminado",
  leadPattern: {
    title: "Códigos de socio en los primeros mensajes",
    help: "Una expresión regular que encuentra el código de un socio en el primer mensaje de un nuevo lead; su único grupo de captura es el código. La predeterminada reconoce «Code: ABC123», «Код: ABC123» y «Código: ABC123». Se aplica a los leads que lleguen a partir de ahora.",
  },
  rates: {
    title: "Precios de las plantillas",
    help: "Lo que cuesta una plantilla entregada, por prefijo telefónico del país, para el coste que se muestra antes de enviar. Lo que cuenta es la factura de Meta; mantén estas cifras cerca de tu tarifa.",
    currency: "Moneda",
    country: "Prefijo",
    marketing: "Marketing",
    utility: "Utilidad",
    authentication: "Autenticación",
    service: "Servicio (texto libre)",
    serviceFree: "Mensajes de servicio gratis al mes",
    serviceFreeInvalid: "Los mensajes de servicio gratis al mes deben ser un número entero igual o mayor que cero.",
    serviceHelp: "Los mensajes de texto libre en la ventana de 24 horas cuestan la tarifa de servicio cuando Meta los cobre (previsto desde octubre de 2026); vale 0 hasta que la fijes.",
    other: "Otros países",
    remove: "Quitar",
    add: "Añadir un país",
    reset: "Volver a las tarifas publicadas",
    invalid: "Cada precio debe ser un número igual o mayor que cero.",
  },
};

export const connectTexts = { en: enConnect, ru: ruConnect, es: esConnect };
export const settingsTexts = { en: enSettings, ru: ruSettings, es: esSettings };
