//! Fault injection: real processes killed with SIGKILL, a connection cut and
//! restored through a proxy, a database locked by another process. Each test
//! ends by checking that the relay's log and the desktop store hold every
//! message exactly once.
//!
//! A killed party runs in a child process: this test binary started again
//! with `HOURGLASS_FAULT_ROLE=<test>:<role>`, which runs only that test and
//! takes the role's branch. Everything is on loopback and bounded in time.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use crate::support::pg;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::outbox::{self, OutboxConfig};
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, SyncConfig};
use hourglass_protocol::{EventKind, EventPage};
use hourglass_relay::{Config, Relay};
use hourglass_sim::{Inbound, Sim, SimConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ROLE: &str = "HOURGLASS_FAULT_ROLE";
const SECRET: &str = "fault-secret";
/// A child that outlives this has been forgotten; it exits by itself.
const CHILD_LIMIT: Duration = Duration::from_secs(180);

/// The role this process was started for, if it was started for `test`.
fn role(test: &str) -> Option<String> {
    let marker = std::env::var(ROLE).ok()?;
    let (name, role) = marker.split_once(':')?;
    (name == test).then(|| role.to_owned())
}

/// This test binary running only `test` as `role`, with `env`.
fn spawn_child(test: &str, role: &str, env: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .arg(format!("faults::{test}"))
        .args(["--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, format!("{test}:{role}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        command.env(k, v);
    }
    command.spawn().unwrap()
}

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("{key} not set for the child"))
}

fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

async fn wait_until(what: &str, limit: Duration, mut ok: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ok() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The relay of `test` in a child process on `addr`, logging to `db` (a
/// SQLite path or a PostgreSQL URL).
fn relay_child(test: &str, db: &str, addr: SocketAddr) -> Child {
    spawn_child(
        test,
        "relay",
        &[
            ("FAULT_DB", db.to_owned()),
            ("FAULT_ADDR", addr.to_string()),
        ],
    )
}

/// The child's side of [`relay_child`]: serve until killed.
async fn run_relay_child() {
    let relay = Relay::open(
        Config::new(env("FAULT_DB"), SECRET, "verify").with_heartbeat(Duration::from_millis(200)),
    )
    .unwrap()
    .start(&env("FAULT_ADDR"))
    .await
    .unwrap();
    tokio::time::sleep(CHILD_LIMIT).await;
    relay.shutdown().await.unwrap();
}

/// Adds agent "ana" to the relay log at `db` and returns her token.
fn add_agent(db: &str) -> String {
    let relay = Relay::open(Config::new(db, SECRET, "verify")).unwrap();
    relay.add_agent("ana").unwrap().expose().to_owned()
}

async fn wait_listening(addr: SocketAddr) {
    let started = Instant::now();
    while TcpStream::connect(addr).await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "nothing listens on {addr}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn sync_config(url: &str, token: &str) -> SyncConfig {
    let mut c = SyncConfig::new(url.to_owned(), token.to_owned());
    c.backoff.initial = Duration::from_millis(20);
    c.backoff.max = Duration::from_millis(200);
    c.stream_idle_timeout = Duration::from_secs(2);
    c
}

/// Every message wamid in the relay's log, and how many message events.
async fn relay_messages(url: &str, token: &str) -> (BTreeSet<String>, usize) {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let (mut after, mut set, mut count) = (0, BTreeSet::new(), 0);
    loop {
        let page: EventPage = http
            .get(format!("{url}/v1/events?after={after}&limit=5000"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for e in &page.events {
            after = e.seq;
            if e.kind == EventKind::Webhook
                && let Some(k) = e.dedupe_key.strip_prefix("msg:")
            {
                count += 1;
                set.insert(k.to_owned());
            }
        }
        if !page.has_more {
            return (set, count);
        }
    }
}

/// Every message wamid in a desktop store, and how many message rows.
fn store_messages(dir: &Path) -> (BTreeSet<String>, usize) {
    let conn = rusqlite::Connection::open(dir.join("hourglass.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT wamid FROM messages WHERE wamid NOT LIKE 'local:%'")
        .unwrap();
    let all: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let count = all.len();
    (all.into_iter().collect(), count)
}

fn store_cursor(dir: &Path, relay: &str) -> u64 {
    Store::open_in_dir(dir).unwrap().sync_cursor(relay).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_killed_mid_burst_loses_nothing_while_meta_retries() {
    const TEST: &str = "relay_killed_mid_burst_loses_nothing_while_meta_retries";
    if role(TEST).is_some() {
        return run_relay_child().await;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db").display().to_string();
    relay_killed_mid_burst(TEST, dir.path(), &db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relay_on_postgres_killed_mid_burst_loses_nothing_while_meta_retries() {
    const TEST: &str = "relay_on_postgres_killed_mid_burst_loses_nothing_while_meta_retries";
    if role(TEST).is_some() {
        return run_relay_child().await;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = pg::server().fresh_database().await;
    relay_killed_mid_burst(TEST, dir.path(), &db).await;
}

/// A burst from Meta while the relay of `test` on `db` is SIGKILLed and
/// started again: the log and a desktop following it all along end with
/// every message exactly once.
async fn relay_killed_mid_burst(test: &str, dir: &Path, db: &str) {
    const BURST: usize = 10_000;
    let token = add_agent(db);
    let addr = free_addr();
    let url = format!("http://{addr}");
    let mut relay = relay_child(test, db, addr);
    wait_listening(addr).await;

    // A desktop follows the relay all along, through the kill.
    let desktop = dir.join("desktop");
    let engine = sync::spawn(
        Arc::new(Mutex::new(Store::open_in_dir(&desktop).unwrap())),
        sync_config(&url, &token),
    );
    // Meta's side: retries with back-off on anything but 200.
    let mut config = SimConfig::fast().with_relay(url.clone());
    config.app_secret = SECRET.to_owned();
    config.delivery.max_attempts = 60;
    config.delivery.retry_base = Duration::from_millis(20);
    config.delivery.retry_cap = Duration::from_millis(300);
    config.delivery.queue_capacity = 2 * BURST;
    let sim = Sim::start(config).await.unwrap();

    let mut sent = BTreeSet::new();
    for i in 0..BURST {
        let from = format!("+3460{:07}", i % 500);
        let receipt = sim
            .inbound(Inbound::text(from, format!("burst {i}")))
            .await
            .unwrap();
        sent.insert(receipt.id);
    }
    // Killed while Meta is still delivering the burst.
    wait_until(
        "the first 3,000 acknowledged",
        Duration::from_secs(60),
        || sim.stats().acknowledged >= 3_000,
    )
    .await;
    relay.kill().unwrap(); // SIGKILL
    relay.wait().unwrap();
    let acked = sim.stats().acknowledged;
    eprintln!("relay killed after {acked} of {BURST} webhooks were acknowledged");
    assert!(acked < BURST as u64, "the kill landed mid-burst");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut relay = relay_child(test, db, addr);
    wait_listening(addr).await;

    wait_until(
        "every webhook acknowledged",
        Duration::from_secs(120),
        || {
            let s = sim.stats();
            s.acknowledged >= BURST as u64 || s.dropped > 0
        },
    )
    .await;
    assert_eq!(sim.stats().dropped, 0, "Meta gave up on a webhook");
    let (in_log, events) = relay_messages(&url, &token).await;
    assert_eq!(in_log, sent, "the relay's log holds every message");
    assert_eq!(events, BURST, "and each exactly once");

    wait_until("the desktop caught up", Duration::from_secs(120), || {
        store_messages(&desktop).1 >= BURST
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (in_store, rows) = store_messages(&desktop);
    assert_eq!(in_store, sent, "the desktop holds every message");
    assert_eq!(rows, BURST, "and each exactly once");
    engine.shutdown().await;
    sim.shutdown().await;
    relay.kill().unwrap();
    relay.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desktop_killed_during_catch_up_resumes_without_gaps_or_repeats() {
    const TEST: &str = "a_desktop_killed_during_catch_up_resumes_without_gaps_or_repeats";
    if role(TEST).is_some() {
        // The desktop: follow the relay until killed.
        let dir = PathBuf::from(env("FAULT_STORE"));
        let mut config = sync_config(&env("FAULT_RELAY"), &env("FAULT_TOKEN"));
        config.page_size = 500;
        let engine = sync::spawn(
            Arc::new(Mutex::new(Store::open_in_dir(&dir).unwrap())),
            config,
        );
        tokio::time::sleep(CHILD_LIMIT).await;
        return engine.shutdown().await;
    }
    const BACKLOG: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let url = relay.url();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for batch in 0..BACKLOG / 1_000 {
        let messages: Vec<Value> = (0..1_000)
            .map(|i| {
                let n = batch * 1_000 + i;
                json!({ "from": format!("3461{:07}", n % 700), "id": format!("wamid.backlog.{n}"),
                        "timestamp": "1760000000", "type": "text", "text": { "body": format!("backlog {n}") } })
            })
            .collect();
        let body = serde_json::to_vec(&json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
                "messages": messages } }] }]
        }))
        .unwrap();
        let res = http
            .post(format!("{url}/webhook"))
            .header(
                hourglass_whatsapp::signature::HEADER,
                hourglass_whatsapp::signature::sign(SECRET.as_bytes(), &body),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let (_, head) = relay_messages(&url, &token).await;
    assert_eq!(head, BACKLOG);
    let head_seq = relay.state().store().head().unwrap();

    let desktop = dir.path().join("desktop");
    std::fs::create_dir_all(&desktop).unwrap();
    let child_env = [
        ("FAULT_STORE", desktop.display().to_string()),
        ("FAULT_RELAY", url.clone()),
        ("FAULT_TOKEN", token.clone()),
    ];
    // Killed three times at different points of the catch-up.
    let mut kills = Vec::new();
    for round in 0..3u64 {
        let before = if desktop.join("hourglass.db").exists() {
            store_cursor(&desktop, &url)
        } else {
            0
        };
        let mut child = spawn_child(TEST, "desktop", &child_env);
        let target = before + head_seq / 8 * (round + 1);
        let started = Instant::now();
        let cursor = loop {
            let cursor = if desktop.join("hourglass.db").exists() {
                store_cursor(&desktop, &url)
            } else {
                0
            };
            if cursor >= target.min(head_seq - 1) || started.elapsed() > Duration::from_secs(60) {
                break cursor;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        };
        child.kill().unwrap(); // SIGKILL, mid-catch-up
        child.wait().unwrap();
        kills.push(cursor);
    }
    eprintln!("desktop killed at cursors {kills:?} of {head_seq}");
    assert!(
        kills.iter().any(|&c| c > 0 && c < head_seq),
        "at least one kill landed mid-catch-up: {kills:?}"
    );
    // The last start catches up from its cursor.
    let mut child = spawn_child(TEST, "desktop", &child_env);
    wait_until("the catch-up", Duration::from_secs(120), || {
        store_cursor(&desktop, &url) >= head_seq
    })
    .await;
    child.kill().unwrap();
    child.wait().unwrap();
    let (in_store, rows) = store_messages(&desktop);
    assert_eq!(rows, BACKLOG, "every message exactly once");
    assert_eq!(in_store.len(), BACKLOG);
    assert!(in_store.contains("wamid.backlog.0") && in_store.contains("wamid.backlog.19999"));
    relay.shutdown().await.unwrap();
}

/// Meta's Graph API behind a proxy that passes every send on at once and,
/// from the `hold_from`-th send on (counted over every connection), keeps
/// Meta's answer from the desktop: Meta has the message, the desktop is
/// still waiting to hear. A held connection stays held until the desktop
/// goes away.
struct HeldAnswers {
    addr: SocketAddr,
    /// Sends passed on to Meta so far.
    sends: Arc<AtomicU64>,
    /// The first send (1-based) whose answer is held.
    hold_from: Arc<AtomicU64>,
}

impl HeldAnswers {
    async fn start(meta: SocketAddr) -> HeldAnswers {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let sends = Arc::new(AtomicU64::new(0));
        let hold_from = Arc::new(AtomicU64::new(u64::MAX));
        let (sends2, hold_from2) = (sends.clone(), hold_from.clone());
        tokio::spawn(async move {
            loop {
                let Ok((desktop, _)) = listener.accept().await else {
                    return;
                };
                let Ok(upstream) = TcpStream::connect(meta).await else {
                    continue;
                };
                let (sends, hold_from) = (sends2.clone(), hold_from2.clone());
                tokio::spawn(async move {
                    let (mut from_desktop, mut to_desktop) = desktop.into_split();
                    let (mut from_meta, mut to_meta) = upstream.into_split();
                    let held = Arc::new(AtomicBool::new(false));
                    let held_up = held.clone();
                    let up = async move {
                        let mut buf = vec![0u8; 64 * 1024];
                        loop {
                            let n = match from_desktop.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => n,
                            };
                            // The worker sends one request at a time, so a
                            // read starting a request line starts a send.
                            if buf[..n].starts_with(b"POST ") {
                                let nth = sends.fetch_add(1, Ordering::SeqCst) + 1;
                                if nth >= hold_from.load(Ordering::SeqCst) {
                                    held_up.store(true, Ordering::SeqCst);
                                }
                            }
                            if to_meta.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    };
                    let down = async move {
                        let mut buf = vec![0u8; 64 * 1024];
                        loop {
                            let n = match from_meta.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => n,
                            };
                            while held.load(Ordering::SeqCst) {
                                tokio::time::sleep(Duration::from_millis(5)).await;
                            }
                            if to_desktop.write_all(&buf[..n]).await.is_err() {
                                return;
                            }
                        }
                    };
                    // The desktop killed ends `up`; the connection closes.
                    tokio::select! {
                        () = up => {}
                        () = down => {}
                    }
                });
            }
        });
        HeldAnswers {
            addr,
            sends,
            hold_from,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn sends(&self) -> u64 {
        self.sends.load(Ordering::SeqCst)
    }

    fn hold_from(&self, nth: u64) {
        self.hold_from.store(nth, Ordering::SeqCst);
    }
}

/// The child's side of the sending desktop: the sync engine on the relay
/// and the outbox worker on Meta (through [`HeldAnswers`]), until killed.
async fn run_sending_desktop() {
    let dir = PathBuf::from(env("FAULT_STORE"));
    let (relay, token) = (env("FAULT_RELAY"), env("FAULT_TOKEN"));
    let engine = sync::spawn(
        Arc::new(Mutex::new(Store::open_in_dir(&dir).unwrap())),
        sync_config(&relay, &token),
    );
    let mut graph = GraphConfig::new(env("FAULT_PHONE_NUMBER_ID"), env("FAULT_WABA_ID"))
        .with_base_url(env("FAULT_GRAPH"));
    graph.request_timeout = Duration::from_secs(30);
    let graph = GraphClient::new(graph, Secret::new(env("FAULT_ACCESS_TOKEN"))).unwrap();
    let publisher = RelayClient::new(&relay, Secret::new(token)).unwrap();
    // The production reconciliation window (60 s): within this test a send
    // left `sending` can only be settled by its status webhook, so a second
    // copy at Meta could only come from a blind resend.
    let worker = outbox::spawn(
        Arc::new(Mutex::new(Store::open_in_dir(&dir).unwrap())),
        graph,
        publisher,
        OutboxConfig {
            poll: Duration::from_millis(20),
            ..OutboxConfig::default()
        },
    );
    worker.wake();
    tokio::time::sleep(CHILD_LIMIT).await;
    worker.shutdown().await;
    engine.shutdown().await;
}

/// One send in a desktop's outbox.
#[derive(Debug)]
struct OutboxRow {
    id: String,
    state: String,
    wamid: Option<String>,
    published: bool,
    attempts: i64,
}

/// Every send in the outbox of the desktop at `dir`.
fn outbox_rows(dir: &Path) -> Vec<OutboxRow> {
    let conn = rusqlite::Connection::open(dir.join("hourglass.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, state, wamid, published, attempts FROM outbox ORDER BY rowid")
        .unwrap();
    stmt.query_map([], |r| {
        Ok(OutboxRow {
            id: r.get(0)?,
            state: r.get(1)?,
            wamid: r.get(2)?,
            published: r.get(3)?,
            attempts: r.get(4)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// `(wamid, body)` of every outbound message row in the desktop at `dir`.
fn store_outbound(dir: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join("hourglass.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT wamid, body FROM messages WHERE direction = 'outbound'")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// `(wamid, body, outbox id)` of every `outbound` agent event in the relay's log.
async fn relay_outbound(url: &str, token: &str) -> Vec<(String, String, String)> {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let (mut after, mut found) = (0, Vec::new());
    loop {
        let page: EventPage = http
            .get(format!("{url}/v1/events?after={after}&limit=5000"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for e in &page.events {
            after = e.seq;
            let p = &e.payload;
            if e.kind == EventKind::Agent && p["type"] == "outbound" {
                let s = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
                found.push((s("wamid"), s("body"), s("biz_opaque_callback_data")));
            }
        }
        if !page.has_more {
            return found;
        }
    }
}

/// How many of `rows` are in `state`.
fn in_state(rows: &[OutboxRow], state: &str) -> usize {
    rows.iter().filter(|r| r.state == state).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desktop_killed_during_a_send_sends_each_message_exactly_once() {
    const TEST: &str = "a_desktop_killed_during_a_send_sends_each_message_exactly_once";
    if role(TEST).is_some() {
        return run_sending_desktop().await;
    }
    const SENDS: usize = 30;
    /// The send during which each kill lands (counted from the start).
    const KILLS: [u64; 2] = [10, 20];
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let url = relay.url();
    let mut config = SimConfig::fast().with_relay(url.clone());
    config.app_secret = SECRET.to_owned();
    // Meta's first status comes well after its answer, so the kill lands
    // before the desktop could learn of the send in any way.
    config.timing.sent = Duration::from_millis(1_500);
    let sim = Sim::start(config).await.unwrap();
    let meta = HeldAnswers::start(sim.local_addr()).await;

    // A colleague's desktop follows the relay all along.
    let colleague = dir.path().join("colleague");
    let colleague_engine = sync::spawn(
        Arc::new(Mutex::new(Store::open_in_dir(&colleague).unwrap())),
        sync_config(&url, &token),
    );

    // The customer writes (the 24 h window opens); the desktop has it and
    // queues the answers before it is ever started as a process.
    let desktop = dir.path().join("desktop");
    let customer = sim
        .inbound_delivered(Inbound::text("+34612000100", "¿Dónde está mi pedido?").named("Lucía"))
        .await
        .unwrap();
    let mut bodies = BTreeSet::new();
    {
        let store = Arc::new(Mutex::new(Store::open_in_dir(&desktop).unwrap()));
        let engine = sync::spawn(store.clone(), sync_config(&url, &token));
        wait_until("the customer's message", Duration::from_secs(20), || {
            store
                .lock()
                .unwrap()
                .message_by_wamid(&customer.id)
                .unwrap()
                .is_some()
        })
        .await;
        engine.shutdown().await;
        let mut store = store.lock().unwrap();
        let conversation = store.list_conversations(10).unwrap()[0].id;
        for i in 0..SENDS {
            let body = format!("Answer {i:02}: your order ships today");
            let now = chrono::Utc::now().timestamp_millis();
            outbox::enqueue_text(&mut store, conversation, &body, None, now).unwrap();
            bodies.insert(body);
        }
    }
    let child_env = [
        ("FAULT_STORE", desktop.display().to_string()),
        ("FAULT_RELAY", url.clone()),
        ("FAULT_TOKEN", token.clone()),
        ("FAULT_GRAPH", meta.url()),
        (
            "FAULT_PHONE_NUMBER_ID",
            sim.config().phone_number_id.clone(),
        ),
        ("FAULT_WABA_ID", sim.config().waba_id.clone()),
        ("FAULT_ACCESS_TOKEN", sim.config().access_token.clone()),
    ];

    // Killed twice, each time while Meta has a send and the desktop waits
    // for the answer (held for as long as it takes to kill), 1.5 s before
    // the first status webhook about it.
    let mut in_flight = Vec::new();
    for (round, &nth) in KILLS.iter().enumerate() {
        meta.hold_from(nth);
        let mut child = spawn_child(TEST, "desktop", &child_env);
        wait_until(
            "Meta to accept the send the kill lands in",
            Duration::from_secs(20),
            || sim.sent().len() as u64 >= nth,
        )
        .await;
        child.kill().unwrap(); // SIGKILL, mid-send
        child.wait().unwrap();
        let at_meta = sim.sent();
        let rows = outbox_rows(&desktop);
        let sending: Vec<&OutboxRow> = rows.iter().filter(|r| r.state == "sending").collect();
        eprintln!(
            "kill {} at {:?}: Meta had accepted {} of {SENDS}; the desktop had {} accepted \
             ({} published), {} in flight (`sending`), {} queued",
            round + 1,
            started.elapsed(),
            at_meta.len(),
            in_state(&rows, "accepted"),
            rows.iter().filter(|r| r.published).count(),
            sending.len(),
            in_state(&rows, "queued"),
        );
        assert_eq!(at_meta.len() as u64, nth, "nothing passed the held answer");
        assert_eq!(sending.len(), 1, "the kill landed mid-send: {rows:?}");
        let last = at_meta.last().unwrap().json();
        assert_eq!(
            last["biz_opaque_callback_data"],
            sending[0].id.as_str(),
            "the send in flight is the one Meta accepted last"
        );
        in_flight.push(sending[0].id.clone());
    }

    // The last start: the sends in flight are matched by their status
    // webhooks, the rest go out.
    meta.hold_from(u64::MAX);
    let restarted = Instant::now();
    let mut child = spawn_child(TEST, "desktop", &child_env);
    wait_until("every send settled", Duration::from_secs(30), || {
        let rows = outbox_rows(&desktop);
        rows.len() == SENDS && rows.iter().all(|r| r.state == "accepted" && r.published)
    })
    .await;
    eprintln!(
        "after the last start every send was accepted and published in {:?}",
        restarted.elapsed()
    );
    // Time for a wrong resend to show: many worker passes (every 20 ms).
    tokio::time::sleep(Duration::from_millis(500)).await;
    child.kill().unwrap();
    child.wait().unwrap();

    // The customer received each message exactly once.
    let at_meta = sim.sent();
    let mut received = BTreeSet::new();
    let mut meta_wamids = BTreeSet::new();
    for s in &at_meta {
        let body = s.json()["text"]["body"].as_str().unwrap().to_owned();
        assert!(
            received.insert(body.clone()),
            "{body:?} reached the customer twice"
        );
        meta_wamids.insert(s.wamid.clone().unwrap());
    }
    assert_eq!(received, bodies, "every message reached the customer");
    assert_eq!(at_meta.len(), SENDS, "and each exactly once");
    assert_eq!(
        meta.sends(),
        SENDS as u64,
        "no send was even attempted twice"
    );

    // The desktop: each send accepted once, under Meta's wamid, never resent.
    let sends = outbox_rows(&desktop);
    let ids: BTreeSet<&str> = sends.iter().map(|r| r.id.as_str()).collect();
    for r in &sends {
        assert_eq!(r.attempts, 0, "a send was tried again: {r:?}");
        let sent = at_meta
            .iter()
            .find(|s| s.json()["biz_opaque_callback_data"] == r.id.as_str())
            .unwrap();
        assert_eq!(r.wamid, sent.wamid, "not the wamid Meta gave: {r:?}");
    }
    eprintln!(
        "the {} sends in flight at the kills were matched by their status webhooks, \
         each sent to Meta once",
        in_flight.len()
    );
    let mut store_wamids = BTreeSet::new();
    let mut store_bodies = BTreeSet::new();
    for (wamid, body) in store_outbound(&desktop) {
        assert!(
            store_wamids.insert(wamid.clone()),
            "{wamid} twice in the desktop"
        );
        store_bodies.insert(body);
    }
    assert_eq!(store_wamids, meta_wamids, "the desktop holds every message");
    assert_eq!(store_bodies, bodies);
    let mut all = meta_wamids.clone();
    all.insert(customer.id.clone());
    let (in_store, rows) = store_messages(&desktop);
    assert_eq!(in_store, all, "no placeholder left");
    assert_eq!(rows, SENDS + 1, "each exactly once");

    // The relay's log: one `outbound` event per send, the customer's
    // message once.
    let outbound = relay_outbound(&url, &token).await;
    let mut log_wamids = BTreeSet::new();
    for (wamid, body, id) in &outbound {
        assert!(log_wamids.insert(wamid.clone()), "{wamid} twice in the log");
        assert!(bodies.contains(body), "{body:?}");
        assert!(ids.contains(id.as_str()), "{id} is a send of this desktop");
    }
    assert_eq!(
        log_wamids, meta_wamids,
        "the relay's log holds every message"
    );
    assert_eq!(outbound.len(), SENDS, "and each exactly once");
    let (in_log, events) = relay_messages(&url, &token).await;
    assert_eq!((in_log, events), (BTreeSet::from([customer.id.clone()]), 1));

    // The colleague's desktop filed every message from the log, once.
    wait_until("the colleague caught up", Duration::from_secs(20), || {
        store_messages(&colleague).1 >= all.len()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (in_colleague, rows) = store_messages(&colleague);
    assert_eq!(in_colleague, all, "the colleague holds every message");
    assert_eq!(rows, SENDS + 1, "each exactly once");
    eprintln!("done in {:?}", started.elapsed());
    colleague_engine.shutdown().await;
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}

/// A TCP proxy that can drop every connection and refuse new ones.
struct Proxy {
    addr: SocketAddr,
    up: Arc<AtomicBool>,
    /// Bumped on every cut: connections of an older generation close.
    generation: Arc<std::sync::atomic::AtomicU64>,
}

impl Proxy {
    async fn start(target: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let generation = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (up2, gen2) = (up.clone(), generation.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = listener.accept().await else {
                    return;
                };
                if !up2.load(Ordering::SeqCst) {
                    let _ = inbound.shutdown().await;
                    continue;
                }
                let born = gen2.load(Ordering::SeqCst);
                let generation = gen2.clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    let copy = tokio::io::copy_bidirectional(&mut inbound, &mut outbound);
                    let cut = async {
                        while generation.load(Ordering::SeqCst) == born {
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                    };
                    tokio::select! {
                        _ = copy => {}
                        () = cut => {}
                    }
                });
            }
        });
        Proxy {
            addr,
            up,
            generation,
        }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_connection_is_caught_up_within_a_second_of_its_return() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let proxy = Proxy::start(relay.addr()).await;
    let via_proxy = format!("http://{}", proxy.addr);
    let desktop = dir.path().join("desktop");
    let mut config = sync_config(&via_proxy, &token);
    // Production back-off, capped low enough for a short cut.
    config.backoff.initial = Duration::from_millis(100);
    config.backoff.max = Duration::from_millis(500);
    let engine = sync::spawn(
        Arc::new(Mutex::new(Store::open_in_dir(&desktop).unwrap())),
        config,
    );
    let first = sim
        .inbound_delivered(Inbound::text("+34612000001", "before the cut"))
        .await
        .unwrap();
    wait_until("the first message", Duration::from_secs(20), || {
        store_messages(&desktop).0.contains(&first.id)
    })
    .await;

    proxy.cut();
    // The proxy closes open connections within a few milliseconds; let it
    // finish before anything is sent, so nothing slips through the cut.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut sent = BTreeSet::from([first.id]);
    for i in 0..300 {
        let r = sim
            .inbound_delivered(Inbound::text(
                format!("+3461200{:04}", i % 40),
                format!("during the cut {i}"),
            ))
            .await
            .unwrap();
        sent.insert(r.id);
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(store_messages(&desktop).1, 1, "nothing passes while cut");

    proxy.restore();
    let restored = Instant::now();
    wait_until(
        "the catch-up after the cut",
        Duration::from_secs(30),
        || store_messages(&desktop).1 >= sent.len(),
    )
    .await;
    let took = restored.elapsed();
    eprintln!("restore → caught up: {took:?} (300 messages)");
    let (in_store, rows) = store_messages(&desktop);
    assert_eq!(in_store, sent);
    assert_eq!(rows, sent.len(), "each exactly once");
    let (in_log, events) = relay_messages(&relay.url(), &token).await;
    assert_eq!((in_log, events), (sent.clone(), sent.len()));
    // The target is under a second (the back-off is capped at 500 ms here
    // and 300 events apply in milliseconds); the bound is wider so a loaded
    // CI machine does not fail it. The measured figure is recorded in
    // docs/performance.md.
    assert!(took < Duration::from_secs(5), "took {took:?}");
    engine.shutdown().await;
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_relay_database_acknowledges_nothing_until_it_has_stored_it() {
    const TEST: &str = "a_locked_relay_database_acknowledges_nothing_until_it_has_stored_it";
    if role(TEST).is_some() {
        let db = PathBuf::from(env("FAULT_DB"));
        let release = PathBuf::from(env("FAULT_RELEASE"));
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        std::fs::write(db.with_file_name("locked"), b"").unwrap();
        let started = Instant::now();
        while !release.exists() && started.elapsed() < CHILD_LIMIT {
            std::thread::sleep(Duration::from_millis(10));
        }
        conn.execute_batch("ROLLBACK").unwrap();
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    // Another process's write lock on the relay's log, held until the file
    // `release` appears.
    let release = dir.path().join("release");
    let mut locker = spawn_child(
        TEST,
        "locker",
        &[
            (
                "FAULT_DB",
                dir.path().join("relay.db").display().to_string(),
            ),
            ("FAULT_RELEASE", release.display().to_string()),
        ],
    );
    let locked = dir.path().join("locked");
    wait_until("the lock", Duration::from_secs(20), || locked.exists()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let body = serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
            "messages": [{ "from": "34612000002", "id": "wamid.locked", "timestamp": "1760000000",
                           "type": "text", "text": { "body": "while locked" } }] } }] }]
    }))
    .unwrap();
    let res = http
        .post(format!("{}/webhook", relay.url()))
        .header(
            hourglass_whatsapp::signature::HEADER,
            hourglass_whatsapp::signature::sign(SECRET.as_bytes(), &body),
        )
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503, "not stored, so not acknowledged");
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["code"], "storage_unavailable", "{problem}");
    // Meantime the simulator's own webhooks wait and retry.
    let pending = sim
        .inbound(Inbound::text("+34612000003", "queued by Meta"))
        .await
        .unwrap();

    // The lock goes away; Meta's retry lands exactly once.
    std::fs::write(&release, b"").unwrap();
    assert!(locker.wait().unwrap().success());
    let again = http
        .post(format!("{}/webhook", relay.url()))
        .header(
            hourglass_whatsapp::signature::HEADER,
            hourglass_whatsapp::signature::sign(SECRET.as_bytes(), &body),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let want = BTreeSet::from(["wamid.locked".to_owned(), pending.id.clone()]);
    let started = Instant::now();
    loop {
        let (in_log, events) = relay_messages(&relay.url(), &token).await;
        if in_log == want {
            assert_eq!(events, 2, "each exactly once");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{in_log:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}
