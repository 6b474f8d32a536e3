//! Working the figures out in the background. Writes only mark the
//! conversations they touch ([`crate::store::report_figures`]); a report
//! works out what is marked before it reads. After a long catch-up that can
//! be every conversation (12 s for 10,000 conversations and 1,000,000
//! messages), so the session works marked conversations out while the sync
//! is quiet, a few at a time, and the report the agent opens finds little
//! or nothing left to do.

use std::sync::{Arc, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

use super::figures;
use crate::error::Result;
use crate::store::{SharedStore, Store, report_figures};

/// How long the sync must have been quiet before figures are worked out.
pub const QUIET: Duration = Duration::from_secs(2);

/// Conversations worked out per turn of the store's lock: about 50 ms on
/// the benchmark's store, so a batch the sync brings meanwhile waits little.
pub const CHUNK: i64 = 50;

/// Works out at most `limit` marked conversations in one transaction.
/// Returns whether some are still marked.
pub fn work_out_some(store: &Store, limit: i64) -> Result<bool> {
    store.with_connection(|conn| {
        let tx = conn.unchecked_transaction()?;
        report_figures::refresh_some(&tx, limit)?;
        let more = report_figures::pending(&tx)?;
        tx.commit()?;
        Ok(more)
    })
}

/// Whether some conversation waits to have its figures worked out.
pub fn pending(store: &Store) -> Result<bool> {
    store.with_connection(report_figures::pending)
}

/// Works out every marked conversation now (what a report does first).
pub fn work_out_all(store: &Store) -> Result<()> {
    store.with_connection(figures::catch_up)
}

fn lock(store: &SharedStore) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs until `activity` closes: whenever nothing has come through
/// `activity` (the sync's updates) for `quiet`, works out the marked
/// conversations [`CHUNK`] at a time, stopping as soon as something comes
/// through again; when none is marked, sleeps until the next activity.
pub async fn keep_figures<T: Clone>(
    store: SharedStore,
    mut activity: broadcast::Receiver<T>,
    quiet: Duration,
) {
    loop {
        match tokio::time::timeout(quiet, activity.recv()).await {
            Ok(Ok(_) | Err(RecvError::Lagged(_))) => continue,
            Ok(Err(RecvError::Closed)) => return,
            Err(_) => {}
        }
        // Quiet: work marked conversations out until none is left or the
        // sync has something again.
        loop {
            let s = Arc::clone(&store);
            let turn = tokio::task::spawn_blocking(move || work_out_some(&lock(&s), CHUNK)).await;
            let more = match turn {
                Ok(Ok(more)) => more,
                Ok(Err(e)) => {
                    tracing::warn!(error = %e, "reports: cannot work figures out now");
                    false
                }
                Err(e) => {
                    tracing::warn!(error = %e, "reports: working figures out stopped");
                    false
                }
            };
            if !more {
                // Nothing left: wait for the next activity, then for quiet.
                match activity.recv().await {
                    Ok(_) | Err(RecvError::Lagged(_)) => break,
                    Err(RecvError::Closed) => return,
                }
            }
            match activity.try_recv() {
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Closed) => return,
                Ok(_) | Err(TryRecvError::Lagged(_)) => break,
            }
        }
    }
}
