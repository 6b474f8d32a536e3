// Why WhatsApp refused a message, in plain words (see `Refusal` in the
// shared bindings; Rust's `Refusal::text` holds the same English for logs
// and errors). Every kind must be worded in every language: the type says so.
import type { Refusal } from "../../bindings/Refusal";

type Texts = Record<Refusal, string>;

const en: Texts = {
  window_closed:
    "The customer last wrote more than 24 hours ago. Send an approved template to reopen the conversation.",
  undeliverable:
    "WhatsApp could not deliver this message: the number may not use WhatsApp, the app may be outdated, or the customer has not accepted the latest terms.",
  unsupported_type: "This kind of message is not supported by WhatsApp.",
  pair_rate_limit: "Too many messages to this customer in a short time. Hourglass will retry in a moment.",
  throughput_limit: "Your number is sending faster than WhatsApp allows. Hourglass will retry shortly.",
  marketing_held_back:
    "WhatsApp held back this marketing message to protect the customer's experience. Do not resend it today.",
  marketing_opted_out: "The customer has stopped marketing messages from your business.",
  temporary: "WhatsApp had a temporary problem. Try again.",
  maintenance: "The WhatsApp business account is in maintenance. Try again in a few minutes.",
  template_param_count: "The template got the wrong number of values. Fill in every field of the template.",
  template_missing:
    "This template does not exist in that language or is not approved. Refresh the templates and pick another.",
  template_too_long: "With these values the template text is too long. Shorten the values.",
  template_policy: "WhatsApp rejected the template content for breaking its policy.",
  template_param_format: "A template value has the wrong kind (for example text where an image is expected).",
  template_paused: "This template is paused by WhatsApp because of low quality. Pick another template.",
  template_disabled: "This template is disabled by WhatsApp. Pick another template.",
  template_param_invalid:
    "A template value contains line breaks, tabs or more than four spaces in a row. Remove them.",
  token_invalid:
    "The WhatsApp access token has expired or was revoked. Ask an admin for a new token in Settings.",
  malformed: "WhatsApp refused the request as malformed. This is a bug in Hourglass; please report it.",
  invalid_recipient: "The customer's phone number is not a valid WhatsApp number. Check the number.",
  user_id_unknown:
    "WhatsApp no longer knows this customer's user ID (they may have changed their number). Wait for the customer to write again: their next message brings the new ID.",
  account_restricted: "The WhatsApp business account is limited or restricted. Tell your admin; sending is paused.",
  unknown: "WhatsApp refused this message for a reason Hourglass does not know yet.",
};

const ru: Texts = {
  window_closed:
    "Клиент писал больше 24 часов назад. Отправьте одобренный шаблон, чтобы снова открыть разговор.",
  undeliverable:
    "WhatsApp не смог доставить сообщение: возможно, номер не пользуется WhatsApp, приложение устарело или клиент не принял новые условия.",
  unsupported_type: "WhatsApp не поддерживает такой тип сообщения.",
  pair_rate_limit: "Слишком много сообщений этому клиенту за короткое время. Hourglass повторит попытку чуть позже.",
  throughput_limit: "Ваш номер отправляет быстрее, чем разрешает WhatsApp. Hourglass скоро повторит попытку.",
  marketing_held_back:
    "WhatsApp придержал это маркетинговое сообщение, чтобы не перегружать клиента. Не отправляйте его повторно сегодня.",
  marketing_opted_out: "Клиент отказался от маркетинговых сообщений вашей компании.",
  temporary: "У WhatsApp временная неполадка. Попробуйте ещё раз.",
  maintenance: "Бизнес-аккаунт WhatsApp на обслуживании. Попробуйте через несколько минут.",
  template_param_count: "Шаблон получил не то число значений. Заполните все поля шаблона.",
  template_missing:
    "Такого шаблона нет на этом языке, или он не одобрен. Обновите шаблоны и выберите другой.",
  template_too_long: "С этими значениями текст шаблона слишком длинный. Сократите значения.",
  template_policy: "WhatsApp отклонил содержимое шаблона как нарушающее правила.",
  template_param_format: "Значение шаблона не того вида (например, текст там, где нужна картинка).",
  template_paused: "WhatsApp приостановил этот шаблон из-за низкого качества. Выберите другой шаблон.",
  template_disabled: "WhatsApp отключил этот шаблон. Выберите другой шаблон.",
  template_param_invalid:
    "Значение шаблона содержит переводы строк, табуляцию или больше четырёх пробелов подряд. Уберите их.",
  token_invalid:
    "Токен доступа WhatsApp истёк или отозван. Попросите администратора ввести новый токен в настройках.",
  malformed: "WhatsApp отклонил запрос как некорректный. Это ошибка Hourglass, сообщите о ней.",
  invalid_recipient: "Номер телефона клиента не является действительным номером WhatsApp. Проверьте номер.",
  user_id_unknown:
    "WhatsApp больше не знает идентификатор этого клиента (возможно, он сменил номер). Дождитесь нового сообщения от клиента: с ним придёт новый идентификатор.",
  account_restricted: "Бизнес-аккаунт WhatsApp ограничен. Сообщите администратору; отправка приостановлена.",
  unknown: "WhatsApp отклонил сообщение по причине, которая Hourglass пока неизвестна.",
};

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

export const refusalTexts = { en, ru, es };
