//! The sync engine: makes the local store hold exactly what the relay holds
//! (nothing lost, nothing twice, in order) and tells the window what changed.
//!
//! On start and after every reconnect it pages through
//! `GET /v1/events?after=<cursor>` (fetching and planning the next page while
//! the current one is applied), then follows `GET /v1/stream?after=<cursor>`,
//! applying whatever arrived as soon as the previous commit is done. Every batch
//! of events is applied **together with the new cursor** in one SQLite
//! transaction, so a crash at any point resumes from the cursor without gaps
//! or repeats; applying is idempotent anyway (messages unique by wamid,
//! statuses unique by (wamid, status), …).
//!
//! Layers, each testable alone:
//! - [`plan`]: pure, events → [`plan::Op`]s (webhook parsing, rendering of
//!   every message type, contact identity);
//! - [`apply`]: ops → store rows inside the caller's transaction;
//! - [`engine`]: the I/O — the relay through [`crate::relay::RelayClient`]
//!   (pages, the SSE stream), back-off, connection state.
//!
//! For the desktop: open a second [`Store`] on the same file for the engine
//! (WAL lets the window's connection read while the engine commits; the
//! engine holds its lock only for the short apply transaction), then
//! [`spawn`] it and forward [`SyncHandle::subscribe`]'s [`SyncUpdate`]s to the
//! window as typed events. [`InboxChange`] carries the rows to replace in
//! place; [`ConnectionState`] is what to show unobtrusively.
//!
//! Decisions taken here:
//! - Reactions are not messages: they attach to the message they react to
//!   (one per side; a removal removes), and are kept even when that message
//!   is not stored yet.
//! - Statuses never move backwards (`sent < delivered < read < played`);
//!   `failed` is final and wins. A status for an unknown wamid waits in
//!   `message_statuses` and applies when the message appears.
//! - An event that cannot become inbox rows (malformed body, unknown field,
//!   Meta error, a number that does not parse) is kept in `flagged_events`
//!   and the sync goes on; only a failing database stops a batch.
//! - A panic while planning or applying (a bug) must not stop the sync for
//!   good, as retrying the same batch would panic again: a batch that
//!   panics is rolled back and applied again event by event, each one that
//!   panics is kept flagged `panicked` ([`PANICKED`]) and the cursor moves
//!   past it. [`InboxChange::unapplied`] tells the window.
//! - Nothing the relay sends is held without a bound: a catch-up page past
//!   [`SyncConfig::max_page_bytes`] and a stream line past
//!   [`SyncConfig::max_line_bytes`] are refused as they arrive (the attempt
//!   fails with that reason and is retried with back-off).
//! - A relay with retention answers 410 `history_pruned` to a cursor older
//!   than its oldest kept event. The engine keeps the gap
//!   ([`Store::history_gaps`]), moves the cursor to the horizon in the same
//!   transaction, goes on from there, and sends
//!   [`SyncUpdate::HistoryPruned`] so the window says what is missing
//!   rather than missing it silently.
//! - A relay that shuts down sends a last `event: going_away` frame; the
//!   engine reconnects at once from its cursor (to the next relay behind
//!   the same address), without a back-off, at most once a second.
//! - Back-off is exponential with "equal jitter" (half fixed, half random),
//!   capped; after [`SyncConfig::offline_after`] failed attempts the state
//!   says `offline` with the time the trouble started.
//! - Throughput (figures in `docs/performance.md`): pages are planned from
//!   their JSON text ([`plan::plan_page`]), a run of messages updates each
//!   conversation's summary once per batch, and a backlog of more than a page
//!   is written with fewer WAL checkpoints. The phone-number metadata is
//!   loaded as the engine starts, not by the first message.
//! - A contact's first stored message is a lead: its source (referral or
//!   partner code, [`crate::lead::detect`]) goes on the conversation as it
//!   is filed, and [`InboxChange::incoming`] lists every message new to the
//!   store for notifications (see [`incoming`]).

pub mod apply;
pub mod engine;
pub mod incoming;
pub mod plan;
pub mod render;

pub use apply::{Applied, AssignmentArrival, apply_events};
pub use engine::{SyncHandle, run, spawn, spawn_with};
pub use incoming::IncomingMessage;

pub use crate::inbox::{ConnectionState, HistoryGap};
pub use crate::store::SharedStore;

use crate::error::Result;
use crate::inbox::{AssignedChat, ConversationId, ConversationSummary, Message, MessageId};
use crate::secrets::Secret;
use crate::store::Store;
use serde::Serialize;
use std::time::Duration;
use ts_rs::TS;

/// The kind of a flagged event whose planning or applying panicked.
pub const PANICKED: &str = "panicked";

/// The text of a caught panic.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Test hook: makes the engine fail as a bug would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncFault {
    /// Applying the event with this `seq` panics (inside its transaction).
    PanicApplying { seq: u64 },
}

/// How the engine reaches the relay.
#[derive(Debug, Clone)]
pub struct SyncConfig {
    /// `http://host:port` of the relay, without a trailing slash.
    pub relay_url: String,
    /// Prints as `***`.
    pub agent_token: Secret,
    /// Under which name the store keeps this relay's cursor; defaults to
    /// `relay_url`. Set it when the same log may be reached by other URLs.
    pub cursor_key: Option<String>,
    /// Events per catch-up page (the relay caps it at 5,000).
    pub page_size: u32,
    pub backoff: Backoff,
    /// Failed attempts in a row after which the state is `offline`.
    pub offline_after: u32,
    /// No byte (not even a heartbeat) on the stream for this long means the
    /// connection is dead. The relay sends heartbeats every 15 s by default.
    pub stream_idle_timeout: Duration,
    pub connect_timeout: Duration,
    /// Which proxy the relay is reached through ([`crate::relay::route`]).
    pub proxy: crate::relay::ProxyPolicy,
    /// Timeout of one catch-up page request.
    pub page_timeout: Duration,
    /// An [`InboxChange`] lists at most this many messages; past it,
    /// `messages_truncated` tells the window to reload the open chat.
    pub max_messages_per_update: usize,
    /// The largest `GET /v1/events` answer taken, in bytes; a larger one is
    /// refused as it arrives, never buffered whole.
    pub max_page_bytes: usize,
    /// The longest line of the live stream taken, in bytes (one event's JSON
    /// is one line); a longer one breaks the connection.
    pub max_line_bytes: usize,
    /// Test hook: see [`SyncFault`].
    pub fault: Option<SyncFault>,
}

/// Capped exponential back-off between reconnect attempts.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
}

impl Backoff {
    /// The wait before attempt `attempt` (1-based): `initial·2^(attempt-1)`
    /// capped at `max`, of which a random half is dropped (`jitter` in
    /// `[0, 1)`), so many clients never retry in step.
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = self
            .initial
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1).min(20)));
        let capped = exp.min(self.max);
        capped.mul_f64(1.0 - jitter.clamp(0.0, 1.0) / 2.0)
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            initial: Duration::from_millis(250),
            max: Duration::from_secs(30),
        }
    }
}

impl SyncConfig {
    pub fn new(relay_url: impl Into<String>, agent_token: impl Into<Secret>) -> Self {
        SyncConfig {
            relay_url: relay_url.into().trim_end_matches('/').to_owned(),
            agent_token: agent_token.into(),
            cursor_key: None,
            page_size: hourglass_protocol::MAX_PAGE,
            backoff: Backoff::default(),
            offline_after: 3,
            stream_idle_timeout: Duration::from_secs(45),
            connect_timeout: Duration::from_secs(10),
            proxy: crate::relay::ProxyPolicy::System,
            page_timeout: Duration::from_secs(60),
            max_messages_per_update: 2_000,
            max_page_bytes: hourglass_protocol::MAX_PAGE_RESPONSE_BYTES,
            max_line_bytes: hourglass_protocol::MAX_EVENT_BYTES,
            fault: None,
        }
    }

    /// How the engine's own relay client connects (see [`spawn`]).
    pub fn relay_options(&self) -> crate::relay::RelayOptions {
        crate::relay::RelayOptions {
            proxy: self.proxy.clone(),
            connect_timeout: self.connect_timeout,
            ..crate::relay::RelayOptions::default()
        }
    }

    /// The key of this relay's cursor in the store.
    pub fn cursor_key(&self) -> &str {
        self.cursor_key.as_deref().unwrap_or(&self.relay_url)
    }
}

/// What changed in the store after one committed batch: the rows to
/// replace in place (upsert by `id`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct InboxChange {
    /// The relay cursor this store is now complete up to.
    #[ts(type = "number")]
    pub cursor: u64,
    /// True while catching up on old events (no sound). Notifications come
    /// from `incoming`, which holds catch-up leads too.
    pub replay: bool,
    /// The changed conversations as they now are.
    pub conversations: Vec<ConversationSummary>,
    /// New or changed messages (status, reactions, edits), as they now are.
    pub messages: Vec<Message>,
    /// Too many messages changed to list: reload the open chat.
    pub messages_truncated: bool,
    /// How many messages were stored for the first time.
    #[ts(type = "number")]
    pub new_messages: u64,
    /// Template statuses changed: reload the template list.
    pub templates_changed: bool,
    /// The account's health changed: reload the health panel and banner,
    /// and read the number's rating again.
    pub health_changed: bool,
    /// Events kept flagged in this batch (malformed, unknown, unapplied).
    #[ts(type = "number")]
    pub flagged: u64,
    /// Of those, events that could not be applied (a failure or a bug while
    /// applying them): the window says they were kept for diagnosis.
    #[ts(type = "number")]
    pub unapplied: u64,
    /// Messages stored for the first time in this batch, in log order, for
    /// the notification policy (`IncomingMessage::to_notification` each); replays of stored
    /// messages are not listed.
    pub incoming: Vec<IncomingMessage>,
    /// Assignments filed in this batch for conversations this store has, in
    /// log order, for the notification policy
    /// ([`NotificationPolicy::assigned`](crate::notification::NotificationPolicy::assigned)).
    pub assigned: Vec<AssignedChat>,
    /// Conversations merged into another (a customer seen under two ids
    /// turned out to be one person) and gone: drop their rows. The messages
    /// are in one of `conversations`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ConversationId>>", optional)]
    pub removed: Vec<ConversationId>,
}

/// Everything the engine tells its subscribers.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum SyncUpdate {
    Inbox(InboxChange),
    Connection(ConnectionState),
    /// The engine skipped to the relay's horizon: say what is missing.
    HistoryPruned(HistoryGap),
}

/// Reads the rows an [`Applied`] batch touched.
pub fn inbox_change(
    store: &Store,
    applied: &Applied,
    replay: bool,
    max_messages: usize,
) -> Result<InboxChange> {
    let conv_ids: Vec<ConversationId> = applied.conversations.iter().copied().collect();
    let truncated = applied.messages.len() > max_messages;
    let messages = if truncated {
        Vec::new()
    } else {
        let ids: Vec<MessageId> = applied.messages.iter().copied().collect();
        store.messages_by_ids(&ids)?
    };
    let conversations = store.conversations_by_ids(&conv_ids)?;
    let names: std::collections::HashMap<ConversationId, &str> = conversations
        .iter()
        .map(|c| (c.id, c.display_name.as_str()))
        .collect();
    let mut assignees: std::collections::HashMap<ConversationId, Option<String>> =
        std::collections::HashMap::new();
    let mut incoming = Vec::with_capacity(applied.incoming.len());
    for a in &applied.incoming {
        let name = names.get(&a.conversation_id).copied().unwrap_or_default();
        let assignee = match assignees.get(&a.conversation_id) {
            Some(known) => known.clone(),
            None => {
                let found = store.assignee_of(a.conversation_id)?;
                assignees.insert(a.conversation_id, found.clone());
                found
            }
        };
        incoming.push(a.clone().into_incoming(name.to_owned(), assignee));
    }
    let mut assigned = Vec::with_capacity(applied.assignments.len());
    for a in &applied.assignments {
        let Some(id) = store.conversation_by_key(&a.conversation)? else {
            continue;
        };
        let contact = match names.get(&id) {
            Some(name) => (*name).to_owned(),
            None => store
                .conversations_by_ids(&[id])?
                .pop()
                .map(|c| c.display_name)
                .unwrap_or_else(|| a.conversation.customer.clone()),
        };
        assigned.push(AssignedChat {
            conversation_id: id,
            contact,
            assignee: a.assignee.clone(),
            by: a.by.clone(),
            at_ms: a.at_ms,
        });
    }
    Ok(InboxChange {
        cursor: applied.cursor,
        replay,
        conversations,
        messages,
        messages_truncated: truncated,
        new_messages: applied.new_messages,
        templates_changed: applied.templates_changed,
        health_changed: applied.health_changed,
        flagged: applied.flagged,
        unapplied: applied.unapplied,
        incoming,
        assigned,
        removed: applied.removed_conversations.iter().copied().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_never_prints_its_token() {
        let config = SyncConfig::new("http://127.0.0.1:1", "hgr_agent_7f3a9c");
        let printed = format!("{config:?} {config:#?}");
        assert!(!printed.contains("hgr_agent_7f3a9c"), "{printed}");
        assert!(printed.contains("agent_token: ***"), "{printed}");
        assert_eq!(config.agent_token.expose(), "hgr_agent_7f3a9c");
    }

    #[test]
    fn backoff_doubles_caps_and_jitters_down_to_half() {
        let b = Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(1),
        };
        assert_eq!(b.delay(1, 0.0), Duration::from_millis(100));
        assert_eq!(b.delay(3, 0.0), Duration::from_millis(400));
        assert_eq!(b.delay(10, 0.0), Duration::from_secs(1));
        let least = b.delay(10, 0.999_999);
        assert!(least >= Duration::from_millis(500) && least < Duration::from_millis(501));
        assert_eq!(b.delay(u32::MAX, 0.0), Duration::from_secs(1));
    }
}
