//! The agents' API under `/v1`: catch-up pages, publishing, the team list.
//! Every handler takes an [`Agent`], so none runs without a valid token.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use hourglass_protocol::{
    AgentInfo, EventKind, EventsQuery, MAX_AGENT_EVENT_BYTES, MAX_PAGE, PublishRequest,
    PublishResponse,
};

use crate::AppState;
use crate::agent::Agent;
use crate::error::ApiError;
use crate::store::{Appended, NewEvent, Page};

/// Longest idempotency key accepted; they are meant to be UUIDs or outbox ids.
const MAX_IDEMPOTENCY_KEY: usize = 200;

/// `GET /v1/events?after=<seq>&limit=<n>`.
pub async fn page(
    _agent: Agent,
    State(state): State<AppState>,
    query: Result<Query<EventsQuery>, QueryRejection>,
) -> Result<Json<Page>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(MAX_PAGE).min(MAX_PAGE);
    crate::retention::check_cursor(&state, after).await?;
    let store = state.store();
    let page = tokio::task::spawn_blocking(move || store.page(after, limit))
        .await
        .map_err(|_| ApiError::ShuttingDown)??;
    Ok(Json(page))
}

/// `POST /v1/events`: append an agent event, once per idempotency key. The
/// body is at most [`MAX_AGENT_EVENT_BYTES`] (413 above), and each agent has
/// a publishing rate (429 with `Retry-After` above it).
pub async fn publish(
    Agent(name): Agent,
    State(state): State<AppState>,
    body: Result<Json<PublishRequest>, JsonRejection>,
) -> Result<Json<PublishResponse>, ApiError> {
    let Json(req) = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge {
                limit: MAX_AGENT_EVENT_BYTES,
            }
        } else {
            ApiError::BadRequest(e.body_text())
        }
    })?;
    if let Err(limited) = state.publish_rate().check(&name) {
        state.metrics().publish_limited();
        return Err(limited);
    }
    let key = req.idempotency_key.trim();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY {
        return Err(ApiError::BadRequest(format!(
            "idempotency_key must be 1 to {MAX_IDEMPOTENCY_KEY} characters"
        )));
    }
    if let Some(rr) = state.auto_assign() {
        rr.observe_agent_event(&req.payload.to_string());
    }
    let event = NewEvent {
        kind: EventKind::Agent,
        dedupe_key: format!("agent:{name}:{key}"),
        agent: Some(name),
        payload: req.payload.to_string(),
    };
    let out = state.journal().append(vec![event]).await?;
    let first = out
        .first()
        .copied()
        .ok_or_else(|| ApiError::BadRequest("nothing was appended".into()))?;
    Ok(Json(PublishResponse {
        seq: first.seq(),
        duplicate: matches!(first, Appended::Duplicate(_)),
    }))
}

/// `GET /v1/agents`: the active agents, for assignment menus.
pub async fn agents(
    agent: Agent,
    State(state): State<AppState>,
) -> Result<Json<Vec<AgentInfo>>, ApiError> {
    let store = state.store();
    let records = tokio::task::spawn_blocking(move || store.agents())
        .await
        .map_err(|_| ApiError::ShuttingDown)??;
    let names: BTreeSet<String> = records
        .into_iter()
        .filter(|r| r.revoked_at_ms.is_none())
        .map(|r| r.name)
        .collect();
    Ok(Json(
        names
            .into_iter()
            .map(|name| AgentInfo {
                me: name == agent.0,
                name,
            })
            .collect(),
    ))
}
