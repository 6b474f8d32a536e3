//! The nouns of the inbox as the UI sees them. These types cross the IPC
//! boundary; their TypeScript twins in `ui/src/bindings/` are generated from
//! here by `cargo test` and committed.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(transparent)]
        #[ts(export, type = "number")]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                i64::column_result(value).map($name)
            }
        }
    };
}

id_type!(
    /// A row of the local `contacts` table.
    ContactId
);
id_type!(
    /// A row of the local `conversations` table.
    ConversationId
);
id_type!(
    /// A row of the local `messages` table (not Meta's `wamid`).
    MessageId
);

/// Who wrote a message: the customer (`inbound`) or the business (`outbound`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "inbound" => Some(Direction::Inbound),
            "outbound" => Some(Direction::Outbound),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    pub id: ContactId,
    /// E.164, e.g. `+16505551234`; absent for users who hide their number.
    pub phone: Option<String>,
    /// Meta's business-scoped user id, e.g. `US.13491208655302741918`.
    pub user_id: Option<String>,
    /// The WhatsApp profile name, as the customer set it.
    pub name: Option<String>,
}

impl Contact {
    /// What the inbox calls this person: their profile name, else their
    /// number, else their user id.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| self.phone.clone())
            .or_else(|| self.user_id.clone())
            .unwrap_or_default()
    }
}

/// One row of the conversation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub contact: Contact,
    pub display_name: String,
    /// The business phone number id this conversation runs on.
    pub phone_number_id: String,
    /// A one-line preview of the newest message.
    pub last_preview: String,
    pub last_direction: Option<Direction>,
    /// Meta timestamp (Unix seconds) of the newest message.
    #[ts(type = "number")]
    pub last_activity_at: i64,
    /// Meta timestamp (Unix seconds) of the customer's newest message.
    #[ts(type = "number | null")]
    pub last_inbound_at: Option<i64>,
    pub unread_count: u32,
}

/// One message of a chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Message {
    pub id: MessageId,
    pub wamid: String,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    /// Meta's message `type`: `text`, `image`, `location`, …
    pub kind: String,
    /// The text, caption, or a one-line description of other content.
    pub body: String,
    /// Meta timestamp, Unix seconds.
    #[ts(type = "number")]
    pub sent_at: i64,
    /// For outbound messages: `sent`, `delivered`, `read`, `failed`, …
    pub status: Option<String>,
    /// The `wamid` this message replies to.
    pub reply_to_wamid: Option<String>,
}
