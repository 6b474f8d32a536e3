//! Signed updates through `tauri-plugin-updater`.
//!
//! A check asks the configured endpoint (`plugins.updater` in
//! `tauri.conf.json`) for `latest.json`, and when it announces a newer version
//! downloads the package and verifies its minisign signature against the
//! Hourglass public key before telling anyone about it. Only verified bytes
//! are kept, and `install_update` installs exactly those bytes (the plugin
//! verifies them once more). A quiet check runs once after start and tells
//! the UI only when an update is ready.
//!
//! Debug builds (`cfg(debug_assertions)`) read two overrides so tests can
//! serve their own signed releases from a loopback server:
//! `HOURGLASS_UPDATE_ENDPOINT` replaces the endpoint (plain `http` is
//! accepted by debug builds) and `HOURGLASS_UPDATE_PUBKEY` replaces the
//! public key. Release builds ignore both, so a shipped app only ever trusts
//! the key it was built with.

use crate::error::IpcError;
use hourglass_core::problem::ErrorCode;
use serde::Serialize;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};
use ts_rs::TS;

#[cfg(debug_assertions)]
const ENDPOINT_ENV: &str = "HOURGLASS_UPDATE_ENDPOINT";
#[cfg(debug_assertions)]
const PUBKEY_ENV: &str = "HOURGLASS_UPDATE_PUBKEY";

/// Emitted once the quiet check on start has a verified update ready.
pub const UPDATE_READY_EVENT: &str = "update-ready";

const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
// A whole package over a slow link; a stalled download must still end.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What a check found.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum UpdateCheck {
    UpToDate {
        current: String,
    },
    /// Downloaded and its signature verified; ready for `install_update`.
    Available {
        current: String,
        version: String,
        notes: Option<String>,
        /// RFC 3339, as the endpoint announced it.
        date: Option<String>,
        #[ts(type = "true")]
        verified: bool,
    },
}

/// A verified update waiting to be installed.
#[derive(Default)]
pub struct Pending {
    ready: Mutex<Option<(Update, Vec<u8>)>>,
    // One check at a time: the quiet check and a click must not download twice.
    checking: tokio::sync::Mutex<()>,
}

impl Pending {
    fn summary(&self) -> Option<UpdateCheck> {
        let ready = self.ready.lock().unwrap_or_else(|p| p.into_inner());
        ready.as_ref().map(|(update, _)| available(update))
    }
}

#[derive(Debug, thiserror::Error)]
enum UpdateError {
    #[error(
        "The downloaded update is not signed by Hourglass and was refused. Nothing was installed."
    )]
    SignatureInvalid(#[source] UpdaterError),
    #[error(
        "Hourglass could not reach the update server. Check the internet connection and try again."
    )]
    Unreachable(#[source] UpdaterError),
    /// This build names no update server (`plugins.updater.endpoints` was
    /// left empty when it was built).
    #[error(
        "This copy of Hourglass was built without an update server, so it cannot check for updates. Install new versions from their packages."
    )]
    NotConfigured,
    /// A binary run straight from a build, with no package around it that
    /// the updater could replace.
    #[error(
        "This copy of Hourglass was not installed from a package, so it cannot replace itself. Nothing was changed; install Hourglass {0} from its package instead."
    )]
    NotPackaged(String),
    #[error("No verified update is waiting. Check for updates first.")]
    NothingPending,
    /// The update failed for another reason: the updater's own words.
    #[error("The update could not be completed ({0}). Nothing was changed; try again later.")]
    Failed(String),
}

impl UpdateError {
    fn code(&self) -> ErrorCode {
        match self {
            UpdateError::SignatureInvalid(_) => ErrorCode::UpdateSignatureInvalid,
            UpdateError::Unreachable(_) => ErrorCode::UpdateUnreachable,
            UpdateError::NotConfigured => ErrorCode::UpdateNotConfigured,
            UpdateError::NotPackaged(_) => ErrorCode::UpdateNotPackaged,
            UpdateError::NothingPending => ErrorCode::UpdateNothingPending,
            UpdateError::Failed(_) => ErrorCode::UpdateFailed,
        }
    }

    fn params(&self) -> hourglass_core::problem::Params {
        match self {
            UpdateError::NotPackaged(version) => {
                hourglass_core::problem::params([("version", version.clone())])
            }
            UpdateError::Failed(detail) => {
                hourglass_core::problem::params([("detail", detail.clone())])
            }
            _ => Default::default(),
        }
    }
}

impl From<UpdaterError> for UpdateError {
    fn from(err: UpdaterError) -> Self {
        match err {
            UpdaterError::Minisign(_)
            | UpdaterError::Base64(_)
            | UpdaterError::SignatureUtf8(_)
            | UpdaterError::SignedVersionMismatch { .. }
            | UpdaterError::MissingSignedVersion => UpdateError::SignatureInvalid(err),
            UpdaterError::EmptyEndpoints => UpdateError::NotConfigured,
            UpdaterError::Reqwest(_) | UpdaterError::Network(_) | UpdaterError::ReleaseNotFound => {
                UpdateError::Unreachable(err)
            }
            other => UpdateError::Failed(other.to_string()),
        }
    }
}

impl From<UpdateError> for IpcError {
    fn from(err: UpdateError) -> Self {
        IpcError {
            code: err.code(),
            params: err.params(),
            message: err.to_string(),
        }
    }
}

/// Starts the quiet check; call once from `setup`.
pub fn start(app: &AppHandle) {
    app.manage(Pending::default());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match check(&app).await {
            Ok(found @ UpdateCheck::Available { .. }) => {
                if let UpdateCheck::Available { version, .. } = &found {
                    tracing::info!("update {version} downloaded and verified");
                }
                if let Err(err) = app.emit(UPDATE_READY_EVENT, found) {
                    tracing::warn!("cannot tell the window about the update: {err}");
                }
            }
            Ok(UpdateCheck::UpToDate { current }) => {
                tracing::info!("Hourglass {current} is up to date");
            }
            Err(UpdateError::NotConfigured) => {
                tracing::info!("no update server configured for this build; not checking");
            }
            Err(err) => tracing::warn!("update check on start: {err} ({err:?})"),
        }
    });
}

#[tauri::command]
pub async fn check_for_updates(app: AppHandle) -> Result<UpdateCheck, IpcError> {
    check(&app).await.map_err(|err| {
        tracing::warn!("update check: {err:?}");
        IpcError::from(err)
    })
}

/// The verified update the quiet check found, if any (the window may have
/// loaded after its event was sent).
#[tauri::command]
pub async fn pending_update(pending: State<'_, Pending>) -> Result<Option<UpdateCheck>, IpcError> {
    Ok(pending.summary())
}

/// Installs the verified update and restarts into it.
#[tauri::command]
pub async fn install_update(app: AppHandle, pending: State<'_, Pending>) -> Result<(), IpcError> {
    let taken = pending
        .ready
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take();
    let Some((update, bytes)) = taken else {
        return Err(UpdateError::NothingPending.into());
    };
    // A binary run straight from a build (no .deb, AppImage, MSI or .app
    // around it) has nothing the updater could replace safely.
    if tauri::utils::platform::bundle_type().is_none() {
        let version = update.version.clone();
        *pending.ready.lock().unwrap_or_else(|p| p.into_inner()) = Some((update, bytes));
        return Err(UpdateError::NotPackaged(version).into());
    }
    // The Linux installers wait on a password prompt.
    let installed = tauri::async_runtime::spawn_blocking(move || {
        let result = update.install(&bytes);
        (result, update, bytes)
    })
    .await
    .map_err(|err| UpdateError::Failed(err.to_string()))?;
    match installed {
        (Ok(()), update, _) => {
            tracing::info!("installed Hourglass {}; restarting", update.version);
            app.restart()
        }
        (Err(err), update, bytes) => {
            tracing::warn!("installing {} failed: {err:?}", update.version);
            *pending.ready.lock().unwrap_or_else(|p| p.into_inner()) = Some((update, bytes));
            Err(UpdateError::from(err).into())
        }
    }
}

async fn check(app: &AppHandle) -> Result<UpdateCheck, UpdateError> {
    let pending = app.state::<Pending>();
    let _one_at_a_time = pending.checking.lock().await;
    let current = app.package_info().version.to_string();
    let Some(mut update) = updater(app)?.check().await? else {
        return Ok(UpdateCheck::UpToDate { current });
    };
    update.timeout = Some(DOWNLOAD_TIMEOUT);
    // `download` verifies the signature (and the signed version) before it
    // returns the bytes.
    let bytes = update.download(|_, _| {}, || {}).await?;
    let found = available(&update);
    *pending.ready.lock().unwrap_or_else(|p| p.into_inner()) = Some((update, bytes));
    Ok(found)
}

fn updater(app: &AppHandle) -> Result<tauri_plugin_updater::Updater, UpdateError> {
    #[allow(unused_mut)]
    let mut builder = app.updater_builder().timeout(CHECK_TIMEOUT);
    #[cfg(debug_assertions)]
    {
        if let Some(endpoint) = env_override(ENDPOINT_ENV) {
            let url = endpoint
                .parse()
                .map_err(|err| UpdateError::Failed(format!("{ENDPOINT_ENV}: {err}")))?;
            tracing::warn!("update endpoint overridden by {ENDPOINT_ENV}: {endpoint}");
            builder = builder.endpoints(vec![url])?;
        }
        if let Some(pubkey) = env_override(PUBKEY_ENV) {
            tracing::warn!("update public key overridden by {PUBKEY_ENV}");
            builder = builder.pubkey(pubkey);
        }
    }
    Ok(builder.build()?)
}

#[cfg(debug_assertions)]
fn env_override(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn available(update: &Update) -> UpdateCheck {
    UpdateCheck::Available {
        current: update.current_version.clone(),
        version: update.version.clone(),
        notes: update.body.clone(),
        date: update
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
        verified: true,
    }
}
