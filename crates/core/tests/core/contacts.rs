//! The contact panel on real stores: custom fields defined, filled and
//! checked, converging between two desktops through a real relay; the
//! team's name for a customer; marketing consent from an agent's opt-in,
//! the `user_preferences` webhook and a send failed with 131050; blocking
//! and unblocking through the simulator's Block Users API.

#![allow(clippy::unwrap_used)]

use crate::support::lab;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::contacts::{self, ConsentOrigin, ContactAction, ContactFieldKind};
use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::ConversationId;
use hourglass_core::outbox::{self, OutboxConfig};
use hourglass_core::problem::ErrorCode;
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, SharedStore, SyncConfig, SyncHandle, SyncUpdate};
use hourglass_core::team::ConversationKey;
use hourglass_protocol::team::FieldKind;
use hourglass_relay::RunningRelay;
use hourglass_sim::{Inbound, MarketingPreference, PreferenceChange, SimHandle};

const SECRET: &str = "contacts-secret";
const CUSTOMER: &str = "+34615550201";

struct Desktop {
    dir: PathBuf,
    store: SharedStore,
    engine: SyncHandle,
    publisher: RelayClient,
}

struct Lab {
    _dir: tempfile::TempDir,
    relay: RunningRelay,
    sim: SimHandle,
    desktops: Vec<Desktop>,
}

/// A relay, the simulator and `n` desktops syncing from it (agents "ana"
/// and "ben").
async fn lab(n: usize) -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token_a) = lab::start_relay(dir.path(), SECRET).await;
    let token_b = hourglass_relay::agent::add(relay.state().store().as_ref(), "ben")
        .unwrap()
        .expose()
        .to_owned();
    let sim = lab::start_sim(&relay, SECRET).await;
    let url = relay.url();
    let desktops = [token_a, token_b]
        .into_iter()
        .take(n)
        .enumerate()
        .map(|(i, token)| {
            let store_dir = dir.path().join(format!("desktop-{i}"));
            let store: SharedStore = Arc::new(Mutex::new(Store::open_in_dir(&store_dir).unwrap()));
            let mut config = SyncConfig::new(url.clone(), token.clone());
            config.backoff.initial = Duration::from_millis(20);
            Desktop {
                dir: store_dir,
                engine: sync::spawn(Arc::clone(&store), config),
                store,
                publisher: RelayClient::new(&url, Secret::new(token)).unwrap(),
            }
        })
        .collect();
    Lab {
        _dir: dir,
        relay,
        sim,
        desktops,
    }
}

impl Lab {
    /// Waits until every desktop applied the relay's whole log.
    async fn settle(&self) {
        let head = self.relay.state().store().head().unwrap();
        let url = self.relay.url();
        let started = Instant::now();
        for d in &self.desktops {
            while d.store.lock().unwrap().sync_cursor(&url).unwrap() < head {
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "a desktop did not catch up"
                );
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
    }

    /// The customer writes; returns their conversation on every desktop.
    async fn customer_writes(&self, text: &str) -> Vec<ConversationId> {
        self.sim
            .inbound_delivered(Inbound::text(CUSTOMER, text).named("Lucía"))
            .await
            .unwrap();
        self.settle().await;
        self.desktops
            .iter()
            .map(|d| {
                d.store
                    .lock()
                    .unwrap()
                    .list_conversations(10)
                    .unwrap()
                    .into_iter()
                    .find(|c| c.contact.phone.as_deref() == Some(CUSTOMER))
                    .unwrap()
                    .id
            })
            .collect()
    }

    fn store(&self, i: usize) -> std::sync::MutexGuard<'_, Store> {
        self.desktops[i].store.lock().unwrap()
    }

    /// Checks `action` on desktop `i` and publishes it from there.
    async fn act(&self, i: usize, key: &str, action: ContactAction) {
        action.check(&self.store(i)).unwrap();
        contacts::publish_at(&action, &self.desktops[i].publisher, key)
            .await
            .unwrap();
    }

    fn reason(&self, i: usize, action: &ContactAction) -> String {
        action.check(&self.store(i)).unwrap_err().to_string()
    }
}

fn field(id: &str, label: &str, kind: FieldKind, options: &[&str]) -> ContactAction {
    ContactAction::DefineField {
        id: id.into(),
        label: label.into(),
        kind,
        options: options.iter().map(|o| (*o).to_owned()).collect(),
    }
}

fn value(field: &str, v: Option<&str>) -> ContactAction {
    ContactAction::Value {
        customer: CUSTOMER.into(),
        field: field.into(),
        value: v.map(str::to_owned),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_fields_are_defined_checked_filled_and_converge() {
    let lab = lab(2).await;
    let ids = lab.customer_writes("hola").await;

    lab.act(
        0,
        "f-plan",
        field("plan", "Plan", FieldKind::Choice, &["basic", "pro"]),
    )
    .await;
    lab.act(
        0,
        "f-order",
        field("order", "Order number", FieldKind::Number, &[]),
    )
    .await;
    lab.act(0, "f-bday", field("bday", "Birthday", FieldKind::Date, &[]))
        .await;
    lab.act(0, "f-note", field("note", "Note", FieldKind::Text, &[]))
        .await;
    lab.settle().await;

    // Both desktops know the fields; each checks values by kind.
    let fields = lab.store(1).contact_fields().unwrap();
    let labels: Vec<&str> = fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Plan", "Order number", "Birthday", "Note"]);
    assert_eq!(fields[1].variable, "order_number");
    assert_eq!(fields[0].kind, ContactFieldKind::Choice);
    assert!(
        lab.reason(1, &value("order", Some("twelve")))
            .contains("not a number")
    );
    assert!(
        lab.reason(1, &value("order", Some("inf")))
            .contains("not a number")
    );
    assert!(
        lab.reason(1, &value("bday", Some("1990-02-30")))
            .contains("not a date")
    );
    assert!(
        lab.reason(1, &value("plan", Some("gold")))
            .contains("basic, pro")
    );
    assert!(
        lab.reason(1, &value("nope", Some("x")))
            .contains("no longer exists")
    );
    let long = "x".repeat(contacts::MAX_VALUE + 1);
    assert!(lab.reason(1, &value("note", Some(&long))).contains("500"));
    // A field's name is unique (as a template variable); a choice needs options.
    assert!(
        lab.reason(1, &field("other", "Order-number", FieldKind::Text, &[]))
            .contains("already a field")
    );
    assert!(
        lab.reason(1, &field("c", "Tier", FieldKind::Choice, &[]))
            .contains("options")
    );
    assert!(
        lab.reason(1, &field("c", "Tier", FieldKind::Choice, &["a", "a"]))
            .contains("twice")
    );

    // Both agents fill values at once; the name is set on the other desktop.
    let mut updates = lab.desktops[0].engine.subscribe();
    let (a, b) = tokio::join!(
        async {
            lab.act(0, "v-plan-a", value("plan", Some("basic"))).await;
            lab.act(0, "v-order", value("order", Some("1042"))).await;
            lab.act(0, "v-bday", value("bday", Some("1990-02-28")))
                .await;
        },
        async {
            lab.act(1, "v-plan-b", value("plan", Some("pro"))).await;
            lab.act(
                1,
                "name",
                ContactAction::Name {
                    customer: CUSTOMER.into(),
                    name: Some("Lucía (Madrid)".into()),
                },
            )
            .await;
        }
    );
    let ((), ()) = (a, b);
    lab.settle().await;

    let cards: Vec<_> = (0..2)
        .map(|i| lab.store(i).contact_panel(ids[i]).unwrap())
        .collect();
    let values = |i: usize| -> Vec<(String, Option<String>)> {
        cards[i]
            .fields
            .iter()
            .map(|f| (f.field.id.clone(), f.value.clone()))
            .collect()
    };
    assert_eq!(values(0), values(1), "the desktops diverged");
    let plan = values(0)[0].1.clone().unwrap();
    assert!(plan == "basic" || plan == "pro", "{plan}");
    assert_eq!(values(0)[1].1.as_deref(), Some("1042"));
    assert_eq!(values(0)[2].1.as_deref(), Some("1990-02-28"));
    assert_eq!(values(0)[3].1, None);
    // The first desktop's list hears of the new name with the sync update.
    let mut renamed = false;
    while let Ok(update) = updates.try_recv() {
        if let SyncUpdate::Inbox(change) = update {
            renamed |= change
                .conversations
                .iter()
                .any(|c| c.id == ids[0] && c.display_name == "Lucía (Madrid)");
        }
    }
    assert!(renamed, "no sync update carried the renamed conversation");
    for (i, card) in cards.iter().enumerate() {
        assert_eq!(card.team_name.as_deref(), Some("Lucía (Madrid)"));
        assert_eq!(card.profile_name.as_deref(), Some("Lucía"));
        assert_eq!(card.phone.as_deref(), Some(CUSTOMER));
        // The list and header use the team's name.
        let listed = lab.store(i).conversation(ids[i]).unwrap();
        assert_eq!(listed.display_name, "Lucía (Madrid)");
    }

    // Renaming keeps the values; clearing and removing converge too.
    lab.act(
        1,
        "rename",
        field("order", "Order no", FieldKind::Number, &[]),
    )
    .await;
    lab.act(0, "clear", value("bday", None)).await;
    lab.act(
        1,
        "remove",
        ContactAction::RemoveField { id: "plan".into() },
    )
    .await;
    lab.act(
        0,
        "unname",
        ContactAction::Name {
            customer: CUSTOMER.into(),
            name: None,
        },
    )
    .await;
    lab.settle().await;
    for (i, id) in ids.iter().enumerate() {
        let card = lab.store(i).contact_panel(*id).unwrap();
        let shown: Vec<(&str, Option<&str>)> = card
            .fields
            .iter()
            .map(|f| (f.field.label.as_str(), f.value.as_deref()))
            .collect();
        assert_eq!(
            shown,
            [
                ("Order no", Some("1042")),
                ("Birthday", None),
                ("Note", None)
            ]
        );
        assert_eq!(card.team_name, None);
        let listed = lab.store(i).conversation(*id).unwrap();
        assert_eq!(listed.display_name, "Lucía");
    }
    // Nothing the sync could not read was set aside.
    for d in &lab.desktops {
        let flagged: i64 = Store::open_in_dir(&d.dir)
            .unwrap()
            .with_connection(|c| {
                Ok(c.query_row("SELECT COUNT(*) FROM flagged_events", [], |r| r.get(0))?)
            })
            .unwrap();
        assert_eq!(flagged, 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_comes_from_an_opt_in_user_preferences_and_131050() {
    let lab = lab(1).await;
    let id = lab.customer_writes("hi").await[0];
    assert_eq!(
        lab.store(0).contact_panel(id).unwrap().consent.opted_in,
        None
    );
    assert!(
        lab.reason(
            0,
            &ContactAction::OptIn {
                customer: CUSTOMER.into(),
                source: "  ".into()
            }
        )
        .contains("where the customer agreed")
    );

    // The customer stops marketing messages in WhatsApp.
    let earlier = chrono::Utc::now().timestamp() - 20;
    let preference = |at: i64, user_preference| PreferenceChange {
        from: CUSTOMER.into(),
        name: None,
        timestamp: Some(at),
        user_preference,
    };
    let receipt = lab
        .sim
        .preference_delivered(preference(earlier, MarketingPreference::Stop))
        .await
        .unwrap();
    assert_eq!(receipt.delivered, Some(true));
    lab.settle().await;
    let consent = lab.store(0).contact_panel(id).unwrap().consent;
    assert_eq!(consent.opted_in, Some(false));
    assert_eq!(consent.changes[0].origin, ConsentOrigin::UserPreferences);
    assert_eq!(consent.changes[0].at_ms, earlier * 1000);

    // The agent records an opt-in: the newest change wins.
    lab.act(
        0,
        "opt-in",
        ContactAction::OptIn {
            customer: CUSTOMER.into(),
            source: "Web form".into(),
        },
    )
    .await;
    lab.settle().await;
    let consent = lab.store(0).contact_panel(id).unwrap().consent;
    assert_eq!(consent.opted_in, Some(true));
    assert!(matches!(
        &consent.changes[0].origin,
        ConsentOrigin::Agent { agent: Some(a), source } if a == "ana" && source == "Web form"
    ));
    assert!(consent.changes[0].at_ms > earlier * 1000);
    assert_eq!(consent.changes.len(), 2);

    // They resume in WhatsApp; then a send fails with 131050.
    lab.sim
        .preference_delivered(preference(earlier + 10, MarketingPreference::Resume))
        .await
        .unwrap();
    lab.settle().await;
    let consent = lab.store(0).contact_panel(id).unwrap().consent;
    assert_eq!(consent.opted_in, Some(true));
    assert!(
        consent
            .changes
            .iter()
            .any(|c| c.origin == ConsentOrigin::UserPreferences && c.opted_in)
    );
    let opted_out = |store: &Store| -> bool {
        store
            .with_connection(|c| {
                Ok(c.query_row(
                    "SELECT marketing_opt_out FROM contacts WHERE phone_e164 = ?1",
                    [CUSTOMER],
                    |r| r.get(0),
                )?)
            })
            .unwrap()
    };
    assert!(!opted_out(&lab.store(0)));

    let config = lab.sim.config();
    let mut graph = GraphConfig::new(&config.phone_number_id, &config.waba_id)
        .with_base_url(lab.sim.graph_base_url());
    graph.request_timeout = Duration::from_secs(2);
    let graph = GraphClient::new(graph, Secret::new(config.access_token.clone())).unwrap();
    lab.sim.inject_faults(131_050, 1);
    let store = Arc::clone(&lab.desktops[0].store);
    let worker = outbox::spawn(
        Arc::clone(&store),
        graph,
        lab.desktops[0].publisher.clone(),
        OutboxConfig {
            poll: Duration::from_millis(20),
            ..OutboxConfig::default()
        },
    );
    outbox::enqueue_text(
        &mut store.lock().unwrap(),
        id,
        "Our spring sale",
        None,
        chrono::Utc::now().timestamp_millis(),
    )
    .unwrap();
    worker.wake();
    let started = Instant::now();
    while !opted_out(&lab.store(0)) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the 131050 failure was not recorded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let consent = lab.store(0).contact_panel(id).unwrap().consent;
    assert_eq!(consent.opted_in, Some(false));
    assert_eq!(consent.changes[0].origin, ConsentOrigin::Error131050);
    assert_eq!(consent.changes.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_goes_through_the_block_users_api_and_the_team() {
    let lab = lab(2).await;
    let ids = lab.customer_writes("spam").await;
    let config = lab.sim.config();
    let graph = GraphClient::new(
        GraphConfig::new(&config.phone_number_id, &config.waba_id)
            .with_base_url(lab.sim.graph_base_url()),
        Secret::new(config.access_token.clone()),
    )
    .unwrap();
    let key = ConversationKey {
        customer: CUSTOMER.into(),
        phone_number_id: config.phone_number_id.clone(),
    };

    // Only a customer who wrote in the last 24 hours can be blocked.
    let err = graph.block_user("+34615550299", true).await.unwrap_err();
    assert!(err.to_string().contains("24 hours"), "{err}");
    assert!(lab.sim.blocked().is_empty());

    graph.block_user(CUSTOMER, true).await.unwrap();
    assert_eq!(lab.sim.blocked(), ["34615550201"]);
    let last = lab.sim.sent().pop().unwrap();
    assert_eq!(last.method, "POST");
    assert!(last.path.ends_with("/block_users"));
    lab.act(
        0,
        "block",
        ContactAction::Block {
            conversation: key.clone(),
            blocked: true,
        },
    )
    .await;
    lab.settle().await;
    for (i, id) in ids.iter().enumerate() {
        let block = lab.store(i).contact_panel(*id).unwrap().block.unwrap();
        assert!(block.blocked);
        assert_eq!(block.by_agent.as_deref(), Some("ana"));
    }
    // A blocked customer's messages do not reach the business.
    let refused = lab
        .sim
        .inbound_delivered(Inbound::text(CUSTOMER, "let me in"))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "sim_blocked");
    // Nor do the business's: a send to a blocked customer is refused before
    // anything is queued, on every desktop.
    for (i, id) in ids.iter().enumerate() {
        let sent_before = lab.sim.sent().len();
        let now_ms = chrono::Utc::now().timestamp_millis();
        let err = outbox::enqueue_text(&mut lab.store(i), *id, "hello?", None, now_ms).unwrap_err();
        assert_eq!(err.code(), ErrorCode::CustomerBlocked, "{err}");
        assert_eq!(lab.sim.sent().len(), sent_before);
    }

    graph.block_user(CUSTOMER, false).await.unwrap();
    assert!(lab.sim.blocked().is_empty());
    assert_eq!(lab.sim.sent().pop().unwrap().method, "DELETE");
    lab.act(
        1,
        "unblock",
        ContactAction::Block {
            conversation: key,
            blocked: false,
        },
    )
    .await;
    lab.settle().await;
    let block = lab.store(0).contact_panel(ids[0]).unwrap().block.unwrap();
    assert!(!block.blocked);
    assert_eq!(block.by_agent.as_deref(), Some("ben"));
    lab.sim
        .inbound_delivered(Inbound::text(CUSTOMER, "thanks"))
        .await
        .unwrap();
    // Unblocked, the customer can be answered again.
    let now_ms = chrono::Utc::now().timestamp_millis();
    outbox::enqueue_text(&mut lab.store(0), ids[0], "welcome back", None, now_ms).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn history_lists_every_conversation_and_span_newest_first() {
    let lab = lab(1).await;
    let day = 24 * 60 * 60;
    let now = chrono::Utc::now().timestamp();
    for (text, at) in [
        ("march", now - 40 * day),
        ("march again", now - 40 * day + 60),
        ("today", now),
    ] {
        let mut m = Inbound::text(CUSTOMER, text);
        m.timestamp = Some(at);
        lab.sim.inbound_delivered(m).await.unwrap();
    }
    lab.settle().await;
    let id = lab.store(0).list_conversations(10).unwrap()[0].id;
    let history = lab.store(0).contact_panel(id).unwrap().history;
    let spans: Vec<(i64, u32)> = history.iter().map(|s| (s.started_at, s.messages)).collect();
    assert_eq!(spans, [(now, 1), (now - 40 * day, 2)]);
    assert!(history.iter().all(|s| s.conversation_id == id));
}
