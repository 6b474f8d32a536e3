//! Lead links: `wa.me` links with a prefilled partner code, and their QR
//! codes, for the session's business number (`hourglass_core::lead_link`).

use crate::error::Ctx;
use hourglass_core::lead_link::{self, LeadLinkView, QrFormat};
use tauri::{AppHandle, Manager};

commands! {
    fn create_lead_link(cx: Ctx<'_>, code: String, template: Option<String>) -> LeadLinkView =
        Ok(lead_link::view(cx.business_number(), &code, template.as_deref())?);
    /// Writes the QR code to the user's Downloads folder and returns the path.
    fn save_lead_qr(
        app: AppHandle,
        cx: Ctx<'_>,
        code: String,
        template: Option<String>,
        format: QrFormat,
    ) -> String = {
        let link = lead_link::for_session(cx.business_number(), &code, template.as_deref())?;
        let dir = app.path().download_dir().or_else(|_| app.path().home_dir());
        Ok(lead_link::save_qr(&link, format, dir.map_err(|e| e.to_string()))?)
    };
}
