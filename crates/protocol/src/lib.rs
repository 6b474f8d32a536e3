//! What the Hourglass relay and the desktop apps say to each other.
//!
//! The relay keeps one append-only log of events, numbered by a strictly
//! increasing sequence (`seq`, starting at 1). Every desktop holds a cursor,
//! the last `seq` it applied, pages through `GET /v1/events?after=<cursor>`
//! and then follows `GET /v1/stream` (server-sent events whose `id:` is the
//! `seq`). Both carry the same [`Event`] JSON.
//!
//! A webhook from Meta is split into single updates; each becomes one
//! [`EventKind::Webhook`] event whose payload is a complete webhook envelope
//! holding exactly one entry, one change and one item (one message, status or
//! error, with the metadata and the matching contact). Desktops therefore parse
//! events with the very same parser as the relay, and a better parser later
//! re-reads old events correctly.

pub mod team;

use serde::{Deserialize, Serialize};

/// Paths of the relay. Everything under `/v1` needs
/// `Authorization: Bearer <agent token>`.
pub mod path {
    pub const EVENTS: &str = "/v1/events";
    pub const STREAM: &str = "/v1/stream";
    pub const AGENTS: &str = "/v1/agents";
    /// Who is looking at or typing in which conversation (not in the log).
    pub const PRESENCE: &str = "/v1/presence";
    /// Meta's callback URL: `GET` for the handshake, `POST` for webhooks.
    pub const WEBHOOK: &str = "/webhook";
    pub const HEALTHZ: &str = "/healthz";
    /// Prometheus text format.
    pub const METRICS: &str = "/metrics";
}

/// The header an SSE client sends to resume after the last `id:` it saw;
/// takes precedence over `?after=` on `GET /v1/stream`.
pub const LAST_EVENT_ID: &str = "Last-Event-ID";

/// Query of `GET /v1/events` and `GET /v1/stream`. Both default to 0 /
/// [`MAX_PAGE`]; `limit` is capped at [`MAX_PAGE`]. `limit=0` answers an empty
/// page that still tells the `head`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventsQuery {
    #[serde(default)]
    pub after: Option<u64>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The largest page `GET /v1/events` returns, whatever `limit` asks for.
pub const MAX_PAGE: u32 = 5_000;

/// A page also ends once its events' JSON passes this many bytes (it always
/// holds at least one event, whatever that event's size).
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// The largest single event a relay can hold, as JSON: a malformed webhook
/// body at the relay's body limit, kept as text and as hex. A client refuses
/// an SSE line longer than this instead of buffering it.
pub const MAX_EVENT_BYTES: usize = 32 * 1024 * 1024;

/// The largest `GET /v1/events` answer a client accepts: a full page plus
/// one event that started below [`MAX_PAGE_BYTES`] and ran over.
pub const MAX_PAGE_RESPONSE_BYTES: usize = MAX_PAGE_BYTES + MAX_EVENT_BYTES + 64 * 1024;

/// The largest `POST /v1/events` body a relay takes (413 above it).
pub const MAX_AGENT_EVENT_BYTES: usize = 64 * 1024;

/// The SSE `event:` name of the last frame a relay sends on `/v1/stream`
/// before it shuts down: the client reconnects at once (to another relay
/// behind the same address) from its cursor, without a back-off. Its data is
/// a JSON [`ErrorBody`] with code [`error_code::SHUTTING_DOWN`].
pub const SSE_GOING_AWAY: &str = "going_away";

/// One entry of the relay's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log; strictly increasing, no gaps are promised.
    pub seq: u64,
    pub kind: EventKind,
    /// Unique per log: `msg:<wamid>`, `st:<wamid>:<status>`, `agent:<name>:<key>`, …
    /// A second update with the same key is not appended again.
    pub dedupe_key: String,
    /// When the relay committed it, Unix milliseconds (not Meta's timestamp).
    pub received_at_ms: i64,
    /// The agent who published it, for [`EventKind::Agent`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    pub payload: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A single-update webhook envelope from Meta.
    Webhook,
    /// A signed body that could not be parsed as a webhook envelope. Payload:
    /// [`MalformedPayload`]. Kept so nothing Meta sent is ever lost.
    Malformed,
    /// Published by an agent's app through `POST /v1/events`.
    Agent,
}

impl EventKind {
    /// The kind as it is written on the wire and in a relay's log.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Webhook => "webhook",
            EventKind::Malformed => "malformed",
            EventKind::Agent => "agent",
        }
    }

    /// The kind [`EventKind::as_str`] wrote, if it is one.
    pub fn parse(s: &str) -> Option<Self> {
        [EventKind::Webhook, EventKind::Malformed, EventKind::Agent]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Payload of an [`EventKind::Malformed`] event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MalformedPayload {
    /// The body as received, decoded as UTF-8 with replacement characters.
    pub body: String,
    /// Why parsing failed.
    pub error: String,
    /// The exact bytes in lowercase hex, present only when the body was not
    /// valid UTF-8 (so `body` could not hold it exactly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hex: Option<String>,
}

/// `GET /v1/events?after=<seq>&limit=<n>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPage {
    pub events: Vec<Event>,
    /// The highest `seq` in the log when the page was read.
    pub head: u64,
    /// More events exist after the last one of this page.
    pub has_more: bool,
}

/// `POST /v1/events` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishRequest {
    /// Chosen by the client; publishing the same key twice appends once.
    pub idempotency_key: String,
    pub payload: serde_json::Value,
}

/// `POST /v1/events` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishResponse {
    pub seq: u64,
    /// The key had been published before; `seq` is the original event's.
    pub duplicate: bool,
}

/// `GET /v1/agents`: the team, for assignment menus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentInfo {
    pub name: String,
    /// True for the agent whose token asked: how an app learns its own name.
    #[serde(default)]
    pub me: bool,
}

/// What an agent is doing in a conversation, for the others to see. Kept in
/// the relay's memory only, never in the log, and forgotten by itself: an
/// app that stops saying so (closed, crashed, offline) stops showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PresenceState {
    /// The conversation is open in the agent's window.
    Viewing,
    /// The agent is writing a reply in it.
    Typing,
    /// The agent left it (closed the chat, opened another).
    Left,
}

/// `POST /v1/presence` body. A conversation is named as in team actions: the
/// customer (E.164 with `+`, or Meta's user id) and the business number id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceUpdate {
    pub customer: String,
    pub phone_number_id: String,
    pub state: PresenceState,
}

/// One agent's current presence in one conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceEntry {
    pub agent: String,
    pub customer: String,
    pub phone_number_id: String,
    /// `viewing` or `typing`.
    pub state: PresenceState,
    /// Until it expires unless renewed.
    pub expires_in_ms: u64,
}

/// `GET /v1/presence[?customer=…&phone_number_id=…]`: every live entry (of
/// that conversation), the asking agent's own included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceList {
    pub entries: Vec<PresenceEntry>,
}

/// The query of `GET /v1/presence`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceQuery {
    #[serde(default)]
    pub customer: Option<String>,
    #[serde(default)]
    pub phone_number_id: Option<String>,
}

/// The JSON body of every error answer from the relay. `code` is stable
/// (see [`error_code`]); `message` is for people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    /// With [`error_code::HISTORY_PRUNED`]: the oldest event the relay keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<Horizon>,
}

/// The oldest event a relay still keeps, after retention removed older ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Horizon {
    /// The smallest `seq` in the log; a cursor below `seq - 1` has missed
    /// events that are gone.
    pub seq: u64,
    /// When that event was committed, Unix milliseconds.
    pub received_at_ms: i64,
}

/// The `code`s of [`ErrorBody`] a client may act on.
pub mod error_code {
    /// 401 on `POST /webhook`: no `X-Hub-Signature-256`.
    pub const MISSING_SIGNATURE: &str = "missing_signature";
    /// 403 on `POST /webhook`: the signature does not match the body.
    pub const BAD_SIGNATURE: &str = "bad_signature";
    /// 403 on `GET /webhook`: the handshake's verify token is wrong.
    pub const VERIFY_TOKEN_MISMATCH: &str = "verify_token_mismatch";
    /// 413: the body exceeds the relay's limit.
    pub const PAYLOAD_TOO_LARGE: &str = "payload_too_large";
    /// 401 on `/v1/*`: no agent token, or one that is unknown or revoked.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 400: the request is not what the endpoint takes.
    pub const BAD_REQUEST: &str = "bad_request";
    /// 404: no such endpoint.
    pub const NOT_FOUND: &str = "not_found";
    /// 503: the event log cannot be written or read right now; retry.
    pub const STORAGE_UNAVAILABLE: &str = "storage_unavailable";
    /// 503: the relay is shutting down; retry against the next one.
    pub const SHUTTING_DOWN: &str = "shutting_down";
    /// 410 on `GET /v1/events` and `/v1/stream`: the cursor is older than
    /// the oldest event kept (retention removed the ones after it). The
    /// body's `horizon` says from where the log is complete.
    pub const HISTORY_PRUNED: &str = "history_pruned";
    /// 429: this agent publishes faster than the relay allows; the answer
    /// carries `Retry-After` (seconds).
    pub const RATE_LIMITED: &str = "rate_limited";
    /// 429 on `/v1/stream`: this agent already holds the most streams the
    /// relay allows.
    pub const TOO_MANY_STREAMS: &str = "too_many_streams";
    /// 503 on `POST /webhook`: too many webhook bodies are being received at
    /// once; retry (Meta does by itself).
    pub const BUSY: &str = "busy";
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_json_shape() {
        let e = Event {
            seq: 7,
            kind: EventKind::Malformed,
            dedupe_key: "malformed:ab".into(),
            received_at_ms: 1,
            agent: None,
            payload: json!({"body": "x", "error": "e"}),
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "malformed");
        assert!(v.get("agent").is_none());
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
        let p: MalformedPayload = serde_json::from_value(e.payload).unwrap();
        assert_eq!(p.body_hex, None);
    }

    #[test]
    fn kinds_read_back_as_serde_writes_them() {
        for kind in [EventKind::Webhook, EventKind::Malformed, EventKind::Agent] {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("other"), None);
    }

    #[test]
    fn query_defaults() {
        let q: EventsQuery = serde_json::from_value(json!({})).unwrap();
        assert_eq!(q, EventsQuery::default());
    }
}
