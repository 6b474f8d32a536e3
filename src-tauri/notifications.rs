//! Native notifications (the rules are the core's `NotificationPolicy`), a
//! click bringing the window forward with the chat open, and the unread
//! count on the window title, tray and dock.

pub use hourglass_core::notification::Notifier;
use hourglass_core::notification::{DesktopNotifier, NotificationPolicy, NotificationSettings};
use hourglass_core::session::{AppEvent, Sessions};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tauri::{AppHandle, Manager};

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
        crate::webview::show_window(&clicked);
        if let Some(id) = conversation {
            let event = AppEvent::OpenConversation(id);
            clicked.state::<Sessions>().profile().emit(event);
        }
    }));
    let (notifier, task) = Notifier::new(sink, NotificationPolicy::new(settings));
    tauri::async_runtime::spawn(task);
    notifier
}

/// The unread total shown last, for a tray created after it was shown.
static UNREAD: AtomicU32 = AtomicU32::new(0);

/// The unread total shown last.
pub fn last_unread() -> u32 {
    UNREAD.load(Ordering::Relaxed)
}

/// Shows the unread total on the window title, the dock/taskbar badge and the tray.
pub fn show_unread(app: &AppHandle, unread: u32) {
    UNREAD.store(unread, Ordering::Relaxed);
    let title = if unread > 0 {
        format!("Hourglass ({unread} unread)")
    } else {
        "Hourglass".to_owned()
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&title);
        let _ = window.set_badge_count((unread > 0).then_some(i64::from(unread)));
    }
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_tooltip(Some(&title));
        #[cfg(target_os = "linux")]
        let _ = tray.set_title(Some(
            Some(unread)
                .filter(|&n| n > 0)
                .map_or_else(String::new, |n| n.to_string()),
        ));
    }
}

pub const TRAY_ID: &str = "hourglass";
