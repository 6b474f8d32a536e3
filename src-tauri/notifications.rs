//! Native notifications for new leads and messages, and the unread count on
//! the window title, tray and dock. The rules (what deserves a notification,
//! folding bursts) are the core's `NotificationPolicy`; this module feeds it
//! the sync engine's new messages, shows what it decides, and brings the
//! window forward with the chat open when a notification is clicked.

use hourglass_core::inbox::ConversationId;
pub use hourglass_core::notification::Notifier;
use hourglass_core::notification::{DesktopNotifier, NotificationPolicy, NotificationSettings};
use std::sync::Arc;
use tauri::{AppHandle, Emitter, Manager};

/// The window event asking it to open a conversation (a notification was clicked).
pub const OPEN_EVENT: &str = "open-conversation";

/// Where the agent's notification settings are kept in the profile's store.
pub const SETTINGS_KEY: &str = "notification_settings";

/// Starts the notification task: the core's policy, shown natively, a click
/// bringing the window forward with the chat open.
pub fn spawn(app: AppHandle, settings: NotificationSettings) -> Notifier {
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
    let (notifier, task) = Notifier::new(sink, NotificationPolicy::new(settings));
    tauri::async_runtime::spawn(task);
    notifier
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
