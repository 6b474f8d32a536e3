//! What the shell keeps between commands: the profile and the session it
//! runs, `enum Current { Unconfigured, Demo, Connected }` (both in
//! `hourglass_core::session`), and the one window event their
//! [`AppEvent`]s go out on.

pub use hourglass_core::launch::explicit_data_dir;
use hourglass_core::session::{AppEvent, Profile, keychain_for};
pub use hourglass_core::session::{SessionInfo, Sessions as AppState};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;

/// The one window event: every [`AppEvent`], as `{kind, payload}`.
pub const EVENT: &str = "app-event";

/// The profile in `dir` (its tokens in the keychain entries named after
/// it), and the notifications its sessions feed, in the saved settings.
pub fn open(app: &AppHandle, dir: &Path) -> AppState {
    let profile = Profile::open(dir, keychain_for(explicit_data_dir().as_deref()));
    let notifier = crate::notifications::spawn(app.clone(), profile.notification_settings());
    notifier.set_language(profile.notification_language(sys_locale::get_locale()));
    AppState::new(profile, notifier)
}

/// The profile directory: `HOURGLASS_DATA_DIR`, else the platform's app-data directory.
pub fn data_dir(app: &AppHandle) -> tauri::Result<PathBuf> {
    match explicit_data_dir() {
        Some(dir) => Ok(dir),
        None => app.path().app_data_dir(),
    }
}

/// Sends `event` to the window, in order with the session's own.
pub fn emit(app: &AppHandle, event: AppEvent) {
    app.state::<AppState>().profile().emit(event);
}

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
