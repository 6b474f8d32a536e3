//! WhatsApp calls (`field: "calls"`) and thread ownership between this app
//! and Meta's business AI agent (`field: "messaging_handovers"`).
//!
//! A call reaches the app as `value.calls[]`: a `connect` event when it
//! rings, and a `terminate` event when it ends, with its `status`
//! (`COMPLETED` or `FAILED`), its `duration` in seconds when it was
//! answered, and its `direction` (`USER_INITIATED` or `BUSINESS_INITIATED`).
//!
//! Decisions where Meta is silent:
//! - A terminated call with a positive `duration` was answered, whatever its
//!   status; one without (or with 0 s) was missed.
//! - A call without `direction` was placed by the customer: only customers
//!   call a number that has no calling integration.
//! - A handover names the new owner's role when Meta sends one
//!   (`new_owner.role`, `new_role`, `current_owner.role`); otherwise
//!   `control_passed` means the thread was passed to this app and
//!   `control_taken` that it was taken from it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::{Contact, Metadata, Timestamp, lenient};

/// `call.event`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEvent {
    Connect,
    Terminate,
    Other(String),
}

/// Who placed a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallDirection {
    /// The customer called the business: this opens the service window.
    UserInitiated,
    BusinessInitiated,
}

/// How a terminated call ended, for the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallOutcome {
    /// Nobody answered (or the call failed before it connected).
    Missed,
    /// Answered; `duration` is in seconds.
    Answered { duration: i64 },
}

/// One element of `value.calls[]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// `wacid.…`, the same on the call's connect and terminate events.
    pub id: String,
    pub event: CallEvent,
    pub direction: CallDirection,
    /// The customer's number when they called, or the business's.
    pub from: Option<String>,
    pub to: Option<String>,
    pub timestamp: Timestamp,
    /// `COMPLETED`, `FAILED`, … as Meta sent it.
    pub status: Option<String>,
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    pub duration: Option<i64>,
}

#[derive(Deserialize)]
struct WireCall {
    #[serde(deserialize_with = "lenient::string")]
    id: String,
    #[serde(default)]
    event: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    from: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    to: Option<String>,
    timestamp: Timestamp,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    start_time: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    end_time: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    duration: Option<i64>,
}

impl Call {
    pub(crate) fn from_value(raw: &Value) -> Result<Self, String> {
        let w = WireCall::deserialize(raw).map_err(|e| format!("call: {e}"))?;
        let event = match w.event.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("connect") => CallEvent::Connect,
            Some("terminate") => CallEvent::Terminate,
            other => CallEvent::Other(other.unwrap_or("").to_owned()),
        };
        let direction = match w
            .direction
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("BUSINESS_INITIATED") => CallDirection::BusinessInitiated,
            _ => CallDirection::UserInitiated,
        };
        Ok(Call {
            id: w.id,
            event,
            direction,
            from: w.from,
            to: w.to,
            timestamp: w.timestamp,
            status: w.status,
            start_time: w.start_time,
            end_time: w.end_time,
            duration: w.duration,
        })
    }

    /// How the call ended; `None` until its `terminate` event.
    pub fn outcome(&self) -> Option<CallOutcome> {
        if self.event != CallEvent::Terminate {
            return None;
        }
        Some(match self.duration {
            Some(d) if d > 0 => CallOutcome::Answered { duration: d },
            _ => CallOutcome::Missed,
        })
    }

    /// The customer's side of the call.
    pub fn customer(&self) -> Option<&str> {
        match self.direction {
            CallDirection::UserInitiated => self.from.as_deref(),
            CallDirection::BusinessInitiated => self.to.as_deref(),
        }
    }

    /// When the call began: its start time, else the event's timestamp.
    pub fn started_at(&self) -> i64 {
        self.start_time.unwrap_or(self.timestamp.0)
    }
}

/// A call event with what is needed to file it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallUpdate {
    pub waba_id: String,
    pub metadata: Metadata,
    pub contact: Option<Contact>,
    pub call: Call,
}

/// Who answers a conversation under Meta's conversation routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ThreadOwner {
    /// Meta's business AI agent answers; this app only listens (standby).
    AiAgent,
    /// This app (its agents) answers.
    App,
}

impl ThreadOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadOwner::AiAgent => "ai_agent",
            ThreadOwner::App => "app",
        }
    }

    pub fn parse(s: &str) -> Option<ThreadOwner> {
        match s {
            "ai_agent" => Some(ThreadOwner::AiAgent),
            "app" => Some(ThreadOwner::App),
            _ => None,
        }
    }
}

/// `field: "messaging_handovers"`: the thread changed owner.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoverUpdate {
    pub waba_id: String,
    pub metadata: Option<Metadata>,
    /// `control_passed` or `control_taken`.
    pub kind: String,
    /// The customer whose thread it is (`wa_id`), when Meta named them.
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub owner: ThreadOwner,
    pub timestamp: Option<Timestamp>,
}

impl HandoverUpdate {
    pub(crate) fn from_value(waba_id: String, value: &Value) -> Result<Self, String> {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .ok_or("messaging_handovers: there is no `type`")?
            .to_owned();
        let inner = value.get(&kind).unwrap_or(&Value::Null);
        let text = |v: Option<&Value>| v.and_then(|v| lenient::string(v.clone()).ok());
        let find = |k: &str| text(inner.get(k)).or_else(|| text(value.get(k)));
        let contact = value
            .get("contacts")
            .and_then(|c| c.get(0))
            .and_then(|c| Contact::deserialize(c).ok())
            .unwrap_or_default();
        let wa_id = find("wa_id")
            .or_else(|| find("recipient_id"))
            .or_else(|| text(inner.pointer("/recipient/wa_id")))
            .or(contact.wa_id);
        let user_id = find("user_id")
            .or_else(|| text(inner.pointer("/recipient/user_id")))
            .or(contact.user_id);
        let named_role = text(inner.pointer("/new_owner/role"))
            .or_else(|| text(inner.pointer("/current_owner/role")))
            .or_else(|| find("new_role"));
        let owner = match (named_role.as_deref(), kind.as_str()) {
            (Some("ai_agent"), _) => ThreadOwner::AiAgent,
            (Some(_), _) => ThreadOwner::App,
            (None, "control_passed") => ThreadOwner::App,
            (None, "control_taken") => ThreadOwner::AiAgent,
            (None, other) => {
                return Err(format!("messaging_handovers: unknown type {other:?}"));
            }
        };
        if wa_id.is_none() && user_id.is_none() {
            return Err("messaging_handovers: no customer is named".to_owned());
        }
        let timestamp = inner
            .get("timestamp")
            .or_else(|| value.get("timestamp"))
            .and_then(|t| Timestamp::deserialize(t).ok());
        Ok(HandoverUpdate {
            waba_id,
            metadata: value
                .get("metadata")
                .and_then(|m| Metadata::deserialize(m).ok()),
            kind,
            wa_id,
            user_id,
            owner,
            timestamp,
        })
    }
}
