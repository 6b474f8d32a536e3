//! Calls and Meta's business AI agent, as the simulator plays them.
//!
//! `POST /_sim/inbound` takes, beside a message:
//! - `{"from": "+34…", "call": {"duration": 95}}`: the customer called and
//!   someone answered for 95 s; `"call": {}` (or `{"missed": true}`) is a
//!   call nobody answered. Two webhooks go out, as from Meta: `connect`,
//!   then `terminate` with its status and duration. The call opens the
//!   customer's service window, as a message does.
//! - `{"from": "+34…", "standby": "Do you ship to Spain?"}`: a text the
//!   customer sent while Meta's AI agent answers them, on the `standby`
//!   field, and the agent's reply echoed there (`message_echoes`). The
//!   conversation is the AI agent's from then on.
//! - `{"from": "+34…", "handover": "app"}` (or `"ai_agent"`): a
//!   `messaging_handovers` event passing the conversation to that owner.
//! - `echo`, `history` and `address_book`: the WhatsApp Business app on the
//!   business's phone (see [`crate::coexistence`]).
//!
//! `POST /{version}/{phone-number-id}/thread_control` with
//! `{"messaging_product":"whatsapp","to":…,"action":"take"}` takes the
//! conversation from the AI agent for the app; it is recorded with the other
//! accepted requests (`GET /_sim/sent`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use hourglass_whatsapp::send::MESSAGING_PRODUCT;
use hourglass_whatsapp::thread_control::{ThreadAction, ThreadControl};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::oneshot;

use crate::coexistence::{
    AddressBookAction, HistoryItem, address_book_update, echo_update, history_update,
};
use crate::customer::Inbound;
use crate::envelope::{Contact, Update};
use crate::graph::{authorize, check_version, error_response, invalid, record, unknown_object};
use crate::ids;
use crate::recipient::Recipient;
use crate::state::{InboundError, InboundReceipt, MessageRecord, SimState, now_unix};

/// What the simulated AI agent answers a customer who writes on `standby`.
const AI_REPLY: &str =
    "Thanks for your message! I'm the shop's assistant: let me check that for you.";

/// Who the customer's thread is handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    AiAgent,
    App,
}

/// A call, as `POST /_sim/inbound` takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CallSpec {
    /// Nobody answered (also when `duration` is absent or 0).
    #[serde(default)]
    pub missed: bool,
    /// Seconds the answered call lasted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
}

impl CallSpec {
    fn answered_for(&self) -> Option<i64> {
        self.duration.filter(|d| *d > 0 && !self.missed)
    }
}

/// What the customer did, beside writing a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Routed {
    Call(CallSpec),
    /// A text handled by Meta's AI agent.
    Standby(String),
    Handover(Owner),
    /// A text the business sent from the WhatsApp Business app.
    Echo(String),
    /// The WhatsApp Business app's chat history with the customer.
    History(Vec<HistoryItem>),
    /// The business saved, edited or removed the customer in the app's
    /// address book (named `name`).
    AddressBook(AddressBookAction),
}

/// `{from, name?, timestamp?, call | standby | handover | echo | history | address_book}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutedInbound {
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    #[serde(flatten)]
    pub what: Routed,
}

/// Any body of `POST /_sim/inbound`.
#[derive(Debug, Clone, PartialEq)]
pub enum InboundRequest {
    Message(Box<Inbound>),
    Routed(RoutedInbound),
}

impl InboundRequest {
    /// Reads a body: one with `call`, `standby` or `handover` is routed, any
    /// other a message; the error names what is wrong in the form it took.
    pub fn from_slice(body: &[u8]) -> Result<Self, serde_json::Error> {
        let value: Value = serde_json::from_slice(body)?;
        let routed = [
            "call",
            "standby",
            "handover",
            "echo",
            "history",
            "address_book",
        ]
        .iter()
        .any(|k| value.get(k).is_some());
        if routed {
            serde_json::from_value(value).map(Self::Routed)
        } else {
            serde_json::from_value(value).map(|m| Self::Message(Box::new(m)))
        }
    }
}

impl SimState {
    /// A call, a standby message or a handover: queues its webhooks.
    pub async fn receive_routed(
        &self,
        inbound: RoutedInbound,
        wait: bool,
    ) -> Result<InboundReceipt, InboundError> {
        if self.is_shutting_down() {
            return Err(InboundError::ShuttingDown);
        }
        let recipient = Recipient::parse(&inbound.from)
            .ok_or_else(|| InboundError::BadNumber(inbound.from.clone()))?;
        let timestamp = inbound.timestamp.unwrap_or_else(now_unix);
        let (updates, receipt) = {
            let mut inner = self.lock();
            let customer = inner.customer(&recipient, inbound.name.as_deref());
            let contact = Contact {
                name: customer.name.clone(),
                wa_id: customer.wa_id.clone(),
                user_id: customer.user_id.clone(),
                username: customer.username.clone(),
                ..Contact::default()
            };
            let user_id = contact.user_id.clone();
            let opens_window = matches!(inbound.what, Routed::Call(_) | Routed::Standby(_));
            if opens_window {
                customer.last_inbound = Some(
                    customer
                        .last_inbound
                        .map_or(timestamp, |t| t.max(timestamp)),
                );
            }
            let (id, updates) = match &inbound.what {
                Routed::Call(spec) => {
                    let id = call_id(&mut inner.rng);
                    let business = &self.business.display_phone_number;
                    let updates = call_updates(&id, business, &contact, spec, timestamp);
                    (id, updates)
                }
                Routed::Standby(text) => {
                    let id = ids::wamid(&mut inner.rng, &contact.wa_id);
                    inner.ai_owned.insert(contact.wa_id.clone());
                    let message = json!({
                        "from": contact.wa_id, "from_user_id": contact.user_id, "id": id,
                        "timestamp": timestamp.to_string(), "type": "text",
                        "text": {"body": text},
                    });
                    let reply_id = ids::wamid(&mut inner.rng, &contact.wa_id);
                    let echo = json!({
                        "from": self.business.display_phone_number, "to": contact.wa_id,
                        "id": reply_id, "timestamp": timestamp.to_string(), "type": "text",
                        "text": {"body": AI_REPLY},
                    });
                    (
                        id,
                        vec![
                            Update::Standby { contact, message },
                            Update::StandbyEcho(echo),
                        ],
                    )
                }
                Routed::Echo(text) => {
                    let business = &self.business.display_phone_number;
                    let (id, update) =
                        echo_update(&mut inner.rng, business, &contact, text, timestamp);
                    (id, vec![update])
                }
                Routed::History(items) => {
                    let business = &self.business.display_phone_number;
                    let history =
                        history_update(&mut inner.rng, business, &contact, items, timestamp);
                    // Its messages are this number's: a read receipt for
                    // the customer's is accepted.
                    for (id, inbound) in history.ids {
                        let record = MessageRecord {
                            wa_id: contact.wa_id.clone(),
                            inbound,
                        };
                        inner.remember_message(&id, record);
                    }
                    // The customer's messages in the app count for the window.
                    if let Some(at) = history.customer_at {
                        let customer = inner.customer(&recipient, None);
                        customer.last_inbound =
                            Some(customer.last_inbound.map_or(at, |t| t.max(at)));
                    }
                    (String::new(), vec![history.update])
                }
                Routed::AddressBook(action) => (
                    String::new(),
                    vec![address_book_update(
                        &contact,
                        inbound.name.as_deref(),
                        *action,
                        timestamp,
                    )],
                ),
                Routed::Handover(owner) => {
                    match owner {
                        Owner::AiAgent => inner.ai_owned.insert(contact.wa_id.clone()),
                        Owner::App => inner.ai_owned.remove(&contact.wa_id),
                    };
                    (
                        String::new(),
                        vec![handover_update(&contact, *owner, timestamp)],
                    )
                }
            };
            let receipt = InboundReceipt {
                id,
                wa_id: recipient.wa_id.clone(),
                user_id,
                timestamp,
                media_id: None,
                delivered: None,
            };
            (updates, receipt)
        };
        let mut receipt = receipt;
        let mut delivered = true;
        for update in updates {
            let (tx, rx) = if wait {
                let (tx, rx) = oneshot::channel();
                (Some(tx), Some(rx))
            } else {
                (None, None)
            };
            if !self.enqueue(update, tx).await {
                return Err(InboundError::ShuttingDown);
            }
            if let Some(rx) = rx {
                delivered &= rx.await.unwrap_or(false);
            }
        }
        if wait {
            receipt.delivered = Some(delivered);
        }
        Ok(receipt)
    }
}

fn call_id(rng: &mut impl Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let tail: String = (0..32)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("wacid.{tail}")
}

/// The `connect` and `terminate` webhooks of a customer's call, shaped as
/// Meta's Calling API sends them.
fn call_updates(
    id: &str,
    business: &str,
    contact: &Contact,
    spec: &CallSpec,
    at: i64,
) -> Vec<Update> {
    let item = |event: &str, extra: Value| {
        let mut call = json!({
            "id": id, "from": contact.wa_id, "to": business, "event": event,
            "direction": "USER_INITIATED", "timestamp": at.to_string(),
        });
        if let (Some(call), Some(extra)) = (call.as_object_mut(), extra.as_object()) {
            call.extend(extra.clone());
        }
        Update::Call {
            contact: contact.clone(),
            call,
        }
    };
    let connect = item(
        "connect",
        json!({"session": {"sdp_type": "offer", "sdp": "v=0"}}),
    );
    let terminate = match spec.answered_for() {
        Some(d) => item(
            "terminate",
            json!({"status": "COMPLETED", "start_time": at.to_string(),
                   "end_time": (at + d).to_string(), "duration": d}),
        ),
        None => item("terminate", json!({"status": "FAILED"})),
    };
    vec![connect, terminate]
}

fn handover_update(contact: &Contact, owner: Owner, at: i64) -> Update {
    let (kind, previous, new) = match owner {
        Owner::App => ("control_passed", "ai_agent", "app"),
        Owner::AiAgent => ("control_taken", "app", "ai_agent"),
    };
    let mut value = json!({
        "contacts": [{"profile": {"name": contact.name}, "wa_id": contact.wa_id}],
        "type": kind,
    });
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            kind.to_owned(),
            json!({
                "wa_id": contact.wa_id,
                "timestamp": at.to_string(),
                "previous_owner": {"role": previous},
                "new_owner": {"role": new},
            }),
        );
    }
    Update::Handover(value)
}

/// `POST /{version}/{phone-number-id}/thread_control`.
pub(crate) async fn thread_control(
    State(state): State<Arc<SimState>>,
    Path((version, phone_number_id)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = (|| {
        authorize(&state, &headers, query.get("access_token"))?;
        check_version(&version)?;
        if phone_number_id != state.config.phone_number_id {
            return Err(unknown_object("post", &phone_number_id));
        }
        let request: ThreadControl =
            serde_json::from_slice(&body).map_err(|e| invalid(e.to_string()))?;
        if request.messaging_product != MESSAGING_PRODUCT {
            return Err(invalid(format!(
                "Param messaging_product must be one of {{WHATSAPP}} - got \"{}\".",
                request.messaging_product
            )));
        }
        let customer = request
            .customer()
            .ok_or_else(|| invalid("Param to is required."))?
            .trim_start_matches('+')
            .to_owned();
        let mut inner = state.lock();
        let known = inner
            .customers
            .values()
            .any(|c| c.wa_id == customer || c.user_id == customer);
        if !known {
            return Err(invalid(format!(
                "There is no conversation with {customer} to hand over."
            )));
        }
        let wa_id = inner
            .customers
            .values()
            .find(|c| c.wa_id == customer || c.user_id == customer)
            .map(|c| c.wa_id.clone())
            .unwrap_or_default();
        match request.action {
            ThreadAction::Take => inner.ai_owned.remove(&wa_id),
            ThreadAction::Release | ThreadAction::Pass => inner.ai_owned.insert(wa_id),
        };
        serde_json::from_slice::<Box<serde_json::value::RawValue>>(&body)
            .map_err(|e| invalid(e.to_string()))
    })();
    match answer {
        Ok(raw) => {
            record(
                &state,
                format!("/{version}/{phone_number_id}/thread_control"),
                None,
                raw,
            );
            Json(json!({"messaging_product": "whatsapp", "success": true})).into_response()
        }
        Err(e) => error_response(&state, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inbound_bodies_are_told_apart() {
        let call =
            InboundRequest::from_slice(br#"{"from": "+34612345678", "call": {"duration": 95}}"#)
                .unwrap();
        let InboundRequest::Routed(r) = call else {
            panic!("a call is routed");
        };
        assert_eq!(
            r.what,
            Routed::Call(CallSpec {
                missed: false,
                duration: Some(95)
            })
        );
        let missed =
            InboundRequest::from_slice(br#"{"from": "+34612345678", "call": {}}"#).unwrap();
        let InboundRequest::Routed(RoutedInbound {
            what: Routed::Call(spec),
            ..
        }) = missed
        else {
            panic!("a call is routed");
        };
        assert_eq!(spec.answered_for(), None);
        let standby = InboundRequest::from_slice(br#"{"from": "1", "standby": "Hola"}"#).unwrap();
        assert!(matches!(
            standby,
            InboundRequest::Routed(RoutedInbound { what: Routed::Standby(t), .. }) if t == "Hola"
        ));
        let handover = InboundRequest::from_slice(br#"{"from": "1", "handover": "app"}"#).unwrap();
        assert!(matches!(
            handover,
            InboundRequest::Routed(RoutedInbound {
                what: Routed::Handover(Owner::App),
                ..
            })
        ));
        assert!(InboundRequest::from_slice(br#"{"from": "1", "handover": "someone"}"#).is_err());
        assert!(matches!(
            InboundRequest::from_slice(br#"{"from": "1", "text": "hi"}"#).unwrap(),
            InboundRequest::Message(_)
        ));
    }

    #[test]
    fn a_call_goes_out_as_connect_then_terminate() {
        let contact = Contact {
            name: "Ana".into(),
            wa_id: "34612345678".into(),
            user_id: "ES.1".into(),
            ..Contact::default()
        };
        let spec = CallSpec {
            missed: false,
            duration: Some(95),
        };
        let updates = call_updates("wacid.X", "15550783881", &contact, &spec, 1_750_000_000);
        let calls: Vec<&Value> = updates
            .iter()
            .map(|u| match u {
                Update::Call { call, .. } => call,
                _ => panic!("calls only"),
            })
            .collect();
        assert_eq!(calls[0]["event"], "connect");
        assert_eq!(calls[1]["event"], "terminate");
        assert_eq!(calls[1]["duration"], 95);
        assert_eq!(calls[1]["status"], "COMPLETED");
        let missed = call_updates("wacid.Y", "15550783881", &contact, &CallSpec::default(), 1);
        let Update::Call { call, .. } = &missed[1] else {
            panic!("a call");
        };
        assert_eq!(call["status"], "FAILED");
        assert!(call.get("duration").is_none());
    }
}
