//! The I/O of the sync engine: catch-up pages, the live stream, reconnects.

use super::plan::{Planned, PlannedPage};
use super::{
    Applied, ConnectionState, HistoryGap, InboxChange, SyncConfig, SyncFault, SyncUpdate,
    inbox_change,
};
use crate::relay::{FetchError, RelayClient, StreamEnd};
use crate::store::{SharedStore, Store};
use hourglass_protocol::{Event, Horizon};
use rand::Rng;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

/// Subscribers that fall this far behind miss updates (they are told they
/// lagged, and should reload from the store).
const UPDATE_BUFFER: usize = 1024;

/// A running engine.
#[derive(Debug)]
pub struct SyncHandle {
    state: watch::Receiver<ConnectionState>,
    updates: broadcast::Sender<SyncUpdate>,
    stop: watch::Sender<bool>,
    cursor: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl SyncHandle {
    /// The connection state now.
    pub fn state(&self) -> ConnectionState {
        self.state.borrow().clone()
    }

    /// Follows the connection state.
    pub fn watch_state(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// Every [`SyncUpdate`] from now on: inbox changes after each commit and
    /// connection state changes.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncUpdate> {
        self.updates.subscribe()
    }

    /// The relay position the store is complete up to.
    pub fn cursor(&self) -> u64 {
        self.cursor.load(Ordering::Acquire)
    }

    /// Stops the engine after the batch in progress commits (or not; it is
    /// one transaction either way) and waits for it.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }

    /// Stops the engine at once, as a crash would: the task is aborted
    /// wherever it is. The store stays consistent (a batch and its cursor
    /// commit together), which is what crash tests check.
    pub fn abort(self) {
        self.task.abort();
    }
}

/// Starts the engine on the current Tokio runtime, with a relay client of
/// its own built from `config` ([`SyncConfig::relay_options`]).
pub fn spawn(store: SharedStore, config: SyncConfig) -> SyncHandle {
    start(store, config, None)
}

/// Starts the engine with `relay`, a client shared with the rest of the
/// desktop (one connection pool, one proxy decision). It must be a client
/// of `config.relay_url`, which names the cursor; `config`'s proxy and
/// connect timeout are then the client's.
pub fn spawn_with(store: SharedStore, config: SyncConfig, relay: RelayClient) -> SyncHandle {
    start(store, config, Some(relay))
}

fn start(store: SharedStore, config: SyncConfig, relay: Option<RelayClient>) -> SyncHandle {
    let (state_tx, state_rx) = watch::channel(ConnectionState::Connecting);
    let (updates, _) = broadcast::channel(UPDATE_BUFFER);
    let (stop, stop_rx) = watch::channel(false);
    let cursor = Arc::new(AtomicU64::new(0));
    let channels = Channels {
        updates: updates.clone(),
        state: state_tx,
        stop: stop_rx,
        cursor: Arc::clone(&cursor),
    };
    let task = tokio::spawn(async move {
        match relay.or_else(|| client_for(&config)) {
            Some(relay) => run_with(store, config, relay, channels).await,
            None => set_state(&channels.state, &channels.updates, ConnectionState::Stopped),
        }
    });
    SyncHandle {
        state: state_rx,
        updates,
        stop,
        cursor,
        task,
    }
}

enum End {
    Shutdown,
    /// The relay said it is shutting down (`event: going_away`): reconnect
    /// at once from the cursor.
    GoingAway,
    /// The session failed; `progressed`: it had reached the relay first.
    Failed {
        error: String,
        progressed: bool,
    },
}

struct Session<'a> {
    store: &'a SharedStore,
    config: &'a SyncConfig,
    relay: &'a RelayClient,
    updates: &'a broadcast::Sender<SyncUpdate>,
    state: &'a watch::Sender<ConnectionState>,
    stop: watch::Receiver<bool>,
    cursor: &'a AtomicU64,
    progressed: bool,
}

/// The engine's loop until `stop` turns true. [`spawn`] runs it in a task;
/// call it directly to own the task yourself.
pub async fn run(
    store: SharedStore,
    config: SyncConfig,
    updates: broadcast::Sender<SyncUpdate>,
    state: watch::Sender<ConnectionState>,
    stop: watch::Receiver<bool>,
    cursor: Arc<AtomicU64>,
) {
    let Some(relay) = client_for(&config) else {
        set_state(&state, &updates, ConnectionState::Stopped);
        return;
    };
    let channels = Channels {
        updates,
        state,
        stop,
        cursor,
    };
    run_with(store, config, relay, channels).await;
}

/// What the engine reports through and is stopped by.
struct Channels {
    updates: broadcast::Sender<SyncUpdate>,
    state: watch::Sender<ConnectionState>,
    stop: watch::Receiver<bool>,
    cursor: Arc<AtomicU64>,
}

/// The engine's own relay client, as `config` says.
fn client_for(config: &SyncConfig) -> Option<RelayClient> {
    match RelayClient::with_options(
        &config.relay_url,
        config.agent_token.clone(),
        config.relay_options(),
    ) {
        Ok(relay) => Some(relay),
        Err(e) => {
            tracing::error!(error = %e, "sync: cannot build the relay client");
            None
        }
    }
}

async fn run_with(store: SharedStore, config: SyncConfig, relay: RelayClient, channels: Channels) {
    let Channels {
        updates,
        state,
        stop,
        cursor,
    } = channels;
    // The phone-number metadata loads on first use, which takes from tens
    // to hundreds of milliseconds (more on a busy machine): load it now
    // rather than while the first message waits.
    let _ = tokio::task::spawn_blocking(|| crate::phone::E164::parse("16505551234")).await;
    let mut attempt: u32 = 0;
    let mut failing_since: Option<i64> = None;
    // The last reconnect without a back-off: a relay that keeps going away
    // gets one such reconnect per second at most.
    let mut last_prompt: Option<tokio::time::Instant> = None;
    loop {
        if *stop.borrow() {
            break;
        }
        let mut session = Session {
            store: &store,
            config: &config,
            relay: &relay,
            updates: &updates,
            state: &state,
            stop: stop.clone(),
            cursor: &cursor,
            progressed: false,
        };
        let end = session.run().await;
        let (error, progressed) = match end {
            End::Shutdown => break,
            End::GoingAway if last_prompt.is_none_or(|at| at.elapsed() >= GOING_AWAY_SPACING) => {
                tracing::info!("sync: the relay is going away; reconnecting at once");
                last_prompt = Some(tokio::time::Instant::now());
                attempt = 0;
                failing_since = None;
                continue;
            }
            End::GoingAway => ("the relay went away again".to_owned(), true),
            End::Failed { error, progressed } => (error, progressed),
        };
        if progressed {
            attempt = 0;
            failing_since = None;
        }
        attempt = attempt.saturating_add(1);
        let since = *failing_since.get_or_insert_with(now_ms);
        let jitter: f64 = rand::rng().random();
        let delay = config.backoff.delay(attempt, jitter);
        let next_retry_at_ms = now_ms() + i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
        tracing::warn!(%error, attempt, ?delay, "sync: connection lost; retrying");
        let next = if attempt > config.offline_after {
            ConnectionState::Offline {
                since_ms: since,
                attempt,
                next_retry_at_ms,
                error,
            }
        } else {
            ConnectionState::Reconnecting {
                attempt,
                next_retry_at_ms,
                error,
            }
        };
        set_state(&state, &updates, next);
        let mut stop_wait = stop.clone();
        tokio::select! {
            _ = tokio::time::sleep(delay) => {}
            _ = stop_wait.wait_for(|s| *s) => break,
        }
    }
    set_state(&state, &updates, ConnectionState::Stopped);
}

fn set_state(
    state: &watch::Sender<ConnectionState>,
    updates: &broadcast::Sender<SyncUpdate>,
    next: ConnectionState,
) {
    let changed = state.send_if_modified(|s| {
        if *s == next {
            false
        } else {
            *s = next.clone();
            true
        }
    });
    if changed {
        let _ = updates.send(SyncUpdate::Connection(next));
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Session<'_> {
    fn fail(&self, error: impl std::fmt::Display) -> End {
        End::Failed {
            error: error.to_string(),
            progressed: self.progressed,
        }
    }

    async fn run(&mut self) -> End {
        let key = self.config.cursor_key().to_owned();
        let store = Arc::clone(self.store);
        let cursor = match tokio::task::spawn_blocking(move || lock(&store).sync_cursor(&key)).await
        {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return self.fail(format!("the local store: {e}")),
            Err(e) => return self.fail(e),
        };
        self.cursor.store(cursor, Ordering::Release);
        let cursor = match self.catch_up(cursor).await {
            Ok(c) => c,
            Err(end) => return end,
        };
        self.follow(cursor).await
    }

    /// A page of the log, decoded and planned on the blocking pool straight
    /// from the relay's JSON ([`super::plan::plan_page`]), so it is planned
    /// while the previous page is written.
    ///
    /// A 410 `history_pruned` skips to the relay's horizon
    /// ([`Self::skip_to_horizon`]) and asks again from there.
    async fn planned_page(&self, after: u64) -> Result<PlannedPage, String> {
        let mut after = after;
        let mut skips = 0;
        let bytes = loop {
            let page = self
                .relay
                .events_page(
                    after,
                    self.config.page_size,
                    self.config.max_page_bytes,
                    self.config.page_timeout,
                )
                .await;
            match page {
                Ok(bytes) => break bytes,
                // Retention may prune again while we skip: a few times at most.
                Err(FetchError::Pruned { horizon, .. }) if skips < 3 => {
                    skips += 1;
                    after = self.skip_to_horizon(after, horizon).await?;
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        tokio::task::spawn_blocking(move || super::plan::plan_page(&bytes))
            .await
            .map_err(|e| format!("planning a page: {e}"))?
            .map_err(|e| format!("a page that is not JSON: {e}"))
    }

    /// Keeps the gap the relay's retention left, with the cursor moved to
    /// just before `horizon` (one transaction), and tells the window.
    /// Returns the new cursor.
    async fn skip_to_horizon(&self, after: u64, horizon: Horizon) -> Result<u64, String> {
        let store = Arc::clone(self.store);
        let key = self.config.cursor_key().to_owned();
        tokio::task::spawn_blocking(move || {
            lock(&store).write(|w| w.note_history_gap(&key, after, horizon, now_ms()))
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("the local store: {e}"))?;
        let cursor = horizon.seq.saturating_sub(1);
        self.cursor.fetch_max(cursor, Ordering::AcqRel);
        tracing::warn!(
            after,
            horizon = horizon.seq,
            "sync: the relay no longer keeps the events after the cursor; going on from its horizon"
        );
        let _ = self.updates.send(SyncUpdate::HistoryPruned(HistoryGap {
            missed_after: after,
            resumed_at: horizon.seq,
            before_ms: horizon.received_at_ms,
        }));
        Ok(cursor)
    }

    /// Pages until the log's end; the next page is fetched and planned
    /// while the current one is written. Returns the cursor reached.
    ///
    /// A backlog of more than one page is written with fewer, larger WAL
    /// checkpoints ([`CATCH_UP_WAL_PAGES`]): each checkpoint syncs the files
    /// to disk, and with SQLite's default one came after nearly every page.
    /// The default is back, and the WAL checkpointed, once the backlog is in.
    async fn catch_up(&mut self, cursor: u64) -> Result<u64, End> {
        let page = self.planned_page(cursor).await.map_err(|e| self.fail(e))?;
        self.progressed = true;
        if !page.has_more {
            return self.catch_up_from(cursor, page).await;
        }
        let before = self
            .on_store(|c| {
                let before: i64 = c.pragma_query_value(None, "wal_autocheckpoint", |r| r.get(0))?;
                c.pragma_update(None, "wal_autocheckpoint", CATCH_UP_WAL_PAGES)?;
                Ok(before)
            })
            .await;
        let reached = self.catch_up_from(cursor, page).await;
        if let Some(before) = before {
            self.on_store(move |c| {
                c.pragma_update(None, "wal_autocheckpoint", before)?;
                c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            })
            .await;
        }
        reached
    }

    async fn catch_up_from(&mut self, mut cursor: u64, mut page: PlannedPage) -> Result<u64, End> {
        loop {
            // A skip to the relay's horizon moved the cursor on.
            cursor = cursor.max(self.cursor.load(Ordering::Acquire));
            if *self.stop.borrow() {
                return Err(End::Shutdown);
            }
            set_state(
                self.state,
                self.updates,
                ConnectionState::CatchingUp {
                    cursor,
                    head: page.head.max(cursor),
                },
            );
            let Some(last) = page.last else {
                return Ok(cursor);
            };
            let planned = std::mem::take(&mut page.planned);
            let apply = self.apply(Batch::Planned(planned, last), true);
            if page.has_more {
                let fetch = self.planned_page(last);
                let (applied, fetched) = tokio::join!(apply, fetch);
                cursor = applied?;
                page = fetched.map_err(|e| self.fail(e))?;
            } else {
                return apply.await;
            }
        }
    }

    /// Runs `f` on the store's connection on the blocking pool, for its
    /// settings; a failure is logged and gives `None` (they are tuning only).
    async fn on_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Option<T> {
        let store = Arc::clone(self.store);
        let done =
            tokio::task::spawn_blocking(move || lock(&store).with_connection(|c| Ok(f(c)?))).await;
        let error = match done {
            Ok(Ok(v)) => return Some(v),
            Ok(Err(e)) => e.to_string(),
            Err(e) => e.to_string(),
        };
        tracing::warn!(%error, "sync: could not tune the store's checkpoints");
        None
    }

    /// Applies one batch in one transaction, then publishes what changed.
    async fn apply(&self, batch: Batch, replay: bool) -> Result<u64, End> {
        let store = Arc::clone(self.store);
        let key = self.config.cursor_key().to_owned();
        let max = self.config.max_messages_per_update;
        let fault = self.config.fault;
        let done = tokio::task::spawn_blocking(move || -> crate::Result<(Applied, InboxChange)> {
            let (planned, last) = match batch {
                Batch::Events(events) => (super::plan::plan(&events), events.last().map(|e| e.seq)),
                Batch::Planned(planned, last) => (planned, Some(last)),
            };
            let hook = |p: &Planned| {
                if let Some(SyncFault::PanicApplying { seq }) = fault
                    && p.seq == seq
                {
                    panic!("test fault: applying event {seq} panics");
                }
            };
            // A panic is caught inside, while the store is locked, so the
            // lock is not poisoned and the session goes on.
            let mut store = lock(&store);
            let applied =
                super::apply::apply_isolating_panics(&mut store, &key, &planned, last, &hook)?;
            let change = inbox_change(&store, &applied, replay, max)?;
            Ok((applied, change))
        })
        .await;
        match done {
            Ok(Ok((applied, change))) => {
                self.cursor.store(applied.cursor, Ordering::Release);
                if applied.events > 0 {
                    let _ = self.updates.send(SyncUpdate::Inbox(change));
                }
                Ok(applied.cursor)
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "sync: applying a batch failed; it will be retried");
                Err(self.fail(format!("the local store: {e}")))
            }
            Err(e) => Err(self.fail(e)),
        }
    }

    async fn follow(&mut self, mut cursor: u64) -> End {
        // A reader task decodes the stream while the applier commits:
        // whatever arrived during one transaction goes into the next (group
        // commit), so the engine never falls behind one event per transaction.
        let stream = self
            .relay
            .stream(
                cursor,
                self.config.stream_idle_timeout,
                self.config.max_line_bytes,
            )
            .await;
        let mut stream = match stream {
            Ok(s) => s,
            Err(FetchError::Pruned { horizon, message }) => {
                // Pruned between catch-up and stream: the next attempt
                // catches up from the horizon.
                if let Err(e) = self.skip_to_horizon(cursor, horizon).await {
                    return self.fail(e);
                }
                return self.fail(message);
            }
            Err(FetchError::Failed(message)) => return self.fail(message),
        };
        set_state(
            self.state,
            self.updates,
            ConnectionState::Connected { since_ms: now_ms() },
        );
        let mut stop = self.stop.clone();
        loop {
            let first = tokio::select! {
                e = stream.recv() => e,
                _ = stop.wait_for(|s| *s) => return End::Shutdown,
            };
            let mut events = Vec::new();
            let mut failure = None;
            let mut next = Some(first);
            while let Some(item) = next.take() {
                match item {
                    Some(Ok(e)) => {
                        if e.seq > cursor {
                            events.push(e);
                        }
                    }
                    Some(Err(e)) => {
                        failure = Some(e);
                        break;
                    }
                    None => {
                        failure = Some(StreamEnd::Broken("the relay closed the stream".to_owned()));
                        break;
                    }
                }
                if events.len() < MAX_BATCH {
                    next = stream.try_recv().map(Some);
                }
            }
            if !events.is_empty() {
                match self.apply(Batch::Events(events), false).await {
                    Ok(c) => cursor = c,
                    Err(end) => return end,
                }
            }
            match failure {
                None => {}
                Some(StreamEnd::GoingAway) => return End::GoingAway,
                Some(StreamEnd::Broken(e)) => return self.fail(e),
            }
        }
    }
}

/// At most one reconnect without back-off per this long.
const GOING_AWAY_SPACING: std::time::Duration = std::time::Duration::from_secs(1);

/// What [`Session::apply`] writes: live events (planned in the same
/// blocking task, as they are few) or a page planned ahead.
enum Batch {
    Events(Vec<Event>),
    Planned(Vec<Planned>, u64),
}

/// WAL pages between automatic checkpoints while catching up (SQLite's
/// default is 1,000): 16 MiB of 4 KiB pages, a few catch-up pages' worth.
const CATCH_UP_WAL_PAGES: i64 = 4_096;

/// Most events in one live transaction.
const MAX_BATCH: usize = 5_000;

fn lock(store: &SharedStore) -> std::sync::MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(|p| p.into_inner())
}
