//! Native notifications for new leads and messages, and the unread count on
//! the window title, tray and dock. The rules (what deserves a notification,
//! folding bursts) are the core's `NotificationPolicy`; this module feeds it
//! the sync engine's new messages, shows what it decides, and brings the
//! window forward with the chat open when a notification is clicked.

use hourglass_core::inbox::ConversationId;
use hourglass_core::notification::{
    DesktopNotifier, Incoming, Notification, NotificationPolicy, NotificationSettings,
};
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::mpsc;

/// The window event asking it to open a conversation (a notification was clicked).
pub const OPEN_EVENT: &str = "open-conversation";

/// Where the agent's notification settings are kept in the profile's store.
pub const SETTINGS_KEY: &str = "notification_settings";

enum Input {
    Incoming(Box<Incoming>),
    Settings(NotificationSettings),
}

/// Hands new messages (and changed settings) to the notification task.
#[derive(Clone)]
pub struct Notifier {
    tx: mpsc::UnboundedSender<Input>,
}

impl Notifier {
    pub fn spawn(app: AppHandle, settings: NotificationSettings) -> Notifier {
        let (tx, rx) = mpsc::unbounded_channel();
        let clicked = app.clone();
        let mut notifier = DesktopNotifier::new();
        // Installed, the system knows the app by its identifier (Windows
        // registers it with the Start-menu shortcut); macOS sends as the
        // bundle in any case.
        if cfg!(target_os = "macos") || tauri::utils::platform::bundle_type().is_some() {
            notifier = notifier.with_app_id(app.config().identifier.clone());
        }
        let sink = Arc::new(notifier.on_click(move |conversation| {
            open_conversation(&clicked, conversation);
        }));
        tauri::async_runtime::spawn(run(rx, sink, settings));
        Notifier { tx }
    }

    pub fn push(&self, incoming: Incoming) {
        // The task only stops when the app does.
        let _ = self.tx.send(Input::Incoming(Box::new(incoming)));
    }

    pub fn set_settings(&self, settings: NotificationSettings) {
        let _ = self.tx.send(Input::Settings(settings));
    }
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<Input>,
    sink: Arc<DesktopNotifier>,
    settings: NotificationSettings,
) {
    let mut policy = NotificationPolicy::new(settings);
    loop {
        let wait = policy
            .next_flush_at()
            .map(|at| Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0)));
        let out = tokio::select! {
            next = rx.recv() => match next {
                Some(Input::Incoming(incoming)) => policy.push(*incoming, now_ms()),
                Some(Input::Settings(settings)) => {
                    policy.set_settings(settings);
                    Vec::new()
                }
                None => break,
            },
            () = tokio::time::sleep(wait.unwrap_or_default()), if wait.is_some() => {
                policy.flush(now_ms())
            }
        };
        show(&sink, out);
    }
}

fn show(sink: &Arc<DesktopNotifier>, notifications: Vec<Notification>) {
    for n in notifications {
        let sink = sink.clone();
        // Showing waits on a D-Bus round trip: keep it off the async threads.
        tauri::async_runtime::spawn_blocking(move || {
            if let Err(err) = sink.show(&n) {
                tracing::warn!(code = err.code(), "{err}");
            }
        });
    }
}

fn open_conversation(app: &AppHandle, conversation: Option<ConversationId>) {
    crate::launch::show_window(app);
    if let Some(id) = conversation {
        let _ = app.emit(OPEN_EVENT, id);
    }
}

/// Shows the unread total on the window title, the dock/taskbar badge and the tray.
pub fn show_unread(app: &AppHandle, unread: i64) {
    let title = if unread > 0 {
        format!("Hourglass ({unread} unread)")
    } else {
        "Hourglass".to_owned()
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&title);
        let _ = window.set_badge_count((unread > 0).then_some(unread));
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_tooltip(Some(&title));
        #[cfg(target_os = "linux")]
        let _ = tray.set_title(Some(if unread > 0 {
            unread.to_string()
        } else {
            String::new()
        }));
    }
}

pub const TRAY_ID: &str = "hourglass";

/// Saves the agent's notification settings in the profile and applies them
/// at once: the notifier, the tray's Do not disturb, and the window.
pub fn apply_settings(
    app: &AppHandle,
    settings: NotificationSettings,
) -> Result<NotificationSettings, crate::error::IpcError> {
    let state = app.state::<crate::state::AppState>();
    crate::preferences::save(&state, SETTINGS_KEY, Some(&settings))?;
    app.state::<Notifier>().set_settings(settings);
    app.state::<crate::desktop::Desktop>()
        .show_dnd(settings.do_not_disturb);
    crate::desktop::emit_notification_settings(app, settings);
    Ok(settings)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
