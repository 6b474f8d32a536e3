//! The local SQLite store: one file per agent profile.
//!
//! Reads go straight to the connection; writes go through [`Store::write`],
//! which runs a closure inside one `BEGIN IMMEDIATE` transaction, so a batch
//! of relay events and the new sync cursor commit together or not at all.

mod migration;

pub use migration::latest_version;

use crate::error::{Error, Result};
use crate::inbox::{
    Contact, ContactId, ConversationId, ConversationSummary, Direction, Message, MessageId,
};
use crate::phone::E164;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file name inside a profile's data directory.
pub const FILE_NAME: &str = "hourglass.db";

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// A contact as learned from Meta or typed by an agent.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    /// Any written form of the number (`16505551234`, `+1 650 555 1234`).
    pub phone: Option<String>,
    pub user_id: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub wamid: String,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub kind: String,
    pub body: String,
    /// The message JSON exactly as Meta sent it, when there is one.
    pub payload: Option<String>,
    /// Meta's timestamp, Unix seconds.
    pub sent_at: i64,
    pub status: Option<String>,
    pub reply_to_wamid: Option<String>,
}

/// What [`Writer::insert_message`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New(MessageId),
    /// A message with this `wamid` was already stored; nothing changed.
    Duplicate(MessageId),
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |source| Error::Open {
            path: path.to_owned(),
            source,
        };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(open_err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(open_err)?;
        // WAL + NORMAL is durable against application crashes; a power cut
        // can lose the last transactions, which the relay still holds and
        // the cursor will fetch again.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(open_err)?;
        migration::migrate(&mut conn, path)?;
        Ok(Store {
            conn,
            path: path.to_owned(),
        })
    }

    /// Opens the store in a profile's data directory, creating the directory.
    pub fn open_in_dir(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| Error::Open {
            path: dir.to_owned(),
            source: rusqlite::Error::InvalidPath(PathBuf::from(e.to_string())),
        })?;
        Store::open(&dir.join(FILE_NAME))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
                r.get::<_, Option<i64>>(0)
            })?
            .unwrap_or(0))
    }

    /// Runs `f` in one immediate transaction; commits if it returns `Ok`.
    pub fn write<T>(&mut self, f: impl FnOnce(&Writer<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&Writer { tx: &tx })?;
        tx.commit()?;
        Ok(out)
    }

    /// The conversation list, most recent activity first.
    pub fn list_conversations(&self, limit: u32) -> Result<Vec<ConversationSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{CONVERSATION_SELECT} ORDER BY cv.last_activity_at DESC, cv.id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit], conversation_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn conversation(&self, id: ConversationId) -> Result<ConversationSummary> {
        self.conn
            .query_row(
                &format!("{CONVERSATION_SELECT} WHERE cv.id = ?1"),
                [id],
                conversation_from_row,
            )
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: format!("conversation {id}"),
            })
    }

    /// The newest `limit` messages of a conversation, oldest first.
    pub fn list_messages(&self, id: ConversationId, limit: u32) -> Result<Vec<Message>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM (
                 SELECT id, wamid, conversation_id, direction, kind, body, sent_at, status, reply_to_wamid
                 FROM messages WHERE conversation_id = ?1
                 ORDER BY sent_at DESC, id DESC LIMIT ?2
             ) ORDER BY sent_at ASC, id ASC",
        )?;
        let rows = stmt.query_map(params![id, limit], message_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The position in `relay`'s log this store is complete up to (0: nothing yet).
    pub fn sync_cursor(&self, relay: &str) -> Result<u64> {
        let seq: Option<i64> = self
            .conn
            .query_row(
                "SELECT last_seq FROM sync_cursor WHERE relay = ?1",
                [relay],
                |r| r.get(0),
            )
            .optional()?;
        Ok(seq.map_or(0, |s| u64::try_from(s).unwrap_or(0)))
    }
}

/// Writes inside one transaction; see [`Store::write`].
pub struct Writer<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

impl Writer<'_> {
    /// Finds the contact by user id or number, filling in what was missing,
    /// or creates it.
    pub fn upsert_contact(&self, c: &NewContact) -> Result<ContactId> {
        let phone = c.phone.as_deref().map(E164::parse).transpose()?;
        let phone = phone.as_ref().map(E164::as_str);
        let user_id = c.user_id.as_deref().filter(|u| !u.is_empty());
        if phone.is_none() && user_id.is_none() {
            return Err(Error::ContactWithoutIdentity);
        }
        let existing: Option<ContactId> = self
            .tx
            .query_row(
                "SELECT id FROM contacts
                 WHERE (?1 IS NOT NULL AND user_id = ?1) OR (?2 IS NOT NULL AND phone_e164 = ?2)
                 ORDER BY (user_id = ?1) DESC LIMIT 1",
                params![user_id, phone],
                |r| r.get(0),
            )
            .optional()?;
        match existing {
            Some(id) => {
                self.tx.execute(
                    "UPDATE contacts SET
                         name = COALESCE(?2, name),
                         user_id = COALESCE(user_id, ?3),
                         phone_e164 = COALESCE(phone_e164, ?4),
                         wa_id = COALESCE(?5, wa_id)
                     WHERE id = ?1",
                    params![
                        id,
                        c.name.as_deref().filter(|n| !n.trim().is_empty()),
                        user_id,
                        phone,
                        phone.map(|p| p.trim_start_matches('+'))
                    ],
                )?;
                Ok(id)
            }
            None => {
                self.tx.execute(
                    "INSERT INTO contacts (phone_e164, user_id, wa_id, name, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        phone,
                        user_id,
                        phone.map(|p| p.trim_start_matches('+')),
                        c.name.as_deref().filter(|n| !n.trim().is_empty()),
                        now_ms()
                    ],
                )?;
                Ok(ContactId(self.tx.last_insert_rowid()))
            }
        }
    }

    /// The conversation between a contact and one business number, created
    /// on first use.
    pub fn conversation_for(
        &self,
        contact: ContactId,
        phone_number_id: &str,
    ) -> Result<ConversationId> {
        self.tx.execute(
            "INSERT INTO conversations (contact_id, phone_number_id, created_at)
             VALUES (?1, ?2, ?3)
             ON CONFLICT (contact_id, phone_number_id) DO NOTHING",
            params![contact, phone_number_id, now_ms()],
        )?;
        Ok(self.tx.query_row(
            "SELECT id FROM conversations WHERE contact_id = ?1 AND phone_number_id = ?2",
            params![contact, phone_number_id],
            |r| r.get(0),
        )?)
    }

    /// Stores a message unless its `wamid` is known, and moves the
    /// conversation's preview, activity time, window start and unread count.
    pub fn insert_message(&self, m: &NewMessage) -> Result<Inserted> {
        let changed = self.tx.execute(
            "INSERT INTO messages (wamid, conversation_id, direction, kind, body, payload,
                                   sent_at, status, reply_to_wamid, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (wamid) DO NOTHING",
            params![
                m.wamid,
                m.conversation_id,
                m.direction.as_str(),
                m.kind,
                m.body,
                m.payload,
                m.sent_at,
                m.status,
                m.reply_to_wamid,
                now_ms()
            ],
        )?;
        if changed == 0 {
            let id = self.tx.query_row(
                "SELECT id FROM messages WHERE wamid = ?1",
                [&m.wamid],
                |r| r.get(0),
            )?;
            return Ok(Inserted::Duplicate(id));
        }
        let id = MessageId(self.tx.last_insert_rowid());
        let inbound = m.direction == Direction::Inbound;
        self.tx.execute(
            "UPDATE conversations SET
                 last_preview   = CASE WHEN ?2 >= last_activity_at THEN ?3 ELSE last_preview END,
                 last_direction = CASE WHEN ?2 >= last_activity_at THEN ?4 ELSE last_direction END,
                 last_activity_at = MAX(last_activity_at, ?2),
                 last_inbound_at = CASE WHEN ?5 THEN MAX(COALESCE(last_inbound_at, 0), ?2)
                                        ELSE last_inbound_at END,
                 unread_count = unread_count + CASE WHEN ?5 THEN 1 ELSE 0 END
             WHERE id = ?1",
            params![
                m.conversation_id,
                m.sent_at,
                preview(&m.body),
                m.direction.as_str(),
                inbound
            ],
        )?;
        Ok(Inserted::New(id))
    }

    /// Records that the store is complete up to `seq` of `relay`'s log.
    pub fn set_sync_cursor(&self, relay: &str, seq: u64) -> Result<()> {
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        self.tx.execute(
            "INSERT INTO sync_cursor (relay, last_seq) VALUES (?1, ?2)
             ON CONFLICT (relay) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)",
            params![relay, seq],
        )?;
        Ok(())
    }
}

const CONVERSATION_SELECT: &str = "
    SELECT cv.id, cv.phone_number_id, cv.last_preview, cv.last_direction, cv.last_activity_at,
           cv.last_inbound_at, cv.unread_count,
           c.id, c.phone_e164, c.user_id, c.name
    FROM conversations cv JOIN contacts c ON c.id = cv.contact_id";

fn conversation_from_row(r: &Row<'_>) -> rusqlite::Result<ConversationSummary> {
    let contact = Contact {
        id: r.get(7)?,
        phone: r.get(8)?,
        user_id: r.get(9)?,
        name: r.get(10)?,
    };
    let last_direction: Option<String> = r.get(3)?;
    Ok(ConversationSummary {
        id: r.get(0)?,
        display_name: contact.display_name(),
        contact,
        phone_number_id: r.get(1)?,
        last_preview: r.get(2)?,
        last_direction: last_direction.as_deref().and_then(Direction::parse),
        last_activity_at: r.get(4)?,
        last_inbound_at: r.get(5)?,
        unread_count: r.get(6)?,
    })
}

fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    let direction: String = r.get(3)?;
    Ok(Message {
        id: r.get(0)?,
        wamid: r.get(1)?,
        conversation_id: r.get(2)?,
        direction: Direction::parse(&direction).unwrap_or(Direction::Inbound),
        kind: r.get(4)?,
        body: r.get(5)?,
        sent_at: r.get(6)?,
        status: r.get(7)?,
        reply_to_wamid: r.get(8)?,
    })
}

/// The first line of a message, short enough for the list.
fn preview(body: &str) -> String {
    const MAX_CHARS: usize = 120;
    let line = body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut out: String = line.chars().take(MAX_CHARS).collect();
    if line.chars().count() > MAX_CHARS {
        out.push('…');
    }
    out
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests;
