//! The sync engine against a real relay and the Cloud API simulator, both
//! in-process on loopback, with real SQLite files in temp dirs.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::store::Store;
use hourglass_core::sync::{self, ConnectionState, SyncConfig, SyncUpdate};
use hourglass_protocol::{EventKind, EventPage, PublishRequest};
use hourglass_relay::{Config, Relay, RunningRelay};
use hourglass_sim::{Inbound, Sim, SimConfig, SimHandle};
use serde_json::{Value, json};

const SECRET: &str = "sync-test-secret";

struct Harness {
    dir: tempfile::TempDir,
    relay: Option<RunningRelay>,
    addr: SocketAddr,
    token: String,
    http: reqwest::Client,
}

impl Harness {
    async fn start() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
        let addr = relay.addr();
        Harness {
            dir,
            relay: Some(relay),
            addr,
            token,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    async fn kill_relay(&mut self) {
        if let Some(r) = self.relay.take() {
            r.shutdown().await.unwrap();
        }
    }

    /// Restarts on the same port and the same log.
    async fn restart_relay(&mut self) {
        let relay = Relay::open(
            Config::new(self.dir.path().join("relay.db"), SECRET, "verify")
                .with_heartbeat(Duration::from_millis(200)),
        )
        .unwrap();
        self.relay = Some(relay.start(&self.addr.to_string()).await.unwrap());
    }

    async fn sim(&self, tweak: impl FnOnce(&mut SimConfig)) -> SimHandle {
        let mut config = SimConfig::fast().with_relay(self.url());
        config.app_secret = SECRET.to_owned();
        tweak(&mut config);
        Sim::start(config).await.unwrap()
    }

    fn store_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("desktop")
    }

    fn open_store(&self) -> Arc<Mutex<Store>> {
        Arc::new(Mutex::new(Store::open_in_dir(&self.store_dir()).unwrap()))
    }

    fn config(&self) -> SyncConfig {
        let mut c = SyncConfig::new(self.url(), &self.token);
        c.backoff.initial = Duration::from_millis(20);
        c.backoff.max = Duration::from_millis(200);
        c.stream_idle_timeout = Duration::from_secs(2);
        c
    }

    /// Every message wamid in the relay's log.
    async fn relay_message_wamids(&self) -> BTreeSet<String> {
        let mut after = 0;
        let mut out = BTreeSet::new();
        loop {
            let page: EventPage = self
                .http
                .get(format!("{}/v1/events?after={after}&limit=5000", self.url()))
                .bearer_auth(&self.token)
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
                    out.insert(k.to_owned());
                }
            }
            if !page.has_more {
                return out;
            }
        }
    }

    async fn post_webhook(&self, value: Value) {
        let body = serde_json::to_vec(&json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": value }] }]
        }))
        .unwrap();
        let res = self
            .http
            .post(format!("{}/webhook", self.url()))
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

    async fn publish(&self, key: &str, payload: Value) {
        let res = self
            .http
            .post(format!("{}/v1/events", self.url()))
            .bearer_auth(&self.token)
            .json(&PublishRequest {
                idempotency_key: key.into(),
                payload,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
}

fn store_wamids(store: &Arc<Mutex<Store>>) -> Vec<String> {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT wamid FROM messages ORDER BY wamid")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap()
}

fn count(store: &Arc<Mutex<Store>>, sql: &str) -> i64 {
    store
        .lock()
        .unwrap()
        .with_connection(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

async fn wait_until(what: &str, timeout: Duration, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// 50 customers with numbers in different countries and forms.
fn customers() -> Vec<String> {
    (0..50)
        .map(|i| match i % 3 {
            0 => format!("+1415555{:04}", 1000 + i),
            1 => format!("34612{:06}", 100_000 + i),
            _ => format!("+44 7911 {:06}", 200_000 + i),
        })
        .collect()
}

async fn send(sim: &SimHandle, customers: &[String], from: usize, to: usize) -> Vec<String> {
    let mut wamids = Vec::new();
    for i in from..to {
        let who = &customers[i % customers.len()];
        let r = sim
            .inbound(
                Inbound::text(who.clone(), format!("message {i}"))
                    .named(format!("Customer {}", i % customers.len())),
            )
            .await
            .unwrap();
        wamids.push(r.id);
    }
    wamids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_messages_from_fifty_customers_arrive_exactly_once() {
    let h = Harness::start().await;
    // Meta-like delivery: batches and duplicate POSTs.
    let sim = h
        .sim(|c| {
            c.delivery.batch_probability = 0.3;
            c.delivery.duplicate_probability = 0.2;
        })
        .await;
    let store = h.open_store();
    let engine = sync::spawn(Arc::clone(&store), h.config());
    let mut updates = engine.subscribe();
    let people = customers();
    // Some messages before the engine reaches the stream, most after.
    let sent = send(&sim, &people, 0, 1_000).await;
    wait_until(
        "1,000 messages in the store",
        Duration::from_secs(60),
        || count(&store, "SELECT COUNT(*) FROM messages") >= 1_000,
    )
    .await;
    let relay_set = h.relay_message_wamids().await;
    assert_eq!(relay_set.len(), 1_000);
    assert_eq!(relay_set, sent.iter().cloned().collect());
    assert_eq!(
        store_wamids(&store),
        relay_set.iter().cloned().collect::<Vec<_>>()
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM contacts"), 50);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM conversations"), 50);
    assert_eq!(
        count(&store, "SELECT SUM(unread_count) FROM conversations"),
        1_000
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM flagged_events"), 0);
    // The UI heard about every new message exactly once.
    let mut announced = 0;
    let mut connected = false;
    while let Ok(u) = updates.try_recv() {
        match u {
            SyncUpdate::Inbox(c) => announced += c.new_messages,
            SyncUpdate::Connection(ConnectionState::Connected { .. }) => connected = true,
            SyncUpdate::Connection(_) => {}
            SyncUpdate::HistoryPruned(gap) => panic!("nothing was pruned: {gap:?}"),
        }
    }
    assert_eq!(announced, 1_000);
    assert!(connected || matches!(engine.state(), ConnectionState::Connected { .. }));
    let list = store.lock().unwrap().list_conversations(100).unwrap();
    assert_eq!(list.len(), 50);
    assert!(list.iter().all(|c| {
        c.contact
            .phone
            .as_deref()
            .is_some_and(|p| p.starts_with('+'))
    }));
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_relay_dies_and_restarts_mid_stream_and_the_store_ends_with_the_same_set() {
    let mut h = Harness::start().await;
    // Webhooks sent while the relay is down are retried, as Meta does.
    let sim = h
        .sim(|c| {
            c.delivery.max_attempts = 100;
            c.delivery.retry_base = Duration::from_millis(20);
            c.delivery.retry_cap = Duration::from_millis(100);
        })
        .await;
    let store = h.open_store();
    let engine = sync::spawn(Arc::clone(&store), h.config());
    let mut state = engine.watch_state();
    let people = customers();
    send(&sim, &people, 0, 300).await;
    wait_until("the first 300", Duration::from_secs(30), || {
        count(&store, "SELECT COUNT(*) FROM messages") >= 300
    })
    .await;
    assert!(matches!(engine.state(), ConnectionState::Connected { .. }));

    // Kill the relay while messages are still flowing.
    let sending = send(&sim, &people, 300, 500);
    let (_, ()) = tokio::join!(sending, async {
        tokio::time::sleep(Duration::from_millis(30)).await;
        h.kill_relay().await;
    });
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|s| {
            matches!(
                s,
                ConnectionState::Reconnecting { .. } | ConnectionState::Offline { .. }
            )
        }),
    )
    .await
    .expect("the engine notices the relay is gone")
    .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    h.restart_relay().await;
    send(&sim, &people, 500, 700).await;
    tokio::time::timeout(
        Duration::from_secs(20),
        state.wait_for(|s| matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .expect("the engine reconnects")
    .unwrap();
    let sim_done = Instant::now() + Duration::from_secs(30);
    loop {
        let relay_set = h.relay_message_wamids().await;
        if relay_set.len() == 700 && store_wamids(&store).len() == 700 {
            assert_eq!(
                store_wamids(&store),
                relay_set.into_iter().collect::<Vec<_>>()
            );
            break;
        }
        assert!(
            Instant::now() < sim_done,
            "relay has {}, store {}",
            relay_set.len(),
            store_wamids(&store).len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(&store, "SELECT SUM(unread_count) FROM conversations"),
        700
    );
    engine.shutdown().await;
    sim.shutdown().await;
    h.kill_relay().await;
}

fn status(wamid: &str, status: &str, at: i64, extra: Value) -> Value {
    let mut s = json!({"id": wamid, "status": status, "timestamp": at.to_string(),
                       "recipient_id": "16505551234"});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "statuses": [s]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn out_of_order_and_duplicate_statuses_end_in_the_right_state() {
    let h = Harness::start().await;
    let outbound = |wamid: &str, body: &str| {
        json!({"type": "outbound", "wamid": wamid, "to": "16505551234",
               "phone_number_id": "106540352242922", "body": body, "sent_at": 1_000,
               "biz_opaque_callback_data": format!("outbox-{wamid}")})
    };
    // A: published first, statuses arrive backwards and twice.
    h.publish("a", outbound("wamid.A", "first")).await;
    for (s, at) in [
        ("read", 30),
        ("delivered", 20),
        ("read", 31),
        ("sent", 10),
        ("delivered", 21),
    ] {
        h.post_webhook(status("wamid.A", s, at, json!({}))).await;
    }
    // B: fails after being delivered; a late `read` cannot undo `failed`.
    h.publish("b", outbound("wamid.B", "second")).await;
    h.post_webhook(status("wamid.B", "delivered", 20, json!({})))
        .await;
    h.post_webhook(status(
        "wamid.B",
        "failed",
        25,
        json!({"errors": [{"code": 131026, "title": "Message undeliverable",
                           "error_data": {"details": "Receiver is incapable"}}]}),
    ))
    .await;
    h.post_webhook(status("wamid.B", "read", 30, json!({})))
        .await;
    // C: every status arrives before the message itself is published.
    h.post_webhook(status(
        "wamid.C",
        "sent",
        10,
        json!({"biz_opaque_callback_data": "outbox-wamid.C",
               "pricing": {"billable": true, "pricing_model": "PMP", "category": "utility"}}),
    ))
    .await;
    h.post_webhook(status("wamid.C", "delivered", 11, json!({})))
        .await;

    let store = h.open_store();
    let engine = sync::spawn(Arc::clone(&store), h.config());
    wait_until("A and B", Duration::from_secs(20), || {
        count(&store, "SELECT COUNT(*) FROM messages") == 2
    })
    .await;
    // Live: C's message appears after its statuses; then a duplicate POST.
    h.publish("c", outbound("wamid.C", "third")).await;
    h.post_webhook(status("wamid.C", "sent", 10, json!({})))
        .await;
    h.publish("c", outbound("wamid.C", "third")).await;
    let cursor_target = {
        let page: EventPage = h
            .http
            .get(format!("{}/v1/events?after=0&limit=0", h.url()))
            .bearer_auth(&h.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page.head
    };
    wait_until("the whole log", Duration::from_secs(20), || {
        engine.cursor() >= cursor_target
    })
    .await;

    check_statuses(&store.lock().unwrap());
    assert_eq!(count(&store, "SELECT COUNT(*) FROM agent_events"), 3);
    engine.shutdown().await;
}

fn check_statuses(s: &Store) {
    let a = s.message_by_wamid("wamid.A").unwrap().unwrap();
    assert_eq!(a.status.as_deref(), Some("read"));
    assert!(a.failure.is_none());
    let b = s.message_by_wamid("wamid.B").unwrap().unwrap();
    assert_eq!(b.status.as_deref(), Some("failed"));
    let failure = b.failure.unwrap();
    assert_eq!(failure.code, Some(131026));
    assert_eq!(failure.title.as_deref(), Some("Message undeliverable"));
    assert_eq!(failure.detail.as_deref(), Some("Receiver is incapable"));
    let c = s.message_by_wamid("wamid.C").unwrap().unwrap();
    assert_eq!(c.status.as_deref(), Some("delivered"));
    let (pricing, opaque): (Option<String>, Option<String>) = s
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT pricing_category, biz_opaque_callback_data FROM messages WHERE wamid = 'wamid.C'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(pricing.as_deref(), Some("utility"));
    assert_eq!(opaque.as_deref(), Some("outbox-wamid.C"));
    // All three are in one conversation with the same customer.
    assert_eq!(s.list_conversations(10).unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_app_restarted_after_a_crash_resumes_from_its_cursor() {
    let h = Harness::start().await;
    let sim = h.sim(|_| {}).await;
    let people = customers();
    // A backlog, then a crash while following the live stream.
    send(&sim, &people, 0, 400).await;
    let store = h.open_store();
    let engine = sync::spawn(Arc::clone(&store), h.config());
    wait_until("some messages", Duration::from_secs(20), || {
        count(&store, "SELECT COUNT(*) FROM messages") >= 100
    })
    .await;
    let live = tokio::spawn({
        let people = people.clone();
        async move {
            let w = send(&sim, &people, 400, 800).await;
            (sim, w)
        }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    engine.abort();
    // What was committed is consistent: the rows match the cursor exactly.
    let crashed_cursor = {
        let s = store.lock().unwrap();
        s.sync_cursor(&h.url()).unwrap()
    };
    drop(store);
    let (sim, _) = live.await.unwrap();
    let relay_upto: BTreeSet<String> = {
        let page: EventPage = h
            .http
            .get(format!("{}/v1/events?after=0&limit=5000", h.url()))
            .bearer_auth(&h.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page.events
            .iter()
            .filter(|e| e.seq <= crashed_cursor)
            .filter_map(|e| e.dedupe_key.strip_prefix("msg:").map(str::to_owned))
            .collect()
    };
    let reopened = h.open_store();
    let before: BTreeSet<String> = store_wamids(&reopened).into_iter().collect();
    // The abort may land after one more commit; never before its cursor.
    let cursor_now = reopened.lock().unwrap().sync_cursor(&h.url()).unwrap();
    assert!(cursor_now >= crashed_cursor);
    if cursor_now == crashed_cursor {
        assert_eq!(before, relay_upto, "rows and cursor committed together");
    }
    let had = before.len() as u64;

    // Restart: resumes from the cursor, no gaps, no repeats.
    let engine = sync::spawn(Arc::clone(&reopened), h.config());
    let mut updates = engine.subscribe();
    send(&sim, &people, 800, 1_000).await;
    wait_until("all 1,000", Duration::from_secs(30), || {
        count(&reopened, "SELECT COUNT(*) FROM messages") >= 1_000
    })
    .await;
    let relay_set = h.relay_message_wamids().await;
    assert_eq!(relay_set.len(), 1_000);
    assert_eq!(
        store_wamids(&reopened),
        relay_set.into_iter().collect::<Vec<_>>()
    );
    let mut announced = 0;
    let mut first_cursor = None;
    while let Ok(u) = updates.try_recv() {
        if let SyncUpdate::Inbox(c) = u {
            first_cursor.get_or_insert(c.cursor);
            announced += c.new_messages;
        }
    }
    assert_eq!(announced, 1_000 - had, "every later message announced once");
    assert!(first_cursor.unwrap() > cursor_now);
    assert_eq!(
        count(&reopened, "SELECT SUM(unread_count) FROM conversations"),
        1_000
    );
    engine.shutdown().await;
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_event_whose_apply_panics_is_kept_flagged_and_the_sync_goes_on() {
    let h = Harness::start().await;
    let sim = h.sim(|_| {}).await;
    let people = customers();
    let mut before = Vec::new();
    for (i, who) in people.iter().take(3).enumerate() {
        let r = sim
            .inbound_delivered(Inbound::text(who.clone(), format!("backlog {i}")))
            .await
            .unwrap();
        assert_eq!(r.delivered, Some(true));
        before.push(r.id);
    }
    let page: EventPage = h
        .http
        .get(format!("{}/v1/events?after=0&limit=5000", h.url()))
        .bearer_auth(&h.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bad = page
        .events
        .iter()
        .find(|e| e.dedupe_key == format!("msg:{}", before[1]))
        .unwrap()
        .seq;

    let store = h.open_store();
    let mut config = h.config();
    config.fault = Some(sync::SyncFault::PanicApplying { seq: bad });
    let engine = sync::spawn(h.open_store(), config);
    let mut updates = engine.subscribe();
    let after = send(&sim, &people, 3, 5).await;
    let mut unapplied = 0;
    let mut dropped = false;
    let deadline = Instant::now() + Duration::from_secs(20);
    while store_wamids(&store).len() < 4 {
        assert!(Instant::now() < deadline, "later events were not applied");
        match tokio::time::timeout(Duration::from_millis(200), updates.recv()).await {
            Ok(Ok(SyncUpdate::Inbox(change))) => unapplied += change.unapplied,
            Ok(Ok(SyncUpdate::Connection(ConnectionState::Reconnecting { .. })))
            | Ok(Ok(SyncUpdate::Connection(ConnectionState::Offline { .. }))) => dropped = true,
            _ => {}
        }
    }
    let mut want: Vec<String> = vec![before[0].clone(), before[2].clone()];
    want.extend(after.iter().cloned());
    want.sort();
    assert_eq!(store_wamids(&store), want, "all but the bad one applied");
    assert_eq!(unapplied, 1, "the window is told once");
    let mut state = engine.watch_state();
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|s| matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .expect("following the live stream")
    .unwrap();
    while let Ok(update) = updates.try_recv() {
        dropped |= matches!(
            update,
            SyncUpdate::Connection(
                ConnectionState::Reconnecting { .. } | ConnectionState::Offline { .. }
            )
        );
    }
    assert!(!dropped, "the session never failed");
    let (kind, reason, payload): (String, String, String) = store
        .lock()
        .unwrap()
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT kind, reason, payload FROM flagged_events WHERE seq = ?1",
                [i64::try_from(bad).unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(kind, sync::PANICKED);
    assert!(reason.contains("applying event"), "{reason}");
    assert!(
        payload.contains(&before[1]),
        "the event is kept whole: {payload}"
    );
    assert!(engine.cursor() > bad, "the cursor moved past it");
    engine.shutdown().await;
    sim.shutdown().await;
}
