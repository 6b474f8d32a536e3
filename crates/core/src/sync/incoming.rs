//! Messages a batch filed for the first time, as notifications need them,
//! and lead detection on the way in.
//!
//! Decisions taken here:
//! - Only messages the store did not have are listed. A message whose
//!   `wamid` was already stored (a replay of the relay's log, e.g. a second
//!   engine or a reset cursor on the same store) is left out, which is what
//!   the notification policy does with a replay; so every listed item
//!   converts with `replay: false`.
//! - Catch-up is not a replay: leads that arrived while the app was offline
//!   are listed like live ones, and the policy folds a burst into a summary.
//! - The partner-code pattern is read from the store's settings once per
//!   batch that has a lead ([`crate::store::Store::lead_code_pattern`]), so
//!   a change in the window applies to the engine's next batch.
//! - The text searched for a partner code is the message text or a media
//!   caption; a button or list reply's title counts too (a customer may pick
//!   a code-bearing option), other kinds have none.

use super::plan::PlannedMessage;
use crate::error::Result;
use crate::inbox::{
    ContactId, ConversationId, Direction, Incoming, MessageContent, MessageId, preview,
};
use crate::lead::{self, LeadCodePattern, LeadSource};
use crate::store::Writer;
use hourglass_whatsapp::webhook::Referral;
use serde::Serialize;
use std::collections::HashSet;
use ts_rs::TS;

/// A message filed for the first time in this batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct IncomingMessage {
    pub message_id: MessageId,
    pub conversation_id: ConversationId,
    /// The contact's display name (profile name, else number, else user id).
    pub contact: String,
    /// One line of the message (text, caption or a stand-in such as "📷 Photo").
    pub preview: String,
    /// Meta timestamp (Unix seconds).
    #[ts(type = "number")]
    pub sent_at: i64,
    /// The contact's first message in the store: a lead.
    pub is_new_contact: bool,
    /// Where the lead came from, when this message is a lead with a source.
    pub lead: Option<LeadSource>,
    /// Sent by the business (this app, another agent, or the phone).
    pub from_us: bool,
    /// The agent the conversation was assigned to once the batch was filed
    /// (an assignment in the same batch counts); `None` when unassigned.
    pub assignee: Option<String>,
    /// A call from the customer that nobody answered.
    pub missed_call: bool,
}

impl IncomingMessage {
    /// What the notification policy takes, for the agent named `me` on the
    /// relay (`None` while that name is not known: nothing is mine). The
    /// message is in one of my chats when the store has the conversation
    /// assigned to `me`.
    pub fn to_notification(&self, me: Option<&str>) -> Incoming {
        Incoming {
            conversation_id: self.conversation_id,
            contact: self.contact.clone(),
            preview: self.preview.clone(),
            lead: self.lead.clone(),
            is_new_contact: self.is_new_contact,
            from_us: self.from_us,
            replay: false,
            mine: self.is_assigned_to(me),
            missed_call: self.missed_call,
        }
    }

    /// Whether the conversation is assigned to the agent named `me`.
    pub fn is_assigned_to(&self, me: Option<&str>) -> bool {
        matches!((self.assignee.as_deref(), me), (Some(a), Some(me)) if a == me)
    }
}

/// An [`IncomingMessage`] before the contact's name is read back
/// ([`super::inbox_change`] fills it from the conversation row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub message_id: MessageId,
    pub conversation_id: ConversationId,
    pub preview: String,
    pub sent_at: i64,
    pub is_new_contact: bool,
    pub lead: Option<LeadSource>,
    pub from_us: bool,
    pub missed_call: bool,
}

impl Arrival {
    pub fn into_incoming(self, contact: String, assignee: Option<String>) -> IncomingMessage {
        IncomingMessage {
            message_id: self.message_id,
            conversation_id: self.conversation_id,
            contact,
            preview: self.preview,
            sent_at: self.sent_at,
            is_new_contact: self.is_new_contact,
            lead: self.lead,
            from_us: self.from_us,
            assignee,
            missed_call: self.missed_call,
        }
    }
}

/// What lead detection remembers within one batch.
#[derive(Debug, Default)]
pub(crate) struct Leads {
    /// Contacts known to have a message: none of their messages is a lead.
    known: HashSet<ContactId>,
    pattern: Option<LeadCodePattern>,
}

impl Leads {
    /// Forgets what a rolled-back savepoint may have undone.
    pub(crate) fn clear(&mut self) {
        self.known.clear();
    }

    /// Files what a newly stored message means: a lead when it is the
    /// contact's first, with its source recorded on the conversation.
    pub(crate) fn arrived(
        &mut self,
        w: &Writer<'_>,
        contact: ContactId,
        conversation: ConversationId,
        id: MessageId,
        m: &PlannedMessage,
    ) -> Result<Arrival> {
        let inbound = m.direction == Direction::Inbound;
        let is_new_contact = inbound
            && !self.known.contains(&contact)
            && !w.contact_has_other_messages(contact, id)?;
        self.known.insert(contact);
        let mut source = None;
        if is_new_contact {
            if self.pattern.is_none() {
                self.pattern = Some(w.lead_code_pattern()?);
            }
            let referral = m
                .referral
                .as_deref()
                .and_then(|r| serde_json::from_str::<Referral>(r).ok());
            source = lead::detect(
                lead_text(&m.content),
                referral.as_ref(),
                self.pattern.get_or_insert_with(LeadCodePattern::default),
            );
            w.record_lead(conversation, source.as_ref(), m.sent_at)?;
        }
        Ok(Arrival {
            message_id: id,
            conversation_id: conversation,
            preview: preview(&m.body),
            sent_at: m.sent_at,
            is_new_contact,
            lead: source,
            from_us: !inbound,
            missed_call: matches!(
                m.content,
                MessageContent::Call {
                    missed: true,
                    from_customer: true,
                    ..
                }
            ),
        })
    }
}

fn lead_text(content: &MessageContent) -> Option<&str> {
    match content {
        MessageContent::Text { body } => Some(body),
        MessageContent::Media(media) => media.caption.as_deref(),
        MessageContent::Reply { title, .. } => Some(title),
        _ => None,
    }
}
