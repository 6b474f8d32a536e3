//! Commands behind New conversation; the rules are `hourglass_core::outreach`.

use crate::{error::IpcError, state::AppState};
use hourglass_core::outreach::{self, DefaultCountry, NumberCheck, Started};
use hourglass_core::search::SearchHit;
use hourglass_core::templates::{TemplateKey, TemplateValue};
use tauri::State;

/// The agent's country, then the session's business number.
fn country_and_number(state: &AppState) -> Result<(Option<String>, String), IpcError> {
    let country =
        state.with_profile_store(|s| outreach::effective_country(s, sys_locale::get_locale()))?;
    let graph = state.graph();
    Ok((country, outreach::business_number(graph.as_deref())?))
}

#[tauri::command]
pub async fn get_default_country(state: State<'_, AppState>) -> Result<DefaultCountry, IpcError> {
    state.with_profile_store(|s| outreach::default_country(s, sys_locale::get_locale()))
}

/// Sets the default country; `null` follows the system again.
#[tauri::command]
pub async fn set_default_country(
    state: State<'_, AppState>,
    country: Option<String>,
) -> Result<DefaultCountry, IpcError> {
    state.with_profile_store(|s| {
        outreach::set_default_country(s, country.as_deref(), sys_locale::get_locale())
    })
}

#[tauri::command]
pub async fn check_new_number(
    state: State<'_, AppState>,
    input: String,
) -> Result<NumberCheck, IpcError> {
    let (country, number) = country_and_number(&state)?;
    state.with_store(|s| outreach::check(s, &input, country.as_deref(), &number))
}

#[tauri::command]
pub async fn find_contacts(
    state: State<'_, AppState>,
    query: String,
) -> Result<Vec<SearchHit>, IpcError> {
    state.with_store(|s| outreach::find_contacts(s, &query))
}

#[tauri::command]
pub async fn start_conversation(
    state: State<'_, AppState>,
    number: String,
    key: TemplateKey,
    values: Vec<TemplateValue>,
) -> Result<Started, IpcError> {
    let (country, business) = country_and_number(&state)?;
    let now = chrono::Utc::now().timestamp_millis();
    let started = state.with_store(|s| {
        outreach::start(
            s,
            &number,
            country.as_deref(),
            &business,
            &key,
            &values,
            now,
        )
    })?;
    state.wake_outbox();
    Ok(started)
}
