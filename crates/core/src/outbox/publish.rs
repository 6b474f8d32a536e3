//! Publishing `outbound` agent events to the relay, so every other desktop
//! files the message this one sent.

use crate::secrets::Secret;
use hourglass_protocol::{PublishRequest, PublishResponse, path};
use std::time::Duration;

/// Why a publish did not reach the relay's log; the worker tries again on
/// its next pass (the idempotency key makes repeats harmless).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("Could not reach the relay to share a sent message ({0}); it is retried.")]
    Transport(String),
    #[error("The relay refused to share a sent message (HTTP {status}); it is retried.")]
    Status { status: u16 },
}

/// `POST /v1/events` with this agent's token.
#[derive(Clone)]
pub struct RelayPublisher {
    http: reqwest::Client,
    url: String,
    agents_url: String,
    token: Secret,
}

impl std::fmt::Debug for RelayPublisher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayPublisher")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RelayPublisher {
    /// `relay_url`: `http(s)://host:port` of the relay, as for the sync engine.
    pub fn new(relay_url: &str, agent_token: Secret) -> Result<Self, PublishError> {
        let base = relay_url.trim_end_matches('/');
        let mut builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30));
        // A loopback relay (demo mode, tests) must not go through a proxy.
        if ["://127.0.0.1", "://localhost", "://[::1]"]
            .iter()
            .any(|h| base.contains(h))
        {
            builder = builder.no_proxy();
        }
        let http = builder
            .build()
            .map_err(|e| PublishError::Transport(e.to_string()))?;
        Ok(RelayPublisher {
            http,
            url: format!("{base}{}", path::EVENTS),
            agents_url: format!("{base}{}", path::AGENTS),
            token: agent_token,
        })
    }

    /// The team's agents (`GET /v1/agents`); the one this token belongs to
    /// has `me` set.
    pub async fn agents(&self) -> Result<Vec<hourglass_protocol::AgentInfo>, PublishError> {
        self.call(self.http.get(&self.agents_url)).await
    }

    /// Sends `request` with this agent's token and reads the JSON answer.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, PublishError> {
        let transport = |e: reqwest::Error| PublishError::Transport(e.without_url().to_string());
        let response = request
            .bearer_auth(self.token.expose())
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(PublishError::Status {
                status: status.as_u16(),
            });
        }
        response.json().await.map_err(transport)
    }

    /// Appends `payload` under `key` (once, however often it is called).
    pub async fn publish(
        &self,
        key: &str,
        payload: serde_json::Value,
    ) -> Result<PublishResponse, PublishError> {
        self.call(self.http.post(&self.url).json(&PublishRequest {
            idempotency_key: key.to_owned(),
            payload,
        }))
        .await
    }
}
