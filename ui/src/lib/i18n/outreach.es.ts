// The Spanish texts of `outreach.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./outreach";

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

export const outreachTexts = { es };
