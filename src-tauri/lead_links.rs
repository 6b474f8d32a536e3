//! Lead links: `wa.me` links with a prefilled partner code, and their QR
//! codes, for the business number of the current session.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::lead_link::LeadLink;
use hourglass_core::problem::ErrorCode;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

/// Side of the QR preview and of the exported PNG, in pixels (at least).
const QR_PIXELS: u32 = 512;

/// A link as the lead-links screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LeadLinkView {
    pub link: LeadLink,
    /// The QR code as an SVG document, shown as an image (never inlined as markup).
    pub svg: String,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum QrFormat {
    Png,
    Svg,
}

fn build(state: &AppState, code: &str, template: Option<&str>) -> Result<LeadLink, IpcError> {
    let number = state.business_number().ok_or_else(|| {
        IpcError::new(
            ErrorCode::NoBusinessNumber,
            "Connect a WhatsApp number (or try the demo) to make links for it.",
        )
    })?;
    Ok(match template {
        Some(t) if !t.trim().is_empty() => LeadLink::new(&number, code, t)?,
        _ => LeadLink::with_default_template(&number, code)?,
    })
}

#[tauri::command]
pub async fn create_lead_link(
    state: State<'_, AppState>,
    code: String,
    template: Option<String>,
) -> Result<LeadLinkView, IpcError> {
    let link = build(&state, &code, template.as_deref())?;
    let svg = link.qr_svg(QR_PIXELS)?;
    Ok(LeadLinkView { link, svg })
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
    let link = build(&state, &code, template.as_deref())?;
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| {
            IpcError::with_detail(
                ErrorCode::SaveFailed,
                &e,
                format!("No folder to save into: {e}"),
            )
        })?;
    let (bytes, ext) = match format {
        QrFormat::Png => (link.qr_png(QR_PIXELS)?, "png"),
        QrFormat::Svg => (link.qr_svg(QR_PIXELS)?.into_bytes(), "svg"),
    };
    let path = dir.join(format!("hourglass-lead-{}.{ext}", link.code()));
    std::fs::write(&path, bytes).map_err(|e| {
        IpcError::with_detail(
            ErrorCode::SaveFailed,
            &e,
            format!("Could not save {}: {e}", path.display()),
        )
    })?;
    Ok(path.display().to_string())
}
