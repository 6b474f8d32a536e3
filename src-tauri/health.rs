//! Commands behind the account-health panel and banner. The rules, and
//! reading the rating in the background, are the core's
//! (`hourglass_core::health`, `hourglass_core::session`).

use crate::error::{Ctx, Reply};
use hourglass_core::health::{self, AccountHealth};

#[tauri::command]
pub async fn get_account_health(cx: Ctx<'_>) -> Reply<AccountHealth> {
    cx.with_store(|s| health::read(s))
}

/// Hides the banner's changes up to `through`.
#[tauri::command]
pub async fn dismiss_health_alerts(cx: Ctx<'_>, through: i64) -> Reply<AccountHealth> {
    cx.with_store(|s| health::dismiss(s, through).and_then(|()| health::read(s)))
}

/// Reads the number's rating and tier from WhatsApp now (the panel's Refresh).
#[tauri::command]
pub async fn refresh_account_health(cx: Ctx<'_>) -> Reply<AccountHealth> {
    cx.session()?.refresh_health_now().await?;
    cx.with_store(|s| health::read(s))
}
