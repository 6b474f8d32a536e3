//! Load generation against a relay: signed single-message webhooks at a fixed
//! rate for a fixed time, then a report of what the relay answered and how
//! fast.
//!
//! Both rate and duration are bounded ([`MAX_RATE`], [`MAX_DURATION`]), and
//! so is concurrency: when `max_in_flight` POSTs are already waiting, a tick
//! is counted as `skipped` instead of piling up, so an overloaded relay shows
//! as skipped sends rather than as a generator that falls behind silently.

use std::sync::Arc;
use std::time::{Duration, Instant};

use hourglass_whatsapp::signature;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde::Serialize;
use serde_json::json;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::SimError;
use crate::config::webhook_url;
use crate::customer::{self, Language};
use crate::envelope::{Business, Contact, Shape, Update, to_meta_bytes};
use crate::ids;
use crate::state::now_unix;

pub const MAX_RATE: u32 = 20_000;
pub const MAX_DURATION: Duration = Duration::from_secs(3_600);

#[derive(Debug, Clone)]
pub struct LoadConfig {
    /// The relay (base URL or full webhook URL).
    pub relay_url: String,
    pub app_secret: String,
    /// Webhooks per second, 1..=[`MAX_RATE`].
    pub rate: u32,
    /// How long to send, at most [`MAX_DURATION`].
    pub duration: Duration,
    pub max_in_flight: usize,
    /// Distinct customers the messages come from.
    pub customers: usize,
    pub waba_id: String,
    pub phone_number_id: String,
    pub display_phone_number: String,
    pub seed: u64,
}

impl LoadConfig {
    pub fn new(relay_url: impl Into<String>, app_secret: impl Into<String>) -> Self {
        let defaults = crate::SimConfig::default();
        Self {
            relay_url: relay_url.into(),
            app_secret: app_secret.into(),
            rate: 100,
            duration: Duration::from_secs(10),
            max_in_flight: 256,
            customers: 500,
            waba_id: defaults.waba_id,
            phone_number_id: defaults.phone_number_id,
            display_phone_number: defaults.display_phone_number,
            seed: defaults.seed,
        }
    }
}

/// What a load run observed. Latencies are of answered requests, in
/// milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadReport {
    pub sent: u64,
    /// Answered 200.
    pub accepted: u64,
    /// Answered with another status.
    pub rejected: u64,
    /// No answer (connection error or timeout).
    pub errors: u64,
    /// Ticks dropped because `max_in_flight` requests were pending.
    pub skipped: u64,
    pub elapsed_ms: u64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl std::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sent {} | accepted {} | rejected {} | errors {} | skipped {} | {:.1}s | latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
            self.sent,
            self.accepted,
            self.rejected,
            self.errors,
            self.skipped,
            self.elapsed_ms as f64 / 1000.0,
            self.p50_ms,
            self.p90_ms,
            self.p99_ms,
            self.max_ms
        )
    }
}

enum Outcome {
    Accepted(Duration),
    Rejected(Duration),
    Error,
}

/// Runs the load and returns the report. Stops by itself after `duration`,
/// then waits at most 30 s for answers still pending.
pub async fn run(cfg: LoadConfig) -> Result<LoadReport, SimError> {
    if cfg.rate == 0 || cfg.rate > MAX_RATE {
        return Err(SimError::Load(format!(
            "rate must be 1..={MAX_RATE} per second"
        )));
    }
    if cfg.duration.is_zero() || cfg.duration > MAX_DURATION {
        return Err(SimError::Load(format!(
            "duration must be more than 0 and at most {}s",
            MAX_DURATION.as_secs()
        )));
    }
    let url = webhook_url(&cfg.relay_url);
    let http = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(cfg.max_in_flight.max(1))
        .build()?;
    let business = Business {
        waba_id: cfg.waba_id.clone(),
        display_phone_number: cfg.display_phone_number.clone(),
        phone_number_id: cfg.phone_number_id.clone(),
    };
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let mut people: Vec<(Contact, Language)> = Vec::new();
    for i in 0..cfg.customers.clamp(1, 100_000) {
        let lang = Language::ALL[i % 3];
        let Some(number) = customer::random_number(&mut rng, lang) else {
            continue;
        };
        people.push((
            Contact {
                name: customer::random_name(&mut rng, lang),
                user_id: ids::user_id(&number.country, &number.wa_id),
                wa_id: number.wa_id,
                ..Contact::default()
            },
            lang,
        ));
    }
    if people.is_empty() {
        return Err(SimError::Load("no customer numbers could be drawn".into()));
    }

    let total = u64::from(cfg.rate) * cfg.duration.as_millis() as u64 / 1000;
    let total = total.max(1);
    let in_flight = Arc::new(Semaphore::new(cfg.max_in_flight.max(1)));
    let secret = Arc::new(cfg.app_secret.clone().into_bytes());
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / cfg.rate);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks: JoinSet<Outcome> = JoinSet::new();
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(total.min(1_000_000) as usize);
    let mut sent = 0u64;
    let mut skipped = 0u64;
    let started = Instant::now();

    for _ in 0..total {
        ticker.tick().await;
        while let Some(Ok(o)) = tasks.try_join_next() {
            outcomes.push(o);
        }
        let Ok(permit) = in_flight.clone().try_acquire_owned() else {
            skipped += 1;
            continue;
        };
        let Some((contact, lang)) = people.choose(&mut rng) else {
            break;
        };
        let message = json!({
            "from": contact.wa_id,
            "from_user_id": contact.user_id,
            "id": ids::wamid(&mut rng, &contact.wa_id),
            "timestamp": now_unix().to_string(),
            "type": "text",
            "text": {"body": customer::random_opener(&mut rng, *lang)},
        });
        let update = Update::Message {
            contact: contact.clone(),
            message,
        };
        let body = to_meta_bytes(&business.envelope(&[update], Shape::Grouped));
        let header = signature::sign(&secret, &body);
        let http = http.clone();
        let url = url.clone();
        sent += 1;
        tasks.spawn(async move {
            let _permit = permit;
            let t = Instant::now();
            let answer = http
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(signature::HEADER, header)
                .body(body)
                .send()
                .await;
            match answer {
                Ok(r) if r.status() == reqwest::StatusCode::OK => Outcome::Accepted(t.elapsed()),
                Ok(_) => Outcome::Rejected(t.elapsed()),
                Err(_) => Outcome::Error,
            }
        });
    }
    let drain = async {
        while let Some(done) = tasks.join_next().await {
            if let Ok(o) = done {
                outcomes.push(o);
            }
        }
    };
    if tokio::time::timeout(Duration::from_secs(30), drain)
        .await
        .is_err()
    {
        tasks.abort_all();
    }
    let elapsed = started.elapsed();

    let mut latencies: Vec<f64> = Vec::with_capacity(outcomes.len());
    let (mut accepted, mut rejected, mut errors) = (0, 0, 0);
    for o in &outcomes {
        match o {
            Outcome::Accepted(d) => {
                accepted += 1;
                latencies.push(d.as_secs_f64() * 1000.0);
            }
            Outcome::Rejected(d) => {
                rejected += 1;
                latencies.push(d.as_secs_f64() * 1000.0);
            }
            Outcome::Error => errors += 1,
        }
    }
    // Requests still pending at the deadline count as errors.
    errors += sent - outcomes.len() as u64;
    latencies.sort_by(f64::total_cmp);
    Ok(LoadReport {
        sent,
        accepted,
        rejected,
        errors,
        skipped,
        elapsed_ms: elapsed.as_millis() as u64,
        p50_ms: percentile(&latencies, 0.50),
        p90_ms: percentile(&latencies, 0.90),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
    })
}

/// Nearest-rank percentile of sorted values; 0 when empty.
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Parses `500ms`, `30s`, `2m`, `1h`, or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 30s, 500ms, 2m"))?;
    let secs = match unit {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(format!(
                "unknown unit {unit:?} in {text:?}; use ms, s, m or h"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("5d").is_err());
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 50.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
    }
}
