//! Signed updates through `tauri-plugin-updater`: a check asks the
//! configured endpoint (`plugins.updater` in `tauri.conf.json`), downloads a
//! newer package and verifies its signature before anyone hears of it; a
//! quiet check runs once after start. States and wording:
//! `hourglass_core::updates`.

use crate::error::IpcError;
use hourglass_core::updates::{self, Failure, Overrides, UpdateCheck, UpdateError};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_updater::{Error as E, Update, UpdaterExt};

type Pending = updates::Pending<Update>;

fn failed(err: E) -> UpdateError {
    let failure = match &err {
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => Failure::Signature,
        E::EmptyEndpoints => Failure::NotConfigured,
        E::Reqwest(_) | E::Network(_) | E::ReleaseNotFound => Failure::Unreachable,
        _ => Failure::Other,
    };
    UpdateError::from_updater(failure, err)
}

/// Starts the quiet check; call once from `setup`.
pub fn start(app: &AppHandle) {
    app.manage(Pending::default());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match check(&app).await {
            Ok(found @ UpdateCheck::Available { .. }) => {
                tracing::info!("update downloaded and verified: {found:?}");
                if let Err(err) = app.emit("update-ready", found) {
                    tracing::warn!("cannot tell the window about the update: {err}");
                }
            }
            Ok(UpdateCheck::UpToDate { current }) => {
                tracing::info!("Hourglass {current} is up to date")
            }
            Err(UpdateError::NotConfigured) => {
                tracing::info!("no update server configured for this build; not checking")
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

/// The verified update the quiet check found, if any.
#[tauri::command]
pub async fn pending_update(pending: State<'_, Pending>) -> Result<Option<UpdateCheck>, IpcError> {
    Ok(pending.summary())
}

/// Installs the verified update and restarts into it.
#[tauri::command]
pub async fn install_update(app: AppHandle, pending: State<'_, Pending>) -> Result<(), IpcError> {
    let packaged = tauri::utils::platform::bundle_type().is_some();
    let (update, bytes, found) = pending.take(packaged)?;
    // The Linux installers wait on a password prompt.
    let (result, update, bytes) =
        tauri::async_runtime::spawn_blocking(move || (update.install(&bytes), update, bytes))
            .await
            .map_err(|err| UpdateError::Failed(err.to_string()))?;
    if let Err(err) = result {
        tracing::warn!("installing {} failed: {err:?}", update.version);
        pending.put(update, bytes, found);
        return Err(failed(err).into());
    }
    tracing::info!("installed Hourglass {}; restarting", update.version);
    app.restart()
}

async fn check(app: &AppHandle) -> Result<UpdateCheck, UpdateError> {
    let pending = app.state::<Pending>();
    let _one_at_a_time = pending.checking().await;
    let overrides = Overrides::read(|name| std::env::var(name).ok())?;
    let mut builder = app.updater_builder().timeout(updates::CHECK_TIMEOUT);
    if let Some(endpoint) = overrides.endpoint {
        builder = builder.endpoints(vec![endpoint]).map_err(failed)?;
    }
    if let Some(pubkey) = overrides.pubkey {
        builder = builder.pubkey(pubkey);
    }
    let Some(mut update) = builder
        .build()
        .map_err(failed)?
        .check()
        .await
        .map_err(failed)?
    else {
        return Ok(UpdateCheck::UpToDate {
            current: app.package_info().version.to_string(),
        });
    };
    update.timeout = Some(updates::DOWNLOAD_TIMEOUT);
    // `download` verifies the signature (and the signed version) first.
    let bytes = update.download(|_, _| {}, || {}).await.map_err(failed)?;
    let found = UpdateCheck::Available {
        current: update.current_version.clone(),
        version: update.version.clone(),
        notes: update.body.clone(),
        date: update
            .raw_json
            .get("pub_date")
            .and_then(|d| d.as_str())
            .map(str::to_owned),
        verified: true,
    };
    pending.put(update, bytes, found.clone());
    Ok(found)
}
