// Every problem the Rust side reports, in Russian (see errors.ts).
import type { ErrorTexts, OsTexts, ReasonTexts } from "./errors";

export const errorsRu: ErrorTexts = {
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

// Why an agent's input was refused, in Russian (see reasonsEn in errors.ts).
export const reasonsRu: ReasonTexts = {
  empty: "оно пустое",
  too_long: "в нём {{chars}} символов, а WhatsApp допускает {{max}}",
  caption_too_long: "в подписи {{chars}} символов, а WhatsApp допускает {{max}}",
  note_length: "в заметке от 1 до {{max}} символов",
  label_length: "в метке от 1 до {{max}} символов, без пробелов по краям",
  canned_title_length: "у шаблона ответа должно быть название до {{max}} символов",
  canned_body_length: "в шаблоне ответа от 1 до {{max}} символов",
  no_assignee: "выберите агента, которому назначить",
  wake_only_when_snoozed: "время пробуждения бывает только у отложенного разговора",
  no_snooze_end: "выберите, когда закончится откладывание",
  name_length: "в имени от 1 до {{max}} символов",
  field_exists: "поле «{{label}}» уже есть",
  too_many_fields: "у команды не больше {{max}} полей",
  field_gone: "этого поля больше нет",
  consent_source: "укажите, где клиент дал согласие (от 1 до {{max}} символов)",
  field_name_length: "в названии поля от 1 до {{max}} символов",
  option_count: "у поля с выбором от 1 до {{max}} вариантов",
  option_length: "в каждом варианте от 1 до {{max}} символов",
  option_twice: "вариант «{{option}}» указан дважды",
  value_too_long: "{{label}}: не больше {{max}} символов",
  not_a_number: "{{label}}: «{{value}}» — не число (например, 42 или 3.5)",
  not_a_date: "{{label}}: «{{value}}» — не дата (ГГГГ-ММ-ДД)",
  not_a_choice: "{{label}}: выберите одно из: {{options}}",
  first_day_not_a_date: "первая дата, «{{value}}», не похожа на дату вида 2026-03-31",
  last_day_not_a_date: "последняя дата, «{{value}}», не похожа на дату вида 2026-03-31",
  last_before_first: "последний день, {{last}}, раньше первого, {{first}}",
  too_many_days: "{{days}} дн. — больше, чем охватывает отчёт ({{max}})",
  not_a_time_zone: "смещение от UTC на {{minutes}} мин. — не часовой пояс",
  not_a_table: "«{{table}}» — не название таблицы отчёта",
};

// What the operating system said, in Russian (see osEn in errors.ts).
export const osRu: OsTexts = {
  not_found: "файла или папки нет на месте",
  permission_denied: "учётной записи этого компьютера нельзя пользоваться этим файлом или папкой",
  storage_full: "диск заполнен",
  read_only: "диск доступен только для чтения",
  busy: "файл занят другой программой",
  too_large: "файл больше, чем допускает диск",
};

export const metaRefusedRu = "{{reason}} (ошибка WhatsApp {{meta_code}})";
