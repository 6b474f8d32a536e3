//! One Hourglass per profile, and what a launch asks for. A second launch
//! hands its arguments to the running app (single-instance plugin) and
//! exits; links arrive as arguments (Linux, Windows) or as an "opened URL"
//! event (macOS). What each asks is decided by `hourglass_core::launch`; the
//! window takes the notice the session keeps (`AppEvent::LaunchNotice`).

use crate::error::Ctx;
use crate::state::AppState;
use hourglass_core::launch::{self, DeepLink, DeepLinkError, LaunchArgs, LaunchNotice};
use tauri::{AppHandle, Manager};

pub use crate::webview::show_window;

/// The single-instance plugin, to register before every other plugin.
pub fn single_instance_plugin() -> tauri::plugin::TauriPlugin<tauri::Wry> {
    let builder = tauri_plugin_single_instance::Builder::new().callback(|app, argv, _cwd| {
        let args = LaunchArgs::parse(argv.iter().skip(1));
        let (demo, links) = (args.demo, args.links.len());
        tracing::info!(demo, links, "a second launch handed its arguments over");
        show_window(app);
        follow(
            app,
            args.demo
                .then_some(Ok(DeepLink::Demo))
                .into_iter()
                .chain(args.links),
        );
    });
    // The identifier in tauri.conf.json (not readable before the plugin is built).
    #[cfg(target_os = "linux")]
    let builder = builder.dbus_id(launch::instance_id(
        "app.hourglass.desktop",
        launch::explicit_data_dir(),
    ));
    builder.build()
}

/// Handles links the operating system delivered as an event (macOS).
#[cfg(target_os = "macos")]
pub fn listen_for_opened_urls(app: &AppHandle) {
    use tauri_plugin_deep_link::DeepLinkExt as _;
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        show_window(&handle);
        follow(
            &handle,
            event.urls().iter().map(|url| DeepLink::parse(url.as_str())),
        );
    });
}

/// Follows `links` in order, in the background (`Sessions::follow`).
pub fn follow(app: &AppHandle, links: impl IntoIterator<Item = Result<DeepLink, DeepLinkError>>) {
    let (app, links): (_, Vec<_>) = (app.clone(), links.into_iter().collect());
    tauri::async_runtime::spawn(async move {
        for link in links {
            app.state::<AppState>().follow(link).await;
        }
    });
}

commands! {
    fn take_launch_notice(cx: Ctx<'_>) -> Option<LaunchNotice> = Ok(cx.launcher().take_notice());
}
