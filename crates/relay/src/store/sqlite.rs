//! The embedded default store: one SQLite file in WAL mode with
//! `synchronous=FULL`, so a commit has reached the disk when it returns.
//!
//! `seq` is SQLite's rowid. Events are never deleted from the top of the
//! log (retention keeps the newest event whatever its age), so the next
//! rowid is always larger than every earlier one, which is all the log
//! promises; `AUTOINCREMENT` would cost an extra write per row for
//! nothing. One connection writes (the journal's thread); reads use a small
//! pool of read-only connections, which WAL lets run beside the writer.
//!
//! The writer never checkpoints (`wal_autocheckpoint=0`): copying the WAL
//! back into the database and fsyncing it would stall whichever commit
//! happened to trigger it, and every webhook waiting on that commit. A
//! separate connection checkpoints passively from the journal's maintenance
//! thread instead, beside the writer.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use hourglass_protocol::{EventKind, Horizon, MAX_PAGE_BYTES};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde_json::value::RawValue;

use super::{AgentRecord, Appended, EventStore, NewEvent, Page, StoreError, StoredEvent};

const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE events (
    seq            INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    dedupe_key     TEXT NOT NULL UNIQUE,
    received_at_ms INTEGER NOT NULL,
    agent          TEXT,
    payload        TEXT NOT NULL
);
CREATE TABLE agents (
    name           TEXT NOT NULL,
    token_sha256   TEXT NOT NULL UNIQUE,
    created_at_ms  INTEGER NOT NULL,
    revoked_at_ms  INTEGER
);
CREATE UNIQUE INDEX agents_active_name ON agents(name) WHERE revoked_at_ms IS NULL;
";

/// Version 2: what retention has removed.
const SCHEMA_2: &str = "
CREATE TABLE retention (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_through INTEGER NOT NULL
);
";

/// Read connections kept open for reuse; more may exist briefly under load.
const READ_POOL: usize = 8;

pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    checkpointer: Mutex<Option<Connection>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// The pragmas every writing connection uses. The benchmark applies the same
/// ones to its raw-SQLite baseline.
pub const WRITER_PRAGMAS: &str =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;";

impl SqliteStore {
    /// Opens (creating if needed) the log at `path` and brings its schema up
    /// to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let mut writer = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        writer.execute_batch(WRITER_PRAGMAS)?;
        let mode: String = writer.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Other(format!(
                "the database refused WAL mode (it is in {mode} mode)"
            )));
        }
        migrate(&mut writer)?;
        writer.execute_batch("PRAGMA wal_autocheckpoint=0;")?;
        Ok(SqliteStore {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            checkpointer: Mutex::new(None),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self
            .writer
            .lock()
            .map_err(|_| StoreError::Other("the writer connection was poisoned".into()))?;
        f(&mut conn)
    }

    fn with_reader<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let pooled = self.readers.lock().ok().and_then(|mut pool| pool.pop());
        let mut conn = match pooled {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    &self.path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                c.execute_batch("PRAGMA busy_timeout=5000; PRAGMA query_only=1;")?;
                c
            }
        };
        let out = f(&mut conn);
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < READ_POOL
        {
            pool.push(conn);
        }
        out
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        let tx = conn.transaction()?;
        if version < 1 {
            tx.execute_batch(SCHEMA)?;
        }
        if version < 2 {
            tx.execute_batch(SCHEMA_2)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
    }
    Ok(())
}

fn seq_of(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

impl EventStore for SqliteStore {
    fn append(
        &self,
        events: &[NewEvent],
        received_at_ms: i64,
    ) -> Result<Vec<Appended>, StoreError> {
        self.with_writer(|conn| {
            let tx = conn.transaction()?;
            let mut out = Vec::with_capacity(events.len());
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO events (kind, dedupe_key, received_at_ms, agent, payload)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq",
                )?;
                let mut existing =
                    tx.prepare_cached("SELECT seq FROM events WHERE dedupe_key = ?1")?;
                for e in events {
                    let new: Option<i64> = insert
                        .query_row(
                            params![
                                EventKind::as_str(e.kind),
                                e.dedupe_key,
                                received_at_ms,
                                e.agent,
                                e.payload
                            ],
                            |r| r.get(0),
                        )
                        .optional()?;
                    out.push(match new {
                        Some(seq) => Appended::New(seq_of(seq)),
                        None => Appended::Duplicate(seq_of(
                            existing.query_row([&e.dedupe_key], |r| r.get(0))?,
                        )),
                    });
                }
            }
            tx.commit()?;
            Ok(out)
        })
    }

    fn page(&self, after: u64, limit: u32) -> Result<Page, StoreError> {
        self.with_reader(|conn| {
            // One read transaction, so `head` and the rows come from one snapshot.
            let tx = conn.transaction()?;
            let after = i64::try_from(after).unwrap_or(i64::MAX);
            let mut events = Vec::new();
            let mut has_more = false;
            let mut bytes = 0usize;
            if limit > 0 {
                let mut stmt = tx.prepare_cached(
                    "SELECT seq, kind, dedupe_key, received_at_ms, agent, payload
                     FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2",
                )?;
                let mut rows = stmt.query(params![after, i64::from(limit) + 1])?;
                while let Some(row) = rows.next()? {
                    if events.len() == limit as usize || bytes >= MAX_PAGE_BYTES {
                        has_more = true;
                        break;
                    }
                    let seq = seq_of(row.get(0)?);
                    let kind: String = row.get(1)?;
                    let payload: String = row.get(5)?;
                    let dedupe_key: String = row.get(2)?;
                    // The event's JSON is its payload and key plus a small
                    // envelope of fixed-size fields.
                    bytes += payload.len() + dedupe_key.len() + 128;
                    events.push(StoredEvent {
                        seq,
                        kind: EventKind::parse(&kind).ok_or_else(|| StoreError::Corrupt {
                            seq,
                            reason: format!("unknown kind {kind:?}"),
                        })?,
                        dedupe_key,
                        received_at_ms: row.get(3)?,
                        agent: row.get(4)?,
                        payload: RawValue::from_string(payload).map_err(|e| {
                            StoreError::Corrupt {
                                seq,
                                reason: e.to_string(),
                            }
                        })?,
                    });
                }
            }
            let head: i64 =
                tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
            Ok(Page {
                events,
                head: seq_of(head),
                has_more,
            })
        })
    }

    fn head(&self) -> Result<u64, StoreError> {
        self.with_reader(|conn| {
            let head: i64 =
                conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
            Ok(seq_of(head))
        })
    }

    fn horizon(&self) -> Result<Option<Horizon>, StoreError> {
        self.with_reader(|conn| {
            Ok(conn
                .query_row(
                    "SELECT seq, received_at_ms FROM events ORDER BY seq LIMIT 1",
                    [],
                    |r| {
                        Ok(Horizon {
                            seq: seq_of(r.get(0)?),
                            received_at_ms: r.get(1)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    fn pruned_through(&self) -> Result<u64, StoreError> {
        self.with_reader(|conn| {
            let through: Option<i64> = conn
                .query_row(
                    "SELECT pruned_through FROM retention WHERE id = 1",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            Ok(through.map_or(0, seq_of))
        })
    }

    fn prune(&self, before_ms: i64, batch: u32) -> Result<u64, StoreError> {
        self.with_writer(|conn| {
            let tx = conn.transaction()?;
            // Only a prefix of the log goes: the oldest events up to the first
            // one committed at or after `before_ms` (a clock that stepped back
            // cannot punch a hole in the middle), and never the newest.
            let head: i64 =
                tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))?;
            let mut last = None;
            {
                let mut oldest = tx.prepare_cached(
                    "SELECT seq, received_at_ms FROM events ORDER BY seq LIMIT ?1",
                )?;
                let mut rows = oldest.query([batch])?;
                while let Some(row) = rows.next()? {
                    let (seq, at): (i64, i64) = (row.get(0)?, row.get(1)?);
                    if at >= before_ms || seq >= head {
                        break;
                    }
                    last = Some(seq);
                }
            }
            let removed = match last {
                Some(last) => {
                    let n = tx.execute("DELETE FROM events WHERE seq <= ?1", [last])?;
                    tx.execute(
                        "INSERT INTO retention (id, pruned_through) VALUES (1, ?1)
                         ON CONFLICT (id) DO UPDATE
                         SET pruned_through = max(pruned_through, excluded.pruned_through)",
                        [last],
                    )?;
                    n
                }
                None => 0,
            };
            tx.commit()?;
            Ok(removed as u64)
        })
    }

    fn add_agent(&self, name: &str, token_sha256: &str, now_ms: i64) -> Result<bool, StoreError> {
        self.with_writer(|conn| {
            let added = conn.execute(
                "INSERT INTO agents (name, token_sha256, created_at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO NOTHING",
                params![name, token_sha256, now_ms],
            )?;
            Ok(added == 1)
        })
    }

    fn revoke_agent(&self, name: &str, now_ms: i64) -> Result<bool, StoreError> {
        self.with_writer(|conn| {
            let n = conn.execute(
                "UPDATE agents SET revoked_at_ms = ?2 WHERE name = ?1 AND revoked_at_ms IS NULL",
                params![name, now_ms],
            )?;
            Ok(n > 0)
        })
    }

    fn agents(&self) -> Result<Vec<AgentRecord>, StoreError> {
        self.with_reader(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT name, created_at_ms, revoked_at_ms FROM agents ORDER BY name, created_at_ms",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(AgentRecord {
                    name: r.get(0)?,
                    created_at_ms: r.get(1)?,
                    revoked_at_ms: r.get(2)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    fn maintain(&self) -> Result<(), StoreError> {
        let mut slot = self
            .checkpointer
            .lock()
            .map_err(|_| StoreError::Other("the checkpoint connection was poisoned".into()))?;
        if slot.is_none() {
            let c = Connection::open_with_flags(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            c.execute_batch(WRITER_PRAGMAS)?;
            *slot = Some(c);
        }
        if let Some(c) = slot.as_ref() {
            // PASSIVE never waits for the writer or readers; what it cannot
            // copy now is copied next time.
            c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    fn agent_by_token(&self, token_sha256: &str) -> Result<Option<String>, StoreError> {
        self.with_reader(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT name FROM agents WHERE token_sha256 = ?1 AND revoked_at_ms IS NULL",
                )?
                .query_row([token_sha256], |r| r.get(0))
                .optional()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(key: &str) -> NewEvent {
        NewEvent {
            kind: EventKind::Webhook,
            dedupe_key: key.into(),
            agent: None,
            payload: format!(r#"{{"k":"{key}"}}"#),
        }
    }

    #[test]
    fn append_dedupes_within_and_across_batches_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("relay.db");
        {
            let store = SqliteStore::open(&path).unwrap();
            let out = store
                .append(&[event("a"), event("b"), event("a")], 7)
                .unwrap();
            assert_eq!(
                out,
                vec![Appended::New(1), Appended::New(2), Appended::Duplicate(1)]
            );
            let out = store.append(&[event("b"), event("c")], 8).unwrap();
            assert_eq!(out, vec![Appended::Duplicate(2), Appended::New(3)]);
        }
        let store = SqliteStore::open(&path).unwrap();
        let page = store.page(1, 10).unwrap();
        assert_eq!(page.head, 3);
        assert!(!page.has_more);
        assert_eq!(
            page.events.iter().map(|e| e.seq).collect::<Vec<_>>(),
            [2, 3]
        );
        assert_eq!(page.events[1].payload.get(), r#"{"k":"c"}"#);
        let page = store.page(0, 2).unwrap();
        assert!(page.has_more);
        assert_eq!(page.events.len(), 2);
        let empty = store.page(0, 0).unwrap();
        assert!(empty.events.is_empty());
        assert_eq!(empty.head, 3);
    }

    #[test]
    fn the_log_uses_wal_and_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("r.db")).unwrap();
        store
            .with_writer(|c| {
                let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                let sync: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0))?;
                let auto: i64 = c.query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))?;
                assert_eq!(mode, "wal");
                assert_eq!(sync, 2, "FULL");
                assert_eq!(auto, 0, "checkpoints happen off the commit path");
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn maintenance_checkpoints_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let store = SqliteStore::open(&path).unwrap();
        let events: Vec<NewEvent> = (0..2000).map(|i| event(&format!("k{i}"))).collect();
        store.append(&events, 1).unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        store.maintain().unwrap();
        let after = std::fs::metadata(&path).unwrap().len();
        assert!(
            after > before,
            "the rows moved from the WAL into the database"
        );
        assert_eq!(store.page(0, 0).unwrap().head, 2000);
    }

    #[test]
    fn agents_are_unique_while_active() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path().join("r.db")).unwrap();
        assert!(store.add_agent("ana", "h1", 1).unwrap());
        assert!(!store.add_agent("ana", "h2", 2).unwrap());
        assert_eq!(store.agent_by_token("h1").unwrap().as_deref(), Some("ana"));
        assert!(store.revoke_agent("ana", 3).unwrap());
        assert!(!store.revoke_agent("ana", 4).unwrap());
        assert_eq!(store.agent_by_token("h1").unwrap(), None);
        assert!(store.add_agent("ana", "h3", 5).unwrap());
        assert_eq!(store.agents().unwrap().len(), 2);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        drop(SqliteStore::open(&path).unwrap());
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        drop(c);
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::NewerSchema { found: 99, .. })
        ));
    }
}
