//! The number's health and the templates' lifecycle, changed through the
//! control API so the demo and tests can show what Meta does to an account:
//!
//! - `POST /_sim/account` with [`AccountChange`]: a new quality rating
//!   and/or messaging tier, and optionally an `account_update` event. The
//!   Graph API's phone-number object answers the new values at once, and the
//!   matching `phone_number_quality_update` webhook goes out: `FLAGGED` when
//!   the rating falls to `RED`, `UNFLAGGED` when it leaves `RED`, `DOWNGRADE`
//!   / `UPGRADE` (with `old_limit`, `current_limit` and
//!   `max_daily_conversations_per_business`) when the tier moves. Meta sends
//!   no webhook for a move between `GREEN` and `YELLOW`; neither does the
//!   simulator (the app sees it on its next Graph reading).
//! - `POST /_sim/template-status` with [`TemplateStatusChange`]: a
//!   template's new status (`PAUSED`, `REJECTED` with a reason, `DISABLED`,
//!   `APPROVED`, …) and/or category. The listing serves the new status and
//!   category, sends answer as Meta does for them (132015 paused, 132016
//!   disabled), and the `message_template_status_update` (and
//!   `template_category_update`) webhook goes out.
//!
//! Each answers an [`AccountReceipt`]. Entry `time`s strictly increase, so
//! two equal changes in one second stay two webhooks.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::envelope::Update;
use crate::state::{SimState, now_unix};
use hourglass_whatsapp::template::{TemplateCategory, TemplateStatus};

/// The quality ratings Meta reports.
const RATINGS: [&str; 4] = ["GREEN", "YELLOW", "RED", "UNKNOWN"];
/// Messaging-limit tiers, lowest first.
const TIERS: [&str; 7] = [
    "TIER_NOT_SET",
    "TIER_50",
    "TIER_250",
    "TIER_2K",
    "TIER_10K",
    "TIER_100K",
    "TIER_UNLIMITED",
];

/// The body of `POST /_sim/account`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    /// `GREEN`, `YELLOW`, `RED` or `UNKNOWN`.
    #[serde(default)]
    pub quality_rating: Option<String>,
    /// `TIER_250`, `TIER_2K`, `TIER_10K`, `TIER_100K`, `TIER_UNLIMITED`, …
    #[serde(default)]
    pub messaging_tier: Option<String>,
    /// An `account_update` event to send (`ACCOUNT_VIOLATION`, …).
    #[serde(default)]
    pub account_event: Option<String>,
    /// Its `violation_info.violation_type`.
    #[serde(default)]
    pub violation_type: Option<String>,
}

/// The body of `POST /_sim/template-status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateStatusChange {
    pub name: String,
    /// As the listing writes it (`en_US`).
    pub language: String,
    /// The new status (`PAUSED`, `REJECTED`, `DISABLED`, `APPROVED`, …).
    #[serde(default)]
    pub status: Option<String>,
    /// Meta's reason code (`INVALID_FORMAT`, …); `NONE` when absent.
    #[serde(default)]
    pub reason: Option<String>,
    /// Meta's words: `rejection_info.reason` for a rejection,
    /// `other_info.description` for a pause.
    #[serde(default)]
    pub description: Option<String>,
    /// The new category; sends `template_category_update`.
    #[serde(default)]
    pub category: Option<String>,
    /// With `category`: announce the change for tomorrow instead of making it.
    #[serde(default)]
    pub impending: bool,
}

/// What the control API answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountReceipt {
    pub quality_rating: String,
    pub messaging_tier: String,
    /// The webhooks queued, by field.
    pub webhooks: Vec<String>,
    /// Whether the relay answered 200 for all of them, when waited for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered: Option<bool>,
}

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("unknown quality rating {0:?}: use GREEN, YELLOW, RED or UNKNOWN")]
    Rating(String),
    #[error("unknown messaging tier {0:?}: use one of {TIERS:?}")]
    Tier(String),
    #[error("no template {0:?} in language {1:?}")]
    Template(String, String),
    #[error("unknown template status {0:?}")]
    Status(String),
    #[error("unknown template category {0:?}: use MARKETING, UTILITY or AUTHENTICATION")]
    Category(String),
    #[error("the simulator is shutting down")]
    ShuttingDown,
}

fn tier_rank(tier: &str) -> usize {
    TIERS.iter().position(|t| *t == tier).unwrap_or(0)
}

impl SimState {
    /// Applies `change` and queues the webhooks it makes; with `wait`,
    /// answers once the relay did.
    pub async fn change_account(
        &self,
        change: AccountChange,
        wait: bool,
    ) -> Result<AccountReceipt, AccountError> {
        if let Some(q) = &change.quality_rating
            && !RATINGS.contains(&q.as_str())
        {
            return Err(AccountError::Rating(q.clone()));
        }
        if let Some(t) = &change.messaging_tier
            && !TIERS.contains(&t.as_str())
        {
            return Err(AccountError::Tier(t.clone()));
        }
        let display = self.business.display_phone_number.clone();
        let (updates, state) = {
            let mut inner = self.lock();
            let account = &mut inner.account;
            let mut updates = Vec::new();
            if let Some(q) = change.quality_rating {
                let was_red = account.quality_rating == "RED";
                let event = match (was_red, q == "RED") {
                    (false, true) => Some("FLAGGED"),
                    (true, false) => Some("UNFLAGGED"),
                    _ => None,
                };
                account.quality_rating = q;
                if let Some(event) = event {
                    let value = json!({
                        "display_phone_number": display,
                        "event": event,
                        "current_limit": account.messaging_tier,
                    });
                    updates.push(quality_update(value, account.next_time()));
                }
            }
            if let Some(t) = change.messaging_tier
                && t != account.messaging_tier
            {
                let event = if tier_rank(&t) > tier_rank(&account.messaging_tier) {
                    "UPGRADE"
                } else {
                    "DOWNGRADE"
                };
                let value = json!({
                    "display_phone_number": display,
                    "event": event,
                    "old_limit": account.messaging_tier,
                    "current_limit": t,
                    "max_daily_conversations_per_business": t,
                });
                account.messaging_tier = t;
                updates.push(quality_update(value, account.next_time()));
            }
            if let Some(event) = change.account_event {
                let mut value = json!({ "event": event });
                if let Some(v) = change.violation_type {
                    value["violation_info"] = json!({ "violation_type": v });
                }
                updates.push(Update::Account {
                    field: "account_update",
                    value,
                    time: account.next_time(),
                });
            }
            (updates, account.clone())
        };
        let (webhooks, delivered) = self.send_account_updates(updates, wait).await?;
        Ok(AccountReceipt {
            quality_rating: state.quality_rating,
            messaging_tier: state.messaging_tier,
            webhooks,
            delivered,
        })
    }

    /// Changes a template's status and/or category and queues the webhooks.
    pub async fn change_template_status(
        &self,
        change: TemplateStatusChange,
        wait: bool,
    ) -> Result<AccountReceipt, AccountError> {
        let status = match &change.status {
            Some(s) => {
                let parsed: TemplateStatus = serde_json::from_value(json!(s))
                    .map_err(|_| AccountError::Status(s.clone()))?;
                if parsed == TemplateStatus::Unknown {
                    return Err(AccountError::Status(s.clone()));
                }
                Some(parsed)
            }
            None => None,
        };
        let category = match &change.category {
            Some(c) => {
                let parsed: TemplateCategory = serde_json::from_value(json!(c))
                    .map_err(|_| AccountError::Category(c.clone()))?;
                if parsed == TemplateCategory::Unknown {
                    return Err(AccountError::Category(c.clone()));
                }
                Some(parsed)
            }
            None => None,
        };
        let (updates, state) =
            {
                let mut inner = self.lock();
                let Some(entry) = inner.templates.iter_mut().find(|e| {
                    e.template.name == change.name && e.template.language == change.language
                }) else {
                    return Err(AccountError::Template(change.name, change.language));
                };
                let id = entry.template.id.clone();
                let old_category = entry.json["category"].clone();
                let mut pending = Vec::new();
                if let (Some(parsed), Some(s)) = (status, &change.status) {
                    entry.template.status = parsed;
                    entry.json["status"] = json!(s);
                    let mut value = json!({
                        "event": s,
                        "message_template_id": id.parse::<u64>().map_or(json!(id), |n| json!(n)),
                        "message_template_name": change.name,
                        "message_template_language": change.language,
                        "reason": change.reason.as_deref().unwrap_or("NONE"),
                        "message_template_category": old_category,
                    });
                    if let Some(d) = &change.description {
                        if s == "REJECTED" {
                            value["rejection_info"] = json!({ "reason": d });
                        } else {
                            let title = if s == "PAUSED" {
                                "FIRST_PAUSE"
                            } else {
                                s.as_str()
                            };
                            value["other_info"] = json!({ "title": title, "description": d });
                        }
                    }
                    pending.push(("message_template_status_update", value));
                }
                if let (Some(parsed), Some(c)) = (category, &change.category) {
                    let mut value = json!({
                        "message_template_id": id.parse::<u64>().map_or(json!(id), |n| json!(n)),
                        "message_template_name": change.name,
                        "message_template_language": change.language,
                    });
                    if change.impending {
                        value["new_category"] = old_category;
                        value["correct_category"] = json!(c);
                        value["category_update_timestamp"] = json!(now_unix() + 24 * 3600);
                    } else {
                        entry.template.category = parsed;
                        entry.json["category"] = json!(c);
                        value["previous_category"] = old_category;
                        value["new_category"] = json!(c);
                    }
                    pending.push(("template_category_update", value));
                }
                let account = &mut inner.account;
                let updates: Vec<Update> = pending
                    .into_iter()
                    .map(|(field, value)| Update::Account {
                        field,
                        value,
                        time: account.next_time(),
                    })
                    .collect();
                (updates, account.clone())
            };
        let (webhooks, delivered) = self.send_account_updates(updates, wait).await?;
        Ok(AccountReceipt {
            quality_rating: state.quality_rating,
            messaging_tier: state.messaging_tier,
            webhooks,
            delivered,
        })
    }

    async fn send_account_updates(
        &self,
        updates: Vec<Update>,
        wait: bool,
    ) -> Result<(Vec<String>, Option<bool>), AccountError> {
        let mut webhooks = Vec::new();
        let mut acks = Vec::new();
        for update in updates {
            if let Update::Account { field, .. } = &update {
                webhooks.push((*field).to_owned());
            }
            let (tx, rx) = if wait {
                let (tx, rx) = oneshot::channel();
                (Some(tx), Some(rx))
            } else {
                (None, None)
            };
            if !self.enqueue(update, tx).await {
                return Err(AccountError::ShuttingDown);
            }
            acks.extend(rx);
        }
        if !wait {
            return Ok((webhooks, None));
        }
        let mut all = true;
        for rx in acks {
            all &= rx.await.unwrap_or(false);
        }
        Ok((webhooks, Some(all)))
    }
}

fn quality_update(value: Value, time: i64) -> Update {
    Update::Account {
        field: "phone_number_quality_update",
        value,
        time,
    }
}
