//! The agent's preferences: the partner-code pattern that attributes leads,
//! the rate table cost estimates use, the notification settings and the
//! typing indicator.
//!
//! They belong to the profile, so they are kept in the profile's store and
//! survive switching between the demo and a real number. The sync engine and
//! the template picker read them from the session's own store (the engine
//! holds its own connection to that file, so a change reaches its next batch
//! without a restart); when the session keeps a separate store (the demo),
//! they are copied there when it starts and on every change. Values are
//! checked by the core before anything is saved.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::cost::RateTable;
use hourglass_core::lead::LeadCodePattern;
use hourglass_core::problem::ErrorCode;
use hourglass_core::store::Store;
use hourglass_core::store::settings::{LEAD_CODE_PATTERN, RATE_TABLE};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use tauri::State;
use ts_rs::TS;

/// The keys copied into a session's own store.
const SHARED: [&str; 4] = [
    LEAD_CODE_PATTERN,
    RATE_TABLE,
    crate::notifications::SETTINGS_KEY,
    hourglass_core::typing::SETTING_KEY,
];

/// Copies the profile's preferences into a session's own store.
pub fn copy_to_session(state: &AppState, session: &Arc<Mutex<Store>>) {
    let copied = state.with_profile_store(|profile| {
        let mut target = session.lock().unwrap_or_else(|p| p.into_inner());
        for key in SHARED {
            match profile.setting::<serde_json::Value>(key)? {
                Some(value) => target.set_setting(key, &value)?,
                None => target.remove_setting(key)?,
            }
        }
        Ok(())
    });
    if let Err(err) = copied {
        tracing::warn!("preferences not copied to the session: {}", err.message);
    }
}

/// Saves `value` under `key` in the profile, and in the session's own store
/// when it has one.
pub fn save<T: Serialize + ?Sized>(
    state: &AppState,
    key: &str,
    value: Option<&T>,
) -> Result<(), IpcError> {
    let write = |s: &mut Store| match value {
        Some(v) => s.set_setting(key, v),
        None => s.remove_setting(key),
    };
    state.with_profile_store(write)?;
    let profile = state.profile_store()?;
    let session = state.with_session(|s| s.store.clone())?;
    if !Arc::ptr_eq(&profile, &session) {
        let mut guard = session.lock().unwrap_or_else(|p| p.into_inner());
        write(&mut guard).map_err(IpcError::from)?;
    }
    Ok(())
}

/// The partner-code pattern in force, and whether it is the default one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LeadPatternView {
    pub pattern: String,
    pub is_default: bool,
    pub default_pattern: String,
}

#[tauri::command]
pub async fn get_lead_pattern(state: State<'_, AppState>) -> Result<LeadPatternView, IpcError> {
    let pattern = state.with_profile_store(|s| s.lead_code_pattern())?;
    let default = LeadCodePattern::default();
    Ok(LeadPatternView {
        pattern: pattern.as_str().to_owned(),
        is_default: pattern.as_str() == default.as_str(),
        default_pattern: default.as_str().to_owned(),
    })
}

/// Sets the pattern; `null` goes back to the default.
#[tauri::command]
pub async fn set_lead_pattern(
    state: State<'_, AppState>,
    pattern: Option<String>,
) -> Result<LeadPatternView, IpcError> {
    let compiled = match pattern.as_deref().map(str::trim) {
        None => None,
        Some(p) => Some(LeadCodePattern::new(p).map_err(|e| IpcError {
            code: e.code(),
            params: e.params(),
            message: e.to_string(),
        })?),
    };
    save(
        &state,
        LEAD_CODE_PATTERN,
        compiled.as_ref().map(|p| p.as_str()),
    )?;
    get_lead_pattern(state).await
}

#[tauri::command]
pub async fn get_rate_table(state: State<'_, AppState>) -> Result<RateTable, IpcError> {
    state.with_profile_store(|s| s.rate_table())
}

/// Saves the agent's rate table; `null` restores the published rates.
#[tauri::command]
pub async fn set_rate_table(
    state: State<'_, AppState>,
    table: Option<RateTable>,
) -> Result<RateTable, IpcError> {
    if let Some(t) = &table {
        t.check()
            .map_err(|message| IpcError::new(ErrorCode::RateTableInvalid, message))?;
    }
    save(&state, RATE_TABLE, table.as_ref())?;
    state.with_profile_store(|s| s.rate_table())
}
