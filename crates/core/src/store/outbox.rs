//! The outbox and template tables (migration 0003): the SQL behind
//! [`crate::outbox`] and [`crate::templates`]. Every write runs inside the
//! caller's [`Store::write`] transaction.

use super::records::Details;
use super::{NewMessage, StatusRecord, Store, Writer};
use crate::error::{Error, Result};
use crate::inbox::{ConversationId, Direction, MessageContent, MessageId};
use crate::inbox::{
    DISCARDED_TITLE, OutboxId, OutboxState, StatusKind, StatusRank, UNCONFIRMED_TITLE, Wamid,
};
use hourglass_whatsapp::template::Template;
use rusqlite::{OptionalExtension, Row, params};

/// The wamid of a bubble Meta has not accepted yet.
pub(crate) fn placeholder_wamid(id: &OutboxId) -> Wamid {
    Wamid(format!("local:{}", id.0))
}

/// A send to record: the outbox row and its bubble.
#[derive(Debug, Clone)]
pub(crate) struct NewOutbox<'a> {
    pub id: &'a OutboxId,
    pub conversation_id: ConversationId,
    pub recipient: &'a str,
    pub kind: &'a str,
    pub request: &'a str,
    pub body: &'a str,
    pub reply_to: Option<&'a str>,
    /// The bubble's content; text of `body` when `None`.
    pub content: Option<&'a MessageContent>,
    pub media: Option<NewOutboxMedia<'a>>,
    pub now_ms: i64,
}

/// The staged file of a media send (migration 0014).
#[derive(Debug, Clone)]
pub(crate) struct NewOutboxMedia<'a> {
    pub file: &'a str,
    pub mime_type: &'a str,
    pub filename: Option<&'a str>,
}

/// One outbox row as the worker reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutboxRow {
    pub id: OutboxId,
    pub conversation_id: ConversationId,
    pub message_id: Option<MessageId>,
    pub recipient: String,
    pub kind: String,
    pub request: String,
    pub body: String,
    pub state: OutboxState,
    pub attempts: u32,
    pub backoffs: u32,
    pub next_attempt_at_ms: i64,
    pub sending_since_ms: Option<i64>,
    pub wamid: Option<String>,
    pub error_code: Option<i64>,
    pub offer_templates: bool,
    pub created_at_ms: i64,
    pub published: bool,
    /// The staged file (its SHA-256) of a media send.
    pub media_file: Option<String>,
    pub media_mime: Option<String>,
    pub media_filename: Option<String>,
    /// Meta's id of the uploaded file, once the upload answered.
    pub media_id: Option<String>,
}

const OUTBOX_SELECT: &str =
    "SELECT id, conversation_id, message_id, recipient, kind, request, body,
        state, attempts, backoffs, next_attempt_at_ms, sending_since_ms, wamid, error_code,
        offer_templates, created_at_ms, published, media_file, media_mime, media_filename,
        media_id FROM outbox";

fn outbox_from_row(r: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    let state: String = r.get(7)?;
    Ok(OutboxRow {
        id: OutboxId(r.get(0)?),
        conversation_id: r.get(1)?,
        message_id: r.get(2)?,
        recipient: r.get(3)?,
        kind: r.get(4)?,
        request: r.get(5)?,
        body: r.get(6)?,
        state: OutboxState::parse(&state).unwrap_or(OutboxState::NeedsHuman),
        attempts: r.get(8)?,
        backoffs: r.get(9)?,
        next_attempt_at_ms: r.get(10)?,
        sending_since_ms: r.get(11)?,
        wamid: r.get(12)?,
        error_code: r.get(13)?,
        offer_templates: r.get(14)?,
        created_at_ms: r.get(15)?,
        published: r.get(16)?,
        media_file: r.get(17)?,
        media_mime: r.get(18)?,
        media_filename: r.get(19)?,
        media_id: r.get(20)?,
    })
}

/// Why a send failed, as stored on the row and its bubble.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SendFailure {
    pub code: Option<i64>,
    pub title: String,
    pub detail: String,
    pub offer_templates: bool,
}

impl Writer<'_> {
    /// Records a send and its bubble (status `pending`, a clock in the UI).
    pub(crate) fn insert_outbox(&self, o: &NewOutbox<'_>) -> Result<MessageId> {
        let text = MessageContent::Text {
            body: o.body.to_owned(),
        };
        let content = serde_json::to_string(o.content.unwrap_or(&text))
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        let inserted = self.insert_message_with(
            &NewMessage {
                wamid: placeholder_wamid(o.id),
                conversation_id: o.conversation_id,
                direction: Direction::Outbound,
                kind: o.kind.to_owned(),
                body: o.body.to_owned(),
                payload: None,
                sent_at: o.now_ms.div_euclid(1000),
                status: Some("pending".to_owned()),
                reply_to_wamid: o.reply_to.map(|w| Wamid(w.to_owned())),
            },
            &Details {
                content: Some(&content),
                biz_opaque_callback_data: Some(&o.id.0),
                ..Details::default()
            },
        )?;
        let message_id = match inserted {
            super::Inserted::New(id) | super::Inserted::Duplicate(id) => id,
        };
        self.tx
            .prepare_cached(
                "INSERT INTO outbox (id, conversation_id, message_id, recipient, kind, request, body,
                                     state, next_attempt_at_ms, created_at_ms, media_file,
                                     media_mime, media_filename)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                o.id.0,
                o.conversation_id,
                message_id,
                o.recipient,
                o.kind,
                o.request,
                o.body,
                o.now_ms,
                o.media.as_ref().map(|m| m.file),
                o.media.as_ref().map(|m| m.mime_type),
                o.media.as_ref().and_then(|m| m.filename),
            ])?;
        Ok(message_id)
    }

    pub(crate) fn outbox_row(&self, id: &OutboxId) -> Result<Option<OutboxRow>> {
        Ok(self
            .tx
            .prepare_cached(&format!("{OUTBOX_SELECT} WHERE id = ?1"))?
            .query_row([&id.0], outbox_from_row)
            .optional()?)
    }

    /// Meta answered the upload of a media row's file with `media_id`: the
    /// id goes on the row, into the request the worker sends and into the
    /// bubble, in one transaction, so a crash after this never uploads
    /// again. Only a row still waiting for its upload changes.
    pub(crate) fn outbox_set_media_id(
        &self,
        id: &OutboxId,
        media_id: &str,
    ) -> Result<Option<MessageId>> {
        let Some(row) = self.outbox_row(id)? else {
            return Ok(None);
        };
        if row.media_id.is_some() || row.media_file.is_none() {
            return Ok(row.message_id);
        }
        let unreadable =
            |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        let mut request: hourglass_whatsapp::send::OutboundMessage =
            serde_json::from_str(&row.request).map_err(unreadable)?;
        if let Some(media) = request.body.media_body_mut() {
            media.id = Some(media_id.to_owned());
            media.link = None;
        }
        let request = serde_json::to_string(&request).map_err(unreadable)?;
        self.tx
            .prepare_cached(
                "UPDATE outbox SET media_id = ?2, request = ?3 WHERE id = ?1 AND media_id IS NULL",
            )?
            .execute(params![id.0, media_id, request])?;
        if let Some(message) = row.message_id {
            let content: Option<String> = self
                .tx
                .prepare_cached("SELECT content FROM messages WHERE id = ?1")?
                .query_row([message], |r| r.get(0))
                .optional()?
                .flatten();
            if let Some(Ok(MessageContent::Media(mut info))) =
                content.map(|c| serde_json::from_str::<MessageContent>(&c))
            {
                info.id = media_id.to_owned();
                let content =
                    serde_json::to_string(&MessageContent::Media(info)).map_err(unreadable)?;
                self.tx.execute(
                    "UPDATE messages SET content = ?2 WHERE id = ?1",
                    params![message, content],
                )?;
            }
        }
        Ok(row.message_id)
    }

    /// Commits the intent to call Meta: from here on a crash means "may
    /// have been sent".
    pub(crate) fn outbox_mark_sending(&self, id: &OutboxId, now_ms: i64) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = 'sending', sending_since_ms = ?2
                 WHERE id = ?1 AND state = 'queued'",
            )?
            .execute(params![id.0, now_ms])?;
        Ok(n == 1)
    }

    /// Meta accepted the send as `wamid` (from the HTTP reply or from a
    /// status webhook carrying our id). Idempotent: the bubble takes the real
    /// wamid once, and statuses that arrived for it meanwhile apply.
    pub(crate) fn outbox_accept(&self, id: &OutboxId, wamid: &str) -> Result<Option<MessageId>> {
        let Some(row) = self.outbox_row(id)? else {
            return Ok(None);
        };
        if row.wamid.as_deref().is_some_and(|w| w != wamid) {
            tracing::warn!(outbox = %id.0, "a second wamid for one outbox row; keeping the first");
            return Ok(row.message_id);
        }
        self.tx
            .prepare_cached(
                // Acceptance beats any error recorded for a later attempt:
                // Meta has the message.
                "UPDATE outbox SET wamid = ?2, state = 'accepted', sending_since_ms = NULL,
                     error_code = NULL, error_title = NULL, error_detail = NULL,
                     offer_templates = 0
                 WHERE id = ?1 AND wamid IS NULL",
            )?
            .execute(params![id.0, wamid])?;
        let Some(message) = row.message_id else {
            return Ok(None);
        };
        let existing: Option<MessageId> = self
            .tx
            .prepare_cached("SELECT id FROM messages WHERE wamid = ?1")?
            .query_row([wamid], |r| r.get(0))
            .optional()?;
        let message = match existing {
            Some(found) if found != message => {
                // The message was filed under its real wamid some other way;
                // the placeholder bubble goes, the row points at the real one.
                self.tx.execute(
                    "DELETE FROM messages WHERE id = ?1 AND wamid LIKE 'local:%'",
                    [message],
                )?;
                self.tx.execute(
                    "UPDATE outbox SET message_id = ?2 WHERE id = ?1",
                    params![id.0, found],
                )?;
                found
            }
            Some(same) => same,
            None => {
                self.tx.execute(
                    "UPDATE messages SET wamid = ?2,
                         status = CASE WHEN status IN ('pending', 'failed') THEN 'accepted'
                                       ELSE status END,
                         error_code = NULL, error_title = NULL, error_detail = NULL
                     WHERE id = ?1 AND wamid LIKE 'local:%'",
                    params![message, wamid],
                )?;
                message
            }
        };
        self.apply_waiting_statuses(message, wamid)?;
        Ok(Some(message))
    }

    /// Statuses stored while the bubble still had its placeholder wamid:
    /// the best one (failed wins, else the furthest) becomes the bubble's.
    fn apply_waiting_statuses(&self, message: MessageId, wamid: &str) -> Result<()> {
        let statuses: Vec<StatusRecord> = {
            let mut stmt = self.tx.prepare_cached(
                "SELECT status, at, error_code, error_title, error_detail
                 FROM message_statuses WHERE wamid = ?1",
            )?;
            stmt.query_map([wamid], |r| {
                Ok(StatusRecord {
                    wamid: Wamid(wamid.to_owned()),
                    status: StatusKind::from(r.get::<_, String>(0)?.as_str()),
                    at: r.get(1)?,
                    error_code: r.get(2)?,
                    error_title: r.get(3)?,
                    error_detail: r.get(4)?,
                    ..StatusRecord::default()
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let Some(best) = statuses.iter().max_by_key(|s| StatusRank::of(&s.status)) else {
            return Ok(());
        };
        let current: Option<String> = self
            .tx
            .prepare_cached("SELECT status FROM messages WHERE id = ?1")?
            .query_row([message], |r| r.get(0))?;
        let rank = StatusRank::of(&best.status);
        if rank.is_none() || rank <= current.as_deref().and_then(StatusRank::of_stored) {
            return Ok(());
        }
        let failed = best.status == StatusKind::Failed;
        self.tx.execute(
            "UPDATE messages SET status = ?2, status_at = ?3,
                 error_code = CASE WHEN ?4 THEN ?5 ELSE error_code END,
                 error_title = CASE WHEN ?4 THEN ?6 ELSE error_title END,
                 error_detail = CASE WHEN ?4 THEN ?7 ELSE error_detail END
             WHERE id = ?1",
            params![
                message,
                best.status.as_str(),
                best.at,
                failed,
                best.error_code,
                best.error_title,
                best.error_detail
            ],
        )?;
        Ok(())
    }

    /// Back to `queued`, due at `next_at_ms` (a retry or a back-off).
    pub(crate) fn outbox_reschedule(
        &self,
        id: &OutboxId,
        next_at_ms: i64,
        count_attempt: bool,
        count_backoff: bool,
        failure: Option<&SendFailure>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE outbox SET state = 'queued', next_attempt_at_ms = ?2,
                     attempts = attempts + ?3,
                     backoffs = CASE WHEN ?4 THEN backoffs + 1 ELSE 0 END,
                     sending_since_ms = NULL,
                     error_code = ?5, error_title = ?6, error_detail = ?7
                 WHERE id = ?1 AND state IN ('queued', 'sending')",
            )?
            .execute(params![
                id.0,
                next_at_ms,
                i64::from(count_attempt),
                count_backoff,
                failure.and_then(|f| f.code),
                failure.map(|f| f.title.as_str()),
                failure.map(|f| f.detail.as_str())
            ])?;
        Ok(())
    }

    /// The send failed for good (`failed`) or until a human decides
    /// (`needs_human`); the bubble shows it. Returns the bubble.
    pub(crate) fn outbox_fail(
        &self,
        id: &OutboxId,
        state: OutboxState,
        failure: &SendFailure,
        count_attempt: bool,
    ) -> Result<Option<MessageId>> {
        let message: Option<Option<MessageId>> = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = ?2, attempts = attempts + ?3, sending_since_ms = NULL,
                     error_code = ?4, error_title = ?5, error_detail = ?6, offer_templates = ?7
                 WHERE id = ?1 RETURNING message_id",
            )?
            .query_row(
                params![
                    id.0,
                    state.as_str(),
                    i64::from(count_attempt),
                    failure.code,
                    failure.title,
                    failure.detail,
                    failure.offer_templates
                ],
                |r| r.get(0),
            )
            .optional()?;
        let message = message.flatten();
        if let Some(m) = message {
            self.tx.execute(
                "UPDATE messages SET status = 'failed', error_code = ?2, error_title = ?3,
                     error_detail = ?4
                 WHERE id = ?1",
                params![m, failure.code, failure.title, failure.detail],
            )?;
        }
        Ok(message)
    }

    /// A send left `sending` that WhatsApp never confirmed: the row waits for
    /// the agent ([`crate::inbox::Unconfirmed::Ask`]). The bubble keeps its
    /// clock, as the message may well have reached the customer.
    pub(crate) fn outbox_unconfirmed(&self, id: &OutboxId) -> Result<Option<MessageId>> {
        let message: Option<Option<MessageId>> = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = 'needs_human', sending_since_ms = NULL,
                     error_code = NULL, error_title = ?2, error_detail = ?3, offer_templates = 0
                 WHERE id = ?1 AND state = 'sending' AND wamid IS NULL
                 RETURNING message_id",
            )?
            .query_row(
                params![
                    id.0,
                    UNCONFIRMED_TITLE,
                    "WhatsApp did not confirm this message."
                ],
                |r| r.get(0),
            )
            .optional()?;
        Ok(message.flatten())
    }

    /// The agent chose not to send an unconfirmed message again.
    pub(crate) fn outbox_discard(&self, id: &OutboxId) -> Result<Option<MessageId>> {
        let detail = "WhatsApp never confirmed this message and it was not sent again.";
        let message: Option<Option<MessageId>> = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = 'failed', error_title = ?2, error_detail = ?3
                 WHERE id = ?1 AND state = 'needs_human' AND error_title = ?4 AND wamid IS NULL
                 RETURNING message_id",
            )?
            .query_row(
                params![id.0, DISCARDED_TITLE, detail, UNCONFIRMED_TITLE],
                |r| r.get(0),
            )
            .optional()?;
        let Some(message) = message else {
            return Err(Error::NotRetryable {
                reason: "it is not waiting for a decision (it was confirmed, or decided already)"
                    .to_owned(),
            });
        };
        if let Some(m) = message {
            self.tx.execute(
                "UPDATE messages SET status = 'failed', error_code = NULL, error_title = ?2,
                     error_detail = ?3
                 WHERE id = ?1 AND wamid LIKE 'local:%'",
                params![m, DISCARDED_TITLE, detail],
            )?;
        }
        Ok(message)
    }

    pub(crate) fn outbox_mark_published(&self, id: &OutboxId) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE outbox SET published = 1 WHERE id = ?1")?
            .execute([&id.0])?;
        Ok(())
    }

    /// A human asked to try again: the row is queued afresh and its bubble
    /// shows the clock.
    pub(crate) fn outbox_requeue(&self, id: &OutboxId, now_ms: i64) -> Result<Option<MessageId>> {
        let message: Option<Option<MessageId>> = self
            .tx
            .prepare_cached(
                "UPDATE outbox SET state = 'queued', attempts = 0, backoffs = 0,
                     next_attempt_at_ms = ?2, sending_since_ms = NULL, error_code = NULL,
                     error_title = NULL, error_detail = NULL, offer_templates = 0
                 WHERE id = ?1 AND state IN ('failed', 'needs_human') AND wamid IS NULL
                 RETURNING message_id",
            )?
            .query_row(params![id.0, now_ms], |r| r.get(0))
            .optional()?;
        let Some(message) = message else {
            return Err(Error::NotRetryable {
                reason: "it is not waiting for a decision (only failed messages that never \
                         reached WhatsApp can be sent again as they are)"
                    .to_owned(),
            });
        };
        if let Some(m) = message {
            self.tx.execute(
                "UPDATE messages SET status = 'pending', error_code = NULL, error_title = NULL,
                     error_detail = NULL WHERE id = ?1",
                [m],
            )?;
        }
        Ok(message)
    }

    /// The sync engine's hook for every new status webhook: a status that
    /// carries our outbox id reveals the wamid of a send whose reply was
    /// lost; a `failed` status fails the outbox row too. Returns the bubble
    /// whose shown state changed.
    pub fn outbox_note_status(&self, s: &StatusRecord) -> Result<Option<MessageId>> {
        let by_callback = match s.biz_opaque_callback_data.as_deref() {
            Some(cb) => self.outbox_row(&OutboxId(cb.to_owned()))?,
            None => None,
        };
        let row = match by_callback {
            Some(r) => Some(r),
            None => self
                .tx
                .prepare_cached(&format!("{OUTBOX_SELECT} WHERE wamid = ?1"))?
                .query_row([s.wamid.as_str()], outbox_from_row)
                .optional()?,
        };
        let Some(row) = row else {
            return Ok(None);
        };
        let mut touched = None;
        if row.wamid.is_none() {
            touched = self.outbox_accept(&row.id, s.wamid.as_str())?;
        }
        if s.status == StatusKind::Failed
            && row.wamid.as_deref().is_none_or(|w| w == s.wamid.as_str())
        {
            let code = s.error_code;
            let class = code.map(hourglass_whatsapp::graph_error::classify);
            self.tx
                .prepare_cached(
                    "UPDATE outbox SET state = 'failed', sending_since_ms = NULL,
                         error_code = ?2, error_title = ?3, error_detail = ?4, offer_templates = ?5
                     WHERE id = ?1",
                )?
                .execute(params![
                    row.id.0,
                    code,
                    s.error_title,
                    s.error_detail,
                    class.is_some_and(|c| c.offers_template_picker())
                ])?;
            touched = touched.or(row.message_id);
        }
        Ok(touched)
    }

    /// Replaces the whole template catalogue.
    pub(crate) fn replace_templates(&self, templates: &[Template], now_ms: i64) -> Result<()> {
        self.tx.execute("DELETE FROM templates", [])?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO templates (name, language, template_id, status, category,
                                    parameter_format, components, synced_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (name, language) DO NOTHING",
        )?;
        for t in templates {
            let json = |v: serde_json::Result<serde_json::Value>| -> Result<String> {
                let v = v.map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                Ok(match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
            };
            stmt.execute(params![
                t.name,
                t.language,
                t.id,
                json(serde_json::to_value(t.status))?,
                json(serde_json::to_value(t.category))?,
                t.parameter_format
                    .map(|f| json(serde_json::to_value(f)))
                    .transpose()?,
                json(serde_json::to_value(&t.components))?,
                now_ms
            ])?;
        }
        Ok(())
    }
}

impl Store {
    pub(crate) fn outbox_rows(
        &self,
        filter: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<OutboxRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{OUTBOX_SELECT} WHERE {filter}"))?;
        let rows = stmt.query_map(args, outbox_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The wamid of a status webhook that carried `callback` as
    /// `biz_opaque_callback_data`, if one arrived.
    pub(crate) fn wamid_for_callback(&self, callback: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT wamid FROM message_statuses WHERE biz_opaque_callback_data = ?1 LIMIT 1",
            )?
            .query_row([callback], |r| r.get(0))
            .optional()?)
    }

    /// Every stored template, by name then language.
    pub(crate) fn templates(&self) -> Result<Vec<Template>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT template_id, name, language, status, category, parameter_format, components
             FROM templates ORDER BY name, language",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(serde_json::json!({
                "id": r.get::<_, String>(0)?,
                "name": r.get::<_, String>(1)?,
                "language": r.get::<_, String>(2)?,
                "status": r.get::<_, String>(3)?,
                "category": r.get::<_, String>(4)?,
                "parameter_format": r.get::<_, Option<String>>(5)?,
                "components": serde_json::from_str::<serde_json::Value>(&r.get::<_, String>(6)?)
                    .unwrap_or(serde_json::Value::Array(Vec::new())),
            }))
        })?;
        let mut out = Vec::new();
        for value in rows {
            let value = value?;
            let mut value = value;
            if value["parameter_format"].is_null()
                && let Some(o) = value.as_object_mut()
            {
                o.remove("parameter_format");
            }
            match serde_json::from_value::<Template>(value) {
                Ok(t) => out.push(t),
                Err(e) => tracing::warn!(error = %e, "a stored template no longer reads"),
            }
        }
        Ok(out)
    }

    /// When the catalogue was last synced (local clock, ms).
    pub(crate) fn templates_synced_at(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT MAX(synced_at_ms) FROM templates", [], |r| r.get(0))?)
    }
}
