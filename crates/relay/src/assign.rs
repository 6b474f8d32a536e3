//! Automatic assignment (`serve --auto-assign round-robin`): the relay
//! assigns each new conversation to the next agent online, as a typed
//! [`AgentEvent::Assign`] team event in its own log, so every desktop
//! applies it like an assignment an agent made.
//!
//! Decisions:
//! - A conversation is new at the first inbound message of a customer on a
//!   business number that the log has never seen, and only when nobody
//!   assigned it already (an agent who wrote first, say). Conversations and
//!   assignments are read from the log when the relay starts, then followed
//!   as this relay appends them.
//! - Online means holding the live stream open on this relay right now.
//!   Agents take turns in name order, each after the one assigned last; a
//!   conversation that arrives while nobody is online stays unassigned.
//! - The event's dedupe key names the conversation, so a retried webhook or
//!   a second relay on the same PostgreSQL log never assigns it twice: the
//!   first assignment in the log stands.
//! - The event has no author: no agent made it, and a desktop then words
//!   its "assigned to you" notification without a colleague's name. Its
//!   dedupe key starts with [`DEDUPE_PREFIX`].

use std::collections::HashSet;
use std::sync::Mutex;

use hourglass_protocol::EventKind;
use hourglass_protocol::team::AgentEvent;
use hourglass_whatsapp::webhook::{self as wire, Update};

use crate::AppState;
use crate::store::{Appended, EventStore, NewEvent, StoreError, StoredEvent};

/// How the dedupe keys of the relay's own assignments begin.
pub const DEDUPE_PREFIX: &str = "auto-assign:";

/// How the relay assigns new conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoAssign {
    /// To the next agent online, in turn.
    RoundRobin,
}

impl std::str::FromStr for AutoAssign {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "round-robin" => Ok(AutoAssign::RoundRobin),
            other => Err(format!(
                "unknown assignment rule \"{other}\"; the one rule is round-robin"
            )),
        }
    }
}

/// A conversation as team events name it.
type Conversation = (String, String);

/// What round-robin remembers.
#[derive(Debug, Default)]
pub struct RoundRobin {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// Conversations with an inbound message or an assignment in the log.
    seen: HashSet<Conversation>,
    /// The agent assigned last, so the next turn is the one after.
    last: Option<String>,
}

impl RoundRobin {
    /// Reads every conversation and assignment already in the log.
    pub fn load(store: &dyn EventStore) -> Result<RoundRobin, StoreError> {
        let rr = RoundRobin::default();
        let mut after = 0;
        loop {
            let page = store.page(after, hourglass_protocol::MAX_PAGE)?;
            for event in &page.events {
                if let Some(conversation) = conversation_of(event) {
                    rr.seen(conversation);
                }
                after = event.seq;
            }
            if !page.has_more || page.events.is_empty() {
                return Ok(rr);
            }
        }
    }

    fn seen(&self, conversation: Conversation) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.seen.insert(conversation)
    }

    /// The next agent after the last one assigned, among `online`.
    fn next(&self, online: &[String]) -> Option<String> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut names: Vec<&String> = online.iter().collect();
        names.sort();
        names.dedup();
        let pick = match &state.last {
            Some(last) => names
                .iter()
                .find(|n| n.as_str() > last.as_str())
                .or(names.first()),
            None => names.first(),
        }
        .map(|n| (*n).clone())?;
        state.last = Some(pick.clone());
        Some(pick)
    }

    /// The assignments to append for freshly appended `events`: one per
    /// conversation seen for the first time, to the agents in `online`.
    pub fn assignments(
        &self,
        events: &[NewEvent],
        appended: &[Appended],
        online: &[String],
    ) -> Vec<NewEvent> {
        let mut out = Vec::new();
        for (event, result) in events.iter().zip(appended) {
            if !matches!(result, Appended::New(_)) || event.kind != EventKind::Webhook {
                continue;
            }
            let Some((customer, number)) = inbound_conversation(&event.payload) else {
                continue;
            };
            if !self.seen((customer.clone(), number.clone())) {
                continue;
            }
            let Some(agent) = self.next(online) else {
                tracing::info!(%number, "a new conversation and no agent online to assign it to");
                continue;
            };
            let assign = AgentEvent::Assign {
                customer: customer.clone(),
                phone_number_id: number.clone(),
                assignee: Some(agent),
            };
            out.push(NewEvent {
                kind: EventKind::Agent,
                dedupe_key: format!("{DEDUPE_PREFIX}{number}:{customer}"),
                agent: None,
                payload: assign.to_payload().to_string(),
            });
        }
        out
    }

    /// Notes an agent's own team event, so an assignment an agent made is
    /// never overridden.
    pub fn observe_agent_event(&self, payload: &str) {
        if let Some(conversation) = assigned(payload) {
            self.seen(conversation);
        }
    }
}

/// The conversation a stored event opens or assigns, if any.
fn conversation_of(event: &StoredEvent) -> Option<Conversation> {
    match event.kind {
        EventKind::Webhook => inbound_conversation(event.payload.get()),
        EventKind::Agent => assigned(event.payload.get()),
        _ => None,
    }
}

/// The conversation of an inbound message's webhook envelope, named as
/// team events name it (the customer's number with `+`, else their user id).
fn inbound_conversation(envelope: &str) -> Option<Conversation> {
    let value: serde_json::Value = serde_json::from_str(envelope).ok()?;
    let updates = wire::parse_value(&value).ok()?;
    updates.into_iter().find_map(|u| match u {
        Update::Message(m) => {
            let customer = match (&m.message.from, &m.message.from_user_id) {
                (Some(from), _) if !from.is_empty() => format!("+{}", from.trim_start_matches('+')),
                (_, Some(user)) if !user.is_empty() => user.clone(),
                _ => return None,
            };
            Some((customer, m.metadata.phone_number_id.0.clone()))
        }
        _ => None,
    })
}

/// The conversation an agent's `assign` event names.
fn assigned(payload: &str) -> Option<Conversation> {
    let value: serde_json::Value = serde_json::from_str(payload).ok()?;
    match AgentEvent::from_payload(&value).ok()? {
        AgentEvent::Assign {
            customer,
            phone_number_id,
            ..
        } => Some((customer, phone_number_id)),
        _ => None,
    }
}

/// After webhook events were appended: assigns the new conversations among
/// them, when the relay assigns automatically.
pub async fn after_webhook(state: &AppState, events: &[NewEvent], appended: &[Appended]) {
    let Some(rr) = state.auto_assign() else {
        return;
    };
    let online = state.stream_slots().online();
    let assignments = rr.assignments(events, appended, &online);
    if assignments.is_empty() {
        return;
    }
    // The webhook is already durable; a failed assignment is logged, and
    // the conversation stays unassigned for an agent to take.
    if let Err(e) = state.journal().append(assignments).await {
        tracing::warn!(error = %e, "could not append an automatic assignment");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_rule_is_named_round_robin() {
        assert_eq!(
            "round-robin".parse::<AutoAssign>(),
            Ok(AutoAssign::RoundRobin)
        );
        assert!(
            "random"
                .parse::<AutoAssign>()
                .unwrap_err()
                .contains("round-robin")
        );
    }

    #[test]
    fn agents_take_turns_in_name_order_whoever_is_online() {
        let rr = RoundRobin::default();
        let online = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        assert_eq!(rr.next(&online(&[])), None);
        assert_eq!(rr.next(&online(&["cho", "ana", "ben"])).unwrap(), "ana");
        assert_eq!(rr.next(&online(&["ben", "ana", "cho"])).unwrap(), "ben");
        // Cho left: after ben comes ana again.
        assert_eq!(rr.next(&online(&["ana", "ben"])).unwrap(), "ana");
        // Ben came back with a second window: still one turn each.
        assert_eq!(rr.next(&online(&["ana", "ben", "ben"])).unwrap(), "ben");
        assert_eq!(rr.next(&online(&["ana", "ben"])).unwrap(), "ana");
    }

    #[test]
    fn the_conversation_is_named_as_team_events_name_it() {
        let envelope = serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn-1" },
                "messages": [{ "from": "34612345678", "id": "wamid.1", "timestamp": "1749416383",
                               "type": "text", "text": { "body": "hola" } }]
            }}]}]
        });
        assert_eq!(
            inbound_conversation(&envelope.to_string()),
            Some(("+34612345678".to_owned(), "pn-1".to_owned()))
        );
        assert_eq!(inbound_conversation("{}"), None);
    }

    #[test]
    fn a_username_only_customer_is_named_by_user_id() {
        let envelope = serde_json::json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "1", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn-1" },
                "contacts": [{ "profile": { "username": "jamie.rivers" }, "user_id": "US.1349" }],
                "messages": [{ "from_user_id": "US.1349", "id": "wamid.2", "timestamp": "1749416383",
                               "type": "text", "text": { "body": "hi" } }]
            }}]}]
        });
        assert_eq!(
            inbound_conversation(&envelope.to_string()),
            Some(("US.1349".to_owned(), "pn-1".to_owned()))
        );
    }
}
