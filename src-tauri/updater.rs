//! Signed updates through `tauri-plugin-updater`: a check asks the
//! configured endpoint (`plugins.updater` in `tauri.conf.json`), downloads a
//! newer package and verifies its signature before anyone hears of it; a
//! quiet check runs once after the first screen and tells the window with
//! `AppEvent::UpdateReady`. States and wording: `hourglass_core::updates`.

use hourglass_core::session::AppEvent;
use hourglass_core::updates::{self, Failure, Overrides, UpdateCheck, UpdateError};
use tauri::{AppHandle, Manager, State};
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

/// Keeps room for a verified update; call once from `setup`.
pub fn manage(app: &AppHandle) {
    app.manage(Pending::default());
}

/// Starts the quiet check, once the first screen is shown
/// (`desktop::after_first_screen`).
pub fn check_quietly(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match check(&app).await {
            Ok(found @ UpdateCheck::Available { .. }) => {
                tracing::info!("update downloaded and verified: {found:?}");
                crate::state::emit(&app, AppEvent::UpdateReady(found));
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

commands! {
    fn check_for_updates(app: AppHandle) -> UpdateCheck = {
        let checked = check(&app).await;
        checked.inspect_err(|err| tracing::warn!("update check: {err:?}")).map_err(Into::into)
    };
    /// The verified update the quiet check found, if any.
    fn pending_update(pending: State<'_, Pending>) -> Option<UpdateCheck> = Ok(pending.summary());
    /// Installs the verified update and restarts into it.
    fn install_update(app: AppHandle, pending: State<'_, Pending>) -> () = {
        let packaged = tauri::utils::platform::bundle_type().is_some();
        let (update, bytes, found) = pending.take(packaged)?;
        // The Linux installers wait on a password prompt.
        let install = move || (update.install(&bytes), update, bytes);
        let (result, update, bytes) = tauri::async_runtime::spawn_blocking(install)
            .await
            .map_err(|err| UpdateError::Failed(err.to_string()))?;
        if let Err(err) = result {
            tracing::warn!("installing {} failed: {err:?}", update.version);
            pending.put(update, bytes, found);
            return Err(failed(err).into());
        }
        tracing::info!("installed Hourglass {}; restarting", update.version);
        app.restart()
    };
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
    let updater = builder.build().map_err(failed)?;
    let Some(mut update) = updater.check().await.map_err(failed)? else {
        let current = app.package_info().version.to_string();
        return Ok(UpdateCheck::UpToDate { current });
    };
    update.timeout = Some(updates::DOWNLOAD_TIMEOUT);
    // `download` verifies the signature (and the signed version) first.
    let bytes = update.download(|_, _| {}, || {}).await.map_err(failed)?;
    let date = update.raw_json.get("pub_date").and_then(|d| d.as_str());
    let found = UpdateCheck::Available {
        current: update.current_version.clone(),
        version: update.version.clone(),
        notes: update.body.clone(),
        date: date.map(str::to_owned),
        verified: true,
    };
    pending.put(update, bytes, found.clone());
    Ok(found)
}
