//! Commands behind the account-health panel and banner, and the background
//! reading of the number's rating (on start and when a health webhook
//! arrives). The rules are the core's (`hourglass_core::health`).

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::health::{self, AccountHealth};
use hourglass_core::problem::ErrorCode;
use tauri::{AppHandle, Emitter, Manager, State};

/// The window event telling the health panel and banner to reload.
pub const HEALTH_EVENT: &str = "account-health";

#[tauri::command]
pub async fn get_account_health(state: State<'_, AppState>) -> Result<AccountHealth, IpcError> {
    state.with_store(|s| health::read(s))
}

/// Hides the banner's changes up to `through`.
#[tauri::command]
pub async fn dismiss_health_alerts(
    state: State<'_, AppState>,
    through: i64,
) -> Result<AccountHealth, IpcError> {
    state.with_store(|s| {
        health::dismiss(s, through)?;
        health::read(s)
    })
}

/// Reads the number's rating and tier from WhatsApp now (the panel's
/// Refresh).
#[tauri::command]
pub async fn refresh_account_health(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<AccountHealth, IpcError> {
    let (store, graph) = state
        .with_session(|s| Some((s.store.as_ref().ok()?.clone(), s.graph.clone()?)))
        .ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotConnected,
                "Connect a WhatsApp number (or try the demo) to read its quality rating.",
            )
        })?;
    health::refresh(&store, &graph, chrono::Utc::now().timestamp_millis())
        .await
        .map_err(IpcError::from)?;
    let _ = app.emit(HEALTH_EVENT, ());
    state.with_store(|s| health::read(s))
}

/// Reads the number's rating in the background and tells the window.
pub fn refresh_in_background(app: &AppHandle) {
    let state = app.state::<AppState>();
    let Some((store, graph)) = state.with_session(|s| {
        let store = s.store.as_ref().ok()?.clone();
        Some((store, s.graph.clone()?))
    }) else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let now = chrono::Utc::now().timestamp_millis();
        match health::refresh(&store, &graph, now).await {
            Ok(_) => {
                let _ = app.emit(HEALTH_EVENT, ());
            }
            Err(err) => tracing::warn!("reading the number's quality failed: {err}"),
        }
    });
}
