//! Coexistence with the WhatsApp Business app, as the simulator plays it.
//!
//! `POST /_sim/inbound` takes, beside a message:
//! - `{"from": "+34…", "echo": "On my way"}`: the business answered the
//!   customer from the WhatsApp Business app on its phone; an
//!   `smb_message_echoes` webhook goes out.
//! - `{"from": "+34…", "history": [{"body": "Hi", "by": "customer"},
//!   {"body": "Hello!", "by": "business"}, {"by": "customer", "media": true}]}`:
//!   the app's chat history with that customer, as one `history` webhook
//!   (phase 0, progress 100). Each item may give its `timestamp`; by default
//!   they are a minute apart, ending an hour before now. `media: true` is a
//!   `media_placeholder`.
//! - `{"from": "+34…", "name": "Ana García", "address_book": "add"}` (or
//!   `"remove"`): the business saved, edited or removed the customer in the
//!   app's address book; an `smb_app_state_sync` webhook goes out.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::envelope::{Contact, Update};
use crate::ids;

/// Who wrote an item of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryAuthor {
    Customer,
    Business,
}

/// One message of the history, as `POST /_sim/inbound` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryItem {
    pub by: HistoryAuthor,
    /// The text; ignored for `media`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A photo or file, sent as Meta sends history media: a placeholder.
    #[serde(default)]
    pub media: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

/// What the business did in the app's address book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressBookAction {
    Add,
    Remove,
}

/// The `smb_message_echoes` webhook of a text the business sent from the app.
pub(crate) fn echo_update(
    rng: &mut impl rand::Rng,
    business: &str,
    contact: &Contact,
    text: &str,
    at: i64,
) -> (String, Update) {
    let id = ids::wamid(rng, &contact.wa_id);
    let echo = json!({
        "from": business, "to": contact.wa_id, "id": id, "timestamp": at.to_string(),
        "type": "text", "text": {"body": text},
    });
    let mut value = Map::new();
    value.insert("message_echoes".into(), Value::Array(vec![echo]));
    (
        id,
        Update::Field {
            field: "smb_message_echoes",
            value,
        },
    )
}

/// The `history` webhook of the app's chat with one customer.
pub(crate) struct History {
    pub update: Update,
    /// The newest time the customer wrote in it.
    pub customer_at: Option<i64>,
    /// Each message's id, and whether the customer sent it.
    pub ids: Vec<(String, bool)>,
}

/// [`History`] of `items`, ending an hour before `now` unless they say when.
pub(crate) fn history_update(
    rng: &mut impl rand::Rng,
    business: &str,
    contact: &Contact,
    items: &[HistoryItem],
    now: i64,
) -> History {
    let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let first = now - 3_600 - 60 * count;
    let mut customer_at = None;
    let mut ids = Vec::with_capacity(items.len());
    let messages: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let at = item
                .timestamp
                .unwrap_or(first + 60 * i64::try_from(n).unwrap_or(0));
            let from = match item.by {
                HistoryAuthor::Customer => {
                    customer_at = Some(customer_at.map_or(at, |c: i64| c.max(at)));
                    contact.wa_id.as_str()
                }
                HistoryAuthor::Business => business,
            };
            let id = ids::wamid(rng, &contact.wa_id);
            ids.push((id.clone(), item.by == HistoryAuthor::Customer));
            let mut message = json!({
                "from": from, "id": id,
                "timestamp": at.to_string(), "history_context": {"status": "READ"},
            });
            if let Some(obj) = message.as_object_mut() {
                if item.by == HistoryAuthor::Business {
                    obj.insert("to".into(), json!(contact.wa_id));
                }
                if item.media {
                    obj.insert("type".into(), json!("media_placeholder"));
                } else {
                    obj.insert("type".into(), json!("text"));
                    obj.insert(
                        "text".into(),
                        json!({"body": item.body.clone().unwrap_or_default()}),
                    );
                }
            }
            message
        })
        .collect();
    let mut value = Map::new();
    value.insert(
        "history".into(),
        json!([{
            "metadata": {"phase": 0, "chunk_order": 1, "progress": 100},
            "threads": [{"id": contact.wa_id, "messages": messages}],
        }]),
    );
    History {
        update: Update::Field {
            field: "history",
            value,
        },
        customer_at,
        ids,
    }
}

/// The `smb_app_state_sync` webhook of one address-book change.
pub(crate) fn address_book_update(
    contact: &Contact,
    name: Option<&str>,
    action: AddressBookAction,
    at: i64,
) -> Update {
    let mut synced = json!({"phone_number": contact.wa_id});
    let (action, name) = match action {
        AddressBookAction::Add => ("add", name.or(Some(contact.name.as_str()))),
        AddressBookAction::Remove => ("remove", None),
    };
    if let (Some(obj), Some(name)) = (synced.as_object_mut(), name) {
        obj.insert("full_name".into(), json!(name));
        let first = name.split_whitespace().next().unwrap_or(name);
        obj.insert("first_name".into(), json!(first));
    }
    let mut value = Map::new();
    value.insert(
        "state_sync".into(),
        json!([{"type": "contact", "contact": synced, "action": action,
                "metadata": {"timestamp": at.to_string()}}]),
    );
    Update::Field {
        field: "smb_app_state_sync",
        value,
    }
}
