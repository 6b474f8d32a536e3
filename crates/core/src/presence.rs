//! Presence and collisions: who else is on a conversation, and whether
//! sending now might answer a customer twice.
//!
//! Presence comes from the relay (`/v1/presence`, in its memory only, each
//! entry expiring by itself); this module turns it into what the chat
//! header shows ([`ConversationPresence`]). A collision ([`collisions`]) is
//! another agent typing in the conversation right now, or another agent's
//! message to the customer in the last [`COLLISION_WINDOW_MS`] — found in
//! the `outbound` agent events that every desktop already syncs, so it
//! holds even when the presence poll is late.
//!
//! Decisions:
//! - The warning asks; it never blocks. Two agents may mean to write (a
//!   hand-over), and the agent who sees the warning decides.
//! - Free-text replies and templates are asked about alike: both reach the
//!   customer. Filling a template's variables counts as typing.
//! - "The last minute" is measured on the relay's clock (when it took the
//!   other agent's event) against this machine's clock; a skew of seconds
//!   shifts the window by as much, which is harmless for a warning.

use std::collections::BTreeSet;

use hourglass_protocol::{PresenceEntry, PresenceState};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::inbox::ConversationId;
use crate::store::Store;

/// How recent another agent's send must be to warn about it.
pub const COLLISION_WINDOW_MS: i64 = 60_000;

/// Other agents in a conversation, for its header (names sorted, this
/// agent never among them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConversationPresence {
    /// Looking at it, not typing.
    pub viewing: Vec<String>,
    /// Writing a reply in it now.
    pub typing: Vec<String>,
}

impl ConversationPresence {
    /// The entries of one conversation as seen by `me`.
    pub fn of_others(entries: &[PresenceEntry], me: &str) -> Self {
        let others = |state: PresenceState| -> BTreeSet<String> {
            entries
                .iter()
                .filter(|e| e.agent != me && e.state == state)
                .map(|e| e.agent.clone())
                .collect()
        };
        let typing = others(PresenceState::Typing);
        let viewing = others(PresenceState::Viewing)
            .difference(&typing)
            .cloned()
            .collect();
        ConversationPresence {
            viewing,
            typing: typing.into_iter().collect(),
        }
    }
}

/// Why sending now might answer the customer twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Collision {
    /// `agent` is typing in this conversation right now.
    Typing { agent: String },
    /// `agent` sent the customer a message `seconds_ago`.
    Sent { agent: String, seconds_ago: u32 },
}

impl Store {
    /// Messages other agents sent in a conversation since `since_ms` (relay
    /// time), newest first: `(agent, when the relay took it)`.
    pub fn recent_sends_by_others(
        &self,
        conversation: ConversationId,
        me: &str,
        since_ms: i64,
    ) -> Result<Vec<(String, i64)>> {
        self.with_connection(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT ae.agent, ae.received_at_ms
                 FROM agent_events ae
                 JOIN messages m ON m.wamid = json_extract(ae.payload, '$.wamid')
                 WHERE ae.received_at_ms >= ?3
                   AND json_valid(ae.payload)
                   AND json_extract(ae.payload, '$.type') = 'outbound'
                   AND ae.agent IS NOT NULL AND ae.agent <> ?2
                   AND m.conversation_id = ?1
                 ORDER BY ae.received_at_ms DESC",
            )?;
            let rows = stmt.query_map(params![conversation, me, since_ms], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

/// What to warn `me` about before sending in `conversation` at `now_ms`:
/// everyone typing, then each other agent's latest send within the window.
pub fn collisions(
    store: &Store,
    conversation: ConversationId,
    me: &str,
    presence: &ConversationPresence,
    now_ms: i64,
) -> Result<Vec<Collision>> {
    let mut out: Vec<Collision> = presence
        .typing
        .iter()
        .map(|agent| Collision::Typing {
            agent: agent.clone(),
        })
        .collect();
    let mut seen = BTreeSet::new();
    for (agent, at_ms) in
        store.recent_sends_by_others(conversation, me, now_ms - COLLISION_WINDOW_MS)?
    {
        if seen.insert(agent.clone()) {
            let seconds_ago = u32::try_from((now_ms - at_ms).max(0) / 1_000).unwrap_or(u32::MAX);
            out.push(Collision::Sent { agent, seconds_ago });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(agent: &str, state: PresenceState) -> PresenceEntry {
        PresenceEntry {
            agent: agent.into(),
            customer: "+1".into(),
            phone_number_id: "pn".into(),
            state,
            expires_in_ms: 1_000,
        }
    }

    #[test]
    fn others_are_viewing_or_typing_never_both_and_never_me() {
        let p = ConversationPresence::of_others(
            &[
                entry("me", PresenceState::Typing),
                entry("maria", PresenceState::Viewing),
                entry("maria", PresenceState::Typing),
                entry("bob", PresenceState::Viewing),
            ],
            "me",
        );
        assert_eq!(p.viewing, vec!["bob".to_owned()]);
        assert_eq!(p.typing, vec!["maria".to_owned()]);
    }
}
