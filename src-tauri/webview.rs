//! The main window: its web engine set up for what it is (one document,
//! open all day, that never navigates), and bringing it forward.

/// WebKitGTK's default cache model is a web browser's: it keeps pages for
/// back and forward, and sizes its memory and resource caches for many
/// sites. The window loads one page and then only talks to the shell, so it
/// asks for the document viewer's model, which keeps the least (no page
/// cache, the smallest in-memory caches). On other platforms the system's
/// webview decides.
///
/// Accelerated compositing stays as WebKit decides: drawing without it
/// saved about 72 MiB of the web process on a machine without a GPU, but a
/// long chat then stopped reading newer pages while scrolled down (e2e
/// `long_chat::`), so it is not used (docs/performance.md, "Window memory").
pub fn set_up(app: &tauri::App) {
    use tauri::Manager as _;
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    #[cfg(target_os = "linux")]
    if let Err(err) = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, WebContextExt as _, WebViewExt as _};
        match webview.inner().context() {
            Some(context) => context.set_cache_model(CacheModel::DocumentViewer),
            None => tracing::warn!("the webview has no WebKit context to set up"),
        }
    }) {
        tracing::warn!("cannot set up the web engine's cache: {err}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}

/// Brings the main window forward: shown (it may be in the tray),
/// unminimised and focused.
pub fn show_window(app: &tauri::AppHandle) {
    use tauri::Manager as _;
    if let Some(window) = app.get_webview_window("main") {
        let _ = (window.show(), window.unminimize(), window.set_focus());
    }
}
