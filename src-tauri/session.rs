//! Forwarding its [`AppEvent`]s to the window
//! under one event name.

use crate::state::AppState;
use hourglass_core::session::AppEvent;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;

/// The one window event: every [`AppEvent`], as `{kind, payload}`.
pub const EVENT: &str = "app-event";

/// Forwards the events to the window until the app quits; the unread
/// total also goes to the title, badge and tray.
pub fn forward_events(app: &AppHandle) {
    let mut events = app.state::<AppState>().profile().events();
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let event = match events.recv().await {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "the window fell behind; reloading");
                    AppEvent::Reload
                }
                Err(RecvError::Closed) => break,
            };
            if let AppEvent::UnreadChanged(n) = &event {
                crate::notifications::show_unread(&app, *n);
            }
            if let Err(err) = app.emit(EVENT, &event) {
                tracing::warn!("could not deliver an event to the window: {err}");
            }
        }
    });
}

/// Stops the session's background work; used when the app quits.
pub async fn shutdown(app: &AppHandle) {
    app.state::<AppState>().stop().await;
}
