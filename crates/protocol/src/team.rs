//! Team events: what an agent's app publishes to the relay's log
//! ([`crate::EventKind::Agent`]) for every other desktop to apply.
//!
//! The payload is JSON tagged by `"type"`, with the version of this
//! vocabulary in `"v"` ([`AGENT_EVENT_VERSION`]; absent in events written
//! before it was added, which read as version 1). A desktop keeps an event it
//! cannot read (a newer kind or version, or a malformed one) flagged for a
//! later version instead of guessing, so the log stays the truth.
//!
//! Conversations are named across desktops by the customer (E.164 with `+`,
//! or Meta's business-scoped user id) and the business phone number id.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The version of the team-event vocabulary this build writes and reads.
pub const AGENT_EVENT_VERSION: u64 = 1;

/// One team event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "Wire")]
pub enum AgentEvent {
    /// A message an agent's app sent through the Cloud API, for the other
    /// desktops' timelines.
    Outbound(OutboundRecord),
    /// The conversation's assignee (`None`: unassigned).
    Assign {
        customer: String,
        phone_number_id: String,
        assignee: Option<String>,
    },
    /// A private note; `id` is made by the author's app, the first event
    /// with an id wins.
    Note {
        id: String,
        customer: String,
        phone_number_id: String,
        body: String,
    },
    /// A label put on (`on`) or taken off a conversation.
    Label {
        customer: String,
        phone_number_id: String,
        label: String,
        on: bool,
    },
    /// A canned response made or changed.
    Canned {
        id: String,
        title: String,
        body: String,
    },
    /// A canned response deleted.
    CannedDeleted { id: String },
    /// The conversation's status. `snooze_until` (Unix seconds) goes with
    /// [`ConversationStatus::Snoozed`]; without it the conversation sleeps
    /// until the customer writes.
    Status {
        customer: String,
        phone_number_id: String,
        status: ConversationStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snooze_until: Option<i64>,
    },
    /// The name the team gives a customer (`None`: back to the profile name).
    ContactName {
        customer: String,
        name: Option<String>,
    },
    /// A custom contact field defined or renamed; `id` is made by the
    /// author's app.
    ContactField {
        id: String,
        label: String,
        kind: FieldKind,
        /// The choices of a [`FieldKind::Choice`] field.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<String>,
    },
    /// A custom contact field removed, with every value in it.
    ContactFieldRemoved { id: String },
    /// A customer's value of a custom field (`None`: cleared).
    ContactValue {
        customer: String,
        field: String,
        value: Option<String>,
    },
    /// The customer agreed to marketing messages, as the agent recorded it.
    MarketingOptIn { customer: String, source: String },
    /// The customer was blocked (`blocked`) or unblocked on a business
    /// number through the Cloud API.
    Block {
        customer: String,
        phone_number_id: String,
        blocked: bool,
    },
}

/// Where a conversation stands. A customer's new message reopens a
/// resolved or snoozed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    /// Waiting on something (the customer, a colleague): still in Open.
    Pending,
    Snoozed,
    Resolved,
}

impl ConversationStatus {
    pub const ALL: [ConversationStatus; 4] = [
        ConversationStatus::Open,
        ConversationStatus::Pending,
        ConversationStatus::Snoozed,
        ConversationStatus::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Pending => "pending",
            ConversationStatus::Snoozed => "snoozed",
            ConversationStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<ConversationStatus> {
        ConversationStatus::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// What a custom contact field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// One of the field's options.
    Choice,
}

/// `{"type":"outbound", …}`: a message sent by an agent's app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundRecord {
    pub wamid: String,
    /// The recipient as sent: a number, or a business-scoped user id.
    pub to: String,
    pub phone_number_id: String,
    /// The message type (`text`, `template`, …); `text` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_user_id: Option<String>,
    /// A photo, video, voice note, document or sticker: the id the Cloud
    /// API gave its upload, so other desktops fetch and show it as they do
    /// a customer's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<Box<OutboundMedia>>,
}

/// The file of an outbound media message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMedia {
    /// Meta's media id of the upload.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

impl AgentEvent {
    /// The customer the event is about (E.164 with `+`, or a business-scoped
    /// user id).
    pub fn customer(&self) -> Option<&str> {
        match self {
            AgentEvent::Assign { customer, .. }
            | AgentEvent::Note { customer, .. }
            | AgentEvent::Label { customer, .. }
            | AgentEvent::Status { customer, .. }
            | AgentEvent::ContactName { customer, .. }
            | AgentEvent::ContactValue { customer, .. }
            | AgentEvent::MarketingOptIn { customer, .. }
            | AgentEvent::Block { customer, .. } => Some(customer),
            AgentEvent::Outbound(_)
            | AgentEvent::Canned { .. }
            | AgentEvent::CannedDeleted { .. }
            | AgentEvent::ContactField { .. }
            | AgentEvent::ContactFieldRemoved { .. } => None,
        }
    }

    /// The customer the event is about (E.164 with `+`, or a business-scoped
    /// user id), to rename when the customer became known by another key.
    pub fn customer_mut(&mut self) -> Option<&mut String> {
        match self {
            AgentEvent::Assign { customer, .. }
            | AgentEvent::Note { customer, .. }
            | AgentEvent::Label { customer, .. }
            | AgentEvent::Status { customer, .. }
            | AgentEvent::ContactName { customer, .. }
            | AgentEvent::ContactValue { customer, .. }
            | AgentEvent::MarketingOptIn { customer, .. }
            | AgentEvent::Block { customer, .. } => Some(customer),
            AgentEvent::Outbound(_)
            | AgentEvent::Canned { .. }
            | AgentEvent::CannedDeleted { .. }
            | AgentEvent::ContactField { .. }
            | AgentEvent::ContactFieldRemoved { .. } => None,
        }
    }

    /// The payload to publish: the event with its `"v"`.
    pub fn to_payload(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut value {
            map.insert("v".to_owned(), Value::from(AGENT_EVENT_VERSION));
        }
        value
    }

    /// Reads a payload from the log; the reason when this build cannot.
    pub fn from_payload(payload: &Value) -> Result<AgentEvent, String> {
        match payload.get("v") {
            None => {}
            Some(v) => match v.as_u64() {
                Some(v) if v <= AGENT_EVENT_VERSION => {}
                _ => {
                    return Err(format!(
                        "a team event of version {v}; this version reads up to {AGENT_EVENT_VERSION}"
                    ));
                }
            },
        }
        AgentEvent::deserialize(payload)
            .map_err(|e| format!("a team event this version cannot read: {e}"))
    }
}

/// The wire forms, including one written before `canned_deleted` existed:
/// `{"type":"canned","id":…,"deleted":true}`.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Wire {
    Outbound(OutboundRecord),
    Assign {
        customer: String,
        phone_number_id: String,
        assignee: Option<String>,
    },
    Note {
        id: String,
        customer: String,
        phone_number_id: String,
        body: String,
    },
    Label {
        customer: String,
        phone_number_id: String,
        label: String,
        on: bool,
    },
    Canned {
        id: String,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        body: Option<String>,
        #[serde(default)]
        deleted: bool,
    },
    CannedDeleted {
        id: String,
    },
    Status {
        customer: String,
        phone_number_id: String,
        status: ConversationStatus,
        #[serde(default)]
        snooze_until: Option<i64>,
    },
    ContactName {
        customer: String,
        name: Option<String>,
    },
    ContactField {
        id: String,
        label: String,
        kind: FieldKind,
        #[serde(default)]
        options: Vec<String>,
    },
    ContactFieldRemoved {
        id: String,
    },
    ContactValue {
        customer: String,
        field: String,
        value: Option<String>,
    },
    MarketingOptIn {
        customer: String,
        source: String,
    },
    Block {
        customer: String,
        phone_number_id: String,
        blocked: bool,
    },
}

impl TryFrom<Wire> for AgentEvent {
    type Error = String;

    fn try_from(w: Wire) -> Result<AgentEvent, String> {
        Ok(match w {
            Wire::Outbound(r) => AgentEvent::Outbound(r),
            Wire::Assign {
                customer,
                phone_number_id,
                assignee,
            } => AgentEvent::Assign {
                customer,
                phone_number_id,
                assignee,
            },
            Wire::Note {
                id,
                customer,
                phone_number_id,
                body,
            } => AgentEvent::Note {
                id,
                customer,
                phone_number_id,
                body,
            },
            Wire::Label {
                customer,
                phone_number_id,
                label,
                on,
            } => AgentEvent::Label {
                customer,
                phone_number_id,
                label,
                on,
            },
            Wire::Canned {
                id, deleted: true, ..
            }
            | Wire::CannedDeleted { id } => AgentEvent::CannedDeleted { id },
            Wire::Canned {
                id,
                title: Some(title),
                body: Some(body),
                deleted: false,
            } => AgentEvent::Canned { id, title, body },
            Wire::Canned { .. } => {
                return Err("a canned response without its title or text".to_owned());
            }
            Wire::Status {
                customer,
                phone_number_id,
                status,
                snooze_until,
            } => AgentEvent::Status {
                customer,
                phone_number_id,
                status,
                // Only a snooze has an end.
                snooze_until: snooze_until.filter(|_| status == ConversationStatus::Snoozed),
            },
            Wire::ContactName { customer, name } => AgentEvent::ContactName { customer, name },
            Wire::ContactField {
                id,
                label,
                kind,
                options,
            } => AgentEvent::ContactField {
                id,
                label,
                kind,
                options,
            },
            Wire::ContactFieldRemoved { id } => AgentEvent::ContactFieldRemoved { id },
            Wire::ContactValue {
                customer,
                field,
                value,
            } => AgentEvent::ContactValue {
                customer,
                field,
                value,
            },
            Wire::MarketingOptIn { customer, source } => {
                AgentEvent::MarketingOptIn { customer, source }
            }
            Wire::Block {
                customer,
                phone_number_id,
                blocked,
            } => AgentEvent::Block {
                customer,
                phone_number_id,
                blocked,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_kind_round_trips_with_its_version() {
        let events = [
            AgentEvent::Assign {
                customer: "+34600000001".into(),
                phone_number_id: "pn".into(),
                assignee: Some("ana".into()),
            },
            AgentEvent::Assign {
                customer: "US.123".into(),
                phone_number_id: "pn".into(),
                assignee: None,
            },
            AgentEvent::Note {
                id: "n1".into(),
                customer: "+34600000001".into(),
                phone_number_id: "pn".into(),
                body: "Call after 5".into(),
            },
            AgentEvent::Label {
                customer: "+34600000001".into(),
                phone_number_id: "pn".into(),
                label: "vip".into(),
                on: false,
            },
            AgentEvent::Canned {
                id: "c1".into(),
                title: "Hours".into(),
                body: "9 to 6".into(),
            },
            AgentEvent::CannedDeleted { id: "c1".into() },
            AgentEvent::Status {
                customer: "+34600000001".into(),
                phone_number_id: "pn".into(),
                status: ConversationStatus::Snoozed,
                snooze_until: Some(1_800_000_000),
            },
            AgentEvent::Status {
                customer: "US.123".into(),
                phone_number_id: "pn".into(),
                status: ConversationStatus::Resolved,
                snooze_until: None,
            },
            AgentEvent::ContactName {
                customer: "+34600000001".into(),
                name: Some("Ana (VIP)".into()),
            },
            AgentEvent::ContactField {
                id: "f1".into(),
                label: "plan".into(),
                kind: FieldKind::Choice,
                options: vec!["basic".into(), "pro".into()],
            },
            AgentEvent::ContactField {
                id: "f2".into(),
                label: "birthday".into(),
                kind: FieldKind::Date,
                options: vec![],
            },
            AgentEvent::ContactFieldRemoved { id: "f1".into() },
            AgentEvent::ContactValue {
                customer: "+34600000001".into(),
                field: "f2".into(),
                value: None,
            },
            AgentEvent::MarketingOptIn {
                customer: "+34600000001".into(),
                source: "web form".into(),
            },
            AgentEvent::Block {
                customer: "+34600000001".into(),
                phone_number_id: "pn".into(),
                blocked: true,
            },
        ];
        for e in events {
            let payload = e.to_payload();
            assert_eq!(payload["v"], 1, "{payload}");
            assert_eq!(AgentEvent::from_payload(&payload), Ok(e));
        }
    }

    #[test]
    fn events_written_before_the_vocabulary_was_typed_still_read() {
        let old = [
            json!({"type":"assign","customer":"+1","phone_number_id":"pn","assignee":null}),
            json!({"type":"canned","id":"c2","deleted":true}),
            json!({"type":"canned","id":"c1","title":"Hours","body":"9 to 6"}),
            json!({"type":"outbound","wamid":"wamid.1","to":"+1","phone_number_id":"pn",
                   "body":"hi","sent_at":5,"status":"accepted","reply_to":null}),
        ];
        let read: Vec<AgentEvent> = old
            .iter()
            .map(|p| AgentEvent::from_payload(p).unwrap())
            .collect();
        assert_eq!(read[1], AgentEvent::CannedDeleted { id: "c2".into() });
        assert!(
            matches!(&read[3], AgentEvent::Outbound(r) if r.wamid == "wamid.1" && r.reply_to.is_none())
        );
    }

    #[test]
    fn what_this_version_cannot_read_is_refused_with_a_reason() {
        let newer =
            json!({"type":"assign","v":2,"customer":"+1","phone_number_id":"pn","assignee":null});
        assert!(
            AgentEvent::from_payload(&newer)
                .unwrap_err()
                .contains("version 2")
        );
        let unknown = json!({"type":"status","customer":"+1","phone_number_id":"pn"});
        let closed =
            json!({"type":"status","customer":"+1","phone_number_id":"pn","status":"closed"});
        assert!(AgentEvent::from_payload(&closed).is_err());
        assert!(AgentEvent::from_payload(&unknown).is_err());
        let mistyped =
            json!({"type":"label","customer":"+1","phone_number_id":"pn","label":7,"on":true});
        assert!(AgentEvent::from_payload(&mistyped).is_err());
        let kindless = json!({"type":"contact_field","id":"f1","label":"plan","kind":"colour"});
        assert!(AgentEvent::from_payload(&kindless).is_err());
        let half = json!({"type":"canned","id":"c1","title":"Hours"});
        assert!(AgentEvent::from_payload(&half).is_err());
    }
}
