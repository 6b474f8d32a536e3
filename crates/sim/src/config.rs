//! How a simulator instance is set up: identity of the fake business, where
//! webhooks go, and how Meta-like (slow, batched, duplicated) it behaves.

use std::net::SocketAddr;
use std::time::Duration;

/// Everything [`crate::Sim::start`] needs. [`SimConfig::default`] is a
/// believable demo business; [`SimConfig::fast`] is the same with delays of a
/// few milliseconds and no randomness in delivery, for tests.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where the fake Graph API and control API listen; `127.0.0.1:0` picks a
    /// free port.
    pub listen: SocketAddr,
    /// The relay's webhook URL. A URL without a path gets `/webhook` appended.
    /// `None`: updates are generated and counted but posted nowhere.
    pub relay_url: Option<String>,
    /// Key of `X-Hub-Signature-256` on every webhook.
    pub app_secret: String,
    /// The Bearer token the fake Graph API accepts.
    pub access_token: String,
    pub phone_number_id: String,
    pub waba_id: String,
    /// The business number customers write to, digits only.
    pub display_phone_number: String,
    /// Seeds every random choice: names, numbers, delays, batching.
    pub seed: u64,
    pub timing: Timing,
    pub delivery: DeliveryPolicy,
    /// How many accepted requests `GET /_sim/sent` keeps (oldest dropped).
    pub sent_log_capacity: usize,
    /// How long a media id is served after its message's timestamp, as
    /// Meta's are (about 30 days); then `GET /{media-id}` answers Meta's
    /// "does not exist" error (100, subcode 33).
    pub media_ttl: Duration,
}

/// When things happen after a send, and how customers behave.
#[derive(Debug, Clone)]
pub struct Timing {
    /// From acceptance to the `sent` (or `failed`) status.
    pub sent: Duration,
    /// From `sent` to `delivered`.
    pub delivered: Duration,
    /// From `delivered` to `read`.
    pub read: Duration,
    /// Each delay is stretched by a random factor in `[1, 1 + jitter]`.
    pub jitter: f64,
    /// Chance that a delivered message is read.
    pub read_probability: f64,
    /// Chance that a customer answers an agent's message.
    pub reply_probability: f64,
    /// How long a customer takes to answer.
    pub reply_delay: Duration,
    /// Time between two new leads in the `demo` scenario.
    pub lead_interval: Duration,
    /// The `demo` scenario stops making leads after this many.
    pub max_leads: u32,
}

/// How webhooks are posted. Meta batches, duplicates and retries; so does
/// the simulator, with these knobs.
#[derive(Debug, Clone)]
pub struct DeliveryPolicy {
    /// Chance that a POST waits `batch_window` to gather more updates.
    pub batch_probability: f64,
    pub batch_window: Duration,
    /// Most updates in one POST.
    pub max_batch: usize,
    /// Chance that a POST is made a second time with the same bytes.
    pub duplicate_probability: f64,
    /// Attempts per POST, the first included; then the POST is dropped.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubles each time up to `retry_cap`.
    pub retry_base: Duration,
    pub retry_cap: Duration,
    /// Per-attempt timeout; no answer counts as a failure, as with Meta.
    pub request_timeout: Duration,
    /// Concurrent POSTs.
    pub max_in_flight: usize,
    /// Updates waiting to be posted; producers wait when it is full.
    pub queue_capacity: usize,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            relay_url: None,
            app_secret: "hourglass-demo-app-secret".to_owned(),
            access_token: "hourglass-demo-access-token".to_owned(),
            phone_number_id: "106540352242922".to_owned(),
            waba_id: "102290129340398".to_owned(),
            display_phone_number: "15550783881".to_owned(),
            seed: 7,
            timing: Timing::default(),
            delivery: DeliveryPolicy::default(),
            sent_log_capacity: 10_000,
            media_ttl: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            sent: Duration::from_millis(400),
            delivered: Duration::from_millis(1_200),
            read: Duration::from_secs(6),
            jitter: 1.0,
            read_probability: 0.8,
            reply_probability: 0.5,
            reply_delay: Duration::from_secs(8),
            lead_interval: Duration::from_secs(4),
            max_leads: 500,
        }
    }
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        Self {
            batch_probability: 0.3,
            batch_window: Duration::from_millis(250),
            max_batch: 50,
            duplicate_probability: 0.03,
            max_attempts: 10,
            retry_base: Duration::from_millis(500),
            retry_cap: Duration::from_secs(60),
            request_timeout: Duration::from_secs(10),
            max_in_flight: 16,
            queue_capacity: 10_000,
        }
    }
}

impl SimConfig {
    /// Millisecond delays, every message read, no customer replies, no
    /// batching or duplicates, quick retries: what tests want. Tests that
    /// exercise batching or duplicates turn those on explicitly.
    pub fn fast() -> Self {
        Self {
            timing: Timing {
                sent: Duration::from_millis(5),
                delivered: Duration::from_millis(5),
                read: Duration::from_millis(5),
                jitter: 0.0,
                read_probability: 1.0,
                reply_probability: 0.0,
                reply_delay: Duration::from_millis(20),
                lead_interval: Duration::from_millis(50),
                max_leads: 20,
            },
            delivery: DeliveryPolicy {
                batch_probability: 0.0,
                batch_window: Duration::from_millis(30),
                max_batch: 50,
                duplicate_probability: 0.0,
                max_attempts: 6,
                retry_base: Duration::from_millis(10),
                retry_cap: Duration::from_millis(100),
                request_timeout: Duration::from_secs(5),
                max_in_flight: 8,
                queue_capacity: 10_000,
            },
            ..Self::default()
        }
    }

    pub fn with_relay(mut self, url: impl Into<String>) -> Self {
        self.relay_url = Some(url.into());
        self
    }
}

/// The relay URL to POST to: `/webhook` is appended when no path was given.
pub(crate) fn webhook_url(relay: &str) -> String {
    let trimmed = relay.trim_end_matches('/');
    let after_scheme = trimmed.split_once("://").map_or(trimmed, |(_, rest)| rest);
    if after_scheme.contains('/') {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/webhook")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_urls_get_the_webhook_path_only_when_missing() {
        assert_eq!(
            webhook_url("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/webhook"
        );
        assert_eq!(
            webhook_url("http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/webhook"
        );
        assert_eq!(
            webhook_url("http://h:1/hooks/meta"),
            "http://h:1/hooks/meta"
        );
    }
}
