// Every problem the Rust side reports, worded in each language from its
// stable code (`ErrorCode`) and the values it sends along (`params`):
// `{{detail}}` is someone else's own words (Meta's explanation, the
// operating system's error); when their kind is known (`reason`, `os`,
// `refusal`), problem.ts words that instead, and they show as they came
// only for a kind this window does not know. Each table is a
// `Record<ErrorCode, string>`, so a code added in Rust without wording here
// fails the type-check. English is here; Russian and Spanish are in
// errors.ru.ts and errors.es.ts, loaded with their language (see index.ts).
import type { ErrorCode } from "../../bindings/ErrorCode";
import type { InvalidReason } from "../../bindings/InvalidReason";
import type { OsFailure } from "../../bindings/OsFailure";

export type ErrorTexts = Record<ErrorCode, string>;

export const errorsEn: ErrorTexts = {
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

// Why an agent's input was refused (`text_invalid`, `contact_invalid`,
// `report_range_invalid` carry a `reason` and its values): worded here and
// put in the problem's `{{detail}}`. A `Record<InvalidReason, string>`, so a
// reason added in Rust without wording here fails the type-check.
export type ReasonTexts = Record<InvalidReason, string>;

export const reasonsEn: ReasonTexts = {
  empty: "it is empty",
  too_long: "it has {{chars}} characters and WhatsApp allows {{max}}",
  caption_too_long: "the caption has {{chars}} characters and WhatsApp allows {{max}}",
  note_length: "a note has 1 to {{max}} characters",
  label_length: "a label has 1 to {{max}} characters, without spaces at either end",
  canned_title_length: "a canned response needs a title of up to {{max}} characters",
  canned_body_length: "a canned response has 1 to {{max}} characters",
  no_assignee: "choose an agent to assign to",
  wake_only_when_snoozed: "only a snoozed conversation has a time to wake up",
  no_snooze_end: "choose when the snooze ends",
  name_length: "a name has 1 to {{max}} characters",
  field_exists: "there is already a field called “{{label}}”",
  too_many_fields: "a team has up to {{max}} fields",
  field_gone: "that field no longer exists",
  consent_source: "say where the customer agreed (1 to {{max}} characters)",
  field_name_length: "a field's name has 1 to {{max}} characters",
  option_count: "a choice field has 1 to {{max}} options",
  option_length: "each option has 1 to {{max}} characters",
  option_twice: "the option “{{option}}” is there twice",
  value_too_long: "{{label}}: up to {{max}} characters",
  not_a_number: "{{label}}: “{{value}}” is not a number (for example 42 or 3.5)",
  not_a_date: "{{label}}: “{{value}}” is not a date (YYYY-MM-DD)",
  not_a_choice: "{{label}}: choose one of {{options}}",
  first_day_not_a_date: "the first date, “{{value}}”, is not a date like 2026-03-31",
  last_day_not_a_date: "the last date, “{{value}}”, is not a date like 2026-03-31",
  last_before_first: "the last day, {{last}}, comes before the first, {{first}}",
  too_many_days: "{{days}} days is more than a report covers ({{max}})",
  not_a_time_zone: "a UTC offset of {{minutes}} minutes is not a time zone",
  not_a_table: "“{{table}}” is not the name of a report table",
};

// What the operating system said about a file or the database, by kind
// (`os`, sent beside the system's own words): worded here and put in the
// problem's `{{detail}}`; the system's words stay for a kind not worded.
export type OsTexts = Record<OsFailure, string>;

export const osEn: OsTexts = {
  not_found: "the file or folder is not there",
  permission_denied: "this computer's account may not use that file or folder",
  storage_full: "the disk is full",
  read_only: "the disk can only be read, not written",
  busy: "another program is using the file",
  too_large: "the file is larger than the disk allows",
};

// Meta's refusal by kind (`refusal`, sent beside Meta's English words), for
// the problems that would otherwise show Meta's words.
export const metaRefusedEn = "{{reason}} (WhatsApp error {{meta_code}})";

