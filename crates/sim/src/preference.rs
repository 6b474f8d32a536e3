//! A customer stopping or resuming marketing messages: the
//! `user_preferences` webhook, sent through `POST /_sim/inbound` with
//! `{"from": "+34…", "user_preference": "stop" | "resume"}`.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::oneshot;

use crate::customer::unix_seconds;
use crate::envelope::{Contact, Update};
use crate::recipient::Recipient;
use crate::state::{InboundError, InboundReceipt, SimState, now_unix};

/// What the customer chose in WhatsApp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarketingPreference {
    Stop,
    Resume,
}

/// The control API's body for a preference change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreferenceChange {
    /// The customer's number, E.164 with or without `+`.
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Unix seconds; now when absent.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "unix_seconds"
    )]
    pub timestamp: Option<i64>,
    pub user_preference: MarketingPreference,
}

impl SimState {
    /// Queues the `user_preferences` webhook; with `wait`, answers once the
    /// relay did. The receipt's `id` is empty: no message was sent.
    pub async fn prefer(
        &self,
        change: PreferenceChange,
        wait: bool,
    ) -> Result<InboundReceipt, InboundError> {
        if self.is_shutting_down() {
            return Err(InboundError::ShuttingDown);
        }
        let recipient = Recipient::parse(&change.from)
            .ok_or_else(|| InboundError::BadNumber(change.from.clone()))?;
        let timestamp = change.timestamp.unwrap_or_else(now_unix);
        let contact = {
            let mut inner = self.lock();
            let customer = inner.customer(&recipient, change.name.as_deref());
            Contact {
                name: customer.name.clone(),
                wa_id: customer.wa_id.clone(),
                user_id: customer.user_id.clone(),
                username: customer.username.clone(),
                ..Contact::default()
            }
        };
        let user_id = contact.user_id.clone();
        let (value, detail) = match change.user_preference {
            MarketingPreference::Stop => ("stop", "User requested to stop marketing messages"),
            MarketingPreference::Resume => {
                ("resume", "User requested to resume marketing messages")
            }
        };
        let preference = json!({
            "wa_id": recipient.wa_id,
            "detail": detail,
            "category": "marketing_messages",
            "value": value,
            "timestamp": timestamp,
        });
        let (tx, rx) = if wait {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        if !self
            .enqueue(
                Update::Preference {
                    contact,
                    preference,
                },
                tx,
            )
            .await
        {
            return Err(InboundError::ShuttingDown);
        }
        let delivered = match rx {
            Some(rx) => Some(rx.await.unwrap_or(false)),
            None => None,
        };
        Ok(InboundReceipt {
            id: String::new(),
            user_id,
            wa_id: recipient.wa_id,
            timestamp,
            media_id: None,
            delivered,
        })
    }
}
