// Why WhatsApp refused a message, in plain words (see `Refusal` in the
// shared bindings; Rust's `Refusal::text` holds the same English for logs
// and errors). Every kind must be worded in every language: the type says so.
import type { Refusal } from "../../bindings/Refusal";

export type Texts = Record<Refusal, string>;

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

export const refusalTexts = { en };
