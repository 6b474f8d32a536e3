//! Changes about the account's health rather than a conversation: the
//! phone number's quality and messaging limit, the business account's own
//! events, and Meta moving a template to another category. Each is one
//! update per change, typed from the change's value plus the entry's `time`
//! (Meta's only timestamp on these fields).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;

/// `field: "phone_number_quality_update"`: the number was flagged for low
/// quality (or no longer is), or its messaging limit moved.
///
/// `event` is `FLAGGED`, `UNFLAGGED`, `DOWNGRADE`, `UPGRADE`, `ONBOARDING`,
/// `THROUGHPUT_UPGRADE`, …; kept as Meta spelled it. Meta announced that
/// `current_limit` / `old_limit` give way to
/// `max_daily_conversations_per_business` (the portfolio's limit), so all
/// three are read; [`Self::limit`] picks the one present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneQualityUpdate {
    #[serde(skip)]
    pub waba_id: String,
    /// `entry.time`: when Meta raised it (Unix seconds).
    #[serde(skip)]
    pub time: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub display_phone_number: Option<String>,
    pub event: String,
    /// `TIER_50`, `TIER_250`, `TIER_2K`, `TIER_10K`, `TIER_100K`,
    /// `TIER_UNLIMITED`, `TIER_NOT_SET`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub current_limit: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub old_limit: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub max_daily_conversations_per_business: Option<String>,
}

impl PhoneQualityUpdate {
    pub(crate) fn from_value(
        waba_id: String,
        time: Option<i64>,
        value: &Value,
    ) -> Result<Self, String> {
        let mut update = PhoneQualityUpdate::deserialize(value)
            .map_err(|e| format!("phone_number_quality_update: {e}"))?;
        update.waba_id = waba_id;
        update.time = time;
        Ok(update)
    }

    /// The messaging limit now in force, whichever field carried it.
    pub fn limit(&self) -> Option<&str> {
        self.max_daily_conversations_per_business
            .as_deref()
            .or(self.current_limit.as_deref())
            .filter(|l| !l.is_empty())
    }
}

/// `field: "account_update"`: something happened to the business account
/// (a policy violation, a ban or reinstatement, deletion, a partner, …).
/// Only what an inbox shows is typed; the relay keeps the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountUpdate {
    #[serde(skip)]
    pub waba_id: String,
    #[serde(skip)]
    pub time: Option<i64>,
    /// `ACCOUNT_VIOLATION`, `DISABLED_UPDATE`, `ACCOUNT_DELETED`,
    /// `PARTNER_ADDED`, …
    pub event: String,
    #[serde(default)]
    pub violation_info: Option<ViolationInfo>,
    #[serde(default)]
    pub ban_info: Option<BanInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViolationInfo {
    #[serde(default)]
    pub violation_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BanInfo {
    /// `DISABLE`, `REINSTATE`, `SCHEDULE_FOR_DISABLE`.
    #[serde(default)]
    pub waba_ban_state: Option<String>,
    #[serde(default)]
    pub waba_ban_date: Option<String>,
}

impl AccountUpdate {
    pub(crate) fn from_value(
        waba_id: String,
        time: Option<i64>,
        value: &Value,
    ) -> Result<Self, String> {
        let mut update =
            AccountUpdate::deserialize(value).map_err(|e| format!("account_update: {e}"))?;
        update.waba_id = waba_id;
        update.time = time;
        Ok(update)
    }

    /// What the event says in one word: the violation type or the ban state.
    pub fn detail(&self) -> Option<&str> {
        self.violation_info
            .as_ref()
            .and_then(|v| v.violation_type.as_deref())
            .or_else(|| {
                self.ban_info
                    .as_ref()
                    .and_then(|b| b.waba_ban_state.as_deref())
            })
    }
}

/// `field: "template_category_update"`: Meta will move a template to another
/// category in 24 hours (`correct_category` and `category_update_timestamp`
/// present, `new_category` is then still the current one), or has moved it
/// (`previous_category` → `new_category`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateCategoryUpdate {
    #[serde(skip)]
    pub waba_id: String,
    #[serde(skip)]
    pub time: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub message_template_id: Option<String>,
    #[serde(default)]
    pub message_template_name: Option<String>,
    #[serde(default)]
    pub message_template_language: Option<String>,
    #[serde(default)]
    pub previous_category: Option<String>,
    #[serde(default)]
    pub new_category: Option<String>,
    #[serde(default)]
    pub correct_category: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub category_update_timestamp: Option<i64>,
}

impl TemplateCategoryUpdate {
    pub(crate) fn from_value(
        waba_id: String,
        time: Option<i64>,
        value: &Value,
    ) -> Result<Self, String> {
        let mut update = TemplateCategoryUpdate::deserialize(value)
            .map_err(|e| format!("template_category_update: {e}"))?;
        update.waba_id = waba_id;
        update.time = time;
        Ok(update)
    }

    /// The change is announced, not done yet.
    pub fn is_impending(&self) -> bool {
        self.correct_category.is_some()
    }

    /// The category the template had before this change.
    pub fn from_category(&self) -> Option<&str> {
        if self.is_impending() {
            self.new_category.as_deref()
        } else {
            self.previous_category.as_deref()
        }
    }

    /// The category it has (or will have) after this change.
    pub fn to_category(&self) -> Option<&str> {
        if self.is_impending() {
            self.correct_category.as_deref()
        } else {
            self.new_category.as_deref()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Update, split};
    use serde_json::{Value, json};

    fn one(field: &str, time: i64, value: Value) -> Update {
        let body = json!({"object": "whatsapp_business_account", "entry": [{
            "id": "102290129340398", "time": time,
            "changes": [{"field": field, "value": value}]}]});
        let singles = split(body.to_string().as_bytes()).unwrap();
        assert_eq!(singles.len(), 1);
        singles[0].update()
    }

    #[test]
    fn meta_s_quality_samples_read_event_and_limit() {
        // Meta's reference sample.
        let Update::PhoneQuality(q) = one(
            "phone_number_quality_update",
            1_748_454_394,
            json!({"display_phone_number": "15550783881", "event": "THROUGHPUT_UPGRADE",
                   "current_limit": "TIER_UNLIMITED"}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(q.waba_id, "102290129340398");
        assert_eq!(q.time, Some(1_748_454_394));
        assert_eq!(q.display_phone_number.as_deref(), Some("15550783881"));
        assert_eq!(q.event, "THROUGHPUT_UPGRADE");
        assert_eq!(q.limit(), Some("TIER_UNLIMITED"));

        // The newer shape: the portfolio's limit wins over the old field.
        let Update::PhoneQuality(q) = one(
            "phone_number_quality_update",
            1_748_454_400,
            json!({"display_phone_number": 16505551111u64, "event": "DOWNGRADE",
                   "old_limit": "TIER_10K", "current_limit": "TIER_2K",
                   "max_daily_conversations_per_business": "TIER_2K"}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(q.display_phone_number.as_deref(), Some("16505551111"));
        assert_eq!(q.old_limit.as_deref(), Some("TIER_10K"));
        assert_eq!(q.limit(), Some("TIER_2K"));

        let Update::PhoneQuality(q) = one(
            "phone_number_quality_update",
            1,
            json!({"display_phone_number": "16505551111", "event": "FLAGGED", "current_limit": "TIER_10K"}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(q.event, "FLAGGED");
    }

    #[test]
    fn account_updates_name_the_violation_or_the_ban() {
        let Update::Account(a) = one(
            "account_update",
            1_743_451_903,
            json!({"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "ADULT"}}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(a.event, "ACCOUNT_VIOLATION");
        assert_eq!(a.detail(), Some("ADULT"));
        assert_eq!(a.time, Some(1_743_451_903));

        let Update::Account(a) = one(
            "account_update",
            1_743_451_903,
            json!({"event": "DISABLED_UPDATE",
                   "ban_info": {"waba_ban_state": "REINSTATE", "waba_ban_date": "April 17, 2025"}}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(a.detail(), Some("REINSTATE"));

        let Update::Account(a) = one("account_update", 1, json!({"event": "ACCOUNT_DELETED"}))
        else {
            panic!("not typed")
        };
        assert_eq!(a.detail(), None);
    }

    #[test]
    fn category_updates_tell_announced_from_done() {
        // Meta's two samples: announced for tomorrow, then done.
        let Update::TemplateCategory(c) = one(
            "template_category_update",
            1_746_082_800,
            json!({"message_template_id": 278077987957091u64, "message_template_name": "welcome_template",
                   "message_template_language": "en-US", "new_category": "UTILITY",
                   "correct_category": "MARKETING", "category_update_timestamp": 1_746_169_200}),
        ) else {
            panic!("not typed")
        };
        assert!(c.is_impending());
        assert_eq!(c.message_template_id.as_deref(), Some("278077987957091"));
        assert_eq!(c.from_category(), Some("UTILITY"));
        assert_eq!(c.to_category(), Some("MARKETING"));
        assert_eq!(c.category_update_timestamp, Some(1_746_169_200));

        let Update::TemplateCategory(c) = one(
            "template_category_update",
            1_746_169_200,
            json!({"message_template_id": 278077987957091u64, "message_template_name": "welcome_template",
                   "message_template_language": "en-US", "previous_category": "UTILITY",
                   "new_category": "MARKETING"}),
        ) else {
            panic!("not typed")
        };
        assert!(!c.is_impending());
        assert_eq!(c.from_category(), Some("UTILITY"));
        assert_eq!(c.to_category(), Some("MARKETING"));
    }

    #[test]
    fn template_status_reads_category_rejection_and_pause_details() {
        // Meta's rejected sample, and a pause with `other_info`.
        let Update::TemplateStatus(t) = one(
            "message_template_status_update",
            1_751_247_548,
            json!({"event": "REJECTED", "message_template_id": 1689556908129835u64,
                   "message_template_name": "abandoned_cart", "message_template_language": "en",
                   "reason": "INVALID_FORMAT", "message_template_category": "MARKETING",
                   "rejection_info": {
                       "reason": "Your template has parameters placed next to each other.",
                       "recommendation": "Separate parameters with descriptive text."}}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(t.time, Some(1_751_247_548));
        assert_eq!(t.reason.as_deref(), Some("INVALID_FORMAT"));
        assert_eq!(t.message_template_category.as_deref(), Some("MARKETING"));
        assert_eq!(
            t.detail(),
            Some("Your template has parameters placed next to each other.")
        );
        assert_eq!(
            t.recommendation(),
            Some("Separate parameters with descriptive text.")
        );

        let Update::TemplateStatus(t) = one(
            "message_template_status_update",
            1_751_247_600,
            json!({"event": "PAUSED", "message_template_id": 1, "message_template_name": "spring_sale",
                   "message_template_language": "en_US", "reason": "NONE",
                   "other_info": {"title": "FIRST_PAUSE",
                                  "description": "Your WhatsApp message template has been paused."}}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(t.reason(), None, "NONE is no reason");
        assert_eq!(t.title(), Some("FIRST_PAUSE"));
        assert_eq!(
            t.detail(),
            Some("Your WhatsApp message template has been paused.")
        );

        // Scheduled for deletion: Meta sends `reason: null`.
        let Update::TemplateStatus(t) = one(
            "message_template_status_update",
            2,
            json!({"event": "PENDING_DELETION", "message_template_id": 2,
                   "message_template_name": "old", "message_template_language": "es", "reason": null}),
        ) else {
            panic!("not typed")
        };
        assert_eq!(t.reason(), None);
    }

    #[test]
    fn two_equal_quality_events_at_different_times_keep_distinct_keys() {
        let body = |time: i64| {
            json!({"object": "whatsapp_business_account", "entry": [{
                "id": "1", "time": time, "changes": [{"field": "phone_number_quality_update",
                "value": {"display_phone_number": "1", "event": "FLAGGED", "current_limit": "TIER_1K"}}]}]})
            .to_string()
        };
        let a = split(body(10).as_bytes()).unwrap();
        let b = split(body(11).as_bytes()).unwrap();
        let again = split(body(10).as_bytes()).unwrap();
        assert_ne!(a[0].dedupe_key, b[0].dedupe_key);
        assert_eq!(a[0].dedupe_key, again[0].dedupe_key);
    }
}
