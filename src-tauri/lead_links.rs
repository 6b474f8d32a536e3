//! Lead links: `wa.me` links with a prefilled partner code, and their QR
//! codes, for the session's business number (`hourglass_core::lead_link`).

use crate::{error::IpcError, state::AppState};
use hourglass_core::lead_link::{self, LeadLinkView, QrFormat};
use tauri::{AppHandle, Manager, State};

fn number(state: &AppState) -> Option<String> {
    state.business_number()
}

#[tauri::command]
pub async fn create_lead_link(
    state: State<'_, AppState>,
    code: String,
    template: Option<String>,
) -> Result<LeadLinkView, IpcError> {
    Ok(lead_link::view(number(&state), &code, template.as_deref())?)
}

/// Writes the QR code to the user's Downloads folder and returns the path.
#[tauri::command]
pub async fn save_lead_qr(
    app: AppHandle,
    state: State<'_, AppState>,
    code: String,
    template: Option<String>,
    format: QrFormat,
) -> Result<String, IpcError> {
    let link = lead_link::for_session(number(&state), &code, template.as_deref())?;
    let dir = app.path().download_dir().or_else(|_| app.path().home_dir());
    Ok(lead_link::save_qr(
        &link,
        format,
        dir.map_err(|e| e.to_string()),
    )?)
}
