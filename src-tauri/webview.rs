//! The window's web engine, set up for what the window is: one document,
//! open all day, that never navigates.

/// WebKitGTK's default cache model is a web browser's: it keeps pages for
/// back and forward, and sizes its memory and resource caches for many
/// sites. The window loads one page and then only talks to the shell, so it
/// asks for the document viewer's model, which keeps the least (no page
/// cache, the smallest in-memory caches). On other platforms the system's
/// webview decides.
pub fn set_up(window: &tauri::WebviewWindow) {
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
