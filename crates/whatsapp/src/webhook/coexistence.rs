//! Coexistence with the WhatsApp Business app: a number onboarded to the
//! Cloud API while the business keeps using the phone app.
//!
//! - `smb_message_echoes`: a message the business sent from the phone app
//!   (or a linked device). Typed as an [`EchoUpdate`](super::EchoUpdate)
//!   with `business_app` set.
//! - `history`: the phone app's chat history (up to 180 days), in phases
//!   and chunks. [`split`](super::split) cuts it into one envelope per
//!   message ([`HistoryUpdate`]); a chunk that only reports errors (the
//!   business declined to share) becomes an error update. A media message
//!   first comes as a `media_placeholder`, and for recent ones a second
//!   `history` webhook with the same id carries the media (in
//!   `value.messages`).
//! - `smb_app_state_sync`: the phone app's address book, contact by
//!   contact ([`ContactSyncUpdate`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Message, Metadata, Timestamp, lenient};

/// The `field` of messages the business sent from the WhatsApp Business app.
pub const FIELD_SMB_ECHOES: &str = "smb_message_echoes";
/// The `field` of the WhatsApp Business app's chat history.
pub const FIELD_HISTORY: &str = "history";
/// The `field` of the WhatsApp Business app's contacts.
pub const FIELD_SMB_STATE_SYNC: &str = "smb_app_state_sync";

/// The `type` of a history message whose media follows separately.
pub const MEDIA_PLACEHOLDER: &str = "media_placeholder";

/// One message of the WhatsApp Business app's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryUpdate {
    pub waba_id: String,
    pub metadata: Metadata,
    /// The customer of the thread (the thread's `id`, or the other party of
    /// a media message that follows its placeholder). `None` when it cannot
    /// be told.
    pub customer: Option<String>,
    /// The business sent it (from the phone app); otherwise the customer did.
    pub from_business: bool,
    pub message: Message,
    /// `history_context.status` in lower case (`read`, `delivered`, `sent`,
    /// `played`, `error`, `pending`).
    pub status: Option<String>,
    /// Where the import stands, when the chunk says.
    pub progress: Option<HistoryProgress>,
    /// The media of a message first sent as a `media_placeholder`.
    pub media_follow_up: bool,
}

/// A history chunk's `metadata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryProgress {
    /// 0: the first day before onboarding, 1: days 1–90, 2: days 90–180.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub phase: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub chunk_order: Option<i64>,
    /// Percent of the whole import; 100 when it is complete.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub progress: Option<i64>,
}

impl HistoryUpdate {
    /// Reads the single message of a split `history` value: either
    /// `history[0].threads[0].messages[0]` or, for media that follows its
    /// placeholder, `messages[0]`. `Ok(None)` when there is no message.
    pub(crate) fn from_value(waba_id: String, value: &Value) -> Result<Option<Self>, String> {
        let metadata = || -> Result<Metadata, String> {
            Metadata::deserialize(value.get("metadata").unwrap_or(&Value::Null))
                .map_err(|e| format!("metadata: {e}"))
        };
        let chunk = value.get("history").and_then(|h| h.get(0));
        let thread = chunk.and_then(|c| c.get("threads")).and_then(|t| t.get(0));
        if let Some(raw) = thread
            .and_then(|t| t.get("messages"))
            .and_then(|m| m.get(0))
        {
            let message = Message::from_value(raw)?;
            let customer = thread
                .and_then(|t| t.get("id"))
                .and_then(|id| lenient::string(id.clone()).ok());
            let to = raw.get("to").and_then(|t| lenient::string(t.clone()).ok());
            let from_business = to.is_some()
                || (customer.is_some() && message.from.is_some() && message.from != customer);
            let progress = chunk
                .and_then(|c| c.get("metadata"))
                .and_then(|m| HistoryProgress::deserialize(m).ok());
            let status = raw
                .pointer("/history_context/status")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            return Ok(Some(HistoryUpdate {
                waba_id,
                metadata: metadata()?,
                customer: customer.or(to),
                from_business,
                message,
                status,
                progress,
                media_follow_up: false,
            }));
        }
        let Some(raw) = value.get("messages").and_then(|m| m.get(0)) else {
            return Ok(None);
        };
        let message = Message::from_value(raw)?;
        let metadata = metadata()?;
        let to = raw.get("to").and_then(|t| lenient::string(t.clone()).ok());
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        let from_business = to.is_some()
            || message
                .from
                .as_deref()
                .is_some_and(|f| digits(f) == digits(&metadata.display_phone_number));
        let customer = if from_business {
            to
        } else {
            message.from.clone()
        };
        Ok(Some(HistoryUpdate {
            waba_id,
            metadata,
            customer,
            from_business,
            message,
            status: None,
            progress: None,
            media_follow_up: true,
        }))
    }
}

/// `field: "smb_app_state_sync"`: contacts the business added, edited or
/// removed in the WhatsApp Business app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactSyncUpdate {
    #[serde(skip)]
    pub waba_id: String,
    #[serde(default)]
    pub metadata: Option<Metadata>,
    #[serde(default)]
    pub state_sync: Vec<StateSyncItem>,
}

impl ContactSyncUpdate {
    pub(crate) fn from_value(waba_id: String, value: &Value) -> Result<Self, String> {
        let mut update = ContactSyncUpdate::deserialize(value)
            .map_err(|e| format!("smb_app_state_sync: {e}"))?;
        update.waba_id = waba_id;
        Ok(update)
    }
}

/// One element of `state_sync`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSyncItem {
    /// `contact`; other kinds are kept but not read.
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub contact: Option<SyncedContact>,
    /// `add` (added or edited) or `remove`.
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub metadata: Option<StateSyncMetadata>,
}

/// A contact of the business's address book in the phone app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedContact {
    /// Absent when the contact was removed.
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSyncMetadata {
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
}

/// Cuts a `history` change's value into one value per message: each with
/// the chunk's `metadata` and one thread holding one message. A chunk with
/// no thread (its `errors`: the business declined to share) is one value of
/// its own. Keys other than `history` are kept on every piece. Returns the
/// pieces with the dedupe key of each (`None`: hash it).
pub(crate) fn split_history(value: &Map<String, Value>) -> Option<Vec<(Value, Option<String>)>> {
    let chunks = value.get("history")?.as_array()?;
    let mut rest = value.clone();
    rest.remove("history");
    let mut out = Vec::new();
    for chunk in chunks {
        let threads = chunk.get("threads").and_then(Value::as_array);
        let Some(threads) = threads.filter(|t| !t.is_empty()) else {
            let mut piece = rest.clone();
            piece.insert("history".to_owned(), Value::Array(vec![chunk.clone()]));
            out.push((Value::Object(piece), None));
            continue;
        };
        let mut chunk_head = chunk.as_object().cloned().unwrap_or_default();
        chunk_head.remove("threads");
        for thread in threads {
            let messages = thread.get("messages").and_then(Value::as_array);
            let mut thread_head = thread.as_object().cloned().unwrap_or_default();
            thread_head.remove("messages");
            for message in messages.into_iter().flatten() {
                let mut one_thread = thread_head.clone();
                one_thread.insert("messages".to_owned(), Value::Array(vec![message.clone()]));
                let mut one_chunk = chunk_head.clone();
                one_chunk.insert(
                    "threads".to_owned(),
                    Value::Array(vec![Value::Object(one_thread)]),
                );
                let mut piece = rest.clone();
                piece.insert(
                    "history".to_owned(),
                    Value::Array(vec![Value::Object(one_chunk)]),
                );
                let key = message
                    .get("id")
                    .and_then(Value::as_str)
                    .filter(|id| !id.is_empty())
                    .map(|id| format!("hist:{id}"));
                out.push((Value::Object(piece), key));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use crate::webhook::{MessageContent, Update, split};

    fn envelope(field: &str, value: Value) -> Vec<u8> {
        json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398",
            "changes": [{"field": field, "value": value}]}]})
        .to_string()
        .into_bytes()
    }

    fn metadata() -> Value {
        json!({"display_phone_number": "15550783881", "phone_number_id": "106540352242922"})
    }

    /// Meta's documented sample: two threads, a text, a media placeholder
    /// and the customer's answer, then a text to another customer.
    fn history_sample() -> Value {
        json!({"messaging_product": "whatsapp", "metadata": metadata(), "history": [{
        "metadata": {"phase": 0, "chunk_order": 1, "progress": 55},
        "threads": [
            {"id": "16505551234", "messages": [
                {"from": "15550783881", "id": "wamid.A", "timestamp": "1739230955", "type": "text",
                 "text": {"body": "Here's the info you requested!"}, "history_context": {"status": "READ"}},
                {"from": "15550783881", "id": "wamid.B", "timestamp": "1739230970",
                 "type": "media_placeholder", "history_context": {"status": "PLAYED"}},
                {"from": "16505551234", "id": "wamid.C", "timestamp": "1739230970", "type": "text",
                 "text": {"body": "Thanks!"}, "history_context": {"status": "READ"}}]},
            {"id": "12125557890", "messages": [
                {"from": "15550783881", "id": "wamid.D", "timestamp": "1739230970", "type": "text",
                 "text": {"body": "Thanks for your order!"}, "history_context": {"status": "DELIVERED"}}]}
        ]}]})
    }

    #[test]
    fn a_history_chunk_splits_into_one_update_per_message_with_its_thread() {
        let singles = split(&envelope("history", history_sample())).unwrap();
        let keys: Vec<&str> = singles.iter().map(|s| s.dedupe_key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "hist:wamid.A",
                "hist:wamid.B",
                "hist:wamid.C",
                "hist:wamid.D"
            ]
        );
        let updates: Vec<_> = singles
            .iter()
            .map(|s| match s.update() {
                Update::History(h) => *h,
                other => panic!("not history: {other:?}"),
            })
            .collect();
        let a = &updates[0];
        assert_eq!(a.customer.as_deref(), Some("16505551234"));
        assert!(a.from_business, "sent from the business number");
        assert_eq!(a.status.as_deref(), Some("read"));
        assert_eq!(a.progress.and_then(|p| p.progress), Some(55));
        assert_eq!(a.metadata.phone_number_id.0, "106540352242922");
        assert!(!a.media_follow_up);
        assert!(
            matches!(&updates[1].message.content, MessageContent::Unknown { kind, .. } if kind == "media_placeholder")
        );
        let c = &updates[2];
        assert!(!c.from_business, "the customer's answer");
        assert_eq!(c.customer.as_deref(), Some("16505551234"));
        assert_eq!(updates[3].customer.as_deref(), Some("12125557890"));
        assert_eq!(updates[3].status.as_deref(), Some("delivered"));
    }

    #[test]
    fn the_media_that_follows_a_placeholder_keeps_its_own_key_and_customer() {
        let value = json!({"messaging_product": "whatsapp", "metadata": metadata(), "messages": [{
            "from": "16505551234", "id": "wamid.B", "timestamp": "1738796547", "type": "image",
            "image": {"caption": "Black Prince echeveria", "mime_type": "image/jpeg",
                      "sha256": "3f9d", "id": "24230790383178626"}}]});
        let singles = split(&envelope("history", value)).unwrap();
        assert_eq!(singles.len(), 1);
        assert_eq!(singles[0].dedupe_key, "hist:wamid.B:media");
        let Update::History(h) = singles[0].update() else {
            panic!("not history")
        };
        assert!(h.media_follow_up);
        assert!(!h.from_business);
        assert_eq!(h.customer.as_deref(), Some("16505551234"));
        assert!(
            matches!(h.message.content, MessageContent::Image(ref m) if m.id == "24230790383178626")
        );

        let from_business = json!({"metadata": metadata(), "messages": [{
            "from": "15550783881", "to": "16505551234", "id": "wamid.E", "timestamp": "1738796547",
            "type": "document", "document": {"id": "77", "filename": "invoice.pdf"}}]});
        let Update::History(h) = split(&envelope("history", from_business)).unwrap()[0].update()
        else {
            panic!("not history")
        };
        assert!(h.from_business);
        assert_eq!(h.customer.as_deref(), Some("16505551234"));
    }

    #[test]
    fn declined_history_is_an_error_update() {
        let value = json!({"messaging_product": "whatsapp", "metadata": metadata(), "history": [{
            "errors": [{"code": 2593109, "title": "History sync is turned off by the business from the WhatsApp Business App",
                        "error_data": {"details": "History sharing is turned off by the business"}}]}]});
        let singles = split(&envelope("history", value)).unwrap();
        assert_eq!(singles.len(), 1);
        assert!(singles[0].dedupe_key.starts_with("hash:"));
        match singles[0].update() {
            Update::Error(e) => assert_eq!(e.error.code, 2593109),
            other => panic!("not an error: {other:?}"),
        }
    }

    #[test]
    fn an_echo_from_the_business_app_is_marked_and_keyed_by_its_wamid() {
        let value = json!({"messaging_product": "whatsapp", "metadata": metadata(), "message_echoes": [
            {"from": "15550783881", "to": "16505551234", "id": "wamid.E1", "timestamp": "1739321024",
             "type": "text", "text": {"body": "On my way"}},
            {"from": "15550783881", "to": "16505551234", "id": "wamid.E2", "timestamp": "1739321025",
             "type": "text", "text": {"body": "Here"}}]});
        let singles = split(&envelope("smb_message_echoes", value)).unwrap();
        assert_eq!(singles.len(), 2);
        assert_eq!(singles[0].dedupe_key, "msg:wamid.E1");
        let Update::Echo(e) = singles[1].update() else {
            panic!("not an echo")
        };
        assert!(e.business_app);
        assert!(!e.standby);
        assert_eq!(e.to.as_deref(), Some("16505551234"));
    }

    #[test]
    fn the_business_apps_contacts_are_read_with_their_action() {
        let value = json!({"messaging_product": "whatsapp", "metadata": metadata(), "state_sync": [
            {"type": "contact", "contact": {"full_name": "Pablo Morales", "first_name": "Pablo",
             "phone_number": "16505551234"}, "action": "add", "metadata": {"timestamp": "1739321024"}},
            {"type": "contact", "contact": {"phone_number": "12125557890"}, "action": "remove",
             "metadata": {"timestamp": "1739321025"}}]});
        let singles = split(&envelope("smb_app_state_sync", value)).unwrap();
        assert_eq!(singles.len(), 1, "one update for the whole change");
        let Update::ContactSync(sync) = singles[0].update() else {
            panic!("not a contact sync")
        };
        assert_eq!(sync.state_sync.len(), 2);
        let add = &sync.state_sync[0];
        assert_eq!(add.action, "add");
        let contact = add.contact.as_ref().unwrap();
        assert_eq!(contact.full_name.as_deref(), Some("Pablo Morales"));
        assert_eq!(contact.phone_number.as_deref(), Some("16505551234"));
        assert_eq!(sync.state_sync[1].action, "remove");
        assert_eq!(
            sync.state_sync[1]
                .metadata
                .as_ref()
                .and_then(|m| m.timestamp)
                .map(|t| t.0),
            Some(1739321025)
        );
    }
}
