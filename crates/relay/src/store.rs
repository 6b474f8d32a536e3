//! The durable event log, behind a trait so a team that outgrows one relay
//! can run several on a shared database engine.
//!
//! What every implementation promises:
//! - [`EventStore::append`] writes a whole batch in one transaction and
//!   returns only once it is durable (for SQLite: committed with
//!   `synchronous=FULL`). Nothing of a failed batch is visible.
//! - `seq` is strictly increasing in commit order; readers never see a
//!   smaller `seq` appear after a larger one.
//! - A `dedupe_key` is appended at most once; appending it again reports the
//!   original `seq`.
//! - A page holds at most `limit` events and stops once their JSON passes
//!   [`hourglass_protocol::MAX_PAGE_BYTES`] (it always holds at least one event, if any exist).
//! - Retention ([`EventStore::prune`]) removes only the oldest events and
//!   never the newest one, so `seq` keeps growing after a prune.
//!
//! Only the journal's writer thread calls `append`, so an implementation may
//! assume a single writer per relay; reads may come from any thread. A store
//! that several relays share ([`PgStore`]) must keep the promises above
//! across all of them, and announces every relay's commits through
//! [`EventStore::follow`].

mod postgres;
mod sqlite;

use std::sync::Arc;
use std::time::Duration;

use hourglass_protocol::{EventKind, Horizon, PresenceEntry, PresenceQuery, PresenceUpdate};
use serde::Serialize;
use serde_json::value::RawValue;
use tokio::sync::broadcast;

pub use postgres::{APPEND_LOCK, PgStore, redact_url};
pub use sqlite::{SqliteStore, WRITER_PRAGMAS};

/// Events committed together, in `seq` order, as announced to subscribers.
pub type LiveBatch = Arc<Vec<StoredEvent>>;

/// Conversations one agent can be present in at once.
pub const MAX_PER_AGENT: usize = 16;

/// How long an entry lives unless renewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresenceTtl {
    pub viewing: Duration,
    pub typing: Duration,
}

impl Default for PresenceTtl {
    fn default() -> Self {
        // Apps renew viewing every 10 s and typing at most every 2 s.
        PresenceTtl {
            viewing: Duration::from_secs(30),
            typing: Duration::from_secs(6),
        }
    }
}

/// Presence kept where several relays see it, with the same rules as the
/// in-memory table: expiry, `Left` removes, at most [`MAX_PER_AGENT`] per
/// agent with the oldest replaced. Calls block; run them off the async
/// threads.
pub trait SharedPresence: Send + Sync + std::fmt::Debug {
    fn set(&self, agent: &str, update: &PresenceUpdate, ttl: PresenceTtl)
    -> Result<(), StoreError>;
    fn list(&self, query: &PresenceQuery) -> Result<Vec<PresenceEntry>, StoreError>;
}

/// An event on its way into the log.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: EventKind,
    pub dedupe_key: String,
    pub agent: Option<String>,
    /// JSON text, written exactly as given.
    pub payload: String,
}

/// What became of one [`NewEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    New(u64),
    /// The key was already in the log, at this `seq`.
    Duplicate(u64),
}

impl Appended {
    pub fn seq(self) -> u64 {
        match self {
            Appended::New(s) | Appended::Duplicate(s) => s,
        }
    }
}

/// An event as stored. Serialises to exactly the JSON of
/// [`hourglass_protocol::Event`], without re-parsing the payload.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEvent {
    pub seq: u64,
    pub kind: EventKind,
    pub dedupe_key: String,
    pub received_at_ms: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    pub payload: Box<RawValue>,
}

impl StoredEvent {
    /// The JSON of this event as sent on `/v1/events` and `/v1/stream`.
    pub fn to_json(&self) -> String {
        // Serialising plain fields and an already valid RawValue cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A page of the log read in one snapshot.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    pub events: Vec<StoredEvent>,
    pub head: u64,
    pub has_more: bool,
}

/// An agent as the admin sees it; the token itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentRecord {
    pub name: String,
    pub created_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(String),
    #[error(
        "the database was written by a newer relay (schema {found}, this relay knows {known}); upgrade the relay"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("stored event {seq} is corrupt: {reason}")]
    Corrupt { seq: u64, reason: String },
    #[error("{0}")]
    Other(String),
}

pub trait EventStore: Send + Sync + 'static {
    /// Appends `events` in one durable transaction, results in order.
    fn append(&self, events: &[NewEvent], received_at_ms: i64)
    -> Result<Vec<Appended>, StoreError>;

    /// Events with `seq > after`, ascending, at most `limit`.
    fn page(&self, after: u64, limit: u32) -> Result<Page, StoreError>;

    /// The highest `seq` in the log, 0 when empty.
    fn head(&self) -> Result<u64, StoreError>;

    /// The oldest event still kept, `None` when the log is empty.
    fn horizon(&self) -> Result<Option<Horizon>, StoreError>;

    /// The highest `seq` retention has removed, 0 when nothing was. A reader
    /// whose cursor is below it has missed events that are gone. (`seq` may
    /// have gaps, so the oldest kept event alone cannot tell.)
    fn pruned_through(&self) -> Result<u64, StoreError>;

    /// Removes at most `batch` of the oldest events committed before
    /// `before_ms`, in one short transaction, never the newest event of the
    /// log. Returns how many were removed; 0 means nothing older is left.
    fn prune(&self, before_ms: i64, batch: u32) -> Result<u64, StoreError>;

    /// Adds an agent by the SHA-256 of its token. `Ok(false)` when an active
    /// agent of that name exists.
    fn add_agent(&self, name: &str, token_sha256: &str, now_ms: i64) -> Result<bool, StoreError>;

    /// `Ok(false)` when there is no active agent of that name.
    fn revoke_agent(&self, name: &str, now_ms: i64) -> Result<bool, StoreError>;

    fn agents(&self) -> Result<Vec<AgentRecord>, StoreError>;

    /// The active agent holding the token with this SHA-256, if any.
    fn agent_by_token(&self, token_sha256: &str) -> Result<Option<String>, StoreError>;

    /// Housekeeping that must not sit in the commit path (for SQLite: WAL
    /// checkpoints). Called from a background thread after enough appends.
    fn maintain(&self) -> Result<(), StoreError> {
        Ok(())
    }

    /// For a log other relays append to as well: starts announcing every
    /// committed event, this relay's and the others', to `live` in `seq`
    /// order, and returns `true`. The default, `false`, means only this relay
    /// appends and its journal announces its own commits.
    fn follow(&self, live: &broadcast::Sender<LiveBatch>) -> Result<bool, StoreError> {
        let _ = live;
        Ok(false)
    }

    /// Presence kept in the store, so every relay sharing it sees the same.
    /// `None`, the default, keeps presence in this relay's memory.
    fn shared_presence(&self) -> Option<Arc<dyn SharedPresence>> {
        None
    }
}

/// Where a relay keeps its log: a SQLite file of its own, or a PostgreSQL
/// database it may share with other relays. `Debug` never shows a password.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(std::path::PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Database {
    /// A `postgres://` or `postgresql://` URL selects PostgreSQL; anything
    /// else is the path of a SQLite file.
    pub fn parse(s: &str) -> Self {
        let lower = s.trim_start().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Database::Postgres(s.trim().to_owned())
        } else {
            Database::Sqlite(s.into())
        }
    }

    /// The file path, or the URL with its password hidden: fit for logs.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => redact_url(url),
        }
    }

    /// Opens the store, creating or migrating its schema.
    pub fn open(&self) -> Result<Arc<dyn EventStore>, crate::RelayError> {
        match self {
            Database::Sqlite(path) => SqliteStore::open(path)
                .map(|s| Arc::new(s) as Arc<dyn EventStore>)
                .map_err(|source| crate::RelayError::OpenDatabase {
                    path: path.clone(),
                    source,
                }),
            Database::Postgres(url) => PgStore::open(url)
                .map(|s| Arc::new(s) as Arc<dyn EventStore>)
                .map_err(|source| crate::RelayError::ConnectDatabase {
                    url: redact_url(url),
                    source,
                }),
        }
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(path) => f.debug_tuple("Sqlite").field(path).finish(),
            Database::Postgres(url) => f.debug_tuple("Postgres").field(&redact_url(url)).finish(),
        }
    }
}

impl From<std::path::PathBuf> for Database {
    fn from(path: std::path::PathBuf) -> Self {
        match path.to_str() {
            Some(s) => Database::parse(s),
            None => Database::Sqlite(path),
        }
    }
}

impl From<String> for Database {
    fn from(s: String) -> Self {
        Database::parse(&s)
    }
}

impl<T: AsRef<std::ffi::OsStr> + ?Sized> From<&T> for Database {
    fn from(s: &T) -> Self {
        Database::from(std::path::PathBuf::from(s))
    }
}
