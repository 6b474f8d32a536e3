// Every problem the Rust side reports, in Spanish (see errors.ts).
import type { ErrorTexts, OsTexts, ReasonTexts } from "./errors";

export const errorsEs: ErrorTexts = {
  newer_schema:
    "Esta bandeja la guardó una versión más nueva de Hourglass (esquema {{found}}; esta conoce hasta {{supported}}). Actualiza Hourglass para abrirla.",
  migration_changed: "Esta copia de Hourglass no coincide con sus propios datos (migración {{version}}). Reinstala Hourglass.",
  database_open: "No se pudo abrir la base de datos de la bandeja: {{detail}}",
  database: "Falló la base de datos de la bandeja: {{detail}}",
  not_found: "No encontrado: {{detail}}",
  invalid_phone: "«{{input}}» no es un número de teléfono.",
  contact_without_identity: "Un contacto necesita un número de teléfono o un ID de usuario de WhatsApp.",
  contact_invalid: "Esto no se puede guardar en el contacto: {{detail}}",
  window_closed:
    "El cliente no ha escrito en las últimas 24 horas, así que WhatsApp solo entrega una plantilla aprobada. Elige una plantilla.",
  template_invalid: "La plantilla {{name}} ({{language}}) no se puede enviar así ({{meta_code}}): {{detail}}",
  opted_out:
    "Este cliente pidió no recibir mensajes de marketing. Elige una plantilla de utilidad o espera a que te escriba.",
  customer_blocked: "Este cliente está bloqueado, así que WhatsApp no le entrega nada. Desbloquéalo primero en el panel del contacto.",
  text_invalid: "Este mensaje no se puede enviar: {{detail}}. Edítalo y vuelve a enviarlo.",
  attachment_refused: "WhatsApp no aceptaría este archivo tal como está (por su tipo o su tamaño). Adjunta otro archivo.",
  attachment_missing: "El archivo adjunto ya no está. Adjúntalo de nuevo.",
  attachment_io: "No se pudo guardar el archivo adjunto en este equipo ({{detail}}).",
  attachment_invalid: "El archivo no llegó completo. Adjúntalo de nuevo.",
  not_retryable: "Este mensaje no se puede reintentar: {{detail}}",
  report_range_invalid: "El informe no puede abarcar estas fechas: {{detail}}",
  snooze_in_past: "Una pausa termina en el futuro: elige una hora posterior.",
  snooze_too_long: "Una pausa dura como máximo un año.",
  graph_transient: "WhatsApp tiene un problema temporal ({{meta_code}}: {{detail}}). Inténtalo de nuevo en un momento.",
  graph_number_rate_limit:
    "Este número envía más rápido de lo que WhatsApp permite ({{meta_code}}). Hourglass irá más despacio; inténtalo en un minuto.",
  graph_pair_rate_limit: "Demasiados mensajes a este cliente en poco tiempo ({{meta_code}}). Espera un poco antes de enviar.",
  graph_window_closed:
    "La ventana de 24 horas del cliente se cerró ({{meta_code}}), así que WhatsApp solo entrega una plantilla aprobada. Elige una plantilla.",
  graph_undeliverable: "WhatsApp no pudo entregar a este cliente ({{meta_code}}): {{detail}}",
  graph_marketing_held_back:
    "WhatsApp retuvo este mensaje de marketing para que el cliente no reciba demasiados ({{meta_code}}). Inténtalo más tarde o elige una plantilla de utilidad.",
  graph_marketing_opt_out:
    "Este cliente desactivó los mensajes de marketing de empresas ({{meta_code}}). Elige una plantilla de utilidad o espera a que te escriba.",
  graph_unsupported: "WhatsApp no admite este mensaje ({{meta_code}}): {{detail}}",
  graph_template: "WhatsApp rechazó la plantilla ({{meta_code}}): {{detail}}",
  graph_token_invalid:
    "El token de acceso caducó o fue revocado. Crea uno nuevo en Meta Business Settings → System users y pégalo en Ajustes → Conexión.",
  graph_unknown_object:
    "WhatsApp no conoce un ID de esta solicitud, o el token no puede usarlo ({{detail}}). Revisa el ID del número y el ID de la cuenta en Ajustes → Conexión.",
  graph_bad_request: "WhatsApp rechazó la solicitud ({{meta_code}}): {{detail}}",
  graph_account_restricted:
    "WhatsApp restringió esta cuenta de empresa ({{meta_code}}): {{detail}}. Revisa la cuenta en WhatsApp Manager.",
  graph_unknown_error: "WhatsApp respondió con un error que Hourglass aún no conoce ({{meta_code}}): {{detail}}",
  graph_connect:
    "No se pudo conectar con {{host}} ({{detail}}). Revisa la conexión a internet, el proxy o el cortafuegos y la dirección de la Graph API en Ajustes → Conexión.",
  graph_timeout: "{{host}} no respondió a tiempo. Inténtalo de nuevo; si se repite, revisa la conexión de red.",
  graph_tls:
    "Falló la conexión segura con {{host}} ({{detail}}). Revisa la fecha y la hora del equipo y que nada intercepte HTTPS.",
  graph_transport: "La conexión con {{host}} se cortó ({{detail}}). Inténtalo de nuevo.",
  graph_http:
    "{{host}} respondió HTTP {{status}}. Inténtalo de nuevo; si se repite, revisa la dirección de la Graph API en Ajustes → Conexión y el proxy.",
  graph_decode:
    "La respuesta no es la que envía la WhatsApp Cloud API ({{detail}}). Revisa la dirección de la Graph API en Ajustes → Conexión.",
  graph_foreign_url: "Hourglass no envió el token de acceso a {{host}}: no es la Graph API o no es una dirección segura.",
  graph_media_mismatch: "El archivo llegó dañado (su tamaño o suma de comprobación no coincide). Descárgalo de nuevo.",
  graph_media_too_large:
    "El archivo supera lo que WhatsApp permite para su tipo ({{limit_mb}} MB), así que Hourglass no lo descargó.",
  graph_bad_base_url: "La dirección de la Graph API «{{url}}» no se puede usar ({{detail}}). Corrígela en Ajustes → Conexión.",
  graph_bad_token: "El token de acceso contiene caracteres que no se pueden enviar. Pégalo de nuevo en Ajustes → Conexión.",
  relay_url_missing: "Escribe la dirección del relay, como https://relay.example.com (la tiene quien configuró el relay).",
  relay_url_invalid: "«{{input}}» no es una dirección de relay ({{detail}}). Se parece a https://relay.example.com.",
  relay_insecure:
    "La dirección del relay debe empezar por https:// para que nadie lea el token de agente por el camino. Pon el relay detrás de TLS y usa su dirección https://.",
  relay_token_missing:
    "Escribe tu token de agente del relay. Su administrador crea uno por agente con `hourglass-relay agent add <nombre>`.",
  relay_token_invalid: "El token de agente contiene caracteres que no se pueden enviar. Pégalo de nuevo.",
  relay_token_for_new_address:
    "El token de agente guardado pertenece a otra dirección de relay, así que no se envió allí. Introduce tu token de agente para este relay.",
  relay_token_rejected: "El relay en {{host}} rechazó el token de agente. Pide un token al administrador del relay y pégalo entero.",
  relay_unreachable:
    "No se pudo contactar con el relay en {{host}} ({{detail}}). Revisa la dirección, que el relay esté en marcha y que ningún cortafuegos lo bloquee.",
  relay_http:
    "El relay en {{host}} respondió HTTP {{status}}. Inténtalo de nuevo; si se repite, pide al administrador que mire su registro.",
  relay_tls:
    "Falló la conexión segura con el relay en {{host}} ({{detail}}). Revisa el certificado del relay, la fecha y hora del equipo y cualquier proxy que intercepte HTTPS.",
  relay_timeout: "El relay en {{host}} no respondió a tiempo. Comprueba que esté en marcha y accesible desde aquí.",
  relay_not_hourglass:
    "{{host}} respondió ({{detail}}), pero no como un relay de Hourglass. Usa la dirección del propio relay, sin /webhook al final.",
  access_token_missing:
    "Escribe el token de acceso: un token permanente de un usuario del sistema (Meta Business Settings → Users → System users) con whatsapp_business_messaging y whatsapp_business_management.",
  phone_number_id_missing:
    "Escribe el ID del número de teléfono. Está en el App Dashboard de Meta → WhatsApp → API Setup, bajo el número.",
  phone_number_id_invalid:
    "«{{input}}» no es un ID de número: solo tiene dígitos. Es el ID de Meta para el número, no el número en sí (App Dashboard → WhatsApp → API Setup).",
  waba_id_missing:
    "Escribe el ID de la cuenta de WhatsApp Business. Está en el App Dashboard de Meta → WhatsApp → API Setup, bajo el número.",
  waba_id_invalid: "«{{input}}» no es un ID de cuenta de WhatsApp Business: solo tiene dígitos (App Dashboard → WhatsApp → API Setup).",
  lead_link_number: "El número de empresa «{{input}}» no es un número de teléfono.",
  lead_link_code: "El código de socio «{{input}}» no se puede usar: de 1 a 32 letras A–Z, dígitos, - y _.",
  lead_link_template: "El mensaje «{{input}}» no tiene {code}; pon {code} donde va el código de socio.",
  lead_link_text_too_long:
    "El mensaje prellenado tiene {{chars}} caracteres; déjalo en {{max}} para que el código QR se escanee con facilidad.",
  lead_link_qr: "No se pudo crear el código QR ({{detail}}).",
  lead_link_png: "No se pudo guardar el código QR como imagen ({{detail}}).",
  lead_pattern_empty: "El patrón del código de socio está vacío. Escribe una expresión regular como (?i)code:\\s*(\\w+).",
  lead_pattern_invalid: "El patrón del código de socio «{{input}}» no es una expresión regular válida: {{detail}}",
  lead_pattern_groups:
    "El patrón del código de socio «{{input}}» tiene {{found}} grupos de captura; necesita exactamente uno, alrededor del código. Usa (?:…) para los demás.",
  link_not_hourglass: "Ese enlace no es de Hourglass.",
  link_malformed: "El enlace de Hourglass está dañado o es demasiado largo.",
  link_unknown_action: "Hourglass no sabe qué hacer con el enlace «{{detail}}». Actualiza Hourglass o revisa el enlace.",
  link_phone_missing: "El enlace no indica ningún número de teléfono.",
  link_phone_invalid: "«{{detail}}» en el enlace no es un número de teléfono.",
  link_needs_number:
    "Conecta tu número o prueba la demo para abrir la conversación con {{detail}}; se abrirá en cuanto funcione la bandeja de entrada.",
  notification_failed: "No se pudo mostrar una notificación ({{detail}}).",
  keychain_unavailable:
    "El llavero del sistema no está disponible ({{detail}}). Desbloquéalo o inicia su servicio y vuelve a intentarlo.",
  keychain_failed:
    "El llavero del sistema rechazó un token ({{detail}}). Inténtalo de nuevo; si sigue fallando, borra las entradas de Hourglass en el llavero y pega el token otra vez.",
  secret_unreadable: "Un token guardado en el llavero del sistema no se puede leer. Pégalo de nuevo en Ajustes → Conexión.",
  secret_empty: "Un token no puede estar vacío. Pega el token completo en Ajustes → Conexión.",
  token_missing: "Un token de la conexión guardada ya no está en el llavero del sistema. Pégalo de nuevo en Ajustes → Conexión.",
  not_connected: "Primero conecta un número de WhatsApp (o prueba la demo).",
  no_business_number: "Conecta un número de WhatsApp (o prueba la demo) para crear enlaces para él.",
  other_number:
    "Esta conversación es de otro número de empresa distinto del conectado aquí, así que no se puede cambiar desde este equipo.",
  relay_unavailable: "El relay del equipo no respondió ({{detail}}). Revisa la conexión y vuelve a intentarlo; no se compartió nada.",
  connect_failed: "No se pudo iniciar la conexión ({{detail}}).",
  demo_failed: "No se pudo iniciar la demo ({{detail}}).",
  rate_table_invalid: "La tabla de precios no se puede guardar: {{detail}}",
  unknown_language: "Hourglass no está traducido a ese idioma.",
  unknown_country: "«{{detail}}» no es un país cuyos números Hourglass sepa leer.",
  media_not_media: "Este mensaje no contiene ningún archivo.",
  media_offline: "Los archivos se pueden descargar cuando haya un número de WhatsApp conectado.",
  media_not_cached: "Este archivo ya no está en este equipo. Vuelve a mostrar el mensaje para descargarlo.",
  media_no_downloads: "No hay carpeta de Descargas donde guardar ({{detail}}).",
  media_open_failed: "Ninguna aplicación de este equipo abrió el archivo ({{detail}}).",
  media_unknown_kind: "Hourglass aún no puede mostrar este tipo de archivo.",
  media_checksum: "El archivo llegó dañado (su suma de comprobación no coincide). Inténtalo de nuevo.",
  media_not_uploaded: "El archivo aún se está enviando.",
  media_cache_io: "La caché de archivos de este equipo no se puede usar ({{detail}}).",
  media_cache_index: "El índice de la caché de archivos no se puede usar ({{detail}}).",
  save_failed: "No se pudo guardar el archivo ({{detail}}).",
  clipboard_failed: "No se pudo copiar al portapapeles ({{detail}}).",
  autostart_failed: "No se pudo cambiar el inicio con la sesión ({{detail}}).",
  tray_failed: "No se pudo cambiar el icono de la bandeja del sistema ({{detail}}).",
  update_signature_invalid: "La actualización descargada no está firmada por Hourglass y se rechazó. No se instaló nada.",
  update_unreachable: "Hourglass no pudo contactar con el servidor de actualizaciones. Revisa la conexión a internet y vuelve a intentarlo.",
  update_not_configured:
    "Esta copia de Hourglass se compiló sin servidor de actualizaciones, así que no puede buscarlas. Instala las versiones nuevas desde sus paquetes.",
  update_not_packaged:
    "Esta copia de Hourglass no se instaló desde un paquete, así que no puede reemplazarse. No se cambió nada; instala Hourglass {{version}} desde su paquete.",
  update_nothing_pending: "No hay ninguna actualización verificada en espera. Busca actualizaciones primero.",
  update_failed: "La actualización no se completó ({{detail}}). No se cambió nada; inténtalo más tarde.",
  ipc: "La ventana perdió el contacto con Hourglass ({{detail}}). Reinicia Hourglass si se repite.",
};

// Why an agent's input was refused, in Spanish (see reasonsEn in errors.ts).
export const reasonsEs: ReasonTexts = {
  empty: "está vacío",
  too_long: "tiene {{chars}} caracteres y WhatsApp admite {{max}}",
  caption_too_long: "el pie tiene {{chars}} caracteres y WhatsApp admite {{max}}",
  note_length: "una nota tiene de 1 a {{max}} caracteres",
  label_length: "una etiqueta tiene de 1 a {{max}} caracteres, sin espacios en los extremos",
  canned_title_length: "una respuesta guardada necesita un título de hasta {{max}} caracteres",
  canned_body_length: "una respuesta guardada tiene de 1 a {{max}} caracteres",
  no_assignee: "elige un agente al que asignarla",
  wake_only_when_snoozed: "solo una conversación pospuesta tiene hora para despertar",
  no_snooze_end: "elige cuándo termina la pausa",
  name_length: "un nombre tiene de 1 a {{max}} caracteres",
  field_exists: "ya hay un campo llamado «{{label}}»",
  too_many_fields: "un equipo tiene hasta {{max}} campos",
  field_gone: "ese campo ya no existe",
  consent_source: "indica dónde dio su consentimiento el cliente (de 1 a {{max}} caracteres)",
  field_name_length: "el nombre de un campo tiene de 1 a {{max}} caracteres",
  option_count: "un campo de opciones tiene de 1 a {{max}} opciones",
  option_length: "cada opción tiene de 1 a {{max}} caracteres",
  option_twice: "la opción «{{option}}» está dos veces",
  value_too_long: "{{label}}: hasta {{max}} caracteres",
  not_a_number: "{{label}}: «{{value}}» no es un número (por ejemplo 42 o 3.5)",
  not_a_date: "{{label}}: «{{value}}» no es una fecha (AAAA-MM-DD)",
  not_a_choice: "{{label}}: elige una de estas opciones: {{options}}",
  first_day_not_a_date: "la primera fecha, «{{value}}», no es una fecha como 2026-03-31",
  last_day_not_a_date: "la última fecha, «{{value}}», no es una fecha como 2026-03-31",
  last_before_first: "el último día, {{last}}, es anterior al primero, {{first}}",
  too_many_days: "{{days}} días es más de lo que abarca un informe ({{max}})",
  not_a_time_zone: "un desfase de {{minutes}} minutos respecto a UTC no es una zona horaria",
  not_a_table: "«{{table}}» no es el nombre de una tabla del informe",
};

// What the operating system said, in Spanish (see osEn in errors.ts).
export const osEs: OsTexts = {
  not_found: "el archivo o la carpeta no está",
  permission_denied: "la cuenta de este equipo no puede usar ese archivo o carpeta",
  storage_full: "el disco está lleno",
  read_only: "el disco solo se puede leer, no escribir",
  busy: "otro programa está usando el archivo",
  too_large: "el archivo es más grande de lo que admite el disco",
};

export const metaRefusedEs = "{{reason}} (error de WhatsApp {{meta_code}})";
