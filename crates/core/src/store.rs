//! The local SQLite store: one file per agent profile.
//!
//! Reads go straight to the connection; writes go through [`Store::write`],
//! which runs a closure inside one `BEGIN IMMEDIATE` transaction, so a batch
//! of relay events and the new sync cursor commit together or not at all.

mod address_book;
mod contacts;
mod handovers;
pub(crate) mod health;
mod identity;
mod leads;
mod migration;
pub(crate) mod outbox;
mod pages;
mod records;
mod reminders;
pub(crate) mod report_figures;
pub mod settings;
mod team;

pub use health::{
    AccountRecord, HealthChangeRecord, PhoneQualityRecord, PhoneReading, TemplateCategoryRecord,
};
pub use records::{
    ContactFirstMessage, FlagRecord, MessageExtras, STATUS_ON_INBOUND, StatusRecord, TemplateRecord,
};

pub use migration::{known_versions, latest_version};
pub use pages::{MessagePage, PageAt};
pub use settings::LEAD_CODE_PATTERN;

use crate::error::{Error, Result};
use crate::inbox::{
    Contact, ContactId, ConversationId, ConversationSummary, Direction, Failure, HandledBy,
    Message, MessageContent, MessageId, MessagePricing, MessageReaction, QuotedMessage,
    ThreadOwner, Wamid,
};
use crate::phone::E164;
use rusqlite::{
    CachedStatement, Connection, OpenFlags, OptionalExtension, Row, TransactionBehavior, params,
};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database file name inside a profile's data directory.
pub const FILE_NAME: &str = "hourglass.db";

/// The store shared between tasks (the sync engine, the outbox worker, the
/// watchers): locked only for one transaction (plus reading back the
/// changed rows).
pub type SharedStore = std::sync::Arc<std::sync::Mutex<Store>>;

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
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NewContact {
    /// Any written form of the number (`16505551234`, `+1 650 555 1234`).
    pub phone: Option<String>,
    pub user_id: Option<String>,
    pub name: Option<String>,
    /// The WhatsApp username, where Meta sends one.
    pub username: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewMessage {
    pub wamid: Wamid,
    pub conversation_id: ConversationId,
    pub direction: Direction,
    pub kind: String,
    pub body: String,
    /// The message JSON exactly as Meta sent it, when there is one.
    pub payload: Option<String>,
    /// Meta's timestamp, Unix seconds.
    pub sent_at: i64,
    pub status: Option<String>,
    pub reply_to_wamid: Option<Wamid>,
}

/// What [`Writer::insert_message`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inserted {
    New(MessageId),
    /// A message with this `wamid` was already stored; nothing changed.
    Duplicate(MessageId),
}

/// How newly stored messages move their conversations' summaries (preview,
/// activity time, window start, unread count), gathered over a batch so
/// that each conversation is updated once ([`Writer::flush_summaries`]).
/// Flushed, the rows are exactly what one update per message, in the order
/// added, would leave. `first_reply_at` is not gathered
/// ([`Writer::note_first_reply`]).
#[derive(Debug, Default)]
pub(crate) struct SummaryBumps(std::collections::BTreeMap<ConversationId, SummaryBump>);

#[derive(Debug)]
pub(crate) struct SummaryBump {
    /// The newest `sent_at`, and the preview and direction of the last
    /// message added at that time (a later one at the same second wins, as
    /// it would one update at a time).
    latest_at: i64,
    preview: String,
    direction: Direction,
    /// The newest inbound `sent_at`.
    inbound_at: Option<i64>,
    /// Inbound messages, each one unread.
    inbound: i64,
}

impl SummaryBumps {
    pub(crate) fn add(&mut self, m: &NewMessage) {
        self.add_counting(m, true);
    }

    /// [`SummaryBumps::add`] for a message that arrives already read (the
    /// WhatsApp Business app's history): it does not count as unread.
    pub(crate) fn add_read(&mut self, m: &NewMessage) {
        self.add_counting(m, false);
    }

    fn add_counting(&mut self, m: &NewMessage, unread: bool) {
        let inbound = m.direction == Direction::Inbound;
        let b = self
            .0
            .entry(m.conversation_id)
            .or_insert_with(|| SummaryBump {
                latest_at: i64::MIN,
                preview: String::new(),
                direction: m.direction,
                inbound_at: None,
                inbound: 0,
            });
        if m.sent_at >= b.latest_at {
            b.latest_at = m.sent_at;
            b.preview = preview(&m.body);
            b.direction = m.direction;
        }
        if inbound {
            b.inbound_at = Some(b.inbound_at.map_or(m.sent_at, |at| at.max(m.sent_at)));
            b.inbound += i64::from(unread);
        }
    }

    /// Forgets what was gathered (its messages were rolled back).
    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
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
        // 32 MiB of page cache: a catch-up of 100,000 events touches the
        // message indexes all over.
        conn.pragma_update(None, "cache_size", -32_000)
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
        let out = f(&Writer {
            tx: &tx,
            kept: RefCell::default(),
            removed: RefCell::default(),
        })?;
        index_pending(&tx)?;
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

    /// The newest `limit` messages of a conversation, oldest first, with
    /// their quoted message and reactions.
    pub fn list_messages(&self, id: ConversationId, limit: u32) -> Result<Vec<Message>> {
        Ok(self.message_page(id, PageAt::Newest, limit)?.messages)
    }

    /// Up to `limit` messages of a conversation around `anchor` (a search
    /// hit), oldest first (see [`PageAt::Around`]). [`Error::NotFound`]
    /// when the anchor is not a message of that conversation.
    pub fn list_messages_around(
        &self,
        id: ConversationId,
        anchor: MessageId,
        limit: u32,
    ) -> Result<Vec<Message>> {
        Ok(self
            .message_page(id, PageAt::Around { message: anchor }, limit)?
            .messages)
    }

    /// One message by its row id.
    pub fn message(&self, id: MessageId) -> Result<Message> {
        let mut out = self.messages_by_ids(&[id])?;
        out.pop().ok_or_else(|| Error::NotFound {
            what: format!("message {id}"),
        })
    }

    /// One message by Meta's id.
    pub fn message_by_wamid(&self, wamid: &str) -> Result<Option<Message>> {
        let id: Option<MessageId> = self
            .conn
            .query_row("SELECT id FROM messages WHERE wamid = ?1", [wamid], |r| {
                r.get(0)
            })
            .optional()?;
        match id {
            Some(id) => Ok(Some(self.message(id)?)),
            None => Ok(None),
        }
    }

    /// The messages with these ids (unknown ids are skipped), in the order given.
    pub fn messages_by_ids(&self, ids: &[MessageId]) -> Result<Vec<Message>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{MESSAGE_SELECT} WHERE m.id = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(m) = stmt.query_row([id], message_from_row).optional()? {
                out.push(m);
            }
        }
        self.fill_reactions(&mut out)?;
        Ok(out)
    }

    /// The conversation rows with these ids (unknown ids are skipped).
    pub fn conversations_by_ids(&self, ids: &[ConversationId]) -> Result<Vec<ConversationSummary>> {
        // Ids in increasing order (a batch's changes) are read in one query.
        if ids.len() > 1 && ids.windows(2).all(|w| w[0] < w[1]) {
            let list = serde_json::to_string(ids)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            let mut stmt = self.conn.prepare_cached(&format!(
                "{CONVERSATION_SELECT} WHERE cv.id IN (SELECT value FROM json_each(?1))
                 ORDER BY cv.id"
            ))?;
            let rows = stmt.query_map([list], conversation_from_row)?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{CONVERSATION_SELECT} WHERE cv.id = ?1"))?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(c) = stmt.query_row([id], conversation_from_row).optional()? {
                out.push(c);
            }
        }
        Ok(out)
    }

    fn fill_reactions(&self, messages: &mut [Message]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT emoji, direction, at FROM reactions
             WHERE target_wamid = ?1 AND emoji IS NOT NULL ORDER BY at, direction",
        )?;
        for m in messages {
            let rows = stmt.query_map([m.wamid.as_str()], |r| {
                let direction: String = r.get(1)?;
                Ok(MessageReaction {
                    emoji: r.get(0)?,
                    direction: Direction::parse(&direction).unwrap_or(Direction::Inbound),
                    at: r.get(2)?,
                })
            })?;
            m.reactions = rows.collect::<rusqlite::Result<_>>()?;
        }
        Ok(())
    }

    /// Runs `f` with the raw connection, for read-only queries of modules
    /// built on the store (and tests).
    pub fn with_connection<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn)
    }

    /// The position in `relay`'s log this store is complete up to (0: nothing yet).
    /// The gaps in `relay`'s log this desktop could not read, oldest first.
    pub fn history_gaps(&self, relay: &str) -> Result<Vec<crate::inbox::HistoryGap>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT after_seq, horizon_seq, horizon_received_at_ms FROM history_gaps
             WHERE relay = ?1 ORDER BY horizon_seq",
        )?;
        let rows = stmt.query_map([relay], |r| {
            Ok(crate::inbox::HistoryGap {
                missed_after: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                resumed_at: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                before_ms: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

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
    /// Statements of this transaction kept at hand ([`Writer::prepared`]).
    kept: RefCell<Vec<(&'static str, CachedStatement<'a>)>>,
    /// Conversations merged into another and deleted, not yet reported
    /// ([`Writer::take_removed`]).
    removed: RefCell<Vec<ConversationId>>,
}

/// A statement taken from [`Writer::prepared`]; it goes back on drop.
struct Kept<'w, 'a> {
    kept: &'w RefCell<Vec<(&'static str, CachedStatement<'a>)>>,
    sql: &'static str,
    stmt: Option<CachedStatement<'a>>,
}

impl<'a> std::ops::Deref for Kept<'_, 'a> {
    type Target = CachedStatement<'a>;
    fn deref(&self) -> &Self::Target {
        self.stmt
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl std::ops::DerefMut for Kept<'_, '_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.stmt
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for Kept<'_, '_> {
    fn drop(&mut self) {
        if let Some(stmt) = self.stmt.take() {
            self.kept.borrow_mut().push((self.sql, stmt));
        }
    }
}

impl<'a> Writer<'a> {
    /// A prepared statement for `sql`, kept for the rest of the transaction
    /// once used: the sync runs the same few statements for every message,
    /// and taking one from the connection's cache copies and hashes its
    /// text each time. Statements are told apart by the address of their
    /// text, so `sql` is a literal.
    fn prepared(&self, sql: &'static str) -> Result<Kept<'_, 'a>> {
        let found = {
            let mut kept = self.kept.borrow_mut();
            kept.iter()
                .position(|(s, _)| std::ptr::eq(*s, sql))
                .map(|i| kept.swap_remove(i).1)
        };
        let stmt = match found {
            Some(stmt) => stmt,
            None => self.tx.prepare_cached(sql)?,
        };
        Ok(Kept {
            kept: &self.kept,
            sql,
            stmt: Some(stmt),
        })
    }
}

impl Writer<'_> {
    /// Finds the contact by user id or number, filling in what was missing,
    /// or creates it. When the user id and the number belong to two stored
    /// contacts (seen apart before), they are merged into the user id's one:
    /// the same person never stays two contacts.
    pub fn upsert_contact(&self, c: &NewContact) -> Result<ContactId> {
        let phone = c.phone.as_deref().map(parse_phone).transpose()?;
        let phone = phone.as_ref().map(E164::as_str);
        // A user id Meta has since changed names the customer's current one.
        let user_id = match c
            .user_id
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(u) => Some(self.resolve_user_id(u)?),
            None => None,
        };
        let user_id = user_id.as_deref();
        let username = c
            .username
            .as_deref()
            .map(|u| u.trim().trim_start_matches('@'))
            .filter(|u| !u.is_empty());
        if phone.is_none() && user_id.is_none() {
            return Err(Error::ContactWithoutIdentity);
        }
        let find = |sql: &'static str, key: Option<&str>| -> Result<Option<ContactId>> {
            match key {
                None => Ok(None),
                Some(k) => Ok(self
                    .prepared(sql)?
                    .query_row([k], |r| r.get(0))
                    .optional()?),
            }
        };
        let by_user = find("SELECT id FROM contacts WHERE user_id = ?1", user_id)?;
        let by_phone = find("SELECT id FROM contacts WHERE phone_e164 = ?1", phone)?;
        let existing = match (by_user, by_phone) {
            (Some(u), Some(p)) if u != p => {
                self.merge_contacts(u, p)?;
                Some(u)
            }
            (u, p) => u.or(p),
        };
        match existing {
            Some(id) => {
                let key_before = self.customer_key(id)?;
                self.prepared(
                    "UPDATE contacts SET
                         name = COALESCE(?2, name),
                         user_id = COALESCE(user_id, ?3),
                         phone_e164 = COALESCE(phone_e164, ?4),
                         wa_id = COALESCE(?5, wa_id),
                         username = COALESCE(?6, username)
                     WHERE id = ?1
                       AND (name IS NOT COALESCE(?2, name)
                            OR user_id IS NOT COALESCE(user_id, ?3)
                            OR phone_e164 IS NOT COALESCE(phone_e164, ?4)
                            OR wa_id IS NOT COALESCE(?5, wa_id)
                            OR username IS NOT COALESCE(?6, username))",
                )?
                .execute(params![
                    id,
                    c.name.as_deref().filter(|n| !n.trim().is_empty()),
                    user_id,
                    phone,
                    phone.map(|p| p.trim_start_matches('+')),
                    username
                ])?;
                // A number arriving for a customer known by user id only.
                if let (Some(before), Some(after)) = (key_before, self.customer_key(id)?) {
                    self.rekey_customer(&before, &after)?;
                }
                Ok(id)
            }
            None => {
                self.prepared(
                    "INSERT INTO contacts (phone_e164, user_id, wa_id, name, username, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    phone,
                    user_id,
                    phone.map(|p| p.trim_start_matches('+')),
                    c.name.as_deref().filter(|n| !n.trim().is_empty()),
                    username,
                    now_ms()
                ])?;
                Ok(ContactId(self.tx.last_insert_rowid()))
            }
        }
    }

    /// Moves everything of contact `gone` onto `keep` and deletes `gone`.
    pub(crate) fn merge_contacts(&self, keep: ContactId, gone: ContactId) -> Result<()> {
        tracing::info!(%keep, %gone, "merging two contacts that are one person");
        let keys_before = [self.customer_key(keep)?, self.customer_key(gone)?];
        let convs: Vec<(ConversationId, String)> = {
            let mut stmt = self
                .tx
                .prepare("SELECT id, phone_number_id FROM conversations WHERE contact_id = ?1")?;
            stmt.query_map([gone], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (conv, number) in convs {
            let target: Option<ConversationId> = self
                .tx
                .query_row(
                    "SELECT id FROM conversations WHERE contact_id = ?1 AND phone_number_id = ?2",
                    params![keep, number],
                    |r| r.get(0),
                )
                .optional()?;
            match target {
                None => {
                    self.tx.execute(
                        "UPDATE conversations SET contact_id = ?1 WHERE id = ?2",
                        params![keep, conv],
                    )?;
                }
                Some(target) => {
                    self.tx.execute(
                        "UPDATE messages SET conversation_id = ?1 WHERE conversation_id = ?2",
                        params![target, conv],
                    )?;
                    self.tx.execute(
                        "UPDATE OR IGNORE handovers SET conversation_id = ?1 WHERE conversation_id = ?2",
                        params![target, conv],
                    )?;
                    self.tx.execute(
                        "UPDATE conversations SET
                             last_preview = CASE WHEN g.last_activity_at > conversations.last_activity_at
                                                 THEN g.last_preview ELSE conversations.last_preview END,
                             last_direction = CASE WHEN g.last_activity_at > conversations.last_activity_at
                                                   THEN g.last_direction ELSE conversations.last_direction END,
                             last_activity_at = MAX(conversations.last_activity_at, g.last_activity_at),
                             last_inbound_at = MAX(COALESCE(conversations.last_inbound_at, 0),
                                                   COALESCE(g.last_inbound_at, 0)),
                             unread_count = conversations.unread_count + g.unread_count,
                             lead_source = CASE WHEN g.lead_at < COALESCE(conversations.lead_at, g.lead_at + 1)
                                                THEN g.lead_source ELSE conversations.lead_source END,
                             first_reply_at = CASE WHEN g.lead_at < COALESCE(conversations.lead_at, g.lead_at + 1)
                                                   THEN g.first_reply_at ELSE conversations.first_reply_at END,
                             lead_at = MIN(COALESCE(conversations.lead_at, g.lead_at),
                                           COALESCE(g.lead_at, conversations.lead_at))
                         FROM (SELECT * FROM conversations WHERE id = ?2) AS g
                         WHERE conversations.id = ?1",
                        params![target, conv],
                    )?;
                    self.tx
                        .execute("DELETE FROM conversations WHERE id = ?1", [conv])?;
                    self.removed.borrow_mut().push(conv);
                }
            }
        }
        let (phone, name, first_wamid, first_at): (
            Option<String>,
            Option<String>,
            Option<String>,
            Option<i64>,
        ) = self.tx.query_row(
            "SELECT phone_e164, name, first_inbound_wamid, first_inbound_at FROM contacts WHERE id = ?1",
            [gone],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        self.tx
            .execute("DELETE FROM contacts WHERE id = ?1", [gone])?;
        self.tx.execute(
            "UPDATE contacts SET
                 phone_e164 = COALESCE(phone_e164, ?2),
                 wa_id = COALESCE(wa_id, ltrim(?2, '+')),
                 name = COALESCE(name, ?3)
             WHERE id = ?1",
            params![keep, phone, name],
        )?;
        if let (Some(w), Some(at)) = (first_wamid, first_at) {
            self.note_first_inbound(keep, &w, at)?;
        }
        // The team's rows of either follow the merged customer's key.
        if let Some(after) = self.customer_key(keep)? {
            for before in keys_before.into_iter().flatten() {
                self.rekey_customer(&before, &after)?;
            }
        }
        Ok(())
    }

    /// The conversation between a contact and one business number, created
    /// on first use.
    pub fn conversation_for(
        &self,
        contact: ContactId,
        phone_number_id: &str,
    ) -> Result<ConversationId> {
        let existing: Option<ConversationId> = self
            .prepared(
                "SELECT id FROM conversations WHERE contact_id = ?1 AND phone_number_id = ?2",
            )?
            .query_row(params![contact, phone_number_id], |r| r.get(0))
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        self.prepared(
            "INSERT INTO conversations (contact_id, phone_number_id, created_at)
             VALUES (?1, ?2, ?3)",
        )?
        .execute(params![contact, phone_number_id, now_ms()])?;
        Ok(ConversationId(self.tx.last_insert_rowid()))
    }

    /// Stores a message unless its `wamid` is known, and moves the
    /// conversation's preview, activity time, window start and unread count.
    pub fn insert_message(&self, m: &NewMessage) -> Result<Inserted> {
        self.insert_message_with(m, &records::Details::default())
    }

    pub(crate) fn insert_message_with(
        &self,
        m: &NewMessage,
        d: &records::Details<'_>,
    ) -> Result<Inserted> {
        let inserted = self.insert_message_row(m, d)?;
        if !matches!(inserted, Inserted::New(_)) {
            return Ok(inserted);
        }
        let inbound = m.direction == Direction::Inbound;
        self.prepared(
            "UPDATE conversations SET
             last_preview   = CASE WHEN ?2 >= last_activity_at THEN ?3 ELSE last_preview END,
             last_direction = CASE WHEN ?2 >= last_activity_at THEN ?4 ELSE last_direction END,
             last_activity_at = MAX(last_activity_at, ?2),
             last_inbound_at = CASE WHEN ?5 THEN MAX(COALESCE(last_inbound_at, 0), ?2)
                                    ELSE last_inbound_at END,
             unread_count = unread_count + CASE WHEN ?5 THEN 1 ELSE 0 END,
             first_reply_at = CASE WHEN NOT ?5 AND ?2 >= lead_at
                                    AND (first_reply_at IS NULL OR ?2 < first_reply_at)
                                   THEN ?2 ELSE first_reply_at END
         WHERE id = ?1",
        )?
        .execute(params![
            m.conversation_id,
            m.sent_at,
            preview(&m.body),
            m.direction.as_str(),
            inbound
        ])?;
        Ok(inserted)
    }

    /// The message row alone, unless its `wamid` is known; the
    /// conversation's summary is left to the caller.
    pub(crate) fn insert_message_row(
        &self,
        m: &NewMessage,
        d: &records::Details<'_>,
    ) -> Result<Inserted> {
        let changed = self
            .prepared(
                "INSERT INTO messages (wamid, conversation_id, direction, kind, body, payload,
                                       sent_at, status, reply_to_wamid, created_at,
                                       content, referral, media_id, media_mime,
                                       biz_opaque_callback_data, seq, sent_by, handled_by,
                                       sent_from)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                         ?17, ?18, ?19)
                 ON CONFLICT (wamid) DO NOTHING",
            )?
            .execute(params![
                m.wamid.as_str(),
                m.conversation_id,
                m.direction.as_str(),
                m.kind,
                m.body,
                m.payload,
                m.sent_at,
                m.status,
                m.reply_to_wamid.as_ref().map(Wamid::as_str),
                now_ms(),
                d.content,
                d.referral,
                d.media_id,
                d.media_mime,
                d.biz_opaque_callback_data,
                d.seq,
                d.sent_by,
                // Meta's AI agent in the column of migration 0015, the
                // WhatsApp Business app in that of 0019.
                d.handled_by.filter(|h| *h == HandledBy::AiAgent.as_str()),
                d.handled_by
                    .filter(|h| *h == HandledBy::BusinessApp.as_str())
            ])?;
        if changed == 0 {
            let id = self
                .prepared("SELECT id FROM messages WHERE wamid = ?1")?
                .query_row([m.wamid.as_str()], |r| r.get(0))?;
            return Ok(Inserted::Duplicate(id));
        }
        Ok(Inserted::New(MessageId(self.tx.last_insert_rowid())))
    }

    /// An outbound message sent at `at` is the business's first reply to
    /// the conversation's lead when it is the earliest since the lead (the
    /// `first_reply_at` part of [`Writer::insert_message`]).
    pub(crate) fn note_first_reply(&self, conversation: ConversationId, at: i64) -> Result<()> {
        self.prepared(
            "UPDATE conversations SET first_reply_at = ?2
             WHERE id = ?1 AND ?2 >= lead_at
               AND (first_reply_at IS NULL OR ?2 < first_reply_at)",
        )?
        .execute(params![conversation, at])?;
        Ok(())
    }

    /// Writes what [`SummaryBumps`] gathered, one `UPDATE` per conversation,
    /// and empties it.
    pub(crate) fn flush_summaries(&self, bumps: &mut SummaryBumps) -> Result<()> {
        if bumps.0.is_empty() {
            return Ok(());
        }
        let mut stmt = self.prepared(
            "UPDATE conversations SET
             last_preview   = CASE WHEN ?2 >= last_activity_at THEN ?3 ELSE last_preview END,
             last_direction = CASE WHEN ?2 >= last_activity_at THEN ?4 ELSE last_direction END,
             last_activity_at = MAX(last_activity_at, ?2),
             last_inbound_at = CASE WHEN ?5 IS NOT NULL
                                    THEN MAX(COALESCE(last_inbound_at, 0), ?5)
                                    ELSE last_inbound_at END,
             unread_count = unread_count + ?6
         WHERE id = ?1",
        )?;
        for (id, b) in std::mem::take(&mut bumps.0) {
            stmt.execute(params![
                id,
                b.latest_at,
                b.preview,
                b.direction.as_str(),
                b.inbound_at,
                b.inbound
            ])?;
        }
        Ok(())
    }

    /// Records that the store is complete up to `seq` of `relay`'s log.
    /// The relay no longer keeps the events after `after` and before
    /// `horizon` (410 `history_pruned`): the gap is kept and the cursor
    /// moves to just before the horizon, in this transaction.
    pub fn note_history_gap(
        &self,
        relay: &str,
        after: u64,
        horizon: hourglass_protocol::Horizon,
        now_ms: i64,
    ) -> Result<()> {
        let seq = |s: u64| i64::try_from(s).unwrap_or(i64::MAX);
        self.tx.execute(
            "INSERT INTO history_gaps (relay, after_seq, horizon_seq, horizon_received_at_ms,
                                       noted_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (relay, horizon_seq) DO NOTHING",
            params![
                relay,
                seq(after),
                seq(horizon.seq),
                horizon.received_at_ms,
                now_ms
            ],
        )?;
        self.set_sync_cursor(relay, horizon.seq.saturating_sub(1))
    }

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
           c.id, c.phone_e164, c.user_id, c.name, c.username,
           cv.lead_source, cv.lead_at, cv.first_reply_at,
           CASE WHEN cv.last_direction = 'outbound' THEN
               (SELECT m.sent_by FROM messages m WHERE m.conversation_id = cv.id
                ORDER BY m.sent_at DESC, m.id DESC LIMIT 1)
           END,
           COALESCE((SELECT n.name FROM contact_names n
                     WHERE n.customer = COALESCE(c.phone_e164, c.user_id)),
                    (SELECT b.name FROM business_app_contacts b WHERE b.customer = c.phone_e164)),
           cv.owner
    FROM conversations cv JOIN contacts c ON c.id = cv.contact_id";

fn conversation_from_row(r: &Row<'_>) -> rusqlite::Result<ConversationSummary> {
    let contact = Contact {
        id: r.get(7)?,
        phone: r.get(8)?,
        user_id: r.get(9)?,
        name: r.get(10)?,
        username: r.get(11)?,
    };
    let last_direction: Option<String> = r.get(3)?;
    Ok(ConversationSummary {
        id: r.get(0)?,
        // The name the team gave wins over the name in the WhatsApp
        // Business app's address book, which wins over the profile name.
        display_name: r
            .get::<_, Option<String>>(16)?
            .unwrap_or_else(|| contact.display_name()),
        contact,
        phone_number_id: r.get(1)?,
        last_preview: r.get(2)?,
        last_direction: last_direction.as_deref().and_then(Direction::parse),
        last_sent_by: r.get(15)?,
        last_activity_at: r.get(4)?,
        last_inbound_at: r.get(5)?,
        unread_count: r.get(6)?,
        lead: leads::lead_info(r.get(12)?, r.get(13)?, r.get(14)?),
        owner: r
            .get::<_, Option<String>>(17)?
            .as_deref()
            .and_then(ThreadOwner::parse),
    })
}

/// Indexes the messages this transaction added for search, in one statement
/// (see migration 0006 for why not row by row).
fn index_pending(tx: &Connection) -> Result<()> {
    let pending: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM search_pending)")?
        .query_row([], |r| r.get(0))?;
    if pending {
        tx.prepare_cached(
            "INSERT INTO messages_fts (rowid, body)
             SELECT m.id, m.body FROM search_pending p JOIN messages m ON m.id = p.id",
        )?
        .execute([])?;
        tx.prepare_cached("DELETE FROM search_pending")?
            .execute([])?;
    }
    Ok(())
}

const MESSAGE_SELECT: &str = "
    SELECT m.id, m.wamid, m.conversation_id, m.direction, m.kind, m.body, m.sent_at, m.status,
           m.reply_to_wamid, m.content, m.media_path, m.error_code, m.error_title, m.error_detail,
           m.edited_at, m.revoked_at,
           q.id, q.wamid, q.direction, q.kind, q.body,
           o.id, o.state, o.offer_templates, o.wamid IS NOT NULL, o.error_code, o.error_detail,
           m.sent_by, o.error_title,
           COALESCE(m.handled_by, m.sent_from), m.billable, m.pricing_model, m.pricing_type,
           m.pricing_category
    FROM messages m LEFT JOIN messages q ON q.wamid = m.reply_to_wamid
         LEFT JOIN outbox o ON o.message_id = m.id";

fn message_from_row(r: &Row<'_>) -> rusqlite::Result<Message> {
    let direction: String = r.get(3)?;
    let kind: String = r.get(4)?;
    let body: String = r.get(5)?;
    let content: Option<String> = r.get(9)?;
    let mut content = content
        .and_then(|c| serde_json::from_str::<MessageContent>(&c).ok())
        .unwrap_or_else(|| {
            if kind == "text" {
                MessageContent::Text { body: body.clone() }
            } else {
                MessageContent::Unknown { kind: kind.clone() }
            }
        });
    if let MessageContent::Media(media) = &mut content {
        media.local_path = r.get(10)?;
    }
    // Delivery states belong to what the business sent; a customer's message
    // stored with one (before statuses were checked for direction) shows none.
    let outbound = direction == Direction::Outbound.as_str();
    let status: Option<String> = r.get::<_, Option<String>>(7)?.filter(|_| outbound);
    let error_code: Option<i64> = r.get::<_, Option<i64>>(11)?.filter(|_| outbound);
    let error_title: Option<String> = r.get::<_, Option<String>>(12)?.filter(|_| outbound);
    let error_detail: Option<String> = r.get::<_, Option<String>>(13)?.filter(|_| outbound);
    let failure = (status.as_deref() == Some("failed")
        || error_code.is_some()
        || error_title.is_some())
    .then_some(Failure {
        code: error_code,
        title: error_title,
        refusal: error_code.map(|code| {
            hourglass_whatsapp::graph_error::Refusal::of_error(code, error_detail.as_deref())
        }),
        detail: error_detail,
    });
    let quoted = match r.get::<_, Option<MessageId>>(16)? {
        Some(id) => {
            let qdir: String = r.get(18)?;
            Some(QuotedMessage {
                id,
                wamid: Wamid(r.get(17)?),
                direction: Direction::parse(&qdir).unwrap_or(Direction::Inbound),
                kind: r.get(19)?,
                body: r.get(20)?,
            })
        }
        None => None,
    };
    let revoked_at: Option<i64> = r.get(15)?;
    let outbox = match r.get::<_, Option<String>>(21)? {
        Some(id) => Some(crate::inbox::OutboxInfo::from_parts(
            id,
            &r.get::<_, String>(22)?,
            r.get(23)?,
            r.get(24)?,
            r.get(25)?,
            r.get::<_, Option<String>>(28)?.as_deref(),
            r.get(26)?,
        )),
        None => None,
    };
    Ok(Message {
        id: r.get(0)?,
        wamid: Wamid(r.get(1)?),
        conversation_id: r.get(2)?,
        direction: Direction::parse(&direction).unwrap_or(Direction::Inbound),
        kind,
        body,
        sent_at: r.get(6)?,
        status,
        reply_to_wamid: r.get::<_, Option<String>>(8)?.map(Wamid),
        content,
        quoted,
        reactions: Vec::new(),
        failure,
        edited_at: r.get(14)?,
        revoked: revoked_at.is_some(),
        outbox,
        sent_by: r.get(27)?,
        handled_by: r
            .get::<_, Option<String>>(29)?
            .as_deref()
            .and_then(HandledBy::parse),
        pricing: pricing_from_row(r, 30)?.filter(|_| outbound),
    })
}

/// The pricing columns (billable, model, type, category) from `at` on;
/// `None` when Meta reported none.
fn pricing_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<Option<MessagePricing>> {
    let p = MessagePricing {
        billable: r.get(at)?,
        model: r.get(at + 1)?,
        kind: r.get(at + 2)?,
        category: r.get(at + 3)?,
    };
    let none =
        p.billable.is_none() && p.model.is_none() && p.kind.is_none() && p.category.is_none();
    Ok((!none).then_some(p))
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

/// [`E164::parse`], remembering recent answers: parsing costs several
/// microseconds, and the sync meets the same customers in batch after batch
/// (each resolves its contacts afresh).
fn parse_phone(input: &str) -> Result<E164> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};
    const MAX_REMEMBERED: usize = 10_000;
    static SEEN: LazyLock<Mutex<HashMap<String, E164>>> = LazyLock::new(Mutex::default);
    let seen = || SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = seen().get(input) {
        return Ok(known.clone());
    }
    let parsed = E164::parse(input)?;
    let mut seen = seen();
    if seen.len() >= MAX_REMEMBERED {
        seen.clear();
    }
    seen.insert(input.to_owned(), parsed.clone());
    Ok(parsed)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[cfg(test)]
mod tests;
