//! The relay's limits, seen from outside: real connections on loopback to a
//! relay on a real SQLite file. Each test sets the one limit it checks low
//! and shows both sides of it: refused over the limit, served under it.

#![allow(clippy::unwrap_used)]

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hourglass_protocol::{ErrorBody, EventKind, EventPage, MAX_PAGE_BYTES, SSE_GOING_AWAY};
use hourglass_relay::store::{EventStore, NewEvent};
use hourglass_relay::{Config, Limits, Relay, RunningRelay, Secret, agent};
use hourglass_whatsapp::signature;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "hardening-secret";

struct Harness {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    relay: RunningRelay,
    token: String,
    http: reqwest::Client,
}

async fn start_with(adjust: impl FnOnce(Config) -> Config) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let relay = Relay::open(adjust(
        Config::new(&db, SECRET, "verify").with_heartbeat(Duration::from_millis(200)),
    ))
    .unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    Harness {
        _dir: dir,
        db,
        relay,
        token,
        http: reqwest::Client::new(),
    }
}

fn limits(adjust: impl FnOnce(&mut Limits)) -> impl FnOnce(Config) -> Config {
    move |c| {
        let mut l = Limits::default();
        adjust(&mut l);
        c.with_limits(l)
    }
}

impl Harness {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.relay.url())
    }

    async fn publish(&self, key: &str, payload: serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url("/v1/events"))
            .bearer_auth(&self.token)
            .json(&json!({ "idempotency_key": key, "payload": payload }))
            .send()
            .await
            .unwrap()
    }

    async fn stream(&self, after: u64) -> reqwest::Response {
        self.http
            .get(self.url(&format!("/v1/stream?after={after}")))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
    }

    async fn signed_webhook(&self, id: &str) -> reqwest::Response {
        let body = webhook_body(id);
        self.http
            .post(self.url("/webhook"))
            .header(signature::HEADER, signature::sign(SECRET.as_bytes(), &body))
            .body(body)
            .send()
            .await
            .unwrap()
    }
}

fn webhook_body(id: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "metadata": {"display_phone_number": "1", "phone_number_id": "2"},
            "messages": [{"from": "3", "id": id, "timestamp": "1", "type": "text",
                          "text": {"body": "hi"}}]
        }}]}]
    }))
    .unwrap()
}

/// Reads until the peer closes the connection or `limit` passes; returns
/// what was read and whether it closed.
async fn read_until_closed(tcp: &mut TcpStream, limit: Duration) -> (String, bool) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (String::from_utf8_lossy(&got).into(), true),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (String::from_utf8_lossy(&got).into(), false),
        }
    }
}

#[tokio::test]
async fn revoking_an_agent_ends_its_open_stream_within_a_second() {
    let h = start_with(|c| c).await;
    let res = h.stream(0).await;
    assert_eq!(res.status(), 200);
    let mut body = res.bytes_stream();
    // The stream is open: the first heartbeat arrives.
    tokio::time::timeout(Duration::from_secs(5), body.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();

    let store = hourglass_relay::SqliteStore::open(&h.db).unwrap();
    agent::revoke(&store, "ana").unwrap();
    let revoked = Instant::now();
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(chunk) = body.next().await {
            if chunk.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the revoked agent's stream stayed open");
    assert!(
        revoked.elapsed() < Duration::from_millis(2_500),
        "the stream ended only after {:?}",
        revoked.elapsed()
    );
    // And it cannot come back.
    assert_eq!(h.stream(0).await.status(), 401);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn agent_events_over_64_kib_get_413_with_a_json_error() {
    let h = start_with(|c| c).await;
    let fits = h
        .publish("fits", json!({ "note": "x".repeat(60 * 1024) }))
        .await;
    assert_eq!(fits.status(), 200);
    let res = h
        .publish("big", json!({ "note": "x".repeat(70 * 1024) }))
        .await;
    assert_eq!(res.status(), 413);
    let err: ErrorBody = res.json().await.unwrap();
    assert_eq!(err.code, "payload_too_large");
    assert!(err.message.contains("65536"), "{}", err.message);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn publishing_faster_than_the_rate_gets_429_with_retry_after() {
    let h = start_with(limits(|l| {
        l.publish_per_second = NonZeroU32::new(1).unwrap();
        l.publish_burst = NonZeroU32::new(3).unwrap();
    }))
    .await;
    for i in 0..3 {
        assert_eq!(h.publish(&format!("k{i}"), json!({})).await.status(), 200);
    }
    let res = h.publish("k3", json!({})).await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&retry), "Retry-After: {retry}");
    assert_eq!(res.json::<ErrorBody>().await.unwrap().code, "rate_limited");
    // Waiting as told is enough.
    tokio::time::sleep(Duration::from_secs(retry)).await;
    assert_eq!(h.publish("k3", json!({})).await.status(), 200);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn streams_per_agent_are_capped() {
    let h = start_with(limits(|l| l.streams_per_agent = 2)).await;
    let first = h.stream(0).await;
    let second = h.stream(0).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = h.stream(0).await;
    assert_eq!(third.status(), 429);
    assert_eq!(
        third.json::<ErrorBody>().await.unwrap().code,
        "too_many_streams"
    );
    drop(first);
    // The slot comes back once the relay notices the closed stream (at its
    // next heartbeat, 200 ms here).
    let started = Instant::now();
    loop {
        let again = h.stream(0).await;
        if again.status() == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the closed stream's slot was never given back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn pages_are_bounded_by_bytes_and_still_complete() {
    let h = start_with(|c| c).await;
    // 24 events of 512 KiB: 12 MiB, more than one page's byte budget.
    let store = h.relay.state().store();
    let filler = "z".repeat(512 * 1024);
    let events: Vec<NewEvent> = (0..24)
        .map(|i| NewEvent {
            kind: EventKind::Agent,
            dedupe_key: format!("big:{i}"),
            agent: Some("ana".into()),
            payload: json!({ "f": filler }).to_string(),
        })
        .collect();
    store.append(&events, 1).unwrap();

    let mut after = 0;
    let mut pages = Vec::new();
    loop {
        let res = h
            .http
            .get(h.url(&format!("/v1/events?after={after}")))
            .bearer_auth(&h.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes.len() <= MAX_PAGE_BYTES + 600 * 1024,
            "a page of {} bytes",
            bytes.len()
        );
        let page: EventPage = serde_json::from_slice(&bytes).unwrap();
        pages.push(page.events.len());
        after = page.events.last().map_or(after, |e| e.seq);
        if !page.has_more {
            break;
        }
        assert!(pages.len() < 10);
    }
    assert!(pages.len() >= 2, "one page held everything: {pages:?}");
    assert_eq!(pages.iter().sum::<usize>(), 24, "{pages:?}");
    assert_eq!(after, 24);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_half_sent_request_head_is_cut_off() {
    let h = start_with(limits(|l| {
        l.header_read_timeout = Duration::from_millis(500)
    }))
    .await;
    let mut tcp = TcpStream::connect(h.relay.addr()).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\n")
        .await
        .unwrap();
    let (_, closed) = read_until_closed(&mut tcp, Duration::from_secs(5)).await;
    assert!(closed, "a client that never finished its head was kept");
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let h = start_with(limits(|l| l.idle_timeout = Duration::from_secs(1))).await;
    let mut tcp = TcpStream::connect(h.relay.addr()).await.unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (answer, closed) = read_until_closed(&mut tcp, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(closed, "an idle connection was kept");
    assert!(started.elapsed() >= Duration::from_millis(900));
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_quiet_stream_is_not_idle() {
    // Heartbeats every 200 ms keep a stream alive past the idle timeout.
    let h = start_with(limits(|l| l.idle_timeout = Duration::from_millis(800))).await;
    let res = h.stream(0).await;
    let mut body = res.bytes_stream();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        let chunk = tokio::time::timeout(Duration::from_secs(2), body.next())
            .await
            .unwrap();
        assert!(chunk.is_some_and(|c| c.is_ok()), "the stream was closed");
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_at_once() {
    let h = start_with(limits(|l| l.max_connections = 3)).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut tcp = TcpStream::connect(h.relay.addr()).await.unwrap();
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        tcp.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        held.push(tcp);
    }
    let mut fourth = TcpStream::connect(h.relay.addr()).await.unwrap();
    let _ = fourth
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n")
        .await;
    let (answer, closed) = read_until_closed(&mut fourth, Duration::from_secs(3)).await;
    assert!(closed && answer.is_empty(), "served over the cap: {answer}");
    let metrics = reqwest::get(h.url("/metrics")).await;
    assert!(metrics.is_err(), "still at the cap, nothing is served");
    drop(held);
    // Below the cap again, once the relay has seen the connections close.
    let started = Instant::now();
    loop {
        if let Ok(res) = reqwest::get(h.url("/metrics")).await {
            let text = res.text().await.unwrap();
            assert!(
                text.contains("hourglass_relay_connections_refused_total 2"),
                "{text}"
            );
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_that_stalls_is_refused_after_the_body_timeout() {
    let h = start_with(limits(|l| l.body_timeout = Duration::from_millis(500))).await;
    let mut tcp = TcpStream::connect(h.relay.addr()).await.unwrap();
    let head = format!(
        "POST /v1/events HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"idem",
        h.token
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(5), tcp.read_exact(&mut buf))
        .await
        .expect("a stalled body was waited for")
        .unwrap();
    assert_eq!(&buf, b"HTTP/1.1 400");
    assert!(started.elapsed() >= Duration::from_millis(400));
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_malformed_signature_is_refused_before_the_body_is_read() {
    let h = start_with(|c| c).await;
    for sig in ["sha1=abc", "sha256=xyz", "sha256="] {
        let mut tcp = TcpStream::connect(h.relay.addr()).await.unwrap();
        let head = format!(
            "POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n\
             Content-Length: 1000000\r\nX-Hub-Signature-256: {sig}\r\n\r\n"
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        // No body is sent: the answer must come anyway.
        let mut buf = [0u8; 12];
        tokio::time::timeout(Duration::from_secs(3), tcp.read_exact(&mut buf))
            .await
            .expect("the relay waited for the body")
            .unwrap();
        assert_eq!(&buf, b"HTTP/1.1 403", "{sig}");
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn unauthenticated_bodies_read_at_once_are_limited() {
    let h = start_with(limits(|l| l.max_unauthenticated_bodies = 2)).await;
    let mut slow = Vec::new();
    for _ in 0..2 {
        let mut tcp = TcpStream::connect(h.relay.addr()).await.unwrap();
        let head = format!(
            "POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Length: 1000\r\n\
             X-Hub-Signature-256: sha256={}\r\n\r\n{{\"object\":",
            "0".repeat(64)
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        slow.push(tcp);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let busy = h.signed_webhook("wamid.busy").await;
    assert_eq!(busy.status(), 503);
    assert_eq!(busy.headers()["retry-after"], "1");
    assert_eq!(busy.json::<ErrorBody>().await.unwrap().code, "busy");
    drop(slow);
    // Meta's retry gets through once the slow senders are gone.
    let started = Instant::now();
    loop {
        let res = h.signed_webhook("wamid.busy").await;
        if res.status() == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            res.status()
        );
    }
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_says_going_away_and_ends_whatever_clients_do() {
    let h = start_with(limits(|l| {
        l.shutdown_grace = Duration::from_secs(1);
        l.header_read_timeout = Duration::from_secs(60);
    }))
    .await;
    let res = h.stream(0).await;
    let mut body = res.bytes_stream();
    // A client that sent half a request head and then nothing.
    let mut half = TcpStream::connect(h.relay.addr()).await.unwrap();
    half.write_all(b"POST /webhook HTTP/1.1\r\nHost: rel")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let started = Instant::now();
    let stopping = tokio::spawn(h.relay.shutdown());
    let mut seen = String::new();
    tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(Ok(chunk)) = body.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await
    .expect("the stream did not end");
    assert!(
        seen.contains(&format!("event: {SSE_GOING_AWAY}")),
        "no going-away frame: {seen}"
    );
    assert!(seen.contains("shutting_down"), "{seen}");
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .expect("shutdown waited for the half-sent request")
        .unwrap()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(4));
    let (_, closed) = read_until_closed(&mut half, Duration::from_secs(2)).await;
    assert!(closed);
}

#[tokio::test]
async fn healthz_reports_a_failed_commit_until_a_commit_succeeds() {
    let h = start_with(|c| c).await;
    assert_eq!(h.signed_webhook("wamid.before").await.status(), 200);
    // Another process's write lock: the relay's next commit fails once its
    // busy timeout runs out.
    let blocker = rusqlite::Connection::open(&h.db).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let refused = h.signed_webhook("wamid.during").await;
    assert_eq!(refused.status(), 503);
    let health = reqwest::get(h.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), 503);
    let body: serde_json::Value = health.json().await.unwrap();
    assert!(
        body["reason"].as_str().unwrap().contains("last commit"),
        "{body}"
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(h.signed_webhook("wamid.during").await.status(), 200);
    assert_eq!(reqwest::get(h.url("/healthz")).await.unwrap().status(), 200);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn metrics_can_be_put_behind_a_token() {
    let h = start_with(|mut c| {
        c.metrics_token = Some(Secret::new("scrape-me"));
        c
    })
    .await;
    let anonymous = reqwest::get(h.url("/metrics")).await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let wrong = h
        .http
        .get(h.url("/metrics"))
        .bearer_auth("nope")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let right = h
        .http
        .get(h.url("/metrics"))
        .bearer_auth("scrape-me")
        .send()
        .await
        .unwrap();
    assert_eq!(right.status(), 200);
    assert!(right.text().await.unwrap().contains("hourglass_relay_"));
    // Health stays open for load balancers.
    assert_eq!(reqwest::get(h.url("/healthz")).await.unwrap().status(), 200);
    h.relay.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_cursor_older_than_retention_gets_410_with_the_horizon() {
    let h = start_with(|c| c).await;
    let store = h.relay.state().store();
    let day = 86_400_000;
    let now = now_ms();
    let event = |i: u32| NewEvent {
        kind: EventKind::Agent,
        dedupe_key: format!("e:{i}"),
        agent: Some("ana".into()),
        payload: "{}".into(),
    };
    store
        .append(&(1..=5).map(event).collect::<Vec<_>>(), now - 100 * day)
        .unwrap();
    store
        .append(&(6..=8).map(event).collect::<Vec<_>>(), now - day)
        .unwrap();
    let removed = hourglass_relay::retention::prune(
        store.as_ref(),
        hourglass_relay::retention::parse_age("90d").unwrap(),
        |_| {},
    )
    .unwrap();
    assert_eq!(removed, 5);

    for path in [
        "/v1/events?after=0",
        "/v1/events?after=3",
        "/v1/stream?after=4",
    ] {
        let res = h
            .http
            .get(h.url(path))
            .bearer_auth(&h.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 410, "{path}");
        let err: ErrorBody = res.json().await.unwrap();
        assert_eq!(err.code, "history_pruned");
        let horizon = err.horizon.unwrap();
        assert_eq!(horizon.seq, 6);
        assert_eq!(horizon.received_at_ms, now - day);
    }
    // From the horizon on, the log is complete.
    let res = h
        .http
        .get(h.url("/v1/events?after=5"))
        .bearer_auth(&h.token)
        .send()
        .await
        .unwrap();
    let page: EventPage = res.json().await.unwrap();
    assert_eq!(
        page.events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [6, 7, 8]
    );
    h.relay.shutdown().await.unwrap();
}

#[test]
fn retention_never_removes_the_newest_event_so_seq_keeps_growing() {
    let dir = tempfile::tempdir().unwrap();
    let store = hourglass_relay::SqliteStore::open(dir.path().join("r.db")).unwrap();
    let event = |i: u32| NewEvent {
        kind: EventKind::Agent,
        dedupe_key: format!("e:{i}"),
        agent: None,
        payload: "{}".into(),
    };
    store
        .append(&(1..=2_500).map(event).collect::<Vec<_>>(), 1)
        .unwrap();
    let removed =
        hourglass_relay::retention::prune(&store, Duration::from_secs(1), |_| {}).unwrap();
    assert_eq!(removed, 2_499);
    assert_eq!(store.horizon().unwrap().unwrap().seq, 2_500);
    let next = store.append(&[event(9_999)], 2).unwrap();
    assert_eq!(next[0].seq(), 2_501);
}

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

#[test]
fn a_log_written_before_retention_existed_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // The schema of the first relays (version 1), with one event in it.
    let old = rusqlite::Connection::open(&path).unwrap();
    old.execute_batch(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL,
             dedupe_key TEXT NOT NULL UNIQUE, received_at_ms INTEGER NOT NULL,
             agent TEXT, payload TEXT NOT NULL);
         CREATE TABLE agents (name TEXT NOT NULL, token_sha256 TEXT NOT NULL UNIQUE,
             created_at_ms INTEGER NOT NULL, revoked_at_ms INTEGER);
         CREATE UNIQUE INDEX agents_active_name ON agents(name) WHERE revoked_at_ms IS NULL;
         INSERT INTO events VALUES (1, 'agent', 'k1', 1, 'ana', '{}');
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(old);
    let store = hourglass_relay::SqliteStore::open(&path).unwrap();
    assert_eq!(store.head().unwrap(), 1);
    assert_eq!(store.pruned_through().unwrap(), 0);
    let event = |k: &str| NewEvent {
        kind: EventKind::Agent,
        dedupe_key: k.into(),
        agent: None,
        payload: "{}".into(),
    };
    store.append(&[event("k2")], 2).unwrap();
    assert_eq!(store.prune(2, 10).unwrap(), 1);
    assert_eq!(store.pruned_through().unwrap(), 1);
}
