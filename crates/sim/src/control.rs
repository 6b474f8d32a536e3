//! The control API under `/_sim`, for tests and demo mode. It answers only
//! connections from loopback addresses, whatever address the simulator
//! listens on.
//!
//! | route | body / answer |
//! |---|---|
//! | `POST /_sim/inbound[?wait=true]` | an [`Inbound`](crate::Inbound), or a call, standby message, handover, Business-app echo, history or address-book change ([`RoutedInbound`](crate::RoutedInbound)) → [`InboundReceipt`](crate::InboundReceipt); with `wait`, after the relay answered; a [`PreferenceChange`] sends `user_preferences` |
//! | `GET /_sim/sent[?after=<seq>]` | every request the Graph API accepted, oldest first: [`SentRequest`] |
//! | `DELETE /_sim/sent` | forgets them |
//! | `POST /_sim/scenario/<name>` | runs a scenario → [`ScenarioReport`](crate::ScenarioReport); `stop` stops background ones |
//! | `POST /_sim/faults` | `{"code": 131000, "count": 2}`: the next sends answer that Graph error |
//! | `POST /_sim/media/faults` | `{"count": 3}`: the next media downloads answer HTTP 500 |
//! | `DELETE /_sim/media/faults` | clears them |
//! | `POST /_sim/media/<id>/expire` | the id is no longer served, as after Meta's ~30 days |
//! | `PUT /_sim/relay` | `{"url": "http://127.0.0.1:8080"}` or `{"url": null}` |
//! | `GET /_sim/customers` | customers with their window state |
//! | `GET /_sim/stats` | webhook delivery counters: [`StatsSnapshot`](crate::StatsSnapshot) |
//! | `GET /_sim/blocks` | `{"blocked": ["<wa_id>", …]}`: customers the business blocked |
//! | `POST /_sim/account[?wait=true]` | [`AccountChange`]: `{"quality_rating": "RED", "messaging_tier": "TIER_250", "account_event": "ACCOUNT_VIOLATION", "violation_type": "SPAM"}` (each optional) → [`AccountReceipt`]; the phone-number object answers the new values and the matching `phone_number_quality_update` / `account_update` webhooks go out ([`crate::account`]) |
//! | `POST /_sim/template-status[?wait=true]` | [`TemplateStatusChange`]: `{"name": "spring_sale", "language": "en_US", "status": "PAUSED", "reason": "NONE", "description": "…", "category": "MARKETING", "impending": false}` → [`AccountReceipt`]; the listing and sends follow, and `message_template_status_update` / `template_category_update` go out |
//!
//! Errors answer `{"code": "...", "message": "..."}` with a 4xx status.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Json;
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hourglass_whatsapp::window::SERVICE_WINDOW_SECS;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::account::{AccountChange, AccountError, AccountReceipt, TemplateStatusChange};
use crate::preference::PreferenceChange;
use crate::routing::InboundRequest;
use crate::scenario::{self, ScenarioError};
use crate::state::SentRequest;
use crate::state::{InboundError, SimState, now_unix};

type Shared = State<Arc<SimState>>;

/// The most faults that can be queued at once.
const MAX_FAULTS: usize = 1_000;

#[derive(Debug, Serialize)]
struct ErrorBody {
    code: &'static str,
    message: String,
}

fn error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    (
        status,
        Json(ErrorBody {
            code,
            message: message.into(),
        }),
    )
        .into_response()
}

/// Refuses anyone but loopback.
pub(crate) async fn loopback_only(request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    match peer {
        Some(ip) if ip.is_loopback() => next.run(request).await,
        _ => error(
            StatusCode::FORBIDDEN,
            "not_loopback",
            "the control API answers loopback connections only",
        ),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct WaitQuery {
    #[serde(default)]
    wait: bool,
}

pub(crate) async fn inbound(
    State(state): Shared,
    Query(q): Query<WaitQuery>,
    body: axum::body::Bytes,
) -> Response {
    // `{"from": …, "user_preference": "stop"}` is the `user_preferences`
    // webhook; anything else is a message, a call, a standby message or a
    // handover.
    let is_preference = serde_json::from_slice::<serde_json::Value>(&body)
        .is_ok_and(|v| v.get("user_preference").is_some());
    let received = if is_preference {
        match serde_json::from_slice::<PreferenceChange>(&body) {
            Ok(change) => state.prefer(change, q.wait).await,
            Err(e) => return error(StatusCode::BAD_REQUEST, "bad_inbound", e.to_string()),
        }
    } else {
        match InboundRequest::from_slice(&body) {
            Ok(InboundRequest::Message(m)) => state.receive(*m, q.wait).await,
            Ok(InboundRequest::Routed(r)) => state.receive_routed(r, q.wait).await,
            Err(e) => return error(StatusCode::BAD_REQUEST, "bad_inbound", e.to_string()),
        }
    };
    match received {
        Ok(receipt) => Json(receipt).into_response(),
        Err(e @ InboundError::BadNumber(_)) => {
            error(StatusCode::BAD_REQUEST, "bad_number", e.to_string())
        }
        Err(e @ InboundError::NoSender) => {
            error(StatusCode::BAD_REQUEST, "no_sender", e.to_string())
        }
        Err(e @ InboundError::Blocked(_)) => error(StatusCode::CONFLICT, "blocked", e.to_string()),
        Err(e @ InboundError::ShuttingDown) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            e.to_string(),
        ),
    }
}

pub(crate) async fn blocks(State(state): Shared) -> Response {
    let blocked: Vec<String> = state.lock().blocked.iter().cloned().collect();
    Json(json!({ "blocked": blocked })).into_response()
}

pub(crate) async fn sent(
    State(state): Shared,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let after: u64 = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let list: Vec<SentRequest> = state
        .lock()
        .sent
        .iter()
        .filter(|s| s.seq > after)
        .cloned()
        .collect();
    Json(list).into_response()
}

pub(crate) async fn clear_sent(State(state): Shared) -> StatusCode {
    state.lock().sent.clear();
    StatusCode::NO_CONTENT
}

pub(crate) async fn run_scenario(State(state): Shared, Path(name): Path<String>) -> Response {
    if name == "stop" {
        scenario::stop(&state);
        return Json(json!({"stopped": true})).into_response();
    }
    match scenario::run(&state, &name).await {
        Ok(report) => Json(report).into_response(),
        Err(e @ ScenarioError::Unknown(_)) => {
            error(StatusCode::NOT_FOUND, "unknown_scenario", e.to_string())
        }
        Err(e) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "scenario_failed",
            e.to_string(),
        ),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct FaultRequest {
    code: i64,
    #[serde(default = "one")]
    count: usize,
}

fn one() -> usize {
    1
}

pub(crate) async fn faults(State(state): Shared, Json(f): Json<FaultRequest>) -> Response {
    let mut inner = state.lock();
    if inner.faults.len() + f.count > MAX_FAULTS {
        return error(
            StatusCode::BAD_REQUEST,
            "too_many_faults",
            format!("at most {MAX_FAULTS} faults can be queued"),
        );
    }
    inner.faults.extend(std::iter::repeat_n(f.code, f.count));
    StatusCode::NO_CONTENT.into_response()
}

/// The most media download faults that can be queued at once.
const MAX_MEDIA_FAULTS: u32 = 10_000;

#[derive(Debug, Deserialize)]
pub(crate) struct MediaFaultRequest {
    #[serde(default = "one")]
    count: usize,
}

pub(crate) async fn media_faults(
    State(state): Shared,
    Json(f): Json<MediaFaultRequest>,
) -> Response {
    let mut inner = state.lock();
    let count = u32::try_from(f.count).unwrap_or(u32::MAX);
    match inner.media_faults.checked_add(count) {
        Some(total) if total <= MAX_MEDIA_FAULTS => {
            inner.media_faults = total;
            StatusCode::NO_CONTENT.into_response()
        }
        _ => error(
            StatusCode::BAD_REQUEST,
            "too_many_faults",
            format!("at most {MAX_MEDIA_FAULTS} media faults can be queued"),
        ),
    }
}

pub(crate) async fn clear_media_faults(State(state): Shared) -> StatusCode {
    state.lock().media_faults = 0;
    StatusCode::NO_CONTENT
}

pub(crate) async fn expire_media(State(state): Shared, Path(id): Path<String>) -> Response {
    match state.lock().media.get_mut(&id) {
        Some(file) => {
            file.expired = true;
            StatusCode::NO_CONTENT.into_response()
        }
        None => error(
            StatusCode::NOT_FOUND,
            "unknown_media",
            format!("no media with id {id}"),
        ),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct RelayRequest {
    url: Option<String>,
}

pub(crate) async fn set_relay(State(state): Shared, Json(r): Json<RelayRequest>) -> StatusCode {
    if let Ok(mut slot) = state.relay_url.write() {
        *slot = r.url;
    }
    StatusCode::NO_CONTENT
}

pub(crate) async fn customers(State(state): Shared) -> Response {
    let now = now_unix();
    let mut list: Vec<serde_json::Value> = state
        .lock()
        .customers
        .values()
        .map(|c| {
            json!({
                "wa_id": c.wa_id,
                "name": c.name,
                "user_id": c.user_id,
                "username": c.username,
                "language": c.language,
                "last_inbound": c.last_inbound,
                "window_open": c.window_open(now),
                "window_closes_at": c.last_inbound.map(|t| t.saturating_add(SERVICE_WINDOW_SECS)),
                "referral_at": c.referral_at,
            })
        })
        .collect();
    list.sort_by(|a, b| a["wa_id"].as_str().cmp(&b["wa_id"].as_str()));
    Json(list).into_response()
}

pub(crate) async fn stats(State(state): Shared) -> Response {
    Json(state.stats.snapshot()).into_response()
}

fn account_answer(result: Result<AccountReceipt, AccountError>) -> Response {
    match result {
        Ok(receipt) => Json(receipt).into_response(),
        Err(e @ AccountError::Template(..)) => {
            error(StatusCode::NOT_FOUND, "unknown_template", e.to_string())
        }
        Err(e @ AccountError::ShuttingDown) => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting_down",
            e.to_string(),
        ),
        Err(e) => error(StatusCode::BAD_REQUEST, "bad_account_change", e.to_string()),
    }
}

pub(crate) async fn account(
    State(state): Shared,
    Query(q): Query<WaitQuery>,
    body: axum::body::Bytes,
) -> Response {
    match serde_json::from_slice::<AccountChange>(&body) {
        Ok(change) => account_answer(state.change_account(change, q.wait).await),
        Err(e) => error(StatusCode::BAD_REQUEST, "bad_account_change", e.to_string()),
    }
}

pub(crate) async fn template_status(
    State(state): Shared,
    Query(q): Query<WaitQuery>,
    body: axum::body::Bytes,
) -> Response {
    match serde_json::from_slice::<TemplateStatusChange>(&body) {
        Ok(change) => account_answer(state.change_template_status(change, q.wait).await),
        Err(e) => error(StatusCode::BAD_REQUEST, "bad_account_change", e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn status_from(peer: Option<[u8; 4]>) -> StatusCode {
        let app = Router::new()
            .route("/x", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(loopback_only));
        let mut request = Request::builder().uri("/x").body(Body::empty()).unwrap();
        if let Some(ip) = peer {
            request
                .extensions_mut()
                .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
        }
        app.oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn only_loopback_peers_reach_the_control_api() {
        assert_eq!(status_from(Some([127, 0, 0, 1])).await, StatusCode::OK);
        assert_eq!(
            status_from(Some([192, 168, 1, 20])).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(status_from(Some([0, 0, 0, 0])).await, StatusCode::FORBIDDEN);
        assert_eq!(status_from(None).await, StatusCode::FORBIDDEN);
    }
}
