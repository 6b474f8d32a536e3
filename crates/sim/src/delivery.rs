//! Posting webhooks to the relay the way Meta does: signed over the exact
//! bytes, sometimes several updates in one POST, sometimes the same POST
//! twice, and retried with growing pauses when the answer is not 200.
//!
//! Bounded everywhere: the queue has a capacity, at most `max_in_flight`
//! POSTs run at once, each has `max_attempts` tries with a timeout, and
//! everything stops at shutdown.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use hourglass_whatsapp::signature;
use rand::Rng;
use tokio::sync::{Semaphore, mpsc, oneshot};
use tokio::time::Instant;

use crate::config::webhook_url;
use crate::envelope::{Shape, Update, to_meta_bytes};
use crate::state::{Queued, SimState};

/// Drains the queue until shutdown.
pub(crate) async fn run(state: Arc<SimState>, mut rx: mpsc::Receiver<Queued>) {
    let policy = state.config.delivery.clone();
    let in_flight = Arc::new(Semaphore::new(policy.max_in_flight.max(1)));
    let mut shutdown = state.shutdown.clone();
    loop {
        let first = tokio::select! {
            item = rx.recv() => match item { Some(i) => i, None => break },
            _ = shutdown.wait_for(|down| *down) => break,
        };
        let mut batch = vec![first];
        if state.chance(policy.batch_probability) {
            let deadline = Instant::now() + policy.batch_window;
            while batch.len() < policy.max_batch.max(1) {
                match tokio::time::timeout_at(deadline, rx.recv()).await {
                    Ok(Some(item)) => batch.push(item),
                    _ => break,
                }
            }
        }
        let shape = if batch.len() == 1 {
            Shape::Grouped
        } else {
            match state.lock().rng.random_range(0..3) {
                0 => Shape::Grouped,
                1 => Shape::ChangePerUpdate,
                _ => Shape::EntryPerUpdate,
            }
        };
        let (updates, acks): (Vec<Update>, Vec<Option<oneshot::Sender<bool>>>) =
            batch.into_iter().map(|q| (q.update, q.ack)).unzip();
        let body = to_meta_bytes(&state.business.envelope(&updates, shape));
        let duplicate = state.chance(policy.duplicate_probability);

        let Some(url) = state.relay_url().map(|u| webhook_url(&u)) else {
            state
                .stats
                .undeliverable_no_relay
                .fetch_add(updates.len() as u64, Ordering::Relaxed);
            for ack in acks.into_iter().flatten() {
                let _ = ack.send(false);
            }
            continue;
        };
        let permit = tokio::select! {
            p = in_flight.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            _ = shutdown.wait_for(|down| *down) => break,
        };
        let state = state.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let ok = post(&state, &url, &body).await;
            for ack in acks.into_iter().flatten() {
                let _ = ack.send(ok);
            }
            if duplicate && ok {
                state.stats.duplicates.fetch_add(1, Ordering::Relaxed);
                post(&state, &url, &body).await;
            }
        });
    }
}

/// One POST with its retries. True once the relay answers 200.
pub(crate) async fn post(state: &SimState, url: &str, body: &[u8]) -> bool {
    let policy = &state.config.delivery;
    let header = signature::sign(state.config.app_secret.as_bytes(), body);
    for attempt in 1..=policy.max_attempts.max(1) {
        if state.is_shutting_down() {
            return false;
        }
        state.stats.posts.fetch_add(1, Ordering::Relaxed);
        let answer = state
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(signature::HEADER, &header)
            .body(body.to_vec())
            .send()
            .await;
        match answer {
            Ok(r) if r.status() == reqwest::StatusCode::OK => {
                state.stats.acknowledged.fetch_add(1, Ordering::Relaxed);
                return true;
            }
            Ok(r) => {
                tracing::debug!(status = %r.status(), attempt, "relay refused a webhook");
            }
            Err(e) => {
                tracing::debug!(error = %e, attempt, "webhook POST failed");
            }
        }
        state.stats.failed_attempts.fetch_add(1, Ordering::Relaxed);
        if attempt < policy.max_attempts && !state.sleep(backoff(state, attempt)).await {
            return false;
        }
    }
    state.stats.dropped.fetch_add(1, Ordering::Relaxed);
    tracing::warn!(
        url,
        "webhook dropped after {} attempts",
        policy.max_attempts
    );
    false
}

/// `retry_base * 2^(attempt-1)`, capped, with up to 25 % random extra so
/// retries of many webhooks do not arrive in lockstep.
fn backoff(state: &SimState, attempt: u32) -> Duration {
    let policy = &state.config.delivery;
    let exp = policy
        .retry_base
        .saturating_mul(1u32 << (attempt - 1).min(16))
        .min(policy.retry_cap);
    let extra = state.lock().rng.random_range(0.0..0.25);
    exp.mul_f64(1.0 + extra)
}
