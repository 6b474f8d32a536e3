//! The agent's preferences: the partner-code pattern that attributes leads
//! and the rate table cost estimates use. They belong to the profile (see
//! `hourglass_core::session::Profile`), which checks them before saving.

use crate::error::{Ctx, Reply};
use hourglass_core::cost::RateTable;
use hourglass_core::session::LeadPatternView;

#[tauri::command]
pub async fn get_lead_pattern(cx: Ctx<'_>) -> Reply<LeadPatternView> {
    cx.profile().lead_pattern()
}

/// Sets the pattern; `null` goes back to the default.
#[tauri::command]
pub async fn set_lead_pattern(cx: Ctx<'_>, pattern: Option<String>) -> Reply<LeadPatternView> {
    let session = cx.running().map(|s| s.store());
    cx.profile()
        .set_lead_pattern(pattern.as_deref(), session.as_ref())
}

#[tauri::command]
pub async fn get_rate_table(cx: Ctx<'_>) -> Reply<RateTable> {
    cx.with_profile_store(|s| s.rate_table())
}

/// Saves the agent's rate table; `null` restores the published rates.
#[tauri::command]
pub async fn set_rate_table(cx: Ctx<'_>, table: Option<RateTable>) -> Reply<RateTable> {
    let session = cx.running().map(|s| s.store());
    cx.profile()
        .set_rate_table(table.as_ref(), session.as_ref())
}
