// Every problem the Rust side reports, worded in each language from its
// stable code (`ErrorCode`) and the values it sends along (`params`):
// `{{detail}}` is someone else's own words (Meta's explanation, the
// operating system's error) and is shown as it came. Each table is a
// `Record<ErrorCode, string>`, so a code added in Rust without wording here
// fails the type-check.
import type { ErrorCode } from "../../bindings/ErrorCode";

type ErrorTexts = Record<ErrorCode, string>;

const en: ErrorTexts = {
  newer_schema:
    "This inbox was saved by a newer version of Hourglass (schema {{found}}; this one knows up to {{supported}}). Update Hourglass to open it.",
  migration_changed: "This copy of Hourglass does not match its own data (migration {{version}}). Reinstall Hourglass.",
  database_open: "The inbox's database could not be opened: {{detail}}",
  database: "The inbox's database failed: {{detail}}",
  not_found: "Not found: {{detail}}",
  invalid_phone: "“{{input}}” is not a phone number.",
  contact_without_identity: "A contact needs a phone number or a WhatsApp user ID.",
  contact_invalid: "This cannot be saved for the contact: {{detail}}",
  window_closed:
    "The customer has not written in the last 24 hours, so WhatsApp only delivers an approved template. Pick a template to send instead.",
  template_invalid: "The template {{name}} ({{language}}) cannot be sent like this ({{meta_code}}): {{detail}}",
  opted_out:
    "This customer asked not to receive marketing messages. Choose a utility template, or wait until they write to you.",
  customer_blocked: "This customer is blocked, so WhatsApp delivers nothing to them. Unblock them in the contact panel first.",
  text_invalid: "This message cannot be sent: {{detail}}. Edit it and send again.",
  attachment_refused: "WhatsApp would not take this file as it is (its type or its size). Attach another file.",
  attachment_missing: "The attached file is no longer there. Attach it again.",
  attachment_io: "The attached file could not be kept on this computer ({{detail}}).",
  attachment_invalid: "The file did not arrive whole. Attach it again.",
  not_retryable: "This message cannot be retried: {{detail}}",
  report_range_invalid: "The report cannot cover these dates: {{detail}}",
  snooze_in_past: "A snooze ends in the future: choose a later time.",
  snooze_too_long: "A snooze lasts at most a year.",
  graph_transient: "WhatsApp is having a temporary problem ({{meta_code}}: {{detail}}). Try again in a moment.",
  graph_number_rate_limit:
    "This number is sending faster than WhatsApp allows ({{meta_code}}). Hourglass will slow down; try again in a minute.",
  graph_pair_rate_limit:
    "Too many messages to this customer in a short time ({{meta_code}}). Wait a little before sending again.",
  graph_window_closed:
    "The customer's 24-hour window has closed ({{meta_code}}), so WhatsApp only delivers an approved template. Pick a template instead.",
  graph_undeliverable: "WhatsApp could not deliver to this customer ({{meta_code}}): {{detail}}",
  graph_marketing_held_back:
    "WhatsApp held this marketing message back to keep the customer from receiving too many ({{meta_code}}). Try later or choose a utility template.",
  graph_marketing_opt_out:
    "This customer stopped marketing messages from businesses ({{meta_code}}). Choose a utility template, or wait until they write to you.",
  graph_unsupported: "WhatsApp does not support this message ({{meta_code}}): {{detail}}",
  graph_template: "WhatsApp refused the template ({{meta_code}}): {{detail}}",
  graph_token_invalid:
    "The access token has expired or was revoked. Create a new token in Meta Business Settings → System users and paste it in Settings → Connection.",
  graph_unknown_object:
    "WhatsApp does not know an ID in this request, or the token may not use it ({{detail}}). Check the phone number ID and account ID in Settings → Connection.",
  graph_bad_request: "WhatsApp refused the request ({{meta_code}}): {{detail}}",
  graph_account_restricted:
    "WhatsApp has restricted this business account ({{meta_code}}): {{detail}}. Check the account in WhatsApp Manager.",
  graph_unknown_error: "WhatsApp answered with an error Hourglass does not know yet ({{meta_code}}): {{detail}}",
  graph_connect:
    "Could not connect to {{host}} ({{detail}}). Check the internet connection, any proxy or firewall, and the Graph API address in Settings → Connection.",
  graph_timeout: "{{host}} did not answer in time. Try again; if it keeps happening, check the network connection.",
  graph_tls:
    "The secure connection to {{host}} failed ({{detail}}). Check that the computer's date and time are right and that nothing intercepts HTTPS.",
  graph_transport: "The connection to {{host}} broke off ({{detail}}). Try again.",
  graph_http:
    "{{host}} answered HTTP {{status}}. Try again; if it keeps happening, check the Graph API address in Settings → Connection and any proxy in between.",
  graph_decode:
    "The answer was not what the WhatsApp Cloud API sends ({{detail}}). Check the Graph API address in Settings → Connection.",
  graph_foreign_url:
    "Hourglass refused to send the access token to {{host}}, which is not the Graph API or not a secure address.",
  graph_media_mismatch: "The file arrived damaged (its size or checksum does not match). Download it again.",
  graph_media_too_large:
    "The file is larger than WhatsApp allows for its kind ({{limit_mb}} MB), so Hourglass did not download it.",
  graph_bad_base_url: "The Graph API address “{{url}}” cannot be used ({{detail}}). Fix it in Settings → Connection.",
  graph_bad_token: "The access token contains characters that cannot be sent. Paste it again in Settings → Connection.",
  relay_url_missing: "Enter the relay's address, such as https://relay.example.com (whoever set up the relay has it).",
  relay_url_invalid: "“{{input}}” is not a relay address ({{detail}}). It looks like https://relay.example.com.",
  relay_insecure:
    "The relay's address must start with https:// so the agent token cannot be read on the way. Put the relay behind TLS and use its https:// address.",
  relay_token_missing:
    "Enter your relay agent token. The relay's administrator creates one per agent with `hourglass-relay agent add <name>`.",
  relay_token_invalid: "The relay agent token contains characters that cannot be sent. Paste it again.",
  relay_token_for_new_address:
    "The saved agent token belongs to another relay address, so it was not sent there. Enter your agent token for this relay.",
  relay_token_rejected:
    "The relay at {{host}} refused the agent token. Ask the relay's administrator for a token and paste it whole.",
  relay_unreachable:
    "Could not reach the relay at {{host}} ({{detail}}). Check the address, that the relay is running, and that no firewall blocks it.",
  relay_http:
    "The relay at {{host}} answered HTTP {{status}}. Try again; if it keeps happening, ask the relay's administrator to look at its log.",
  relay_tls:
    "The secure connection to the relay at {{host}} failed ({{detail}}). Check the relay's certificate, this computer's date and time, and any proxy that intercepts HTTPS.",
  relay_timeout: "The relay at {{host}} did not answer in time. Check that it is running and reachable from here.",
  relay_not_hourglass:
    "{{host}} answered ({{detail}}), but not like an Hourglass relay. Use the relay's own address, without /webhook at the end.",
  access_token_missing:
    "Enter the access token: a permanent token of a system user (Meta Business Settings → Users → System users) with whatsapp_business_messaging and whatsapp_business_management.",
  phone_number_id_missing:
    "Enter the phone number ID. Find it in Meta's App Dashboard → WhatsApp → API Setup, under the phone number.",
  phone_number_id_invalid:
    "“{{input}}” is not a phone number ID: it has only digits. It is Meta's ID for the number, not the number itself (App Dashboard → WhatsApp → API Setup).",
  waba_id_missing:
    "Enter the WhatsApp Business Account ID. Find it in Meta's App Dashboard → WhatsApp → API Setup, under the phone number.",
  waba_id_invalid:
    "“{{input}}” is not a WhatsApp Business Account ID: it has only digits (App Dashboard → WhatsApp → API Setup).",
  lead_link_number: "The business number “{{input}}” is not a phone number.",
  lead_link_code: "The partner code “{{input}}” cannot be used: use 1–32 letters A–Z, digits, - and _.",
  lead_link_template: "The message “{{input}}” has no {code}; put {code} where the partner code goes.",
  lead_link_text_too_long: "The prefilled message has {{chars}} characters; keep it to {{max}} so the QR code stays easy to scan.",
  lead_link_qr: "Could not make the QR code ({{detail}}).",
  lead_link_png: "Could not write the QR code as an image ({{detail}}).",
  lead_pattern_empty: "The partner code pattern is empty. Enter a regular expression such as (?i)code:\\s*(\\w+).",
  lead_pattern_invalid: "The partner code pattern “{{input}}” is not a valid regular expression: {{detail}}",
  lead_pattern_groups:
    "The partner code pattern “{{input}}” has {{found}} capture groups; it needs exactly one, around the code. Use (?:…) for any other group.",
  link_not_hourglass: "That link is not an Hourglass link.",
  link_malformed: "That Hourglass link is damaged or too long.",
  link_unknown_action: "Hourglass does not know what to do with the link “{{detail}}”. Update Hourglass or check the link.",
  link_phone_missing: "The link names no phone number to open.",
  link_phone_invalid: "“{{detail}}” in the link is not a phone number.",
  link_needs_number:
    "Connect your number or try the demo to open the conversation with {{detail}}; it opens as soon as the inbox runs.",
  notification_failed: "Could not show a desktop notification ({{detail}}).",
  keychain_unavailable:
    "The system keychain is not available ({{detail}}). Unlock it or start its service, then try again.",
  keychain_failed:
    "The system keychain refused a token ({{detail}}). Try again; if it keeps failing, remove the Hourglass entries in the keychain and paste the token again.",
  secret_unreadable: "A token saved in the system keychain is not readable. Paste it again in Settings → Connection.",
  secret_empty: "A token cannot be empty. Paste the whole token in Settings → Connection.",
  token_missing: "A token of the saved connection is not in the system keychain any more. Paste it again in Settings → Connection.",
  not_connected: "Connect a WhatsApp number (or try the demo) first.",
  no_business_number: "Connect a WhatsApp number (or try the demo) to make links for it.",
  other_number:
    "This conversation is on another business number than the one connected here, so it cannot be changed from this desktop.",
  relay_unavailable: "The team's relay did not answer ({{detail}}). Check the connection and try again; nothing was shared.",
  connect_failed: "The connection could not start ({{detail}}).",
  demo_failed: "The demo could not start ({{detail}}).",
  rate_table_invalid: "The price table cannot be saved: {{detail}}",
  unknown_language: "Hourglass is not translated into that language.",
  unknown_country: "“{{detail}}” is not a country Hourglass can read numbers in.",
  media_not_media: "This message holds no file.",
  media_offline: "Files can be downloaded once a WhatsApp number is connected.",
  media_not_cached: "This file is no longer on this computer. Show the message again to download it.",
  media_no_downloads: "There is no Downloads folder to save into ({{detail}}).",
  media_open_failed: "No app on this computer opened the file ({{detail}}).",
  media_unknown_kind: "Hourglass cannot show this kind of file yet.",
  media_checksum: "The file arrived damaged (its checksum does not match). Try again.",
  media_not_uploaded: "The file is still being sent.",
  media_cache_io: "The file cache on this computer cannot be used ({{detail}}).",
  media_cache_index: "The file cache's index cannot be used ({{detail}}).",
  save_failed: "Could not save the file ({{detail}}).",
  clipboard_failed: "Could not copy to the clipboard ({{detail}}).",
  autostart_failed: "Could not change starting at login ({{detail}}).",
  tray_failed: "Could not change the tray icon ({{detail}}).",
  update_signature_invalid: "The downloaded update is not signed by Hourglass and was refused. Nothing was installed.",
  update_unreachable: "Hourglass could not reach the update server. Check the internet connection and try again.",
  update_not_configured:
    "This copy of Hourglass was built without an update server, so it cannot check for updates. Install new versions from their packages.",
  update_not_packaged:
    "This copy of Hourglass was not installed from a package, so it cannot replace itself. Nothing was changed; install Hourglass {{version}} from its package instead.",
  update_nothing_pending: "No verified update is waiting. Check for updates first.",
  update_failed: "The update could not be completed ({{detail}}). Nothing was changed; try again later.",
  ipc: "The window lost touch with Hourglass ({{detail}}). Restart Hourglass if this keeps happening.",
};

const ru: ErrorTexts = {
  newer_schema:
    "Эти входящие сохранены более новой версией Hourglass (схема {{found}}; эта версия знает до {{supported}}). Обновите Hourglass, чтобы открыть их.",
  migration_changed: "Эта копия Hourglass не соответствует своим данным (миграция {{version}}). Переустановите Hourglass.",
  database_open: "Не удалось открыть базу данных входящих: {{detail}}",
  database: "Ошибка базы данных входящих: {{detail}}",
  not_found: "Не найдено: {{detail}}",
  invalid_phone: "«{{input}}» — не номер телефона.",
  contact_without_identity: "У контакта должен быть номер телефона или ID пользователя WhatsApp.",
  contact_invalid: "Это нельзя сохранить в контакте: {{detail}}",
  window_closed:
    "Клиент не писал последние 24 часа, поэтому WhatsApp доставит только одобренный шаблон. Выберите шаблон.",
  template_invalid: "Шаблон {{name}} ({{language}}) нельзя отправить так ({{meta_code}}): {{detail}}",
  opted_out:
    "Клиент отказался от маркетинговых сообщений. Выберите служебный шаблон или дождитесь, пока клиент напишет.",
  customer_blocked: "Этот клиент заблокирован, и WhatsApp ничего ему не доставит. Сначала разблокируйте его в карточке контакта.",
  text_invalid: "Это сообщение нельзя отправить: {{detail}}. Исправьте его и отправьте снова.",
  attachment_refused: "WhatsApp не примет этот файл в таком виде (из-за типа или размера). Прикрепите другой файл.",
  attachment_missing: "Прикреплённого файла больше нет. Прикрепите его снова.",
  attachment_io: "Не удалось сохранить прикреплённый файл на этом компьютере ({{detail}}).",
  attachment_invalid: "Файл пришёл не целиком. Прикрепите его снова.",
  not_retryable: "Это сообщение нельзя отправить повторно: {{detail}}",
  report_range_invalid: "Отчёт не может охватить эти даты: {{detail}}",
  snooze_in_past: "Отложить можно только до момента в будущем: выберите более позднее время.",
  snooze_too_long: "Отложить можно не больше чем на год.",
  graph_transient: "У WhatsApp временная проблема ({{meta_code}}: {{detail}}). Попробуйте чуть позже.",
  graph_number_rate_limit:
    "Номер отправляет быстрее, чем позволяет WhatsApp ({{meta_code}}). Hourglass замедлится; попробуйте через минуту.",
  graph_pair_rate_limit:
    "Слишком много сообщений этому клиенту за короткое время ({{meta_code}}). Подождите немного.",
  graph_window_closed:
    "24-часовое окно клиента закрыто ({{meta_code}}), поэтому WhatsApp доставит только одобренный шаблон. Выберите шаблон.",
  graph_undeliverable: "WhatsApp не смог доставить сообщение этому клиенту ({{meta_code}}): {{detail}}",
  graph_marketing_held_back:
    "WhatsApp придержал это маркетинговое сообщение, чтобы клиент не получал их слишком много ({{meta_code}}). Попробуйте позже или выберите служебный шаблон.",
  graph_marketing_opt_out:
    "Клиент отключил маркетинговые сообщения от компаний ({{meta_code}}). Выберите служебный шаблон или дождитесь, пока клиент напишет.",
  graph_unsupported: "WhatsApp не поддерживает это сообщение ({{meta_code}}): {{detail}}",
  graph_template: "WhatsApp отклонил шаблон ({{meta_code}}): {{detail}}",
  graph_token_invalid:
    "Токен доступа истёк или отозван. Создайте новый в Meta Business Settings → System users и вставьте его в Настройки → Подключение.",
  graph_unknown_object:
    "WhatsApp не знает ID из этого запроса, или токену он недоступен ({{detail}}). Проверьте ID номера и ID аккаунта в Настройки → Подключение.",
  graph_bad_request: "WhatsApp отклонил запрос ({{meta_code}}): {{detail}}",
  graph_account_restricted:
    "WhatsApp ограничил этот бизнес-аккаунт ({{meta_code}}): {{detail}}. Проверьте аккаунт в WhatsApp Manager.",
  graph_unknown_error: "WhatsApp ответил ошибкой, которую Hourglass пока не знает ({{meta_code}}): {{detail}}",
  graph_connect:
    "Не удалось подключиться к {{host}} ({{detail}}). Проверьте интернет, прокси или файрвол и адрес Graph API в Настройки → Подключение.",
  graph_timeout: "{{host}} не ответил вовремя. Попробуйте ещё раз; если повторяется, проверьте сеть.",
  graph_tls:
    "Защищённое соединение с {{host}} не удалось ({{detail}}). Проверьте дату и время на компьютере и что ничто не перехватывает HTTPS.",
  graph_transport: "Соединение с {{host}} оборвалось ({{detail}}). Попробуйте ещё раз.",
  graph_http:
    "{{host}} ответил HTTP {{status}}. Попробуйте ещё раз; если повторяется, проверьте адрес Graph API в Настройки → Подключение и прокси.",
  graph_decode: "Ответ не похож на ответ WhatsApp Cloud API ({{detail}}). Проверьте адрес Graph API в Настройки → Подключение.",
  graph_foreign_url: "Hourglass не отправил токен доступа на {{host}}: это не Graph API или не защищённый адрес.",
  graph_media_mismatch: "Файл пришёл повреждённым (размер или контрольная сумма не совпадают). Загрузите его снова.",
  graph_media_too_large: "Файл больше, чем WhatsApp допускает для его типа ({{limit_mb}} МБ), поэтому Hourglass его не загрузил.",
  graph_bad_base_url: "Адрес Graph API «{{url}}» нельзя использовать ({{detail}}). Исправьте его в Настройки → Подключение.",
  graph_bad_token: "В токене доступа есть символы, которые нельзя отправить. Вставьте его снова в Настройки → Подключение.",
  relay_url_missing: "Введите адрес ретранслятора, например https://relay.example.com (он есть у того, кто настроил ретранслятор).",
  relay_url_invalid: "«{{input}}» — не адрес ретранслятора ({{detail}}). Он выглядит как https://relay.example.com.",
  relay_insecure:
    "Адрес ретранслятора должен начинаться с https://, чтобы токен агента нельзя было прочитать по пути. Включите TLS на ретрансляторе и используйте его https-адрес.",
  relay_token_missing:
    "Введите токен агента для ретранслятора. Администратор ретранслятора создаёт его для каждого агента командой `hourglass-relay agent add <имя>`.",
  relay_token_invalid: "В токене агента есть символы, которые нельзя отправить. Вставьте его снова.",
  relay_token_for_new_address:
    "Сохранённый токен агента относится к другому адресу ретранслятора, поэтому он туда не отправлялся. Введите свой токен агента для этого ретранслятора.",
  relay_token_rejected: "Ретранслятор на {{host}} отклонил токен агента. Попросите у администратора ретранслятора токен и вставьте его целиком.",
  relay_unreachable:
    "Не удалось связаться с ретранслятором на {{host}} ({{detail}}). Проверьте адрес, что ретранслятор запущен и что файрвол его не блокирует.",
  relay_http:
    "Ретранслятор на {{host}} ответил HTTP {{status}}. Попробуйте ещё раз; если повторяется, попросите администратора посмотреть журнал ретранслятора.",
  relay_tls:
    "Защищённое соединение с ретранслятором на {{host}} не удалось ({{detail}}). Проверьте сертификат ретранслятора, дату и время на компьютере и прокси, перехватывающий HTTPS.",
  relay_timeout: "Ретранслятор на {{host}} не ответил вовремя. Проверьте, что он запущен и доступен отсюда.",
  relay_not_hourglass:
    "{{host}} ответил ({{detail}}), но не как ретранслятор Hourglass. Используйте собственный адрес ретранслятора, без /webhook в конце.",
  access_token_missing:
    "Введите токен доступа: постоянный токен системного пользователя (Meta Business Settings → Users → System users) с whatsapp_business_messaging и whatsapp_business_management.",
  phone_number_id_missing: "Введите ID номера телефона. Он в Meta App Dashboard → WhatsApp → API Setup, под номером.",
  phone_number_id_invalid:
    "«{{input}}» — не ID номера: в нём только цифры. Это ID номера у Meta, а не сам номер (App Dashboard → WhatsApp → API Setup).",
  waba_id_missing:
    "Введите ID бизнес-аккаунта WhatsApp. Он в Meta App Dashboard → WhatsApp → API Setup, под номером.",
  waba_id_invalid: "«{{input}}» — не ID бизнес-аккаунта WhatsApp: в нём только цифры (App Dashboard → WhatsApp → API Setup).",
  lead_link_number: "Бизнес-номер «{{input}}» — не номер телефона.",
  lead_link_code: "Код партнёра «{{input}}» нельзя использовать: от 1 до 32 латинских букв, цифр, - и _.",
  lead_link_template: "В сообщении «{{input}}» нет {code}; поставьте {code} туда, где должен быть код партнёра.",
  lead_link_text_too_long:
    "В готовом сообщении {{chars}} символов; сократите до {{max}}, чтобы QR-код легко сканировался.",
  lead_link_qr: "Не удалось создать QR-код ({{detail}}).",
  lead_link_png: "Не удалось сохранить QR-код как изображение ({{detail}}).",
  lead_pattern_empty: "Шаблон кода партнёра пуст. Введите регулярное выражение, например (?i)code:\\s*(\\w+).",
  lead_pattern_invalid: "Шаблон кода партнёра «{{input}}» — неверное регулярное выражение: {{detail}}",
  lead_pattern_groups:
    "В шаблоне кода партнёра «{{input}}» групп захвата: {{found}}; нужна ровно одна, вокруг кода. Для остальных используйте (?:…).",
  link_not_hourglass: "Это не ссылка Hourglass.",
  link_malformed: "Ссылка Hourglass повреждена или слишком длинная.",
  link_unknown_action: "Hourglass не знает, что делать со ссылкой «{{detail}}». Обновите Hourglass или проверьте ссылку.",
  link_phone_missing: "В ссылке нет номера телефона.",
  link_phone_invalid: "«{{detail}}» в ссылке — не номер телефона.",
  link_needs_number:
    "Подключите свой номер или откройте демо, чтобы открыть переписку с {{detail}}: она откроется, как только заработают входящие.",
  notification_failed: "Не удалось показать уведомление ({{detail}}).",
  keychain_unavailable: "Системное хранилище ключей недоступно ({{detail}}). Разблокируйте его или запустите его службу и попробуйте снова.",
  keychain_failed:
    "Системное хранилище ключей отклонило токен ({{detail}}). Попробуйте снова; если не помогает, удалите записи Hourglass в хранилище и вставьте токен заново.",
  secret_unreadable: "Токен в системном хранилище ключей не читается. Вставьте его снова в Настройки → Подключение.",
  secret_empty: "Токен не может быть пустым. Вставьте токен целиком в Настройки → Подключение.",
  token_missing: "Токена сохранённого подключения больше нет в системном хранилище ключей. Вставьте его снова в Настройки → Подключение.",
  not_connected: "Сначала подключите номер WhatsApp (или откройте демо).",
  no_business_number: "Подключите номер WhatsApp (или откройте демо), чтобы создавать для него ссылки.",
  other_number: "Эта переписка ведётся с другого бизнес-номера, не подключённого здесь, поэтому изменить её с этого компьютера нельзя.",
  relay_unavailable: "Ретранслятор команды не ответил ({{detail}}). Проверьте подключение и попробуйте снова; ничего не отправлено.",
  connect_failed: "Не удалось начать подключение ({{detail}}).",
  demo_failed: "Не удалось запустить демо ({{detail}}).",
  rate_table_invalid: "Таблицу цен нельзя сохранить: {{detail}}",
  unknown_language: "Hourglass не переведён на этот язык.",
  unknown_country: "«{{detail}}» — не страна, номера которой Hourglass умеет читать.",
  media_not_media: "В этом сообщении нет файла.",
  media_offline: "Файлы можно загружать, когда подключён номер WhatsApp.",
  media_not_cached: "Этого файла больше нет на компьютере. Откройте сообщение снова, чтобы загрузить его.",
  media_no_downloads: "Нет папки «Загрузки», куда сохранить ({{detail}}).",
  media_open_failed: "Ни одно приложение на этом компьютере не открыло файл ({{detail}}).",
  media_unknown_kind: "Hourglass пока не умеет показывать такой файл.",
  media_checksum: "Файл пришёл повреждённым (контрольная сумма не совпадает). Попробуйте снова.",
  media_not_uploaded: "Файл ещё отправляется.",
  media_cache_io: "Кэш файлов на этом компьютере недоступен ({{detail}}).",
  media_cache_index: "Индекс кэша файлов недоступен ({{detail}}).",
  save_failed: "Не удалось сохранить файл ({{detail}}).",
  clipboard_failed: "Не удалось скопировать в буфер обмена ({{detail}}).",
  autostart_failed: "Не удалось изменить запуск при входе в систему ({{detail}}).",
  tray_failed: "Не удалось изменить значок в трее ({{detail}}).",
  update_signature_invalid: "Загруженное обновление не подписано Hourglass и отклонено. Ничего не установлено.",
  update_unreachable: "Не удалось связаться с сервером обновлений. Проверьте подключение к интернету и попробуйте ещё раз.",
  update_not_configured:
    "Эта копия Hourglass собрана без сервера обновлений и не может их проверять. Устанавливайте новые версии из пакетов.",
  update_not_packaged:
    "Эта копия Hourglass установлена не из пакета, поэтому не может заменить себя. Ничего не изменено; установите Hourglass {{version}} из пакета.",
  update_nothing_pending: "Нет проверенного обновления, ожидающего установки. Сначала проверьте обновления.",
  update_failed: "Обновление не завершилось ({{detail}}). Ничего не изменено; попробуйте позже.",
  ipc: "Окно потеряло связь с Hourglass ({{detail}}). Перезапустите Hourglass, если это повторяется.",
};

const es: ErrorTexts = {
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

export const errorTexts = { en, ru, es };
