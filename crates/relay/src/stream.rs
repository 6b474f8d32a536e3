//! `GET /v1/stream`: the live log as server-sent events.
//!
//! A subscriber first reads the log from its cursor out of the store, then
//! follows the journal's broadcast. It subscribes to the broadcast *before*
//! the first read, so every event committed after that read is in the
//! broadcast and every one committed before is in the store: nothing falls
//! between the two. Broadcast events at or below the cursor are skipped (no
//! repeats). A subscriber too slow for the broadcast buffer is told it lagged
//! and goes back to reading the store from its cursor (no gaps).
//!
//! Each stream holds one of its agent's stream slots, checks every
//! `revocation_check` that its token is still active (so revoking an agent
//! ends its streams within a second, whichever relay process serves them),
//! and on shutdown sends a last [`SSE_GOING_AWAY`] frame so the desktop
//! reconnects at once, to another relay behind the same address.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use hourglass_protocol::{
    ErrorBody, EventsQuery, LAST_EVENT_ID, MAX_PAGE, SSE_GOING_AWAY, error_code,
};
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;
use crate::agent::Agent;
use crate::error::ApiError;
use crate::store::StoredEvent;

pub async fn follow(
    agent: Agent,
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<EventsQuery>, QueryRejection>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let Query(q) = query.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let after = match headers.get(LAST_EVENT_ID) {
        Some(v) => v
            .to_str()
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
            .ok_or_else(|| {
                ApiError::BadRequest("Last-Event-ID must be a sequence number".into())
            })?,
        None => q.after.unwrap_or(0),
    };
    crate::retention::check_cursor(&state, after).await?;
    let slot = match state
        .stream_slots()
        .take(&agent.0, state.limits().streams_per_agent)
    {
        Ok(slot) => slot,
        Err(e) => {
            state.metrics().stream_refused();
            return Err(e);
        }
    };
    let token_sha256 = crate::agent::bearer_sha256(&headers).ok_or(ApiError::Unauthorized)?;
    let heartbeat = state.heartbeat();
    let follower = Follower {
        state,
        token_sha256,
        _slot: slot,
    };
    Ok(Sse::new(events(follower, after))
        .keep_alive(KeepAlive::new().interval(heartbeat).text("heartbeat")))
}

/// Counts a subscriber for as long as its stream lives.
struct Subscribed(AppState);

impl Drop for Subscribed {
    fn drop(&mut self) {
        self.0.metrics().subscriber_left();
    }
}

/// What a stream needs besides its cursor.
struct Follower {
    state: AppState,
    token_sha256: String,
    _slot: crate::limits::StreamSlot,
}

impl Follower {
    /// Whether the stream's token still belongs to an active agent. A store
    /// that cannot answer right now does not end the stream.
    async fn still_authorised(&self) -> bool {
        let store = self.state.store();
        let hash = self.token_sha256.clone();
        match tokio::task::spawn_blocking(move || store.agent_by_token(&hash)).await {
            Ok(Ok(found)) => found.is_some(),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "could not re-check a stream's agent");
                true
            }
            Err(_) => false,
        }
    }
}

enum Next {
    Batch(crate::journal::LiveBatch),
    CatchUp,
    Recheck,
    End,
}

/// The last frame before a shutdown.
fn going_away() -> SseEvent {
    let body = ErrorBody {
        code: error_code::SHUTTING_DOWN.to_owned(),
        message: "the relay is shutting down; reconnect now".to_owned(),
        horizon: None,
    };
    SseEvent::default()
        .event(SSE_GOING_AWAY)
        .data(serde_json::to_string(&body).unwrap_or_default())
}

fn sse(event: &StoredEvent) -> SseEvent {
    SseEvent::default()
        .id(event.seq.to_string())
        .data(event.to_json())
}

fn events(follower: Follower, after: u64) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    async_stream::stream! {
        let state = follower.state.clone();
        state.metrics().subscriber_joined();
        let _guard = Subscribed(state.clone());
        let mut stop = state.shutdown_signal();
        let mut live = state.subscribe();
        let mut recheck = tokio::time::interval(state.limits().revocation_check);
        recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        recheck.reset();
        let mut last_check = tokio::time::Instant::now();
        let mut cursor = after;
        'follow: loop {
            // Catch up from the store.
            loop {
                if *stop.borrow() {
                    yield Ok(going_away());
                    break 'follow;
                }
                if last_check.elapsed() >= state.limits().revocation_check {
                    last_check = tokio::time::Instant::now();
                    if !follower.still_authorised().await {
                        state.metrics().stream_revoked();
                        break 'follow;
                    }
                }
                let store = state.store();
                let read = tokio::task::spawn_blocking(move || store.page(cursor, MAX_PAGE)).await;
                let page = match read {
                    Ok(Ok(page)) => page,
                    Ok(Err(e)) => {
                        // Ending the stream makes the client reconnect from its cursor.
                        tracing::error!(error = %e, "stream catch-up failed");
                        break 'follow;
                    }
                    Err(_) => break 'follow,
                };
                for event in &page.events {
                    cursor = event.seq;
                    yield Ok(sse(event));
                }
                if !page.has_more {
                    break;
                }
            }
            // Follow the broadcast.
            loop {
                let next = tokio::select! {
                    _ = stop.changed() => Next::End,
                    _ = recheck.tick() => Next::Recheck,
                    received = live.recv() => match received {
                        Ok(batch) => Next::Batch(batch),
                        Err(RecvError::Lagged(_)) => Next::CatchUp,
                        Err(RecvError::Closed) => Next::End,
                    },
                };
                match next {
                    Next::Batch(batch) => {
                        for event in batch.iter() {
                            if event.seq > cursor {
                                cursor = event.seq;
                                yield Ok(sse(event));
                            }
                        }
                    }
                    Next::CatchUp => {
                        state.metrics().stream_caught_up();
                        continue 'follow;
                    }
                    Next::Recheck => {
                        last_check = tokio::time::Instant::now();
                        if !follower.still_authorised().await {
                            state.metrics().stream_revoked();
                            break 'follow;
                        }
                    }
                    Next::End => {
                        yield Ok(going_away());
                        break 'follow;
                    }
                }
            }
        }
    }
}

/// How often an idle stream sends a comment, so proxies keep it open and
/// clients notice a dead connection.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);
