//! What the window shows of the sync: the link to the relay, and the part
//! of the relay's log this desktop will never read. The sync engine
//! (`crate::sync`) sets them; the store keeps the gaps.

use serde::Serialize;
use ts_rs::TS;

/// What the window shows about the link to the relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ConnectionState {
    /// First attempt under way.
    Connecting,
    /// Reading the backlog; `cursor` of `head` events applied.
    CatchingUp {
        #[ts(type = "number")]
        cursor: u64,
        #[ts(type = "number")]
        head: u64,
    },
    /// Following the live stream.
    Connected {
        /// Local clock, Unix milliseconds.
        #[ts(type = "number")]
        since_ms: i64,
    },
    /// The connection dropped; retrying soon.
    Reconnecting {
        attempt: u32,
        #[ts(type = "number")]
        next_retry_at_ms: i64,
        error: String,
    },
    /// Retrying has failed for a while: offline since `since_ms`.
    Offline {
        #[ts(type = "number")]
        since_ms: i64,
        attempt: u32,
        #[ts(type = "number")]
        next_retry_at_ms: i64,
        error: String,
    },
    /// The engine was shut down.
    Stopped,
}

/// Part of the relay's log this desktop will never read: the relay's
/// retention removed it first (410 `history_pruned`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HistoryGap {
    /// The cursor when the gap was found.
    #[ts(type = "number")]
    pub missed_after: u64,
    /// The oldest event the relay still kept, from which the sync went on.
    #[ts(type = "number")]
    pub resumed_at: u64,
    /// When the relay committed that event (Unix ms): history before it is
    /// not available from the relay.
    #[ts(type = "number")]
    pub before_ms: i64,
}
