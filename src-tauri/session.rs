//! Starting and stopping what feeds the inbox, and forwarding the sync
//! engine's updates to the window as one typed event.

use crate::demo::Demo;
use crate::error::IpcError;
use crate::notifications::Notifier;
use crate::state::{self, AppState, Mode};
use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::outbox::{self, OutboxConfig, OutboxHandle, RelayPublisher};
use hourglass_core::phone::E164;
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
                    IpcError::new(
                        "demo_failed",
                        format!("No temporary folder for the demo: {e}"),
                    )
                })?;
            (tmp.path().to_owned(), Some(tmp))
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        IpcError::new(
            "demo_failed",
            format!("Cannot create {}: {e}", dir.display()),
        )
    })?;
    let store = state::open_store(&dir)?;
    let engine_store = Store::open_in_dir(&dir).map_err(IpcError::from)?;
    let demo = Demo::start(&dir)
        .await
        .map_err(|e| IpcError::new("demo_failed", e.to_string()))?;
    write_endpoints(&dir, &demo);
    let business_number = E164::parse(&demo.sim.config().display_phone_number)
        .ok()
        .map(|n| n.to_string());
    let sim = demo.sim.config();
    let graph_client = || {
        GraphClient::new(
            GraphConfig::new(sim.phone_number_id.clone(), sim.waba_id.clone())
                .with_base_url(demo.sim.graph_base_url()),
            Secret::new(sim.access_token.clone()),
        )
        .map_err(|e| IpcError::new("demo_failed", e.to_string()))
    };
    let graph = graph_client()?;
    let outbox_store = Store::open_in_dir(&dir).map_err(IpcError::from)?;
    let publisher = RelayPublisher::new(&demo.relay.url(), Secret::new(demo.agent_token.clone()))
        .map_err(|e| IpcError::new("demo_failed", e.to_string()))?;
    let outbox = outbox::spawn(
        Arc::new(Mutex::new(outbox_store)),
        graph_client()?,
        publisher,
        OutboxConfig::default(),
    );
    forward_outbox(app.clone(), &outbox);
    forward_sending_state(app.clone(), &outbox);

    let sync = sync::spawn(
        Arc::new(Mutex::new(engine_store)),
        SyncConfig::new(demo.relay.url(), demo.agent_token.clone()),
    );
    forward_updates(app.clone(), &sync);
    let previous = state.with_session(|s| {
        if let Some(old) = s.outbox.take() {
            tauri::async_runtime::spawn(old.shutdown());
        }
        s.store = Ok(store);
        s.mode = Mode::Demo;
        s.business_number = business_number;
        s.graph = Some(Arc::new(graph));
        s.outbox = Some(outbox);
        s.scratch = scratch;
        (s.sync.replace(sync), s.demo.replace(demo))
    });
    stop(previous).await;
    resync_templates(app);
    let _ = app.emit(SESSION_EVENT, state.session_info());
    Ok(())
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
        let notifier = app.state::<Notifier>();
        for incoming in &change.incoming {
            notifier.push(incoming.clone().into());
        }
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

fn forward_outbox(app: AppHandle, outbox: &OutboxHandle) {
    let mut updates = outbox.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => {
                    let change = app.state::<AppState>().with_store(|s| {
                        Ok(OutboxChange {
                            conversation: s.conversation(update.conversation)?,
                            message: s.message(update.message)?,
                        })
                    });
                    match change {
                        Ok(change) => {
                            let _ = app.emit(OUTBOX_EVENT, change);
                        }
                        Err(err) => tracing::warn!("outbox update: {}", err.message),
                    }
                }
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
