//! The outbox worker: reconcile, publish, send — one pass at a time, the
//! store locked only for short transactions, never across a network call.

use super::{OutboxConfig, OutboxState, OutboxUpdate, WorkerState, meta_title};
use crate::error::Result;
use crate::graph::{GraphClient, GraphError, TransportKind, UploadProgress};
use crate::inbox::ConnectionState;
use crate::inbox::MessageId;
use crate::relay::{RelayClient, RelayError};
use crate::store::SharedStore;
use crate::store::Store;
use crate::store::outbox::{OutboxRow, SendFailure};
use hourglass_protocol::team::{AgentEvent, OutboundMedia, OutboundRecord};
use hourglass_whatsapp::graph_error::{ErrorClass, RetryAdvice};
use hourglass_whatsapp::send::OutboundMessage;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use tokio::sync::{Notify, broadcast, watch};
use tokio::task::JoinHandle;
use ts_rs::TS;

/// Sends per pass before the worker looks at reconciliation and publishing
/// again.
const SENDS_PER_PASS: usize = 50;
/// Rows published per pass.
const PUBLISHES_PER_PASS: usize = 200;

/// Test hook: the worker stops dead at this point, as if the app were killed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// Meta answered the upload and its media id is committed; the message
    /// itself has not been sent.
    AfterUpload,
    /// Meta accepted the send; nothing of the answer reached the store.
    AfterGraphAccept,
    /// The wamid is committed; the relay publish has not happened.
    BeforePublish,
}

/// How far the upload of a media send got, for its bubble's progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UploadUpdate {
    pub message: MessageId,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// A running worker.
#[derive(Debug)]
pub struct OutboxHandle {
    wake: Arc<Notify>,
    state: watch::Receiver<WorkerState>,
    updates: broadcast::Sender<OutboxUpdate>,
    uploads: broadcast::Sender<UploadUpdate>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl OutboxHandle {
    /// Look for work now (after an enqueue, a retry, or a sync batch).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn state(&self) -> WorkerState {
        self.state.borrow().clone()
    }

    pub fn watch_state(&self) -> watch::Receiver<WorkerState> {
        self.state.clone()
    }

    /// Bubbles the worker changed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<OutboxUpdate> {
        self.updates.subscribe()
    }

    /// Upload progress of media sends from now on.
    pub fn subscribe_uploads(&self) -> broadcast::Receiver<UploadUpdate> {
        self.uploads.subscribe()
    }

    /// Whether the task has ended (token invalid, a test fault, shutdown).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// Stops after the step in progress and waits for the task.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.wake.notify_one();
        let _ = self.task.await;
    }
}

/// Starts the worker. `store` is a connection of its own on the profile's
/// file (like the sync engine's); `graph` carries the token from the
/// keychain; `relay` publishes the outbound events.
pub fn spawn(
    store: SharedStore,
    graph: GraphClient,
    relay: RelayClient,
    config: OutboxConfig,
) -> OutboxHandle {
    let wake = Arc::new(Notify::new());
    let (state_tx, state) = watch::channel(WorkerState::Running);
    let (updates, _) = broadcast::channel(1024);
    let (uploads, _) = broadcast::channel(1024);
    let (stop, stop_rx) = watch::channel(false);
    let task = tokio::spawn(run(
        store,
        graph,
        relay,
        config,
        Arc::clone(&wake),
        state_tx,
        (updates.clone(), uploads.clone()),
        stop_rx,
    ));
    OutboxHandle {
        wake,
        state,
        updates,
        uploads,
        stop,
        task,
    }
}

struct Worker {
    store: SharedStore,
    graph: GraphClient,
    relay: RelayClient,
    config: OutboxConfig,
    state: watch::Sender<WorkerState>,
    updates: broadcast::Sender<OutboxUpdate>,
    uploads: broadcast::Sender<UploadUpdate>,
    number_paused_until: i64,
    /// The relay answered 429: no publish before then (Unix ms).
    publish_paused_until: AtomicI64,
}

/// What one send came to.
enum Outcome {
    Done,
    /// The worker must stop (190, or a test fault).
    Stop,
    /// 130429: nothing more goes out until then.
    PauseNumber(i64),
}

/// How long an attached file may wait unsent in its preview before the
/// worker's start-up sweep removes it.
const STAGED_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// The worker loop; [`spawn`] runs it as a task.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    store: SharedStore,
    graph: GraphClient,
    relay: RelayClient,
    config: OutboxConfig,
    wake: Arc<Notify>,
    state: watch::Sender<WorkerState>,
    (updates, uploads): (
        broadcast::Sender<OutboxUpdate>,
        broadcast::Sender<UploadUpdate>,
    ),
    mut stop: watch::Receiver<bool>,
) {
    let poll = config.poll;
    let mut w = Worker {
        store,
        graph,
        relay,
        config,
        state,
        updates,
        uploads,
        number_paused_until: 0,
        publish_paused_until: AtomicI64::new(0),
    };
    // Files attached and never sent, from earlier runs.
    match w.with_store(|s| super::attachment::sweep_staging(s, STAGED_MAX_AGE)) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "removed attachments that were never sent"),
        Err(e) => tracing::warn!(error = %e, "could not clean up the attachments never sent"),
    }
    loop {
        if *stop.borrow() {
            w.state.send_replace(WorkerState::Stopped);
            return;
        }
        match w.pass().await {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => tracing::error!(error = %e, "outbox pass failed; trying again shortly"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll) => {}
            _ = stop.changed() => {}
        }
    }
}

impl Worker {
    fn now(&self) -> i64 {
        (self.config.clock)()
    }

    fn with_store<T>(&self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        // A panic elsewhere while holding the lock leaves a usable store:
        // every write is one transaction.
        let mut guard = self.store.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }

    fn changed(&self, message: Option<MessageId>) {
        let Some(message) = message else { return };
        let conversation = self.with_store(|s| Ok(s.message(message)?.conversation_id));
        if let Ok(conversation) = conversation {
            let _ = self.updates.send(OutboxUpdate {
                message,
                conversation,
            });
        }
    }

    /// One pass; `false` when the worker must stop.
    async fn pass(&mut self) -> Result<bool> {
        self.reconcile()?;
        self.publish_pending().await?;
        let now = self.now();
        if now < self.number_paused_until {
            return Ok(true);
        }
        if matches!(*self.state.borrow(), WorkerState::BackingOff { .. }) {
            self.state.send_replace(WorkerState::Running);
        }
        for _ in 0..SENDS_PER_PASS {
            let Some(row) = self.next_due()? else {
                break;
            };
            match self.send(row).await? {
                Outcome::Done => {}
                Outcome::Stop => return Ok(false),
                Outcome::PauseNumber(until) => {
                    self.number_paused_until = until;
                    self.state.send_replace(WorkerState::BackingOff { until });
                    break;
                }
            }
        }
        Ok(true)
    }

    /// Rows left `sending` (a crash, a lost reply): adopt the wamid a status
    /// webhook revealed; else, once the sync has been caught up for the
    /// reconciliation window, ask the agent. Never resent by itself.
    fn reconcile(&self) -> Result<()> {
        let rows = self.with_store(|s| s.outbox_rows("state = 'sending'", &[]))?;
        if rows.is_empty() {
            return Ok(());
        }
        let caught_up_since = self.caught_up_since();
        let window = i64::try_from(self.config.reconcile_after.as_millis()).unwrap_or(i64::MAX);
        for row in rows {
            let found = self.with_store(|s| s.wamid_for_callback(&row.id.0))?;
            if let Some(wamid) = found {
                tracing::info!(outbox = %row.id, "a send whose answer was lost is matched by its status webhook");
                let m = self.with_store(|s| s.write(|w| w.outbox_accept(&row.id, &wamid)))?;
                self.changed(m);
                continue;
            }
            // The relay down or this desktop behind: a status may be on its
            // way, so silence proves nothing yet.
            let Some(caught_up_since) = caught_up_since else {
                continue;
            };
            let since = row
                .sending_since_ms
                .unwrap_or(row.created_at_ms)
                .max(caught_up_since);
            if self.now().saturating_sub(since) >= window {
                tracing::warn!(outbox = %row.id, "no sign WhatsApp accepted a send; asking the agent");
                let m = self.with_store(|s| s.write(|w| w.outbox_unconfirmed(&row.id)))?;
                self.changed(m);
            }
        }
        Ok(())
    }

    /// Since when the sync engine has followed the live stream (so every
    /// status the relay had is applied); `None` while it is not.
    fn caught_up_since(&self) -> Option<i64> {
        let Some(state) = &self.config.sync_state else {
            return Some(i64::MIN);
        };
        match *state.borrow() {
            ConnectionState::Connected { since_ms } => Some(since_ms),
            _ => None,
        }
    }

    /// The oldest due row whose conversation has nothing older waiting.
    fn next_due(&self) -> Result<Option<OutboxRow>> {
        let now = self.now();
        let rows = self.with_store(|s| {
            s.outbox_rows(
                "state = 'queued' AND next_attempt_at_ms <= ?1
                 AND NOT EXISTS (SELECT 1 FROM outbox p
                     WHERE p.conversation_id = outbox.conversation_id
                       AND p.state IN ('queued', 'sending')
                       AND (p.created_at_ms, p.id) < (outbox.created_at_ms, outbox.id))
                 ORDER BY next_attempt_at_ms, created_at_ms, id LIMIT 1",
                &[&now],
            )
        })?;
        Ok(rows.into_iter().next())
    }

    async fn send(&self, row: OutboxRow) -> Result<Outcome> {
        let row = match self.upload(row).await? {
            Ok(row) => row,
            Err(outcome) => return Ok(outcome),
        };
        let now = self.now();
        if !self.with_store(|s| s.write(|w| w.outbox_mark_sending(&row.id, now)))? {
            return Ok(Outcome::Done);
        }
        let message: OutboundMessage = match serde_json::from_str(&row.request) {
            Ok(m) => m,
            Err(e) => {
                let failure = SendFailure {
                    code: None,
                    title: "outbox_unreadable".to_owned(),
                    detail: format!(
                        "This version of Hourglass cannot read the queued message ({e})."
                    ),
                    offer_templates: false,
                };
                let m = self.with_store(|s| {
                    s.write(|w| w.outbox_fail(&row.id, OutboxState::Failed, &failure, true))
                })?;
                self.changed(m);
                return Ok(Outcome::Done);
            }
        };
        let result = self.graph.send(&message).await;
        match result {
            Ok(reply) => {
                if self.config.fault == Some(FaultPoint::AfterGraphAccept) {
                    return Ok(Outcome::Stop);
                }
                let Some(wamid) = reply.wamid() else {
                    return Ok(Outcome::Done);
                };
                let m = self.with_store(|s| s.write(|w| w.outbox_accept(&row.id, wamid)))?;
                self.changed(m);
                if let Some(file) = &row.media_file
                    && let Err(e) = self.with_store(|s| super::attachment::release(s, file))
                {
                    tracing::warn!(outbox = %row.id, error = %e, "a sent file stays staged");
                }
                if self.config.fault == Some(FaultPoint::BeforePublish) {
                    return Ok(Outcome::Stop);
                }
                self.publish_pending().await?;
                Ok(Outcome::Done)
            }
            Err(e) => self.failed(&row, &e),
        }
    }

    /// A media row whose file is not uploaded yet: upload it and commit
    /// Meta's id before anything is sent (the row stays `queued`, so a crash
    /// here uploads again at worst and never sends twice). Returns the row
    /// to send, or what the attempt came to.
    async fn upload(&self, row: OutboxRow) -> Result<std::result::Result<OutboxRow, Outcome>> {
        let (Some(file), None) = (row.media_file.clone(), row.media_id.as_ref()) else {
            return Ok(Ok(row));
        };
        let staged = self.with_store(|s| super::attachment::read_staged(s, &file));
        let (bytes, staged) = match staged {
            Ok(found) => found,
            Err(e) => {
                let failure = SendFailure {
                    code: None,
                    title: e.code().as_str().to_owned(),
                    detail: e.to_string(),
                    offer_templates: false,
                };
                let m = self.with_store(|s| {
                    s.write(|w| w.outbox_fail(&row.id, OutboxState::Failed, &failure, true))
                })?;
                self.changed(m);
                return Ok(Err(Outcome::Done));
            }
        };
        let progress: Option<UploadProgress> = row.message_id.map(|message| {
            let uploads = self.uploads.clone();
            Arc::new(move |sent, total| {
                let _ = uploads.send(UploadUpdate {
                    message,
                    sent,
                    total,
                });
            }) as UploadProgress
        });
        let mime = row.media_mime.clone().unwrap_or(staged.mime_type);
        let name = row
            .media_filename
            .clone()
            .unwrap_or_else(|| format!("{}.{}", staged.kind, super::attachment::extension(&mime)));
        match self.graph.upload_media(bytes, &mime, &name, progress).await {
            Ok(uploaded) => {
                tracing::info!(outbox = %row.id, "file uploaded");
                let m =
                    self.with_store(|s| s.write(|w| w.outbox_set_media_id(&row.id, &uploaded.id)))?;
                self.changed(m);
                if self.config.fault == Some(FaultPoint::AfterUpload) {
                    return Ok(Err(Outcome::Stop));
                }
                let row = self.with_store(|s| s.write(|w| w.outbox_row(&row.id)))?;
                Ok(row.ok_or(Outcome::Done))
            }
            // An upload that never reached Meta, or whose answer was lost,
            // is safe to try again: an unused upload sends nothing.
            Err(e @ GraphError::Transport { .. }) => {
                let failure = failure_of(&e);
                let m = self.retry_or_give_up(&row, self.now(), &failure)?;
                self.changed(m);
                Ok(Err(Outcome::Done))
            }
            Err(e) => self.failed(&row, &e).map(Err),
        }
    }

    fn failed(&self, row: &OutboxRow, e: &GraphError) -> Result<Outcome> {
        let now = self.now();
        if matches!(
            e,
            GraphError::Transport {
                kind: TransportKind::Timeout | TransportKind::Other,
                ..
            }
        ) {
            // The request may have reached Meta: the row stays `sending`
            // and is reconciled from status webhooks, never resent blindly.
            tracing::warn!(outbox = %row.id, error = %e, "answer to a send lost; waiting for its status webhook");
            return Ok(Outcome::Done);
        }
        let failure = failure_of(e);
        let m = match (e.class(), e.retry()) {
            (Some(ErrorClass::TokenInvalid), _) => {
                // Not sent: back in the queue for when a new token is saved.
                self.with_store(|s| {
                    s.write(|w| w.outbox_reschedule(&row.id, now, false, false, Some(&failure)))
                })?;
                self.state.send_replace(WorkerState::TokenInvalid {
                    message: e.to_string(),
                });
                return Ok(Outcome::Stop);
            }
            (_, RetryAdvice::RetrySoon) => self.retry_or_give_up(row, now, &failure)?,
            (_, RetryAdvice::BackOffRecipient) => {
                let at = now + self.backoff(self.config.pair_backoff, row.backoffs);
                self.with_store(|s| {
                    s.write(|w| w.outbox_reschedule(&row.id, at, false, true, Some(&failure)))
                })?;
                row.message_id
            }
            (_, RetryAdvice::BackOffNumber) => {
                let until = now + self.backoff(self.config.number_backoff, row.backoffs);
                self.with_store(|s| {
                    s.write(|w| w.outbox_reschedule(&row.id, until, false, true, Some(&failure)))
                })?;
                self.changed(row.message_id);
                return Ok(Outcome::PauseNumber(until));
            }
            (_, RetryAdvice::Never) => self.with_store(|s| {
                s.write(|w| w.outbox_fail(&row.id, OutboxState::Failed, &failure, true))
            })?,
        };
        self.changed(m);
        Ok(Outcome::Done)
    }

    /// Transient failure policy: at once, then after the pause, then a human.
    fn retry_or_give_up(
        &self,
        row: &OutboxRow,
        now: i64,
        failure: &SendFailure,
    ) -> Result<Option<MessageId>> {
        let pause = i64::try_from(self.config.retry_pause.as_millis()).unwrap_or(i64::MAX);
        self.with_store(|s| {
            s.write(|w| match row.attempts {
                0 => {
                    w.outbox_reschedule(&row.id, now, true, false, Some(failure))?;
                    Ok(row.message_id)
                }
                1 => {
                    w.outbox_reschedule(
                        &row.id,
                        now.saturating_add(pause),
                        true,
                        false,
                        Some(failure),
                    )?;
                    Ok(row.message_id)
                }
                _ => w.outbox_fail(&row.id, OutboxState::NeedsHuman, failure, true),
            })
        })
    }

    fn backoff(&self, base: Duration, backoffs: u32) -> i64 {
        let d = base
            .saturating_mul(2u32.saturating_pow(backoffs.min(16)))
            .min(self.config.max_backoff);
        i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
    }

    /// Publishes every accepted row the relay has not got yet.
    async fn publish_pending(&self) -> Result<()> {
        if self.now() < self.publish_paused_until.load(Ordering::Relaxed) {
            return Ok(());
        }
        let rows = self.with_store(|s| {
            s.outbox_rows(
                "state IN ('accepted', 'failed') AND wamid IS NOT NULL AND published = 0
                 ORDER BY created_at_ms LIMIT ?1",
                &[&(PUBLISHES_PER_PASS as i64)],
            )
        })?;
        for row in rows {
            let Some(wamid) = row.wamid.clone() else {
                continue;
            };
            let payload = self.with_store(|s| outbound_record(s, &row, &wamid))?;
            match self.relay.publish(&row.id.0, payload).await {
                Ok(_) => self.with_store(|s| s.write(|w| w.outbox_mark_published(&row.id)))?,
                Err(RelayError::RateLimited { retry_after }) => {
                    // The row stays unpublished; nothing is sent to the
                    // relay before the time it asked for.
                    let wait = i64::try_from(retry_after.as_millis()).unwrap_or(i64::MAX);
                    self.publish_paused_until
                        .store(self.now().saturating_add(wait), Ordering::Relaxed);
                    tracing::info!(outbox = %row.id, ?retry_after, "the relay asked to slow down; publishing later");
                    return Ok(());
                }
                Err(e) => {
                    tracing::warn!(outbox = %row.id, error = %e, "publishing a sent message failed; retried on the next pass");
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// The outbound record other desktops file ([`AgentEvent::Outbound`]).
fn outbound_record(store: &Store, row: &OutboxRow, wamid: &str) -> Result<serde_json::Value> {
    let conversation = store.conversation(row.conversation_id)?;
    let request: serde_json::Value =
        serde_json::from_str(&row.request).unwrap_or(serde_json::Value::Null);
    let record = OutboundRecord {
        wamid: wamid.to_owned(),
        to: row.recipient.clone(),
        phone_number_id: conversation.phone_number_id,
        kind: Some(row.kind.clone()),
        body: Some(row.body.clone()),
        sent_at: Some(row.created_at_ms.div_euclid(1000)),
        status: Some("accepted".to_owned()),
        reply_to: request
            .pointer("/context/message_id")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
        biz_opaque_callback_data: Some(row.id.0.clone()),
        // Both ids when both are known, so every desktop files the message
        // under the same customer (and merges two it saw apart).
        to_user_id: conversation.contact.user_id.clone(),
        media: row.media_id.as_ref().map(|id| {
            Box::new(OutboundMedia {
                id: id.clone(),
                mime_type: row.media_mime.clone(),
                caption: request
                    .pointer(&format!("/{}/caption", row.kind))
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned),
                filename: row.media_filename.clone(),
            })
        }),
    };
    Ok(AgentEvent::Outbound(record).to_payload())
}

fn failure_of(e: &GraphError) -> SendFailure {
    match e {
        GraphError::Api {
            envelope, class, ..
        } => {
            let code = envelope.error.code;
            SendFailure {
                code: Some(code),
                title: meta_title(code)
                    .map(str::to_owned)
                    .unwrap_or_else(|| envelope.error.message.clone()),
                // Meta's own words: the refusal kind is read from the code
                // (and these words) when the bubble is shown.
                detail: envelope.error.details().trim().to_owned(),
                offer_templates: class.offers_template_picker(),
            }
        }
        other => SendFailure {
            code: None,
            title: other.code().as_str().to_owned(),
            detail: other.to_string(),
            offer_templates: false,
        },
    }
}
