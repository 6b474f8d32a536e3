//! What the shell keeps between commands: the profile and the session it
//! runs, `enum Current { Unconfigured, Demo, Connected }` (both in
//! `hourglass_core::session`).

use hourglass_core::session::{AppEvent, Profile, keychain_for};
pub use hourglass_core::session::{SessionInfo, Sessions as AppState};
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager};

/// The environment variable that overrides the profile directory.
pub const DATA_DIR_ENV: &str = "HOURGLASS_DATA_DIR";
/// Set to `1` to start in demo mode (as does the `--demo` argument).
pub const DEMO_ENV: &str = "HOURGLASS_DEMO";

/// The profile in `dir`, its tokens in the keychain entries named after it.
pub fn open(dir: &Path) -> AppState {
    let keychain = keychain_for(explicit_data_dir().as_deref());
    AppState::new(Profile::open(dir, keychain))
}

/// The profile directory: `HOURGLASS_DATA_DIR`, else the platform's app-data directory.
pub fn data_dir(app: &tauri::AppHandle) -> tauri::Result<PathBuf> {
    match explicit_data_dir() {
        Some(dir) => Ok(dir),
        None => app.path().app_data_dir(),
    }
}

pub fn explicit_data_dir() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
}

/// Demo mode was asked for on the command line or in the environment.
pub fn demo_requested() -> bool {
    std::env::args().any(|a| a == "--demo")
        || std::env::var(DEMO_ENV).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Sends `event` to the window, in order with the session's own.
pub fn emit(app: &AppHandle, event: AppEvent) {
    app.state::<AppState>().profile().emit(event);
}
