//! Statuses of outbound messages (`value.statuses[]`).
//!
//! Statuses may be skipped and may arrive out of order; deciding which one
//! wins is the desktop core's business. This module only reads them.

use serde::{Deserialize, Deserializer, Serialize};

use super::{ErrorDetail, Timestamp, Wamid, lenient};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// The outbound message this status is about.
    pub id: Wamid,
    pub status: StatusKind,
    pub timestamp: Timestamp,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub recipient_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub recipient_user_id: Option<String>,
    /// What the sender put in `biz_opaque_callback_data` (Hourglass: its outbox id).
    #[serde(default)]
    pub biz_opaque_callback_data: Option<String>,
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Omitted from v24.0 except in free-entry-point windows.
    #[serde(default)]
    pub conversation: Option<Conversation>,
    #[serde(default)]
    pub errors: Vec<ErrorDetail>,
}

/// `sent`, `delivered`, `read`, `played`, `failed`; anything else is kept by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum StatusKind {
    Sent,
    Delivered,
    Read,
    Played,
    Failed,
    Other(String),
}

impl StatusKind {
    pub fn as_str(&self) -> &str {
        match self {
            StatusKind::Sent => "sent",
            StatusKind::Delivered => "delivered",
            StatusKind::Read => "read",
            StatusKind::Played => "played",
            StatusKind::Failed => "failed",
            StatusKind::Other(s) => s,
        }
    }
}

impl From<&str> for StatusKind {
    fn from(s: &str) -> Self {
        match s {
            "sent" => StatusKind::Sent,
            "delivered" => StatusKind::Delivered,
            "read" => StatusKind::Read,
            "played" => StatusKind::Played,
            "failed" => StatusKind::Failed,
            other => StatusKind::Other(other.to_owned()),
        }
    }
}

impl From<StatusKind> for String {
    fn from(k: StatusKind) -> Self {
        k.as_str().to_owned()
    }
}

impl<'de> Deserialize<'de> for StatusKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(StatusKind::from(s.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pricing {
    #[serde(default)]
    pub billable: Option<bool>,
    /// `PMP` (per-message pricing) since July 2025; `CBP` before.
    #[serde(default)]
    pub pricing_model: Option<String>,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `marketing`, `utility`, `authentication`, `service`, `referral_conversion`.
    #[serde(default)]
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Conversation {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub expiration_timestamp: Option<Timestamp>,
    #[serde(default)]
    pub origin: Option<ConversationOrigin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConversationOrigin {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}
