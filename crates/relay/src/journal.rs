//! The single writer: group commit of everything handlers want appended.
//!
//! Handlers hand their events to the journal and wait. One OS thread takes
//! whatever has queued up while the previous commit was reaching the disk,
//! writes it all in one transaction, commits, and only then answers each
//! handler and announces the new events to live subscribers. So durable
//! throughput grows with load (more requests share one fsync) while an idle
//! relay still commits a lone webhook at once, without waiting for company.
//!
//! On a log shared with other relays the store announces commits instead
//! ([`EventStore::follow`]), so streams see every relay's events in one
//! order; the journal is then started without a broadcast.

use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::{broadcast, mpsc, oneshot};

use crate::error::ApiError;
use crate::metrics::Metrics;
pub use crate::store::LiveBatch;
use crate::store::{Appended, EventStore, NewEvent, StoreError, StoredEvent};

/// At most this many events go into one transaction, so one commit never
/// holds everyone's answer for long.
const MAX_GROUP_EVENTS: usize = 20_000;
/// Requests waiting for the writer before handlers are slowed down.
const QUEUE: usize = 16_384;
/// Appended events between two nudges of the maintenance thread (WAL
/// checkpoints); about a few MB of WAL.
const MAINTAIN_EVERY: usize = 2_000;

type Reply = oneshot::Sender<Result<Vec<Appended>, StoreError>>;

enum Command {
    Append(Vec<NewEvent>, Reply),
    /// Finish what is queued before this, then stop.
    Stop,
}

/// The handlers' side of the journal.
#[derive(Clone)]
pub struct Journal {
    tx: mpsc::Sender<Command>,
}

impl Journal {
    /// Starts the writer thread; it announces its commits on `live`, if given.
    pub fn start(
        store: Arc<dyn EventStore>,
        live: Option<broadcast::Sender<LiveBatch>>,
        metrics: Arc<Metrics>,
    ) -> std::io::Result<(Journal, JoinHandle<()>)> {
        let (tx, rx) = mpsc::channel(QUEUE);
        // The maintenance thread ends when the writer drops its nudge sender.
        let (nudge, nudged) = std::sync::mpsc::sync_channel::<()>(1);
        let maintained = Arc::clone(&store);
        std::thread::Builder::new()
            .name("hourglass-maintain".into())
            .spawn(move || {
                while nudged.recv().is_ok() {
                    if let Err(e) = maintained.maintain() {
                        tracing::warn!(error = %e, "log maintenance failed; will retry");
                    }
                }
            })?;
        let handle = std::thread::Builder::new()
            .name("hourglass-journal".into())
            .spawn(move || write_loop(rx, store.as_ref(), &live, &metrics, &nudge))?;
        Ok((Journal { tx }, handle))
    }

    /// Appends `events` durably; answers once they are committed.
    pub async fn append(&self, events: Vec<NewEvent>) -> Result<Vec<Appended>, ApiError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Command::Append(events, reply))
            .await
            .map_err(|_| ApiError::ShuttingDown)?;
        answer
            .await
            .map_err(|_| ApiError::ShuttingDown)?
            .map_err(ApiError::Storage)
    }

    /// Whether the writer thread is still taking appends.
    pub fn is_running(&self) -> bool {
        !self.tx.is_closed()
    }

    /// Asks the writer to stop after everything queued so far.
    pub async fn stop(&self) {
        let _ = self.tx.send(Command::Stop).await;
    }
}

fn write_loop(
    mut rx: mpsc::Receiver<Command>,
    store: &dyn EventStore,
    live: &Option<broadcast::Sender<LiveBatch>>,
    metrics: &Metrics,
    nudge: &std::sync::mpsc::SyncSender<()>,
) {
    let mut group: Vec<(Vec<NewEvent>, Reply)> = Vec::new();
    let mut since_nudge = 0;
    loop {
        let mut stop = false;
        match rx.blocking_recv() {
            Some(Command::Append(events, reply)) => group.push((events, reply)),
            Some(Command::Stop) | None => break,
        }
        let mut size = group[0].0.len();
        while size < MAX_GROUP_EVENTS {
            match rx.try_recv() {
                Ok(Command::Append(events, reply)) => {
                    size += events.len();
                    group.push((events, reply));
                }
                Ok(Command::Stop) => {
                    stop = true;
                    break;
                }
                Err(_) => break,
            }
        }
        commit_group(std::mem::take(&mut group), store, live, metrics);
        since_nudge += size;
        if since_nudge >= MAINTAIN_EVERY {
            since_nudge = 0;
            // A full channel means maintenance is already due; never wait for it.
            let _ = nudge.try_send(());
        }
        if stop {
            break;
        }
    }
    tracing::debug!("journal writer stopped");
}

fn commit_group(
    group: Vec<(Vec<NewEvent>, Reply)>,
    store: &dyn EventStore,
    live: &Option<broadcast::Sender<LiveBatch>>,
    metrics: &Metrics,
) {
    let now = now_ms();
    let mut lens = Vec::with_capacity(group.len());
    let mut replies = Vec::with_capacity(group.len());
    let mut all = Vec::with_capacity(group.iter().map(|(e, _)| e.len()).sum());
    for (events, reply) in group {
        lens.push(events.len());
        replies.push(reply);
        all.extend(events);
    }
    match store.append(&all, now) {
        Ok(results) => {
            metrics.record_commit(&all, &results);
            announce(all, &results, now, live);
            let mut results = results.into_iter();
            for (len, reply) in lens.into_iter().zip(replies) {
                let _ = reply.send(Ok(results.by_ref().take(len).collect()));
            }
        }
        Err(e) if replies.len() > 1 => {
            // One request must not sink the others: retry each on its own.
            tracing::warn!(error = %e, requests = replies.len(), "group commit failed, retrying one by one");
            let mut all = all.into_iter();
            for (len, reply) in lens.into_iter().zip(replies) {
                let events: Vec<NewEvent> = all.by_ref().take(len).collect();
                let now = now_ms();
                let outcome = store.append(&events, now);
                if let Ok(results) = &outcome {
                    metrics.record_commit(&events, results);
                    announce(events, results, now, live);
                } else {
                    metrics.record_failed_commit();
                }
                let _ = reply.send(outcome);
            }
        }
        Err(e) => {
            metrics.record_failed_commit();
            for reply in replies {
                let _ = reply.send(Err(StoreError::Other(e.to_string())));
            }
        }
    }
}

fn announce(
    events: Vec<NewEvent>,
    results: &[Appended],
    received_at_ms: i64,
    live: &Option<broadcast::Sender<LiveBatch>>,
) {
    // Nobody listening: skip the work. A subscriber that arrives after this
    // check subscribed after the commit, so its catch-up read sees these rows.
    let Some(live) = live.as_ref().filter(|l| l.receiver_count() > 0) else {
        return;
    };
    let batch: Vec<StoredEvent> = events
        .into_iter()
        .zip(results)
        .filter_map(|(e, r)| match r {
            Appended::New(seq) => Some(StoredEvent {
                seq: *seq,
                kind: e.kind,
                dedupe_key: e.dedupe_key,
                received_at_ms,
                agent: e.agent,
                payload: serde_json::value::RawValue::from_string(e.payload).ok()?,
            }),
            Appended::Duplicate(_) => None,
        })
        .collect();
    if !batch.is_empty() {
        let _ = live.send(Arc::new(batch));
    }
}

pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
