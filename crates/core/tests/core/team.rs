//! Team work converges: two desktops against one relay act at the same time
//! (assignments, notes, labels, canned responses, conversation status,
//! replies sent through each
//! desktop's outbox, customers writing in), and afterwards both stores hold
//! exactly the same state — the state the relay's log order implies — and
//! every reply reached WhatsApp exactly once. A bounded property test over
//! random interleavings, with a real relay and the simulator on loopback.

#![allow(clippy::unwrap_used)]

use crate::support::lab;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::ConversationId;
use hourglass_core::outbox::{self, OutboxConfig, OutboxHandle};
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, SharedStore, SyncConfig, SyncHandle};
use hourglass_core::team::{ConversationKey, TeamAction};
use hourglass_core::window;
use hourglass_protocol::team::ConversationStatus;
use hourglass_protocol::{EventKind, EventPage};
use hourglass_sim::{Inbound, SimHandle};
use proptest::prelude::*;

const SECRET: &str = "team-secret";
const CUSTOMERS: usize = 4;
const AGENTS: [&str; 2] = ["ana", "ben"];

#[derive(Debug, Clone)]
enum Op {
    Assign(usize, Option<usize>),
    Note(usize, u8),
    Label(usize, u8, bool),
    Canned(u8, u8),
    CannedDeleted(u8),
    /// Status 0 open, 1 pending, 2 snoozed, 3 resolved; a snooze ends in
    /// an hour or when the customer writes.
    Status(usize, u8, bool),
    CustomerWrites(usize),
    /// The acting agent answers the customer from their desktop.
    Send(usize, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..CUSTOMERS, proptest::option::of(0..AGENTS.len())).prop_map(|(c, a)| Op::Assign(c, a)),
        2 => (0..CUSTOMERS, any::<u8>()).prop_map(|(c, n)| Op::Note(c, n)),
        3 => (0..CUSTOMERS, 0..3u8, any::<bool>()).prop_map(|(c, l, on)| Op::Label(c, l, on)),
        2 => (0..3u8, any::<u8>()).prop_map(|(i, t)| Op::Canned(i, t)),
        1 => (0..3u8).prop_map(Op::CannedDeleted),
        3 => (0..CUSTOMERS, 0..4u8, any::<bool>()).prop_map(|(c, s, t)| Op::Status(c, s, t)),
        2 => (0..CUSTOMERS).prop_map(Op::CustomerWrites),
        3 => (0..CUSTOMERS, any::<u8>()).prop_map(|(c, t)| Op::Send(c, t)),
    ]
}

/// Customers' numbers. None ends in 0000: the Cloud API simulator treats
/// those as numbers not on WhatsApp (sends to them fail with 131026).
fn customer(i: usize) -> String {
    format!("+3461555010{i}")
}

fn key(i: usize, pnid: &str) -> ConversationKey {
    ConversationKey {
        customer: customer(i),
        phone_number_id: pnid.to_owned(),
    }
}

fn action(op: &Op, agent: usize, n: usize, pnid: &str) -> Option<TeamAction> {
    Some(match op {
        Op::Assign(c, a) => TeamAction::Assign {
            conversation: key(*c, pnid),
            assignee: a.map(|a| AGENTS[a].to_owned()),
        },
        Op::Note(c, t) => TeamAction::Note {
            id: format!("note-{}-{n}", AGENTS[agent]),
            conversation: key(*c, pnid),
            body: format!("note {t} by {}", AGENTS[agent]),
        },
        Op::Label(c, l, on) => TeamAction::Label {
            conversation: key(*c, pnid),
            label: ["vip", "refund", "urgent"][*l as usize].to_owned(),
            on: *on,
        },
        Op::Canned(i, t) => TeamAction::Canned {
            id: format!("canned-{i}"),
            title: format!("Reply {i}"),
            body: format!("Text {t} from {}", AGENTS[agent]),
        },
        Op::CannedDeleted(i) => TeamAction::CannedDeleted {
            id: format!("canned-{i}"),
        },
        Op::Status(c, s, timed) => {
            let status = ConversationStatus::ALL[*s as usize];
            TeamAction::Status {
                conversation: key(*c, pnid),
                status,
                snooze_until: (status == ConversationStatus::Snoozed && *timed)
                    .then(|| now_ms() / 1000 + 3_600),
            }
        }
        Op::CustomerWrites(_) | Op::Send(..) => return None,
    })
}

/// One agent's desktop: a store shared by its sync engine and its outbox
/// worker, as the app runs it.
struct Desktop {
    dir: PathBuf,
    store: SharedStore,
    engine: SyncHandle,
    outbox: OutboxHandle,
    publisher: RelayClient,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The conversation with customer `c` in `store`, if its 24 h window is open.
fn open_conversation(store: &SharedStore, c: usize) -> Option<ConversationId> {
    let now = now_ms().div_euclid(1000);
    let phone = customer(c);
    store
        .lock()
        .unwrap()
        .list_conversations(100)
        .unwrap()
        .into_iter()
        .find(|s| {
            s.contact.phone.as_deref() == Some(phone.as_str())
                && window::service_window(s.last_inbound_at, now).is_open()
        })
        .map(|s| s.id)
}

/// Free text needs the customer's window open on the sending desktop: if it
/// is not, the customer writes first and the desktop receives it.
async fn conversation_to_answer(
    store: &SharedStore,
    sim: &SimHandle,
    c: usize,
    hello: String,
) -> ConversationId {
    if let Some(id) = open_conversation(store, c) {
        return id;
    }
    sim.inbound_delivered(Inbound::text(customer(c), hello))
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(id) = open_conversation(store, c) {
            return id;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the desktop never received customer {c}'s message"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Sends in the outbox that are not yet accepted by Meta and published to
/// the relay, and bubbles still showing a placeholder wamid.
fn unsettled_sends(store: &SharedStore) -> (Vec<(String, bool)>, i64) {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            let mut st = c.prepare(
                "SELECT state, published FROM outbox WHERE state <> 'accepted' OR NOT published",
            )?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<(String, bool)>>>()?;
            let local = c.query_row(
                "SELECT COUNT(*) FROM messages WHERE wamid LIKE 'local:%'",
                [],
                |r| r.get(0),
            )?;
            Ok((rows, local))
        })
        .unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .with_connection(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

async fn converge(ops_a: Vec<Op>, ops_b: Vec<Op>) {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token_a) = lab::start_relay(dir.path(), SECRET).await;
    let token_b = hourglass_relay::agent::add(relay.state().store().as_ref(), "ben")
        .unwrap()
        .expose()
        .to_owned();
    let sim = lab::start_sim(&relay, SECRET).await;
    let pnid = sim.config().phone_number_id.clone();
    let url = relay.url();

    let sim_config = sim.config();
    let mut desktops = Vec::new();
    for (i, token) in [&token_a, &token_b].into_iter().enumerate() {
        let store_dir = dir.path().join(format!("desktop-{i}"));
        let store: SharedStore = Arc::new(Mutex::new(Store::open_in_dir(&store_dir).unwrap()));
        let mut config = SyncConfig::new(url.clone(), token.clone());
        config.backoff.initial = Duration::from_millis(20);
        config.backoff.max = Duration::from_millis(200);
        let engine = sync::spawn(Arc::clone(&store), config);
        let publisher = RelayClient::new(&url, Secret::new(token.clone())).unwrap();
        let mut graph = GraphConfig::new(&sim_config.phone_number_id, &sim_config.waba_id)
            .with_base_url(sim.graph_base_url());
        graph.request_timeout = Duration::from_secs(2);
        let graph = GraphClient::new(graph, Secret::new(sim_config.access_token.clone())).unwrap();
        let outbox = outbox::spawn(
            Arc::clone(&store),
            graph,
            publisher.clone(),
            OutboxConfig {
                poll: Duration::from_millis(20),
                pair_backoff: Duration::from_millis(50),
                number_backoff: Duration::from_millis(50),
                ..OutboxConfig::default()
            },
        );
        desktops.push(Desktop {
            dir: store_dir,
            store,
            engine,
            outbox,
            publisher,
        });
    }

    // Both agents act at once; their actions interleave on the relay's log.
    // Each returns the replies its desktop queued.
    let act = |agent: usize, ops: Vec<Op>| {
        let desktop = &desktops[agent];
        let sim = &sim;
        let pnid = pnid.clone();
        async move {
            let mut sent = Vec::new();
            for (n, op) in ops.iter().enumerate() {
                let who = format!("{}-{n}", AGENTS[agent]);
                match (action(op, agent, n, &pnid), op) {
                    (Some(a), _) => a.publish(&desktop.publisher, &who).await.unwrap(),
                    (None, Op::CustomerWrites(c)) => {
                        sim.inbound_delivered(Inbound::text(customer(*c), format!("hi {n}")))
                            .await
                            .unwrap();
                    }
                    (None, Op::Send(c, t)) => {
                        let conversation = conversation_to_answer(
                            &desktop.store,
                            sim,
                            *c,
                            format!("hello before {who}"),
                        )
                        .await;
                        let body = format!("reply {t} to customer {c} from {who}");
                        outbox::enqueue_text(
                            &mut desktop.store.lock().unwrap(),
                            conversation,
                            &body,
                            None,
                            now_ms(),
                        )
                        .unwrap();
                        desktop.outbox.wake();
                        sent.push(body);
                    }
                    (None, _) => unreachable!(),
                }
                if n % 3 == agent {
                    tokio::task::yield_now().await;
                }
            }
            sent
        }
    };
    let (sent_a, sent_b) = tokio::join!(act(0, ops_a), act(1, ops_b));

    // Every reply is accepted by Meta and published before the relay's head
    // is taken, so both desktops must have all of them once caught up.
    let started = Instant::now();
    for desktop in &desktops {
        loop {
            let (rows, local) = unsettled_sends(&desktop.store);
            if rows.is_empty() && local == 0 {
                break;
            }
            assert!(
                rows.iter()
                    .all(|(state, _)| state != "failed" && state != "needs_human"),
                "a send did not go through: {rows:?} (state, published)"
            );
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "sends did not settle: {rows:?} (state, published), {local} placeholder wamids"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    let head = relay.state().store().head().unwrap();
    let started = Instant::now();
    for desktop in &desktops {
        loop {
            let cursor = Store::open_in_dir(&desktop.dir)
                .unwrap()
                .sync_cursor(&url)
                .unwrap();
            if cursor >= head {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "a desktop did not catch up ({cursor} of {head})"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let stores: Vec<Store> = desktops
        .iter()
        .map(|d| Store::open_in_dir(&d.dir).unwrap())
        .collect();
    let snapshots: Vec<_> = stores.iter().map(|s| s.team_snapshot().unwrap()).collect();
    assert_eq!(snapshots[0], snapshots[1], "the two desktops diverged");
    let messages: Vec<Vec<String>> = stores
        .iter()
        .map(|s| {
            s.with_connection(|c| {
                let mut st =
                    c.prepare("SELECT wamid || ':' || body FROM messages ORDER BY wamid")?;
                let rows = st.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })
            .unwrap()
        })
        .collect();
    assert_eq!(
        messages[0], messages[1],
        "the two desktops hold other messages"
    );

    // Every reply reached WhatsApp exactly once, and each desktop shows
    // each of them once: its own from its outbox, the colleague's from the
    // relay.
    let mut expected_at_meta: BTreeMap<String, usize> = BTreeMap::new();
    for body in sent_a.iter().chain(&sent_b) {
        *expected_at_meta.entry(body.clone()).or_default() += 1;
    }
    let mut at_meta: BTreeMap<String, usize> = BTreeMap::new();
    for request in sim.sent() {
        if let Some(body) = request.json()["text"]["body"].as_str() {
            *at_meta.entry(body.to_owned()).or_default() += 1;
        }
    }
    assert_eq!(at_meta, expected_at_meta, "Meta received other replies");
    let sends = (sent_a.len() + sent_b.len()) as i64;
    for (store, own) in stores.iter().zip([sent_a.len(), sent_b.len()]) {
        assert_eq!(
            count(
                store,
                "SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"
            ),
            sends,
            "a desktop shows another number of replies"
        );
        assert_eq!(
            count(store, "SELECT COUNT(*) FROM outbox"),
            own as i64,
            "a desktop queued another number of replies"
        );
    }

    // And the state is the one the log's order implies: the last
    // assignment of each customer wins.
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let page: EventPage = http
        .get(format!("{url}/v1/events?after=0&limit=5000"))
        .bearer_auth(&token_a)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut last: BTreeMap<String, Option<String>> = BTreeMap::new();
    for e in page.events.iter().filter(|e| e.kind == EventKind::Agent) {
        if e.payload["type"] == "assign" {
            last.insert(
                e.payload["customer"].as_str().unwrap().to_owned(),
                e.payload["assignee"].as_str().map(str::to_owned),
            );
        }
    }
    let expected: Vec<_> = last
        .into_iter()
        .map(|(c, a)| (c, pnid.clone(), a))
        .collect();
    assert_eq!(snapshots[0].assignments, expected);

    // The status in force is the last one set, unless the customer wrote
    // after it was resolved or snoozed (every snooze here outlasts the
    // test): then it is open.
    let mut status: BTreeMap<String, &str> = BTreeMap::new();
    for e in &page.events {
        match e.kind {
            EventKind::Agent if e.payload["type"] == "status" => {
                status.insert(
                    e.payload["customer"].as_str().unwrap().to_owned(),
                    match e.payload["status"].as_str().unwrap() {
                        "open" => "open",
                        "pending" => "pending",
                        "snoozed" => "snoozed",
                        _ => "resolved",
                    },
                );
            }
            EventKind::Webhook => {
                for change in e.payload["entry"][0]["changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    for m in change["value"]["messages"].as_array().into_iter().flatten() {
                        let from = format!("+{}", m["from"].as_str().unwrap());
                        if let Some(s) = status.get_mut(&from)
                            && (*s == "resolved" || *s == "snoozed")
                        {
                            *s = "open";
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (customer, expected) in status {
        let got = stores[0]
            .status_of(&ConversationKey {
                customer: customer.clone(),
                phone_number_id: pnid.clone(),
            })
            .unwrap()
            .map(|c| c.status.as_str());
        assert_eq!(got, Some(expected), "status of {customer}");
    }

    for desktop in desktops {
        desktop.outbox.shutdown().await;
        desktop.engine.shutdown().await;
    }
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 6,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn two_desktops_acting_at_once_converge(
        ops_a in proptest::collection::vec(op(), 5..30),
        ops_b in proptest::collection::vec(op(), 5..30),
    ) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(converge(ops_a, ops_b));
    }
}

#[tokio::test]
async fn notes_labels_and_canned_responses_read_back_for_a_conversation() {
    // One desktop, one agent: what the window reads after acting.
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let pnid = sim.config().phone_number_id.clone();
    let store_dir = dir.path().join("desktop");
    let engine = sync::spawn(
        Arc::new(Mutex::new(Store::open_in_dir(&store_dir).unwrap())),
        SyncConfig::new(relay.url(), token.clone()),
    );
    let publisher = RelayClient::new(&relay.url(), Secret::new(token)).unwrap();
    sim.inbound_delivered(Inbound::text(customer(0), "Hello"))
        .await
        .unwrap();
    let k = key(0, &pnid);
    for (i, a) in [
        TeamAction::Assign {
            conversation: k.clone(),
            assignee: Some("ana".into()),
        },
        TeamAction::Note {
            id: "n1".into(),
            conversation: k.clone(),
            body: "Called her back".into(),
        },
        TeamAction::Label {
            conversation: k.clone(),
            label: "vip".into(),
            on: true,
        },
        TeamAction::Label {
            conversation: k.clone(),
            label: "refund".into(),
            on: true,
        },
        TeamAction::Label {
            conversation: k.clone(),
            label: "refund".into(),
            on: false,
        },
        TeamAction::Canned {
            id: "c1".into(),
            title: "Opening hours".into(),
            body: "9 to 6".into(),
        },
    ]
    .iter()
    .enumerate()
    {
        a.publish(&publisher, &format!("k{i}")).await.unwrap();
    }
    // A label that is too long is refused before it is published.
    let long = TeamAction::Label {
        conversation: k.clone(),
        label: "x".repeat(51),
        on: true,
    };
    assert!(long.publish(&publisher, "k-long").await.is_err());

    let started = Instant::now();
    let store = loop {
        let store = Store::open_in_dir(&store_dir).unwrap();
        if store.canned_responses().unwrap().len() == 1 {
            break store;
        }
        assert!(started.elapsed() < Duration::from_secs(20));
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let conv = store.list_conversations(10).unwrap()[0].id;
    assert_eq!(store.conversation_key(conv).unwrap(), k);
    assert_eq!(
        store.assignment(&k).unwrap().unwrap().assignee.as_deref(),
        Some("ana")
    );
    let notes = store.notes(&k).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].author.as_deref(), Some("ana"));
    assert_eq!(store.labels(&k).unwrap(), vec!["vip".to_owned()]);
    // The label filter's list names the local conversation.
    assert_eq!(
        hourglass_core::team::labelled(&store).unwrap(),
        vec![(conv, "vip".to_owned())]
    );
    assert_eq!(store.canned_responses().unwrap()[0].body, "9 to 6");
    engine.shutdown().await;
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}
