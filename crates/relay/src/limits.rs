//! What one client, or all of them together, may take from a relay.
//!
//! Every limit answers with a clear error rather than a silent drop: a
//! connection over the cap is closed at once (a load balancer retries it on
//! another relay), a publisher over its rate gets 429 with `Retry-After`, an
//! agent over its stream count gets 429, a webhook over the concurrent-body
//! cap gets 503 (Meta retries it), and a slow or idle client is cut off.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::ApiError;

/// The relay's limits. [`Limits::default`] suits a team of a few dozen
/// agents; tests shorten the timeouts.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Open connections at once; one more is closed as soon as it is accepted.
    pub max_connections: usize,
    /// A client must send a whole request head within this.
    pub header_read_timeout: Duration,
    /// A connection with no bytes read or written for this long is closed.
    /// Longer than the stream heartbeat, so a quiet stream stays open.
    pub idle_timeout: Duration,
    /// A request body must arrive within this.
    pub body_timeout: Duration,
    /// Webhook bodies read at once before their signature is checked.
    pub max_unauthenticated_bodies: usize,
    /// Open `/v1/stream`s per agent.
    pub streams_per_agent: usize,
    /// Agent events one agent may publish per second, sustained.
    pub publish_per_second: NonZeroU32,
    /// Agent events one agent may publish in a burst.
    pub publish_burst: NonZeroU32,
    /// How often an open stream checks that its agent is still active, so a
    /// revoked agent stops receiving within this.
    pub revocation_check: Duration,
    /// On shutdown, how long in-flight requests may take before every
    /// connection is dropped.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 2_048,
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            body_timeout: Duration::from_secs(30),
            max_unauthenticated_bodies: 64,
            streams_per_agent: 8,
            publish_per_second: NonZeroU32::new(50).unwrap_or(NonZeroU32::MIN),
            publish_burst: NonZeroU32::new(500).unwrap_or(NonZeroU32::MIN),
            revocation_check: Duration::from_secs(1),
            shutdown_grace: Duration::from_secs(5),
        }
    }
}

/// Each agent's publishing rate.
pub(crate) struct PublishRate {
    limiter: DefaultKeyedRateLimiter<String>,
}

impl PublishRate {
    pub(crate) fn new(limits: &Limits) -> Self {
        let quota = Quota::per_second(limits.publish_per_second).allow_burst(limits.publish_burst);
        PublishRate {
            limiter: RateLimiter::keyed(quota),
        }
    }

    /// Takes one event from `agent`'s allowance, or says when to come back.
    pub(crate) fn check(&self, agent: &str) -> Result<(), ApiError> {
        match self.limiter.check_key(&agent.to_owned()) {
            Ok(()) => Ok(()),
            Err(not_until) => Err(ApiError::RateLimited {
                retry_after: not_until.wait_time_from(DefaultClock::default().now()),
            }),
        }
    }

    /// Forgets agents whose allowance is full again, so the map stays small.
    pub(crate) fn tidy(&self) {
        self.limiter.retain_recent();
    }
}

/// Open streams per agent.
#[derive(Default)]
pub(crate) struct StreamSlots {
    open: Mutex<HashMap<String, usize>>,
}

/// One open stream, given back when dropped.
pub(crate) struct StreamSlot {
    slots: Arc<StreamSlots>,
    agent: String,
}

impl StreamSlots {
    pub(crate) fn take(
        self: &Arc<Self>,
        agent: &str,
        limit: usize,
    ) -> Result<StreamSlot, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(agent.to_owned()).or_default();
        if *n >= limit {
            return Err(ApiError::TooManyStreams { limit });
        }
        *n += 1;
        Ok(StreamSlot {
            slots: Arc::clone(self),
            agent: agent.to_owned(),
        })
    }
}

impl StreamSlots {
    /// The agents holding at least one stream open.
    pub(crate) fn online(&self) -> Vec<String> {
        let open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        open.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(name, _)| name.clone())
            .collect()
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.slots.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.agent) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.agent);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn stream_slots_are_counted_per_agent_and_given_back() {
        let slots = Arc::new(StreamSlots::default());
        let a1 = slots.take("ana", 2).unwrap();
        let _a2 = slots.take("ana", 2).unwrap();
        assert!(matches!(
            slots.take("ana", 2),
            Err(ApiError::TooManyStreams { limit: 2 })
        ));
        let _b = slots.take("ben", 2).unwrap();
        drop(a1);
        assert!(slots.take("ana", 2).is_ok());
    }

    #[test]
    fn a_publisher_over_its_burst_is_told_when_to_come_back() {
        let limits = Limits {
            publish_per_second: NonZeroU32::new(1).unwrap(),
            publish_burst: NonZeroU32::new(3).unwrap(),
            ..Limits::default()
        };
        let rate = PublishRate::new(&limits);
        for _ in 0..3 {
            rate.check("ana").unwrap();
        }
        match rate.check("ana") {
            Err(ApiError::RateLimited { retry_after }) => {
                assert!(retry_after > Duration::ZERO && retry_after <= Duration::from_secs(1));
            }
            other => panic!("expected a rate limit, got {other:?}"),
        }
        // Another agent has its own allowance.
        rate.check("ben").unwrap();
    }
}
