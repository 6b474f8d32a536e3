//! Demo mode: the relay and the Cloud API simulator run inside the app on
//! loopback, and the app connects to them exactly as it would to a team's
//! relay and to Meta. Nothing is special-cased downstream: sync, store and
//! window take the production code paths.
//!
//! A colleague, [`COLLEAGUE`], shares the demo relay, so team work can be
//! tried alone: once the inbox is filled she takes the newest scripted
//! conversation (an assignment and a private note, published as agent
//! events like any desktop's) and keeps it open (presence, renewed while
//! the demo runs). A moment later she hands the scripted conversation
//! before it over to the agent, which raises the "assigned to you"
//! notification. She never writes to a customer, so the demo never holds
//! a reply with a collision warning the agent did not cause.

use crate::relay::RelayClient;
use crate::secrets::Secret;
use crate::team::{ConversationKey, TeamAction};
use hourglass_protocol::{PresenceState, PresenceUpdate};
use hourglass_relay::{Config as RelayConfig, Relay, RunningRelay};
use hourglass_sim::{Sim, SimConfig, SimHandle};
use std::path::Path;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The agent name demo mode signs in as.
pub const AGENT: &str = "you";

/// The colleague who shares the demo's number.
pub const COLLEAGUE: &str = "maria";

/// How long after the inbox is filled the colleague hands a chat over: long
/// enough for the window to be up and to have said its language.
const HANDOVER_AFTER: Duration = Duration::from_secs(6);

/// How often the colleague says she is still viewing (the relay forgets
/// "viewing" after 30 s).
const COLLEAGUE_RENEW: Duration = Duration::from_secs(20);

pub struct Demo {
    pub relay: RunningRelay,
    pub sim: SimHandle,
    pub agent_token: Secret,
    colleague: JoinHandle<()>,
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
        let agent_token = Secret::new(
            relay
                .add_agent(AGENT)
                .map_err(|e| DemoError::Relay(e.to_string()))?
                .expose(),
        );
        let colleague_token = relay
            .add_agent(COLLEAGUE)
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
        let phone_number_id = sim.config().phone_number_id.clone();
        let report = sim
            .run_scenario("demo")
            .await
            .map_err(|e| DemoError::Sim(e.to_string()))?;
        let key = |wa_id: &String| ConversationKey {
            customer: format!("+{wa_id}"),
            phone_number_id: phone_number_id.clone(),
        };
        let mut newest = report.customers.iter().rev();
        let colleague = tokio::spawn(colleague(
            relay.url(),
            colleague_token,
            newest.next().map(key),
            newest.next().map(key),
        ));
        tracing::info!(
            relay = %relay.url(),
            graph = %sim.graph_base_url(),
            "demo mode: relay and simulator running on loopback"
        );
        Ok(Demo {
            relay,
            sim,
            agent_token,
            colleague,
        })
    }

    pub async fn shutdown(self) {
        self.colleague.abort();
        self.sim.shutdown().await;
        if let Err(err) = self.relay.shutdown().await {
            tracing::warn!("demo relay did not stop cleanly: {err}");
        }
    }
}

/// What the demo's colleague does: takes `conversation` and keeps it open
/// until the demo stops. Best effort: a failure is logged, the demo goes on.
async fn colleague(
    relay_url: String,
    token: String,
    conversation: Option<ConversationKey>,
    handover: Option<ConversationKey>,
) {
    let Some(conversation) = conversation else {
        return;
    };
    let relay = match RelayClient::new(&relay_url, Secret::new(token)) {
        Ok(relay) => relay,
        Err(err) => {
            tracing::warn!("demo colleague: {err}");
            return;
        }
    };
    let actions = [
        TeamAction::Assign {
            conversation: conversation.clone(),
            assignee: Some(COLLEAGUE.to_owned()),
        },
        TeamAction::Note {
            id: "demo-colleague-note".to_owned(),
            conversation: conversation.clone(),
            body: "I'm on this one: waiting for the warehouse to confirm the delivery date."
                .to_owned(),
        },
    ];
    for (i, action) in actions.iter().enumerate() {
        // Fixed idempotency keys: a retried publish is taken once.
        if let Err(err) = action.publish(&relay, &format!("demo-colleague-{i}")).await {
            tracing::warn!("demo colleague: {err}");
        }
    }
    if let Some(handover) = handover {
        tokio::time::sleep(HANDOVER_AFTER).await;
        let action = TeamAction::Assign {
            conversation: handover,
            assignee: Some(AGENT.to_owned()),
        };
        if let Err(err) = action.publish(&relay, "demo-colleague-handover").await {
            tracing::warn!("demo colleague: {err}");
        }
    }
    let viewing = PresenceUpdate {
        customer: conversation.customer,
        phone_number_id: conversation.phone_number_id,
        state: PresenceState::Viewing,
    };
    loop {
        if let Err(err) = relay.set_presence(&viewing).await {
            tracing::debug!("demo colleague presence: {err}");
        }
        tokio::time::sleep(COLLEAGUE_RENEW).await;
    }
}
