//! A simulator of Meta's WhatsApp Cloud API, for Hourglass's demo mode, its
//! tests and its benchmarks.
//!
//! It promises to behave like Meta where Hourglass can tell the difference,
//! not like a stub: the fake Graph API checks the token, the `to` number and
//! every template rule and answers with Meta's error envelope and codes;
//! accepted messages get a wamid and then live their life through signed
//! status webhooks (`sent`, `delivered`, `read` with pricing, or `failed` with
//! 131047 when free text went to a closed 24 h window, 131026 for unreachable
//! numbers); simulated customers write in with every message kind; webhooks are
//! sometimes batched, sometimes delivered twice, and retried with back-off on
//! any answer but 200. Everything is bounded and stops on shutdown.
//!
//! Start it in-process with [`Sim::start`]; the `hourglass-sim` binary wraps
//! the same library (`serve`) and adds a load generator (`load`, see
//! [`load`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), hourglass_sim::SimError> {
//! use hourglass_sim::{Sim, SimConfig};
//! let sim = Sim::start(SimConfig::default().with_relay("http://127.0.0.1:8080")).await?;
//! // The desktop's Graph client calls `{graph_base_url}/{GRAPH_API_VERSION}/{phone_number_id}/messages`
//! // (`hourglass_whatsapp::GRAPH_API_VERSION`; the simulator answers on `graph::SUPPORTED_VERSIONS`).
//! let base = sim.graph_base_url().to_owned();
//! sim.run_scenario("demo").await?; // ~30 conversations, then a lead every few seconds
//! # let _ = base;
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Endpoints (all on one loopback listener):
//! - `POST /{version}/{phone-number-id}/messages`: text, template, reaction,
//!   image, document, and mark-as-read ([`graph`] lists the checks);
//! - `POST /{version}/{phone-number-id}/media`: multipart uploads, checked
//!   against Meta's formats and sizes (`hourglass_whatsapp::media`);
//! - `GET /{version}/{waba-id}/message_templates?limit=&after=`: the catalog
//!   in [`catalog`], paged with `paging.next`;
//! - `GET /{version}/{media-id}` and the download URL it returns (Bearer
//!   token, valid 5 minutes); media ids expire after
//!   [`SimConfig::media_ttl`] (30 days) from their message's timestamp; `GET /{version}/{phone-number-id}` and
//!   `/{waba-id}` describe the business;
//! - `POST /{version}/{phone-number-id}/thread_control`: takes a conversation
//!   from Meta's business AI agent ([`routing`]);
//! - the control API under `/_sim` ([`control`]), loopback only; its
//!   `/_sim/inbound` also plays calls, standby messages and handovers, and
//!   `/_sim/account` and `/_sim/template-status` change the number's quality
//!   rating, its messaging tier and the templates' statuses ([`account`]).
//!
//! Decisions where Meta's documentation is silent or the simulator must choose:
//! - **Windows** use the Meta timestamp of the customer's last message or
//!   call (back-dated messages count as sent then). A number that never wrote has no
//!   window. Only templates may go to a closed window; reactions and media
//!   need an open one, like text.
//! - **Unreachable numbers** are those ending in `0000`
//!   ([`recipient::UNREACHABLE_SUFFIX`]): sends are accepted, then fail with
//!   131026.
//! - **Not-approved templates**: PAUSED answers 132015, DISABLED 132016, any
//!   other status (REJECTED, PENDING, …) 132001, as Meta has no sendable
//!   translation of it.
//! - **Tokens**: a missing and a wrong token both answer 190 with HTTP 401.
//! - **Invalid `to`** answers 131009 ("Parameter value is not valid"); a
//!   malformed body answers 100.
//! - **Mark-as-read** of a wamid the simulator never delivered answers 100.
//! - **Pricing**: templates are billable by category, except utility inside
//!   an open window; free text is `service` and free; a reply to an ad lead
//!   within 24 h opens the 72 h free entry point (`free_entry_point`,
//!   `referral_conversion`).
//! - **Webhook bytes** escape non-ASCII as `\uXXXX` and `/` as `\/`, as Meta's
//!   do, so a relay that re-serialises before verifying fails here too.
//! - **Randomness** (names, numbers, delays, batching, duplicates) comes from
//!   one RNG seeded by [`SimConfig::seed`]; with batching and duplicates at 0
//!   or 1 and [`SimConfig::fast`] timings, tests are deterministic in what
//!   arrives, though not in the order concurrent POSTs land.

pub mod account;
mod block;
pub mod catalog;
pub mod coexistence;
pub mod config;
pub mod control;
pub mod customer;
mod delivery;
mod envelope;
pub mod graph;
mod ids;
mod lifecycle;
pub mod load;
mod media;
pub mod preference;
pub mod recipient;
pub mod routing;
pub mod scenario;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{get, post, put};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

pub use account::{AccountChange, AccountError, AccountReceipt, TemplateStatusChange};
pub use coexistence::{AddressBookAction, HistoryAuthor, HistoryItem};
pub use config::{DeliveryPolicy, SimConfig, Timing};
pub use customer::{Content, Inbound, Referral, ReferralSpec};
pub use preference::{MarketingPreference, PreferenceChange};
pub use routing::{CallSpec, InboundRequest, Owner, Routed, RoutedInbound};
pub use scenario::{ScenarioError, ScenarioReport};
pub use state::{InboundError, InboundReceipt, SentRequest, StatsSnapshot};

use state::SimState;

/// Why the simulator could not do what was asked. `code()` is stable.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot build the webhook HTTP client: {0}")]
    Client(#[from] reqwest::Error),
    #[error(transparent)]
    Inbound(#[from] InboundError),
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error("{0}")]
    Load(String),
}

impl SimError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Bind { .. } => "sim_bind",
            Self::Client(_) => "sim_client",
            Self::Inbound(InboundError::BadNumber(_)) => "sim_bad_number",
            Self::Inbound(InboundError::NoSender) => "sim_no_sender",
            Self::Inbound(InboundError::ShuttingDown) => "sim_shutting_down",
            Self::Inbound(InboundError::Blocked(_)) => "sim_blocked",
            Self::Scenario(ScenarioError::Unknown(_)) => "sim_unknown_scenario",
            Self::Scenario(_) => "sim_scenario_failed",
            Self::Load(_) => "sim_load",
        }
    }
}

/// Entry point: `Sim::start(config).await` gives a running [`SimHandle`].
#[derive(Debug)]
pub struct Sim;

impl Sim {
    /// Binds `config.listen`, starts the HTTP server and webhook delivery.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|source| SimError::Bind {
                addr: config.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            addr: config.listen,
            source,
        })?;
        // A wildcard listen address is reached through loopback.
        let host = if addr.ip().is_unspecified() {
            SocketAddr::from(([127, 0, 0, 1], addr.port()))
        } else {
            addr
        };
        let base_url = format!("http://{host}");
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let (queue_tx, queue_rx) = mpsc::channel(config.delivery.queue_capacity.max(1));
        let state = SimState::new(config, base_url.clone(), queue_tx, shutdown_rx.clone())?;

        let delivery = tokio::spawn(delivery::run(state.clone(), queue_rx));
        let app = router(state.clone());
        let mut stop = shutdown_rx;
        let server = tokio::spawn(async move {
            let serve = axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|down| *down).await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "simulator server stopped");
            }
        });
        tracing::info!(%base_url, "Cloud API simulator listening");
        Ok(SimHandle {
            state,
            addr: host,
            base_url,
            shutdown: shutdown_tx,
            tasks: vec![server, delivery],
        })
    }
}

fn router(state: Arc<SimState>) -> Router {
    let control = Router::new()
        .route("/inbound", post(control::inbound))
        .route("/sent", get(control::sent).delete(control::clear_sent))
        .route("/scenario/{name}", post(control::run_scenario))
        .route("/faults", post(control::faults))
        .route(
            "/media/faults",
            post(control::media_faults).delete(control::clear_media_faults),
        )
        .route("/media/{id}/expire", post(control::expire_media))
        .route("/relay", put(control::set_relay))
        .route("/customers", get(control::customers))
        .route("/stats", get(control::stats))
        .route("/blocks", get(control::blocks))
        .route("/account", post(control::account))
        .route("/template-status", post(control::template_status))
        .layer(axum::middleware::from_fn(control::loopback_only));
    Router::new()
        .route("/{version}/{id}/messages", post(graph::messages))
        .route(
            "/{version}/{id}/thread_control",
            post(routing::thread_control),
        )
        .route(
            "/{version}/{id}/media",
            // Documents may be 100 MB; the multipart framing needs a little more.
            post(graph::upload).layer(axum::extract::DefaultBodyLimit::max(101 * 1024 * 1024)),
        )
        .route(
            "/{version}/{id}/message_templates",
            get(graph::message_templates),
        )
        .route(
            "/{version}/{id}/block_users",
            post(block::block_users).delete(block::unblock_users),
        )
        .route("/{version}/{id}", get(graph::object))
        .route("/whatsapp_business/attachments/", get(graph::download))
        .nest("/_sim", control)
        .with_state(state)
}

/// A running simulator. Dropping it stops background work; prefer
/// [`SimHandle::shutdown`], which also waits for the server to close.
pub struct SimHandle {
    state: Arc<SimState>,
    addr: SocketAddr,
    base_url: String,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT`: the control API lives under `/_sim`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The Graph API root: clients call
    /// `{this}/{GRAPH_API_VERSION}/{phone_number_id}/messages`.
    /// The same as [`Self::base_url`]; kept apart so callers say which they mean.
    pub fn graph_base_url(&self) -> &str {
        &self.base_url
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn config(&self) -> &SimConfig {
        &self.state.config
    }

    /// Points webhooks at another relay (or nowhere).
    pub fn set_relay_url(&self, url: Option<String>) {
        if let Ok(mut slot) = self.state.relay_url.write() {
            *slot = url;
        }
    }

    /// A customer sends a message now; returns once the webhook is queued.
    pub async fn inbound(&self, message: Inbound) -> Result<InboundReceipt, SimError> {
        Ok(self.state.receive(message, false).await?)
    }

    /// Like [`Self::inbound`], but returns once the relay answered 200 (or
    /// delivery gave up: `delivered == Some(false)`).
    pub async fn inbound_delivered(&self, message: Inbound) -> Result<InboundReceipt, SimError> {
        Ok(self.state.receive(message, true).await?)
    }

    /// Changes the number's rating or tier (see [`account`]); returns once
    /// the relay answered the webhooks.
    pub async fn change_account(
        &self,
        change: AccountChange,
    ) -> Result<AccountReceipt, AccountError> {
        self.state.change_account(change, true).await
    }

    /// Changes a template's status or category (see [`account`]); returns
    /// once the relay answered the webhooks.
    pub async fn change_template_status(
        &self,
        change: TemplateStatusChange,
    ) -> Result<AccountReceipt, AccountError> {
        self.state.change_template_status(change, true).await
    }

    /// The customer stops or resumes marketing messages (the
    /// `user_preferences` webhook); returns once the relay answered.
    pub async fn preference_delivered(
        &self,
        change: PreferenceChange,
    ) -> Result<InboundReceipt, SimError> {
        Ok(self.state.prefer(change, true).await?)
    }

    /// The customers (wa_id) the business blocked.
    pub fn blocked(&self) -> Vec<String> {
        self.state.lock().blocked.iter().cloned().collect()
    }

    /// A customer calls, writes while Meta's AI agent answers them, or their
    /// conversation is handed over; with `wait`, returns once the relay
    /// answered every webhook of it.
    pub async fn routed(
        &self,
        inbound: RoutedInbound,
        wait: bool,
    ) -> Result<InboundReceipt, SimError> {
        Ok(self.state.receive_routed(inbound, wait).await?)
    }

    /// Whether Meta's AI agent answers the customer `wa_id` now.
    pub fn ai_agent_answers(&self, wa_id: &str) -> bool {
        self.state.lock().ai_owned.contains(wa_id)
    }

    /// Every request the fake Graph API accepted, oldest first.
    pub fn sent(&self) -> Vec<SentRequest> {
        self.state.lock().sent.iter().cloned().collect()
    }

    /// Runs a scenario by name (see [`scenario`]).
    pub async fn run_scenario(&self, name: &str) -> Result<ScenarioReport, SimError> {
        Ok(scenario::run(&self.state, name).await?)
    }

    /// Stops background scenarios such as the lead stream.
    pub fn stop_scenarios(&self) {
        scenario::stop(&self.state);
    }

    /// The next `count` sends answer Graph error `code` synchronously.
    pub fn inject_faults(&self, code: i64, count: usize) {
        self.state
            .lock()
            .faults
            .extend(std::iter::repeat_n(code, count.min(1_000)));
    }

    /// The next `count` media downloads answer HTTP 500; 0 clears them.
    pub fn set_media_faults(&self, count: u32) {
        self.state.lock().media_faults = count;
    }

    /// Meta stops serving this media id, as it does after about 30 days.
    /// Returns whether the id was known.
    pub fn expire_media(&self, media_id: &str) -> bool {
        self.state
            .lock()
            .media
            .get_mut(media_id)
            .map(|f| f.expired = true)
            .is_some()
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.state.stats.snapshot()
    }

    /// Stops everything and waits (at most a few seconds) for the server and
    /// delivery to end.
    pub async fn shutdown(mut self) {
        self.stop_scenarios();
        let _ = self.shutdown.send(true);
        for task in self.tasks.drain(..) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        for task in self.state.lock().scenario_tasks.drain(..) {
            task.abort();
        }
    }
}
