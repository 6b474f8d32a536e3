//! Publishing `outbound` agent events to the relay, so every other desktop
//! files the message this one sent.

use crate::secrets::Secret;
use hourglass_protocol::{
    PresenceList, PresenceQuery, PresenceUpdate, PublishRequest, PublishResponse, path,
};
use std::time::Duration;

/// Why a publish did not reach the relay's log; the worker tries again on
/// its next pass (the idempotency key makes repeats harmless).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("Could not reach the relay to share a sent message ({0}); it is retried.")]
    Transport(String),
    #[error("The relay refused to share a sent message (HTTP {status}); it is retried.")]
    Status { status: u16 },
    /// 429 `rate_limited`: try again after `retry_after`.
    #[error("The relay asked to slow down; sharing a sent message is retried in {retry_after:?}.")]
    RateLimited { retry_after: Duration },
}

/// When no usable `Retry-After` comes with a 429.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);
/// The longest wait a relay's `Retry-After` is followed for.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// `POST /v1/events` with this agent's token.
#[derive(Clone)]
pub struct RelayPublisher {
    http: reqwest::Client,
    url: String,
    agents_url: String,
    presence_url: String,
    token: Secret,
    /// This agent's name on the relay, once asked.
    me: tokio::sync::OnceCell<String>,
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
            presence_url: format!("{base}{}", path::PRESENCE),
            token: agent_token,
            me: tokio::sync::OnceCell::new(),
        })
    }

    /// The team's agents (`GET /v1/agents`); the one this token belongs to
    /// has `me` set.
    pub async fn agents(&self) -> Result<Vec<hourglass_protocol::AgentInfo>, PublishError> {
        self.call(self.http.get(&self.agents_url)).await
    }

    /// This agent's name on the relay (asked once, then remembered).
    pub async fn me(&self) -> Result<String, PublishError> {
        self.me
            .get_or_try_init(|| async {
                self.agents()
                    .await?
                    .into_iter()
                    .find(|a| a.me)
                    .map(|a| a.name)
                    .ok_or(PublishError::Status { status: 401 })
            })
            .await
            .cloned()
    }

    /// Says what this agent is doing in a conversation; answers that
    /// conversation's presence as it now stands.
    pub async fn set_presence(
        &self,
        update: &PresenceUpdate,
    ) -> Result<PresenceList, PublishError> {
        self.call(self.http.post(&self.presence_url).json(update))
            .await
    }

    /// Who is viewing or typing (in one conversation, when the query names it).
    pub async fn presence(&self, query: &PresenceQuery) -> Result<PresenceList, PublishError> {
        let params = [
            ("customer", query.customer.as_deref()),
            ("phone_number_id", query.phone_number_id.as_deref()),
        ];
        let url = reqwest::Url::parse_with_params(
            &self.presence_url,
            params.iter().filter_map(|(k, v)| v.map(|v| (*k, v))),
        )
        .map_err(|e| PublishError::Transport(e.to_string()))?;
        self.call(self.http.get(url)).await
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
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            // Seconds, as the relay sends it; an HTTP date or garbage gets
            // the default.
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or(DEFAULT_RETRY_AFTER, Duration::from_secs)
                .min(MAX_RETRY_AFTER);
            return Err(PublishError::RateLimited { retry_after });
        }
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
