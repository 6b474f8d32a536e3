//! The relay on a real PostgreSQL server (see `support/pg.rs`): the store's
//! promises, several writers and several relays on one database, a relay
//! killed mid-burst, and the database restarted mid-burst. Real HTTP over
//! loopback throughout. The SQLite relay's own tests (`relay.rs`) run here
//! on PostgreSQL too, as `relay_contract::*`.

#![allow(clippy::unwrap_used)]

#[path = "support/pg.rs"]
mod pg;

#[path = "relay.rs"]
mod relay_contract;

/// Every relay of `relay_contract` gets a fresh PostgreSQL database.
async fn test_database(_dir: &std::path::Path) -> Database {
    Database::Postgres(pg::server().fresh_database().await)
}

use std::collections::{BTreeSet, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hourglass_protocol::{
    Event, EventKind, EventPage, PresenceList, PresenceState, PresenceUpdate,
};
use hourglass_relay::store::{Appended, EventStore, NewEvent, StoreError};
use hourglass_relay::{Config, Database, PgStore, Relay, RunningRelay, SqliteStore};
use hourglass_whatsapp::signature;
use serde_json::json;

const SECRET: &str = "pg-test-secret";
const VERIFY: &str = "pg-test-verify";
const BIN: &str = env!("CARGO_BIN_EXE_hourglass-relay");

fn event(key: &str, payload: String) -> NewEvent {
    NewEvent {
        kind: EventKind::Webhook,
        dedupe_key: key.into(),
        agent: None,
        payload,
    }
}

fn small(key: &str) -> NewEvent {
    event(key, format!(r#"{{"k":"{key}"}}"#))
}

/// A signed-webhook body carrying one text message per id.
fn envelope(ids: &[String]) -> Vec<u8> {
    let messages: Vec<_> = ids
        .iter()
        .map(|id| json!({"from": "16505551234", "id": id, "timestamp": "1749416383", "type": "text", "text": {"body": format!("hello {id}")}}))
        .collect();
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
            "messages": messages
        }}]}]
    }))
    .unwrap()
}

async fn open_store(url: &str) -> PgStore {
    let url = url.to_owned();
    tokio::task::spawn_blocking(move || PgStore::open(&url))
        .await
        .unwrap()
        .unwrap()
}

/// Every event of the log, read page by page.
fn whole_log(store: &dyn EventStore) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    loop {
        let page = store.page(out.last().map_or(0, |e| e.0), 5000).unwrap();
        out.extend(page.events.into_iter().map(|e| (e.seq, e.dedupe_key)));
        if !page.has_more {
            return out;
        }
    }
}

/// The promises of `store.rs`, checked on any store; the numbers are
/// compared, never assumed consecutive.
fn store_contract(store: &dyn EventStore) {
    let out = store
        .append(&[small("a"), small("b"), small("a")], 7)
        .unwrap();
    let (a, b) = (out[0].seq(), out[1].seq());
    assert_eq!(
        out,
        vec![Appended::New(a), Appended::New(b), Appended::Duplicate(a)]
    );
    assert!(a < b);
    let out = store.append(&[small("b"), small("c")], 8).unwrap();
    let c = out[1].seq();
    assert_eq!(out, vec![Appended::Duplicate(b), Appended::New(c)]);
    assert!(c > b);

    let page = store.page(a, 10).unwrap();
    assert_eq!(page.head, c);
    assert!(!page.has_more);
    assert_eq!(
        page.events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [b, c]
    );
    assert_eq!(page.events[1].payload.get(), r#"{"k":"c"}"#);
    assert_eq!(page.events[1].received_at_ms, 8);
    let page = store.page(0, 2).unwrap();
    assert!(page.has_more);
    assert_eq!(page.events.len(), 2);
    let empty = store.page(0, 0).unwrap();
    assert!(empty.events.is_empty() && !empty.has_more);
    assert_eq!(empty.head, c);
    assert_eq!(store.head().unwrap(), c);

    // Retention: a prefix, stopped by age, never the newest event.
    assert_eq!(store.horizon().unwrap().unwrap().seq, a);
    assert_eq!(store.pruned_through().unwrap(), 0, "nothing pruned yet");
    assert_eq!(store.prune(8, 100).unwrap(), 2, "a and b are older than 8");
    assert_eq!(store.horizon().unwrap().unwrap().seq, c);
    assert_eq!(store.pruned_through().unwrap(), b);
    assert_eq!(store.prune(i64::MAX, 100).unwrap(), 0, "the newest stays");
    assert_eq!(store.pruned_through().unwrap(), b);
    assert_eq!(store.head().unwrap(), c);
    let d = store.append(&[small("d")], 9).unwrap()[0].seq();
    assert!(d > c, "numbers keep growing after a prune");

    // A page stops once its JSON passes the byte bound.
    let mib = "x".repeat(1024 * 1024);
    let big: Vec<NewEvent> = (0..12)
        .map(|i| event(&format!("big{i}"), format!(r#"{{"k":"{mib}"}}"#)))
        .collect();
    store.append(&big, 10).unwrap();
    let page = store.page(d, 5000).unwrap();
    assert_eq!(page.events.len(), 8, "8 MiB of 1 MiB events");
    assert!(page.has_more);

    // Agents.
    assert!(store.add_agent("ana", "h1", 1).unwrap());
    assert!(!store.add_agent("ana", "h2", 2).unwrap());
    assert_eq!(store.agent_by_token("h1").unwrap().as_deref(), Some("ana"));
    assert!(store.revoke_agent("ana", 3).unwrap());
    assert!(!store.revoke_agent("ana", 4).unwrap());
    assert_eq!(store.agent_by_token("h1").unwrap(), None);
    assert!(store.add_agent("ana", "h3", 5).unwrap());
    assert_eq!(store.agents().unwrap().len(), 2);
}

#[tokio::test]
async fn the_store_keeps_the_logs_promises_on_both_backends() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("r.db")).unwrap();
    tokio::task::spawn_blocking(move || store_contract(&sqlite))
        .await
        .unwrap();

    let url = pg::server().fresh_database().await;
    let store = open_store(&url).await;
    tokio::task::spawn_blocking(move || store_contract(&store))
        .await
        .unwrap();

    // Opened again, the log is all there and the schema is not re-created.
    let again = open_store(&url).await;
    let log = tokio::task::spawn_blocking(move || whole_log(&again))
        .await
        .unwrap();
    assert_eq!(log.len(), 2 + 12, "c, d and the big ones");

    // A database written by a newer relay is refused.
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let driver = tokio::spawn(connection);
    client
        .batch_execute("UPDATE hourglass_schema SET version = 99")
        .await
        .unwrap();
    drop(client);
    driver.await.unwrap().unwrap();
    let refused = tokio::task::spawn_blocking(move || PgStore::open(&url))
        .await
        .unwrap();
    assert!(
        matches!(refused, Err(StoreError::NewerSchema { found: 99, .. })),
        "{refused:?}"
    );
}

/// Several stores on one database (as several relays are) append at once
/// while a reader follows `after=<seq>`: it must see every event, because an
/// event never commits after a larger `seq` is visible.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_never_let_a_follower_skip() {
    const WRITERS: usize = 3;
    const BATCHES: usize = 150;
    let url = pg::server().fresh_database().await;
    let mut stores = Vec::new();
    for _ in 0..=WRITERS {
        stores.push(Arc::new(open_store(&url).await));
    }
    let reader_store = stores.pop().unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut writers = Vec::new();
    for (w, store) in stores.into_iter().enumerate() {
        let done = Arc::clone(&done);
        writers.push(std::thread::spawn(move || {
            let mut written = 0;
            for b in 0..BATCHES {
                assert!(Instant::now() < deadline, "writers took too long");
                let batch: Vec<NewEvent> = (0..(b % 7) + 1)
                    .map(|i| small(&format!("w{w}-b{b}-e{i}")))
                    .collect();
                written += batch.len();
                let out = store.append(&batch, 1).unwrap();
                assert!(out.iter().all(|a| matches!(a, Appended::New(_))));
            }
            done.fetch_add(1, Ordering::SeqCst);
            written
        }));
    }
    let follower_done = Arc::clone(&done);
    let follower = std::thread::spawn(move || {
        let mut seen: Vec<(u64, String)> = Vec::new();
        let mut cursor = 0;
        let mut reads = 0usize;
        loop {
            assert!(Instant::now() < deadline, "the follower took too long");
            // Read whether the writers are done before reading the page: an
            // empty page after they are done means the end of the log.
            let finished = follower_done.load(Ordering::SeqCst) == WRITERS;
            let page = reader_store.page(cursor, 7).unwrap();
            reads += 1;
            for e in &page.events {
                assert!(e.seq > cursor, "pages go forward");
                cursor = e.seq;
                seen.push((e.seq, e.dedupe_key.clone()));
            }
            if finished && page.events.is_empty() {
                return (seen, reads, reader_store);
            }
        }
    });
    let written: usize = writers.into_iter().map(|w| w.join().unwrap()).sum();
    let (seen, reads, store) = tokio::task::spawn_blocking(move || follower.join().unwrap())
        .await
        .unwrap();
    let log = tokio::task::spawn_blocking(move || whole_log(&*store))
        .await
        .unwrap();
    assert_eq!(log.len(), written);
    assert!(reads > 20, "the follower read while the writers wrote");
    assert_eq!(seen.len(), log.len(), "the follower skipped events");
    assert_eq!(seen, log);
}

/// A minimal server-sent-events reader.
struct Sse {
    stream: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buf: String,
}

impl Sse {
    async fn open(http: &reqwest::Client, base: &str, token: &str, after: u64) -> Sse {
        let res = http
            .get(format!("{base}/v1/stream?after={after}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        Sse {
            stream: res.bytes_stream().boxed(),
            buf: String::new(),
        }
    }

    /// The next event, or None if none comes within `wait`.
    async fn next(&mut self, wait: Duration) -> Option<Event> {
        let until = tokio::time::Instant::now() + wait;
        loop {
            if let Some(pos) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..pos + 2).collect();
                let mut id = None;
                let mut data = String::new();
                for line in frame.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().parse::<u64>().unwrap());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
                if let Some(id) = id {
                    let event: Event = serde_json::from_str(&data).unwrap();
                    assert_eq!(event.seq, id);
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(until, self.stream.next())
                .await
                .ok()??
                .unwrap();
            self.buf.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

async fn start_relay(url: &str) -> (RunningRelay, String) {
    let config = Config::new(url, SECRET, VERIFY).with_heartbeat(Duration::from_millis(200));
    let relay = tokio::task::spawn_blocking(move || Relay::open(config).unwrap())
        .await
        .unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    (relay.start("127.0.0.1:0").await.unwrap(), token)
}

async fn post(http: &reqwest::Client, base: &str, body: &[u8]) -> reqwest::Result<u16> {
    http.post(format!("{base}/webhook"))
        .header(signature::HEADER, signature::sign(SECRET.as_bytes(), body))
        .body(body.to_vec())
        .send()
        .await
        .map(|r| r.status().as_u16())
}

async fn all_events(http: &reqwest::Client, base: &str, token: &str) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    loop {
        let after = out.last().map_or(0, |e| e.seq);
        let res = http
            .get(format!("{base}/v1/events?after={after}&limit=5000"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let page: EventPage = res.json().await.unwrap();
        out.extend(page.events);
        if !page.has_more {
            return out;
        }
    }
}

#[tokio::test]
async fn a_relay_on_postgres_acknowledges_after_commit_and_streams() {
    let url = pg::server().fresh_database().await;
    let (relay, token) = start_relay(&url).await;
    let base = relay.url();
    let http = reqwest::Client::new();
    let mut stream = Sse::open(&http, &base, &token, 0).await;

    let ids: Vec<String> = (0..3).map(|i| format!("wamid.basic{i}")).collect();
    let body = envelope(&ids);
    assert_eq!(post(&http, &base, &body).await.unwrap(), 200);
    // Committed before the 200: another connection sees it at once.
    let other = open_store(&url).await;
    let log = tokio::task::spawn_blocking(move || whole_log(&other))
        .await
        .unwrap();
    assert_eq!(log.len(), 3);

    let events = all_events(&http, &base, &token).await;
    assert_eq!(
        events
            .iter()
            .map(|e| e.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        ["msg:wamid.basic0", "msg:wamid.basic1", "msg:wamid.basic2"]
    );
    for expected in &events {
        let got = stream.next(Duration::from_secs(10)).await.unwrap();
        assert_eq!(got.seq, expected.seq);
        assert_eq!(got.dedupe_key, expected.dedupe_key);
    }

    // Meta's retry of the same batch adds nothing.
    assert_eq!(post(&http, &base, &body).await.unwrap(), 200);
    assert_eq!(all_events(&http, &base, &token).await.len(), 3);
    // An agent event comes through the stream next; the replay did not.
    let res = http
        .post(format!("{base}/v1/events"))
        .bearer_auth(&token)
        .json(&json!({"idempotency_key": "k1", "payload": {"note": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let got = stream.next(Duration::from_secs(10)).await.unwrap();
    assert_eq!(got.dedupe_key, "agent:ana:k1");
    assert_eq!(got.agent.as_deref(), Some("ana"));

    let health: serde_json::Value = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    relay.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_on_one_database_share_the_stream_and_presence() {
    const SENDERS: usize = 4;
    const POSTS: usize = 60;
    let url = pg::server().fresh_database().await;
    let (a, token) = start_relay(&url).await;
    let (b, _) = {
        let config = Config::new(url.as_str(), SECRET, VERIFY);
        let relay = tokio::task::spawn_blocking(move || Relay::open(config).unwrap())
            .await
            .unwrap();
        (relay.start("127.0.0.1:0").await.unwrap(), ())
    };
    let (a_url, b_url) = (a.url(), b.url());
    let http = reqwest::Client::new();
    let mut stream = Sse::open(&http, &a_url, &token, 0).await;

    // Webhooks go mostly to B, some to A, all at once.
    let mut senders = Vec::new();
    for s in 0..SENDERS {
        let http = http.clone();
        let target = if s == 0 { a_url.clone() } else { b_url.clone() };
        senders.push(tokio::spawn(async move {
            for p in 0..POSTS {
                let ids = vec![format!("wamid.s{s}p{p}a"), format!("wamid.s{s}p{p}b")];
                assert_eq!(post(&http, &target, &envelope(&ids)).await.unwrap(), 200);
            }
        }));
    }
    let expected = SENDERS * POSTS * 2;
    let mut got: Vec<Event> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while got.len() < expected && Instant::now() < deadline {
        match stream.next(Duration::from_secs(10)).await {
            Some(e) => got.push(e),
            None => break,
        }
    }
    for s in senders {
        s.await.unwrap();
    }
    assert_eq!(got.len(), expected, "A's stream missed events sent to B");
    assert!(got.windows(2).all(|w| w[0].seq < w[1].seq), "ids increase");
    let log = all_events(&http, &b_url, &token).await;
    assert_eq!(
        got.iter().map(|e| e.seq).collect::<Vec<_>>(),
        log.iter().map(|e| e.seq).collect::<Vec<_>>(),
        "the stream is the log"
    );

    // B's events reach A's stream within milliseconds through
    // LISTEN/NOTIFY, not at the tailer's one-second safety tick. (Without
    // notifications each wait would be a uniform draw up to a second, and 5
    // of 6 under 300 ms a 1 % fluke.)
    let mut quick = 0;
    for i in 0..6 {
        let sent = Instant::now();
        let ids = vec![format!("wamid.latency{i}")];
        assert_eq!(post(&http, &b_url, &envelope(&ids)).await.unwrap(), 200);
        let e = stream.next(Duration::from_secs(10)).await.unwrap();
        assert_eq!(e.dedupe_key, format!("msg:wamid.latency{i}"));
        if sent.elapsed() < Duration::from_millis(300) {
            quick += 1;
        }
    }
    assert!(quick >= 5, "only {quick} of 6 events arrived within 300 ms");

    // Presence set through one relay is seen through the other.
    let set = |base: &str, state: PresenceState| {
        http.post(format!("{base}/v1/presence"))
            .bearer_auth(&token)
            .json(&PresenceUpdate {
                customer: "+16505551234".into(),
                phone_number_id: "106540352242922".into(),
                state,
            })
            .send()
    };
    let get = |base: &str| {
        http.get(format!(
            "{base}/v1/presence?customer=%2B16505551234&phone_number_id=106540352242922"
        ))
        .bearer_auth(&token)
        .send()
    };
    let res = set(&a_url, PresenceState::Typing).await.unwrap();
    assert_eq!(res.status(), 200);
    let on_a: PresenceList = res.json().await.unwrap();
    assert_eq!(on_a.entries.len(), 1);
    let on_b: PresenceList = get(&b_url).await.unwrap().json().await.unwrap();
    assert_eq!(on_b.entries.len(), 1);
    assert_eq!(on_b.entries[0].agent, "ana");
    assert_eq!(on_b.entries[0].state, PresenceState::Typing);
    assert!(on_b.entries[0].expires_in_ms > 0 && on_b.entries[0].expires_in_ms <= 6_000);
    set(&b_url, PresenceState::Left).await.unwrap();
    let on_a: PresenceList = get(&a_url).await.unwrap().json().await.unwrap();
    assert!(on_a.entries.is_empty(), "{on_a:?}");
    // Still bounded per agent.
    for i in 0..20 {
        let res = http
            .post(format!("{a_url}/v1/presence"))
            .bearer_auth(&token)
            .json(&PresenceUpdate {
                customer: format!("+1{i}"),
                phone_number_id: "pn".into(),
                state: PresenceState::Viewing,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let all: PresenceList = http
        .get(format!("{b_url}/v1/presence"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all.entries.len(), hourglass_relay::presence::MAX_PER_AGENT);
    assert!(
        !all.entries.iter().any(|e| e.customer == "+10"),
        "the oldest went"
    );

    a.shutdown().await.unwrap();
    b.shutdown().await.unwrap();
}

#[tokio::test]
async fn shared_presence_expires_by_the_databases_clock() {
    let url = pg::server().fresh_database().await;
    let mut config = Config::new(url.as_str(), SECRET, VERIFY);
    config.presence_ttl = hourglass_relay::presence::PresenceTtl {
        viewing: Duration::from_secs(30),
        typing: Duration::from_millis(400),
    };
    let relay = tokio::task::spawn_blocking(move || Relay::open(config).unwrap())
        .await
        .unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let base = relay.url();
    let http = reqwest::Client::new();
    let set = |customer: &str, state: PresenceState| {
        http.post(format!("{base}/v1/presence"))
            .bearer_auth(&token)
            .json(&PresenceUpdate {
                customer: customer.into(),
                phone_number_id: "pn".into(),
                state,
            })
            .send()
    };
    assert_eq!(
        set("+1", PresenceState::Typing).await.unwrap().status(),
        200
    );
    let now: PresenceList = set("+2", PresenceState::Viewing)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now.entries.len(), 1, "the answer is of one conversation");
    let list = || async {
        http.get(format!("{base}/v1/presence"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json::<PresenceList>()
            .await
            .unwrap()
    };
    assert_eq!(list().await.entries.len(), 2);
    tokio::time::sleep(Duration::from_millis(600)).await;
    let left = list().await;
    assert_eq!(left.entries.len(), 1, "typing lapsed: {left:?}");
    assert_eq!(left.entries[0].customer, "+2");
    assert!(left.entries[0].expires_in_ms > 25_000);
    // Bad input is refused before it reaches the database.
    assert_eq!(set("", PresenceState::Viewing).await.unwrap().status(), 400);
    relay.shutdown().await.unwrap();
}

/// `url` with a password in it (the test server trusts loopback, so any
/// password works), and the password.
fn with_password(url: &str) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').unwrap();
    match user.split_once(':') {
        Some((_, password)) => (url.to_owned(), password.to_owned()),
        None => {
            let password = "never-printed-9c1e";
            (
                format!("{scheme}://{user}:{password}@{host}"),
                password.into(),
            )
        }
    }
}

fn relay_cmd(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("HOURGLASS_APP_SECRET")
        .env_remove("HOURGLASS_VERIFY_TOKEN")
        .env_remove("HOURGLASS_DB")
        .env_remove("HOURGLASS_LISTEN")
        .env("RUST_LOG", "info");
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[tokio::test]
async fn agent_commands_work_on_postgres_and_never_print_the_password() {
    let (url, password) = with_password(&pg::server().fresh_database().await);
    let db = url.as_str();
    let mut printed = String::new();
    let (ok, out, err) = run(&mut relay_cmd(&["agent", "add", "ana", "--db", db]));
    assert!(ok, "{err}");
    let token = out.lines().last().unwrap().to_owned();
    assert!(token.starts_with("hgr_") && token.len() == 68, "{out}");
    printed += &(out + &err);

    let (ok, _, err) = run(&mut relay_cmd(&["agent", "add", "ana", "--db", db]));
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    // The URL may come from the environment as well.
    let (ok, out, err) = run(relay_cmd(&["agent", "list"]).env("HOURGLASS_DB", db));
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "ana\tactive");
    printed += &(out + &err);
    let (ok, out, err) = run(&mut relay_cmd(&["agent", "revoke", "ana", "--db", db]));
    assert!(ok, "{err}");
    printed += &(out + &err);
    let (ok, out, _) = run(&mut relay_cmd(&["agent", "list", "--db", db]));
    assert!(ok);
    assert_eq!(out.trim(), "ana\trevoked");

    // Only the token's hash is stored.
    let store = open_store(&url).await;
    let agents = tokio::task::spawn_blocking(move || store.agents().unwrap())
        .await
        .unwrap();
    assert_eq!(agents.len(), 1);

    // A database that cannot be reached: the error says so, without the password.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = format!("postgres://postgres:{password}@127.0.0.1:{port}/nowhere");
    let (ok, _, err) = run(&mut relay_cmd(&["agent", "list", "--db", &dead]));
    assert!(!ok);
    assert!(
        err.contains(&format!(
            "cannot use the relay database at postgres://postgres:***@127.0.0.1:{port}/nowhere"
        )),
        "{err}"
    );
    printed += &err;
    let (ok, _, err) = run(
        relay_cmd(&["serve", "--listen", "127.0.0.1:0", "--db", &dead])
            .env("HOURGLASS_APP_SECRET", "s")
            .env("HOURGLASS_VERIFY_TOKEN", "v"),
    );
    assert!(!ok);
    assert!(err.contains("cannot use the relay database"), "{err}");
    printed += &err;
    assert!(
        !printed.contains(&password),
        "the password was printed: {printed}"
    );
}

/// `serve` on `db`, on a free port: the process, its address, its log.
fn spawn_serve(db: &str) -> (Child, String, std::thread::JoinHandle<Vec<String>>) {
    let mut child = relay_cmd(&["serve", "--listen", "127.0.0.1:0"])
        .env("HOURGLASS_DB", db)
        .env("HOURGLASS_APP_SECRET", SECRET)
        .env("HOURGLASS_VERIFY_TOKEN", VERIFY)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in stderr.lines() {
            let line = line.unwrap();
            if let Some(rest) = line.split("addr=").nth(1) {
                let _ = tx.send(rest.split_whitespace().next().unwrap().to_owned());
            }
            lines.push(line);
        }
        lines
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the relay did not start");
    (child, format!("http://{addr}"), reader)
}

/// Meta's behaviour: a webhook that did not get 200 is sent again, here to
/// the other relay behind the load balancer, until one answers 200.
async fn deliver(http: &reqwest::Client, targets: &[String], body: &[u8]) -> usize {
    for attempt in 0..200 {
        let target = &targets[usize::from(attempt > 0)];
        if let Ok(200) = post(http, target, body).await {
            return attempt;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("a webhook was never acknowledged");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_killed_mid_burst_loses_and_duplicates_nothing() {
    const WEBHOOKS: usize = 400;
    const IN_FLIGHT: usize = 16;
    let (url, password) = with_password(&pg::server().fresh_database().await);
    let (mut first, first_url, first_log) = spawn_serve(&url);
    let (mut second, second_url, second_log) = spawn_serve(&url);
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let targets = Arc::new(vec![first_url, second_url]);
    let acked = Arc::new(AtomicUsize::new(0));
    let retried = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..IN_FLIGHT {
        let (http, targets, acked, retried, next) = (
            http.clone(),
            Arc::clone(&targets),
            Arc::clone(&acked),
            Arc::clone(&retried),
            Arc::clone(&next),
        );
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= WEBHOOKS {
                    return;
                }
                let body = envelope(&[format!("wamid.kill{i}a"), format!("wamid.kill{i}b")]);
                if deliver(&http, &targets, &body).await > 0 {
                    retried.fetch_add(1, Ordering::SeqCst);
                }
                acked.fetch_add(1, Ordering::SeqCst);
            }
        }));
    }
    let until = Instant::now() + Duration::from_secs(60);
    while acked.load(Ordering::SeqCst) < WEBHOOKS / 4 {
        assert!(Instant::now() < until, "the burst did not get going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill().unwrap(); // SIGKILL, by pid
    first.wait().unwrap();
    let killed_at = acked.load(Ordering::SeqCst);
    for w in workers {
        w.await.unwrap();
    }
    assert!(killed_at < WEBHOOKS, "the relay was killed mid-burst");
    assert!(
        retried.load(Ordering::SeqCst) > 0,
        "some webhooks had to go to the second relay"
    );

    let store = open_store(&url).await;
    let log = tokio::task::spawn_blocking(move || whole_log(&store))
        .await
        .unwrap();
    let keys: HashSet<&str> = log.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(keys.len(), log.len(), "no update is in the log twice");
    let expected: HashSet<String> = (0..WEBHOOKS)
        .flat_map(|i| [format!("msg:wamid.kill{i}a"), format!("msg:wamid.kill{i}b")])
        .collect();
    assert_eq!(
        keys,
        expected.iter().map(String::as_str).collect::<HashSet<_>>(),
        "every acknowledged update is in the log, and nothing else"
    );

    let stopped = Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(second.wait().unwrap().success());
    let logs = format!(
        "{}\n{}",
        first_log.join().unwrap().join("\n"),
        second_log.join().unwrap().join("\n")
    );
    assert!(
        !logs.contains(&password),
        "the database password is in the log"
    );
    assert!(!logs.contains(SECRET), "the app secret is in the log");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_restarting_mid_burst_loses_nothing_acknowledged() {
    let cluster = pg::Cluster::start();
    let admin = cluster.admin_url();
    let url = pg::with_dbname(&admin, "restart");
    pg::create_database(&admin, "restart").await;
    let (relay, token) = start_relay(&url).await;
    let base = relay.url();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(40))
        .build()
        .unwrap();
    // A stream open through the outage follows on afterwards, skipping nothing.
    let mut stream = Sse::open(&reqwest::Client::new(), &base, &token, 0).await;

    // One sender, like Meta: the same webhook again until it gets 200.
    let acked: Arc<Mutex<Vec<usize>>> = Arc::default();
    let refused = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sender = {
        let (http, base, acked, refused, stop) = (
            http.clone(),
            base.clone(),
            Arc::clone(&acked),
            Arc::clone(&refused),
            Arc::clone(&stop),
        );
        tokio::spawn(async move {
            let until = Instant::now() + Duration::from_secs(120);
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) && Instant::now() < until && i < 5_000 {
                let body = envelope(&[format!("wamid.restart{i}")]);
                match post(&http, &base, &body).await {
                    Ok(200) => {
                        acked.lock().unwrap().push(i);
                        i += 1;
                    }
                    Ok(503) => {
                        refused.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    other => panic!("unexpected answer {other:?}"),
                }
            }
        })
    };
    let wait_for = |what: &str, f: &dyn Fn() -> bool| {
        let until = Instant::now() + Duration::from_secs(60);
        while !f() {
            assert!(Instant::now() < until, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    let health = |http: reqwest::Client, base: String| async move {
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
    };

    {
        let acked = Arc::clone(&acked);
        tokio::task::spawn_blocking(move || {
            wait_for("a first burst", &|| acked.lock().unwrap().len() >= 50)
        })
        .await
        .unwrap();
    }
    let cluster = tokio::task::spawn_blocking(move || {
        cluster.stop();
        cluster
    })
    .await
    .unwrap();
    let before = acked.lock().unwrap().len();
    {
        let refused = Arc::clone(&refused);
        tokio::task::spawn_blocking(move || {
            wait_for("503 while the database is down", &|| {
                refused.load(Ordering::SeqCst) >= 3
            })
        })
        .await
        .unwrap();
    }
    assert_eq!(health(http.clone(), base.clone()).await, 503);
    let during = acked.lock().unwrap().len();
    assert!(
        during <= before + 1,
        "nothing is acknowledged while the database is down"
    );

    let cluster = tokio::task::spawn_blocking(move || {
        cluster.restart();
        cluster
    })
    .await
    .unwrap();
    let until = Instant::now() + Duration::from_secs(60);
    while health(http.clone(), base.clone()).await != 200 {
        assert!(Instant::now() < until, "/healthz did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let until = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < during + 50 {
        assert!(
            Instant::now() < until,
            "webhooks were not acknowledged again"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, Ordering::SeqCst);
    sender.await.unwrap();

    let acked: BTreeSet<String> = acked
        .lock()
        .unwrap()
        .iter()
        .map(|i| format!("msg:wamid.restart{i}"))
        .collect();
    let log: BTreeSet<String> = all_events(&http, &base, &token)
        .await
        .into_iter()
        .map(|e| e.dedupe_key)
        .collect();
    assert!(
        acked.is_subset(&log),
        "acknowledged but lost: {:?}",
        acked.difference(&log).collect::<Vec<_>>()
    );
    let mut streamed: Vec<Event> = Vec::new();
    while streamed.len() < log.len() {
        match stream.next(Duration::from_secs(20)).await {
            Some(e) => streamed.push(e),
            None => panic!(
                "the stream stopped after {} of {} events",
                streamed.len(),
                log.len()
            ),
        }
    }
    assert!(streamed.windows(2).all(|w| w[0].seq < w[1].seq));
    assert_eq!(
        streamed
            .into_iter()
            .map(|e| e.dedupe_key)
            .collect::<BTreeSet<_>>(),
        log,
        "the stream carried the whole log across the outage"
    );
    relay.shutdown().await.unwrap();
    drop(cluster);
}
