//! `POST /{phone-number-id}/thread_control`: under Meta's conversation
//! routing, takes a conversation from Meta's business AI agent (`take`),
//! gives it back (`release`), or passes it on (`pass`).
//!
//! `{"messaging_product":"whatsapp","to":"16505551234","action":"take"}`;
//! a customer known only by their business-scoped user id is named with
//! `recipient` instead of `to`. Meta answers 2xx on success; a take that is
//! not allowed is refused with a Graph error.

use serde::{Deserialize, Serialize};

use crate::send::MESSAGING_PRODUCT;

/// What to do with the thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadAction {
    /// This app answers from now on.
    Take,
    /// Back to Meta's AI agent as the automatic responder.
    Release,
    /// To the AI agent or the escalation partner.
    Pass,
}

/// The request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreadControl {
    pub messaging_product: String,
    /// The customer's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The customer's business-scoped user id, for a username-only customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    pub action: ThreadAction,
    /// Passed on to the new owner in its `messaging_handovers` webhook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

impl ThreadControl {
    /// Takes the thread of the customer at `to` (a number without `+`).
    pub fn take(to: impl Into<String>) -> Self {
        ThreadControl {
            messaging_product: MESSAGING_PRODUCT.to_owned(),
            to: Some(to.into()),
            recipient: None,
            action: ThreadAction::Take,
            metadata: None,
        }
    }

    /// Takes the thread of a customer known only by their user id.
    pub fn take_user(user_id: impl Into<String>) -> Self {
        ThreadControl {
            to: None,
            recipient: Some(user_id.into()),
            ..Self::take("")
        }
    }

    /// Who the request names: the number, else the user id.
    pub fn customer(&self) -> Option<&str> {
        self.to
            .as_deref()
            .or(self.recipient.as_deref())
            .filter(|c| !c.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn take_serialises_to_meta_s_form_and_reads_back() {
        let take = ThreadControl::take("16505551234");
        assert_eq!(
            serde_json::to_value(&take).unwrap(),
            json!({"messaging_product": "whatsapp", "to": "16505551234", "action": "take"})
        );
        let back: ThreadControl = serde_json::from_value(json!(
            {"messaging_product": "whatsapp", "recipient": "US.13491208655302741918", "action": "take"}
        ))
        .unwrap();
        assert_eq!(back, ThreadControl::take_user("US.13491208655302741918"));
        assert_eq!(back.customer(), Some("US.13491208655302741918"));
        assert!(
            serde_json::from_value::<ThreadControl>(json!(
                {"messaging_product": "whatsapp", "to": "1", "action": "steal"}
            ))
            .is_err()
        );
    }
}
