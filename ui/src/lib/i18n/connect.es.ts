// The Spanish texts of `connect.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { ConnectTexts, SettingsTexts } from "./connect";

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

export const connectTexts = { es: esConnect };
export const settingsTexts = { es: esSettings };
