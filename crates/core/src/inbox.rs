//! The nouns of the inbox as the UI sees them. These types cross the IPC
//! boundary; their TypeScript twins in `ui/src/bindings/` are generated from
//! here by `cargo test` and committed.
//!
//! They are the bottom layer of the core: the outbox's nouns (a send's id,
//! state and bubble info), the sync's (connection state, history gaps),
//! Meta's delivery statuses in their order, and what notifications are
//! made of live here too, so the store builds on them and the workflows
//! (outbox, sync, notifications, …) build on the store, and nothing here
//! imports either.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lead::{LeadSource, ReferralSourceType};
use crate::window::{self, FreeEntryPoint};
pub use hourglass_whatsapp::webhook::ThreadOwner;

mod delivery;
mod notice;
mod outbox;
mod sync;

pub use delivery::{StatusKind, StatusRank, Wamid};
pub use notice::{Incoming, PREVIEW_CHARS, WindowReminder, preview};
pub use outbox::{AttachmentRefusal, OutboxId, OutboxInfo, OutboxState, Unconfirmed};
pub(crate) use outbox::{DISCARDED_TITLE, UNCONFIRMED_TITLE};
pub use sync::{ConnectionState, HistoryGap};

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
    /// The customer's WhatsApp username (without `@`), where Meta sends one.
    #[serde(default)]
    #[ts(optional)]
    pub username: Option<String>,
}

impl Contact {
    /// What the inbox calls this person: their profile name, else their
    /// username, else their number, else their user id.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .or_else(|| self.username.as_ref().map(|u| format!("@{u}")))
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
    /// Who sent the newest message when it is outbound (see
    /// [`Message::sent_by`]); `None` otherwise.
    pub last_sent_by: Option<String>,
    /// Meta timestamp (Unix seconds) of the newest message.
    #[ts(type = "number")]
    pub last_activity_at: i64,
    /// Meta timestamp (Unix seconds) of the customer's newest message or
    /// call (a call is an inbound row of kind `call`): the 24-hour window
    /// runs from it (`window::window_start`).
    #[ts(type = "number | null")]
    pub last_inbound_at: Option<i64>,
    pub unread_count: u32,
    /// Set when the conversation was started by a lead (the contact's first
    /// message): the "Leads" filter and the source in the row and header.
    pub lead: Option<LeadInfo>,
    /// Who answers now under Meta's conversation routing: Meta's business AI
    /// agent or this app; `None` while Meta has said nothing (the app).
    #[ts(optional = nullable)]
    pub owner: Option<ThreadOwner>,
}

/// What Meta reported it charges for a message (the `pricing` of its
/// statuses), shown in the bubble's details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessagePricing {
    pub billable: Option<bool>,
    /// `PMP` (per message) since July 2025.
    pub model: Option<String>,
    /// `regular`, `free_customer_service`, `free_entry_point`.
    #[serde(rename = "type")]
    #[ts(rename = "type")]
    pub kind: Option<String>,
    /// `marketing`, `utility`, `authentication`, `service`, …
    pub category: Option<String>,
}

/// How a conversation's lead came in.
///
/// The free-entry-point state depends on `now`, so it is not stored or
/// sent: [`LeadInfo::free_entry_point`] computes it here (pure), and the UI
/// computes the same from `at` and `first_reply_at` for its live indicator.
/// Only a click-to-WhatsApp *ad* (`source.kind == "ad"` with
/// `source_type == "ad"`) can open one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LeadInfo {
    /// The ad or post the customer came from, or the partner code in their
    /// first message; `None` for a first message with neither.
    pub source: Option<LeadSource>,
    /// Meta timestamp (Unix seconds) of the lead's first message.
    #[ts(type = "number")]
    pub at: i64,
    /// Meta timestamp of the business's first message after the lead.
    #[ts(type = "number | null")]
    pub first_reply_at: Option<i64>,
}

impl LeadInfo {
    /// The lead came from a click-to-WhatsApp ad, so a reply within 24 h
    /// opens the 72 h free entry point.
    pub fn from_ad(&self) -> bool {
        matches!(
            self.source,
            Some(LeadSource::Ad {
                source_type: ReferralSourceType::Ad,
                ..
            })
        )
    }

    /// The free-entry-point indicator at `now` (Unix seconds).
    pub fn free_entry_point(&self, now: i64) -> FreeEntryPoint {
        if !self.from_ad() {
            return FreeEntryPoint::NotApplicable;
        }
        window::free_entry_point(Some(self.at), self.first_reply_at, now)
    }
}

/// One message of a chat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Message {
    pub id: MessageId,
    #[ts(as = "String")]
    pub wamid: Wamid,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    /// Meta's message `type`: `text`, `image`, `location`, …
    pub kind: String,
    /// The text, caption, or a one-line description of other content.
    pub body: String,
    /// Meta timestamp, Unix seconds.
    #[ts(type = "number")]
    pub sent_at: i64,
    /// For outbound messages: `sent`, `delivered`, `read`, `played`,
    /// `failed`. Never moves backwards; `failed` is final.
    pub status: Option<String>,
    /// The `wamid` this message replies to.
    #[ts(as = "Option<String>")]
    pub reply_to_wamid: Option<Wamid>,
    /// What the message holds, typed for rendering.
    pub content: MessageContent,
    /// The message replied to, when it is stored.
    pub quoted: Option<QuotedMessage>,
    /// Current reactions to this message (removed ones are not listed).
    pub reactions: Vec<MessageReaction>,
    /// Why a `failed` message failed.
    pub failure: Option<Failure>,
    /// Meta timestamp of the last edit by its author.
    #[ts(type = "number | null")]
    pub edited_at: Option<i64>,
    /// The author deleted it for everyone; `body` is then empty.
    pub revoked: bool,
    /// Sent from this desktop: the outbox's view (clock, failure reason,
    /// Retry / "Send a template instead"); `None` for everything else.
    pub outbox: Option<OutboxInfo>,
    /// The agent who sent an outbound message, as the relay names them;
    /// `None` for a customer's message and for this desktop's own sends
    /// until their record comes back from the relay.
    pub sent_by: Option<String>,
    /// `ai_agent` for a message Meta's business AI agent handled (it came on
    /// the `standby` field), `business_app` for one the business sent from
    /// the WhatsApp Business app; `None` otherwise.
    #[ts(optional = nullable)]
    pub handled_by: Option<HandledBy>,
    /// What Meta reported it charges for this outbound message.
    #[ts(optional = nullable)]
    pub pricing: Option<MessagePricing>,
}

/// What a message holds. `type` tells the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum MessageContent {
    Text {
        body: String,
    },
    /// Image, video, audio, voice note, document or sticker: shown as a
    /// placeholder; the file downloads on demand through the Graph API with
    /// [`MediaInfo::id`].
    Media(MediaInfo),
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
        url: Option<String>,
        /// A map link for the coordinates.
        map_url: String,
    },
    /// Contact cards the customer shared.
    Contacts {
        cards: Vec<ContactCard>,
    },
    /// A tap on a template quick-reply button (`button`) or an interactive
    /// button/list reply (`button_reply`, `list_reply`).
    Reply {
        source: String,
        id: Option<String>,
        title: String,
        description: Option<String>,
    },
    /// A catalogue order.
    Order {
        text: Option<String>,
        items: u32,
    },
    /// A system notice (number changed, …).
    System {
        body: String,
    },
    /// The customer's answer to a request to call them on WhatsApp.
    CallPermission {
        /// `accept`, `reject`, or Meta's word for an answer not known yet.
        response: String,
        /// The permission does not expire.
        permanent: bool,
        /// Unix seconds a temporary permission ends.
        #[ts(type = "number | null")]
        expires_at: Option<i64>,
    },
    /// A WhatsApp call: missed, or answered with its duration.
    Call {
        /// Nobody answered.
        missed: bool,
        /// Seconds the answered call lasted.
        #[ts(type = "number | null")]
        duration: Option<i64>,
        /// The customer called (`true`) or the business did.
        from_customer: bool,
    },
    /// A message Meta could not give, with Meta's reason (its `errors`).
    MetaError {
        #[ts(type = "number | null")]
        code: Option<i64>,
        title: Option<String>,
        detail: Option<String>,
        /// The kind of Meta's code, worded by the window in its language
        /// (Meta's `title` and `detail` are English); absent for a code
        /// Hourglass does not know, and in messages stored before it was kept.
        #[serde(default)]
        refusal: Option<hourglass_whatsapp::graph_error::Refusal>,
    },
    /// WhatsApp could not deliver this kind to the business (e.g. polls).
    Unsupported {
        kind: Option<String>,
    },
    /// A photo, video, voice note or file of the WhatsApp Business app's
    /// history whose media Meta shares only when it is recent (and then in
    /// a later webhook, which replaces this).
    MediaPlaceholder,
    /// A kind this version does not know; the raw JSON is kept in the store.
    Unknown {
        kind: String,
    },
}

/// One passing of a conversation between Meta's AI agent and the team (a
/// `messaging_handovers` event), as the chat shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Handover {
    /// Who answers from then on.
    pub owner: ThreadOwner,
    /// Meta's time, Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
}

/// Who handled a message on the business's side, when not this app's agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HandledBy {
    /// Meta's business AI agent (the `standby` field).
    AiAgent,
    /// Someone at the business, in the WhatsApp Business app on their phone
    /// (`smb_message_echoes`, or the app's history).
    BusinessApp,
}

impl HandledBy {
    pub fn as_str(self) -> &'static str {
        match self {
            HandledBy::AiAgent => "ai_agent",
            HandledBy::BusinessApp => "business_app",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ai_agent" => Some(HandledBy::AiAgent),
            "business_app" => Some(HandledBy::BusinessApp),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediaInfo {
    /// `image`, `video`, `audio`, `document` or `sticker`.
    pub kind: String,
    /// Meta's media id: `GET /{id}` on the Graph API gives the download URL.
    pub id: String,
    pub mime_type: Option<String>,
    pub sha256: Option<String>,
    pub caption: Option<String>,
    pub filename: Option<String>,
    pub voice: bool,
    pub animated: bool,
    /// Where the file was saved once downloaded (see
    /// `store::Writer::set_media_path`); `None`: not downloaded yet.
    pub local_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContactCard {
    pub name: String,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
    pub organization: Option<String>,
}

/// The message a reply quotes, in short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuotedMessage {
    pub id: MessageId,
    #[ts(as = "String")]
    pub wamid: Wamid,
    pub direction: Direction,
    pub kind: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MessageReaction {
    pub emoji: String,
    /// `inbound`: the customer reacted; `outbound`: the business did.
    pub direction: Direction,
    #[ts(type = "number")]
    pub at: i64,
}

/// Meta's error on a `failed` status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Failure {
    #[ts(type = "number | null")]
    pub code: Option<i64>,
    pub title: Option<String>,
    pub detail: Option<String>,
    /// What `code` means, for the window to word in its language.
    pub refusal: Option<hourglass_whatsapp::graph_error::Refusal>,
}

/// An assignment the sync engine just filed, for the notification policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AssignedChat {
    pub conversation_id: ConversationId,
    /// The contact's display name, or their number when there is none.
    pub contact: String,
    /// Who the conversation is assigned to now; `None`: unassigned.
    pub assignee: Option<String>,
    /// Who assigned it.
    pub by: Option<String>,
    /// When the relay took the assignment (Unix ms).
    #[ts(type = "number")]
    pub at_ms: i64,
}
