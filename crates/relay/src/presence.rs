//! `/v1/presence`: who is viewing or typing in which conversation.
//!
//! Presence is ephemeral, so it lives in memory and never in the log: a
//! restart forgets it, and the apps say it again within one renewal. Each
//! entry expires by itself ([`PresenceTtl`]); an app renews "viewing" while
//! the chat is open and "typing" while keys are pressed, so a closed,
//! crashed or disconnected app stops showing without saying goodbye.
//!
//! The table is bounded: at most [`MAX_PER_AGENT`] conversations per agent
//! (a new one replaces that agent's oldest) and names of at most
//! [`MAX_NAME`] bytes, so no token holder can grow the relay's memory.
//!
//! Apps poll `GET /v1/presence` for the conversation they show rather than
//! receiving it on the event stream: the stream is the durable log, numbered
//! by `seq`, and ephemeral entries have no place in it.
//!
//! Relays that share one PostgreSQL log share presence too: the store then
//! offers a [`SharedPresence`] (a table with expiry times) and this relay's
//! memory is not used, so any relay answers with entries set through any other.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use hourglass_protocol::{
    PresenceEntry, PresenceList, PresenceQuery, PresenceState, PresenceUpdate,
};

use crate::AppState;
use crate::agent::Agent;
use crate::error::ApiError;
pub use crate::store::{MAX_PER_AGENT, PresenceTtl, SharedPresence};

/// Longest customer or phone number id accepted.
pub const MAX_NAME: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    agent: String,
    customer: String,
    phone_number_id: String,
}

#[derive(Debug, Clone, Copy)]
struct Live {
    state: PresenceState,
    until: Instant,
    since: Instant,
}

/// The live entries.
#[derive(Debug, Default)]
pub struct Presence {
    ttl: PresenceTtl,
    entries: Mutex<HashMap<Key, Live>>,
    shared: Option<std::sync::Arc<dyn SharedPresence>>,
}

impl Presence {
    pub fn new(ttl: PresenceTtl) -> Self {
        Presence {
            ttl,
            entries: Mutex::default(),
            shared: None,
        }
    }

    /// Presence kept in `shared` instead of this relay's memory.
    pub fn shared(ttl: PresenceTtl, shared: std::sync::Arc<dyn SharedPresence>) -> Self {
        Presence {
            shared: Some(shared),
            ..Presence::new(ttl)
        }
    }

    /// Sets and then lists, wherever presence is kept.
    async fn set_and_list(
        &self,
        agent: String,
        update: PresenceUpdate,
        query: PresenceQuery,
    ) -> Result<Vec<PresenceEntry>, ApiError> {
        match &self.shared {
            Some(shared) => {
                let (shared, ttl) = (std::sync::Arc::clone(shared), self.ttl);
                tokio::task::spawn_blocking(move || {
                    shared.set(&agent, &update, ttl)?;
                    shared.list(&query)
                })
                .await
                .map_err(|_| ApiError::ShuttingDown)?
                .map_err(ApiError::Storage)
            }
            None => {
                let now = Instant::now();
                self.set(&agent, update, now);
                Ok(self.list(&query, now))
            }
        }
    }

    async fn list_now(&self, query: PresenceQuery) -> Result<Vec<PresenceEntry>, ApiError> {
        match &self.shared {
            Some(shared) => {
                let shared = std::sync::Arc::clone(shared);
                tokio::task::spawn_blocking(move || shared.list(&query))
                    .await
                    .map_err(|_| ApiError::ShuttingDown)?
                    .map_err(ApiError::Storage)
            }
            None => Ok(self.list(&query, Instant::now())),
        }
    }

    /// Records what `agent` is doing; `Left` removes the entry.
    pub fn set(&self, agent: &str, update: PresenceUpdate, now: Instant) {
        let key = Key {
            agent: agent.to_owned(),
            customer: update.customer,
            phone_number_id: update.phone_number_id,
        };
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|_, live| live.until > now);
        let ttl = match update.state {
            PresenceState::Left => {
                entries.remove(&key);
                return;
            }
            PresenceState::Viewing => self.ttl.viewing,
            PresenceState::Typing => self.ttl.typing,
        };
        if !entries.contains_key(&key) {
            let mine: Vec<(Key, Instant)> = entries
                .iter()
                .filter(|(k, _)| k.agent == agent)
                .map(|(k, l)| (k.clone(), l.since))
                .collect();
            if mine.len() >= MAX_PER_AGENT
                && let Some((oldest, _)) = mine.into_iter().min_by_key(|(_, since)| *since)
            {
                entries.remove(&oldest);
            }
        }
        let since = entries.get(&key).map_or(now, |l| l.since);
        entries.insert(
            key,
            Live {
                state: update.state,
                until: now + ttl,
                since,
            },
        );
    }

    /// The live entries, of one conversation when both parts are given.
    pub fn list(&self, query: &PresenceQuery, now: Instant) -> Vec<PresenceEntry> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<PresenceEntry> = entries
            .iter()
            .filter(|(k, live)| {
                live.until > now
                    && query.customer.as_ref().is_none_or(|c| *c == k.customer)
                    && query
                        .phone_number_id
                        .as_ref()
                        .is_none_or(|p| *p == k.phone_number_id)
            })
            .map(|(k, live)| PresenceEntry {
                agent: k.agent.clone(),
                customer: k.customer.clone(),
                phone_number_id: k.phone_number_id.clone(),
                state: live.state,
                expires_in_ms: u64::try_from((live.until - now).as_millis()).unwrap_or(u64::MAX),
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.customer, &a.phone_number_id, &a.agent).cmp(&(
                &b.customer,
                &b.phone_number_id,
                &b.agent,
            ))
        });
        out
    }
}

fn check(update: &PresenceUpdate) -> Result<(), ApiError> {
    for (what, value) in [
        ("customer", &update.customer),
        ("phone_number_id", &update.phone_number_id),
    ] {
        if value.trim().is_empty() || value.len() > MAX_NAME {
            return Err(ApiError::BadRequest(format!(
                "{what} must be 1 to {MAX_NAME} bytes"
            )));
        }
    }
    Ok(())
}

/// `POST /v1/presence`.
pub async fn set(
    Agent(name): Agent,
    State(state): State<AppState>,
    body: Result<Json<PresenceUpdate>, JsonRejection>,
) -> Result<Json<PresenceList>, ApiError> {
    let Json(update) = body.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    check(&update)?;
    let query = PresenceQuery {
        customer: Some(update.customer.clone()),
        phone_number_id: Some(update.phone_number_id.clone()),
    };
    // The conversation's presence as it now stands, to save a round trip.
    Ok(Json(PresenceList {
        entries: state.presence().set_and_list(name, update, query).await?,
    }))
}

/// `GET /v1/presence`.
pub async fn get(
    _agent: Agent,
    State(state): State<AppState>,
    query: Result<Query<PresenceQuery>, QueryRejection>,
) -> Result<Json<PresenceList>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    Ok(Json(PresenceList {
        entries: state.presence().list_now(q).await?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn update(customer: &str, state: PresenceState) -> PresenceUpdate {
        PresenceUpdate {
            customer: customer.into(),
            phone_number_id: "pn".into(),
            state,
        }
    }

    #[test]
    fn entries_expire_renew_and_leave() {
        let p = Presence::new(PresenceTtl::default());
        let t0 = Instant::now();
        p.set("ana", update("+1", PresenceState::Viewing), t0);
        p.set("bob", update("+1", PresenceState::Typing), t0);
        let all = PresenceQuery::default();
        assert_eq!(p.list(&all, t0).len(), 2);
        // Typing lapses first; viewing renewed stays.
        let t1 = t0 + Duration::from_secs(7);
        p.set("ana", update("+1", PresenceState::Viewing), t1);
        let live = p.list(&all, t1);
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].agent, "ana");
        assert_eq!(live[0].expires_in_ms, 30_000);
        assert!(p.list(&all, t1 + Duration::from_secs(31)).is_empty());
        p.set("ana", update("+1", PresenceState::Left), t1);
        assert!(p.list(&all, t1).is_empty());
    }

    #[test]
    fn one_agent_holds_a_bounded_number_of_entries() {
        let p = Presence::new(PresenceTtl::default());
        let t0 = Instant::now();
        for i in 0..(MAX_PER_AGENT + 5) {
            p.set(
                "ana",
                update(&format!("+{i}"), PresenceState::Viewing),
                t0 + Duration::from_millis(i as u64),
            );
        }
        let live = p.list(&PresenceQuery::default(), t0 + Duration::from_millis(100));
        assert_eq!(live.len(), MAX_PER_AGENT);
        // The oldest went first.
        assert!(!live.iter().any(|e| e.customer == "+0"));
        assert!(
            live.iter()
                .any(|e| e.customer == format!("+{}", MAX_PER_AGENT + 4))
        );
    }

    #[test]
    fn a_query_names_one_conversation() {
        let p = Presence::new(PresenceTtl::default());
        let t0 = Instant::now();
        p.set("ana", update("+1", PresenceState::Viewing), t0);
        p.set("ana", update("+2", PresenceState::Viewing), t0);
        let q = PresenceQuery {
            customer: Some("+2".into()),
            phone_number_id: Some("pn".into()),
        };
        let live = p.list(&q, t0);
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].customer, "+2");
        assert!(check(&update("", PresenceState::Viewing)).is_err());
        assert!(check(&update(&"9".repeat(MAX_NAME + 1), PresenceState::Viewing)).is_err());
    }
}
