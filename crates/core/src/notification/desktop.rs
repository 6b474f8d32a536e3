//! The native notification sink, through notify-rust.
//!
//! On Linux and the BSDs a notification is a `Notify` call on the session
//! bus's `org.freedesktop.Notifications`. It carries:
//! - app name "Hourglass", the summary, and the body (escaped when the server
//!   reads body markup, so a customer's `<b>` stays text);
//! - the action `default` ("Open"), which servers invoke on a click;
//! - the hints `category` = `im.received`, `x-hourglass-kind`, and, for a
//!   single chat, `x-hourglass-conversation-id`, the chat to open.
//!
//! With a click handler set, each shown notification gets a thread that waits
//! for its `ActionInvoked` or `NotificationClosed` signal (notify-rust's
//! `wait_for_action`) and calls the handler on a click. Servers close
//! notifications when they expire, which ends the thread; a burst is one
//! summary, so threads stay few.
//!
//! On macOS (`NSUserNotificationCenter`) and Windows (a toast) the
//! notification shows summary and body. With a click handler set, each shown
//! notification gets a thread that waits for the system's response
//! (notify-rust's `wait_for_response`) and calls the handler when the
//! notification itself (or its "Open" action) was clicked. The app names
//! itself with [`DesktopNotifier::with_app_id`], its bundle identifier:
//! macOS sends the notification as that application, and Windows shows the
//! toast under the Start-menu shortcut the installer registered with it.
//!
//! [`DesktopNotifier::send`] blocks for one D-Bus round trip (a few
//! milliseconds): call it from a blocking-friendly thread
//! (`tokio::task::spawn_blocking`), not from an async task.

use std::fmt;
use std::sync::{Arc, Mutex};

use super::{Notification, NotificationKind, NotificationSink, SendError};
use crate::inbox::ConversationId;

/// Called with the conversation to open when a notification is clicked;
/// `None` for a summary (open the inbox).
pub type ClickHandler = Arc<dyn Fn(Option<ConversationId>) + Send + Sync>;

/// The hint carrying the conversation id, as a decimal string.
pub const CONVERSATION_HINT: &str = "x-hourglass-conversation-id";
/// The hint carrying the [`NotificationKind`] (`lead`, `message`, `summary`).
pub const KIND_HINT: &str = "x-hourglass-kind";
/// The action servers invoke when the notification itself is clicked.
pub const OPEN_ACTION: &str = "default";

/// Shows notifications with the operating system's own notification service.
pub struct DesktopNotifier {
    app_name: String,
    icon: Option<String>,
    /// The bundle identifier (macOS) or AppUserModelID (Windows).
    #[cfg_attr(not(any(target_os = "macos", target_os = "windows")), allow(dead_code))]
    app_id: Option<String>,
    on_click: Option<ClickHandler>,
    /// Whether the server reads body markup; asked once, on first success.
    #[cfg_attr(not(all(unix, not(target_os = "macos"))), allow(dead_code))]
    body_markup: Mutex<Option<bool>>,
}

impl fmt::Debug for DesktopNotifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DesktopNotifier")
            .field("app_name", &self.app_name)
            .field("icon", &self.icon)
            .field("on_click", &self.on_click.is_some())
            .finish()
    }
}

impl Default for DesktopNotifier {
    fn default() -> Self {
        Self::new()
    }
}

impl DesktopNotifier {
    pub fn new() -> Self {
        DesktopNotifier {
            app_name: "Hourglass".to_owned(),
            icon: None,
            app_id: None,
            on_click: None,
            body_markup: Mutex::new(None),
        }
    }

    /// An icon name from the theme or an absolute path to an image.
    pub fn with_icon(mut self, icon: impl Into<String>) -> Self {
        self.icon = Some(icon.into());
        self
    }

    /// The identifier the system knows the app by: the bundle identifier on
    /// macOS, the AppUserModelID on Windows. Ignored elsewhere. Set it only
    /// for an installed app (a development build is not registered, and
    /// Windows shows no toast for an unknown id).
    pub fn with_app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Calls `handler` (on a notification's own thread) when a notification
    /// is clicked.
    pub fn on_click(
        mut self,
        handler: impl Fn(Option<ConversationId>) + Send + Sync + 'static,
    ) -> Self {
        self.on_click = Some(Arc::new(handler));
        self
    }

    /// Shows one notification. Returns the server's id of it (0 where the
    /// platform has none).
    pub fn show(&self, n: &Notification) -> Result<u32, SendError> {
        self.show_platform(n)
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    fn show_platform(&self, n: &Notification) -> Result<u32, SendError> {
        use notify_rust::Hint;

        let body = if self.body_markup()? {
            escape_markup(&n.body)
        } else {
            n.body.clone()
        };
        let mut native = notify_rust::Notification::new();
        native
            .appname(&self.app_name)
            .summary(&n.summary)
            .body(&body)
            .action(OPEN_ACTION, "Open")
            .hint(Hint::Category("im.received".to_owned()))
            .hint(Hint::Custom(
                KIND_HINT.to_owned(),
                kind_str(n.kind).to_owned(),
            ));
        if let Some(id) = n.conversation_id {
            native.hint(Hint::Custom(CONVERSATION_HINT.to_owned(), id.to_string()));
        }
        if let Some(icon) = &self.icon {
            native.icon(icon);
        }
        let handle = native.show().map_err(platform)?;
        let id = handle.id();
        if let Some(on_click) = self.on_click.clone() {
            let conversation = n.conversation_id;
            let spawned = std::thread::Builder::new()
                .name(format!("notification-{id}"))
                .spawn(move || {
                    handle.wait_for_action(|action| {
                        if action == OPEN_ACTION || action == "open" {
                            on_click(conversation);
                        }
                    })
                });
            if let Err(e) = spawned {
                tracing::warn!("cannot wait for clicks on notification {id}: {e}");
            }
        }
        Ok(id)
    }

    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn show_platform(&self, n: &Notification) -> Result<u32, SendError> {
        let mut native = notify_rust::Notification::new();
        native
            .appname(&self.app_name)
            .summary(&n.summary)
            .body(&n.body);
        if let Some(icon) = &self.icon {
            native.icon(icon);
        }
        #[cfg(target_os = "windows")]
        if let Some(app_id) = &self.app_id {
            native.app_id(app_id);
        }
        #[cfg(target_os = "macos")]
        if let Some(app_id) = &self.app_id {
            // Once per process; later calls report "already set".
            static SET: std::sync::Once = std::sync::Once::new();
            SET.call_once(|| {
                if let Err(e) = notify_rust::set_application(app_id) {
                    tracing::warn!("notifications are not sent as {app_id}: {e}");
                }
            });
        }
        // On macOS the notification goes out when the handle is waited on
        // or dropped; on Windows `show` sends it.
        let handle = native.show().map_err(platform)?;
        let Some(on_click) = self.on_click.clone() else {
            drop(handle);
            return Ok(0);
        };
        let conversation = n.conversation_id;
        let spawned = std::thread::Builder::new()
            .name("notification".to_owned())
            .spawn(move || {
                let waited = handle.wait_for_response(
                    move |response: &notify_rust::NotificationResponse| {
                        if is_click(response) {
                            on_click(conversation);
                        }
                    },
                );
                if let Err(e) = waited {
                    tracing::debug!("no answer from a notification: {e}");
                }
            });
        if let Err(e) = spawned {
            tracing::warn!("cannot wait for clicks on a notification: {e}");
        }
        Ok(0)
    }

    /// Whether the server interprets body markup (asked once per notifier).
    #[cfg(all(unix, not(target_os = "macos")))]
    fn body_markup(&self) -> Result<bool, SendError> {
        let mut known = self
            .body_markup
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(markup) = *known {
            return Ok(markup);
        }
        let caps = notify_rust::get_capabilities().map_err(platform)?;
        let markup = caps.iter().any(|c| c == "body-markup");
        *known = Some(markup);
        Ok(markup)
    }
}

impl NotificationSink for DesktopNotifier {
    fn send(&self, notification: &Notification) -> Result<(), SendError> {
        self.show(notification).map(|_| ())
    }
}

fn platform(e: impl fmt::Display) -> SendError {
    SendError::Platform {
        reason: e.to_string(),
    }
}

/// Whether the system's answer is a click on the notification or its Open
/// action (not a dismissal or an expiry).
#[cfg_attr(all(unix, not(target_os = "macos")), allow(dead_code))]
fn is_click(response: &notify_rust::NotificationResponse) -> bool {
    use notify_rust::NotificationResponse as R;
    match response {
        R::Default => true,
        R::Action(action) => action == OPEN_ACTION || action == "open",
        _ => false,
    }
}

fn kind_str(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::Lead => "lead",
        NotificationKind::Message => "message",
        NotificationKind::Summary => "summary",
        NotificationKind::Assigned => "assigned",
        NotificationKind::WindowReminder => "window_reminder",
        NotificationKind::MissedCall => "missed_call",
    }
}

/// Escapes the characters the notification body markup reads.
#[cfg(all(unix, not(target_os = "macos")))]
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod click_tests {
    use super::*;
    use notify_rust::NotificationResponse as R;

    #[test]
    fn a_click_or_open_opens_and_nothing_else_does() {
        assert!(is_click(&R::Default));
        assert!(is_click(&R::Action(OPEN_ACTION.to_owned())));
        assert!(is_click(&R::Action("open".to_owned())));
        assert!(!is_click(&R::Action("dismiss".to_owned())));
        assert!(!is_click(&R::Closed(notify_rust::CloseReason::Dismissed)));
        assert!(!is_click(&R::Closed(notify_rust::CloseReason::Expired)));
    }
}
