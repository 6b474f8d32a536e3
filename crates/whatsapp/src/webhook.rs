//! Webhook envelopes from Meta: split into single updates, then typed.
//!
//! Meta batches up to 1000 updates (messages, statuses, errors, template and
//! preference changes) in one POST, across several entries and changes. Two
//! layers handle it:
//!
//! 1. [`split`] walks **every** entry, change, message, status and error and
//!    returns one [`SingleUpdate`] per item: a complete envelope holding exactly
//!    one entry, one change and one item, plus a dedupe key. It works on the
//!    JSON tree, not on typed structs, so fields and types this crate does not
//!    know survive untouched. The relay stores these envelopes.
//! 2. [`SingleUpdate::update`] (or [`parse_value`] for a stored envelope) turns
//!    one into a typed [`Update`]. Whatever does not fit a known shape becomes
//!    [`Update::Other`] or [`MessageContent::Unknown`] carrying the raw JSON.
//!
//! Decisions where Meta is silent:
//! - A message's envelope keeps the contacts whose `wa_id` / `user_id` match
//!   its sender, plus any contact that matches no message of the change, so no
//!   contact is ever dropped by splitting.
//! - Every key of a change's `value` other than the item arrays (for example
//!   `metadata`, `messaging_product`, or fields Meta adds later) is copied into
//!   each split envelope.
//! - A change that is not `messages`, `standby`, `calls`,
//!   `smb_message_echoes` or `history`, or one of those without any item, is
//!   kept whole as one update; an entry without a `changes` array likewise.
//!   A `history` change is cut into one update per message of its threads
//!   (see the `coexistence` module).
//! - Dedupe keys: `msg:<wamid>`, `st:<wamid>:<status>`, `call:<wacid>:<event>`,
//!   `tpl:<template id>:<event>:<hash>`, `err:<hash>`, `hist:<wamid>` for a
//!   message of the Business app's history and `hist:<wamid>:media` for the
//!   media that follows its placeholder, and `hash:<hash>` for
//!   anything else, where `<hash>` is 128 bits of SHA-256 over the canonical
//!   JSON (keys sorted) of the single-update envelope. Meta's retries are
//!   byte-identical, so they collapse; two distinct template events differ in
//!   `entry.time`, so they do not. Edits and revokes are keyed
//!   `msg:<wamid>:edit` / `msg:<wamid>:revoke`: Meta has not documented them,
//!   and if their `id` were the original message's, `msg:<wamid>` would
//!   swallow them.
//! - The typed layer ignores fields it does not know; the stored envelope keeps
//!   them, so a later version of this crate can read them from old events.

mod account;
mod call;
mod canonical;
mod coexistence;
mod field;
mod message;
mod status;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

pub use account::{
    AccountUpdate, BanInfo, PhoneQualityUpdate, TemplateCategoryUpdate, ViolationInfo,
};
pub use call::{
    Call, CallDirection, CallEvent, CallOutcome, CallUpdate, HandoverUpdate, ThreadOwner,
};
pub use coexistence::{
    ContactSyncUpdate, FIELD_HISTORY, FIELD_SMB_ECHOES, FIELD_SMB_STATE_SYNC, HistoryProgress,
    HistoryUpdate, MEDIA_PLACEHOLDER, StateSyncItem, StateSyncMetadata, SyncedContact,
};
pub use field::{
    OtherInfo, RejectionInfo, TemplateStatusUpdate, UserPreference, UserPreferencesUpdate,
};
pub use message::{
    Button, CallPermissionReply, CallPermissionResponse, Context, Edit, Interactive, Location,
    Media, Message, MessageContent, Order, OrderItem, Reaction, Referral, ReferredProduct, Revoke,
    SharedContact, SharedContactAddress, SharedContactEmail, SharedContactName, SharedContactOrg,
    SharedContactPhone, SharedContactUrl, System, Text,
};
pub use status::{Conversation, ConversationOrigin, Pricing, Status, StatusKind};

/// The `field` of a change carrying messages, statuses and errors.
pub const FIELD_MESSAGES: &str = "messages";
/// The `field` of messages, statuses and echoes of conversations Meta's
/// business AI agent answers while this app listens.
pub const FIELD_STANDBY: &str = "standby";
/// The `field` of WhatsApp calls.
pub const FIELD_CALLS: &str = "calls";
/// The `field` of changes of a thread's owner (this app or Meta's AI agent).
pub const FIELD_HANDOVERS: &str = "messaging_handovers";
/// The `field` of a template lifecycle change.
pub const FIELD_TEMPLATE_STATUS: &str = "message_template_status_update";
/// The `field` of a marketing opt-out / opt-in change.
pub const FIELD_USER_PREFERENCES: &str = "user_preferences";
/// The `field` of a change of the phone number's quality or messaging limit.
pub const FIELD_PHONE_QUALITY: &str = "phone_number_quality_update";
/// The `field` of an event of the business account itself.
pub const FIELD_ACCOUNT_UPDATE: &str = "account_update";
/// The `field` of a template moved (or about to move) to another category.
pub const FIELD_TEMPLATE_CATEGORY: &str = "template_category_update";

/// Why a body is not a webhook envelope at all. The relay stores such bodies
/// raw as `malformed` events rather than losing them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the body is not JSON: {0}")]
    NotJson(String),
    #[error("the body is JSON but not a webhook envelope: {0}")]
    NotAnEnvelope(&'static str),
}

/// A WhatsApp message id (`wamid.…`), the idempotency key of a message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Wamid(pub String);

impl Wamid {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Wamid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for Wamid {
    fn from(id: String) -> Wamid {
        Wamid(id)
    }
}

impl From<&str> for Wamid {
    fn from(id: &str) -> Wamid {
        Wamid(id.to_owned())
    }
}

impl PartialEq<str> for Wamid {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Wamid {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Wamid {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

/// The id of a business phone number, as in `metadata.phone_number_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PhoneNumberId(pub String);

impl<'de> Deserialize<'de> for PhoneNumberId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::string(d).map(PhoneNumberId)
    }
}

/// Meta's `timestamp`: Unix seconds, sent as a string (numbers are accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::i64(d).map(Timestamp)
    }
}

/// `value.metadata`: which business number the update is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    #[serde(default, deserialize_with = "lenient::string")]
    pub display_phone_number: String,
    pub phone_number_id: PhoneNumberId,
}

/// An entry of `value.contacts`: the customer who wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    #[serde(default)]
    pub profile: Option<Profile>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub wa_id: Option<String>,
    /// Business-scoped user id (`US.…`), present for users with usernames.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub name: Option<String>,
    /// The customer's WhatsApp username, for customers who set one (their
    /// number may then be withheld).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// An error object as Meta puts it in `errors` arrays (change level, message
/// level and status level alike).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    #[serde(deserialize_with = "lenient::i64")]
    pub code: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub error_data: Option<ErrorData>,
    #[serde(default)]
    pub href: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorData {
    #[serde(default)]
    pub details: Option<String>,
}

/// One update, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    Message(Box<MessageUpdate>),
    Status(Box<StatusUpdate>),
    /// A change-level error (`value.errors[]`), e.g. a problem with the app or number.
    Error(Box<ErrorUpdate>),
    TemplateStatus(TemplateStatusUpdate),
    UserPreferences(UserPreferencesUpdate),
    /// The phone number's quality flag or messaging limit changed.
    PhoneQuality(PhoneQualityUpdate),
    /// An event of the business account (violation, ban, deletion, …).
    Account(AccountUpdate),
    /// A template moved, or is about to move, to another category.
    TemplateCategory(TemplateCategoryUpdate),
    /// A message the business side sent without this app (on `standby`:
    /// Meta's AI agent's reply to the customer).
    Echo(Box<EchoUpdate>),
    /// A call connected or ended.
    Call(Box<CallUpdate>),
    /// The conversation passed between this app and Meta's AI agent.
    Handover(Box<HandoverUpdate>),
    /// A message of the WhatsApp Business app's chat history.
    History(Box<HistoryUpdate>),
    /// Contacts of the WhatsApp Business app's address book.
    ContactSync(ContactSyncUpdate),
    /// Anything not recognised, kept as Meta sent it.
    Other(OtherUpdate),
}

/// An inbound message with what is needed to file it.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageUpdate {
    /// The WhatsApp Business Account id (`entry.id`).
    pub waba_id: String,
    pub metadata: Metadata,
    /// The sender's profile, when Meta sent one.
    pub contact: Option<Contact>,
    pub message: Message,
    /// It came on the `standby` field: Meta's AI agent answers this chat.
    pub standby: bool,
}

/// An element of `value.message_echoes`: a message sent to the customer
/// `to` from the business number by someone other than this app.
#[derive(Debug, Clone, PartialEq)]
pub struct EchoUpdate {
    pub waba_id: String,
    pub metadata: Metadata,
    /// The customer it went to.
    pub to: Option<String>,
    pub message: Message,
    /// It came on the `standby` field: Meta's AI agent sent it.
    pub standby: bool,
    /// It came on `smb_message_echoes`: the business sent it from the
    /// WhatsApp Business app.
    pub business_app: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    pub waba_id: String,
    pub metadata: Metadata,
    pub status: Status,
    /// It came on the `standby` field (a status of the AI agent's message).
    pub standby: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorUpdate {
    pub waba_id: String,
    pub metadata: Option<Metadata>,
    pub error: ErrorDetail,
}

/// An update this crate could not type: an unknown `field`, or a known one
/// whose shape did not match. `value` is the change's value (or the whole
/// entry, when the entry had no changes) exactly as received.
#[derive(Debug, Clone, PartialEq)]
pub struct OtherUpdate {
    pub waba_id: Option<String>,
    pub field: Option<String>,
    pub value: Value,
    /// Why a known field did not type, if that is what happened.
    pub reason: Option<String>,
}

/// One update cut out of a batch: a complete envelope with one entry, one
/// change and one item, and the key that identifies it across retries.
#[derive(Debug, Clone, PartialEq)]
pub struct SingleUpdate {
    pub dedupe_key: String,
    pub envelope: Value,
}

impl SingleUpdate {
    /// The typed view of this update.
    pub fn update(&self) -> Update {
        typed(&self.envelope)
    }
}

/// Splits a raw webhook body into single updates, in the order Meta sent them.
pub fn split(body: &[u8]) -> Result<Vec<SingleUpdate>, ParseError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ParseError::NotJson(e.to_string()))?;
    split_value(value)
}

/// [`split`] for an already decoded body.
pub fn split_value(envelope: Value) -> Result<Vec<SingleUpdate>, ParseError> {
    let Value::Object(mut root) = envelope else {
        return Err(ParseError::NotAnEnvelope("the top level is not an object"));
    };
    let Some(Value::Array(entries)) = root.remove("entry") else {
        return Err(ParseError::NotAnEnvelope("there is no `entry` array"));
    };
    let mut out = Vec::new();
    for entry in entries {
        split_entry(&root, entry, &mut out);
    }
    Ok(out)
}

/// Parses a body into typed updates: [`split`], then [`SingleUpdate::update`].
pub fn parse(body: &[u8]) -> Result<Vec<Update>, ParseError> {
    Ok(split(body)?.iter().map(SingleUpdate::update).collect())
}

/// Typed updates of an envelope already decoded, such as the payload of a
/// relay event (which holds exactly one).
pub fn parse_value(envelope: &Value) -> Result<Vec<Update>, ParseError> {
    Ok(split_value(envelope.clone())?
        .iter()
        .map(SingleUpdate::update)
        .collect())
}

fn split_entry(root: &Map<String, Value>, entry: Value, out: &mut Vec<SingleUpdate>) {
    let Value::Object(mut entry) = entry else {
        push_whole_entry(root, entry, out);
        return;
    };
    let changes = match entry.remove("changes") {
        Some(Value::Array(changes)) => changes,
        other => {
            if let Some(changes) = other {
                entry.insert("changes".to_owned(), changes);
            }
            push_whole_entry(root, Value::Object(entry), out);
            return;
        }
    };
    for change in changes {
        split_change(root, &entry, change, out);
    }
}

fn push_whole_entry(root: &Map<String, Value>, entry: Value, out: &mut Vec<SingleUpdate>) {
    let mut envelope = root.clone();
    envelope.insert("entry".to_owned(), Value::Array(vec![entry]));
    let envelope = Value::Object(envelope);
    let dedupe_key = format!("hash:{}", canonical::digest(&envelope));
    out.push(SingleUpdate {
        dedupe_key,
        envelope,
    });
}

const ITEM_ARRAYS: [&str; 5] = ["messages", "statuses", "errors", "calls", "message_echoes"];

/// Fields whose item arrays are split one item per update.
const SPLIT_FIELDS: [&str; 4] = [FIELD_MESSAGES, FIELD_STANDBY, FIELD_CALLS, FIELD_SMB_ECHOES];

fn split_change(
    root: &Map<String, Value>,
    entry: &Map<String, Value>,
    change: Value,
    out: &mut Vec<SingleUpdate>,
) {
    if change.get("field").and_then(Value::as_str) == Some(FIELD_HISTORY)
        && let Some(pieces) = split_history_change(&change)
    {
        for (piece, key) in pieces {
            out.push(build(root, entry, piece, key.map(KeyKind::Exact)));
        }
        return;
    }
    let is_messages = change
        .get("field")
        .and_then(Value::as_str)
        .is_some_and(|f| SPLIT_FIELDS.contains(&f));
    let has_items = ITEM_ARRAYS.iter().any(|k| {
        change
            .get("value")
            .and_then(|v| v.get(*k))
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    });
    if !is_messages || !has_items {
        let key = whole_change_key(&change);
        out.push(build(root, entry, change, key));
        return;
    }
    let Value::Object(mut change) = change else {
        return; // unreachable: `has_items` needs an object
    };
    let Some(Value::Object(mut value)) = change.remove("value") else {
        return; // unreachable: `has_items` needs an object value
    };
    let take = |value: &mut Map<String, Value>, k: &str| match value.remove(k) {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(other),
        None => Ok(Vec::new()),
    };
    let mut arrays: Vec<(&str, Vec<Value>)> = Vec::with_capacity(ITEM_ARRAYS.len());
    for k in ITEM_ARRAYS {
        match take(&mut value, k) {
            Ok(items) => arrays.push((k, items)),
            // Not an array: keep it on every split envelope rather than lose it.
            Err(other) => {
                value.insert(k.to_owned(), other);
            }
        }
    }
    let contacts = match value.remove("contacts") {
        Some(Value::Array(c)) => c,
        Some(other) => {
            value.insert("contacts".to_owned(), other);
            Vec::new()
        }
        None => Vec::new(),
    };
    let messages: &[Value] = arrays
        .iter()
        .find(|(k, _)| *k == "messages")
        .map(|(_, v)| v.as_slice())
        .unwrap_or(&[]);
    let senders = MessageContacts::new(&contacts, messages);

    for (k, items) in &arrays {
        for (n, item) in items.iter().enumerate() {
            let mut single = value.clone();
            if *k == "messages" {
                let mine: Vec<Value> = senders.per_message[n]
                    .iter()
                    .chain(&senders.orphans)
                    .map(|&i| contacts[i].clone())
                    .collect();
                if !mine.is_empty() {
                    single.insert("contacts".to_owned(), Value::Array(mine));
                }
            } else if !contacts.is_empty() && messages.is_empty() {
                // Contacts beside statuses or errors only: keep them on each.
                single.insert("contacts".to_owned(), Value::Array(contacts.clone()));
            }
            single.insert((*k).to_owned(), Value::Array(vec![item.clone()]));
            let mut change_out = change.clone();
            change_out.insert("value".to_owned(), Value::Object(single));
            let key = item_key(k, item);
            out.push(build(root, entry, Value::Object(change_out), key));
        }
    }
}

/// A `history` change cut into one change per message: the chat history's
/// threads (keyed `hist:<wamid>`), or the media that follows a placeholder
/// (`value.messages`, keyed `hist:<wamid>:media`). `None` when it holds
/// neither, and is then kept whole.
fn split_history_change(change: &Value) -> Option<Vec<(Value, Option<String>)>> {
    let value = change.get("value")?.as_object()?;
    let with_value = |v: Value| {
        let mut c = change.as_object().cloned().unwrap_or_default();
        c.insert("value".to_owned(), v);
        Value::Object(c)
    };
    if let Some(pieces) = coexistence::split_history(value).filter(|p| !p.is_empty()) {
        return Some(
            pieces
                .into_iter()
                .map(|(v, k)| (with_value(v), k))
                .collect(),
        );
    }
    let messages = value
        .get("messages")?
        .as_array()
        .filter(|m| !m.is_empty())?;
    let mut rest = value.clone();
    rest.remove("messages");
    Some(
        messages
            .iter()
            .map(|m| {
                let mut piece = rest.clone();
                piece.insert("messages".to_owned(), Value::Array(vec![m.clone()]));
                let key = m
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|id| !id.is_empty())
                    .map(|id| format!("hist:{id}:media"));
                (with_value(Value::Object(piece)), key)
            })
            .collect(),
    )
}

/// Builds the single-update envelope; `key` of `None` means "hash it".
fn build(
    root: &Map<String, Value>,
    entry: &Map<String, Value>,
    change: Value,
    key: Option<KeyKind>,
) -> SingleUpdate {
    let mut entry = entry.clone();
    entry.insert("changes".to_owned(), Value::Array(vec![change]));
    let mut envelope = root.clone();
    envelope.insert("entry".to_owned(), Value::Array(vec![Value::Object(entry)]));
    let envelope = Value::Object(envelope);
    let dedupe_key = match key {
        Some(KeyKind::Exact(k)) => k,
        Some(KeyKind::Hashed(prefix)) => format!("{prefix}{}", canonical::digest(&envelope)),
        None => format!("hash:{}", canonical::digest(&envelope)),
    };
    SingleUpdate {
        dedupe_key,
        envelope,
    }
}

enum KeyKind {
    Exact(String),
    /// A prefix to which the envelope's digest is appended.
    Hashed(String),
}

fn item_key(array: &str, item: &Value) -> Option<KeyKind> {
    let s = |k: &str| {
        item.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match array {
        // An echo is the business's own message: its wamid is its key.
        "message_echoes" => s("id").map(|id| KeyKind::Exact(format!("msg:{id}"))),
        "messages" => s("id").map(|id| match s("type") {
            // Should Meta ever reuse the edited or deleted message's id, the
            // edit must still not collapse into the original.
            Some(t @ ("edit" | "revoke")) => KeyKind::Exact(format!("msg:{id}:{t}")),
            _ => KeyKind::Exact(format!("msg:{id}")),
        }),
        "statuses" => match (s("id"), s("status")) {
            (Some(id), Some(st)) => Some(KeyKind::Exact(format!("st:{id}:{st}"))),
            _ => None,
        },
        "errors" => Some(KeyKind::Hashed("err:".to_owned())),
        // A call's connect and terminate share its id: both are kept.
        "calls" => match (s("id"), s("event")) {
            (Some(id), Some(ev)) => Some(KeyKind::Exact(format!("call:{id}:{ev}"))),
            _ => None,
        },
        _ => None,
    }
}

fn whole_change_key(change: &Value) -> Option<KeyKind> {
    if change.get("field").and_then(Value::as_str) != Some(FIELD_TEMPLATE_STATUS) {
        return None;
    }
    let value = change.get("value")?;
    let text = |k: &str| match value.get(k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let id = text("message_template_id").or_else(|| text("message_template_name"))?;
    let event = text("event").unwrap_or_default();
    Some(KeyKind::Hashed(format!("tpl:{id}:{event}:")))
}

/// Which of a change's `contacts` belong to which of its `messages`: a
/// contact matches a message by `wa_id` = `from`, or by `user_id` =
/// `from_user_id` (a username-only sender). The contacts are indexed once
/// per change, so a batch of n messages and n contacts splits in O(n), not
/// O(n²).
struct MessageContacts {
    /// For each message, the indexes of its contacts in the change's order.
    per_message: Vec<Vec<usize>>,
    /// Contacts no message matches, in their order: kept on every message
    /// rather than lost.
    orphans: Vec<usize>,
}

impl MessageContacts {
    fn new(contacts: &[Value], messages: &[Value]) -> Self {
        let mut by_wa_id: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_user_id: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, c) in contacts.iter().enumerate() {
            if let Some(id) = c.get("wa_id").and_then(Value::as_str) {
                by_wa_id.entry(id).or_default().push(i);
            }
            if let Some(id) = c.get("user_id").and_then(Value::as_str) {
                by_user_id.entry(id).or_default().push(i);
            }
        }
        let lookup = |map: &HashMap<&str, Vec<usize>>, m: &Value, key: &str| {
            m.get(key)
                .and_then(Value::as_str)
                .and_then(|id| map.get(id))
                .cloned()
                .unwrap_or_default()
        };
        let mut matched = vec![false; contacts.len()];
        let per_message: Vec<Vec<usize>> = messages
            .iter()
            .map(|m| {
                let mut mine = lookup(&by_wa_id, m, "from");
                let by_user = lookup(&by_user_id, m, "from_user_id");
                if !by_user.is_empty() {
                    mine.extend(by_user);
                    mine.sort_unstable();
                    mine.dedup();
                }
                for &i in &mine {
                    matched[i] = true;
                }
                mine
            })
            .collect();
        let orphans = (0..contacts.len()).filter(|&i| !matched[i]).collect();
        MessageContacts {
            per_message,
            orphans,
        }
    }
}

/// Types a single-update envelope as produced by [`split`].
fn typed(envelope: &Value) -> Update {
    let entry = envelope.get("entry").and_then(|e| e.get(0));
    let waba_id = entry
        .and_then(|e| e.get("id"))
        .and_then(|id| lenient::string(id).ok());
    let change = entry.and_then(|e| e.get("changes")).and_then(|c| c.get(0));
    let Some(change) = change else {
        return Update::Other(OtherUpdate {
            waba_id,
            field: None,
            value: entry.cloned().unwrap_or(Value::Null),
            reason: None,
        });
    };
    let field = change.get("field").and_then(Value::as_str);
    let value = change.get("value").unwrap_or(&Value::Null);
    let other = |reason: Option<String>| {
        Update::Other(OtherUpdate {
            waba_id: waba_id.clone(),
            field: field.map(str::to_owned),
            value: value.clone(),
            reason,
        })
    };
    let waba = waba_id.clone().unwrap_or_default();
    let time = entry
        .and_then(|e| e.get("time"))
        .and_then(|t| lenient::i64(t).ok());
    match field {
        Some(f @ (FIELD_MESSAGES | FIELD_STANDBY | FIELD_CALLS | FIELD_SMB_ECHOES)) => {
            match typed_messages(waba, value, f) {
                Ok(Some(update)) => update,
                Ok(None) => other(None),
                Err(reason) => other(Some(reason)),
            }
        }
        Some(FIELD_HANDOVERS) => match HandoverUpdate::from_value(waba, value) {
            Ok(update) => Update::Handover(Box::new(update)),
            Err(reason) => other(Some(reason)),
        },
        Some(FIELD_TEMPLATE_STATUS) => match TemplateStatusUpdate::from_value(waba, time, value) {
            Ok(update) => Update::TemplateStatus(update),
            Err(reason) => other(Some(reason)),
        },
        Some(FIELD_PHONE_QUALITY) => match PhoneQualityUpdate::from_value(waba, time, value) {
            Ok(update) => Update::PhoneQuality(update),
            Err(reason) => other(Some(reason)),
        },
        Some(FIELD_ACCOUNT_UPDATE) => match AccountUpdate::from_value(waba, time, value) {
            Ok(update) => Update::Account(update),
            Err(reason) => other(Some(reason)),
        },
        Some(FIELD_TEMPLATE_CATEGORY) => {
            match TemplateCategoryUpdate::from_value(waba, time, value) {
                Ok(update) => Update::TemplateCategory(update),
                Err(reason) => other(Some(reason)),
            }
        }
        Some(FIELD_USER_PREFERENCES) => match UserPreferencesUpdate::from_value(waba, value) {
            Ok(update) => Update::UserPreferences(update),
            Err(reason) => other(Some(reason)),
        },
        Some(FIELD_HISTORY) => {
            // The business declined to share its history: Meta says so as
            // the chunk's errors.
            let declined = value
                .pointer("/history/0/errors/0")
                .and_then(|e| ErrorDetail::deserialize(e).ok());
            if let Some(error) = declined {
                return Update::Error(Box::new(ErrorUpdate {
                    waba_id: waba,
                    metadata: Metadata::deserialize(value.get("metadata").unwrap_or(&Value::Null))
                        .ok(),
                    error,
                }));
            }
            match HistoryUpdate::from_value(waba, value) {
                Ok(Some(update)) => Update::History(Box::new(update)),
                Ok(None) => other(None),
                Err(reason) => other(Some(reason)),
            }
        }
        Some(FIELD_SMB_STATE_SYNC) => match ContactSyncUpdate::from_value(waba, value) {
            Ok(update) => Update::ContactSync(update),
            Err(reason) => other(Some(reason)),
        },
        _ => other(None),
    }
}

fn typed_messages(waba_id: String, value: &Value, field: &str) -> Result<Option<Update>, String> {
    let standby = field == FIELD_STANDBY;
    let first = |k: &str| value.get(k).and_then(|a| a.get(0));
    let metadata = || -> Result<Metadata, String> {
        Metadata::deserialize(value.get("metadata").unwrap_or(&Value::Null))
            .map_err(|e| format!("metadata: {e}"))
    };
    if let Some(raw) = first("messages") {
        let message = Message::from_value(raw)?;
        let contact = pick_contact(value.get("contacts"), &message);
        return Ok(Some(Update::Message(Box::new(MessageUpdate {
            waba_id,
            metadata: metadata()?,
            contact,
            message,
            standby,
        }))));
    }
    if let Some(raw) = first("statuses") {
        let status = Status::deserialize(raw).map_err(|e| format!("status: {e}"))?;
        return Ok(Some(Update::Status(Box::new(StatusUpdate {
            waba_id,
            metadata: metadata()?,
            status,
            standby,
        }))));
    }
    if let Some(raw) = first("message_echoes") {
        let message = Message::from_value(raw)?;
        let to = raw.get("to").and_then(|t| lenient::string(t.clone()).ok());
        return Ok(Some(Update::Echo(Box::new(EchoUpdate {
            waba_id,
            metadata: metadata()?,
            to,
            message,
            standby,
            business_app: field == FIELD_SMB_ECHOES,
        }))));
    }
    if let Some(raw) = first("calls") {
        let call = Call::from_value(raw)?;
        let contact = value
            .get("contacts")
            .and_then(|c| c.get(0))
            .and_then(|c| Contact::deserialize(c).ok());
        return Ok(Some(Update::Call(Box::new(CallUpdate {
            waba_id,
            metadata: metadata()?,
            contact,
            call,
        }))));
    }
    if let Some(raw) = first("errors") {
        let error = ErrorDetail::deserialize(raw).map_err(|e| format!("error: {e}"))?;
        return Ok(Some(Update::Error(Box::new(ErrorUpdate {
            waba_id,
            metadata: metadata().ok(),
            error,
        }))));
    }
    Ok(None)
}

fn pick_contact(contacts: Option<&Value>, message: &Message) -> Option<Contact> {
    let contacts: Vec<Contact> = contacts
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| Contact::deserialize(c).ok())
                .collect()
        })
        .unwrap_or_default();
    let matches = |c: &Contact| {
        (c.wa_id.is_some() && c.wa_id == message.from)
            || (c.user_id.is_some() && c.user_id == message.from_user_id)
    };
    contacts
        .iter()
        .find(|c| matches(c))
        .or_else(|| (contacts.len() == 1).then(|| &contacts[0]))
        .cloned()
}

/// Deserializers that accept what Meta sends and what it plausibly might:
/// numbers as strings and strings as numbers.
pub(crate) mod lenient {
    use serde::{Deserialize, Deserializer, de::Error};
    use serde_json::Value;

    pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                .ok_or_else(|| D::Error::custom(format!("{n} is not an integer"))),
            Value::String(s) => s
                .trim()
                .parse()
                .map_err(|_| D::Error::custom(format!("{s:?} is not an integer"))),
            other => Err(D::Error::custom(format!(
                "expected an integer, got {other}"
            ))),
        }
    }

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match Value::deserialize(d)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(D::Error::custom(format!("expected a string, got {other}"))),
        }
    }

    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            other => Err(D::Error::custom(format!("expected a string, got {other}"))),
        }
    }

    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            v => i64(v).map(Some).map_err(D::Error::custom),
        }
    }

    pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::Number(n) => Ok(n.as_f64()),
            Value::String(s) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| D::Error::custom(format!("{s:?} is not a number"))),
            other => Err(D::Error::custom(format!("expected a number, got {other}"))),
        }
    }

    pub fn bool_or_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        match Value::deserialize(d)? {
            Value::Bool(b) => Ok(b),
            Value::Null => Ok(false),
            Value::String(s) => Ok(s == "true"),
            other => Err(D::Error::custom(format!("expected a boolean, got {other}"))),
        }
    }
}

#[cfg(test)]
mod tests;
