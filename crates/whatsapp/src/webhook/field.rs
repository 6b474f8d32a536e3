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
    /// `INVALID_FORMAT`, `INCORRECT_CATEGORY`, `PROMOTIONAL`, …; `NONE` or
    /// null when there is none (see [`Self::reason`]).
    #[serde(default)]
    pub reason: Option<String>,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`.
    #[serde(default)]
    pub message_template_category: Option<String>,
    /// Meta's explanation of a rejection.
    #[serde(default)]
    pub rejection_info: Option<RejectionInfo>,
    /// A pause, unpause, lock or unlock: `title` (`FIRST_PAUSE`, …) and
    /// `description`.
    #[serde(default)]
    pub other_info: Option<OtherInfo>,
    /// `entry.time`: when Meta raised it (Unix seconds).
    #[serde(skip)]
    pub time: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionInfo {
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub recommendation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherInfo {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

impl TemplateStatusUpdate {
    pub(crate) fn from_value(
        waba_id: String,
        time: Option<i64>,
        value: &Value,
    ) -> Result<Self, String> {
        let mut update = TemplateStatusUpdate::deserialize(value)
            .map_err(|e| format!("message_template_status_update: {e}"))?;
        update.waba_id = waba_id;
        update.time = time;
        Ok(update)
    }

    /// Meta's reason code, unless it says there is none (`NONE`, empty).
    pub fn reason(&self) -> Option<&str> {
        self.reason
            .as_deref()
            .filter(|r| !r.is_empty() && !r.eq_ignore_ascii_case("NONE"))
    }

    /// Meta's words: why it was rejected, or what the pause means.
    pub fn detail(&self) -> Option<&str> {
        self.rejection_info
            .as_ref()
            .and_then(|r| r.reason.as_deref())
            .or_else(|| {
                self.other_info
                    .as_ref()
                    .and_then(|o| o.description.as_deref())
            })
            .filter(|d| !d.is_empty())
    }

    /// What Meta recommends changing after a rejection.
    pub fn recommendation(&self) -> Option<&str> {
        self.rejection_info
            .as_ref()
            .and_then(|r| r.recommendation.as_deref())
            .filter(|d| !d.is_empty())
    }

    /// The pause's title: `FIRST_PAUSE`, `SECOND_PAUSE`, `UNPAUSE`, …
    pub fn title(&self) -> Option<&str> {
        self.other_info.as_ref().and_then(|o| o.title.as_deref())
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
