//! The Hourglass webhook relay: the team's one public endpoint.
//!
//! Meta POSTs signed webhooks here; the relay checks the signature over the
//! raw bytes, splits each batch into single updates (every entry, change,
//! message, status and error), appends them to a durable log with a dedupe
//! key, commits, and only then answers 200. Meta offers no way to fetch a
//! missed webhook, so the promise is: **nothing is acknowledged before it is
//! on disk, and no part of a batch is ever dropped.** Every agent's desktop
//! app then reads the same log through `/v1` (catch-up pages and a
//! server-sent-event stream), and publishes its own shared actions to it.
//!
//! The relay never holds the Cloud API access token; a compromised relay can
//! read traffic but cannot message customers. The app secret and agent tokens
//! are never logged, and agent tokens are stored only as hashes.
//!
//! Design decisions where the architecture is silent:
//! - One writer thread ([`journal`]) does group commit: concurrent webhooks
//!   share one transaction and one fsync, and each handler is answered after
//!   the commit that holds its rows.
//! - A webhook whose updates were all seen before is answered 200 without
//!   appending anything (Meta retries are expected).
//! - `GET /v1/stream` without `Last-Event-ID` or `?after=` starts at the
//!   beginning of the log: a client that forgot its cursor gets everything
//!   rather than silently missing events.
//! - `/metrics` and `/healthz` need no token; they reveal counts only.
//! - Presence (who is viewing or typing where, [`presence`]) is kept in
//!   memory only and expires by itself; it is not part of the log.
//! - Several relays can share one PostgreSQL log ([`store::PgStore`], chosen
//!   by a `postgres://` database URL): each stream then carries every relay's
//!   events in `seq` order, and presence is shared through the database.
//!
//! A test starts a relay on a free port like this:
//! ```no_run
//! # async fn demo() -> Result<(), hourglass_relay::RelayError> {
//! let dir = std::env::temp_dir();
//! let relay = hourglass_relay::Relay::open(hourglass_relay::Config::new(
//!     dir.join("relay.db"), "app-secret", "verify-token"))?;
//! let token = relay.add_agent("ana")?;
//! let running = relay.start("127.0.0.1:0").await?;
//! let url = running.url(); // http://127.0.0.1:<port>
//! # let _ = (token, url);
//! running.shutdown().await?;
//! # Ok(()) }
//! ```

pub mod agent;
mod api;
pub mod error;
pub mod journal;
pub mod metrics;
pub mod presence;
pub mod store;
mod stream;
pub mod webhook;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use hourglass_protocol::path;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot, watch};

pub use agent::{Agent, AgentToken};
pub use error::{ApiError, RelayError};
pub use store::{Database, EventStore, PgStore, SqliteStore};
pub use stream::DEFAULT_HEARTBEAT;

use journal::{Journal, LiveBatch};
use metrics::Metrics;

/// Committed batches kept for live subscribers before a slow one must go back
/// to the store.
const LIVE_BUFFER: usize = 1024;

/// A secret string whose `Debug` does not show it.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// What a relay needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The event log: a SQLite file (created if missing) or a PostgreSQL
    /// URL (`postgres://…`, shared with other relays).
    pub database: Database,
    /// The Meta app's App Secret, which keys `X-Hub-Signature-256`.
    pub app_secret: Secret,
    /// What Meta must present in the webhook handshake.
    pub verify_token: Secret,
    /// Interval of heartbeat comments on idle streams.
    pub heartbeat: Duration,
    /// Committed batches buffered for live subscribers; a subscriber further
    /// behind reads the gap from the store instead.
    pub live_buffer: usize,
    /// How long presence entries live unless renewed.
    pub presence_ttl: presence::PresenceTtl,
}

impl Config {
    pub fn new(
        database: impl Into<Database>,
        app_secret: impl Into<String>,
        verify_token: impl Into<String>,
    ) -> Self {
        Config {
            database: database.into(),
            app_secret: Secret::new(app_secret),
            verify_token: Secret::new(verify_token),
            heartbeat: DEFAULT_HEARTBEAT,
            live_buffer: LIVE_BUFFER,
            presence_ttl: presence::PresenceTtl::default(),
        }
    }

    pub fn with_heartbeat(mut self, heartbeat: Duration) -> Self {
        self.heartbeat = heartbeat;
        self
    }
}

/// Handles shared by every request: cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    app_secret: Secret,
    verify_token: Secret,
    heartbeat: Duration,
    store: Arc<dyn EventStore>,
    journal: Journal,
    live: broadcast::Sender<LiveBatch>,
    metrics: Arc<Metrics>,
    presence: presence::Presence,
    shutdown: watch::Sender<bool>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    pub fn store(&self) -> Arc<dyn EventStore> {
        Arc::clone(&self.0.store)
    }

    pub fn journal(&self) -> &Journal {
        &self.0.journal
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub fn presence(&self) -> &presence::Presence {
        &self.0.presence
    }

    pub(crate) fn app_secret(&self) -> &str {
        self.0.app_secret.expose()
    }

    pub(crate) fn verify_token(&self) -> &str {
        self.0.verify_token.expose()
    }

    pub(crate) fn heartbeat(&self) -> Duration {
        self.0.heartbeat
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<LiveBatch> {
        self.0.live.subscribe()
    }

    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.0.shutdown.subscribe()
    }

    /// Ends every open stream; used by graceful shutdown.
    pub fn close_streams(&self) {
        self.0.shutdown.send_replace(true);
    }
}

/// The relay's routes. Tests may drive it with `tower::ServiceExt::oneshot`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route(
            path::WEBHOOK,
            get(webhook::handshake).post(webhook::receive),
        )
        .route(path::EVENTS, get(api::page).post(api::publish))
        .route(path::STREAM, get(stream::follow))
        .route(path::AGENTS, get(api::agents))
        .route(path::PRESENCE, get(presence::get).post(presence::set))
        .route(path::HEALTHZ, get(health))
        .route(path::METRICS, get(metrics_text))
        .fallback(not_found)
        .with_state(state)
}

/// Healthy means: the log can be read and the writer is taking appends.
async fn health(State(state): State<AppState>) -> Response {
    let store = state.store();
    let writing = state.journal().is_running();
    match tokio::task::spawn_blocking(move || store.head()).await {
        Ok(Ok(head)) if writing => {
            Json(serde_json::json!({ "status": "ok", "head": head })).into_response()
        }
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "unavailable" })),
        )
            .into_response(),
    }
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    let store = state.store();
    let head = tokio::task::spawn_blocking(move || store.head())
        .await
        .ok()
        .and_then(Result::ok);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(head),
    )
        .into_response()
}

async fn not_found(
    State(state): State<AppState>,
    mut parts: axum::http::request::Parts,
) -> ApiError {
    // Unknown `/v1` paths answer 401 to strangers, so the API's shape cannot
    // be probed without a token.
    if parts.uri.path().starts_with("/v1")
        && let Err(e) = <Agent as axum::extract::FromRequestParts<AppState>>::from_request_parts(
            &mut parts, &state,
        )
        .await
    {
        return e;
    }
    ApiError::NotFound(parts.uri.path().to_owned())
}

/// A relay with its log open and its writer running, ready to serve.
pub struct Relay {
    state: AppState,
    writer: std::thread::JoinHandle<()>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay").finish_non_exhaustive()
    }
}

impl Relay {
    /// Opens the log at `config.database` and starts the writer.
    pub fn open(config: Config) -> Result<Self, RelayError> {
        let store = config.database.open()?;
        Self::with_store(config, store)
    }

    /// A relay over any [`EventStore`].
    pub fn with_store(config: Config, store: Arc<dyn EventStore>) -> Result<Self, RelayError> {
        let (live, _) = broadcast::channel(config.live_buffer.max(1));
        let metrics = Arc::new(Metrics::default());
        // A shared log announces every relay's commits itself.
        let announce = (!store.follow(&live)?).then(|| live.clone());
        let (journal, writer) = Journal::start(Arc::clone(&store), announce, Arc::clone(&metrics))
            .map_err(|e| RelayError::Store(store::StoreError::Other(e.to_string())))?;
        let presence = match store.shared_presence() {
            Some(shared) => presence::Presence::shared(config.presence_ttl, shared),
            None => presence::Presence::new(config.presence_ttl),
        };
        let (shutdown, _) = watch::channel(false);
        let state = AppState(Arc::new(Inner {
            app_secret: config.app_secret,
            verify_token: config.verify_token,
            heartbeat: config.heartbeat,
            store,
            journal,
            live,
            metrics,
            presence,
            shutdown,
        }));
        Ok(Relay { state, writer })
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn router(&self) -> Router {
        app(self.state.clone())
    }

    /// Adds an agent to this relay's log; see [`agent::add`].
    pub fn add_agent(&self, name: &str) -> Result<AgentToken, RelayError> {
        agent::add(self.state.0.store.as_ref(), name)
    }

    /// Serves until `shutdown` completes, then stops accepting, ends the
    /// streams, lets in-flight requests finish (their commits included),
    /// and stops the writer after the last queued commit.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), RelayError> {
        let Relay { state, writer } = self;
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, "relay listening");
        }
        let closing = state.clone();
        // Small writes (an SSE frame, a 200) go out at once: with Nagle's
        // algorithm on, one waits for the peer's delayed ACK, about 40 ms.
        let listener = listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "could not set TCP_NODELAY on a connection");
            }
        });
        let served = axum::serve(listener, app(state.clone()))
            .with_graceful_shutdown(async move {
                shutdown.await;
                tracing::info!("shutting down: no new connections, finishing in-flight requests");
                closing.close_streams();
            })
            .await;
        state.close_streams();
        state.journal().stop().await;
        let _ = tokio::task::spawn_blocking(move || writer.join()).await;
        tracing::info!("relay stopped");
        served.map_err(RelayError::Serve)
    }

    /// Binds `listen` (e.g. `127.0.0.1:0`) and serves in a background task.
    pub async fn start(self, listen: &str) -> Result<RunningRelay, RelayError> {
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| RelayError::bind(listen, e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| RelayError::bind(listen, e))?;
        let state = self.state.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(self.serve(listener, async move {
            let _ = stopped.await;
        }));
        Ok(RunningRelay {
            addr,
            state,
            stop: Some(stop),
            task,
        })
    }
}

/// A relay serving in the background; see [`Relay::start`].
pub struct RunningRelay {
    addr: SocketAddr,
    state: AppState,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<Result<(), RelayError>>,
}

impl std::fmt::Debug for RunningRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningRelay")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningRelay {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<addr>`, without a trailing slash.
    pub fn url(&self) -> String {
        error::describe(self.addr)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Graceful shutdown; returns once the writer has stopped.
    pub async fn shutdown(mut self) -> Result<(), RelayError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.await {
            Ok(result) => result,
            Err(e) => Err(RelayError::Serve(std::io::Error::other(e.to_string()))),
        }
    }
}
