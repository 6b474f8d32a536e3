//! Webhook bodies as Meta writes them: the `whatsapp_business_account`
//! envelope around messages and statuses, serialised with every non-ASCII
//! character escaped as `\uXXXX` and `/` as `\/`.
//!
//! The escaping is deliberate: a relay that re-serialises the JSON before
//! checking the signature fails against the simulator exactly as it would
//! against Meta.

use std::io;

use serde::Serialize;
use serde_json::{Value, json};

/// The fake business, as it appears in every envelope.
#[derive(Debug, Clone)]
pub(crate) struct Business {
    pub waba_id: String,
    pub display_phone_number: String,
    pub phone_number_id: String,
}

/// A customer, as `contacts[]` shows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Contact {
    pub name: String,
    pub wa_id: String,
    pub user_id: String,
    /// `profile.username`, for a customer who set one.
    pub username: Option<String>,
    /// The customer hides their number: no `wa_id` (and no `from`).
    pub hide_number: bool,
}

impl Contact {
    /// The `contacts[]` entry Meta writes for them.
    pub fn to_json(&self) -> Value {
        // A customer who gave no profile name is known by username only.
        let mut profile = if self.name.is_empty() {
            json!({})
        } else {
            json!({"name": self.name})
        };
        if let Some(u) = &self.username {
            profile["username"] = json!(u);
        }
        let mut c = json!({"profile": profile, "user_id": self.user_id});
        if !self.hide_number {
            c["wa_id"] = json!(self.wa_id);
        }
        c
    }
}

/// One update a webhook carries.
#[derive(Debug, Clone)]
pub(crate) enum Update {
    Message {
        contact: Contact,
        message: Value,
    },
    Status(Value),
    /// An entry of `user_preferences`: the customer stopped or resumed
    /// marketing messages.
    Preference {
        contact: Contact,
        preference: Value,
    },
    /// A customer's message on the `standby` field: Meta's AI agent answers
    /// this customer while the app listens.
    Standby {
        contact: Contact,
        message: Value,
    },
    /// Meta's AI agent's reply to a customer, echoed on `standby`.
    StandbyEcho(Value),
    /// One item of a `calls` change.
    Call {
        contact: Contact,
        call: Value,
    },
    /// The value of a `messaging_handovers` change (its `type` and object).
    Handover(Value),
    /// A change of another `field` (coexistence with the WhatsApp Business
    /// app): these keys of its value, beside `messaging_product` and
    /// `metadata`.
    Field {
        field: &'static str,
        value: serde_json::Map<String, Value>,
    },
    /// A change about the account rather than a customer
    /// (`phone_number_quality_update`, `account_update`,
    /// `message_template_status_update`, `template_category_update`): its
    /// value as Meta writes it, and the entry's `time`.
    Account {
        field: &'static str,
        value: Value,
        time: i64,
    },
}

impl Update {
    /// The entry `time` Meta puts on account changes.
    fn time(&self) -> Option<i64> {
        match self {
            Update::Account { time, .. } => Some(*time),
            _ => None,
        }
    }
}

/// How a batch of several updates is laid out; Meta uses all of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One entry; messages of one contact share a change, statuses share one.
    Grouped,
    /// One entry, one change per update.
    ChangePerUpdate,
    /// One entry per update.
    EntryPerUpdate,
}

impl Business {
    fn metadata(&self) -> Value {
        json!({
            "display_phone_number": self.display_phone_number,
            "phone_number_id": self.phone_number_id,
        })
    }

    fn change(
        &self,
        contacts: Vec<&Contact>,
        messages: Vec<&Value>,
        statuses: Vec<&Value>,
    ) -> Value {
        self.change_on("messages", contacts, messages, statuses)
    }

    fn value(&self, contacts: Vec<&Contact>) -> serde_json::Map<String, Value> {
        let mut value = serde_json::Map::new();
        value.insert("messaging_product".into(), json!("whatsapp"));
        value.insert("metadata".into(), self.metadata());
        if !contacts.is_empty() {
            let contacts: Vec<Value> = contacts.into_iter().map(Contact::to_json).collect();
            value.insert("contacts".into(), Value::Array(contacts));
        }
        value
    }

    fn change_on(
        &self,
        field: &str,
        contacts: Vec<&Contact>,
        messages: Vec<&Value>,
        statuses: Vec<&Value>,
    ) -> Value {
        let mut value = self.value(contacts);
        if !messages.is_empty() {
            value.insert(
                "messages".into(),
                Value::Array(messages.into_iter().cloned().collect()),
            );
        }
        if !statuses.is_empty() {
            value.insert(
                "statuses".into(),
                Value::Array(statuses.into_iter().cloned().collect()),
            );
        }
        json!({"value": Value::Object(value), "field": field})
    }

    fn single_change(&self, update: &Update) -> Value {
        match update {
            Update::Message { contact, message } => {
                self.change(vec![contact], vec![message], vec![])
            }
            Update::Status(s) => self.change(vec![], vec![], vec![s]),
            Update::Preference {
                contact,
                preference,
            } => self.preference_change(contact, preference),
            Update::Standby { contact, message } => {
                self.change_on("standby", vec![contact], vec![message], vec![])
            }
            Update::StandbyEcho(echo) => {
                let mut value = self.value(vec![]);
                value.insert("message_echoes".into(), Value::Array(vec![echo.clone()]));
                json!({"value": Value::Object(value), "field": "standby"})
            }
            Update::Call { contact, call } => {
                let mut value = self.value(vec![contact]);
                value.insert("calls".into(), Value::Array(vec![call.clone()]));
                json!({"value": Value::Object(value), "field": "calls"})
            }
            Update::Field { field, value } => {
                let mut full = self.value(vec![]);
                full.extend(value.clone());
                json!({"value": Value::Object(full), "field": field})
            }
            Update::Handover(handover) => {
                let mut value = self.value(vec![]);
                if let Some(fields) = handover.as_object() {
                    value.extend(fields.clone());
                }
                json!({"value": Value::Object(value), "field": "messaging_handovers"})
            }
            Update::Account { field, value, .. } => json!({"value": value, "field": field}),
        }
    }

    /// `field: "user_preferences"`, as Meta sends it.
    fn preference_change(&self, contact: &Contact, preference: &Value) -> Value {
        json!({
            "field": "user_preferences",
            "value": {
                "messaging_product": "whatsapp",
                "metadata": self.metadata(),
                "contacts": [{"profile": {"name": contact.name}, "wa_id": contact.wa_id}],
                "user_preferences": [preference],
            }
        })
    }

    fn entry(&self, changes: Vec<Value>, time: Option<i64>) -> Value {
        match time {
            Some(time) => json!({"id": self.waba_id, "time": time, "changes": changes}),
            None => json!({"id": self.waba_id, "changes": changes}),
        }
    }

    /// The envelope carrying `updates` (at least one) in the given shape.
    pub fn envelope(&self, updates: &[Update], shape: Shape) -> Value {
        let entries = match shape {
            Shape::EntryPerUpdate => updates
                .iter()
                .map(|u| self.entry(vec![self.single_change(u)], u.time()))
                .collect(),
            Shape::ChangePerUpdate => {
                let time = updates.iter().filter_map(Update::time).max();
                vec![self.entry(
                    updates.iter().map(|u| self.single_change(u)).collect(),
                    time,
                )]
            }
            Shape::Grouped => {
                let mut changes = Vec::new();
                // Messages grouped by contact, first-seen order.
                let mut contacts: Vec<&Contact> = Vec::new();
                for u in updates {
                    if let Update::Message { contact, .. } = u
                        && !contacts.contains(&contact)
                    {
                        contacts.push(contact);
                    }
                }
                for c in contacts {
                    let messages = updates
                        .iter()
                        .filter_map(|u| match u {
                            Update::Message { contact, message } if contact == c => Some(message),
                            _ => None,
                        })
                        .collect();
                    changes.push(self.change(vec![c], messages, vec![]));
                }
                let statuses: Vec<&Value> = updates
                    .iter()
                    .filter_map(|u| match u {
                        Update::Status(s) => Some(s),
                        _ => None,
                    })
                    .collect();
                if !statuses.is_empty() {
                    changes.push(self.change(vec![], vec![], statuses));
                }
                // Other fields travel in changes of their own.
                for u in updates {
                    if !matches!(u, Update::Message { .. } | Update::Status(_)) {
                        changes.push(self.single_change(u));
                    }
                }
                vec![self.entry(changes, updates.iter().filter_map(Update::time).max())]
            }
        };
        json!({"object": "whatsapp_business_account", "entry": entries})
    }
}

/// Serialises like Meta: compact, non-ASCII as `\uXXXX`, `/` as `\/`.
pub fn to_meta_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, MetaFormatter);
    // Writing JSON values into a Vec cannot fail.
    if value.serialize(&mut ser).is_err() {
        out.clear();
    }
    out
}

struct MetaFormatter;

impl serde_json::ser::Formatter for MetaFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, ch) in fragment.char_indices() {
            if ch.is_ascii() && ch != '/' {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            if ch == '/' {
                writer.write_all(b"\\/")?;
            } else {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
            start = i + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn business() -> Business {
        Business {
            waba_id: "W".into(),
            display_phone_number: "15550783881".into(),
            phone_number_id: "P".into(),
        }
    }

    #[test]
    fn meta_escaping_round_trips_and_is_ascii() {
        let v = json!({"body": "Привет 👋 ¡hola! https://x.y/z \"q\"\n"});
        let bytes = to_meta_bytes(&v);
        assert!(bytes.is_ascii());
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains(r"\u041f"), "{text}");
        assert!(text.contains(r"\ud83d\udc4b"), "{text}");
        assert!(text.contains(r"https:\/\/x.y\/z"), "{text}");
        let back: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn grouped_batches_keep_every_update() {
        let c1 = Contact {
            name: "A".into(),
            wa_id: "1".into(),
            user_id: "US.1".into(),
            ..Contact::default()
        };
        let c2 = Contact {
            name: "B".into(),
            wa_id: "2".into(),
            user_id: "US.2".into(),
            ..Contact::default()
        };
        let updates = vec![
            Update::Message {
                contact: c1.clone(),
                message: json!({"id": "m1"}),
            },
            Update::Status(json!({"id": "s1"})),
            Update::Message {
                contact: c2,
                message: json!({"id": "m2"}),
            },
            Update::Message {
                contact: c1,
                message: json!({"id": "m3"}),
            },
            Update::Status(json!({"id": "s2"})),
        ];
        for shape in [
            Shape::Grouped,
            Shape::ChangePerUpdate,
            Shape::EntryPerUpdate,
        ] {
            let env = business().envelope(&updates, shape);
            assert_eq!(env["object"], "whatsapp_business_account");
            let mut ids = Vec::new();
            for entry in env["entry"].as_array().unwrap() {
                assert_eq!(entry["id"], "W");
                for change in entry["changes"].as_array().unwrap() {
                    assert_eq!(change["field"], "messages");
                    let value = &change["value"];
                    assert_eq!(value["metadata"]["phone_number_id"], "P");
                    for key in ["messages", "statuses"] {
                        for item in value[key].as_array().into_iter().flatten() {
                            ids.push(item["id"].as_str().unwrap().to_owned());
                        }
                    }
                    if value.get("messages").is_some() {
                        assert_eq!(value["contacts"].as_array().unwrap().len(), 1);
                    }
                }
            }
            ids.sort();
            assert_eq!(ids, ["m1", "m2", "m3", "s1", "s2"], "{shape:?}");
        }
    }
}
