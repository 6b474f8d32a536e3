//! Agents and their tokens.
//!
//! A token is 256 random bits, shown once when the agent is added and stored
//! only as its SHA-256: a plain hash is enough for a high-entropy secret (no
//! dictionary to guess from), and it lets a lookup be one indexed query. The
//! `hgr_` prefix makes a leaked token easy to recognise in secret scanners.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, RelayError};
use crate::journal::now_ms;
use crate::store::{AgentRecord, EventStore};

const TOKEN_PREFIX: &str = "hgr_";

/// A freshly issued token. Not `Debug`-printable, so it cannot end up in a
/// log line by accident.
pub struct AgentToken(String);

impl AgentToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for AgentToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AgentToken(<redacted>)")
    }
}

pub(crate) fn token_sha256(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Adds an agent and returns its token (the only time it exists in clear).
pub fn add(store: &dyn EventStore, name: &str) -> Result<AgentToken, RelayError> {
    if !valid_name(name) {
        return Err(RelayError::InvalidAgentName(name.to_owned()));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    if store.add_agent(name, &token_sha256(&token), now_ms())? {
        Ok(AgentToken(token))
    } else {
        Err(RelayError::AgentExists(name.to_owned()))
    }
}

/// Revokes an agent's token at once; their open streams end within
/// [`Limits::revocation_check`](crate::Limits::revocation_check), on every
/// relay sharing the database.
pub fn revoke(store: &dyn EventStore, name: &str) -> Result<(), RelayError> {
    if store.revoke_agent(name, now_ms())? {
        Ok(())
    } else {
        Err(RelayError::AgentNotFound(name.to_owned()))
    }
}

/// Every agent ever added, revoked ones included.
pub fn list(store: &dyn EventStore) -> Result<Vec<AgentRecord>, RelayError> {
    Ok(store.agents()?)
}

/// The SHA-256 of a request's bearer token, when it has the shape of one.
pub(crate) fn bearer_sha256(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| t.starts_with(TOKEN_PREFIX))
        .map(token_sha256)
}

/// The agent behind a request's bearer token. Extracting it is what makes
/// a `/v1` handler authenticated.
#[derive(Debug, Clone)]
pub struct Agent(pub String);

impl FromRequestParts<AppState> for Agent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let hash = bearer_sha256(&parts.headers).ok_or(ApiError::Unauthorized)?;
        let store = state.store();
        let found = tokio::task::spawn_blocking(move || store.agent_by_token(&hash))
            .await
            .map_err(|_| ApiError::ShuttingDown)??;
        found.map(Agent).ok_or(ApiError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(valid_name("ana.lopez-2"));
        assert!(!valid_name(""));
        assert!(!valid_name("ana lopez"));
        assert!(!valid_name(&"a".repeat(65)));
    }

    #[test]
    fn tokens_are_random_prefixed_and_hidden_from_debug() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::SqliteStore::open(dir.path().join("r.db")).unwrap();
        let a = add(&store, "a").unwrap();
        let b = add(&store, "b").unwrap();
        assert_ne!(a.expose(), b.expose());
        assert!(a.expose().starts_with("hgr_") && a.expose().len() == 4 + 64);
        assert!(!format!("{a:?}").contains(a.expose()));
        assert!(matches!(add(&store, "a"), Err(RelayError::AgentExists(_))));
        assert_eq!(
            store
                .agent_by_token(&token_sha256(b.expose()))
                .unwrap()
                .as_deref(),
            Some("b")
        );
        revoke(&store, "b").unwrap();
        assert!(matches!(
            revoke(&store, "b"),
            Err(RelayError::AgentNotFound(_))
        ));
    }
}
