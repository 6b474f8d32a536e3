//! One Hourglass per profile, and what a launch asks for.
//!
//! A second launch on the same profile does not start a second app: the
//! single-instance plugin hands its arguments to the running one (over the
//! session bus on Linux, a named pipe on Windows, a socket on macOS) and
//! exits before it opens anything — no second tray icon, no duplicate
//! notifications, and a second `--demo` never clears the running demo's
//! folder. The running app brings its window forward and does what the
//! arguments ask ([`hourglass_core::launch::LaunchArgs`]).
//!
//! Links (`hourglass://open?phone=…`, `hourglass://demo`) arrive as an
//! argument on Linux and Windows, at the first launch or through a second
//! one, and as an "opened URL" event on macOS (the deep-link plugin). All
//! three paths end in [`handle_link`].
//!
//! The window learns what happened through one pending [`LaunchNotice`]: the
//! shell keeps it and pings the window (`launch-notice`); the window takes
//! it with `take_launch_notice` when pinged and once after it loaded, so a
//! link handled before the window listened is not lost and none is shown
//! twice.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::inbox::ConversationId;
use hourglass_core::launch::{DeepLink, DeepLinkError, LaunchArgs};
use hourglass_core::problem::ErrorCode;
use hourglass_core::session::AppEvent;
use hourglass_core::store::NewContact;
use serde::Serialize;
use std::sync::Mutex;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

/// What the window should show or do after a launch or a link.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct LaunchNotice {
    /// Open this conversation.
    pub open: Option<ConversationId>,
    /// A link could not be followed: `code` is worded by the window,
    /// `detail` is what the link said (a number, an action), possibly empty.
    pub problem: Option<LaunchProblem>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LaunchProblem {
    pub code: ErrorCode,
    pub detail: String,
}

/// What the shell keeps between a link and the window taking its notice.
#[derive(Default)]
pub struct Launcher {
    notice: Mutex<Option<LaunchNotice>>,
    /// A number asked for before any session ran; opened when one starts.
    waiting: Mutex<Option<String>>,
}

/// The D-Bus name the running instance owns (Linux). One per profile: the
/// default profile uses the app's identifier; a profile named with
/// `HOURGLASS_DATA_DIR` adds a digest of its path, so side-by-side profiles
/// (and tests) each have their own instance. (Windows and macOS key the
/// instance on the identifier alone: one instance whatever the profile.)
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn instance_id(identifier: &str) -> String {
    match crate::state::explicit_data_dir() {
        None => identifier.to_owned(),
        Some(dir) => {
            use sha2::Digest as _;
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            let digest = sha2::Sha256::digest(dir.as_os_str().as_encoded_bytes());
            // A bus name element must not start with a digit.
            format!("{identifier}.p{}", &hex::encode(digest)[..16])
        }
    }
}

/// The single-instance plugin, to register before every other plugin.
pub fn single_instance_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    #[allow(unused_mut)]
    let mut builder = tauri_plugin_single_instance::Builder::new().callback(second_launch);
    #[cfg(target_os = "linux")]
    {
        // The identifier is the one in tauri.conf.json; the config is not
        // readable before the plugin is built.
        builder = builder.dbus_id(instance_id(IDENTIFIER));
    }
    builder.build()
}

/// `identifier` in tauri.conf.json.
#[cfg(target_os = "linux")]
const IDENTIFIER: &str = "app.hourglass.desktop";

/// A second launch handed its arguments over. Runs on the plugin's thread
/// while the second process waits: only quick work here.
fn second_launch(app: &AppHandle, argv: Vec<String>, _cwd: String) {
    let args = LaunchArgs::parse(argv.iter().skip(1));
    tracing::info!(
        demo = args.demo,
        links = args.links.len(),
        "a second launch handed its arguments to this one"
    );
    show_window(app);
    handle_args(app, args);
}

/// Does what the first launch's own arguments ask, once the app is set up.
/// (`--demo` itself is read by `setup`, which starts the demo.)
pub fn handle_own_links(app: &AppHandle) {
    let args = LaunchArgs::parse(std::env::args().skip(1));
    for link in args.links {
        handle_parsed(app, link);
    }
}

/// Handles links the operating system delivered as an event (macOS).
#[cfg(target_os = "macos")]
pub fn listen_for_opened_urls(app: &AppHandle) {
    use tauri_plugin_deep_link::DeepLinkExt as _;
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        show_window(&handle);
        for url in event.urls() {
            handle_parsed(&handle, DeepLink::parse(url.as_str()));
        }
    });
}

fn handle_args(app: &AppHandle, args: LaunchArgs) {
    if args.demo {
        handle_link(app, DeepLink::Demo);
    }
    for link in args.links {
        handle_parsed(app, link);
    }
}

fn handle_parsed(app: &AppHandle, link: Result<DeepLink, DeepLinkError>) {
    match link {
        Ok(link) => handle_link(app, link),
        Err(err) => {
            tracing::warn!(code = %err.code(), "refused a link: {err}");
            let detail = match &err {
                DeepLinkError::UnknownAction(a) => a.clone(),
                DeepLinkError::PhoneInvalid(p) => p.clone(),
                _ => String::new(),
            };
            notify(app, None, Some(problem(err.code(), detail)));
        }
    }
}

/// Follows a valid link.
pub fn handle_link(app: &AppHandle, link: DeepLink) {
    tracing::info!(?link, "following a link");
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match link {
            DeepLink::Demo => {
                if let Err(err) = crate::session::start_demo(&app).await {
                    tracing::error!("demo mode did not start: {}", err.message);
                    notify(&app, None, Some(problem(err.code, err.message)));
                }
            }
            DeepLink::Open { phone } => open_phone(&app, phone),
        }
    });
}

/// Opens the conversation with `phone` on the session's number, starting it
/// when there is none. Before any session runs, the number waits for one.
fn open_phone(app: &AppHandle, phone: String) {
    let state = app.state::<AppState>();
    let number = state.graph().map(|g| g.config().phone_number_id.clone());
    let Some(phone_number_id) = number else {
        *app.state::<Launcher>()
            .waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(phone.clone());
        notify(app, None, Some(problem(ErrorCode::LinkNeedsNumber, phone)));
        return;
    };
    let opened = state.with_store(|s| {
        s.write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(phone.clone()),
                user_id: None,
                name: None,
                username: None,
            })?;
            w.conversation_for(contact, &phone_number_id)
        })
    });
    match opened {
        Ok(id) => {
            // The list learns of a conversation it did not have.
            crate::session::emit(app, AppEvent::Reload);
            notify(app, Some(id), None);
        }
        Err(err) => {
            tracing::warn!("cannot open the conversation with {phone}: {}", err.message);
            notify(app, None, Some(problem(err.code, err.message)));
        }
    }
}

/// A session started: a number a link asked for before it is opened now.
pub fn session_started(app: &AppHandle) {
    let waiting = app
        .state::<Launcher>()
        .waiting
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    if let Some(phone) = waiting {
        open_phone(app, phone);
    }
}

fn problem(code: ErrorCode, detail: impl Into<String>) -> LaunchProblem {
    LaunchProblem {
        code,
        detail: detail.into(),
    }
}

fn notify(app: &AppHandle, open: Option<ConversationId>, problem: Option<LaunchProblem>) {
    *app.state::<Launcher>()
        .notice
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(LaunchNotice { open, problem });
    crate::session::emit(app, AppEvent::LaunchNotice);
}

/// Brings the main window forward: shown (it may be in the tray),
/// unminimised and focused.
pub fn show_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// The notice waiting for the window, if any; taking it clears it.
#[tauri::command]
pub async fn take_launch_notice(
    launcher: tauri::State<'_, Launcher>,
) -> Result<Option<LaunchNotice>, IpcError> {
    Ok(launcher
        .notice
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take())
}
