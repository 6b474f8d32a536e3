//! The floor of the app's stack: a hello-world Tauri 2 window (one tiny
//! page, no plugins, no commands, no app code) of the same size as the
//! app's, built with the same Tauri, the same features and the same profile.
//! `app-bench` starts it and measures its memory with the method it uses for
//! the app, so the app's figures can be read as "so much above the floor".
//!
//! With `--document-viewer` it sets WebKitGTK's cache model for a single
//! document, as the app does, to show what that alone changes.
//!
//! ```sh
//! cargo build --release --features tauri/custom-protocol --example floor-window
//! ```

// No console window next to it on Windows release builds, as the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let document_viewer = std::env::args().any(|a| a == "--document-viewer");
    if let Err(err) = tauri::Builder::default()
        .setup(move |app| {
            #[cfg(target_os = "linux")]
            if document_viewer {
                use tauri::Manager as _;
                if let Some(window) = app.get_webview_window("main") {
                    window.with_webview(|webview| {
                        use webkit2gtk::{CacheModel, WebContextExt as _, WebViewExt as _};
                        if let Some(context) = webview.inner().context() {
                            context.set_cache_model(CacheModel::DocumentViewer);
                        }
                    })?;
                }
            }
            #[cfg(not(target_os = "linux"))]
            let _ = (app, document_viewer);
            Ok(())
        })
        .run(tauri::generate_context!(
            "tests/bench/floor/tauri.conf.json"
        ))
    {
        eprintln!("the floor window could not start: {err}");
        std::process::exit(1);
    }
}
