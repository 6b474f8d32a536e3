//! Retention: events older than a chosen age are removed from the bottom of
//! the log in small batches, so ingest never waits long behind a prune.
//!
//! A desktop whose cursor falls below what is kept is told so with 410
//! [`history_pruned`](hourglass_protocol::error_code::HISTORY_PRUNED) and the
//! horizon, rather than silently missing the removed events.

use std::time::Duration;

use crate::AppState;
use crate::error::ApiError;
use crate::journal::now_ms;
use crate::store::{EventStore, StoreError};

/// Events removed per transaction.
pub const PRUNE_BATCH: u32 = 1_000;
/// The pause between two batches, which lets queued commits through.
const PRUNE_PAUSE: Duration = Duration::from_millis(5);
/// How often a serving relay prunes and tidies its rate limiter.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(300);

/// Parses an age such as `90d`, `12h` or `2w`.
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let age = humantime::parse_duration(text.trim())
        .map_err(|e| format!("{text:?} is not an age like 90d, 12h or 2w: {e}"))?;
    if age.is_zero() {
        return Err("the age must be more than zero".into());
    }
    Ok(age)
}

/// The Unix-millisecond time before which events are old at `now_ms`.
pub fn cutoff_ms(older_than: Duration, now_ms: i64) -> i64 {
    now_ms.saturating_sub(i64::try_from(older_than.as_millis()).unwrap_or(i64::MAX))
}

/// Removes every event committed more than `older_than` ago (but never the
/// newest), in batches of [`PRUNE_BATCH`]; `progress` hears the running total
/// after each batch. Blocking: run it off the async workers.
pub fn prune(
    store: &dyn EventStore,
    older_than: Duration,
    mut progress: impl FnMut(u64),
) -> Result<u64, StoreError> {
    let before = cutoff_ms(older_than, now_ms());
    let mut total = 0;
    loop {
        let removed = store.prune(before, PRUNE_BATCH)?;
        if removed == 0 {
            return Ok(total);
        }
        total += removed;
        progress(total);
        std::thread::sleep(PRUNE_PAUSE);
    }
}

/// Refuses a read from `after` when events after it have been pruned.
pub(crate) async fn check_cursor(state: &AppState, after: u64) -> Result<(), ApiError> {
    let store = state.store();
    let horizon = tokio::task::spawn_blocking(move || -> Result<_, StoreError> {
        if after >= store.pruned_through()? {
            return Ok(None);
        }
        store.horizon()
    })
    .await
    .map_err(|_| ApiError::ShuttingDown)??;
    match horizon {
        Some(h) => Err(ApiError::HistoryPruned(h)),
        None => Ok(()),
    }
}

/// A serving relay's periodic chores: pruning (when `retain` is set) and
/// forgetting idle publishers' rate allowances.
pub(crate) async fn housekeeping(state: AppState, retain: Option<Duration>) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tick.tick().await;
        state.publish_rate().tidy();
        let Some(retain) = retain else { continue };
        let store = state.store();
        let pruned =
            tokio::task::spawn_blocking(move || prune(store.as_ref(), retain, |_| {})).await;
        match pruned {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => {
                state.metrics().pruned(n);
                tracing::info!(removed = n, "retention removed old events");
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "retention failed; will retry"),
            Err(_) => return,
        }
    }
}
