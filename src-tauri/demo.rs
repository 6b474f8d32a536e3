//! Demo mode: the relay and the Cloud API simulator run inside the app on
//! loopback, and the app connects to them exactly as it would to a team's
//! relay and to Meta. Nothing is special-cased downstream: sync, store and
//! window take the production code paths.

use hourglass_relay::{Config as RelayConfig, Relay, RunningRelay};
use hourglass_sim::{Sim, SimConfig, SimHandle};
use std::path::Path;

/// The agent name demo mode signs in as.
pub const AGENT: &str = "you";

pub struct Demo {
    pub relay: RunningRelay,
    pub sim: SimHandle,
    pub agent_token: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("The demo relay could not start: {0}")]
    Relay(String),
    #[error("The demo simulator could not start: {0}")]
    Sim(String),
}

impl Demo {
    /// Starts a relay keeping its log in `dir`, a simulator posting to it,
    /// and the scenario that fills the inbox and keeps leads coming.
    pub async fn start(dir: &Path) -> Result<Demo, DemoError> {
        // Fresh secrets each run: the demo relay listens on loopback only, but
        // nothing should accept webhooks signed with a published key.
        let app_secret = uuid::Uuid::new_v4().simple().to_string();
        let verify_token = uuid::Uuid::new_v4().simple().to_string();
        let relay = Relay::open(RelayConfig::new(
            dir.join("relay.db"),
            app_secret.as_str(),
            verify_token.as_str(),
        ))
        .map_err(|e| DemoError::Relay(e.to_string()))?;
        let agent_token = relay
            .add_agent(AGENT)
            .map_err(|e| DemoError::Relay(e.to_string()))?
            .expose()
            .to_owned();
        let relay = relay
            .start("127.0.0.1:0")
            .await
            .map_err(|e| DemoError::Relay(e.to_string()))?;
        let sim = Sim::start(SimConfig {
            app_secret,
            ..SimConfig::default().with_relay(relay.url())
        })
        .await
        .map_err(|e| DemoError::Sim(e.to_string()))?;
        sim.run_scenario("demo")
            .await
            .map_err(|e| DemoError::Sim(e.to_string()))?;
        tracing::info!(
            relay = %relay.url(),
            graph = %sim.graph_base_url(),
            "demo mode: relay and simulator running on loopback"
        );
        Ok(Demo {
            relay,
            sim,
            agent_token,
        })
    }

    pub async fn shutdown(self) {
        self.sim.shutdown().await;
        if let Err(err) = self.relay.shutdown().await {
            tracing::warn!("demo relay did not stop cleanly: {err}");
        }
    }
}
