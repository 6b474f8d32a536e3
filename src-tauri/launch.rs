//! One Hourglass per profile, and what a launch asks for. A second launch
//! hands its arguments to the running app (single-instance plugin) and
//! exits; links arrive as arguments (Linux, Windows) or as an "opened URL"
//! event (macOS). What each asks is decided by `hourglass_core::launch`; the
//! window learns of it through the pending notice (`launch-notice`).

use crate::error::Reply;
use crate::state::{self, AppState, emit};
use hourglass_core::launch::{self, DeepLink, DeepLinkError, LaunchArgs, LaunchNotice, Launcher};
use hourglass_core::notification::Notifier;
use hourglass_core::session::AppEvent;
use tauri::{AppHandle, Manager};

pub use crate::webview::show_window;

/// The single-instance plugin, to register before every other plugin.
pub fn single_instance_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, argv, _cwd| {
        let args = LaunchArgs::parse(argv.iter().skip(1));
        tracing::info!(
            demo = args.demo,
            links = args.links.len(),
            "a second launch handed its arguments over"
        );
        show_window(app);
        if args.demo {
            handle_link(app, DeepLink::Demo);
        }
        args.links
            .into_iter()
            .for_each(|link| handle_parsed(app, link));
    });
    // The identifier in tauri.conf.json (not readable before the plugin is built).
    #[cfg(target_os = "linux")]
    let builder = builder.dbus_id(launch::instance_id(
        "app.hourglass.desktop",
        crate::state::explicit_data_dir(),
    ));
    builder.build()
}

/// Does what the first launch's own links ask, once the app is set up.
pub fn handle_own_links(app: &AppHandle) {
    LaunchArgs::parse(std::env::args().skip(1))
        .links
        .into_iter()
        .for_each(|link| handle_parsed(app, link));
}

/// Handles links the operating system delivered as an event (macOS).
#[cfg(target_os = "macos")]
pub fn listen_for_opened_urls(app: &AppHandle) {
    use tauri_plugin_deep_link::DeepLinkExt as _;
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        show_window(&handle);
        event
            .urls()
            .iter()
            .for_each(|url| handle_parsed(&handle, DeepLink::parse(url.as_str())));
    });
}

fn handle_parsed(app: &AppHandle, link: Result<DeepLink, DeepLinkError>) {
    match link {
        Ok(link) => handle_link(app, link),
        Err(err) => notify(app, |l| l.refuse(&err)),
    }
}

/// Follows a valid link.
pub fn handle_link(app: &AppHandle, link: DeepLink) {
    tracing::info!(?link, "following a link");
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match link {
            DeepLink::Demo => {
                if let Err(err) = start_demo(&app).await {
                    tracing::error!("demo mode did not start: {}", err.message);
                    notify(&app, |l| l.problem(err.code, err.message));
                }
            }
            DeepLink::Open { phone } => open_phone(&app, phone),
        }
    });
}

fn open_phone(app: &AppHandle, phone: String) {
    let state = app.state::<AppState>();
    let number = state.graph().map(|g| g.config().phone_number_id.clone());
    let opened = app
        .state::<Launcher>()
        .open_phone(number, phone, |phone, number| {
            state
                .with_store(|s| launch::conversation_with(s, phone, number))
                .map_err(|e| (e.code, e.message))
        });
    if opened {
        // The list learns of a conversation it did not have.
        emit(app, AppEvent::Reload);
    }
    emit(app, AppEvent::LaunchNotice);
}

/// A session started: a number a link asked for before is opened now.
pub fn session_started(app: &AppHandle) {
    if let Some(phone) = app.state::<Launcher>().session_started() {
        open_phone(app, phone);
    }
}

fn notify(app: &AppHandle, f: impl FnOnce(&Launcher)) {
    f(&app.state::<Launcher>());
    emit(app, AppEvent::LaunchNotice);
}

commands! {
    fn take_launch_notice(launcher: tauri::State<'_, Launcher>) -> Option<LaunchNotice> =
        Ok(launcher.take_notice());
}

fn notifier(app: &AppHandle) -> Notifier {
    app.state::<Notifier>().inner().clone()
}

/// Starts demo mode (once, however many ask at the same time).
pub async fn start_demo(app: &AppHandle) -> Reply<()> {
    let folder = state::explicit_data_dir().map(|dir| dir.join("demo"));
    let state = app.state::<AppState>();
    if state.start_demo(folder, notifier(app)).await? {
        session_started(app);
    }
    Ok(())
}

/// On start: runs the saved connection; a problem is shown, not hidden.
pub async fn restore(app: &AppHandle) {
    if app.state::<AppState>().restore(notifier(app)).await {
        session_started(app);
    }
}
