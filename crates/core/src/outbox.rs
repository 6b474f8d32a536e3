//! The outbox: every message an agent sends is a row in SQLite before it is
//! a request to Meta, so nothing is lost to a crash and nothing goes out twice.
//!
//! - [`enqueue_text`] refuses free text to a closed 24 h window with
//!   [`Error::WindowClosed`] (`window_closed`) **before anything is written
//!   or sent**, whatever the UI does. [`enqueue_template`] validates the
//!   values with the same rules Meta applies (`template_invalid`, carrying
//!   Meta's code) and refuses marketing to opted-out customers
//!   (`opted_out`).
//! - [`enqueue_media`] sends a file [`stage`] checked against Meta's limits
//!   (by its real type, sniffed from its bytes) and kept in the profile; it
//!   refuses a closed window like text. The worker uploads the file
//!   (`POST /{phone-number-id}/media`) and commits Meta's media id on the
//!   row **before** the message is marked `sending`: a crash between the
//!   two sends by that id without uploading again, and the message itself
//!   follows the same rules as text, so it is never sent twice.
//! - All write the outbox row and a bubble at once: a message row with the
//!   placeholder wamid `local:<outbox id>` and status `pending` (a clock).
//!   When Meta accepts, the same row takes the real wamid (its id, and so the
//!   UI's key, never changes) and status `accepted`; Meta's status webhooks
//!   then move it to sent, delivered, read or failed.
//! - The worker ([`spawn`]) sends due rows one at a time, oldest first, and
//!   never lets a message overtake an earlier one to the same conversation.
//!   Each send carries the outbox id as `biz_opaque_callback_data`. After
//!   Meta accepts, it publishes an `outbound` agent event to the relay (the
//!   outbox id is the idempotency key) so every other desktop shows it.
//!
//! Crash safety and the one trade-off Meta forces:
//! - A row is marked `sending` and **committed before the Graph call**. A row
//!   found `sending` later (a crash, or a reply lost to a timeout or a broken
//!   connection) may or may not have reached Meta, and Meta has no
//!   idempotency key. The only proof of acceptance is a status webhook
//!   echoing our id, so such a row is reconciled, not resent: as soon as a
//!   status with its id arrives (the sync engine calls
//!   [`crate::store::Writer::outbox_note_status`], and the worker also looks
//!   in `message_statuses`), it adopts that wamid.
//! - While the sync engine is not following the relay's live stream
//!   ([`OutboxConfig::sync_state`] is anything but `connected`) a missing
//!   status proves nothing (the relay may be down, or this desktop behind),
//!   so the row waits, however long. Only once the sync has been caught up
//!   for [`OutboxConfig::reconcile_after`] (60 s by default) and the send is
//!   that old too does the worker stop waiting, and even then it never
//!   resends by itself: the row asks the agent ([`Unconfirmed::Ask`], "Send
//!   again" is [`retry`], "Discard" is [`discard`]). A status that arrives
//!   later still adopts the wamid, whatever the agent chose.
//! - A row `accepted` but not yet published is published on the next pass
//!   (the relay dedupes by key); it is never sent to Meta again.
//!
//! Retries ([`hourglass_whatsapp::graph_error::classify`]): a transient error
//! retries at once, then after [`OutboxConfig::retry_pause`] (30 s), then
//! waits for a human (`needs_human`, [`retry`] re-queues). 131056 backs off
//! that conversation, 130429 the whole number, doubling up to
//! [`OutboxConfig::max_backoff`]. 190 stops the worker in
//! [`WorkerState::TokenInvalid`] (the UI asks for a new token and spawns a
//! new worker). 131047, synchronously or later as a `failed` status, fails
//! the bubble with `offer_templates`; any other permanent error fails it with
//! the reason in plain words ([`hourglass_whatsapp::graph_error::explain`]).

mod attachment;
mod worker;

pub use crate::inbox::{AttachmentRefusal, OutboxId, OutboxInfo, OutboxState, Unconfirmed};
pub use attachment::{
    MAX_ATTACHMENT_BYTES, MAX_CAPTION, STAGING_DIR, StagedAttachment, check, discard_staged,
    enqueue_media, sniff, stage, staging_dir, sweep_staging, upload_header,
};
pub use worker::{FaultPoint, OutboxHandle, UploadUpdate, run, spawn};

use crate::error::{Error, Result};
use crate::inbox::ConnectionState;
use crate::inbox::{ConversationId, Message, MessageContent, MessageId};
use crate::invalid::Invalid;
use crate::store::Store;
use crate::store::outbox::{NewOutbox, NewOutboxMedia};
use crate::templates::{self, TemplateKey, TemplateValue};
use crate::window;
use hourglass_whatsapp::graph_error::ErrorCode;
use hourglass_whatsapp::send::{Addressee, MAX_TEXT_BODY, OutboundMessage};
use hourglass_whatsapp::template::TemplateCategory;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use ts_rs::TS;

/// What the worker is doing, for the status bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum WorkerState {
    Running,
    /// Meta answered 190: sending stopped until a new token is saved (spawn
    /// a new worker with it). Queued messages wait.
    TokenInvalid {
        message: String,
    },
    /// 130429: every send waits until `until` (Unix ms).
    BackingOff {
        #[ts(type = "number")]
        until: i64,
    },
    Stopped,
}

/// A bubble the worker changed; reload it with [`Store::message`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxUpdate {
    pub message: MessageId,
    pub conversation: ConversationId,
}

/// The clock the worker reads, Unix milliseconds (tests substitute one).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The local clock.
pub fn system_clock() -> Clock {
    Arc::new(|| chrono::Utc::now().timestamp_millis())
}

/// How the worker paces itself.
#[derive(Clone)]
pub struct OutboxConfig {
    /// Wait before the third attempt of a transient failure.
    pub retry_pause: Duration,
    /// How long a send whose answer was lost waits for a status webhook
    /// carrying its id, counted while the sync is caught up, before the
    /// agent is asked whether to send it again.
    pub reconcile_after: Duration,
    /// The sync engine's connection state ([`crate::sync::SyncHandle::watch_state`]):
    /// a lost answer is only given up on while it says `connected`. `None`
    /// (no sync runs beside this worker) counts as always caught up.
    pub sync_state: Option<watch::Receiver<ConnectionState>>,
    /// How often the worker looks for work without being woken (statuses
    /// that arrive through the sync engine, retry times).
    pub poll: Duration,
    /// First back-off after 131056 (Meta's pair limit is about 1 per 6 s).
    pub pair_backoff: Duration,
    /// First back-off after 130429.
    pub number_backoff: Duration,
    pub max_backoff: Duration,
    pub clock: Clock,
    /// Test hook: where the worker "crashes".
    pub fault: Option<FaultPoint>,
}

impl std::fmt::Debug for OutboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxConfig")
            .field("retry_pause", &self.retry_pause)
            .field("reconcile_after", &self.reconcile_after)
            .field(
                "sync_state",
                &self.sync_state.as_ref().map(|s| s.borrow().clone()),
            )
            .field("poll", &self.poll)
            .field("fault", &self.fault)
            .finish_non_exhaustive()
    }
}

impl Default for OutboxConfig {
    fn default() -> Self {
        OutboxConfig {
            retry_pause: Duration::from_secs(30),
            reconcile_after: Duration::from_secs(60),
            sync_state: None,
            poll: Duration::from_secs(1),
            pair_backoff: Duration::from_secs(6),
            number_backoff: Duration::from_secs(2),
            max_backoff: Duration::from_secs(300),
            clock: system_clock(),
            fault: None,
        }
    }
}

/// A send recorded: its id and the bubble to show now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Queued {
    pub outbox_id: OutboxId,
    pub message: Message,
}

/// The recipient side of a conversation.
struct Recipient {
    /// The number, else (for a customer who hides it) the business-scoped
    /// user id: the request's `to` or `recipient`.
    to: Addressee,
    last_inbound_at: Option<i64>,
    marketing_opt_out: bool,
}

fn recipient(store: &Store, conversation: ConversationId) -> Result<Recipient> {
    let summary = store.conversation(conversation)?;
    // Meta refuses every message to a customer the business blocked.
    let key = store.conversation_key(conversation)?;
    let blocked = store.with_connection(|c| {
        Ok(c.query_row(
            "SELECT EXISTS (SELECT 1 FROM contact_blocks
                            WHERE customer = ?1 AND phone_number_id = ?2 AND blocked)",
            [&key.customer, &key.phone_number_id],
            |r| r.get::<_, bool>(0),
        )?)
    })?;
    if blocked {
        return Err(Error::CustomerBlocked);
    }
    let opt_out = store.with_connection(|c| {
        Ok(c.query_row(
            "SELECT marketing_opt_out FROM contacts WHERE id = ?1",
            [summary.contact.id],
            |r| r.get::<_, bool>(0),
        )?)
    })?;
    let to = Addressee::of(
        summary.contact.phone.as_deref(),
        summary.contact.user_id.as_deref(),
    )
    .ok_or(Error::ContactWithoutIdentity)?;
    Ok(Recipient {
        to,
        last_inbound_at: summary.last_inbound_at,
        marketing_opt_out: opt_out,
    })
}

/// Free text and media need the customer's 24 h window open at `now_ms`.
fn require_open_window(r: &Recipient, now_ms: i64) -> Result<()> {
    match window::service_window(r.last_inbound_at, now_ms.div_euclid(1000)) {
        w if w.is_open() => Ok(()),
        window::ServiceWindow::Closed { closed_at } => Err(Error::WindowClosed {
            closed_at: Some(closed_at),
        }),
        _ => Err(Error::WindowClosed { closed_at: None }),
    }
}

/// Queues free text. Refused with `window_closed` when the customer's 24 h
/// window is closed at `now_ms` (Unix ms), before anything is written.
pub fn enqueue_text(
    store: &mut Store,
    conversation: ConversationId,
    body: &str,
    reply_to: Option<&str>,
    now_ms: i64,
) -> Result<Queued> {
    let r = recipient(store, conversation)?;
    require_open_window(&r, now_ms)?;
    if body.trim().is_empty() {
        return Err(Error::TextInvalid {
            reason: Invalid::Empty,
        });
    }
    let chars = body.chars().count();
    if chars > MAX_TEXT_BODY {
        return Err(Error::TextInvalid {
            reason: Invalid::TooLong {
                chars,
                max: MAX_TEXT_BODY,
            },
        });
    }
    let id = OutboxId::new();
    let mut message = OutboundMessage::text(&r.to, body).callback_data(id.0.clone());
    if let Some(wamid) = reply_to {
        message = message.reply_to(wamid);
    }
    record_with(
        store,
        |_| Ok(conversation),
        &NewSend {
            id: &id,
            to: r.to.as_str(),
            kind: "text",
            message: &message,
            body,
            reply_to,
            content: None,
            media: None,
        },
        now_ms,
    )
}

/// Queues an approved template filled with `values`. Refused with
/// `template_invalid` (and Meta's code) when Meta would refuse it, and with
/// `opted_out` for marketing to a customer who opted out.
pub fn enqueue_template(
    store: &mut Store,
    conversation: ConversationId,
    key: &TemplateKey,
    values: &[TemplateValue],
    now_ms: i64,
) -> Result<Queued> {
    let r = recipient(store, conversation)?;
    let template = templates::find(store, key)?;
    if template.category == TemplateCategory::Marketing && r.marketing_opt_out {
        return Err(Error::OptedOut);
    }
    let checked = templates::check(&template, values)?;
    let id = OutboxId::new();
    let message = OutboundMessage::template(&r.to, checked.payload).callback_data(id.0.clone());
    record_with(
        store,
        |_| Ok(conversation),
        &NewSend {
            id: &id,
            to: r.to.as_str(),
            kind: "template",
            message: &message,
            body: &checked.text,
            reply_to: None,
            content: None,
            media: None,
        },
        now_ms,
    )
}

/// A send about to be queued; `content` is the bubble's (text when `None`).
pub(crate) struct NewSend<'a> {
    pub id: &'a OutboxId,
    pub to: &'a str,
    pub kind: &'a str,
    pub message: &'a OutboundMessage,
    pub body: &'a str,
    pub reply_to: Option<&'a str>,
    pub content: Option<&'a MessageContent>,
    pub media: Option<NewMedia<'a>>,
}

/// The staged file of a media send.
pub(crate) struct NewMedia<'a> {
    pub file: &'a str,
    pub mime_type: &'a str,
    pub filename: Option<&'a str>,
}

/// Queues `send` in the conversation `conversation` finds, in the same
/// transaction (so a conversation it creates never stays empty).
pub(crate) fn record_with(
    store: &mut Store,
    conversation: impl FnOnce(&crate::store::Writer<'_>) -> Result<ConversationId>,
    send: &NewSend<'_>,
    now_ms: i64,
) -> Result<Queued> {
    let request = serde_json::to_string(send.message)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let message_id = store.write(|w| {
        let conversation_id = conversation(w)?;
        w.insert_outbox(&NewOutbox {
            id: send.id,
            conversation_id,
            recipient: send.to,
            kind: send.kind,
            request: &request,
            body: send.body,
            reply_to: send.reply_to,
            content: send.content,
            media: send.media.as_ref().map(|m| NewOutboxMedia {
                file: m.file,
                mime_type: m.mime_type,
                filename: m.filename,
            }),
            now_ms,
        })
    })?;
    Ok(Queued {
        outbox_id: send.id.clone(),
        message: store.message(message_id)?,
    })
}

/// A human asked to send a failed message again (the Retry action). Only
/// sends that never reached WhatsApp qualify; wake the worker afterwards.
pub fn retry(store: &mut Store, id: &OutboxId, now_ms: i64) -> Result<Option<MessageId>> {
    store.write(|w| {
        if w.outbox_row(id)?.is_none() {
            return Err(Error::NotFound {
                what: format!("outbox message {id}"),
            });
        }
        w.outbox_requeue(id, now_ms)
    })
}

/// The agent chose not to send again a message WhatsApp never confirmed
/// ([`Unconfirmed::Ask`]): the row is final and the bubble says so. A status
/// webhook that arrives later still marks it accepted.
pub fn discard(store: &mut Store, id: &OutboxId) -> Result<Option<MessageId>> {
    store.write(|w| {
        if w.outbox_row(id)?.is_none() {
            return Err(Error::NotFound {
                what: format!("outbox message {id}"),
            });
        }
        w.outbox_discard(id)
    })
}

/// The bubble state of one send.
pub fn info(store: &Store, id: &OutboxId) -> Result<OutboxInfo> {
    store
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT id, state, offer_templates, wamid IS NOT NULL, error_code, error_detail,
                        error_title
                 FROM outbox WHERE id = ?1",
                [&id.0],
                |r| {
                    Ok(OutboxInfo::from_parts(
                        r.get(0)?,
                        &r.get::<_, String>(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get::<_, Option<String>>(6)?.as_deref(),
                        r.get(5)?,
                    ))
                },
            )?)
        })
        .map_err(|e| match e {
            Error::Database(rusqlite::Error::QueryReturnedNoRows) => Error::NotFound {
                what: format!("outbox message {id}"),
            },
            e => e,
        })
}

/// The title Meta gives an error code, for the stored failure.
pub(crate) fn meta_title(code: i64) -> Option<&'static str> {
    ErrorCode::from_code(code).map(ErrorCode::title)
}
