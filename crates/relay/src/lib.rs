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
//! - With [`Config::auto_assign`] the relay assigns each new conversation to
//!   the next agent online ([`assign`]), as a typed team event in its log.
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
pub mod assign;
pub mod error;
pub mod journal;
pub mod limits;
pub mod metrics;
pub mod presence;
pub mod retention;
mod server;
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
use hourglass_protocol::path;
use tokio::net::TcpListener;
use tokio::sync::{broadcast, oneshot, watch};

pub use agent::{Agent, AgentToken};
pub use error::{ApiError, RelayError};
pub use limits::Limits;
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
    /// Connection, rate and size limits.
    pub limits: Limits,
    /// When set, `/metrics` answers only `Authorization: Bearer <token>`.
    pub metrics_token: Option<Secret>,
    /// When set, events older than this are removed in the background.
    pub retain: Option<Duration>,
    /// When set, the relay assigns new conversations itself ([`assign`]).
    pub auto_assign: Option<assign::AutoAssign>,
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
            limits: Limits::default(),
            metrics_token: None,
            retain: None,
            auto_assign: None,
        }
    }

    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
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
    limits: Limits,
    publish_rate: limits::PublishRate,
    stream_slots: Arc<limits::StreamSlots>,
    /// Webhook bodies being read before their signature is checked.
    unauthenticated_bodies: Arc<tokio::sync::Semaphore>,
    metrics_token: Option<Secret>,
    retain: Option<Duration>,
    auto_assign: Option<assign::RoundRobin>,
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

    pub fn limits(&self) -> &Limits {
        &self.0.limits
    }

    pub(crate) fn publish_rate(&self) -> &limits::PublishRate {
        &self.0.publish_rate
    }

    pub(crate) fn stream_slots(&self) -> &Arc<limits::StreamSlots> {
        &self.0.stream_slots
    }

    pub(crate) fn unauthenticated_bodies(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.0.unauthenticated_bodies
    }

    /// Round-robin assignment, when the relay assigns new conversations.
    pub(crate) fn auto_assign(&self) -> Option<&assign::RoundRobin> {
        self.0.auto_assign.as_ref()
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
    // Every body must arrive within the limit (the webhook route also has
    // its own, so its 400 says so in words).
    let body_timeout =
        tower_http::timeout::RequestBodyTimeoutLayer::new(state.limits().body_timeout);
    Router::new()
        .route(
            path::WEBHOOK,
            get(webhook::handshake).post(webhook::receive),
        )
        .route(
            path::EVENTS,
            get(api::page)
                .post(api::publish)
                .layer(axum::extract::DefaultBodyLimit::max(
                    hourglass_protocol::MAX_AGENT_EVENT_BYTES,
                )),
        )
        .route(path::STREAM, get(stream::follow))
        .route(path::AGENTS, get(api::agents))
        .route(path::PRESENCE, get(presence::get).post(presence::set))
        .route(path::HEALTHZ, get(health))
        .route(path::METRICS, get(metrics_text))
        .fallback(not_found)
        .layer(body_timeout)
        .with_state(state)
}

/// Healthy means: the log can be read, the writer is taking appends, and
/// the last commit did not fail (a full disk or a lost database connection
/// shows here before the next webhook finds it).
async fn health(State(state): State<AppState>) -> Response {
    let store = state.store();
    let writing = state.journal().is_running();
    let write_failed = state.metrics().last_commit_failed();
    match tokio::task::spawn_blocking(move || store.head()).await {
        Ok(Ok(head)) if writing && !write_failed => {
            Json(serde_json::json!({ "status": "ok", "head": head })).into_response()
        }
        read => {
            let reason = if !writing {
                "the writer has stopped".to_owned()
            } else if write_failed {
                "the last commit to the event log failed".to_owned()
            } else {
                match read {
                    Ok(Err(e)) => format!("the event log cannot be read: {e}"),
                    _ => "the event log cannot be read".to_owned(),
                }
            };
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "unavailable", "reason": reason })),
            )
                .into_response()
        }
    }
}

async fn metrics_text(State(state): State<AppState>, headers: header::HeaderMap) -> Response {
    if let Some(token) = &state.0.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        if !presented
            .is_some_and(|p| webhook::constant_time_eq(p.as_bytes(), token.expose().as_bytes()))
        {
            return ApiError::MetricsUnauthorized.into_response();
        }
    }
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
    /// For a SQLite log: the lock that keeps a second relay off the file,
    /// held until this relay has stopped.
    lock: Option<std::fs::File>,
}

/// Takes the lock beside a SQLite log that only one serving relay may hold.
/// The operating system releases it when the process ends, however it ends.
fn lock_sqlite_log(db_path: &std::path::Path) -> Result<std::fs::File, RelayError> {
    let mut name = db_path.file_name().unwrap_or_default().to_os_string();
    name.push(".serve-lock");
    let lock = db_path.with_file_name(name);
    let open_error = |source: std::io::Error| RelayError::OpenDatabase {
        path: db_path.to_path_buf(),
        source: store::StoreError::Other(format!(
            "cannot create the lock file {}: {source}",
            lock.display()
        )),
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(open_error)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(RelayError::DatabaseInUse {
            path: db_path.to_path_buf(),
            lock,
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(open_error(e)),
    }
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay").finish_non_exhaustive()
    }
}

impl Relay {
    /// Opens the log at `config.database` and starts the writer. A SQLite
    /// log fails with [`RelayError::DatabaseInUse`] while another relay
    /// serves it; a PostgreSQL log is shared by any number of relays.
    pub fn open(config: Config) -> Result<Self, RelayError> {
        let lock = match &config.database {
            Database::Sqlite(path) => Some(lock_sqlite_log(path)?),
            Database::Postgres(_) => None,
        };
        let store = config.database.open()?;
        let mut relay = Self::with_store(config, store)?;
        relay.lock = lock;
        Ok(relay)
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
        let limits = config.limits;
        let auto_assign = match config.auto_assign {
            Some(assign::AutoAssign::RoundRobin) => Some(assign::RoundRobin::load(store.as_ref())?),
            None => None,
        };
        let state = AppState(Arc::new(Inner {
            publish_rate: limits::PublishRate::new(&limits),
            stream_slots: Arc::default(),
            unauthenticated_bodies: Arc::new(tokio::sync::Semaphore::new(
                limits.max_unauthenticated_bodies.max(1),
            )),
            metrics_token: config.metrics_token,
            retain: config.retain,
            auto_assign,
            limits,
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
        Ok(Relay {
            state,
            writer,
            lock: None,
        })
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
        let Relay {
            state,
            writer,
            lock,
        } = self;
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, "relay listening");
        }
        let housekeeping = tokio::spawn(retention::housekeeping(state.clone(), state.0.retain));
        let closing = state.clone();
        server::run(
            listener,
            app(state.clone()),
            state.limits(),
            state.metrics(),
            shutdown,
            move || closing.close_streams(),
        )
        .await;
        housekeeping.abort();
        state.close_streams();
        state.journal().stop().await;
        let _ = tokio::task::spawn_blocking(move || writer.join()).await;
        drop(lock);
        tracing::info!("relay stopped");
        Ok(())
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
