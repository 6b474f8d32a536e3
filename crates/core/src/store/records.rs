//! Writes the sync engine makes beyond plain message rows: details of
//! messages, statuses (kept even for messages not stored yet), reactions,
//! edits, revokes, template and opt-out updates, flagged and agent events.
//! Each is idempotent, so replaying any part of the relay's log is a no-op.

use super::{Inserted, NewMessage, Store, SummaryBumps, Writer};
use crate::error::Result;
use crate::inbox::{
    ContactId, ConversationId, Direction, Message, MessageContent, MessageId, StatusKind,
    StatusRank, Wamid,
};
use rusqlite::{OptionalExtension, params};

/// What a synced message carries beyond [`NewMessage`].
#[derive(Debug, Clone, Default)]
pub struct MessageExtras {
    pub content: Option<MessageContent>,
    /// The click-to-WhatsApp referral JSON, as Meta sent it.
    pub referral: Option<String>,
    pub media_id: Option<String>,
    pub media_mime: Option<String>,
    pub biz_opaque_callback_data: Option<String>,
    /// The relay event it came from.
    pub seq: u64,
    /// The agent who sent it, for an outbound message another desktop
    /// published (migration 0007).
    pub sent_by: Option<String>,
    /// `ai_agent` for a message Meta's AI agent handled (migration 0015).
    pub handled_by: Option<crate::inbox::HandledBy>,
}

/// One status webhook, as stored in `message_statuses`.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRecord {
    pub wamid: Wamid,
    pub status: StatusKind,
    /// Meta timestamp, Unix seconds.
    pub at: i64,
    pub recipient_id: Option<String>,
    pub biz_opaque_callback_data: Option<String>,
    pub pricing_category: Option<String>,
    pub pricing_model: Option<String>,
    /// The pricing's `type` (`regular`, `free_customer_service`, …).
    pub pricing_type: Option<String>,
    pub billable: Option<bool>,
    pub error_code: Option<i64>,
    pub error_title: Option<String>,
    pub error_detail: Option<String>,
    pub seq: u64,
}

impl Default for StatusRecord {
    /// A record to fill in: no wamid, a status without a rank.
    fn default() -> Self {
        StatusRecord {
            wamid: Wamid(String::new()),
            status: StatusKind::Other(String::new()),
            at: 0,
            recipient_id: None,
            biz_opaque_callback_data: None,
            pricing_category: None,
            pricing_model: None,
            pricing_type: None,
            billable: None,
            error_code: None,
            error_title: None,
            error_detail: None,
            seq: 0,
        }
    }
}

/// A `message_template_status_update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRecord {
    pub waba_id: String,
    pub template_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    pub event: String,
    /// Meta's reason code; `None` when it gave none (`NONE`).
    pub reason: Option<String>,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`, when the webhook says.
    pub category: Option<String>,
    /// Meta's words: why it was rejected, or what the pause means.
    pub detail: Option<String>,
    pub recommendation: Option<String>,
    /// `FIRST_PAUSE`, `SECOND_PAUSE`, `UNPAUSE`, …
    pub title: Option<String>,
    /// Meta time of the webhook (Unix seconds); the relay's when absent.
    pub at: i64,
    pub seq: u64,
}

/// The flag kind of a status that names an inbound message.
pub const STATUS_ON_INBOUND: &str = "status_on_inbound";

/// An event kept whole because it could not become inbox rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagRecord {
    pub seq: u64,
    /// `malformed`, `other`, `error`, `unapplied`, `panicked`,
    /// [`STATUS_ON_INBOUND`].
    pub kind: String,
    pub reason: String,
    pub payload: String,
    pub received_at_ms: i64,
}

/// The first message a customer sent, with its ad referral: what lead
/// detection looks at.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFirstMessage {
    pub contact_id: ContactId,
    pub message: Message,
    /// The referral JSON of a click-to-WhatsApp message.
    pub referral: Option<serde_json::Value>,
}

/// The 0002 columns of a message row, written with the row.
#[derive(Debug, Default)]
pub(crate) struct Details<'a> {
    pub content: Option<&'a str>,
    pub referral: Option<&'a str>,
    pub media_id: Option<&'a str>,
    pub media_mime: Option<&'a str>,
    pub biz_opaque_callback_data: Option<&'a str>,
    pub seq: i64,
    pub sent_by: Option<&'a str>,
    pub handled_by: Option<&'static str>,
}

fn seq_i64(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

impl Writer<'_> {
    /// [`Writer::insert_message`] plus the details, the contact's first
    /// inbound message, and any status that arrived before the message.
    pub fn insert_synced(
        &self,
        m: &NewMessage,
        extras: &MessageExtras,
        contact: ContactId,
        note_first_inbound: bool,
    ) -> Result<Inserted> {
        self.insert_synced_with(m, extras, contact, note_first_inbound, None)
    }

    /// [`Writer::insert_synced`]; with `bumps`, the conversation's summary
    /// is gathered there for [`Writer::flush_summaries`] instead of updated
    /// now.
    pub(crate) fn insert_synced_with(
        &self,
        m: &NewMessage,
        extras: &MessageExtras,
        contact: ContactId,
        note_first_inbound: bool,
        bumps: Option<&mut SummaryBumps>,
    ) -> Result<Inserted> {
        let content = content_json(extras)?;
        let details = Details::of(extras, content.as_deref());
        let inserted = match bumps {
            None => self.insert_message_with(m, &details)?,
            Some(bumps) => {
                let inserted = self.insert_message_row(m, &details)?;
                if matches!(inserted, Inserted::New(_)) {
                    bumps.add(m);
                    if m.direction == Direction::Outbound {
                        self.note_first_reply(m.conversation_id, m.sent_at)?;
                    }
                }
                inserted
            }
        };
        if !matches!(inserted, Inserted::New(_)) {
            return Ok(inserted);
        }
        if note_first_inbound && m.direction == Direction::Inbound {
            self.note_first_inbound(contact, m.wamid.as_str(), m.sent_at)?;
        }
        // Statuses that came first (our own outbound published late).
        let pending: Vec<StatusRecord> = {
            let mut stmt = self.prepared(
                "SELECT status, at, biz_opaque_callback_data, pricing_category, pricing_model,
                        billable, error_code, error_title, error_detail, seq, pricing_type
                 FROM message_statuses WHERE wamid = ?1",
            )?;
            stmt.query_map([m.wamid.as_str()], |r| {
                Ok(StatusRecord {
                    wamid: m.wamid.clone(),
                    status: StatusKind::from(r.get::<_, String>(0)?.as_str()),
                    at: r.get(1)?,
                    recipient_id: None,
                    biz_opaque_callback_data: r.get(2)?,
                    pricing_category: r.get(3)?,
                    pricing_model: r.get(4)?,
                    billable: r.get(5)?,
                    error_code: r.get(6)?,
                    error_title: r.get(7)?,
                    error_detail: r.get(8)?,
                    seq: r.get::<_, i64>(9)?.try_into().unwrap_or(0),
                    pricing_type: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        for s in &pending {
            self.apply_status_to_message(s)?;
        }
        Ok(inserted)
    }

    /// A message of the WhatsApp Business app's history: stored unless its
    /// `wamid` is known, moving the conversation's preview, activity time
    /// and window, but not its unread count (gathered in `bumps`).
    pub(crate) fn insert_history(
        &self,
        m: &NewMessage,
        extras: &MessageExtras,
        contact: ContactId,
        note_first_inbound: bool,
        bumps: &mut SummaryBumps,
    ) -> Result<Inserted> {
        let content = content_json(extras)?;
        let inserted = self.insert_message_row(m, &Details::of(extras, content.as_deref()))?;
        if matches!(inserted, Inserted::New(_)) {
            bumps.add_read(m);
            if note_first_inbound && m.direction == Direction::Inbound {
                self.note_first_inbound(contact, m.wamid.as_str(), m.sent_at)?;
            }
        }
        Ok(inserted)
    }

    /// Puts the media that followed a history placeholder in its place.
    /// Returns whether a placeholder was filled (never anything else).
    pub(crate) fn fill_placeholder(&self, m: &NewMessage, extras: &MessageExtras) -> Result<bool> {
        let content = content_json(extras)?;
        let changed = self
            .prepared(
                "UPDATE messages SET kind = ?2, body = ?3, content = ?4, media_id = ?5,
                                     media_mime = ?6, payload = COALESCE(?7, payload)
                 WHERE wamid = ?1 AND kind = 'media_placeholder'",
            )?
            .execute(params![
                m.wamid.as_str(),
                m.kind,
                m.body,
                content,
                extras.media_id,
                extras.media_mime,
                m.payload
            ])?;
        Ok(changed > 0)
    }

    /// Records who answers `conversation` now, unless an event newer than
    /// `at` (Meta's time) already said. Returns whether it changed.
    pub fn set_owner(
        &self,
        conversation: ConversationId,
        owner: crate::inbox::ThreadOwner,
        at: i64,
    ) -> Result<bool> {
        let changed = self
            .prepared(
                "UPDATE conversations SET owner = ?2, owner_at = ?3
                 WHERE id = ?1 AND (owner_at IS NULL OR owner_at <= ?3)
                   AND (owner IS NULL OR owner <> ?2 OR owner_at <> ?3)",
            )?
            .execute(params![conversation, owner.as_str(), at])?;
        Ok(changed > 0)
    }

    /// Remembers `wamid` as the contact's first inbound message unless an
    /// earlier one is known.
    pub(crate) fn note_first_inbound(
        &self,
        contact: ContactId,
        wamid: &str,
        at: i64,
    ) -> Result<()> {
        self.prepared(
            "UPDATE contacts SET first_inbound_wamid = ?2, first_inbound_at = ?3
             WHERE id = ?1 AND (first_inbound_at IS NULL OR first_inbound_at > ?3)",
        )?
        .execute(params![contact, wamid, at])?;
        Ok(())
    }

    /// Stores a status and applies it to its message when the message is
    /// stored; otherwise it waits for the message. Returns the message whose
    /// shown state changed, if any.
    pub fn record_status(&self, s: &StatusRecord) -> Result<Option<MessageId>> {
        let added = self
            .prepared(
                "INSERT INTO message_statuses (wamid, status, at, recipient_id,
                     biz_opaque_callback_data, pricing_category, pricing_model, billable,
                     error_code, error_title, error_detail, seq, pricing_type)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
                 ON CONFLICT (wamid, status) DO NOTHING",
            )?
            .execute(params![
                s.wamid.as_str(),
                s.status.as_str(),
                s.at,
                s.recipient_id,
                s.biz_opaque_callback_data,
                s.pricing_category,
                s.pricing_model,
                s.billable,
                s.error_code,
                s.error_title,
                s.error_detail,
                seq_i64(s.seq),
                s.pricing_type
            ])?;
        if added == 0 {
            return Ok(None);
        }
        self.apply_status_to_message(s)
    }

    fn apply_status_to_message(&self, s: &StatusRecord) -> Result<Option<MessageId>> {
        let current: Option<(MessageId, Option<String>, String)> = self
            .prepared("SELECT id, status, direction FROM messages WHERE wamid = ?1")?
            .query_row([s.wamid.as_str()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((id, current, direction)) = current else {
            return Ok(None);
        };
        // Meta reports delivery of what the business sent. A status naming a
        // customer's message is someone else's mistake (a replayed or forged
        // webhook, a wamid reused): it is kept for inspection and never
        // becomes the customer's bubble state.
        if direction != Direction::Outbound.as_str() {
            self.flag_event(&FlagRecord {
                seq: s.seq,
                kind: STATUS_ON_INBOUND.to_owned(),
                reason: format!(
                    "a `{}` status names the customer's message {}; statuses apply only to outbound messages",
                    s.status.as_str(), s.wamid
                ),
                payload: format!("{s:?}"),
                received_at_ms: 0,
            })?;
            return Ok(None);
        }
        let rank = StatusRank::of(&s.status);
        let advance = rank.is_some() && rank > current.as_deref().and_then(StatusRank::of_stored);
        let failed = s.status == StatusKind::Failed;
        let changed = self
            .prepared(
                "UPDATE messages SET
                     status = CASE WHEN ?2 THEN ?3 ELSE status END,
                     status_at = CASE WHEN ?2 THEN ?4 ELSE status_at END,
                     error_code = CASE WHEN ?5 THEN ?6 ELSE error_code END,
                     error_title = CASE WHEN ?5 THEN ?7 ELSE error_title END,
                     error_detail = CASE WHEN ?5 THEN ?8 ELSE error_detail END,
                     biz_opaque_callback_data = COALESCE(biz_opaque_callback_data, ?9),
                     pricing_category = COALESCE(?10, pricing_category),
                     pricing_model = COALESCE(?11, pricing_model),
                     billable = COALESCE(?12, billable),
                     pricing_type = COALESCE(?13, pricing_type)
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                advance,
                s.status.as_str(),
                s.at,
                failed && advance,
                s.error_code,
                s.error_title,
                s.error_detail,
                s.biz_opaque_callback_data,
                s.pricing_category,
                s.pricing_model,
                s.billable,
                s.pricing_type
            ])?;
        Ok((changed > 0 && advance).then_some(id))
    }

    /// Sets (or with `emoji` `None`, removes) the reaction of one side to a
    /// message. An older reaction never replaces a newer one. Returns the
    /// reacted-to message when it is stored.
    pub fn set_reaction(
        &self,
        target_wamid: &str,
        direction: Direction,
        emoji: Option<&str>,
        at: i64,
        wamid: &str,
        seq: u64,
    ) -> Result<Option<MessageId>> {
        let emoji = emoji.filter(|e| !e.is_empty());
        self.prepared(
            "INSERT INTO reactions (target_wamid, direction, emoji, at, wamid, seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (target_wamid, direction) DO UPDATE SET
                 emoji = excluded.emoji, at = excluded.at, wamid = excluded.wamid,
                 seq = excluded.seq
             WHERE excluded.at > reactions.at
                OR (excluded.at = reactions.at AND excluded.seq > reactions.seq)",
        )?
        .execute(params![
            target_wamid,
            direction.as_str(),
            emoji,
            at,
            wamid,
            seq_i64(seq)
        ])?;
        self.message_id(target_wamid)
    }

    fn message_id(&self, wamid: &str) -> Result<Option<MessageId>> {
        Ok(self
            .prepared("SELECT id FROM messages WHERE wamid = ?1")?
            .query_row([wamid], |r| r.get(0))
            .optional()?)
    }

    /// The author edited a message: its body and content become the new
    /// ones unless a later edit is already applied.
    pub fn edit_message(
        &self,
        target_wamid: &str,
        body: &str,
        content: &MessageContent,
        at: i64,
    ) -> Result<Option<MessageId>> {
        let content = serde_json::to_string(content)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        self.prepared(
            "UPDATE messages SET body = ?2, content = ?3, edited_at = ?4
             WHERE wamid = ?1 AND revoked_at IS NULL
               AND (edited_at IS NULL OR edited_at < ?4)",
        )?
        .execute(params![target_wamid, body, content, at])?;
        self.message_id(target_wamid)
    }

    /// The author deleted a message for everyone.
    pub fn revoke_message(&self, target_wamid: &str, at: i64) -> Result<Option<MessageId>> {
        self.prepared(
            "UPDATE messages SET revoked_at = ?2, body = ''
             WHERE wamid = ?1 AND revoked_at IS NULL",
        )?
        .execute(params![target_wamid, at])?;
        self.message_id(target_wamid)
    }

    /// Keeps the newest lifecycle event per template.
    pub fn record_template_status(&self, t: &TemplateRecord) -> Result<()> {
        let key = t
            .template_id
            .clone()
            .or_else(|| {
                t.name
                    .as_ref()
                    .map(|n| format!("{n}:{}", t.language.as_deref().unwrap_or("")))
            })
            .unwrap_or_else(|| format!("seq:{}", t.seq));
        let previous: Option<String> = self
            .prepared("SELECT event FROM template_status WHERE template_key = ?1 AND seq < ?2")?
            .query_row(params![key, seq_i64(t.seq)], |r| r.get(0))
            .optional()?;
        let changed = self
            .prepared(
                "INSERT INTO template_status (template_key, template_id, name, language, event,
                 reason, waba_id, seq, category, detail, recommendation, title, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (template_key) DO UPDATE SET
                 name = COALESCE(excluded.name, name),
                 language = COALESCE(excluded.language, language),
                 event = excluded.event, reason = excluded.reason, seq = excluded.seq,
                 category = COALESCE(excluded.category, category),
                 detail = excluded.detail, recommendation = excluded.recommendation,
                 title = excluded.title, at = excluded.at
             WHERE excluded.seq > template_status.seq",
            )?
            .execute(params![
                key,
                t.template_id,
                t.name,
                t.language,
                t.event,
                t.reason,
                t.waba_id,
                seq_i64(t.seq),
                t.category,
                t.detail,
                t.recommendation,
                t.title,
                t.at
            ])?;
        if changed > 0 {
            self.record_health_change(&super::health::HealthChangeRecord {
                seq: Some(t.seq),
                kind: "template_status",
                subject: t.name.clone(),
                language: t.language.clone(),
                old_value: previous,
                new_value: Some(t.event.clone()),
                reason: t.reason.clone(),
                detail: t.detail.clone(),
                effective_at: None,
                alert: super::health::template_event_alerts(&t.event),
                at: t.at,
            })?;
        }
        Ok(())
    }

    /// A customer's marketing preference (`stop` opts out, `resume` back
    /// in). Returns the contact whose opt-out flag changed.
    pub fn record_user_preference(
        &self,
        wa_id: &str,
        category: &str,
        value: &str,
        detail: Option<&str>,
        at: Option<i64>,
        seq: u64,
    ) -> Result<Option<ContactId>> {
        let changed = self
            .prepared(
                "INSERT INTO user_preferences (wa_id, category, value, detail, at, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (wa_id, category) DO UPDATE SET
                     value = excluded.value, detail = excluded.detail, at = excluded.at,
                     seq = excluded.seq
                 WHERE COALESCE(excluded.at, 0) > COALESCE(user_preferences.at, 0)
                    OR (COALESCE(excluded.at, 0) = COALESCE(user_preferences.at, 0)
                        AND excluded.seq > user_preferences.seq)",
            )?
            .execute(params![wa_id, category, value, detail, at, seq_i64(seq)])?;
        if changed == 0 || category != "marketing_messages" {
            return Ok(None);
        }
        let Ok(phone) = crate::phone::E164::parse(wa_id) else {
            return Ok(None);
        };
        let opt_out = match value {
            "stop" => true,
            "resume" => false,
            _ => return Ok(None),
        };
        Ok(self
            .prepared(
                "UPDATE contacts SET marketing_opt_out = ?2 WHERE phone_e164 = ?1 RETURNING id",
            )?
            .query_row(params![phone.as_str(), opt_out], |r| r.get(0))
            .optional()?)
    }

    /// Keeps an event that could not become inbox rows.
    pub fn flag_event(&self, f: &FlagRecord) -> Result<()> {
        self.prepared(
            "INSERT INTO flagged_events (seq, kind, reason, payload, received_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (seq) DO NOTHING",
        )?
        .execute(params![
            seq_i64(f.seq),
            f.kind,
            f.reason,
            f.payload,
            f.received_at_ms
        ])?;
        Ok(())
    }

    /// Keeps an event published by an agent's app.
    pub fn record_agent_event(
        &self,
        seq: u64,
        agent: Option<&str>,
        dedupe_key: &str,
        payload: &str,
        received_at_ms: i64,
    ) -> Result<()> {
        self.prepared(
            "INSERT INTO agent_events (seq, agent, dedupe_key, payload, received_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (seq) DO NOTHING",
        )?
        .execute(params![
            seq_i64(seq),
            agent,
            dedupe_key,
            payload,
            received_at_ms
        ])?;
        Ok(())
    }

    /// Where a media message's file was saved after downloading it through
    /// the Graph API (the download-on-demand hook).
    pub fn set_media_path(&self, message: MessageId, path: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE messages SET media_path = ?2 WHERE id = ?1",
            params![message, path],
        )?;
        Ok(())
    }

    /// The agent opened the conversation: unread goes to 0. Returns the
    /// newest inbound wamid, to tell Meta with mark-as-read.
    pub fn mark_conversation_read(&self, conversation: ConversationId) -> Result<Option<String>> {
        self.tx.execute(
            "UPDATE conversations SET unread_count = 0 WHERE id = ?1",
            [conversation],
        )?;
        Ok(self
            .tx
            .query_row(
                "SELECT wamid FROM messages WHERE conversation_id = ?1 AND direction = 'inbound'
                 ORDER BY sent_at DESC, id DESC LIMIT 1",
                [conversation],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The conversation a message is in.
    pub fn conversation_of(&self, message: MessageId) -> Result<Option<ConversationId>> {
        Ok(self
            .prepared("SELECT conversation_id FROM messages WHERE id = ?1")?
            .query_row([message], |r| r.get(0))
            .optional()?)
    }

    /// Every conversation of a contact.
    pub fn conversations_of_contact(&self, contact: ContactId) -> Result<Vec<ConversationId>> {
        let mut stmt = self.prepared("SELECT id FROM conversations WHERE contact_id = ?1")?;
        let rows = stmt.query_map([contact], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Opens a savepoint around one event; see [`crate::sync`]'s apply step.
    pub(crate) fn savepoint(&self) -> Result<()> {
        self.prepared("SAVEPOINT event")?.execute([])?;
        Ok(())
    }

    pub(crate) fn release(&self) -> Result<()> {
        self.prepared("RELEASE event")?.execute([])?;
        Ok(())
    }

    pub(crate) fn rollback_to_savepoint(&self) -> Result<()> {
        self.tx.execute_batch("ROLLBACK TO event; RELEASE event")?;
        Ok(())
    }
}

impl Store {
    /// The contact's first inbound message and its referral, for lead
    /// detection.
    pub fn contact_first_message(&self, contact: ContactId) -> Result<Option<ContactFirstMessage>> {
        let row: Option<(MessageId, Option<String>)> = self
            .conn
            .query_row(
                "SELECT m.id, m.referral FROM contacts c JOIN messages m
                   ON m.wamid = c.first_inbound_wamid WHERE c.id = ?1",
                [contact],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((id, referral)) = row else {
            return Ok(None);
        };
        Ok(Some(ContactFirstMessage {
            contact_id: contact,
            message: self.message(id)?,
            referral: referral.and_then(|r| serde_json::from_str(&r).ok()),
        }))
    }

    /// How many events were kept flagged (malformed, unknown, unapplied).
    pub fn flagged_event_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM flagged_events", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// A message's content as stored (JSON).
fn content_json(extras: &MessageExtras) -> Result<Option<String>> {
    Ok(extras
        .content
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?)
}

impl<'a> Details<'a> {
    fn of(extras: &'a MessageExtras, content: Option<&'a str>) -> Self {
        Details {
            content,
            referral: extras.referral.as_deref(),
            media_id: extras.media_id.as_deref(),
            media_mime: extras.media_mime.as_deref(),
            biz_opaque_callback_data: extras.biz_opaque_callback_data.as_deref(),
            seq: seq_i64(extras.seq),
            sent_by: extras.sent_by.as_deref(),
            handled_by: extras.handled_by.map(crate::inbox::HandledBy::as_str),
        }
    }
}
