//! Commands behind New conversation: the default country numbers are read
//! in, checking a typed number, finding a contact, and sending the first
//! template. The rules are the core's (`hourglass_core::outreach`).

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::outreach::{self, NumberCheck, Started};
use hourglass_core::phone;
use hourglass_core::problem::ErrorCode;
use hourglass_core::search::SearchHit;
use hourglass_core::templates::{TemplateKey, TemplateValue};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// The profile setting holding the agent's default country (ISO 3166).
pub const DEFAULT_COUNTRY_KEY: &str = "default_country";

/// One country numbers can be read in.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PhoneCountry {
    /// ISO 3166 code, e.g. `ES`.
    pub code: String,
    /// The international calling code, e.g. 34.
    pub calling_code: u16,
}

/// The default country: the agent's choice, else the system's region.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DefaultCountry {
    pub chosen: Option<String>,
    /// The system locale's region, used when nothing is chosen.
    pub system: Option<String>,
    pub countries: Vec<PhoneCountry>,
}

fn system_country() -> Option<String> {
    sys_locale::get_locale().and_then(|tag| phone::country_of_locale(&tag))
}

fn chosen_country(state: &AppState) -> Result<Option<String>, IpcError> {
    let chosen: Option<String> = state.with_profile_store(|s| s.setting(DEFAULT_COUNTRY_KEY))?;
    Ok(chosen.filter(|c| phone::is_country(c)))
}

/// The country a number without `+` is read in, if any.
fn effective_country(state: &AppState) -> Result<Option<String>, IpcError> {
    Ok(chosen_country(state)?.or_else(system_country))
}

/// The business number new conversations run on.
fn phone_number_id(state: &AppState) -> Result<String, IpcError> {
    state
        .graph()
        .map(|g| g.config().phone_number_id.clone())
        .ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotConnected,
                "Connect a WhatsApp number (or try the demo) to start a conversation.",
            )
        })
}

#[tauri::command]
pub async fn get_default_country(state: State<'_, AppState>) -> Result<DefaultCountry, IpcError> {
    Ok(DefaultCountry {
        chosen: chosen_country(&state)?,
        system: system_country(),
        countries: phone::countries()
            .into_iter()
            .map(|(code, calling_code)| PhoneCountry { code, calling_code })
            .collect(),
    })
}

/// Sets the default country; `null` follows the system again.
#[tauri::command]
pub async fn set_default_country(
    state: State<'_, AppState>,
    country: Option<String>,
) -> Result<DefaultCountry, IpcError> {
    let country = country.map(|c| c.trim().to_ascii_uppercase());
    if let Some(c) = &country
        && !phone::is_country(c)
    {
        return Err(IpcError::with_detail(
            ErrorCode::UnknownCountry,
            c,
            format!("\"{c}\" is not a country Hourglass can read numbers in."),
        ));
    }
    state.with_profile_store(|s| match &country {
        Some(c) => s.set_setting(DEFAULT_COUNTRY_KEY, c),
        None => s.remove_setting(DEFAULT_COUNTRY_KEY),
    })?;
    get_default_country(state).await
}

#[tauri::command]
pub async fn check_new_number(
    state: State<'_, AppState>,
    input: String,
) -> Result<NumberCheck, IpcError> {
    let country = effective_country(&state)?;
    let number = phone_number_id(&state)?;
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
    let country = effective_country(&state)?;
    let business = phone_number_id(&state)?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let started = state.with_store(|s| {
        outreach::start(
            s,
            &number,
            country.as_deref(),
            &business,
            &key,
            &values,
            now_ms,
        )
    })?;
    state.wake_outbox();
    Ok(started)
}
