//! The main window: its web engine set up for what it is (one document,
//! open all day, that never navigates), and bringing it forward.

/// WebKitGTK's default cache model is a web browser's: it keeps pages for
/// back and forward, and sizes its memory and resource caches for many
/// sites. The window loads one page and then only talks to the shell, so it
/// asks for the document viewer's model, which keeps the least (no page
/// cache, the smallest in-memory caches).
///
/// It also draws the page without accelerated compositing (hardware
/// acceleration policy "never"): an inbox of text rows needs no GPU layers,
/// and compositing costs the web process its own GL context, buffers and
/// compiled shaders, about 70 MiB of its memory on a machine without a GPU
/// (docs/performance.md, "Window memory"). `HOURGLASS_COMPOSITING=1` keeps
/// WebKit's default.
///
/// On other platforms the system's webview decides.
pub fn set_up(app: &tauri::App) {
    use tauri::Manager as _;
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    #[cfg(target_os = "linux")]
    if let Err(err) = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt as _};
        use webkit2gtk::{WebContextExt as _, WebViewExt as _};
        let webview = webview.inner();
        match webview.context() {
            Some(context) => context.set_cache_model(CacheModel::DocumentViewer),
            None => tracing::warn!("the webview has no WebKit context to set up"),
        }
        let compositing = std::env::var(COMPOSITING_ENV).is_ok_and(|v| v == "1");
        match webview.settings() {
            Some(_) if compositing => {
                tracing::info!("{COMPOSITING_ENV}=1: accelerated compositing as WebKit decides")
            }
            Some(settings) => {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never)
            }
            None => tracing::warn!("the webview has no WebKit settings to set up"),
        }
    }) {
        tracing::warn!("cannot set up the web engine: {err}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Set to `1`, the window keeps WebKit's accelerated compositing (Linux).
#[cfg(target_os = "linux")]
const COMPOSITING_ENV: &str = "HOURGLASS_COMPOSITING";

/// Brings the main window forward: shown (it may be in the tray),
/// unminimised and focused.
pub fn show_window(app: &tauri::AppHandle) {
    use tauri::Manager as _;
    if let Some(window) = app.get_webview_window("main") {
        let _ = (window.show(), window.unminimize(), window.set_focus());
    }
}
