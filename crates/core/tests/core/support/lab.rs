//! What the core's integration tests stand up: a real relay on loopback with
//! one agent, and the Cloud API simulator posting to it. Included by each
//! test file with `#[path = "support/lab.rs"] mod lab;`.
#![allow(dead_code, clippy::unwrap_used)]

use hourglass_relay::{Config, Relay, RunningRelay};
use hourglass_sim::{Sim, SimConfig, SimHandle};
use std::path::Path;
use std::time::Duration;

/// A relay keeping its log in `dir`, signed webhooks checked with `secret`,
/// heartbeats every 200 ms; returns it with the token of agent "ana".
pub async fn start_relay(dir: &Path, secret: &str) -> (RunningRelay, String) {
    let relay = Relay::open(
        Config::new(dir.join("relay.db"), secret, "verify")
            .with_heartbeat(Duration::from_millis(200)),
    )
    .unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    (relay.start("127.0.0.1:0").await.unwrap(), token)
}

/// The simulator with test timings, posting to `relay` signed with `secret`.
pub async fn start_sim(relay: &RunningRelay, secret: &str) -> SimHandle {
    let mut config = SimConfig::fast().with_relay(format!("http://{}", relay.addr()));
    config.app_secret = secret.to_owned();
    Sim::start(config).await.unwrap()
}
