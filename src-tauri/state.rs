//! What the shell keeps between commands.

use crate::error::IpcError;
use hourglass_core::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tauri::Manager;

/// The environment variable that overrides the profile directory.
pub const DATA_DIR_ENV: &str = "HOURGLASS_DATA_DIR";

pub struct AppState {
    /// The store, or why it could not be opened (shown in the window rather
    /// than crashing, so the agent can read what to do).
    store: Result<Mutex<Store>, IpcError>,
}

impl AppState {
    pub fn open(dir: &Path) -> AppState {
        let store = match Store::open_in_dir(dir) {
            Ok(store) => {
                tracing::info!("local store at {}", store.path().display());
                Ok(Mutex::new(store))
            }
            Err(err) => {
                tracing::error!("cannot open the local store: {err}");
                Err(IpcError::from(err))
            }
        };
        AppState { store }
    }

    /// Runs `f` with the store locked.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> hourglass_core::Result<T>,
    ) -> Result<T, IpcError> {
        let store = self.store.as_ref().map_err(Clone::clone)?;
        // A panic while holding the lock cannot leave SQLite half-written
        // (transactions roll back), so a poisoned lock is still usable.
        let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard).map_err(IpcError::from)
    }
}

pub fn data_dir(app: &tauri::AppHandle) -> tauri::Result<PathBuf> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}
