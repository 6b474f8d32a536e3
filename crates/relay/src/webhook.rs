//! Meta's side: the callback URL's handshake and webhook POSTs.
//!
//! A POST is answered 200 only after every update in it is committed. Order
//! of checks: size (413), signature header present (401) and well formed
//! (403), a free slot to read an unauthenticated body (503, at most
//! `max_unauthenticated_bodies` at once), body read within the limit (413)
//! and the body timeout, signature matches the raw bytes (403). A signed body that
//! is not a webhook envelope is stored raw as one `malformed` event and still
//! answered 200: Meta would otherwise retry it for a week and it would never
//! become parseable.

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header::CONTENT_LENGTH};
use hourglass_protocol::{EventKind, MalformedPayload};
use hourglass_whatsapp::{signature, webhook as wire};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;
use crate::metrics::Rejection;
use crate::store::NewEvent;

/// Meta sends up to 3 MB; the margin covers their rounding and our headers.
pub const BODY_LIMIT: usize = 3 * 1024 * 1024 + 64 * 1024;

/// How long a webhook waits for a turn to read its body when the relay is
/// already reading as many unauthenticated bodies as it allows.
const BODY_SLOT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Bodies above this are parsed on the blocking pool, so one huge batch does
/// not stall the async workers serving everyone else.
const INLINE_PARSE_LIMIT: usize = 64 * 1024;

#[derive(Debug, Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// `GET /webhook`: echo the challenge when the verify token matches.
pub async fn handshake(
    State(state): State<AppState>,
    Query(q): Query<Handshake>,
) -> Result<String, ApiError> {
    let token_ok = q
        .verify_token
        .as_deref()
        .is_some_and(|t| constant_time_eq(t.as_bytes(), state.verify_token().as_bytes()));
    match (q.mode.as_deref(), q.challenge) {
        (Some("subscribe"), Some(challenge)) if token_ok => {
            tracing::info!("webhook handshake accepted");
            Ok(challenge)
        }
        _ => {
            tracing::warn!("webhook handshake refused");
            Err(ApiError::VerifyTokenMismatch)
        }
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // Compare digests so neither the content nor the length leaks through timing.
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// `POST /webhook`.
pub async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<StatusCode, ApiError> {
    let outcome = accept(&state, &headers, body).await;
    let metrics = state.metrics();
    match &outcome {
        Ok(malformed) => metrics.webhook_accepted(*malformed),
        Err(e) => metrics.webhook_rejected(match e {
            ApiError::MissingSignature => Rejection::MissingSignature,
            ApiError::BadSignature => Rejection::BadSignature,
            ApiError::PayloadTooLarge { .. } => Rejection::TooLarge,
            _ => Rejection::Error,
        }),
    }
    outcome.map(|_| StatusCode::OK)
}

/// Returns whether the body was stored as malformed.
async fn accept(state: &AppState, headers: &HeaderMap, body: Body) -> Result<bool, ApiError> {
    let too_large = ApiError::PayloadTooLarge { limit: BODY_LIMIT };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        return Err(too_large);
    }
    let sig = match headers.get(signature::HEADER) {
        None => return Err(ApiError::MissingSignature),
        Some(v) => v.to_str().map_err(|_| ApiError::BadSignature)?.to_owned(),
    };
    // Refused before a byte of the body is read: only `sha256=` and 64 hex
    // digits can ever match.
    if signature::parse_header(&sig).is_err() {
        return Err(ApiError::BadSignature);
    }
    // Bodies whose signature is not checked yet cost memory; only so many
    // are read at once.
    let slot = tokio::time::timeout(
        BODY_SLOT_WAIT,
        std::sync::Arc::clone(state.unauthenticated_bodies()).acquire_owned(),
    )
    .await
    .map_err(|_| ApiError::Busy)?
    .map_err(|_| ApiError::ShuttingDown)?;
    let body_timeout = state.limits().body_timeout;
    let bytes = tokio::time::timeout(body_timeout, read_limited(body))
        .await
        .map_err(|_| ApiError::BadRequest("the request body took too long to arrive".into()))??;
    drop(slot);
    signature::verify(state.app_secret().as_bytes(), &bytes, Some(&sig)).map_err(|e| match e {
        signature::SignatureError::Missing => ApiError::MissingSignature,
        _ => ApiError::BadSignature,
    })?;

    let (events, malformed) = if bytes.len() > INLINE_PARSE_LIMIT {
        tokio::task::spawn_blocking(move || to_events(&bytes))
            .await
            .map_err(|_| ApiError::ShuttingDown)?
    } else {
        to_events(&bytes)
    };
    if malformed {
        tracing::warn!("a signed webhook body was not an envelope; stored it as malformed");
    }
    if !events.is_empty() {
        let appended = state.journal().append(events.clone()).await?;
        crate::assign::after_webhook(state, &events, &appended).await;
    }
    Ok(malformed)
}

async fn read_limited(body: Body) -> Result<Bytes, ApiError> {
    match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ApiError::PayloadTooLarge { limit: BODY_LIMIT })
        }
        Err(e) => Err(ApiError::BadRequest(format!(
            "could not read the request body: {e}"
        ))),
    }
}

/// Splits a verified body into the events to append, and whether it was
/// malformed.
pub fn to_events(body: &[u8]) -> (Vec<NewEvent>, bool) {
    match wire::split(body) {
        Ok(updates) => (
            updates
                .into_iter()
                .map(|u| NewEvent {
                    kind: EventKind::Webhook,
                    dedupe_key: u.dedupe_key,
                    agent: None,
                    payload: u.envelope.to_string(),
                })
                .collect(),
            false,
        ),
        Err(e) => {
            let text = String::from_utf8_lossy(body);
            let body_hex = matches!(text, std::borrow::Cow::Owned(_)).then(|| hex::encode(body));
            let payload = MalformedPayload {
                body: text.into_owned(),
                error: e.to_string(),
                body_hex,
            };
            let event = NewEvent {
                kind: EventKind::Malformed,
                dedupe_key: format!("malformed:{}", hex::encode(Sha256::digest(body))),
                agent: None,
                payload: serde_json::to_string(&payload).unwrap_or_default(),
            };
            (vec![event], true)
        }
    }
}
