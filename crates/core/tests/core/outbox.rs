//! The outbox against the real Cloud API simulator, the real relay and a
//! real SQLite store, all on loopback: the window refusal, the happy path,
//! crashes around Meta's acceptance, a lost HTTP reply, 131047, 190 and the
//! rate limits, and a template send's exact JSON.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use hourglass_core::problem::ErrorCode;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::{ConversationId, Direction};
use hourglass_core::outbox::{
    self, FaultPoint, OutboxConfig, OutboxHandle, OutboxId, OutboxState, Unconfirmed, WorkerState,
};
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::{NewContact, NewMessage, Store};
use hourglass_core::sync::{self, SharedStore, SyncConfig, SyncHandle};
use hourglass_core::templates::{self, TemplateKey, TemplateSlot, TemplateValue};
use hourglass_protocol::{EventKind, EventPage};
use hourglass_relay::RunningRelay;
use hourglass_sim::{Inbound, SimHandle};
use serde_json::{Value, json};

const SECRET: &str = "outbox-test-secret";
const CUSTOMER: &str = "+34612345678";

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

pub(crate) struct Harness {
    pub(crate) dir: tempfile::TempDir,
    relay: Option<RunningRelay>,
    relay_url: String,
    token: String,
    pub(crate) sim: SimHandle,
    pub(crate) store: SharedStore,
}

impl Harness {
    pub(crate) async fn start() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
        let relay_url = format!("http://{}", relay.addr());
        let sim = lab::start_sim(&relay, SECRET).await;
        let store = open_store(dir.path());
        Harness {
            dir,
            relay: Some(relay),
            relay_url,
            token,
            sim,
            store,
        }
    }

    /// The relay goes away (as a crash or a deploy would take it).
    async fn stop_relay(&mut self) {
        if let Some(relay) = self.relay.take() {
            relay.shutdown().await.unwrap();
        }
    }

    pub(crate) fn sync(&self) -> SyncHandle {
        let mut c = SyncConfig::new(&self.relay_url, &self.token);
        c.backoff.initial = Duration::from_millis(20);
        c.backoff.max = Duration::from_millis(200);
        sync::spawn(open_store(self.dir.path()), c)
    }

    fn graph_via(&self, base_url: &str) -> GraphClient {
        let sim = self.sim.config();
        let mut config =
            GraphConfig::new(&sim.phone_number_id, &sim.waba_id).with_base_url(base_url);
        config.request_timeout = Duration::from_secs(2);
        GraphClient::new(config, Secret::new(sim.access_token.clone())).unwrap()
    }

    pub(crate) fn graph(&self) -> GraphClient {
        self.graph_via(self.sim.graph_base_url())
    }

    pub(crate) fn worker(&self, config: OutboxConfig) -> OutboxHandle {
        self.worker_via(self.graph(), config)
    }

    fn worker_via(&self, graph: GraphClient, config: OutboxConfig) -> OutboxHandle {
        let relay = RelayClient::new(&self.relay_url, Secret::new(self.token.clone())).unwrap();
        let handle = outbox::spawn(open_store(self.dir.path()), graph, relay, config);
        handle.wake();
        handle
    }

    /// The customer writes (at `at`, Unix seconds) and the store has it.
    pub(crate) async fn customer_writes(
        &self,
        sync: &SyncHandle,
        at: Option<i64>,
    ) -> ConversationId {
        let mut inbound = Inbound::text(CUSTOMER, "Hola, ¿dónde está mi pedido?").named("Lucía");
        if let Some(at) = at {
            inbound = inbound.at(at);
        }
        let receipt = self.sim.inbound_delivered(inbound).await.unwrap();
        let _ = sync;
        let store = Arc::clone(&self.store);
        wait_until("the customer's message in the store", || {
            store
                .lock()
                .unwrap()
                .message_by_wamid(&receipt.id)
                .unwrap()
                .is_some()
        })
        .await;
        let list = self.store.lock().unwrap().list_conversations(10).unwrap();
        list[0].id
    }

    pub(crate) async fn agent_events(&self) -> Vec<Value> {
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let page: EventPage = http
            .get(format!("{}/v1/events?after=0&limit=5000", self.relay_url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page.events
            .into_iter()
            .filter(|e| e.kind == EventKind::Agent)
            .map(|e| e.payload)
            .collect()
    }

    pub(crate) fn row(&self, id: &OutboxId) -> (String, Option<String>, bool, i64, i64, bool) {
        row(&self.store, id)
    }
}

fn open_store(dir: &Path) -> SharedStore {
    Arc::new(Mutex::new(
        Store::open_in_dir(&dir.join("desktop")).unwrap(),
    ))
}

/// (state, wamid, published, attempts, backoffs, offer_templates)
pub(crate) fn row(
    store: &SharedStore,
    id: &OutboxId,
) -> (String, Option<String>, bool, i64, i64, bool) {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT state, wamid, published, attempts, backoffs, offer_templates
                 FROM outbox WHERE id = ?1",
                [&id.0],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )?)
        })
        .unwrap()
}

fn count(store: &SharedStore, sql: &str) -> i64 {
    store
        .lock()
        .unwrap()
        .with_connection(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

pub(crate) async fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub(crate) fn fast() -> OutboxConfig {
    OutboxConfig {
        poll: Duration::from_millis(20),
        pair_backoff: Duration::from_millis(50),
        number_backoff: Duration::from_millis(50),
        ..OutboxConfig::default()
    }
}

fn outbound_events(events: &[Value]) -> Vec<&Value> {
    events.iter().filter(|e| e["type"] == "outbound").collect()
}

// ---- the window refusal, without any network ----

pub(crate) fn local_conversation(
    store: &mut Store,
    last_inbound_at: Option<i64>,
) -> ConversationId {
    store
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(CUSTOMER.to_owned()),
                ..NewContact::default()
            })?;
            let conv = w.conversation_for(contact, "106540352242922")?;
            if let Some(at) = last_inbound_at {
                w.insert_message(&NewMessage {
                    wamid: format!("wamid.in-{at}").into(),
                    conversation_id: conv,
                    direction: Direction::Inbound,
                    kind: "text".to_owned(),
                    body: "hi".to_owned(),
                    payload: None,
                    sent_at: at,
                    status: None,
                    reply_to_wamid: None,
                })?;
            }
            Ok(conv)
        })
        .unwrap()
}

fn outbox_rows(store: &Store) -> i64 {
    store
        .with_connection(|c| Ok(c.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?))
        .unwrap()
}

#[test]
fn free_text_is_refused_exactly_when_the_window_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let wrote = 1_760_000_000;
    let conv = local_conversation(&mut store, Some(wrote));
    let day = 24 * 3600;

    // 23:59:59 after the customer's message: still open.
    let ok = outbox::enqueue_text(
        &mut store,
        conv,
        "On its way",
        None,
        (wrote + day - 1) * 1000,
    )
    .unwrap();
    assert_eq!(ok.message.status.as_deref(), Some("pending"));
    assert_eq!(ok.message.wamid, format!("local:{}", ok.outbox_id.0));
    assert_eq!(
        ok.message.outbox.as_ref().unwrap().state,
        OutboxState::Queued
    );
    assert_eq!(outbox_rows(&store), 1);

    // Exactly 24 h: closed, refused before anything is written.
    let messages_before = store.list_messages(conv, 100).unwrap().len();
    let err =
        outbox::enqueue_text(&mut store, conv, "Hello?", None, (wrote + day) * 1000).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WindowClosed);
    assert!(err.to_string().contains("template"), "{err}");
    assert_eq!(outbox_rows(&store), 1);
    assert_eq!(
        store.list_messages(conv, 100).unwrap().len(),
        messages_before
    );
}

#[test]
fn free_text_to_a_customer_who_never_wrote_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let conv = local_conversation(&mut store, None);
    let err = outbox::enqueue_text(&mut store, conv, "Hi", None, now_ms()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WindowClosed);
    assert_eq!(outbox_rows(&store), 0);
}

#[test]
fn empty_or_overlong_text_is_refused_in_an_open_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let now = now_ms();
    let conv = local_conversation(&mut store, Some(now / 1000 - 60));
    let empty = outbox::enqueue_text(&mut store, conv, "  ", None, now).unwrap_err();
    assert_eq!(empty.code(), ErrorCode::TextInvalid);
    let long = "a".repeat(4097);
    let err = outbox::enqueue_text(&mut store, conv, &long, None, now).unwrap_err();
    assert_eq!(err.code(), ErrorCode::TextInvalid);
    assert_eq!(outbox_rows(&store), 0);
}

// ---- against the simulator and the relay ----

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn free_text_to_a_closed_window_never_reaches_meta() {
    let h = Harness::start().await;
    let sync = h.sync();
    let two_days_ago = now_ms() / 1000 - 48 * 3600;
    let conv = h.customer_writes(&sync, Some(two_days_ago)).await;
    let worker = h.worker(fast());
    let err =
        outbox::enqueue_text(&mut h.store.lock().unwrap(), conv, "Hi", None, now_ms()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::WindowClosed);
    worker.wake();
    // A full worker pass happens after the wake; nothing was queued.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(h.sim.sent().is_empty());
    assert_eq!(count(&h.store, "SELECT COUNT(*) FROM outbox"), 0);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_text_is_sent_once_published_once_and_its_ticks_arrive() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let worker = h.worker(fast());
    let mut updates = worker.subscribe();
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Your order ships today",
        None,
        now_ms(),
    )
    .unwrap();
    worker.wake();
    let id = queued.outbox_id.clone();
    let store = Arc::clone(&h.store);
    let message_id = queued.message.id;
    wait_until("the message read", || {
        store
            .lock()
            .unwrap()
            .message(message_id)
            .unwrap()
            .status
            .as_deref()
            == Some("read")
    })
    .await;
    let (state, wamid, _, _, _, _) = h.row(&id);
    assert_eq!(state, "accepted");
    let wamid = wamid.unwrap();
    assert!(wamid.starts_with("wamid."), "{wamid}");
    let m = h.store.lock().unwrap().message(message_id).unwrap();
    assert_eq!(m.wamid, wamid, "the bubble took the real wamid, same row");
    assert_eq!(m.outbox.unwrap().state, OutboxState::Accepted);

    let store = Arc::clone(&h.store);
    wait_until("published", || row(&store, &id).2).await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 1);
    let body = sent[0].json();
    assert_eq!(body["biz_opaque_callback_data"], id.0.as_str());
    assert_eq!(body["text"]["body"], "Your order ships today");
    let events = h.agent_events().await;
    let outbound = outbound_events(&events);
    assert_eq!(outbound.len(), 1);
    assert_eq!(outbound[0]["wamid"], wamid.as_str());
    assert_eq!(outbound[0]["body"], "Your order ships today");
    // Our own event came back through the sync: still one message.
    let store = Arc::clone(&h.store);
    wait_until("the agent event applied", || {
        count(&store, "SELECT COUNT(*) FROM agent_events") == 1
    })
    .await;
    assert_eq!(
        count(
            &h.store,
            "SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"
        ),
        1
    );
    assert!(
        updates.try_recv().is_ok(),
        "the worker announced the bubble"
    );
    worker.shutdown().await;
    sync.shutdown().await;
}

/// Another desktop on the same relay files the message from the published
/// event alone.
async fn other_desktop_sees(h: &Harness, wamid: &str, body: &str) {
    let other_dir = tempfile::tempdir().unwrap();
    let other = open_store(other_dir.path());
    let mut c = SyncConfig::new(&h.relay_url, &h.token);
    c.backoff.initial = Duration::from_millis(20);
    let engine = sync::spawn(Arc::clone(&other), c);
    wait_until("the other desktop has the message", || {
        other
            .lock()
            .unwrap()
            .message_by_wamid(wamid)
            .unwrap()
            .is_some_and(|m| m.status.as_deref() == Some("read"))
    })
    .await;
    let m = other
        .lock()
        .unwrap()
        .message_by_wamid(wamid)
        .unwrap()
        .unwrap();
    assert_eq!(m.body, body);
    assert_eq!(m.direction, Direction::Outbound);
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_right_after_meta_accepted_restart_sends_nothing_twice() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    // The statuses of our send must not reach this desktop before the
    // restart: the worker has to cope with knowing nothing.
    sync.shutdown().await;
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Refund approved",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let crashing = h.worker(OutboxConfig {
        fault: Some(FaultPoint::AfterGraphAccept),
        ..fast()
    });
    wait_until("the crash", || crashing.is_finished()).await;
    assert_eq!(h.sim.sent().len(), 1, "Meta accepted it");
    assert_eq!(h.row(&id).0, "sending", "nothing of the answer was stored");

    // Restart: a fresh worker with its own connection. It must not resend
    // while the reconciliation window runs.
    let restarted = h.worker(fast());
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(h.sim.sent().len(), 1);
    assert_eq!(h.row(&id).0, "sending");
    // The sync comes back; the status webhook carries our id.
    let sync = h.sync();
    let store = Arc::clone(&h.store);
    wait_until("reconciled and published", || {
        let r = row(&store, &id);
        r.0 == "accepted" && r.2
    })
    .await;
    let wamid = h.row(&id).1.unwrap();
    let store = Arc::clone(&h.store);
    let mid = queued.message.id;
    wait_until("the bubble read", || {
        store
            .lock()
            .unwrap()
            .message(mid)
            .unwrap()
            .status
            .as_deref()
            == Some("read")
    })
    .await;
    assert_eq!(h.sim.sent().len(), 1, "never sent twice");
    assert_eq!(outbound_events(&h.agent_events().await).len(), 1);
    assert_eq!(
        count(
            &h.store,
            "SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"
        ),
        1
    );
    other_desktop_sees(&h, &wamid, "Refund approved").await;
    restarted.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_after_accepting_before_publishing_publishes_once_on_restart() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "See you soon",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let crashing = h.worker(OutboxConfig {
        fault: Some(FaultPoint::BeforePublish),
        ..fast()
    });
    wait_until("the crash", || crashing.is_finished()).await;
    let (state, wamid, published, ..) = h.row(&id);
    assert_eq!((state.as_str(), published), ("accepted", false));
    assert!(outbound_events(&h.agent_events().await).is_empty());

    let restarted = h.worker(fast());
    let store = Arc::clone(&h.store);
    wait_until("published after the restart", || row(&store, &id).2).await;
    assert_eq!(h.sim.sent().len(), 1);
    assert_eq!(outbound_events(&h.agent_events().await).len(), 1);
    other_desktop_sees(&h, &wamid.unwrap(), "See you soon").await;
    restarted.shutdown().await;
    sync.shutdown().await;
}

/// Forwards requests to `target` and never answers: Meta got the send, the
/// app never hears back.
async fn black_hole_proxy(target: SocketAddr) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for _ in 0..16 {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let Ok(upstream) = tokio::net::TcpStream::connect(target).await else {
                return;
            };
            tokio::spawn(async move {
                let (mut from_client, to_client) = client.into_split();
                let (mut from_meta, mut to_meta) = upstream.into_split();
                // The answer is swallowed; the client waits until it gives up.
                let swallow = tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut from_meta, &mut tokio::io::sink()).await;
                });
                let _ = tokio::io::copy(&mut from_client, &mut to_meta).await;
                let _ = swallow.await;
                drop(to_client);
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_reply_is_matched_by_its_status_webhook_and_never_resent() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let proxy = black_hole_proxy(h.sim.local_addr()).await;
    let mut graph_config =
        GraphConfig::new(&h.sim.config().phone_number_id, &h.sim.config().waba_id)
            .with_base_url(format!("http://{proxy}"));
    graph_config.request_timeout = Duration::from_millis(700);
    let graph = GraphClient::new(
        graph_config,
        Secret::new(h.sim.config().access_token.clone()),
    )
    .unwrap();
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Lost in transit",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let worker = h.worker_via(graph, fast());
    let store = Arc::clone(&h.store);
    wait_until("reconciled from the status webhook and published", || {
        let r = row(&store, &id);
        r.0 == "accepted" && r.2
    })
    .await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 1, "sent once, never again");
    assert_eq!(sent[0].json()["biz_opaque_callback_data"], id.0.as_str());
    let wamid = h.row(&id).1.unwrap();
    let m = h.store.lock().unwrap().message(queued.message.id).unwrap();
    assert_eq!(m.wamid, wamid);
    // Give the worker time to (wrongly) resend: it must not.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(h.sim.sent().len(), 1);
    assert_eq!(outbound_events(&h.agent_events().await).len(), 1);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn closed_window_at_meta_fails_the_bubble_and_offers_templates() {
    let h = Harness::start().await;
    let sync = h.sync();
    // The simulator knows only a message from two days ago…
    let conv = h
        .customer_writes(&sync, Some(now_ms() / 1000 - 48 * 3600))
        .await;
    // …while this desktop believes the customer wrote just now.
    h.store
        .lock()
        .unwrap()
        .write(|w| {
            w.insert_message(&NewMessage {
                wamid: "wamid.only-on-this-desktop".into(),
                conversation_id: conv,
                direction: Direction::Inbound,
                kind: "text".to_owned(),
                body: "hello?".to_owned(),
                payload: None,
                sent_at: now_ms() / 1000,
                status: None,
                reply_to_wamid: None,
            })
        })
        .unwrap();
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "We are here to help",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let worker = h.worker(fast());
    let store = Arc::clone(&h.store);
    let mid = queued.message.id;
    wait_until("the bubble failed", || {
        store
            .lock()
            .unwrap()
            .message(mid)
            .unwrap()
            .status
            .as_deref()
            == Some("failed")
    })
    .await;
    let m = h.store.lock().unwrap().message(mid).unwrap();
    assert_eq!(m.failure.as_ref().unwrap().code, Some(131047));
    let info = m.outbox.unwrap();
    assert_eq!(info.state, OutboxState::Failed);
    assert!(info.offer_templates);
    assert!(!info.can_retry);
    assert!(info.reason.unwrap().contains("24 hours"));
    let (state, _, _, _, _, offer) = h.row(&id);
    assert_eq!((state.as_str(), offer), ("failed", true));
    assert_eq!(h.sim.sent().len(), 1);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_invalid_token_stops_the_worker_and_keeps_the_message() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    h.sim.inject_faults(190, 1);
    let queued =
        outbox::enqueue_text(&mut h.store.lock().unwrap(), conv, "Hi", None, now_ms()).unwrap();
    let worker = h.worker(fast());
    wait_until("the worker stopped", || worker.is_finished()).await;
    let WorkerState::TokenInvalid { message } = worker.state() else {
        panic!("state {:?}", worker.state());
    };
    assert!(message.contains("token"), "{message}");
    assert_eq!(
        h.row(&queued.outbox_id).0,
        "queued",
        "waits for a new token"
    );
    // A new worker (a new token saved) sends it.
    let worker = h.worker(fast());
    let store = Arc::clone(&h.store);
    let id = queued.outbox_id.clone();
    wait_until("sent with the new token", || {
        row(&store, &id).0 == "accepted"
    })
    .await;
    assert_eq!(h.sim.sent().len(), 1);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rate_limits_back_off_and_then_send() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    for code in [131056, 130429] {
        h.sim.inject_faults(code, 1);
        let queued = outbox::enqueue_text(
            &mut h.store.lock().unwrap(),
            conv,
            &format!("after {code}"),
            None,
            now_ms(),
        )
        .unwrap();
        let worker = h.worker(fast());
        let store = Arc::clone(&h.store);
        let id = queued.outbox_id.clone();
        wait_until("sent after backing off", || {
            row(&store, &id).0 == "accepted"
        })
        .await;
        let (_, _, _, attempts, backoffs, _) = h.row(&id);
        assert_eq!(
            (attempts, backoffs),
            (0, 1),
            "{code}: one back-off, no attempt used"
        );
        worker.shutdown().await;
    }
    assert_eq!(h.sim.sent().len(), 2);
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transient_errors_retry_at_once_then_after_30_s_then_wait_for_a_human() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let clock = Arc::new(AtomicI64::new(now_ms()));
    let c = Arc::clone(&clock);
    let config = OutboxConfig {
        clock: Arc::new(move || c.load(Ordering::SeqCst)),
        ..fast()
    };
    h.sim.inject_faults(131000, 3);
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Third time lucky",
        None,
        clock.load(Ordering::SeqCst),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let worker = h.worker(config);
    let store = Arc::clone(&h.store);
    wait_until("two attempts, the third 30 s away", || {
        let r = row(&store, &id);
        r.0 == "queued" && r.3 == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(h.row(&id).3, 2, "nothing before the 30 s pause");
    clock.fetch_add(30_000, Ordering::SeqCst);
    worker.wake();
    wait_until("waiting for a human", || {
        row(&store, &id).0 == "needs_human"
    })
    .await;
    let m = h.store.lock().unwrap().message(queued.message.id).unwrap();
    assert_eq!(m.status.as_deref(), Some("failed"));
    let info = m.outbox.unwrap();
    assert!(info.can_retry);
    assert!(!info.offer_templates);
    assert!(info.reason.is_some());
    // The agent presses Retry; the simulator has no faults left.
    outbox::retry(
        &mut h.store.lock().unwrap(),
        &id,
        clock.load(Ordering::SeqCst),
    )
    .unwrap();
    worker.wake();
    wait_until("sent after Retry", || row(&store, &id).0 == "accepted").await;
    assert_eq!(h.sim.sent().len(), 1);
    let again = outbox::retry(&mut h.store.lock().unwrap(), &id, now_ms()).unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotRetryable);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_template_with_variables_reaches_meta_exactly_as_documented() {
    let h = Harness::start().await;
    let sync = h.sync();
    // Two days since the customer wrote: only a template may go.
    let conv = h
        .customer_writes(&sync, Some(now_ms() / 1000 - 48 * 3600))
        .await;
    let mut config = GraphConfig::new(&h.sim.config().phone_number_id, &h.sim.config().waba_id)
        .with_base_url(h.sim.graph_base_url());
    config.template_page_size = 3;
    let graph = GraphClient::new(config, Secret::new(h.sim.config().access_token.clone())).unwrap();
    let synced = templates::sync(&h.store, &graph, now_ms()).await.unwrap();
    assert!(synced.pages > 1, "{synced:?}");
    assert_eq!(
        synced.templates as usize,
        hourglass_sim::catalog::templates().len()
    );
    let key = TemplateKey {
        name: "order_update".to_owned(),
        language: "en_US".to_owned(),
    };
    let v = |slot, value: &str| TemplateValue {
        slot,
        value: value.to_owned(),
    };
    let body = |n: &str| TemplateSlot::Body { var: n.to_owned() };
    let values = vec![
        v(
            TemplateSlot::HeaderText {
                var: "1".to_owned(),
            },
            "SKB-4CP",
        ),
        v(body("1"), "Lucía"),
        v(body("2"), "SKB-4CP"),
        v(body("3"), "Friday"),
        v(TemplateSlot::Button { index: 0 }, "SKB-4CP"),
    ];
    // Missing a value: refused with Meta's code before anything is written.
    let err = outbox::enqueue_template(
        &mut h.store.lock().unwrap(),
        conv,
        &key,
        &values[..3],
        now_ms(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TemplateInvalid);
    let queued =
        outbox::enqueue_template(&mut h.store.lock().unwrap(), conv, &key, &values, now_ms())
            .unwrap();
    assert!(
        queued
            .message
            .body
            .contains("Hi Lucía, your order SKB-4CP has shipped")
    );
    let worker = h.worker(fast());
    let store = Arc::clone(&h.store);
    let id = queued.outbox_id.clone();
    wait_until("accepted", || row(&store, &id).0 == "accepted").await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].json(),
        json!({
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": CUSTOMER,
            "biz_opaque_callback_data": id.0, "type": "template",
            "template": { "name": "order_update", "language": { "code": "en_US" },
                "components": [
                    { "type": "header", "parameters": [ { "type": "text", "text": "SKB-4CP" } ] },
                    { "type": "body", "parameters": [
                        { "type": "text", "text": "Lucía" },
                        { "type": "text", "text": "SKB-4CP" },
                        { "type": "text", "text": "Friday" } ] },
                    { "type": "button", "sub_type": "url", "index": "0",
                      "parameters": [ { "type": "text", "text": "SKB-4CP" } ] } ] } })
    );
    worker.shutdown().await;
    sync.shutdown().await;
}

/// Forwards requests to `target`; the answer to the first connection is
/// swallowed (Meta got that send, the app never hears back), later ones
/// pass through.
async fn lose_first_answer_proxy(target: SocketAddr) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for n in 0..16 {
            let Ok((client, _)) = listener.accept().await else {
                return;
            };
            let Ok(upstream) = tokio::net::TcpStream::connect(target).await else {
                return;
            };
            tokio::spawn(async move {
                let (mut from_client, mut to_client) = client.into_split();
                let (mut from_meta, mut to_meta) = upstream.into_split();
                let back = tokio::spawn(async move {
                    if n == 0 {
                        let _ = tokio::io::copy(&mut from_meta, &mut tokio::io::sink()).await;
                    } else {
                        let _ = tokio::io::copy(&mut from_meta, &mut to_client).await;
                    }
                });
                let _ = tokio::io::copy(&mut from_client, &mut to_meta).await;
                let _ = back.await;
            });
        }
    });
    addr
}

impl Harness {
    /// A Graph client through [`lose_first_answer_proxy`], giving up on an
    /// answer after 700 ms.
    async fn graph_losing_first_answer(&self) -> GraphClient {
        let proxy = lose_first_answer_proxy(self.sim.local_addr()).await;
        let mut config = GraphConfig::new(
            &self.sim.config().phone_number_id,
            &self.sim.config().waba_id,
        )
        .with_base_url(format!("http://{proxy}"));
        config.request_timeout = Duration::from_millis(700);
        GraphClient::new(config, Secret::new(self.sim.config().access_token.clone())).unwrap()
    }
}

/// The outbox row's `error_title`.
fn error_title(store: &SharedStore, id: &OutboxId) -> Option<String> {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT error_title FROM outbox WHERE id = ?1",
                [&id.0],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_answer_is_never_resent_while_the_relay_is_down() {
    let mut h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let mut state = sync.watch_state();
    h.stop_relay().await;
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|s| !matches!(s, sync::ConnectionState::Connected { .. })),
    )
    .await
    .expect("the sync notices the relay is gone")
    .unwrap();
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Your refund is on its way",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let graph = h.graph_losing_first_answer().await;
    let worker = h.worker_via(
        graph,
        OutboxConfig {
            reconcile_after: Duration::from_millis(300),
            sync_state: Some(sync.watch_state()),
            ..fast()
        },
    );
    wait_until("Meta got the send", || h.sim.sent().len() == 1).await;
    // The answer is lost after 700 ms; wait that and many reconciliation
    // windows more.
    tokio::time::sleep(Duration::from_millis(700 + 6 * 300)).await;
    assert_eq!(h.sim.sent().len(), 1, "never sent twice");
    assert_eq!(h.row(&id).0, "sending", "still waiting for its status");
    let info = outbox::info(&h.store.lock().unwrap(), &id).unwrap();
    assert_eq!(
        info.unconfirmed, None,
        "nothing to ask while the sync is down"
    );
    assert!(!matches!(
        sync.state(),
        sync::ConnectionState::Connected { .. }
    ));
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unconfirmed_send_asks_the_agent_and_send_again_sends_once_more() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    // Meta's status webhooks for our send never reach the relay.
    h.sim.set_relay_url(None);
    let mut state = sync.watch_state();
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|s| matches!(s, sync::ConnectionState::Connected { .. })),
    )
    .await
    .unwrap()
    .unwrap();
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Your order ships today",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let graph = h.graph_losing_first_answer().await;
    let worker = h.worker_via(
        graph,
        OutboxConfig {
            reconcile_after: Duration::from_millis(300),
            sync_state: Some(sync.watch_state()),
            ..fast()
        },
    );
    let store = Arc::clone(&h.store);
    wait_until("the agent is asked", || row(&store, &id).0 == "needs_human").await;
    assert_eq!(h.sim.sent().len(), 1, "not resent silently");
    assert_eq!(error_title(&h.store, &id).as_deref(), Some("unconfirmed"));
    let info = outbox::info(&h.store.lock().unwrap(), &id).unwrap();
    assert_eq!(info.unconfirmed, Some(Unconfirmed::Ask));
    assert!(!info.can_retry, "the prompt replaces the plain Retry");
    let bubble = h.store.lock().unwrap().message(queued.message.id).unwrap();
    assert_eq!(bubble.outbox.unwrap().unconfirmed, Some(Unconfirmed::Ask));
    assert_eq!(
        bubble.status.as_deref(),
        Some("pending"),
        "it may have arrived: not shown failed"
    );
    // It stays asking: nothing goes out by itself.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(h.sim.sent().len(), 1);
    assert_eq!(h.row(&id).0, "needs_human");

    // The agent chooses "Send again": exactly one more send, accepted.
    outbox::retry(&mut h.store.lock().unwrap(), &id, now_ms()).unwrap();
    worker.wake();
    wait_until("accepted and published", || {
        let r = row(&store, &id);
        r.0 == "accepted" && r.2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 2, "sent exactly once more");
    assert_eq!(sent[1].json()["biz_opaque_callback_data"], id.0.as_str());
    assert_eq!(outbound_events(&h.agent_events().await).len(), 1);
    let info = outbox::info(&h.store.lock().unwrap(), &id).unwrap();
    assert_eq!(info.unconfirmed, None);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn discarding_an_unconfirmed_send_never_sends_it_again() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    h.sim.set_relay_url(None);
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Did this arrive?",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let graph = h.graph_losing_first_answer().await;
    let worker = h.worker_via(
        graph,
        OutboxConfig {
            reconcile_after: Duration::from_millis(300),
            sync_state: Some(sync.watch_state()),
            ..fast()
        },
    );
    let store = Arc::clone(&h.store);
    wait_until("the agent is asked", || row(&store, &id).0 == "needs_human").await;
    outbox::discard(&mut h.store.lock().unwrap(), &id).unwrap();
    let bubble = h.store.lock().unwrap().message(queued.message.id).unwrap();
    let info = bubble.outbox.unwrap();
    assert_eq!(info.state, OutboxState::Failed);
    assert_eq!(info.unconfirmed, Some(Unconfirmed::Discarded));
    assert!(!info.can_retry);
    assert!(
        outbox::discard(&mut h.store.lock().unwrap(), &id).is_err(),
        "decided once"
    );
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(h.sim.sent().len(), 1);
    worker.shutdown().await;
    sync.shutdown().await;
}

/// A relay that answers the first publish 429 `rate_limited` with
/// `Retry-After: 1`, and every later one 200. Records (when, body) of each
/// publish; serves at most 20 connections.
async fn rate_limiting_relay() -> (SocketAddr, Arc<Mutex<Vec<(Instant, Value)>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Arc<Mutex<Vec<(Instant, Value)>>> = Arc::default();
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        for _ in 0..20 {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                // One request per connection, read whole by its length.
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                let body_at = loop {
                    if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&request[..body_at]).to_ascii_lowercase();
                let length: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while request.len() < body_at + length {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let body: Value =
                    serde_json::from_slice(&request[body_at..body_at + length]).unwrap_or_default();
                let first = {
                    let mut seen = seen.lock().unwrap();
                    seen.push((Instant::now(), body));
                    seen.len() == 1
                };
                let answer = if first {
                    let body = r#"{"code":"rate_limited","message":"slow down"}"#;
                    format!(
                        "HTTP/1.1 429 Too Many Requests\r\nretry-after: 1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                } else {
                    let body = r#"{"seq":7,"duplicate":false}"#;
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    )
                };
                let _ = socket.write_all(answer.as_bytes()).await;
            });
        }
    });
    (addr, log)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_rate_limited_publish_waits_as_told_and_then_goes_once() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let (stub, publishes) = rate_limiting_relay().await;
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Your parcel left the warehouse",
        None,
        now_ms(),
    )
    .unwrap();
    let id = queued.outbox_id.clone();
    let relay = RelayClient::new(&format!("http://{stub}"), Secret::new(h.token.clone())).unwrap();
    let worker = outbox::spawn(open_store(h.dir.path()), h.graph(), relay, fast());
    worker.wake();
    let store = Arc::clone(&h.store);
    wait_until("the first publish", || {
        !publishes.lock().unwrap().is_empty()
    })
    .await;
    // Told to wait a second: nothing goes to the relay meanwhile, and the
    // row waits to be published.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(publishes.lock().unwrap().len(), 1);
    let (state, _, published, ..) = row(&store, &id);
    assert_eq!((state.as_str(), published), ("accepted", false));
    wait_until("published", || row(&store, &id).2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let publishes = publishes.lock().unwrap().clone();
    assert_eq!(publishes.len(), 2, "once refused, once accepted");
    let waited = publishes[1].0 - publishes[0].0;
    assert!(
        waited >= Duration::from_millis(950),
        "retried after {waited:?}"
    );
    for (_, body) in &publishes {
        assert_eq!(body["idempotency_key"], id.0.as_str());
    }
    assert_eq!(h.sim.sent().len(), 1, "sent to Meta once");
    worker.shutdown().await;
    sync.shutdown().await;
}
