//! Connecting a real number: the first-run form, "Test connection", the
//! connection part of Settings, and restoring the connection on start.
//!
//! The relay URL and the two ids are kept in the profile's store
//! ([`SETTINGS_KEY`]); the relay agent token and the access token only in the
//! OS keychain, under a profile name derived from the profile directory. A
//! token typed into the form crosses IPC once, inbound; no command ever
//! returns one, only whether it is saved.
//!
//! Decisions:
//! - "Connect" runs the same checks as "Test connection" and saves nothing
//!   unless every part passes, so a half-working connection is never kept.
//! - A token field left empty in Settings means "keep the saved token", so
//!   the agent can change an id without pasting both tokens again; the
//!   saved relay token is kept only for the relay address it was saved for.
//! - A keychain that cannot be used at start leaves the app unconnected with
//!   the keychain's own explanation shown, never a plain-text fallback.

use crate::error::IpcError;
use crate::session;
use crate::state::{AppState, Mode, SessionInfo};
use hourglass_core::connection::{
    self, ConnectionReport, ConnectionSettings, Credentials, FormCredentials, SETTINGS_KEY,
    SavedCredentials, TestTargets,
};
use hourglass_core::graph::META_GRAPH_URL;
use hourglass_core::problem::ErrorCode;
use hourglass_core::secrets::{Secret, SecretError, SecretKind, SecretStore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

/// Overrides the Graph API address in debug builds only (tests point it at
/// the simulator); a release build always talks to Meta.
pub const GRAPH_URL_ENV: &str = "HOURGLASS_GRAPH_URL";

pub fn graph_base_url() -> String {
    if cfg!(debug_assertions)
        && let Ok(url) = std::env::var(GRAPH_URL_ENV)
        && !url.is_empty()
    {
        return url;
    }
    META_GRAPH_URL.to_owned()
}

/// What the store keeps of a connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedConnection {
    pub settings: ConnectionSettings,
    /// The business number as Meta showed it when the connection was tested.
    pub display_phone_number: Option<String>,
}

/// The form as the agent filled it in. An empty token means "the saved one".
/// The tokens print as `***`.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ConnectForm {
    pub relay_url: String,
    #[ts(type = "string")]
    pub relay_token: Secret,
    pub phone_number_id: String,
    pub waba_id: String,
    #[ts(type = "string")]
    pub access_token: Secret,
}

/// The saved connection as Settings shows it: never a token, only whether
/// one is saved.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConnectionView {
    pub settings: Option<ConnectionSettings>,
    pub display_phone_number: Option<String>,
    pub relay_token_saved: bool,
    pub access_token_saved: bool,
}

/// What "Connect" answers: the checks, and the session when it connected.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConnectOutcome {
    pub report: ConnectionReport,
    pub session: Option<SessionInfo>,
}

/// Which token a Settings action is about.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TokenKind {
    RelayToken,
    AccessToken,
}

impl From<TokenKind> for SecretKind {
    fn from(kind: TokenKind) -> Self {
        match kind {
            TokenKind::RelayToken => SecretKind::RelayAgentToken,
            TokenKind::AccessToken => SecretKind::AccessToken,
        }
    }
}

/// The keychain entries of this profile: `default` for the platform's
/// profile, a name derived from the folder for `HOURGLASS_DATA_DIR`, so two
/// profiles on one machine never share tokens.
pub fn secret_store() -> SecretStore {
    match crate::state::explicit_data_dir() {
        None => SecretStore::new("default"),
        Some(dir) => {
            let dir = dir.canonicalize().unwrap_or(dir);
            let digest = Sha256::digest(dir.to_string_lossy().as_bytes());
            SecretStore::new(format!("dir-{}", &hex::encode(digest)[..12]))
        }
    }
}

fn secret_error(err: SecretError) -> IpcError {
    IpcError {
        code: err.code(),
        params: err.params(),
        message: err.to_string(),
    }
}

/// Keychain calls block (D-Bus, perhaps an unlock prompt): off the runtime.
async fn keychain<T: Send + 'static>(
    f: impl FnOnce(SecretStore) -> Result<T, SecretError> + Send + 'static,
) -> Result<T, IpcError> {
    tauri::async_runtime::spawn_blocking(move || f(secret_store()))
        .await
        .map_err(|e| {
            IpcError::with_detail(
                ErrorCode::KeychainFailed,
                &e,
                format!("The keychain call failed: {e}"),
            )
        })?
        .map_err(secret_error)
}

fn saved(state: &AppState) -> Result<Option<SavedConnection>, IpcError> {
    state.with_profile_store(|s| s.setting(SETTINGS_KEY))
}

/// The form's tokens, and what is saved where a field was left empty (the
/// core decides which saved token may be used for the typed address).
async fn credentials(
    state: &AppState,
    form: &ConnectForm,
) -> Result<(FormCredentials, SavedCredentials), IpcError> {
    let typed = |t: &Secret| Some(Secret::new(t.expose().trim())).filter(|s| !s.is_empty());
    let typed = FormCredentials {
        relay_token: typed(&form.relay_token),
        access_token: typed(&form.access_token),
    };
    if typed.complete() {
        return Ok((typed, SavedCredentials::default()));
    }
    let relay_url = saved(state)?.map(|c| c.settings.relay_url);
    let (relay_token, access_token) = keychain(|k| {
        Ok((
            k.load(SecretKind::RelayAgentToken)?,
            k.load(SecretKind::AccessToken)?,
        ))
    })
    .await?;
    Ok((
        typed,
        SavedCredentials {
            relay_url,
            relay_token,
            access_token,
        },
    ))
}

fn settings_of(form: &ConnectForm) -> ConnectionSettings {
    ConnectionSettings {
        relay_url: form.relay_url.clone(),
        phone_number_id: form.phone_number_id.clone(),
        waba_id: form.waba_id.clone(),
    }
    .normalised()
}

fn targets() -> TestTargets {
    TestTargets {
        graph_base_url: graph_base_url(),
        ..TestTargets::default()
    }
}

#[tauri::command]
pub async fn test_connection(
    state: State<'_, AppState>,
    form: ConnectForm,
) -> Result<ConnectionReport, IpcError> {
    let (typed, saved) = credentials(&state, &form).await?;
    Ok(
        connection::test_form(&settings_of(&form), typed, saved, &targets())
            .await
            .0,
    )
}

#[tauri::command]
pub async fn connect(
    app: AppHandle,
    state: State<'_, AppState>,
    form: ConnectForm,
) -> Result<ConnectOutcome, IpcError> {
    let (typed, saved) = credentials(&state, &form).await?;
    let settings = settings_of(&form);
    let (report, creds) = connection::test_form(&settings, typed, saved, &targets()).await;
    if !report.ok() {
        return Ok(ConnectOutcome {
            report,
            session: None,
        });
    }
    let to_save = creds.clone();
    keychain(move |k| {
        k.save(SecretKind::RelayAgentToken, &to_save.relay_token)?;
        k.save(SecretKind::AccessToken, &to_save.access_token)
    })
    .await?;
    let connection = SavedConnection {
        settings,
        display_phone_number: report.display_phone_number.clone(),
    };
    state.with_profile_store(|s| s.set_setting(SETTINGS_KEY, &connection))?;
    tracing::info!(
        relay = %connection.settings.relay_url,
        phone_number_id = %connection.settings.phone_number_id,
        "connected a number"
    );
    session::start_connected(&app, &connection, creds).await?;
    Ok(ConnectOutcome {
        report,
        session: Some(state.session_info()),
    })
}

#[tauri::command]
pub async fn get_connection(state: State<'_, AppState>) -> Result<ConnectionView, IpcError> {
    let connection = saved(&state)?;
    let (relay, access) = keychain(|k| {
        Ok((
            k.load(SecretKind::RelayAgentToken)?.is_some(),
            k.load(SecretKind::AccessToken)?.is_some(),
        ))
    })
    .await?;
    Ok(ConnectionView {
        display_phone_number: connection
            .as_ref()
            .and_then(|c| c.display_phone_number.clone()),
        settings: connection.map(|c| c.settings),
        relay_token_saved: relay,
        access_token_saved: access,
    })
}

/// Forgets one token. The connection stops using it at once: sending and
/// sync need both, so the app goes back to unconnected until it is replaced.
#[tauri::command]
pub async fn forget_token(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: TokenKind,
) -> Result<SessionInfo, IpcError> {
    keychain(move |k| k.forget(kind.into())).await?;
    if state.with_session(|s| s.mode == Mode::Connected) {
        session::stop_session(
            &app,
            Some(IpcError::new(
                ErrorCode::TokenMissing,
                "A token was removed, so Hourglass is not connected. Paste it again in Settings → Connection.",
            )),
        )
        .await;
    }
    Ok(state.session_info())
}

/// Forgets the whole connection: both tokens and the saved settings.
#[tauri::command]
pub async fn disconnect(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SessionInfo, IpcError> {
    keychain(|k| {
        for kind in SecretKind::ALL {
            k.forget(kind)?;
        }
        Ok(())
    })
    .await?;
    state.with_profile_store(|s| s.remove_setting(SETTINGS_KEY))?;
    if state.with_session(|s| s.mode != Mode::Demo) {
        session::stop_session(&app, None).await;
    }
    Ok(state.session_info())
}

/// On start: runs the saved connection with its tokens from the keychain.
/// Does nothing without one; a keychain problem is shown, not hidden.
pub async fn restore(app: &AppHandle) {
    let state = app.state::<AppState>();
    let connection = match saved(&state) {
        Ok(Some(c)) => c,
        Ok(None) => return,
        Err(err) => {
            tracing::warn!("saved connection unreadable: {}", err.message);
            return;
        }
    };
    let tokens = keychain(|k| {
        Ok((
            k.load(SecretKind::RelayAgentToken)?,
            k.load(SecretKind::AccessToken)?,
        ))
    })
    .await;
    let problem = match tokens {
        Ok((Some(relay_token), Some(access_token))) => {
            let creds = Credentials {
                relay_token,
                access_token,
            };
            match session::start_connected(app, &connection, creds).await {
                Ok(()) => return,
                Err(err) => err,
            }
        }
        Ok(_) => IpcError::new(
            ErrorCode::TokenMissing,
            "A token of the saved connection is not in the system keychain any more. \
             Paste it again in Settings → Connection.",
        ),
        Err(err) => err,
    };
    tracing::warn!("the saved connection did not start: {}", problem.message);
    session::stop_session(app, Some(problem)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_never_prints_its_tokens() {
        let form: ConnectForm = serde_json::from_value(serde_json::json!({
            "relay_url": "https://relay.example.com",
            "relay_token": "hgr_agent_5d1e",
            "phone_number_id": "106540352242922",
            "waba_id": "102290129340398",
            "access_token": "EAAGsecret42",
        }))
        .expect("a form");
        let printed = format!("{form:?} {form:#?}");
        for token in ["hgr_agent_5d1e", "EAAGsecret42"] {
            assert!(!printed.contains(token), "{printed}");
        }
        assert!(printed.contains("relay.example.com"));
        assert_eq!(form.relay_token.expose(), "hgr_agent_5d1e");
        assert_eq!(form.access_token.expose(), "EAAGsecret42");
    }
}
