//! Read receipts: telling Meta that the agent read a customer's messages
//! (the customer's blue ticks).
//!
//! A receipt is best effort, but it must never hammer Meta: opening a chat,
//! focusing the window and every live update may all ask for the same
//! receipt. [`ReadReceipts`] sends each wamid's receipt once at a time and
//! remembers the ones done or refused; a failure that may pass is retried
//! with exponential back-off, capped, a bounded number of times
//! ([`ReceiptPolicy`]); a permanent refusal ([`is_permanent`]: a 4xx that is
//! not a rate limit) stops at once.

use crate::graph::{GraphClient, GraphError};
use hourglass_whatsapp::graph_error::{ErrorClass, ErrorCode};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How a receipt is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceiptPolicy {
    /// The pause after the first failure; it doubles after each next one.
    pub first_delay: Duration,
    /// The longest pause.
    pub max_delay: Duration,
    /// Attempts in all, the first included.
    pub max_attempts: u32,
}

impl Default for ReceiptPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(120),
            max_attempts: 8,
        }
    }
}

impl ReceiptPolicy {
    /// The pause before attempt `failures + 1`, after `failures` failed
    /// attempts the last of which failed with `error`; `None`: stop.
    pub fn next_delay(&self, failures: u32, error: &GraphError) -> Option<Duration> {
        if is_permanent(error) || failures >= self.max_attempts || failures == 0 {
            return None;
        }
        let factor = 2u32.saturating_pow(failures - 1);
        Some(self.first_delay.saturating_mul(factor).min(self.max_delay))
    }
}

/// Whether Meta refused for good: a 4xx answer other than 429 and other than
/// a rate limit (Meta sends some of those as 400). Answers that are not
/// Meta's (a bad address, a damaged body) do not pass by waiting either.
pub fn is_permanent(error: &GraphError) -> bool {
    match error {
        GraphError::Api {
            status,
            class,
            envelope,
        } => {
            let rate_limited = matches!(
                class,
                ErrorClass::Transient | ErrorClass::NumberRateLimit | ErrorClass::PairRateLimit
            ) || matches!(
                ErrorCode::from_code(envelope.error.code),
                Some(ErrorCode::AppRateLimit | ErrorCode::WabaRateLimit | ErrorCode::SpamRateLimit)
            );
            (400..500).contains(status) && *status != 429 && !rate_limited
        }
        GraphError::Http { status, .. } => (400..500).contains(status) && *status != 429,
        GraphError::Transport { .. } | GraphError::MediaMismatch { .. } => false,
        GraphError::Decode { .. }
        | GraphError::ForeignUrl { .. }
        | GraphError::MediaTooLarge { .. }
        | GraphError::BadBaseUrl { .. }
        | GraphError::BadToken => true,
    }
}

/// How one receipt ended.
#[derive(Debug)]
pub enum ReceiptOutcome {
    /// Meta took it after `attempts` tries.
    Marked { attempts: u32 },
    /// Meta refused it for good; it is not asked again for this wamid.
    Refused { attempts: u32, error: GraphError },
    /// Still failing after the policy's last attempt; a later call may try again.
    GaveUp { attempts: u32, error: GraphError },
    /// The same receipt is being sent, was sent, or was refused for good.
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    InFlight,
    Done,
}

/// The wamids remembered; past this the memory starts again (a receipt
/// sent twice is harmless, an unbounded map is not).
const REMEMBERED: usize = 4096;

/// Sends read receipts, each at most once at a time and never again once
/// Meta took or refused it.
#[derive(Debug, Default)]
pub struct ReadReceipts {
    policy: ReceiptPolicy,
    known: Mutex<HashMap<String, Known>>,
}

impl ReadReceipts {
    pub fn new(policy: ReceiptPolicy) -> Self {
        Self {
            policy,
            known: Mutex::new(HashMap::new()),
        }
    }

    /// Tells Meta that `wamid` (and the customer's messages before it) was
    /// read, retrying as [`ReceiptPolicy`] says.
    pub async fn mark(&self, graph: &GraphClient, wamid: &str) -> ReceiptOutcome {
        if !self.claim(wamid) {
            return ReceiptOutcome::Skipped;
        }
        let mut attempts = 0u32;
        let outcome = loop {
            attempts += 1;
            match graph.mark_read(wamid).await {
                Ok(()) => break ReceiptOutcome::Marked { attempts },
                Err(error) if is_permanent(&error) => {
                    break ReceiptOutcome::Refused { attempts, error };
                }
                Err(error) => match self.policy.next_delay(attempts, &error) {
                    Some(pause) => {
                        tracing::debug!(
                            attempts,
                            ?pause,
                            code = %error.code(),
                            "read receipt: retrying"
                        );
                        tokio::time::sleep(pause).await;
                    }
                    None => break ReceiptOutcome::GaveUp { attempts, error },
                },
            }
        };
        self.settle(wamid, !matches!(outcome, ReceiptOutcome::GaveUp { .. }));
        outcome
    }

    /// Notes `wamid` as in flight; false when it already is, or is done.
    fn claim(&self, wamid: &str) -> bool {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        if known.contains_key(wamid) {
            return false;
        }
        if known.len() >= REMEMBERED {
            known.retain(|_, k| *k == Known::InFlight);
        }
        known.insert(wamid.to_owned(), Known::InFlight);
        true
    }

    fn settle(&self, wamid: &str, done: bool) {
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        if done {
            known.insert(wamid.to_owned(), Known::Done);
        } else {
            known.remove(wamid);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_whatsapp::graph_error::{GraphError as MetaError, classify};

    fn api(code: ErrorCode, status: u16) -> GraphError {
        GraphError::Api {
            envelope: MetaError::new(code, "x").into_envelope(),
            class: classify(code.code()),
            status,
        }
    }

    #[test]
    fn back_off_doubles_up_to_the_cap_and_ends() {
        let p = ReceiptPolicy {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(5),
            max_attempts: 6,
        };
        let e = api(ErrorCode::SomethingWentWrong, 500);
        let pauses: Vec<_> = (1..=6).map(|n| p.next_delay(n, &e)).collect();
        let s = Duration::from_secs;
        assert_eq!(
            pauses,
            vec![
                Some(s(1)),
                Some(s(2)),
                Some(s(4)),
                Some(s(5)),
                Some(s(5)),
                None
            ]
        );
    }

    #[test]
    fn a_4xx_refusal_is_permanent_unless_it_is_a_rate_limit() {
        assert!(is_permanent(&api(ErrorCode::InvalidParameter, 400)));
        assert!(is_permanent(&api(ErrorCode::AccessTokenInvalid, 401)));
        assert!(!is_permanent(&api(ErrorCode::ThroughputLimit, 429)));
        assert!(!is_permanent(&api(ErrorCode::AppRateLimit, 400)));
        assert!(!is_permanent(&api(ErrorCode::WabaRateLimit, 400)));
        assert!(!is_permanent(&api(ErrorCode::PairRateLimit, 400)));
        assert!(!is_permanent(&api(ErrorCode::SomethingWentWrong, 500)));
        let http = |status| GraphError::Http {
            what: "x",
            host: "h".into(),
            status,
        };
        assert!(is_permanent(&http(404)));
        assert!(!is_permanent(&http(429)));
        assert!(!is_permanent(&http(503)));
        let p = ReceiptPolicy::default();
        assert_eq!(
            p.next_delay(1, &api(ErrorCode::InvalidParameter, 400)),
            None
        );
    }
}
