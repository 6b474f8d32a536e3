//! Counters for `GET /metrics`, in Prometheus text format. Plain atomics: the
//! handful of series does not justify a metrics framework.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};

use hourglass_protocol::EventKind;

use crate::store::{Appended, NewEvent};

/// Why a webhook POST was refused.
#[derive(Debug, Clone, Copy)]
pub enum Rejection {
    MissingSignature,
    BadSignature,
    TooLarge,
    /// Unreadable body, storage unavailable, shutting down.
    Error,
}

#[derive(Debug, Default)]
pub struct Metrics {
    webhooks_accepted: AtomicU64,
    webhooks_malformed: AtomicU64,
    rejected_missing_signature: AtomicU64,
    rejected_bad_signature: AtomicU64,
    rejected_too_large: AtomicU64,
    rejected_error: AtomicU64,
    events_webhook: AtomicU64,
    events_malformed: AtomicU64,
    events_agent: AtomicU64,
    events_duplicate: AtomicU64,
    commits: AtomicU64,
    commits_failed: AtomicU64,
    subscribers: AtomicI64,
    stream_catch_ups: AtomicU64,
    last_commit_failed: AtomicBool,
    connections_refused: AtomicU64,
    publishes_limited: AtomicU64,
    streams_refused: AtomicU64,
    streams_revoked: AtomicU64,
    events_pruned: AtomicU64,
}

impl Metrics {
    pub fn webhook_accepted(&self, malformed: bool) {
        self.webhooks_accepted.fetch_add(1, Relaxed);
        if malformed {
            self.webhooks_malformed.fetch_add(1, Relaxed);
        }
    }

    pub fn webhook_rejected(&self, why: Rejection) {
        match why {
            Rejection::MissingSignature => &self.rejected_missing_signature,
            Rejection::BadSignature => &self.rejected_bad_signature,
            Rejection::TooLarge => &self.rejected_too_large,
            Rejection::Error => &self.rejected_error,
        }
        .fetch_add(1, Relaxed);
    }

    pub(crate) fn record_commit(&self, events: &[NewEvent], results: &[Appended]) {
        self.commits.fetch_add(1, Relaxed);
        self.last_commit_failed.store(false, Relaxed);
        for (e, r) in events.iter().zip(results) {
            let counter = match (r, e.kind) {
                (Appended::Duplicate(_), _) => &self.events_duplicate,
                (Appended::New(_), EventKind::Webhook) => &self.events_webhook,
                (Appended::New(_), EventKind::Malformed) => &self.events_malformed,
                (Appended::New(_), EventKind::Agent) => &self.events_agent,
            };
            counter.fetch_add(1, Relaxed);
        }
    }

    pub(crate) fn record_failed_commit(&self) {
        self.commits_failed.fetch_add(1, Relaxed);
        self.last_commit_failed.store(true, Relaxed);
    }

    /// Whether the most recent commit failed (cleared by the next success).
    pub fn last_commit_failed(&self) -> bool {
        self.last_commit_failed.load(Relaxed)
    }

    pub(crate) fn connection_refused(&self) {
        self.connections_refused.fetch_add(1, Relaxed);
    }

    pub(crate) fn publish_limited(&self) {
        self.publishes_limited.fetch_add(1, Relaxed);
    }

    pub(crate) fn stream_refused(&self) {
        self.streams_refused.fetch_add(1, Relaxed);
    }

    pub(crate) fn stream_revoked(&self) {
        self.streams_revoked.fetch_add(1, Relaxed);
    }

    pub(crate) fn pruned(&self, n: u64) {
        self.events_pruned.fetch_add(n, Relaxed);
    }

    pub fn subscriber_joined(&self) {
        self.subscribers.fetch_add(1, Relaxed);
    }

    pub fn subscriber_left(&self) {
        self.subscribers.fetch_sub(1, Relaxed);
    }

    /// A subscriber fell behind the live buffer and re-read from the store.
    pub fn stream_caught_up(&self) {
        self.stream_catch_ups.fetch_add(1, Relaxed);
    }

    /// Transactions committed so far; webhooks per commit shows group commit at work.
    pub fn commits(&self) -> u64 {
        self.commits.load(Relaxed)
    }

    pub fn subscribers(&self) -> i64 {
        self.subscribers.load(Relaxed)
    }

    /// The Prometheus exposition; `head` is the log's highest `seq`.
    pub fn render(&self, head: Option<u64>) -> String {
        let mut out = String::with_capacity(2048);
        let mut series = |name: &str, kind: &str, help: &str, rows: &[(&str, i128)]| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (labels, v) in rows {
                let _ = writeln!(out, "{name}{labels} {v}");
            }
        };
        let get = |c: &AtomicU64| i128::from(c.load(Relaxed));
        series(
            "hourglass_relay_webhooks_accepted_total",
            "counter",
            "Webhook POSTs answered 200 after their updates were committed.",
            &[("", get(&self.webhooks_accepted))],
        );
        series(
            "hourglass_relay_webhooks_malformed_total",
            "counter",
            "Accepted webhook POSTs whose body was not a webhook envelope (stored raw).",
            &[("", get(&self.webhooks_malformed))],
        );
        series(
            "hourglass_relay_webhooks_rejected_total",
            "counter",
            "Webhook POSTs refused, by reason; nothing of them was stored.",
            &[
                (
                    "{reason=\"missing_signature\"}",
                    get(&self.rejected_missing_signature),
                ),
                (
                    "{reason=\"bad_signature\"}",
                    get(&self.rejected_bad_signature),
                ),
                ("{reason=\"too_large\"}", get(&self.rejected_too_large)),
                ("{reason=\"error\"}", get(&self.rejected_error)),
            ],
        );
        series(
            "hourglass_relay_events_appended_total",
            "counter",
            "Events appended to the log, by kind.",
            &[
                ("{kind=\"webhook\"}", get(&self.events_webhook)),
                ("{kind=\"malformed\"}", get(&self.events_malformed)),
                ("{kind=\"agent\"}", get(&self.events_agent)),
            ],
        );
        series(
            "hourglass_relay_events_duplicate_total",
            "counter",
            "Updates not appended because their dedupe key was already in the log.",
            &[("", get(&self.events_duplicate))],
        );
        series(
            "hourglass_relay_commits_total",
            "counter",
            "Transactions committed by the journal (group commits).",
            &[("", get(&self.commits))],
        );
        series(
            "hourglass_relay_commits_failed_total",
            "counter",
            "Transactions that failed and were rolled back.",
            &[("", get(&self.commits_failed))],
        );
        series(
            "hourglass_relay_stream_subscribers",
            "gauge",
            "Open /v1/stream connections.",
            &[("", i128::from(self.subscribers()))],
        );
        series(
            "hourglass_relay_stream_lag_recoveries_total",
            "counter",
            "Times a slow subscriber fell behind the live buffer and re-read the gap from the log.",
            &[("", get(&self.stream_catch_ups))],
        );
        series(
            "hourglass_relay_connections_refused_total",
            "counter",
            "Connections closed at once because the relay was at its connection limit.",
            &[("", get(&self.connections_refused))],
        );
        series(
            "hourglass_relay_limited_total",
            "counter",
            "Requests refused by a per-agent limit, by limit.",
            &[
                ("{limit=\"publish_rate\"}", get(&self.publishes_limited)),
                ("{limit=\"streams\"}", get(&self.streams_refused)),
            ],
        );
        series(
            "hourglass_relay_streams_revoked_total",
            "counter",
            "Open streams ended because their agent was revoked.",
            &[("", get(&self.streams_revoked))],
        );
        series(
            "hourglass_relay_events_pruned_total",
            "counter",
            "Events removed by retention.",
            &[("", get(&self.events_pruned))],
        );
        series(
            "hourglass_relay_last_commit_failed",
            "gauge",
            "1 when the most recent commit to the event log failed.",
            &[("", i128::from(u8::from(self.last_commit_failed())))],
        );
        if let Some(head) = head {
            series(
                "hourglass_relay_log_head_seq",
                "gauge",
                "The highest sequence number in the event log.",
                &[("", i128::from(head))],
            );
        }
        out
    }
}
