//! Starting and stopping what feeds the inbox, and forwarding the sync
//! engine's updates to the window as one typed event.

use crate::demo::Demo;
use crate::error::IpcError;
use crate::notifications::Notifier;
use crate::state::{self, AppState, Mode};
use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::media::{self, MediaCache, MediaFetcher};
use hourglass_core::notification;
use hourglass_core::outbox::{self, OutboxConfig, OutboxHandle};
use hourglass_core::phone::E164;
use hourglass_core::problem::ErrorCode;
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, SyncConfig, SyncUpdate};
use hourglass_core::templates;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;

/// The window event carrying a [`SyncUpdate`].
pub const SYNC_EVENT: &str = "sync-update";
/// The window event telling it to reload everything (it missed updates).
pub const RELOAD_EVENT: &str = "inbox-reload";
/// The window event telling it the session changed (mode, number).
pub const SESSION_EVENT: &str = "session-changed";

/// Starts demo mode: a relay and a simulator on loopback, a store of its own,
/// and the sync engine between them.
pub async fn start_demo(app: &AppHandle) -> Result<(), IpcError> {
    let state = app.state::<AppState>();
    let _one_at_a_time = state.demo_starting.lock().await;
    if state.with_session(|s| s.mode == Mode::Demo) {
        return Ok(());
    }
    // Tests and side-by-side profiles name their folder; otherwise the demo
    // lives in a temporary folder removed when the app quits.
    let (dir, scratch) = match state::explicit_data_dir() {
        Some(dir) => (dir.join("demo"), None),
        None => {
            let tmp = tempfile::Builder::new()
                .prefix("hourglass-demo-")
                .tempdir()
                .map_err(|e| {
                    IpcError::with_detail(
                        ErrorCode::DemoFailed,
                        &e,
                        format!("No temporary folder for the demo: {e}"),
                    )
                })?;
            (tmp.path().to_owned(), Some(tmp))
        }
    };
    // Every demo starts fresh: a new simulated WhatsApp with new secrets
    // cannot continue the last one's relay log. The agent's preferences are
    // in the profile, not here.
    if scratch.is_none() && dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| {
            IpcError::with_detail(
                ErrorCode::DemoFailed,
                &e,
                format!("Cannot clear the last demo in {}: {e}", dir.display()),
            )
        })?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| {
        IpcError::with_detail(
            ErrorCode::DemoFailed,
            &e,
            format!("Cannot create {}: {e}", dir.display()),
        )
    })?;
    let demo = Demo::start(&dir)
        .await
        .map_err(|e| IpcError::with_detail(ErrorCode::DemoFailed, &e, e.to_string()))?;
    write_endpoints(&dir, &demo);
    let sim = demo.sim.config();
    let wiring = Wiring {
        mode: Mode::Demo,
        relay_url: demo.relay.url(),
        agent_token: demo.agent_token.clone(),
        graph: GraphConfig::new(sim.phone_number_id.clone(), sim.waba_id.clone())
            .with_base_url(demo.sim.graph_base_url()),
        access_token: Secret::new(sim.access_token.clone()),
        business_number: E164::parse(&sim.display_phone_number)
            .ok()
            .map(|n| n.to_string()),
        dir,
        demo: Some(demo),
        scratch,
    };
    run(app, wiring).await
}

/// Connects to the team's relay and to Meta with a saved connection.
pub async fn start_connected(
    app: &AppHandle,
    connection: &crate::connect::SavedConnection,
    credentials: hourglass_core::connection::Credentials,
) -> Result<(), IpcError> {
    let state = app.state::<AppState>();
    let settings = connection.settings.normalised();
    let wiring = Wiring {
        mode: Mode::Connected,
        relay_url: settings.relay_url.clone(),
        agent_token: credentials.relay_token,
        graph: GraphConfig::new(settings.phone_number_id.clone(), settings.waba_id.clone())
            .with_base_url(crate::connect::graph_base_url()),
        access_token: credentials.access_token,
        business_number: connection
            .display_phone_number
            .as_deref()
            .and_then(|n| E164::parse(n).ok())
            .map(|n| n.to_string()),
        dir: state.profile_dir().to_owned(),
        demo: None,
        scratch: None,
    };
    run(app, wiring).await
}

/// Everything a session is made of; demo and connected differ only here.
struct Wiring {
    mode: Mode,
    relay_url: String,
    agent_token: Secret,
    graph: GraphConfig,
    access_token: Secret,
    business_number: Option<String>,
    /// Where the session's store lives.
    dir: std::path::PathBuf,
    demo: Option<Demo>,
    scratch: Option<tempfile::TempDir>,
}

/// Opens the session's store, starts sync and outbox, and makes it current,
/// stopping whatever ran before.
async fn run(app: &AppHandle, w: Wiring) -> Result<(), IpcError> {
    let state = app.state::<AppState>();
    let code = match w.mode {
        Mode::Demo => ErrorCode::DemoFailed,
        _ => ErrorCode::ConnectFailed,
    };
    let store = if w.dir == state.profile_dir() {
        state.profile_store()?
    } else {
        let store = state::open_store(&w.dir)?;
        crate::preferences::copy_to_session(&state, &store);
        store
    };
    let engine_store = Store::open_in_dir(&w.dir).map_err(IpcError::from)?;
    let outbox_store = Store::open_in_dir(&w.dir).map_err(IpcError::from)?;
    let graph_client = || {
        GraphClient::new(w.graph.clone(), w.access_token.clone())
            .map_err(|e| IpcError::with_detail(code, &e, e.to_string()))
    };
    let graph = Arc::new(graph_client()?);
    let media_limit = store
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .setting::<u64>(media::CACHE_LIMIT_SETTING)
        .ok()
        .flatten()
        .unwrap_or(media::DEFAULT_CACHE_LIMIT);
    let cache = MediaCache::open(&w.dir.join("media"), media_limit)
        .map_err(|e| IpcError::with_detail(code, &e, e.to_string()))?;
    let media_fetcher = Arc::new(MediaFetcher::new(Arc::clone(&graph), Arc::new(cache)));
    let publisher = RelayClient::new(&w.relay_url, w.agent_token.clone())
        .map_err(|e| IpcError::with_detail(code, &e, e.to_string()))?;
    let team_publisher = Arc::new(publisher.clone());
    let sync = sync::spawn_with(
        Arc::new(Mutex::new(engine_store)),
        SyncConfig::new(w.relay_url.clone(), w.agent_token.clone()),
        publisher.clone(),
    );
    forward_updates(app.clone(), &sync);
    let watch = tauri::async_runtime::spawn(notification::watch_my_chats(
        publisher.clone(),
        store.clone(),
        app.state::<Notifier>().inner().clone(),
        notification::REMINDER_PERIOD,
    ));
    // A send whose answer was lost is only given up on while the sync is
    // caught up: the outbox follows its state.
    let outbox = outbox::spawn(
        Arc::new(Mutex::new(outbox_store)),
        graph_client()?,
        publisher,
        OutboxConfig {
            sync_state: Some(sync.watch_state()),
            ..OutboxConfig::default()
        },
    );
    forward_outbox(app.clone(), &outbox);
    crate::attachments::forward_uploads(app.clone(), &outbox);
    forward_sending_state(app.clone(), &outbox);
    let (mode, business_number, demo, scratch) = (w.mode, w.business_number, w.demo, w.scratch);
    let secrets = vec![w.access_token.clone(), w.agent_token.clone()];
    let previous = state.with_session(|s| {
        if let Some(old) = s.outbox.take() {
            tauri::async_runtime::spawn(old.shutdown());
        }
        s.store = Ok(store);
        s.mode = mode;
        s.business_number = business_number;
        s.graph = Some(graph);
        s.media = Some(media_fetcher);
        s.outbox = Some(outbox);
        s.scratch = scratch;
        s.problem = None;
        s.publisher = Some(team_publisher);
        s.relay_url = Some(w.relay_url.clone());
        if let Some(old) = s.watch.replace(watch) {
            old.abort();
        }
        s.secrets = secrets;
        (s.sync.replace(sync), std::mem::replace(&mut s.demo, demo))
    });
    stop(previous).await;
    resync_templates(app);
    crate::health::refresh_in_background(app);
    let _ = app.emit(SESSION_EVENT, state.session_info());
    crate::launch::session_started(app);
    Ok(())
}

/// Stops the session and goes back to the profile's own store with nothing
/// feeding it (after "Disconnect").
pub async fn stop_session(app: &AppHandle, problem: Option<IpcError>) {
    let state = app.state::<AppState>();
    let store = state.profile_store();
    let (running, outbox) = state.with_session(|s| {
        s.store = store;
        s.mode = Mode::Unconfigured;
        s.business_number = None;
        s.graph = None;
        s.media = None;
        s.problem = problem;
        s.publisher = None;
        s.relay_url = None;
        if let Some(watch) = s.watch.take() {
            watch.abort();
        }
        s.secrets.clear();
        ((s.sync.take(), s.demo.take()), s.outbox.take())
    });
    if let Some(outbox) = outbox {
        outbox.shutdown().await;
    }
    stop(running).await;
    let _ = app.emit(SESSION_EVENT, state.session_info());
}

/// Stops the session's background work; used when the app quits.
pub async fn shutdown(app: &AppHandle) {
    let state = app.state::<AppState>();
    let (running, outbox) =
        state.with_session(|s| ((s.sync.take(), s.demo.take()), s.outbox.take()));
    if let Some(outbox) = outbox {
        outbox.shutdown().await;
    }
    stop(running).await;
}

async fn stop((sync, demo): (Option<sync::SyncHandle>, Option<Demo>)) {
    if let Some(sync) = sync {
        sync.shutdown().await;
    }
    if let Some(demo) = demo {
        demo.shutdown().await;
    }
}

fn forward_updates(app: AppHandle, sync: &sync::SyncHandle) {
    let mut updates = sync.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => emit_update(&app, &update),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the window fell behind the sync engine; reloading");
                    let _ = app.emit(RELOAD_EVENT, ());
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

fn emit_update(app: &AppHandle, update: &SyncUpdate) {
    if let Err(err) = app.emit(SYNC_EVENT, update) {
        tracing::warn!("could not deliver a sync update to the window: {err}");
    }
    if let SyncUpdate::Inbox(change) = update {
        if change.templates_changed {
            resync_templates(app);
        }
        // Meta's webhook says the number was flagged or its limit moved;
        // the Graph API has the rating itself.
        if change.health_changed && !change.replay {
            crate::health::refresh_in_background(app);
        }
        app.state::<Notifier>().push_change(change);
        if !change.conversations.is_empty() {
            refresh_unread(app);
        }
    }
}

/// Recounts unread messages and shows the total on title, badge and tray.
pub fn refresh_unread(app: &AppHandle) {
    let unread = app.state::<AppState>().with_store(|s| {
        s.with_connection(|c| {
            Ok(c.query_row(
                "SELECT COALESCE(SUM(unread_count), 0) FROM conversations",
                [],
                |r| r.get::<_, i64>(0),
            )?)
        })
    });
    match unread {
        Ok(n) => crate::notifications::show_unread(app, n),
        Err(err) => tracing::warn!("unread count: {}", err.message),
    }
}

/// Where the demo's relay and simulator listen, written to `endpoints.json`
/// in the demo folder so a developer (or a test) can drive the simulator's
/// control API while the app runs. No secret goes in it.
fn write_endpoints(dir: &std::path::Path, demo: &Demo) {
    let endpoints = serde_json::json!({
        "relay": demo.relay.url(),
        "simulator": demo.sim.base_url(),
    });
    if let Err(err) = std::fs::write(dir.join("endpoints.json"), endpoints.to_string()) {
        tracing::warn!("could not write the demo endpoints file: {err}");
    }
}

/// The window event carrying a message the outbox changed, as it now is.
pub const OUTBOX_EVENT: &str = "outbox-update";

/// What the window gets when the outbox moves a message along.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OutboxChange {
    pub conversation: hourglass_core::inbox::ConversationSummary,
    pub message: hourglass_core::inbox::Message,
}

/// Tells the window a sent message changed (the outbox worker moved it, or
/// the agent decided on it).
pub fn emit_outbox_change(app: &AppHandle, message: hourglass_core::inbox::MessageId) {
    let change = app.state::<AppState>().with_store(|s| {
        let message = s.message(message)?;
        Ok(OutboxChange {
            conversation: s.conversation(message.conversation_id)?,
            message,
        })
    });
    match change {
        Ok(change) => {
            let _ = app.emit(OUTBOX_EVENT, change);
        }
        Err(err) => tracing::warn!("outbox update: {}", err.message),
    }
}

fn forward_outbox(app: AppHandle, outbox: &OutboxHandle) {
    let mut updates = outbox.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => emit_outbox_change(&app, update.message),
                Err(RecvError::Lagged(_)) => {
                    let _ = app.emit(RELOAD_EVENT, ());
                }
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Reads the account's templates again (on start, and when Meta says a
/// template's status changed), in the background.
pub fn resync_templates(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Some((store, graph)) = state.with_session(|s| {
        let store = s.store.as_ref().ok()?.clone();
        Some((store, s.graph.clone()?))
    }) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        let now = chrono::Utc::now().timestamp_millis();
        match templates::sync(&store, &graph, now).await {
            Ok(synced) => tracing::info!("templates synced: {synced:?}"),
            Err(err) => tracing::warn!("template sync failed: {err}"),
        }
    });
}

/// The window event carrying the outbox worker's state when it changes
/// (e.g. sending stopped because WhatsApp refused the access token).
pub const SENDING_EVENT: &str = "sending-state";

fn forward_sending_state(app: AppHandle, outbox: &OutboxHandle) {
    let mut state = outbox.watch_state();
    tauri::async_runtime::spawn(async move {
        while state.changed().await.is_ok() {
            let now = state.borrow_and_update().clone();
            if let outbox::WorkerState::TokenInvalid { message } = &now {
                tracing::warn!("sending stopped: {message}");
            }
            let _ = app.emit(SENDING_EVENT, now);
        }
    });
}
