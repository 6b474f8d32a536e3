//! Lead attribution in the store (migration 0004): which conversation a
//! lead started, from what source, and when the business first replied.
//!
//! Decisions taken here:
//! - A contact is new, and its message a lead, when that message is the
//!   first the store holds for the contact in any conversation, inbound or
//!   outbound. A customer we wrote to first (a template) is known; one who
//!   only reacted so far is still new.
//! - The lead is recorded once per conversation and never re-attributed:
//!   the first source wins, even if the pattern changes later.
//! - `first_reply_at` is kept by [`Writer::insert_message`] itself (the
//!   conversation update it already makes), so every path that files an
//!   outbound message (sync, outbox) keeps it without a second statement.

use super::Writer;
use crate::error::Result;
use crate::inbox::{ContactId, ConversationId, LeadInfo, MessageId};
use crate::lead::LeadSource;
use rusqlite::params;

impl Writer<'_> {
    /// Whether the store holds a message of `contact` other than `except`.
    pub fn contact_has_other_messages(
        &self,
        contact: ContactId,
        except: MessageId,
    ) -> Result<bool> {
        Ok(self
            .prepared(
                "SELECT EXISTS (SELECT 1 FROM conversations cv JOIN messages m
                                  ON m.conversation_id = cv.id
                                WHERE cv.contact_id = ?1 AND m.id <> ?2)",
            )?
            .query_row(params![contact, except], |r| r.get(0))?)
    }

    /// Marks `conversation` as started by a lead at Meta time `at`, unless
    /// it already is. Returns whether it was marked now.
    pub fn record_lead(
        &self,
        conversation: ConversationId,
        source: Option<&LeadSource>,
        at: i64,
    ) -> Result<bool> {
        let source = source
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let changed = self
            .prepared(
                "UPDATE conversations SET lead_source = ?2, lead_at = ?3,
                     first_reply_at = (SELECT MIN(sent_at) FROM messages
                                       WHERE conversation_id = ?1 AND direction = 'outbound'
                                         AND sent_at >= ?3)
                 WHERE id = ?1 AND lead_at IS NULL",
            )?
            .execute(params![conversation, source, at])?;
        Ok(changed > 0)
    }
}

/// The lead of a conversation row from its three 0004 columns; `None` when
/// it was not started by a lead. A source this build cannot read (written
/// by a newer one) is shown as unknown rather than failing the list.
pub(crate) fn lead_info(
    source: Option<String>,
    at: Option<i64>,
    first_reply_at: Option<i64>,
) -> Option<LeadInfo> {
    Some(LeadInfo {
        source: source.and_then(|s| serde_json::from_str(&s).ok()),
        at: at?,
        first_reply_at,
    })
}
