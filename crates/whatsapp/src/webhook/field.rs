//! Changes other than `messages`: template lifecycle and marketing
//! preferences. Each is one update per change, typed from the change's value.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Contact, Metadata, Timestamp, lenient};

/// `field: "message_template_status_update"`: a template was approved,
/// rejected, paused, disabled, …
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateStatusUpdate {
    #[serde(skip)]
    pub waba_id: String,
    /// `APPROVED`, `REJECTED`, `PAUSED`, `DISABLED`, `PENDING_DELETION`, …
    pub event: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message_template_id: Option<String>,
    #[serde(default)]
    pub message_template_name: Option<String>,
    #[serde(default)]
    pub message_template_language: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

impl TemplateStatusUpdate {
    pub(crate) fn from_value(waba_id: String, value: &Value) -> Result<Self, String> {
        let mut update = TemplateStatusUpdate::deserialize(value)
            .map_err(|e| format!("message_template_status_update: {e}"))?;
        update.waba_id = waba_id;
        Ok(update)
    }
}

/// `field: "user_preferences"`: customers who stopped or resumed marketing
/// messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPreferencesUpdate {
    #[serde(skip)]
    pub waba_id: String,
    #[serde(default)]
    pub metadata: Option<Metadata>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub user_preferences: Vec<UserPreference>,
}

impl UserPreferencesUpdate {
    pub(crate) fn from_value(waba_id: String, value: &Value) -> Result<Self, String> {
        let mut update = UserPreferencesUpdate::deserialize(value)
            .map_err(|e| format!("user_preferences: {e}"))?;
        update.waba_id = waba_id;
        Ok(update)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPreference {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub wa_id: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
    /// `marketing_messages`.
    #[serde(default)]
    pub category: Option<String>,
    /// `stop` or `resume`.
    pub value: String,
    #[serde(default)]
    pub timestamp: Option<Timestamp>,
}
