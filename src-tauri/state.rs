//! What the shell keeps between commands: the profile, and the session it is
//! running (which store the window reads, and what feeds it).

use crate::demo::Demo;
use crate::error::IpcError;
use hourglass_core::graph::GraphClient;
use hourglass_core::outbox::{OutboxHandle, WorkerState};
use hourglass_core::receipt::ReadReceipts;
use hourglass_core::store::Store;
use hourglass_core::sync::{ConnectionState, SyncHandle};
use hourglass_core::typing::TypingIndicators;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tauri::Manager;
use ts_rs::TS;

/// The environment variable that overrides the profile directory.
pub const DATA_DIR_ENV: &str = "HOURGLASS_DATA_DIR";
/// Set to `1` to start in demo mode (as does the `--demo` argument).
pub const DEMO_ENV: &str = "HOURGLASS_DEMO";

/// What the app is connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Mode {
    /// Nothing yet: the window offers the demo or connecting a number.
    Unconfigured,
    /// The built-in relay and Cloud API simulator.
    Demo,
    /// The team's relay and Meta's Cloud API, with tokens from the keychain.
    Connected,
}

/// What the window needs to know about the session.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    pub mode: Mode,
    pub connection: Option<ConnectionState>,
    /// The business number customers write to, in E.164, when known.
    pub business_number: Option<String>,
    /// Whether queued messages are going out (absent without a number).
    pub sending: Option<WorkerState>,
    /// Why the saved connection is not running (a locked keychain, say),
    /// shown until it is fixed.
    pub problem: Option<IpcError>,
}

pub struct AppState {
    profile_dir: PathBuf,
    /// The profile's own store: the agent's preferences and, when a number
    /// is connected, its conversations. The demo keeps a store of its own.
    profile_store: Result<Arc<Mutex<Store>>, IpcError>,
    session: Mutex<Session>,
    /// Read receipts sent to Meta: each once, with back-off.
    pub receipts: Arc<ReadReceipts>,
    /// When each conversation last showed the customer a typing indicator.
    pub typing: Arc<TypingIndicators>,
    /// Held while a demo starts: two requests at once (the first launch's
    /// `--demo` and a second launch's, say) start one demo, and the second
    /// never clears the folder of the demo the first is starting.
    pub demo_starting: tokio::sync::Mutex<()>,
}

pub struct Session {
    /// The store, or why it could not be opened (shown in the window rather
    /// than crashing, so the agent can read what to do).
    pub store: Result<Arc<Mutex<Store>>, IpcError>,
    pub mode: Mode,
    pub sync: Option<SyncHandle>,
    pub demo: Option<Demo>,
    pub business_number: Option<String>,
    /// The Cloud API client (the simulator's in demo mode).
    pub graph: Option<Arc<GraphClient>>,
    /// Sends queued messages; wake it after queueing one.
    pub outbox: Option<OutboxHandle>,
    /// Keeps a demo's temporary folder alive until the app quits.
    pub scratch: Option<tempfile::TempDir>,
    /// See [`SessionInfo::problem`].
    pub problem: Option<IpcError>,
    /// Publishes team actions to the relay.
    pub publisher: Option<Arc<hourglass_core::relay::RelayClient>>,
    /// The relay's URL, which names the sync cursor.
    pub relay_url: Option<String>,
    /// Watches this agent's chats (its name, window reminders).
    pub watch: Option<tauri::async_runtime::JoinHandle<()>>,
    /// Fetches media into the session's cache (absent without a number).
    pub media: Option<Arc<hourglass_core::media::MediaFetcher>>,
    /// The session's tokens, so diagnostics can make sure none is in them.
    pub secrets: Vec<hourglass_core::secrets::Secret>,
}

impl AppState {
    pub fn open(profile_dir: &Path) -> AppState {
        let profile_store = open_store(profile_dir);
        AppState {
            profile_dir: profile_dir.to_owned(),
            profile_store: profile_store.clone(),
            session: Mutex::new(Session {
                store: profile_store,
                mode: Mode::Unconfigured,
                sync: None,
                demo: None,
                business_number: None,
                graph: None,
                outbox: None,
                scratch: None,
                problem: None,
                publisher: None,
                relay_url: None,
                watch: None,
                media: None,
                secrets: Vec::new(),
            }),
            receipts: Arc::new(ReadReceipts::default()),
            typing: Arc::new(TypingIndicators::default()),
            demo_starting: tokio::sync::Mutex::new(()),
        }
    }

    /// The profile directory (the agent's own store, not the demo's).
    pub fn profile_dir(&self) -> &Path {
        &self.profile_dir
    }

    /// The profile's own store (see [`AppState::with_profile_store`]).
    pub fn profile_store(&self) -> Result<Arc<Mutex<Store>>, IpcError> {
        self.profile_store.clone()
    }

    /// Runs `f` with the profile's own store locked, whatever the session.
    pub fn with_profile_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> hourglass_core::Result<T>,
    ) -> Result<T, IpcError> {
        let store = self.profile_store.clone()?;
        let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard).map_err(IpcError::from)
    }

    /// Runs `f` with the session locked. Keep it short: commands wait on it.
    pub fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> T) -> T {
        // A panic while holding the lock leaves the session consistent
        // (fields are replaced whole), so a poisoned lock is still usable.
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// Runs `f` with the current store locked.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> hourglass_core::Result<T>,
    ) -> Result<T, IpcError> {
        let store = self.with_session(|s| s.store.clone())?;
        let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard).map_err(IpcError::from)
    }

    pub fn session_info(&self) -> SessionInfo {
        self.with_session(|s| SessionInfo {
            mode: s.mode,
            connection: s.sync.as_ref().map(SyncHandle::state),
            business_number: s.business_number.clone(),
            sending: s.outbox.as_ref().map(OutboxHandle::state),
            problem: s.problem.clone(),
        })
    }
}

pub fn open_store(dir: &Path) -> Result<Arc<Mutex<Store>>, IpcError> {
    match Store::open_in_dir(dir) {
        Ok(store) => {
            tracing::info!("local store at {}", store.path().display());
            Ok(Arc::new(Mutex::new(store)))
        }
        Err(err) => {
            tracing::error!("cannot open the local store: {err}");
            Err(IpcError::from(err))
        }
    }
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
