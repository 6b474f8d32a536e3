//! `GET /v1/stream`: the live log as server-sent events.
//!
//! A subscriber first reads the log from its cursor out of the store, then
//! follows the journal's broadcast. It subscribes to the broadcast *before*
//! the first read, so every event committed after that read is in the
//! broadcast and every one committed before is in the store: nothing falls
//! between the two. Broadcast events at or below the cursor are skipped (no
//! repeats). A subscriber too slow for the broadcast buffer is told it lagged
//! and goes back to reading the store from its cursor (no gaps).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use hourglass_protocol::{EventsQuery, LAST_EVENT_ID, MAX_PAGE};
use tokio::sync::broadcast::error::RecvError;

use crate::AppState;
use crate::agent::Agent;
use crate::error::ApiError;
use crate::store::StoredEvent;

pub async fn follow(
    _agent: Agent,
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
    let heartbeat = state.heartbeat();
    Ok(Sse::new(events(state, after))
        .keep_alive(KeepAlive::new().interval(heartbeat).text("heartbeat")))
}

/// Counts a subscriber for as long as its stream lives.
struct Subscribed(AppState);

impl Drop for Subscribed {
    fn drop(&mut self) {
        self.0.metrics().subscriber_left();
    }
}

enum Next {
    Batch(crate::journal::LiveBatch),
    CatchUp,
    End,
}

fn sse(event: &StoredEvent) -> SseEvent {
    SseEvent::default()
        .id(event.seq.to_string())
        .data(event.to_json())
}

fn events(state: AppState, after: u64) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    async_stream::stream! {
        state.metrics().subscriber_joined();
        let _guard = Subscribed(state.clone());
        let mut stop = state.shutdown_signal();
        let mut live = state.subscribe();
        let mut cursor = after;
        'follow: loop {
            // Catch up from the store.
            loop {
                if *stop.borrow() {
                    break 'follow;
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
                    Next::End => break 'follow,
                }
            }
        }
    }
}

/// How often an idle stream sends a comment, so proxies keep it open and
/// clients notice a dead connection.
pub const DEFAULT_HEARTBEAT: Duration = Duration::from_secs(15);
