// Texts of the desktop conventions: the tray menu, Settings' "Desktop"
// section, diagnostics, what a link or a second launch could not do, and the
// update errors the Rust side sends as codes.

const en = {
  tray: {
    open: "Open Hourglass",
    doNotDisturb: "Do not disturb",
    quit: "Quit Hourglass",
  },
  title: "Desktop",
  startAtLogin: "Start Hourglass when I log in",
  closeToTray: "Keep running in the tray when the window is closed",
  closeToTrayHint: "Quit from the tray icon's menu.",
  diagnostics: "Copy diagnostics",
  diagnosticsHint: "Versions, the connection's state and the end of the log, for support. No tokens or secrets are included.",
  diagnosticsCopied: "Diagnostics copied to the clipboard.",
  diagnosticsFailed: "The diagnostics could not be copied.",
  failed: "The setting could not be changed: {{reason}}",
  link: {
    dismiss: "Dismiss",
    link_not_hourglass: "That link is not an Hourglass link.",
    link_malformed: "That Hourglass link is damaged or too long.",
    link_unknown_action: "Hourglass does not know what to do with the link “{{detail}}”. Update Hourglass or check the link.",
    link_phone_missing: "The link names no phone number to open.",
    link_phone_invalid: "“{{detail}}” in the link is not a phone number.",
    link_needs_number:
      "Connect your number or try the demo to open the conversation with {{detail}}; it opens as soon as the inbox runs.",
    demo_failed: "The demo could not start.",
    unknown: "The link could not be followed.",
  },
  updateError: {
    update_signature_invalid: "The downloaded update is not signed by Hourglass and was refused. Nothing was installed.",
    update_unreachable: "Hourglass could not reach the update server. Check the internet connection and try again.",
    update_not_configured:
      "This copy of Hourglass was built without an update server, so it cannot check for updates. Install new versions from their packages.",
  },
};

const ru: typeof en = {
  tray: {
    open: "Открыть Hourglass",
    doNotDisturb: "Не беспокоить",
    quit: "Выйти из Hourglass",
  },
  title: "Рабочий стол",
  startAtLogin: "Запускать Hourglass при входе в систему",
  closeToTray: "Оставаться в трее после закрытия окна",
  closeToTrayHint: "Выйти можно из меню значка в трее.",
  diagnostics: "Скопировать диагностику",
  diagnosticsHint: "Версии, состояние подключения и конец журнала — для поддержки. Токены и секреты не включаются.",
  diagnosticsCopied: "Диагностика скопирована в буфер обмена.",
  diagnosticsFailed: "Не удалось скопировать диагностику.",
  failed: "Не удалось изменить настройку: {{reason}}",
  link: {
    dismiss: "Закрыть",
    link_not_hourglass: "Это не ссылка Hourglass.",
    link_malformed: "Ссылка Hourglass повреждена или слишком длинная.",
    link_unknown_action: "Hourglass не знает, что делать со ссылкой «{{detail}}». Обновите Hourglass или проверьте ссылку.",
    link_phone_missing: "В ссылке нет номера телефона.",
    link_phone_invalid: "«{{detail}}» в ссылке — не номер телефона.",
    link_needs_number:
      "Подключите свой номер или откройте демо, чтобы открыть переписку с {{detail}}: она откроется, как только заработает входящие.",
    demo_failed: "Не удалось запустить демо.",
    unknown: "Не удалось открыть ссылку.",
  },
  updateError: {
    update_signature_invalid: "Загруженное обновление не подписано Hourglass и отклонено. Ничего не установлено.",
    update_unreachable: "Не удалось связаться с сервером обновлений. Проверьте подключение к интернету и попробуйте ещё раз.",
    update_not_configured:
      "Эта копия Hourglass собрана без сервера обновлений и не может их проверять. Устанавливайте новые версии из пакетов.",
  },
};

const es: typeof en = {
  tray: {
    open: "Abrir Hourglass",
    doNotDisturb: "No molestar",
    quit: "Salir de Hourglass",
  },
  title: "Escritorio",
  startAtLogin: "Abrir Hourglass al iniciar sesión",
  closeToTray: "Seguir en la bandeja al cerrar la ventana",
  closeToTrayHint: "Para salir, usa el menú del icono de la bandeja.",
  diagnostics: "Copiar diagnóstico",
  diagnosticsHint: "Versiones, estado de la conexión y el final del registro, para soporte. No incluye tokens ni secretos.",
  diagnosticsCopied: "Diagnóstico copiado al portapapeles.",
  diagnosticsFailed: "No se pudo copiar el diagnóstico.",
  failed: "No se pudo cambiar el ajuste: {{reason}}",
  link: {
    dismiss: "Cerrar",
    link_not_hourglass: "Ese enlace no es de Hourglass.",
    link_malformed: "El enlace de Hourglass está dañado o es demasiado largo.",
    link_unknown_action: "Hourglass no sabe qué hacer con el enlace «{{detail}}». Actualiza Hourglass o revisa el enlace.",
    link_phone_missing: "El enlace no indica ningún número de teléfono.",
    link_phone_invalid: "«{{detail}}» en el enlace no es un número de teléfono.",
    link_needs_number:
      "Conecta tu número o prueba la demo para abrir la conversación con {{detail}}; se abrirá en cuanto funcione la bandeja de entrada.",
    demo_failed: "No se pudo iniciar la demo.",
    unknown: "No se pudo seguir el enlace.",
  },
  updateError: {
    update_signature_invalid: "La actualización descargada no está firmada por Hourglass y se rechazó. No se instaló nada.",
    update_unreachable: "Hourglass no pudo contactar con el servidor de actualizaciones. Revisa la conexión a internet y vuelve a intentarlo.",
    update_not_configured:
      "Esta copia de Hourglass se compiló sin servidor de actualizaciones, así que no puede buscarlas. Instala las versiones nuevas desde sus paquetes.",
  },
};

export const desktopTexts = { en, ru, es };

/** The link problems the window words itself; others read as `unknown`. */
export const LINK_PROBLEMS = [
  "link_not_hourglass",
  "link_malformed",
  "link_unknown_action",
  "link_phone_missing",
  "link_phone_invalid",
  "link_needs_number",
  "demo_failed",
] as const;

/** The update errors the window words itself; others show Rust's message. */
export const UPDATE_ERRORS = ["update_signature_invalid", "update_unreachable", "update_not_configured"] as const;
