// The Spanish texts of `refusal.ts`, in a file of their own so that only
// the window's language is loaded (see `index.ts`).
import type { Texts } from "./refusal";

const es: Texts = {
  window_closed:
    "El cliente escribió por última vez hace más de 24 horas. Envía una plantilla aprobada para reabrir la conversación.",
  undeliverable:
    "WhatsApp no pudo entregar este mensaje: puede que el número no use WhatsApp, que la aplicación esté desactualizada o que el cliente no haya aceptado las condiciones más recientes.",
  unsupported_type: "WhatsApp no admite este tipo de mensaje.",
  pair_rate_limit: "Demasiados mensajes a este cliente en poco tiempo. Hourglass lo reintentará en un momento.",
  throughput_limit: "Tu número envía más rápido de lo que WhatsApp permite. Hourglass lo reintentará en breve.",
  marketing_held_back:
    "WhatsApp retuvo este mensaje de marketing para cuidar la experiencia del cliente. No lo reenvíes hoy.",
  marketing_opted_out: "El cliente dejó de recibir mensajes de marketing de tu empresa.",
  temporary: "WhatsApp tuvo un problema temporal. Inténtalo de nuevo.",
  maintenance: "La cuenta de empresa de WhatsApp está en mantenimiento. Inténtalo en unos minutos.",
  template_param_count: "La plantilla recibió un número de valores incorrecto. Rellena todos los campos de la plantilla.",
  template_missing:
    "Esta plantilla no existe en ese idioma o no está aprobada. Actualiza las plantillas y elige otra.",
  template_too_long: "Con estos valores el texto de la plantilla es demasiado largo. Acorta los valores.",
  template_policy: "WhatsApp rechazó el contenido de la plantilla por incumplir su política.",
  template_param_format: "Un valor de la plantilla es de un tipo incorrecto (por ejemplo, texto donde se espera una imagen).",
  template_paused: "WhatsApp pausó esta plantilla por su baja calidad. Elige otra plantilla.",
  template_disabled: "WhatsApp desactivó esta plantilla. Elige otra plantilla.",
  template_param_invalid:
    "Un valor de la plantilla contiene saltos de línea, tabulaciones o más de cuatro espacios seguidos. Quítalos.",
  token_invalid:
    "El token de acceso de WhatsApp caducó o fue revocado. Pide a un administrador un token nuevo en Ajustes.",
  malformed: "WhatsApp rechazó la solicitud por estar mal formada. Es un fallo de Hourglass; por favor, infórmalo.",
  invalid_recipient: "El número de teléfono del cliente no es un número de WhatsApp válido. Revisa el número.",
  user_id_unknown:
    "WhatsApp ya no reconoce el ID de usuario de este cliente (puede que haya cambiado de número). Espera a que el cliente vuelva a escribir: su próximo mensaje traerá el nuevo ID.",
  account_restricted:
    "La cuenta de empresa de WhatsApp está limitada o restringida. Avisa a tu administrador; el envío está en pausa.",
  unknown: "WhatsApp rechazó este mensaje por un motivo que Hourglass aún no conoce.",
};

export const refusalTexts = { es };
