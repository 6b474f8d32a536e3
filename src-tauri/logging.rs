//! The app's log and "Copy diagnostics" (`hourglass_core::diagnostics`):
//! the shell names the log folder and gathers the facts.

use crate::error::{Ctx, IpcError};
use hourglass_core::diagnostics::{Facts, LogFile};
use hourglass_core::problem::ErrorCode;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager, State};

pub use hourglass_core::diagnostics::{init, since_start_ms};

/// The log folder: `logs/` in an explicit profile, else the platform's.
fn log_dir(app: &AppHandle) -> tauri::Result<PathBuf> {
    match crate::state::explicit_data_dir() {
        Some(dir) => Ok(dir.join("logs")),
        None => app.path().app_log_dir(),
    }
}

/// Opens the log file in the log folder; call once from `setup`.
pub fn open_file(app: &AppHandle, file: &LogFile) {
    let dir = log_dir(app).map_err(|e| e.to_string());
    file.open_logged(dir, &app.package_info().version.to_string());
}

/// Start-up marks in the log, with the time since the start mark: the page
/// starting to load and loaded (the window itself exists from `setup` on).
pub fn page_load_mark(event: tauri::webview::PageLoadEvent) {
    let since_start_ms = since_start_ms();
    match event {
        tauri::webview::PageLoadEvent::Started => {
            tracing::info!(since_start_ms, "the page starts loading")
        }
        tauri::webview::PageLoadEvent::Finished => {
            tracing::info!(since_start_ms, "the page is loaded")
        }
    }
}

commands! {
    fn diagnostics(app: AppHandle, cx: Ctx<'_>, log: State<'_, LogFile>) -> String =
        Ok(facts(&app, &cx, &log).report());
    /// The shell copies: the webview's clipboard access ends with the
    /// click's user activation while the text is gathered.
    fn copy_diagnostics(app: AppHandle, cx: Ctx<'_>, log: State<'_, LogFile>) -> () = {
        use tauri_plugin_clipboard_manager::ClipboardExt as _;
        let text = facts(&app, &cx, &log).report();
        app.clipboard().write_text(text).map_err(|e| {
            tracing::warn!("cannot copy the diagnostics: {e}");
            IpcError::with_detail(ErrorCode::ClipboardFailed, &e, e.to_string())
        })
    };
}

fn facts(app: &AppHandle, state: &crate::state::AppState, log: &LogFile) -> Facts {
    let info = state.session_info();
    let bundle = tauri::utils::platform::bundle_type();
    Facts {
        version: app.package_info().version.to_string(),
        toolkit: tauri::VERSION.to_owned(),
        installed_from: bundle.map(|b| format!("{b:?}").to_lowercase()),
        mode: format!("{:?}", info.mode),
        connection: info.connection,
        sending: info.sending,
        problem: info.problem.map(|p| p.code),
        relay_url: state.relay_url(),
        profile_dir: state.profile_dir().to_owned(),
        log_dir: log.dir().map(Path::to_owned).or_else(|| log_dir(app).ok()),
        secrets: state.secrets(),
    }
}
