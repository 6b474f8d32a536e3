//! `messaging_handovers` events kept for the chat's timeline (migration
//! 0020); who answers now is `conversations.owner`.

use super::{Store, Writer};
use crate::error::Result;
use crate::inbox::{ConversationId, Handover, ThreadOwner};
use rusqlite::params;

impl Writer<'_> {
    /// Keeps a handover; returns whether it is new (a replayed event is not).
    pub(crate) fn record_handover(
        &self,
        conversation: ConversationId,
        owner: ThreadOwner,
        at: i64,
        seq: u64,
    ) -> Result<bool> {
        let added = self
            .prepared(
                "INSERT INTO handovers (conversation_id, owner, at, seq) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![
                conversation,
                owner.as_str(),
                at,
                i64::try_from(seq).unwrap_or(i64::MAX)
            ])?;
        Ok(added > 0)
    }
}

impl Store {
    /// A conversation's handovers, oldest first.
    pub fn handovers(&self, conversation: ConversationId) -> Result<Vec<Handover>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT owner, at FROM handovers WHERE conversation_id = ?1 ORDER BY at, seq",
        )?;
        let rows = stmt.query_map([conversation.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (owner, at) = row?;
            if let Some(owner) = ThreadOwner::parse(&owner) {
                out.push(Handover { owner, at });
            }
        }
        Ok(out)
    }
}
