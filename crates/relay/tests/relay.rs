//! The relay as a library on 127.0.0.1:0, a real SQLite file in a temp dir,
//! real HTTP over loopback. `postgres.rs` runs these same tests on PostgreSQL.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hourglass_protocol::{
    ErrorBody, Event, EventKind, EventPage, MalformedPayload, PublishRequest, PublishResponse,
};
use hourglass_relay::{Config, Database, Relay, RunningRelay};
use hourglass_whatsapp::{
    signature,
    webhook::{self, MessageContent, Update},
};
use serde_json::{Value, json};

const SECRET: &str = "test-app-secret";
const VERIFY: &str = "test-verify-token";

/// The database of a test relay: a SQLite file in `dir`. `postgres.rs`
/// includes this file as a module and defines its own `test_database`,
/// which `crate::` then names, answering with a fresh PostgreSQL database.
#[allow(dead_code)]
async fn test_database(dir: &std::path::Path) -> Database {
    Database::Sqlite(dir.join("relay.db"))
}

struct Harness {
    /// Holds the SQLite file, if any, until the test ends.
    _dir: tempfile::TempDir,
    database: Database,
    relay: RunningRelay,
    token: String,
    http: reqwest::Client,
}

async fn start() -> Harness {
    start_with(|c| c).await
}

async fn start_with(adjust: impl FnOnce(Config) -> Config) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::test_database(dir.path()).await;
    let config = adjust(
        Config::new(database.clone(), SECRET, VERIFY).with_heartbeat(Duration::from_millis(200)),
    );
    let relay = Relay::open(config).unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    Harness {
        _dir: dir,
        database,
        relay,
        token,
        http: reqwest::Client::new(),
    }
}

impl Harness {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.relay.url())
    }

    async fn post_raw(&self, body: Vec<u8>, sig: Option<String>) -> reqwest::Response {
        let mut req = self.http.post(self.url("/webhook")).body(body);
        if let Some(sig) = sig {
            req = req.header(signature::HEADER, sig);
        }
        req.send().await.unwrap()
    }

    async fn post_signed(&self, body: &[u8]) -> reqwest::Response {
        self.post_raw(
            body.to_vec(),
            Some(signature::sign(SECRET.as_bytes(), body)),
        )
        .await
    }

    async fn page(&self, after: u64, limit: u32) -> EventPage {
        let res = self
            .http
            .get(self.url(&format!("/v1/events?after={after}&limit={limit}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    async fn all_events(&self) -> Vec<Event> {
        let mut out = Vec::new();
        loop {
            let page = self
                .page(out.last().map_or(0, |e: &Event| e.seq), 5000)
                .await;
            out.extend(page.events);
            if !page.has_more {
                return out;
            }
        }
    }

    async fn publish(&self, key: &str, payload: Value) -> PublishResponse {
        let res = self
            .http
            .post(self.url("/v1/events"))
            .bearer_auth(&self.token)
            .json(&PublishRequest {
                idempotency_key: key.into(),
                payload,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    async fn metrics(&self) -> String {
        self.http
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }
}

fn metric(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no series {series} in\n{text}"))
}

fn message(id: &str, kind: &str, payload: Value) -> Value {
    let mut m = json!({"from": "16505551234", "id": id, "timestamp": "1749416383", "type": kind});
    if !payload.is_null() {
        m[kind] = payload;
    }
    m
}

fn envelope(messages: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
            "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }],
            "messages": messages
        }}]}]
    }))
    .unwrap()
}

fn text(id: &str) -> Value {
    message(id, "text", json!({"body": format!("hello {id}")}))
}

#[tokio::test]
async fn handshake_echoes_the_challenge_only_for_the_right_token() {
    let h = start().await;
    let ok = h
        .http
        .get(h.url(&format!(
            "/webhook?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={VERIFY}"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.unwrap(), "1158201444");

    for query in [
        "hub.mode=subscribe&hub.challenge=1&hub.verify_token=wrong",
        "hub.mode=subscribe&hub.challenge=1",
        "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=test-verify-token",
    ] {
        let bad = h
            .http
            .get(h.url(&format!("/webhook?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 403, "{query}");
        let body: ErrorBody = bad.json().await.unwrap();
        assert_eq!(body.code, "verify_token_mismatch");
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn signatures_missing_wrong_and_right() {
    let h = start().await;
    let body = envelope(vec![text("wamid.sig")]);

    let missing = h.post_raw(body.clone(), None).await;
    assert_eq!(missing.status(), 401);
    assert_eq!(
        missing.json::<ErrorBody>().await.unwrap().code,
        "missing_signature"
    );

    let wrong = h
        .post_raw(body.clone(), Some(signature::sign(b"other", &body)))
        .await;
    assert_eq!(wrong.status(), 403);
    assert_eq!(
        wrong.json::<ErrorBody>().await.unwrap().code,
        "bad_signature"
    );
    let garbage = h.post_raw(body.clone(), Some("sha256=zz".into())).await;
    assert_eq!(garbage.status(), 403);
    // Signed over other bytes (a re-serialisation) does not pass either.
    let reserialised =
        serde_json::to_vec_pretty(&serde_json::from_slice::<Value>(&body).unwrap()).unwrap();
    let tampered = h
        .post_raw(
            body.clone(),
            Some(signature::sign(SECRET.as_bytes(), &reserialised)),
        )
        .await;
    assert_eq!(tampered.status(), 403);

    assert_eq!(
        h.page(0, 10).await.head,
        0,
        "nothing stored for bad signatures"
    );

    let right = h.post_signed(&body).await;
    assert_eq!(right.status(), 200);
    let events = h.all_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].dedupe_key, "msg:wamid.sig");
    assert_eq!(events[0].kind, EventKind::Webhook);

    let m = h.metrics().await;
    assert_eq!(
        metric(
            &m,
            "hourglass_relay_webhooks_rejected_total{reason=\"missing_signature\"}"
        ),
        1.0
    );
    assert_eq!(
        metric(
            &m,
            "hourglass_relay_webhooks_rejected_total{reason=\"bad_signature\"}"
        ),
        3.0
    );
    assert_eq!(metric(&m, "hourglass_relay_webhooks_accepted_total"), 1.0);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_batch_of_1000_becomes_1000_events_and_a_replay_adds_nothing() {
    let h = start().await;
    let messages: Vec<Value> = (0..600).map(|i| text(&format!("wamid.b{i}"))).collect();
    let statuses: Vec<Value> = (0..400)
        .map(|i| json!({"id": format!("wamid.out{i}"), "status": "delivered", "timestamp": "1750030073", "recipient_id": "16505551234"}))
        .collect();
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [
            { "id": "1", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "1", "phone_number_id": "2" },
                "contacts": [{ "wa_id": "16505551234", "profile": {"name": "S"} }],
                "messages": messages } }] },
            { "id": "1", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "1", "phone_number_id": "2" },
                "statuses": statuses } }] }
        ]
    }))
    .unwrap();
    assert_eq!(h.post_signed(&body).await.status(), 200);
    let events = h.all_events().await;
    assert_eq!(events.len(), 1000);
    let seqs: Vec<u64> = events.iter().map(|e| e.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
    // Each event is a complete single-update envelope the same parser reads.
    for e in &events {
        let updates = webhook::parse_value(&e.payload).unwrap();
        assert_eq!(updates.len(), 1, "{}", e.dedupe_key);
    }
    assert_eq!(events[0].dedupe_key, "msg:wamid.b0");
    assert_eq!(events[999].dedupe_key, "st:wamid.out399:delivered");

    // Meta retries the very same POST: nothing new.
    assert_eq!(h.post_signed(&body).await.status(), 200);
    let page = h.page(0, 0).await;
    assert_eq!(page.head, events[999].seq);
    assert!(page.events.is_empty());
    assert_eq!(h.all_events().await.len(), 1000);
    let m = h.metrics().await;
    assert_eq!(
        metric(
            &m,
            "hourglass_relay_events_appended_total{kind=\"webhook\"}"
        ),
        1000.0
    );
    assert_eq!(metric(&m, "hourglass_relay_events_duplicate_total"), 1000.0);

    // Paging honours limit and reports has_more.
    let first = h.page(0, 300).await;
    assert_eq!(first.events.len(), 300);
    assert!(first.has_more);
    let last = h.page(events[899].seq, 300).await;
    assert_eq!(last.events.len(), 100);
    assert!(!last.has_more);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn reaction_removal_and_unknown_types_are_kept() {
    let h = start().await;
    let body = envelope(vec![
        message("wamid.r1", "reaction", json!({"message_id": "wamid.orig"})),
        message(
            "wamid.x1",
            "hologram",
            json!({"depth": 3, "future": [1, 2]}),
        ),
    ]);
    assert_eq!(h.post_signed(&body).await.status(), 200);
    let events = h.all_events().await;
    assert_eq!(events.len(), 2);

    let Update::Message(reaction) = webhook::parse_value(&events[0].payload).unwrap().remove(0)
    else {
        panic!("not a message")
    };
    let MessageContent::Reaction(r) = &reaction.message.content else {
        panic!("not a reaction: {:?}", reaction.message.content)
    };
    assert_eq!(r.emoji, None);
    assert_eq!(r.message_id.as_str(), "wamid.orig");

    let Update::Message(unknown) = webhook::parse_value(&events[1].payload).unwrap().remove(0)
    else {
        panic!("not a message")
    };
    let MessageContent::Unknown { kind, raw, .. } = &unknown.message.content else {
        panic!("not unknown")
    };
    assert_eq!(kind, "hologram");
    assert_eq!(raw["hologram"], json!({"depth": 3, "future": [1, 2]}));
    assert_eq!(
        events[1].payload["entry"][0]["changes"][0]["value"]["messages"][0]["hologram"]["future"],
        json!([1, 2])
    );
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn signed_malformed_bodies_are_stored_raw_and_answered_200() {
    let h = start().await;
    let body = b"{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":".to_vec();
    assert_eq!(h.post_signed(&body).await.status(), 200);
    assert_eq!(h.post_signed(&body).await.status(), 200);
    let not_envelope = br#"{"object":"page","hello":"world"}"#.to_vec();
    assert_eq!(h.post_signed(&not_envelope).await.status(), 200);
    let not_utf8 = b"\xff\xfe{\"entry\":[]}".to_vec();
    assert_eq!(h.post_signed(&not_utf8).await.status(), 200);

    let events = h.all_events().await;
    assert_eq!(
        events.len(),
        3,
        "the retry of the same bytes is deduplicated"
    );
    assert!(events.iter().all(|e| e.kind == EventKind::Malformed));
    let first: MalformedPayload = serde_json::from_value(events[0].payload.clone()).unwrap();
    assert_eq!(first.body.as_bytes(), &body[..]);
    assert!(first.error.contains("not JSON"), "{}", first.error);
    assert_eq!(first.body_hex, None);
    let third: MalformedPayload = serde_json::from_value(events[2].payload.clone()).unwrap();
    assert_eq!(hex::decode(third.body_hex.unwrap()).unwrap(), not_utf8);
    let m = h.metrics().await;
    assert_eq!(metric(&m, "hourglass_relay_webhooks_malformed_total"), 4.0);
    assert_eq!(
        metric(
            &m,
            "hourglass_relay_events_appended_total{kind=\"malformed\"}"
        ),
        3.0
    );
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn bodies_over_the_limit_get_413_and_3_mb_fits() {
    let h = start().await;
    let big = vec![b' '; 3 * 1024 * 1024 + 200 * 1024];
    let res = h.post_signed(&big).await;
    assert_eq!(res.status(), 413);
    assert_eq!(
        res.json::<ErrorBody>().await.unwrap().code,
        "payload_too_large"
    );

    // Chunked, so no Content-Length to reject early: the limit still holds.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..40).map(|_| Ok(vec![b' '; 100 * 1024])).collect();
    let res = h
        .http
        .post(h.url("/webhook"))
        .header(signature::HEADER, signature::sign(SECRET.as_bytes(), b"x"))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);

    // A 3 MB payload, Meta's maximum, is accepted.
    let body = envelope(vec![message(
        "wamid.big",
        "text",
        json!({"body": "x".repeat(3_000_000)}),
    )]);
    assert!(body.len() > 3_000_000);
    assert_eq!(h.post_signed(&body).await.status(), 200);
    let events = h.all_events().await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].dedupe_key, "msg:wamid.big");
    let m = h.metrics().await;
    assert_eq!(
        metric(
            &m,
            "hourglass_relay_webhooks_rejected_total{reason=\"too_large\"}"
        ),
        2.0
    );
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn v1_needs_a_valid_agent_token() {
    let h = start().await;
    for (method, path) in [
        ("GET", "/v1/events"),
        ("POST", "/v1/events"),
        ("GET", "/v1/stream"),
        ("GET", "/v1/agents"),
        ("GET", "/v1/nonexistent"),
    ] {
        let req = |token: Option<&str>| {
            let mut r = h
                .http
                .request(method.parse().unwrap(), h.url(path))
                .json(&json!({"idempotency_key": "k", "payload": {}}));
            if let Some(t) = token {
                r = r.bearer_auth(t);
            }
            r
        };
        for token in [None, Some("hgr_0000"), Some("not-even-prefixed")] {
            let res = req(token).send().await.unwrap();
            assert_eq!(res.status(), 401, "{method} {path} with {token:?}");
            assert_eq!(res.json::<ErrorBody>().await.unwrap().code, "unauthorized");
        }
    }
    let agents: Vec<hourglass_protocol::AgentInfo> = h
        .http
        .get(h.url("/v1/agents"))
        .bearer_auth(&h.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(agents.len(), 1);
    assert_eq!(agents[0].name, "ana");
    assert!(agents[0].me, "the asking agent is marked");

    // A revoked token stops working at once.
    hourglass_relay::agent::revoke(h.relay.state().store().as_ref(), "ana").unwrap();
    let res = h
        .http
        .get(h.url("/v1/events"))
        .bearer_auth(&h.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn agent_events_are_idempotent_per_key() {
    let h = start().await;
    let first = h
        .publish("outbox-1", json!({"type": "note", "text": "hi"}))
        .await;
    assert!(!first.duplicate);
    let again = h
        .publish("outbox-1", json!({"type": "note", "text": "changed"}))
        .await;
    assert!(again.duplicate);
    assert_eq!(again.seq, first.seq);
    let second = h.publish("outbox-2", json!({"type": "assign"})).await;
    assert!(second.seq > first.seq);

    let events = h.all_events().await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].kind, EventKind::Agent);
    assert_eq!(events[0].agent.as_deref(), Some("ana"));
    assert_eq!(events[0].dedupe_key, "agent:ana:outbox-1");
    assert_eq!(events[0].payload, json!({"type": "note", "text": "hi"}));

    let bad = h
        .http
        .post(h.url("/v1/events"))
        .bearer_auth(&h.token)
        .json(&json!({"idempotency_key": "", "payload": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    h.relay.shutdown().await.unwrap();
}

/// A minimal SSE reader over a reqwest byte stream.
struct SseClient {
    stream: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buf: String,
    heartbeats: usize,
}

impl SseClient {
    async fn connect(h: &Harness, last_event_id: Option<u64>, after: Option<u64>) -> SseClient {
        let mut url = h.url("/v1/stream");
        if let Some(a) = after {
            url.push_str(&format!("?after={a}"));
        }
        let mut req = h.http.get(url).bearer_auth(&h.token);
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id.to_string());
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        SseClient {
            stream: res.bytes_stream().boxed(),
            buf: String::new(),
            heartbeats: 0,
        }
    }

    /// The next event as (`id:`, parsed `data:`), or None when the stream ends.
    async fn next(&mut self) -> Option<(u64, Event)> {
        loop {
            if let Some(pos) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..pos + 2).collect();
                let mut id = None;
                let mut data = String::new();
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().parse().unwrap());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    } else if line.starts_with(':') {
                        self.heartbeats += 1;
                    }
                }
                if let Some(id) = id {
                    return Some((id, serde_json::from_str(&data).unwrap()));
                }
                continue;
            }
            let chunk = tokio::time::timeout(Duration::from_secs(20), self.stream.next())
                .await
                .expect("the stream stalled")?;
            self.buf
                .push_str(std::str::from_utf8(&chunk.ok()?).unwrap());
        }
    }
}

#[tokio::test]
async fn a_stream_resumed_with_last_event_id_gets_exactly_the_missing_events() {
    let h = start().await;
    // Some history before anyone connects.
    let body = envelope((0..50).map(|i| text(&format!("wamid.h{i}"))).collect());
    assert_eq!(h.post_signed(&body).await.status(), 200);

    let mut client = SseClient::connect(&h, None, Some(0)).await;
    let mut seen: Vec<u64> = Vec::new();
    for _ in 0..50 {
        let (id, event) = client.next().await.unwrap();
        assert_eq!(id, event.seq);
        seen.push(id);
    }
    // Live events while connected.
    for i in 0..30 {
        h.post_signed(&envelope(vec![text(&format!("wamid.l{i}"))]))
            .await;
    }
    for _ in 0..20 {
        seen.push(client.next().await.unwrap().0);
    }
    // Disconnect mid-way, keep publishing, then resume.
    drop(client);
    for i in 0..40 {
        h.post_signed(&envelope(vec![text(&format!("wamid.g{i}"))]))
            .await;
        h.publish(&format!("k{i}"), json!({"i": i})).await;
    }
    let last = *seen.last().unwrap();
    let mut client = SseClient::connect(&h, Some(last), Some(0)).await;
    let total = h.page(0, 0).await.head;
    while seen.len() < 160 {
        let (id, event) = client.next().await.unwrap();
        assert_eq!(id, event.seq);
        seen.push(id);
    }
    // More live events after the resume.
    h.publish("after-resume", json!({})).await;
    let (id, _) = client.next().await.unwrap();
    seen.push(id);

    let expected: Vec<u64> = (1..=total + 1).collect();
    assert_eq!(seen, expected, "no gaps, no repeats");
    // Heartbeats keep an idle stream alive.
    tokio::time::sleep(Duration::from_millis(700)).await;
    h.publish("wake", json!({})).await;
    client.next().await.unwrap();
    assert!(client.heartbeats >= 1, "heartbeats: {}", client.heartbeats);
    drop(client);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_reads_the_gap_from_the_log() {
    // A live buffer of 2 batches and payloads big enough to fill the socket
    // buffers: the stream task must block on a client that is not reading.
    // The 400 events are published faster than an agent's default rate.
    let h = start_with(|mut c| {
        c.live_buffer = 2;
        c.limits.publish_burst = std::num::NonZeroU32::new(1_000).unwrap();
        c
    })
    .await;
    let mut client = SseClient::connect(&h, None, Some(0)).await;
    h.publish("first", json!({})).await;
    assert_eq!(client.next().await.unwrap().0, 1);

    // Just under the 64 KiB cap on an agent event.
    let filler = "y".repeat(60 * 1024);
    let publishers: Vec<_> = (0..4)
        .map(|p| {
            let http = h.http.clone();
            let url = h.url("/v1/events");
            let token = h.token.clone();
            let filler = filler.clone();
            tokio::spawn(async move {
                for i in 0..100 {
                    let res = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"idempotency_key": format!("p{p}-{i}"), "payload": {"f": filler}}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), 200);
                }
            })
        })
        .collect();
    for p in publishers {
        p.await.unwrap();
    }
    let mut seen = vec![1];
    while seen.len() < 401 {
        let (id, event) = client.next().await.unwrap();
        assert_eq!(id, event.seq);
        seen.push(id);
    }
    assert_eq!(seen, (1..=401).collect::<Vec<u64>>());
    let m = h.metrics().await;
    assert!(
        metric(&m, "hourglass_relay_stream_lag_recoveries_total") >= 1.0,
        "the slow subscriber never lagged, so this test proved nothing"
    );
    assert_eq!(metric(&m, "hourglass_relay_stream_subscribers"), 1.0);
    drop(client);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_closes_streams_and_keeps_every_acknowledged_webhook() {
    let h = start().await;
    let mut client = SseClient::connect(&h, None, Some(0)).await;
    let senders: Vec<_> = (0..8)
        .map(|w| {
            let http = h.http.clone();
            let url = h.url("/webhook");
            tokio::spawn(async move {
                let mut acked = Vec::new();
                for i in 0..200 {
                    let id = format!("wamid.s{w}-{i}");
                    let body = envelope(vec![text(&id)]);
                    let sig = signature::sign(SECRET.as_bytes(), &body);
                    match http
                        .post(&url)
                        .header(signature::HEADER, sig)
                        .body(body)
                        .send()
                        .await
                    {
                        Ok(r) if r.status() == 200 => acked.push(id),
                        _ => break,
                    }
                }
                acked
            })
        })
        .collect();
    // Shut down mid-traffic: some webhooks committed, others still coming.
    let waiting = Instant::now();
    while h.page(0, 0).await.head < 20 {
        assert!(
            waiting.elapsed() < Duration::from_secs(20),
            "no traffic got through"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let db = h.database.clone();
    tokio::time::timeout(Duration::from_secs(10), h.relay.shutdown())
        .await
        .expect("graceful shutdown hung")
        .unwrap();
    // The open stream was closed by the shutdown.
    while client.next().await.is_some() {}

    let mut acked = Vec::new();
    for s in senders {
        acked.extend(s.await.unwrap());
    }
    assert!(!acked.is_empty());
    let store = db.open().unwrap();
    let page = store.page(0, 5000).unwrap();
    let stored: std::collections::HashSet<String> =
        page.events.into_iter().map(|e| e.dedupe_key).collect();
    for id in &acked {
        assert!(
            stored.contains(&format!("msg:{id}")),
            "{id} was acknowledged but not stored"
        );
    }
}

#[tokio::test]
async fn health_and_metrics_answer_without_a_token() {
    let h = start().await;
    let health: Value = h
        .http
        .get(h.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let m = h.metrics().await;
    assert!(m.contains("# TYPE hourglass_relay_webhooks_accepted_total counter"));
    assert_eq!(metric(&m, "hourglass_relay_log_head_seq"), 0.0);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn arbitrary_signed_bodies_are_always_kept_and_acknowledged() {
    use rand::{Rng, SeedableRng};
    let h = start().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x4855_4f47);
    let valid = envelope(vec![
        text("wamid.fuzz"),
        message("wamid.fuzz2", "reaction", json!({"message_id": "m"})),
    ]);
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    for i in 0..120 {
        let body = match i % 4 {
            // Truncated envelopes.
            0 => valid[..rng.random_range(0..valid.len())].to_vec(),
            // Random bytes.
            1 => (0..rng.random_range(0..300)).map(|_| rng.random()).collect(),
            // One byte of a valid envelope flipped.
            2 => {
                let mut b = valid.clone();
                let at = rng.random_range(0..b.len());
                b[at] = rng.random();
                b
            }
            // Envelopes with wrong types in random places.
            _ => serde_json::to_vec(&json!({
                "object": "whatsapp_business_account",
                "entry": [{ "id": i, "changes": [{ "field": "messages", "value": {
                    "metadata": if rng.random() { json!(7) } else { json!({"phone_number_id": "1"}) },
                    "messages": [{ "id": format!("wamid.t{i}"), "timestamp": if rng.random() { json!([1]) } else { json!("1") },
                                   "type": "text", "text": if rng.random() { json!("flat") } else { json!({"body": 5}) } }]
                }}]}]
            }))
            .unwrap(),
        };
        bodies.push(body);
    }
    for body in &bodies {
        assert_eq!(h.post_signed(body).await.status(), 200);
    }
    let mut expected: std::collections::HashSet<String> = std::collections::HashSet::new();
    for body in &bodies {
        match webhook::split(body) {
            Ok(singles) => expected.extend(singles.into_iter().map(|s| s.dedupe_key)),
            Err(_) => {
                use sha2::Digest;
                expected.insert(format!(
                    "malformed:{}",
                    hex::encode(sha2::Sha256::digest(body))
                ));
            }
        }
    }
    let stored: std::collections::HashSet<String> = h
        .all_events()
        .await
        .into_iter()
        .map(|e| e.dedupe_key)
        .collect();
    assert_eq!(stored, expected);
    // Every stored webhook event still parses, typed or as Other/Unknown.
    for e in h.all_events().await {
        if e.kind == EventKind::Webhook {
            assert_eq!(webhook::parse_value(&e.payload).unwrap().len(), 1);
        }
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn hostile_bodies_are_kept_or_refused_without_harm() {
    use rand::{Rng, SeedableRng};
    let h = start().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x6869_6c65);

    // Wrong or forged signatures over random bodies: refused, nothing stored.
    for i in 0..60 {
        let body: Vec<u8> = (0..rng.random_range(0..2_000))
            .map(|_| rng.random())
            .collect();
        let sig = match i % 3 {
            0 => signature::sign(b"another-apps-secret", &body),
            1 => format!(
                "sha256={}",
                hex::encode((0..32).map(|_| rng.random::<u8>()).collect::<Vec<_>>())
            ),
            _ => "sha256=not-hex".to_owned(),
        };
        let status = h.post_raw(body, Some(sig)).await.status();
        assert_eq!(status, 403, "a wrong signature is refused");
    }
    assert!(
        h.all_events().await.is_empty(),
        "nothing refused was stored"
    );

    // JSON nested far deeper than any parser should follow: kept raw and
    // flagged malformed, not a crash.
    let depth = 100_000;
    let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(h.post_signed(deep.as_bytes()).await.status(), 200);
    // A customer text of 2.5 MB inside a valid envelope: kept whole.
    let huge = "Ж".repeat(1_250_000);
    let body = envelope(vec![message("wamid.huge", "text", json!({ "body": huge }))]);
    assert_eq!(h.post_signed(&body).await.status(), 200);
    // Wrong types where Meta sends strings and objects: kept, parsed as far
    // as possible, never dropped.
    let mut odd = message("wamid.odd", "text", json!([null]));
    odd["timestamp"] = json!({"nested": [1, 2]});
    odd["from"] = json!(42);
    let odd = envelope(vec![odd]);
    assert_eq!(h.post_signed(&odd).await.status(), 200);

    let events = h.all_events().await;
    assert_eq!(events.len(), 3, "{events:#?}");
    let deep_event = &events[0];
    assert!(deep_event.dedupe_key.starts_with("malformed:"));
    let kept = events
        .iter()
        .find(|e| e.dedupe_key.contains("wamid.huge"))
        .unwrap();
    match &webhook::parse_value(&kept.payload).unwrap()[0] {
        Update::Message(m) => match &m.message.content {
            MessageContent::Text(t) => assert_eq!(t.body.chars().count(), 1_250_000),
            other => panic!("not text: {other:?}"),
        },
        other => panic!("not a message: {other:?}"),
    }
    assert!(events.iter().any(|e| e.dedupe_key.contains("wamid.odd")));
    // The relay still answers after all of it.
    assert_eq!(
        h.post_signed(&envelope(vec![text("wamid.after")]))
            .await
            .status(),
        200
    );
    h.relay.shutdown().await.unwrap();
}

/// A text from customer `from` (digits, as Meta writes them).
fn text_from(from: &str, id: &str) -> Vec<u8> {
    let mut m = text(id);
    m["from"] = json!(from);
    envelope(vec![m])
}

/// The relay's own assignments in the log: (customer, assignee), in order.
async fn auto_assignments(h: &Harness) -> Vec<(String, Option<String>)> {
    h.all_events()
        .await
        .into_iter()
        .filter(|e| e.kind == EventKind::Agent)
        .filter(|e| {
            e.dedupe_key
                .starts_with(hourglass_relay::assign::DEDUPE_PREFIX)
        })
        .inspect(|e| assert_eq!(e.agent, None))
        .map(
            |e| match hourglass_protocol::team::AgentEvent::from_payload(&e.payload).unwrap() {
                hourglass_protocol::team::AgentEvent::Assign {
                    customer,
                    phone_number_id,
                    assignee,
                } => {
                    assert_eq!(phone_number_id, "106540352242922");
                    (customer, assignee)
                }
                other => panic!("the relay wrote {other:?}"),
            },
        )
        .collect()
}

/// Holds `token`'s live stream open: the agent is online while it lives.
async fn go_online(h: &Harness, token: &str) -> reqwest::Response {
    let res = h
        .http
        .get(h.url("/v1/stream"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res
}

#[tokio::test]
async fn round_robin_assigns_each_new_conversation_to_the_next_agent_online_once() {
    use hourglass_relay::assign::AutoAssign;
    let h = start_with(|mut c| {
        c.auto_assign = Some(AutoAssign::RoundRobin);
        c
    })
    .await;
    let store = h.relay.state().store();
    let ben = hourglass_relay::agent::add(store.as_ref(), "ben")
        .unwrap()
        .expose()
        .to_owned();
    let customer = |n: u32| format!("+1650555100{n}");
    let digits = |n: u32| format!("1650555100{n}");

    // Nobody online: the conversation waits, and is not new any more later.
    assert_eq!(
        h.post_signed(&text_from(&digits(1), "wamid.a1"))
            .await
            .status(),
        200
    );
    assert!(auto_assignments(&h).await.is_empty());

    let ana_online = go_online(&h, &h.token).await;
    let ben_online = go_online(&h, &ben).await;
    for n in 2..=4 {
        let body = text_from(&digits(n), &format!("wamid.b{n}"));
        assert_eq!(h.post_signed(&body).await.status(), 200);
    }
    // A later message, a retried webhook and a conversation from before
    // are not new conversations.
    h.post_signed(&text_from(&digits(2), "wamid.c2")).await;
    h.post_signed(&text_from(&digits(3), "wamid.b3")).await;
    h.post_signed(&text_from(&digits(1), "wamid.c1")).await;
    // One an agent assigned before the customer wrote stays theirs.
    let mine = hourglass_protocol::team::AgentEvent::Assign {
        customer: customer(5),
        phone_number_id: "106540352242922".into(),
        assignee: Some("ben".into()),
    };
    h.publish("assign-5", mine.to_payload()).await;
    h.post_signed(&text_from(&digits(5), "wamid.b5")).await;
    assert_eq!(
        auto_assignments(&h).await,
        vec![
            (customer(2), Some("ana".to_owned())),
            (customer(3), Some("ben".to_owned())),
            (customer(4), Some("ana".to_owned())),
        ]
    );

    // Ben leaves: the next new conversation goes to the one still online.
    drop(ben_online);
    let deadline = Instant::now() + Duration::from_secs(10);
    while h.relay.state().metrics().subscribers() > 1 {
        assert!(Instant::now() < deadline, "ben's stream never ended");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.post_signed(&text_from(&digits(6), "wamid.b6")).await;
    let found = auto_assignments(&h).await;
    assert_eq!(found.len(), 4, "{found:?}");
    assert_eq!(found[3], (customer(6), Some("ana".to_owned())));
    drop(ana_online);
    let database = h.database.clone();
    h.relay.shutdown().await.unwrap();

    // After a restart the log says which conversations exist.
    let relay = Relay::open(
        Config {
            auto_assign: Some(AutoAssign::RoundRobin),
            ..Config::new(database, SECRET, VERIFY)
        }
        .with_heartbeat(Duration::from_millis(200)),
    )
    .unwrap();
    let h2 = Harness {
        _dir: h._dir,
        database: h.database,
        relay: relay.start("127.0.0.1:0").await.unwrap(),
        token: h.token,
        http: h.http,
    };
    let _online = go_online(&h2, &ben).await;
    h2.post_signed(&text_from(&digits(2), "wamid.d2")).await;
    h2.post_signed(&text_from(&digits(7), "wamid.d7")).await;
    let found = auto_assignments(&h2).await;
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(found[4], (customer(7), Some("ben".to_owned())));
    h2.relay.shutdown().await.unwrap();
}
