//! Meta's typing indicator to the customer: while an agent writes a reply
//! in an open window, the customer sees "typing…" (and their newest message
//! turns read, since the indicator is sent with a read receipt for it).
//!
//! Decisions:
//! - At most one indicator per conversation every [`TYPING_EVERY`]: Meta
//!   shows it for up to 25 s or until the reply arrives, so one every 20 s
//!   keeps it up while the agent writes, without a request per keystroke.
//! - Only while the service window is open, for the customer's newest
//!   message: outside the window there is nothing to answer with free text.
//! - The agent can turn it off ([`SETTING_KEY`], on by default); then
//!   nothing is sent, read receipts included.
//! - Best effort: a failure is reported to the caller to log, never retried
//!   (the next keystrokes after [`TYPING_EVERY`] try again).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rusqlite::OptionalExtension;

use crate::error::Result;
use crate::graph::{GraphClient, GraphError};
use crate::inbox::ConversationId;
use crate::store::Store;

/// The shortest time between two indicators in one conversation.
pub const TYPING_EVERY: Duration = Duration::from_secs(20);

/// The profile setting that turns the indicator on or off (a JSON bool;
/// missing means on).
pub const SETTING_KEY: &str = "typing_indicator";

/// Whether to show the indicator now, decided under the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypingDecision {
    /// Send it for the customer's newest message, this wamid.
    Send(String),
    /// One was sent less than [`TYPING_EVERY`] ago.
    TooSoon,
    /// The customer has not written, or their window has closed.
    WindowClosed,
    /// The agent turned the indicator off.
    Off,
}

/// What [`TypingIndicators::typing`] did.
#[derive(Debug)]
pub enum TypingOutcome {
    Decided(TypingDecision),
    /// Meta took the indicator (and the read receipt) for this message.
    Sent {
        wamid: String,
    },
    Failed(GraphError),
}

/// When each conversation last had an indicator; shared by the session.
#[derive(Debug, Default)]
pub struct TypingIndicators {
    last: Mutex<HashMap<ConversationId, Instant>>,
}

impl TypingIndicators {
    /// Claims the right to send for `conversation` at `now`: false when one
    /// was sent (or is being sent) less than [`TYPING_EVERY`] ago.
    pub fn claim(&self, conversation: ConversationId, now: Instant) -> bool {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if last
            .get(&conversation)
            .is_some_and(|at| now.saturating_duration_since(*at) < TYPING_EVERY)
        {
            return false;
        }
        // Bounded: entries older than the interval decide nothing.
        last.retain(|_, at| now.saturating_duration_since(*at) < TYPING_EVERY);
        last.insert(conversation, now);
        true
    }

    /// Decides whether the agent typing in `conversation` at `now_s` (Unix
    /// seconds) shows the customer the indicator: the setting is on, the
    /// window is open, and none was sent in the last [`TYPING_EVERY`]. A
    /// `Send` claims the interval. Holds no lock across I/O: the caller
    /// sends with [`GraphClient::typing`].
    pub fn decide(
        &self,
        store: &Store,
        conversation: ConversationId,
        now_s: i64,
    ) -> Result<TypingDecision> {
        if !store.typing_indicator_on()? {
            return Ok(TypingDecision::Off);
        }
        let Some((wamid, sent_at)) = store.newest_inbound(conversation)? else {
            return Ok(TypingDecision::WindowClosed);
        };
        if !hourglass_whatsapp::window::service_window(Some(sent_at), now_s).is_open() {
            return Ok(TypingDecision::WindowClosed);
        }
        if !self.claim(conversation, Instant::now()) {
            return Ok(TypingDecision::TooSoon);
        }
        Ok(TypingDecision::Send(wamid))
    }

    /// [`decide`](Self::decide), then send when it says so.
    pub async fn typing(
        &self,
        graph: &GraphClient,
        store: &Store,
        conversation: ConversationId,
        now_s: i64,
    ) -> Result<TypingOutcome> {
        Ok(match self.decide(store, conversation, now_s)? {
            TypingDecision::Send(wamid) => match graph.typing(&wamid).await {
                Ok(()) => TypingOutcome::Sent { wamid },
                Err(e) => TypingOutcome::Failed(e),
            },
            other => TypingOutcome::Decided(other),
        })
    }
}

impl Store {
    /// The customer's newest message in a conversation: its wamid and Meta
    /// timestamp (Unix seconds).
    pub fn newest_inbound(&self, conversation: ConversationId) -> Result<Option<(String, i64)>> {
        self.with_connection(|c| {
            Ok(c.prepare_cached(
                "SELECT wamid, sent_at FROM messages
                 WHERE conversation_id = ?1 AND direction = 'inbound'
                 ORDER BY sent_at DESC, id DESC LIMIT 1",
            )?
            .query_row([conversation.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
        })
    }

    /// Whether the agent wants the typing indicator sent ([`SETTING_KEY`]).
    pub fn typing_indicator_on(&self) -> Result<bool> {
        Ok(self.setting::<bool>(SETTING_KEY)?.unwrap_or(true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_indicator_per_conversation_every_twenty_seconds() {
        let t = TypingIndicators::default();
        let start = Instant::now();
        let (a, b) = (ConversationId(1), ConversationId(2));
        assert!(t.claim(a, start));
        assert!(!t.claim(a, start + Duration::from_secs(5)));
        assert!(t.claim(b, start + Duration::from_secs(5)), "another chat");
        assert!(!t.claim(a, start + Duration::from_millis(19_999)));
        assert!(t.claim(a, start + TYPING_EVERY));
        assert!(!t.claim(a, start + TYPING_EVERY + Duration::from_secs(1)));
    }
}
