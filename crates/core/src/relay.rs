//! The one client of the team relay: every call this desktop makes to it
//! goes through a [`RelayClient`], built from the relay's address and the
//! agent token, owning one HTTP client.
//!
//! Calls: catch-up pages ([`RelayClient::events_page`], `GET /v1/events`),
//! the live stream ([`RelayClient::stream`], `GET /v1/stream`, SSE),
//! publishing ([`RelayClient::publish`], `POST /v1/events`), the team's
//! agents ([`RelayClient::agents`]), presence ([`RelayClient::presence`],
//! [`RelayClient::set_presence`]) and the "Test connection" probe
//! ([`RelayClient::probe`]).
//!
//! Decisions:
//! - One proxy policy for all of them ([`route`]): the system proxy
//!   (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`) for a remote
//!   relay, none for a relay on this computer (127.0.0.0/8, `::1`,
//!   `localhost`). A network where only a proxy reaches the internet then
//!   works for sync exactly when "Test connection" says it does.
//! - Nothing the relay sends is held without a bound: a page past its byte
//!   limit and a stream line past its limit are refused as they arrive.
//! - A request's timeout ([`RelayOptions::timeout`]) bounds every call but
//!   a catch-up page (the sync engine's own timeout) and the live stream,
//!   which lives as long as the connection and is watched for silence
//!   instead.
//! - The desktop builds one client per connection and shares its clones
//!   (one connection pool) between the sync engine ([`crate::sync::spawn_with`]),
//!   the outbox, the team actions and presence.

use crate::graph::TransportKind;
use crate::secrets::Secret;
use futures_util::StreamExt;
use hourglass_protocol::{
    AgentInfo, ErrorBody, Event, EventPage, Horizon, LAST_EVENT_ID, PresenceList, PresenceQuery,
    PresenceUpdate, PublishRequest, PublishResponse, SSE_GOING_AWAY, error_code, path,
};
use reqwest::Url;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Which proxy the relay is reached through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxyPolicy {
    /// What the app uses: the system proxy for a remote relay, none for a
    /// loopback one ([`route`]).
    #[default]
    System,
    /// Always through the proxy at this URL, loopback or not.
    Via(String),
    /// Never through a proxy.
    Direct,
}

/// How one relay address is reached under a [`ProxyPolicy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The system proxy settings (which may say "none" or exclude the host).
    SystemProxy,
    Via(String),
    Direct,
}

/// The proxy decision, in one place: see [`ProxyPolicy`]. An address that
/// does not parse is not loopback (its requests fail anyway).
pub fn route(policy: &ProxyPolicy, relay_url: &str) -> Route {
    match policy {
        ProxyPolicy::Via(proxy) => Route::Via(proxy.clone()),
        ProxyPolicy::Direct => Route::Direct,
        ProxyPolicy::System => {
            let loopback = Url::parse(relay_url.trim()).is_ok_and(|u| is_loopback(&u));
            if loopback {
                Route::Direct
            } else {
                Route::SystemProxy
            }
        }
    }
}

/// Whether `url` names this computer: `localhost`, 127.0.0.0/8 or `::1`
/// (also as an IPv4-mapped address).
pub fn is_loopback(url: &Url) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.trim_end_matches('.');
        h.eq_ignore_ascii_case("localhost")
            || h.trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.to_canonical().is_loopback())
    })
}

/// How a [`RelayClient`] connects.
#[derive(Debug, Clone)]
pub struct RelayOptions {
    pub proxy: ProxyPolicy,
    pub connect_timeout: Duration,
    /// The longest any call but a catch-up page and the live stream may take.
    pub timeout: Duration,
}

impl Default for RelayOptions {
    fn default() -> Self {
        RelayOptions {
            proxy: ProxyPolicy::System,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
        }
    }
}

/// Why a relay call failed; publishing tries again on the outbox's next
/// pass (the idempotency key makes repeats harmless).
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
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

/// Why a catch-up page or the live stream could not be had; the message
/// says why in words (never the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// 410 `history_pruned`: the relay no longer keeps the events after
    /// the cursor, and keeps them from `horizon` on.
    Pruned {
        horizon: Horizon,
        message: String,
    },
    Failed(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Pruned { message, .. } | FetchError::Failed(message) => {
                f.write_str(message)
            }
        }
    }
}

/// What the connection check's probe (`GET /v1/events?after=0&limit=1`)
/// found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A relay answered a page of events: it accepts the token.
    Accepted,
    /// The relay's own 401: the token is wrong.
    TokenRejected,
    /// Something answered, but not like a relay (`answer` says how).
    NotARelay { answer: String },
    /// The relay answered this HTTP status.
    Status(u16),
    /// No answer.
    Transport { kind: TransportKind, detail: String },
}

/// How long an unused connection to the relay is kept for the next call:
/// well under the relay's own idle timeout (60 s).
const IDLE_CONNECTION: Duration = Duration::from_secs(30);

/// The client of one relay for one agent; cheap to clone (one connection
/// pool shared by the clones).
#[derive(Clone)]
pub struct RelayClient {
    http: reqwest::Client,
    base: String,
    token: Secret,
    timeout: Duration,
    /// This agent's name on the relay, once asked.
    me: std::sync::Arc<tokio::sync::OnceCell<String>>,
}

impl std::fmt::Debug for RelayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl RelayClient {
    /// `relay_url`: `http(s)://host:port` of the relay (a trailing slash is
    /// dropped), with the app's options.
    pub fn new(relay_url: &str, agent_token: Secret) -> Result<Self, RelayError> {
        Self::with_options(relay_url, agent_token, RelayOptions::default())
    }

    pub fn with_options(
        relay_url: &str,
        agent_token: Secret,
        options: RelayOptions,
    ) -> Result<Self, RelayError> {
        let base = relay_url.trim().trim_end_matches('/').to_owned();
        // The relay closes connections idle for a minute; letting go of them
        // sooner means a request never goes out on one it is closing.
        let mut builder = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .pool_idle_timeout(IDLE_CONNECTION);
        builder = match route(&options.proxy, &base) {
            Route::SystemProxy => builder,
            Route::Direct => builder.no_proxy(),
            Route::Via(proxy) => builder.proxy(
                reqwest::Proxy::all(&proxy)
                    .map_err(|e| RelayError::Transport(format!("the proxy {proxy}: {e}")))?,
            ),
        };
        let http = builder
            .build()
            .map_err(|e| RelayError::Transport(e.to_string()))?;
        Ok(RelayClient {
            http,
            base,
            token: agent_token,
            timeout: options.timeout,
            me: Default::default(),
        })
    }

    /// The relay's address, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The team's agents (`GET /v1/agents`); the one this token belongs to
    /// has `me` set.
    pub async fn agents(&self) -> Result<Vec<AgentInfo>, RelayError> {
        self.call(self.http.get(self.url(path::AGENTS))).await
    }

    /// This agent's name on the relay (asked once, then remembered).
    pub async fn me(&self) -> Result<String, RelayError> {
        self.me
            .get_or_try_init(|| async {
                self.agents()
                    .await?
                    .into_iter()
                    .find(|a| a.me)
                    .map(|a| a.name)
                    .ok_or(RelayError::Status { status: 401 })
            })
            .await
            .cloned()
    }

    /// Says what this agent is doing in a conversation; answers that
    /// conversation's presence as it now stands.
    pub async fn set_presence(&self, update: &PresenceUpdate) -> Result<PresenceList, RelayError> {
        self.call(self.http.post(self.url(path::PRESENCE)).json(update))
            .await
    }

    /// Who is viewing or typing (in one conversation, when the query names it).
    pub async fn presence(&self, query: &PresenceQuery) -> Result<PresenceList, RelayError> {
        let params = [
            ("customer", query.customer.as_deref()),
            ("phone_number_id", query.phone_number_id.as_deref()),
        ];
        let url = Url::parse_with_params(
            &self.url(path::PRESENCE),
            params.iter().filter_map(|(k, v)| v.map(|v| (*k, v))),
        )
        .map_err(|e| RelayError::Transport(e.to_string()))?;
        self.call(self.http.get(url)).await
    }

    /// Appends `payload` under `key` (once, however often it is called).
    pub async fn publish(
        &self,
        key: &str,
        payload: serde_json::Value,
    ) -> Result<PublishResponse, RelayError> {
        let request = PublishRequest {
            idempotency_key: key.to_owned(),
            payload,
        };
        self.call(self.http.post(self.url(path::EVENTS)).json(&request))
            .await
    }

    /// Sends `request` with this agent's token and reads the JSON answer.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, RelayError> {
        let transport = |e: reqwest::Error| RelayError::Transport(e.without_url().to_string());
        let response = request
            .bearer_auth(self.token.expose())
            .timeout(self.timeout)
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
            return Err(RelayError::RateLimited { retry_after });
        }
        if !status.is_success() {
            return Err(RelayError::Status {
                status: status.as_u16(),
            });
        }
        response.json().await.map_err(transport)
    }

    /// The body of one catch-up page (`GET /v1/events?after=&limit=`), read
    /// as it arrives and refused past `max_bytes`; the whole request within
    /// `timeout` (a page may take longer than other calls).
    pub async fn events_page(
        &self,
        after: u64,
        limit: u32,
        max_bytes: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, FetchError> {
        let url = format!("{}?after={after}&limit={limit}", self.url(path::EVENTS));
        let res = self
            .http
            .get(url)
            .bearer_auth(self.token.expose())
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| FetchError::Failed(format!("cannot reach the relay: {e}")))?;
        let res = refusal(res, after).await?;
        read_limited(res, max_bytes)
            .await
            .map_err(FetchError::Failed)
    }

    /// Opens the live stream after `after` and decodes it in a task of its
    /// own (stopped when the [`LiveStream`] is dropped). No byte for `idle`,
    /// or a line longer than `max_line` bytes, ends it.
    pub async fn stream(
        &self,
        after: u64,
        idle: Duration,
        max_line: usize,
    ) -> Result<LiveStream, FetchError> {
        let url = format!("{}?after={after}", self.url(path::STREAM));
        let res = self
            .http
            .get(url)
            .bearer_auth(self.token.expose())
            .header(LAST_EVENT_ID, after.to_string())
            .header("Accept", "text/event-stream")
            .send()
            .await
            .map_err(|e| FetchError::Failed(format!("cannot open the stream: {e}")))?;
        let res = refusal(res, after).await?;
        let (tx, rx) = tokio::sync::mpsc::channel(STREAM_QUEUE);
        let reader = tokio::spawn(read_stream(res, idle, max_line, tx));
        Ok(LiveStream {
            rx,
            _reader: AbortOnDrop(reader),
        })
    }

    /// The connection check: one page of at most one event, to see that a
    /// relay answers and takes the token.
    pub async fn probe(&self) -> Probe {
        let url = format!("{}?after=0&limit=1", self.url(path::EVENTS));
        let answer = self
            .http
            .get(url)
            .bearer_auth(self.token.expose())
            .timeout(self.timeout)
            .send()
            .await;
        match answer {
            // A relay answers a page of events; anything else is another server.
            Ok(r) if r.status().is_success() => match r.json::<EventPage>().await {
                Ok(_) => Probe::Accepted,
                Err(_) => Probe::NotARelay {
                    answer: "an unexpected answer".to_owned(),
                },
            },
            Ok(r) if r.status() == reqwest::StatusCode::UNAUTHORIZED => {
                // Only a relay's own refusal counts as a wrong token; another
                // server's 401 means the address is wrong.
                let refusal = r.json::<ErrorBody>().await;
                if refusal.is_ok_and(|b| b.code == error_code::UNAUTHORIZED) {
                    Probe::TokenRejected
                } else {
                    Probe::NotARelay {
                        answer: "HTTP 401".to_owned(),
                    }
                }
            }
            Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND => Probe::NotARelay {
                answer: "HTTP 404".to_owned(),
            },
            Ok(r) => Probe::Status(r.status().as_u16()),
            Err(e) => {
                let (kind, detail) = crate::graph::transport_kind(e);
                Probe::Transport { kind, detail }
            }
        }
    }
}

/// `res` if it is a success; else what the relay said, a 410
/// `history_pruned` past the cursor `after` with its horizon.
async fn refusal(res: reqwest::Response, after: u64) -> Result<reqwest::Response, FetchError> {
    let status = res.status();
    if status.is_success() {
        return Ok(res);
    }
    let body = res.text().await.unwrap_or_default();
    let message = format!("the relay answered {status}: {body}");
    Err(match pruned_horizon(status, &body, after) {
        Some(horizon) => FetchError::Pruned { horizon, message },
        None => FetchError::Failed(message),
    })
}

/// The horizon of a 410 `history_pruned` answer to a request from cursor
/// `after`, when it really is ahead of the cursor.
fn pruned_horizon(status: reqwest::StatusCode, body: &str, after: u64) -> Option<Horizon> {
    if status != reqwest::StatusCode::GONE {
        return None;
    }
    let error: ErrorBody = serde_json::from_str(body).ok()?;
    if error.code != error_code::HISTORY_PRUNED {
        return None;
    }
    error.horizon.filter(|h| h.seq > after.saturating_add(1))
}

/// The live stream, decoded: events in order, then why it ended.
#[derive(Debug)]
pub struct LiveStream {
    rx: tokio::sync::mpsc::Receiver<Result<Event, StreamEnd>>,
    _reader: AbortOnDrop,
}

impl LiveStream {
    /// The next event, waiting for it; `None` once the stream is over.
    pub async fn recv(&mut self) -> Option<Result<Event, StreamEnd>> {
        self.rx.recv().await
    }

    /// The next event if one has already arrived.
    pub fn try_recv(&mut self) -> Option<Result<Event, StreamEnd>> {
        self.rx.try_recv().ok()
    }
}

/// Why the live stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEnd {
    /// The relay's last frame before it shuts down ([`SSE_GOING_AWAY`]).
    GoingAway,
    Broken(String),
}

/// Events read ahead of the one applying them.
const STREAM_QUEUE: usize = 20_000;

#[derive(Debug)]
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Why the bytes of the stream stopped.
#[derive(Debug, thiserror::Error)]
enum StreamBreak {
    #[error("the stream was silent for {0:?}")]
    Silent(Duration),
    #[error("the stream broke: {0}")]
    Broken(#[from] reqwest::Error),
    #[error("the relay sent a stream line longer than {0} bytes; it was refused")]
    LineTooLong(usize),
}

/// A page's body, read as it arrives and refused as soon as it passes
/// `limit` bytes (or announces more), so a runaway answer is never held.
async fn read_limited(res: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let too_large = || format!("the relay sent a page larger than {limit} bytes; it was refused");
    if res
        .content_length()
        .is_some_and(|n| usize::try_from(n).map_or(true, |n| n > limit))
    {
        return Err(too_large());
    }
    let mut body = res.bytes_stream();
    let mut out = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| format!("reading a page: {e}"))?;
        if out.len() + chunk.len() > limit {
            return Err(too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// Bytes since the last line break, across chunks: the SSE decoder would
/// buffer a line of any length, so it is measured before the decoder sees it.
struct LineLength {
    run: usize,
    max: usize,
}

impl LineLength {
    fn check(&mut self, chunk: &[u8]) -> Result<(), StreamBreak> {
        let mut segments = chunk.split(|&b| b == b'\n' || b == b'\r');
        // The first segment continues the line the last chunk left open.
        let mut run = self.run + segments.next().map_or(0, <[u8]>::len);
        let mut longest = run;
        for segment in segments {
            run = segment.len();
            longest = longest.max(run);
        }
        if longest > self.max {
            return Err(StreamBreak::LineTooLong(self.max));
        }
        self.run = run;
        Ok(())
    }
}

async fn read_stream(
    res: reqwest::Response,
    idle: Duration,
    max_line: usize,
    tx: tokio::sync::mpsc::Sender<Result<Event, StreamEnd>>,
) {
    // The idle timeout watches bytes, not events: a heartbeat is an SSE
    // comment the decoder drops, yet it proves the connection alive.
    let lines = LineLength {
        run: 0,
        max: max_line,
    };
    let bytes = futures_util::stream::unfold(
        (res.bytes_stream(), lines, false),
        move |(mut body, mut lines, broken)| async move {
            if broken {
                return None;
            }
            let item = match tokio::time::timeout(idle, body.next()).await {
                Err(_) => Err(StreamBreak::Silent(idle)),
                Ok(Some(Ok(chunk))) => lines.check(&chunk).map(|()| chunk),
                Ok(Some(Err(e))) => Err(StreamBreak::Broken(e)),
                Ok(None) => return None,
            };
            let broken = item.is_err();
            Some((item, (body, lines, broken)))
        },
    );
    let mut events = std::pin::pin!(sse_stream::SseByteStream::new(bytes));
    loop {
        let item = match events.next().await {
            None => Err(StreamEnd::Broken("the relay closed the stream".to_owned())),
            Some(Err(sse_stream::Error::Body(e))) => Err(StreamEnd::Broken(e.to_string())),
            Some(Err(e)) => Err(StreamEnd::Broken(format!(
                "the stream is not server-sent events: {e}"
            ))),
            Some(Ok(sse_stream::Sse {
                event: Some(name), ..
            })) if name == SSE_GOING_AWAY => Err(StreamEnd::GoingAway),
            // An event block without data (a bare `id:` or `retry:`) carries nothing to apply.
            Some(Ok(sse_stream::Sse { data: None, .. })) => continue,
            Some(Ok(sse_stream::Sse {
                data: Some(data), ..
            })) => serde_json::from_str::<Event>(&data)
                .map_err(|e| StreamEnd::Broken(format!("a stream event that is not JSON: {e}"))),
        };
        let end = item.is_err();
        if tx.send(item).await.is_err() || end {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_measured_across_chunks() {
        let mut lines = LineLength { run: 0, max: 8 };
        assert!(lines.check(b"data: 1\n\ndata").is_ok());
        assert!(lines.check(b": 12").is_ok(), "8 bytes: at the limit");
        assert!(lines.check(b"3\n").is_err(), "9 bytes across three chunks");
        let mut lines = LineLength { run: 0, max: 8 };
        assert!(
            lines.check(b"ok\r\n123456789\nok").is_err(),
            "inside one chunk"
        );
        let mut lines = LineLength { run: 0, max: 8 };
        for _ in 0..100 {
            assert!(lines.check(b"data: 1\n\n").is_ok());
        }
    }

    #[test]
    fn the_system_proxy_is_used_for_a_remote_relay_only() {
        let system = ProxyPolicy::System;
        for remote in [
            "https://relay.example.com",
            "https://relay.example.com:8443/team/",
            "http://10.0.0.5:8080",
            "https://[2001:db8::1]",
            "https://localhost.example.com",
            "https://mylocalhost",
            "http://128.0.0.1",
        ] {
            assert_eq!(route(&system, remote), Route::SystemProxy, "{remote}");
        }
        for local in [
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://localhost:3000/",
            "http://LOCALHOST",
            "http://localhost.:3000",
            "http://[::1]:8080",
            "http://[::ffff:127.0.0.1]:8080",
            " http://127.0.0.1:8080/ ",
        ] {
            assert_eq!(route(&system, local), Route::Direct, "{local}");
        }
        assert_eq!(route(&system, "not a url"), Route::SystemProxy);
    }

    #[test]
    fn an_explicit_policy_holds_for_every_address() {
        let via = ProxyPolicy::Via("http://127.0.0.1:3128".to_owned());
        for url in ["http://127.0.0.1:8080", "https://relay.example.com"] {
            assert_eq!(
                route(&via, url),
                Route::Via("http://127.0.0.1:3128".to_owned())
            );
            assert_eq!(route(&ProxyPolicy::Direct, url), Route::Direct);
        }
    }

    #[test]
    fn a_pruned_answer_counts_only_past_the_cursor() {
        let gone = reqwest::StatusCode::GONE;
        let body =
            r#"{"code":"history_pruned","message":"gone","horizon":{"seq":10,"received_at_ms":5}}"#;
        assert_eq!(pruned_horizon(gone, body, 3).map(|h| h.seq), Some(10));
        assert_eq!(pruned_horizon(gone, body, 9), None, "nothing is missing");
        assert_eq!(
            pruned_horizon(reqwest::StatusCode::BAD_REQUEST, body, 3),
            None
        );
        assert_eq!(pruned_horizon(gone, "not json", 3), None);
    }
}
