//! One running session: what feeds the inbox the window reads.
//!
//! A [`Session`] owns the one writer [`Store`] of its folder (shared by the
//! sync engine, the outbox and the commands), the sync engine, the outbox,
//! one relay client and the Graph client. It starts from a
//! [`SessionConfig`] (the demo's loopback relay and simulator, or the
//! team's relay and Meta) and stops with [`Session::stop`]. Everything it
//! has to tell the window goes out as one typed [`AppEvent`] on the bus its
//! [`Profile`] hands it ([`Profile::events`]).
//!
//! The [`Profile`] is what outlives sessions: the profile's own store (the
//! agent's preferences, copied into a demo's store), the keychain, and the
//! connect workflow (test, then keychain, then save, then start).
//! Team actions wait until this desktop applied them (read your own write).
//!
//! [`Sessions`] is what a desktop shell keeps: the profile, the session
//! that runs on it ([`Current`]), the notifier every session feeds, and the
//! [`Launcher`](crate::launch::Launcher) that links and second launches
//! leave their notice with. Starting up, following a link, the agent's
//! preferences (one typed [`PreferenceKey`] / [`PreferenceChange`] pair)
//! and Do not disturb from the tray are its workflows, so the shell's
//! commands only take arguments, call them and answer.

mod current;
mod demo;
mod events;
mod preferences;
mod problem;
mod profile;
mod team;

pub use current::{ConnectOutcome, Current, Sessions};
pub use demo::{AGENT as DEMO_AGENT, COLLEAGUE as DEMO_COLLEAGUE, Demo, DemoError};
pub use events::{AppEvent, OutboxChange};
pub use preferences::{Preference, PreferenceChange, PreferenceKey};
pub use problem::IpcError;
pub use profile::{
    ConnectForm, ConnectionView, GRAPH_URL_ENV, Keychain, LANGUAGE_KEY, LANGUAGES, LeadPatternView,
    NOTIFICATION_SETTINGS_KEY, Profile, SavedConnection, TokenKind, graph_base_url, keychain_for,
};
pub use team::{
    ConversationAssignee, ConversationLabel, ConversationTeam, READ_OWN_WRITE, TeamAgents,
};

use crate::graph::{GraphClient, GraphConfig};
use crate::inbox::{ConversationId, ConversationSummary, MessageId};
use crate::media::{self, MediaCache, MediaFetcher};
use crate::notification::{self, Notifier};
use crate::outbox::{self, OutboxConfig, OutboxHandle, WorkerState};
use crate::problem::ErrorCode;
use crate::receipt::{ReadReceipts, ReceiptOutcome};
use crate::relay::RelayClient;
use crate::reports;
use crate::secrets::Secret;
use crate::store::Store;
use crate::sync::{self, ConnectionState, SharedStore, SyncConfig, SyncHandle, SyncUpdate};
use crate::templates::{self, SyncedTemplates};
use crate::typing::TypingIndicators;
use crate::{handover, health};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::task::JoinHandle;
use ts_rs::TS;

/// What the app is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Mode {
    /// Nothing yet: the window offers the demo or connecting a number.
    Unconfigured,
    /// The built-in relay and Cloud API simulator.
    Demo,
    /// The team's relay and Meta's Cloud API, with tokens from the keychain.
    Connected,
}

/// What the window needs to know about the session.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub mode: Mode,
    pub connection: Option<ConnectionState>,
    /// The business number customers write to, in E.164, when known.
    pub business_number: Option<String>,
    /// Whether queued messages are going out (absent without a number).
    pub sending: Option<WorkerState>,
    /// Why the saved connection is not running (a locked keychain, say),
    /// shown until it is fixed.
    pub problem: Option<IpcError>,
}

impl SessionInfo {
    /// No session runs; `problem` says why, when something should have.
    pub fn unconfigured(problem: Option<IpcError>) -> SessionInfo {
        SessionInfo {
            mode: Mode::Unconfigured,
            connection: None,
            business_number: None,
            sending: None,
            problem,
        }
    }
}

/// Everything a session is made of; demo and connected differ only here.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub mode: Mode,
    /// Where the session's store and media cache live.
    pub dir: PathBuf,
    pub relay_url: String,
    pub agent_token: Secret,
    pub graph: GraphConfig,
    pub access_token: Secret,
    pub business_number: Option<String>,
}

/// The background work, taken out whole by [`Session::stop`].
struct Running {
    sync: SyncHandle,
    outbox: OutboxHandle,
    watch: JoinHandle<()>,
    /// Works the reports' figures out while the sync is quiet.
    figures: JoinHandle<()>,
    demo: Option<Demo>,
    /// Keeps a demo's temporary folder until the session stops.
    scratch: Option<tempfile::TempDir>,
}

pub struct Session {
    mode: Mode,
    dir: PathBuf,
    store: SharedStore,
    graph: Arc<GraphClient>,
    media: Arc<MediaFetcher>,
    relay: RelayClient,
    relay_url: String,
    business_number: Option<String>,
    secrets: Vec<Secret>,
    events: broadcast::Sender<AppEvent>,
    receipts: ReadReceipts,
    typing: TypingIndicators,
    running: Mutex<Option<Running>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("mode", &self.mode)
            .field("dir", &self.dir)
            .field("relay_url", &self.relay_url)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Session {
    /// Starts sync, outbox and the watch of this agent's chats on `store`
    /// (the one writer of `config.dir`); events go to `events`.
    pub async fn start(
        config: SessionConfig,
        store: SharedStore,
        events: broadcast::Sender<AppEvent>,
        notifier: Notifier,
    ) -> Result<Arc<Session>, IpcError> {
        let code = match config.mode {
            Mode::Demo => ErrorCode::DemoFailed,
            _ => ErrorCode::ConnectFailed,
        };
        let graph_client = || {
            GraphClient::new(config.graph.clone(), config.access_token.clone())
                .map_err(|e| IpcError::because(code, e))
        };
        let graph = Arc::new(graph_client()?);
        let media_limit = lock(&store)
            .setting::<u64>(media::CACHE_LIMIT_SETTING)
            .ok()
            .flatten()
            .unwrap_or(media::DEFAULT_CACHE_LIMIT);
        let cache = MediaCache::open(&config.dir.join("media"), media_limit)
            .map_err(|e| IpcError::because(code, e))?;
        let media = Arc::new(MediaFetcher::new(Arc::clone(&graph), Arc::new(cache)));
        let relay = RelayClient::new(&config.relay_url, config.agent_token.clone())
            .map_err(|e| IpcError::because(code, e))?;
        let sync = sync::spawn_with(
            Arc::clone(&store),
            SyncConfig::new(config.relay_url.clone(), config.agent_token.clone()),
            relay.clone(),
        );
        let figures = tokio::spawn(reports::keeper::keep_figures(
            Arc::clone(&store),
            sync.subscribe(),
            reports::keeper::QUIET,
        ));
        let watch = tokio::spawn(notification::watch_my_chats(
            relay.clone(),
            Arc::clone(&store),
            notifier.clone(),
            notification::REMINDER_PERIOD,
        ));
        // A send whose answer was lost is only given up on while the sync
        // is caught up: the outbox follows its state.
        let outbox = outbox::spawn(
            Arc::clone(&store),
            graph_client()?,
            relay.clone(),
            OutboxConfig {
                sync_state: Some(sync.watch_state()),
                ..OutboxConfig::default()
            },
        );
        let session = Arc::new(Session {
            mode: config.mode,
            dir: config.dir,
            store,
            graph,
            media,
            relay,
            relay_url: config.relay_url,
            business_number: config.business_number,
            secrets: vec![config.access_token, config.agent_token],
            events,
            receipts: ReadReceipts::default(),
            typing: TypingIndicators::default(),
            running: Mutex::new(None),
        });
        session.forward(&sync, &outbox, notifier);
        *lock(&session.running) = Some(Running {
            sync,
            outbox,
            watch,
            figures,
            demo: None,
            scratch: None,
        });
        session.resync_templates();
        session.refresh_health();
        Ok(session)
    }

    /// Stops the background work (and the demo's relay and simulator).
    /// Commands still read the store afterwards; nothing feeds it.
    pub async fn stop(&self) {
        let Some(running) = lock(&self.running).take() else {
            return;
        };
        running.watch.abort();
        running.figures.abort();
        running.outbox.shutdown().await;
        running.sync.shutdown().await;
        if let Some(demo) = running.demo {
            demo.shutdown().await;
        }
        drop(running.scratch);
    }

    /// The events of this session (and of its profile: one bus).
    pub fn events(&self) -> broadcast::Receiver<AppEvent> {
        self.events.subscribe()
    }

    fn emit(&self, event: AppEvent) {
        // No receiver is fine: no window listens yet.
        let _ = self.events.send(event);
    }

    pub fn info(&self) -> SessionInfo {
        let running = lock(&self.running);
        SessionInfo {
            mode: self.mode,
            connection: running.as_ref().map(|r| r.sync.state()),
            business_number: self.business_number.clone(),
            sending: running.as_ref().map(|r| r.outbox.state()),
            problem: None,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }
    pub fn dir(&self) -> &Path {
        &self.dir
    }
    pub fn store(&self) -> SharedStore {
        Arc::clone(&self.store)
    }
    pub fn graph(&self) -> Arc<GraphClient> {
        Arc::clone(&self.graph)
    }
    pub fn media(&self) -> Arc<MediaFetcher> {
        Arc::clone(&self.media)
    }
    pub fn relay(&self) -> &RelayClient {
        &self.relay
    }
    /// The relay's URL, which names the sync cursor.
    pub fn relay_url(&self) -> &str {
        &self.relay_url
    }
    pub fn business_number(&self) -> Option<String> {
        self.business_number.clone()
    }
    /// The session's tokens, so diagnostics can make sure none is in them.
    pub fn secrets(&self) -> Vec<Secret> {
        self.secrets.clone()
    }
    /// Runs `f` with the store locked.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> crate::Result<T>,
    ) -> Result<T, IpcError> {
        f(&mut lock(&self.store)).map_err(IpcError::from)
    }

    /// Tells the outbox a message was queued.
    pub fn wake_outbox(&self) {
        if let Some(running) = lock(&self.running).as_ref() {
            running.outbox.wake();
        }
    }

    /// Unread messages over every conversation.
    pub fn unread_total(&self) -> Result<u32, IpcError> {
        self.with_store(|s| unread_total(s))
    }

    fn emit_unread(&self) {
        match self.unread_total() {
            Ok(n) => self.emit(AppEvent::UnreadChanged(n)),
            Err(err) => tracing::warn!("unread count: {}", err.message),
        }
    }

    /// Tells the window a sent message changed.
    pub fn outbox_changed(&self, message: MessageId) {
        let change = self.with_store(|s| OutboxChange::of(s, message));
        match change {
            Ok(change) => self.emit(AppEvent::OutboxChange(Box::new(change))),
            Err(err) => tracing::warn!("outbox update: {}", err.message),
        }
    }

    /// Unread goes to 0 and Meta is told, in the background, that the
    /// newest customer message was read (each receipt once, with back-off).
    pub fn mark_read(
        self: &Arc<Self>,
        conversation: ConversationId,
    ) -> Result<ConversationSummary, IpcError> {
        let (newest_inbound, summary) = self.with_store(|s| mark_read(s, conversation))?;
        self.emit_unread();
        if let Some(wamid) = newest_inbound {
            let session = Arc::clone(self);
            tokio::spawn(async move {
                match session.receipts.mark(&session.graph, &wamid).await {
                    ReceiptOutcome::Refused { error, .. } => tracing::warn!(
                        code = %error.code(),
                        "WhatsApp refused the read receipt; not asking again: {error}"
                    ),
                    ReceiptOutcome::GaveUp { attempts, error } => tracing::warn!(
                        code = %error.code(),
                        attempts,
                        "could not tell WhatsApp the chat was read: {error}"
                    ),
                    ReceiptOutcome::Marked { .. } | ReceiptOutcome::Skipped => {}
                }
            });
        }
        Ok(summary)
    }

    /// Asks Meta to hand the conversation to this app.
    pub async fn take_over(
        &self,
        conversation: ConversationId,
    ) -> Result<ConversationSummary, IpcError> {
        let now = chrono::Utc::now().timestamp();
        Ok(handover::take_over(&self.graph, &self.store, conversation, now).await?)
    }

    /// Reads the account's templates from WhatsApp now.
    pub async fn sync_templates(&self) -> Result<SyncedTemplates, IpcError> {
        Ok(templates::sync(&self.store, &self.graph, now_ms()).await?)
    }

    /// Reads the number's rating and tier now, and tells the window.
    pub async fn refresh_health_now(&self) -> Result<(), IpcError> {
        health::refresh(&self.store, &self.graph, now_ms()).await?;
        self.emit(AppEvent::AccountHealthChanged);
        Ok(())
    }

    /// Reads the templates again in the background.
    fn resync_templates(&self) {
        let (store, graph) = (self.store(), self.graph());
        tokio::spawn(async move {
            match templates::sync(&store, &graph, now_ms()).await {
                Ok(synced) => tracing::info!("templates synced: {synced:?}"),
                Err(err) => tracing::warn!("template sync failed: {err}"),
            }
        });
    }

    /// Reads the number's rating in the background and tells the window.
    fn refresh_health(&self) {
        let (store, graph, events) = (self.store(), self.graph(), self.events.clone());
        tokio::spawn(async move {
            match health::refresh(&store, &graph, now_ms()).await {
                Ok(_) => {
                    let _ = events.send(AppEvent::AccountHealthChanged);
                }
                Err(err) => tracing::warn!("reading the number's quality failed: {err}"),
            }
        });
    }

    fn on_sync_update(&self, update: SyncUpdate, notifier: &Notifier) {
        if let SyncUpdate::Inbox(change) = &update {
            if change.templates_changed {
                self.resync_templates();
            }
            // Meta's webhook says the number was flagged or its limit
            // moved; the Graph API has the rating itself.
            if change.health_changed && !change.replay {
                self.refresh_health();
            }
            notifier.push_change(change);
        }
        let conversations_changed =
            matches!(&update, SyncUpdate::Inbox(c) if !c.conversations.is_empty());
        self.emit(AppEvent::SyncUpdate(update));
        if conversations_changed {
            self.emit_unread();
        }
    }

    /// Turns what the engine and the outbox say into [`AppEvent`]s. The
    /// tasks end when the engine and the outbox stop.
    fn forward(self: &Arc<Self>, sync: &SyncHandle, outbox: &OutboxHandle, notifier: Notifier) {
        let weak = Arc::downgrade(self);
        forward_from(weak.clone(), sync.subscribe(), true, move |s, u| {
            s.on_sync_update(u, &notifier)
        });
        forward_from(weak.clone(), outbox.subscribe(), true, |s, u| {
            s.outbox_changed(u.message)
        });
        forward_from(weak.clone(), outbox.subscribe_uploads(), false, |s, u| {
            s.emit(AppEvent::UploadProgress(u))
        });
        let mut sending = outbox.watch_state();
        tokio::spawn(async move {
            while sending.changed().await.is_ok() {
                let now = sending.borrow_and_update().clone();
                if let WorkerState::TokenInvalid { message } = &now {
                    tracing::warn!("sending stopped: {message}");
                }
                let Some(session) = weak.upgrade() else { break };
                session.emit(AppEvent::SendingState(now));
            }
        });
    }
}

/// Marks a conversation read; answers its newest customer message (to
/// tell Meta) and the updated row.
pub fn mark_read(
    store: &mut Store,
    conversation: ConversationId,
) -> crate::Result<(Option<String>, ConversationSummary)> {
    let wamid = store.write(|w| w.mark_conversation_read(conversation))?;
    Ok((wamid, store.conversation(conversation)?))
}

/// Unread messages over every conversation of `store`.
pub fn unread_total(store: &Store) -> crate::Result<u32> {
    store.with_connection(|c| {
        Ok(c.query_row(
            "SELECT COALESCE(SUM(unread_count), 0) FROM conversations",
            [],
            |r| r.get::<_, u32>(0),
        )?)
    })
}

/// Forwards a broadcast channel's messages to `handle` while the session
/// lives; a receiver that fell behind makes the window reload when
/// `reload_on_lag`.
fn forward_from<T: Clone + Send + 'static>(
    session: Weak<Session>,
    mut rx: broadcast::Receiver<T>,
    reload_on_lag: bool,
    handle: impl Fn(&Session, T) + Send + 'static,
) {
    tokio::spawn(async move {
        loop {
            let next = rx.recv().await;
            let Some(session) = session.upgrade() else {
                break;
            };
            match next {
                Ok(item) => handle(&session, item),
                Err(RecvError::Lagged(missed)) if reload_on_lag => {
                    tracing::warn!(missed, "the window fell behind the session; reloading");
                    session.emit(AppEvent::Reload);
                }
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
        }
    });
}
