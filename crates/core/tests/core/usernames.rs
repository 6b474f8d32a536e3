//! Customers known by username and business-scoped user id (BSUID), through
//! the sync into real store files and the outbox against the real Cloud API
//! simulator: a username-only customer has a conversation named after them,
//! replies go out with `recipient`, 131062 is explained, a changed user id
//! and a number that arrives later keep one conversation, in any order and
//! on replay, on two desktops alike.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::{ConversationId, MessageContent};
use hourglass_core::outbox::{self, OutboxState};
use hourglass_core::secrets::Secret;
use hourglass_core::store::{NewContact, NewMessage, Store};
use hourglass_core::sync::apply_events;
use hourglass_core::team::ConversationKey;
use hourglass_core::templates::{self, TemplateKey};
use hourglass_protocol::{Event, EventKind};
use hourglass_sim::Inbound;
use hourglass_whatsapp::graph_error::Refusal;
use serde_json::{Value, json};

use crate::outbox::{Harness, fast, now_ms, wait_until};

const RELAY: &str = "http://relay";
const JAMIE: &str = "US.13491208655302741918";
const JAMIE_NEW: &str = "US.20000000000000000002";
const PHONE: &str = "447400123456";

fn webhook(seq: u64, value: Value) -> Event {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({"display_phone_number": "15550783881", "phone_number_id": "pn"});
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: None,
        payload: json!({
            "object": "whatsapp_business_account",
            "entry": [{"id": "waba", "changes": [{"field": "messages", "value": value}]}]
        }),
    }
}

/// A text from a customer named by user id, and by number when `phone` is
/// given; the `contacts[]` entry as Meta writes it.
fn text(seq: u64, user_id: &str, phone: Option<&str>, body: &str) -> Event {
    let mut contact =
        json!({"profile": {"name": "", "username": "jamie.rivers"}, "user_id": user_id});
    let mut message = json!({"from_user_id": user_id, "id": format!("wamid.{seq}"),
                             "timestamp": (1_750_000_000 + seq).to_string(),
                             "type": "text", "text": {"body": body}});
    if let Some(p) = phone {
        contact["wa_id"] = json!(p);
        message["from"] = json!(p);
    }
    webhook(seq, json!({"contacts": [contact], "messages": [message]}))
}

/// Meta's `user_changed_user_id` system message (no `contacts[]`).
fn user_id_changed(seq: u64, previous: &str, new: &str) -> Event {
    webhook(
        seq,
        json!({"messages": [{"from_user_id": previous, "id": format!("wamid.sys{seq}"),
            "timestamp": (1_750_000_000 + seq).to_string(), "type": "system",
            "system": {"body": "User jamie.rivers changed their user ID", "type": "user_changed_user_id",
                       "user_id": new, "previous_user_id": previous}}]}),
    )
}

fn assign(seq: u64, customer: &str, assignee: &str) -> Event {
    Event {
        seq,
        kind: EventKind::Agent,
        dedupe_key: format!("a{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: Some("maria".into()),
        payload: json!({"type": "assign", "customer": customer, "phone_number_id": "pn",
                        "assignee": assignee}),
    }
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

/// The one conversation in the store, with every message body in it.
fn only_conversation(store: &Store) -> (ConversationId, Vec<String>) {
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "one conversation: {list:#?}");
    let bodies = store
        .list_messages(list[0].id, 50)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect();
    (list[0].id, bodies)
}

fn assignee(store: &Store, conv: ConversationId) -> Option<String> {
    let key = store.conversation_key(conv).unwrap();
    store.assignment(&key).unwrap().and_then(|a| a.assignee)
}

#[test]
fn a_username_only_customer_has_a_conversation_named_after_them() {
    let (_d, mut store) = open();
    apply_events(
        &mut store,
        RELAY,
        &[text(1, JAMIE, None, "Is the jacket in stock?")],
    )
    .unwrap();
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(c.display_name, "@jamie.rivers", "never an empty name");
    assert_eq!(c.contact.phone, None);
    assert_eq!(c.contact.user_id.as_deref(), Some(JAMIE));
    assert_eq!(c.contact.username.as_deref(), Some("jamie.rivers"));
    assert_eq!(c.last_preview, "Is the jacket in stock?");
    assert_eq!(c.unread_count, 1);
    assert_eq!(
        store.conversation_key(c.id).unwrap(),
        ConversationKey {
            customer: JAMIE.to_owned(),
            phone_number_id: "pn".to_owned()
        }
    );
}

#[test]
fn a_number_arriving_later_joins_the_same_conversation_and_keeps_the_assignment() {
    let events = [
        text(1, JAMIE, None, "Hi, username only"),
        assign(2, JAMIE, "maria"),
        text(3, JAMIE, Some(PHONE), "Now with my number"),
        // A colleague who had not seen the number yet assigns by user id.
        assign(4, JAMIE, "tom"),
    ];
    let (_d, mut store) = open();
    apply_events(&mut store, RELAY, &events[..2]).unwrap();
    let (conv, _) = only_conversation(&store);
    assert_eq!(assignee(&store, conv).as_deref(), Some("maria"));
    apply_events(&mut store, RELAY, &events[2..3]).unwrap();
    let (after, bodies) = only_conversation(&store);
    assert_eq!(after, conv, "no second conversation");
    assert_eq!(bodies, ["Hi, username only", "Now with my number"]);
    let c = store.conversation(conv).unwrap();
    assert_eq!(c.contact.phone.as_deref(), Some("+447400123456"));
    assert_eq!(c.contact.user_id.as_deref(), Some(JAMIE));
    // The team's rows moved to the customer's new key…
    assert_eq!(
        store.conversation_key(conv).unwrap().customer,
        "+447400123456"
    );
    assert_eq!(assignee(&store, conv).as_deref(), Some("maria"));
    // …and an event still naming the user id is theirs.
    apply_events(&mut store, RELAY, &events[3..]).unwrap();
    assert_eq!(assignee(&store, conv).as_deref(), Some("tom"));

    // Replayed whole (a crash before the cursor moved): nothing changes.
    apply_events(&mut store, RELAY, &events).unwrap();
    let (again, bodies) = only_conversation(&store);
    assert_eq!((again, bodies.len()), (conv, 2));
    assert_eq!(assignee(&store, conv).as_deref(), Some("tom"));
}

#[test]
fn a_known_number_later_writing_by_user_id_only_stays_one_conversation() {
    let (_d, mut store) = open();
    let events = [
        text(1, JAMIE, Some(PHONE), "With my number"),
        text(2, JAMIE, None, "Now I hide it"),
    ];
    apply_events(&mut store, RELAY, &events).unwrap();
    let (conv, bodies) = only_conversation(&store);
    assert_eq!(bodies, ["With my number", "Now I hide it"]);
    let c = store.conversation(conv).unwrap();
    assert_eq!(c.contact.phone.as_deref(), Some("+447400123456"));
    apply_events(&mut store, RELAY, &events).unwrap();
    assert_eq!(only_conversation(&store).1.len(), 2);
}

#[test]
fn a_changed_user_id_keeps_the_conversation_in_any_order_on_two_desktops() {
    let events = [
        text(1, JAMIE, None, "Before the change"),
        assign(2, JAMIE, "maria"),
        user_id_changed(3, JAMIE, JAMIE_NEW),
        text(4, JAMIE_NEW, None, "After the change"),
        // A message under the old id delivered late.
        text(5, JAMIE, None, "Late, under the old id"),
    ];
    let (_d, mut store) = open();
    apply_events(&mut store, RELAY, &events).unwrap();
    let (conv, bodies) = only_conversation(&store);
    assert_eq!(
        bodies,
        [
            "Before the change",
            "User jamie.rivers changed their user ID",
            "After the change",
            "Late, under the old id"
        ]
    );
    let messages = store.list_messages(conv, 10).unwrap();
    assert!(
        matches!(&messages[1].content, MessageContent::System { body } if body.contains("user ID")),
        "the change is a line of the timeline: {:?}",
        messages[1].content
    );
    let c = store.conversation(conv).unwrap();
    assert_eq!(c.contact.user_id.as_deref(), Some(JAMIE_NEW));
    assert_eq!(c.display_name, "@jamie.rivers");
    assert_eq!(store.conversation_key(conv).unwrap().customer, JAMIE_NEW);
    assert_eq!(
        assignee(&store, conv).as_deref(),
        Some("maria"),
        "the assignment followed"
    );

    // The new id wrote before Meta's system message arrived: still one.
    let (_d2, mut other) = open();
    let reordered = [
        events[0].clone(),
        events[1].clone(),
        text(3, JAMIE_NEW, None, "After the change"),
        user_id_changed(4, JAMIE, JAMIE_NEW),
        events[4].clone(),
    ];
    apply_events(&mut other, RELAY, &reordered[..3]).unwrap();
    let two: Vec<ConversationId> = other
        .list_conversations(10)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(two.len(), 2, "seen apart until Meta says they are one");
    let merged = apply_events(&mut other, RELAY, &reordered[3..]).unwrap();
    let (kept, bodies) = only_conversation(&other);
    assert_eq!(bodies.len(), 4, "{bodies:?}");
    // The window is told which row went away; the one kept is changed.
    let gone: Vec<ConversationId> = two.iter().copied().filter(|c| *c != kept).collect();
    assert_eq!(
        merged
            .removed_conversations
            .iter()
            .copied()
            .collect::<Vec<_>>(),
        gone
    );
    assert!(merged.conversations.contains(&kept));

    // Two desktops replaying the same log (twice, in batches of any size)
    // converge on the same inbox.
    let (_d3, mut third) = open();
    for e in &events {
        apply_events(&mut third, RELAY, std::slice::from_ref(e)).unwrap();
    }
    apply_events(&mut third, RELAY, &events).unwrap();
    let summary = |s: &Store| {
        let c = s.list_conversations(10).unwrap();
        let (conv, bodies) = only_conversation(s);
        (
            c[0].display_name.clone(),
            c[0].contact.user_id.clone(),
            bodies,
            assignee(s, conv),
        )
    };
    assert_eq!(summary(&third), summary(&store));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reply_to_a_username_only_customer_goes_out_with_recipient() {
    let h = Harness::start().await;
    let sync = h.sync();
    let mut inbound = Inbound::text("", "Hi! Is the blue jacket in size M?");
    inbound.username = Some("jamie.rivers".into());
    let receipt = h.sim.inbound_delivered(inbound).await.unwrap();
    let store = Arc::clone(&h.store);
    wait_until("the customer's message in the store", || {
        store
            .lock()
            .unwrap()
            .message_by_wamid(&receipt.id)
            .unwrap()
            .is_some()
    })
    .await;
    let list = h.store.lock().unwrap().list_conversations(10).unwrap();
    assert_eq!(list[0].display_name, "@jamie.rivers");
    assert_eq!(list[0].contact.phone, None);
    assert_eq!(
        list[0].contact.user_id.as_deref(),
        Some(receipt.user_id.as_str())
    );
    let conv = list[0].id;

    let worker = h.worker(fast());
    let queued = outbox::enqueue_text(
        &mut h.store.lock().unwrap(),
        conv,
        "Yes, we have it",
        None,
        now_ms(),
    )
    .unwrap();
    worker.wake();
    let mid = queued.message.id;
    wait_until("the reply read", || {
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
    let sent = h.sim.sent();
    let body = sent
        .iter()
        .map(|s| s.json())
        .find(|b| b["text"]["body"] == "Yes, we have it")
        .unwrap();
    assert_eq!(body["recipient"], receipt.user_id.as_str());
    assert!(body.get("to").is_none(), "no number to send to: {body}");

    // A template and a photo go the same way.
    let config = GraphConfig::new(&h.sim.config().phone_number_id, &h.sim.config().waba_id)
        .with_base_url(h.sim.graph_base_url());
    let graph = GraphClient::new(config, Secret::new(h.sim.config().access_token.clone())).unwrap();
    templates::sync(&h.store, &graph, now_ms()).await.unwrap();
    let key = TemplateKey {
        name: "hello_world".to_owned(),
        language: "en_US".to_owned(),
    };
    let template =
        outbox::enqueue_template(&mut h.store.lock().unwrap(), conv, &key, &[], now_ms()).unwrap();
    let photo = {
        let img = image::RgbImage::from_fn(16, 16, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    let media = {
        let mut store = h.store.lock().unwrap();
        let staged = outbox::stage(&store, &photo).unwrap();
        outbox::enqueue_media(
            &mut store,
            conv,
            &staged.token,
            "jacket.png",
            None,
            now_ms(),
        )
        .unwrap()
    };
    worker.wake();
    for (what, id) in [
        ("template", &template.outbox_id),
        ("photo", &media.outbox_id),
    ] {
        wait_until(what, || crate::outbox::row(&store, id).0 == "accepted").await;
    }
    let bodies: Vec<Value> = h
        .sim
        .sent()
        .iter()
        .map(|s| s.json())
        .filter(|b| b["type"] == "template" || b["type"] == "image")
        .collect();
    assert_eq!(bodies.len(), 2, "{bodies:#?}");
    for b in &bodies {
        assert_eq!(b["recipient"], receipt.user_id.as_str(), "{b}");
        assert!(b.get("to").is_none(), "{b}");
    }
    // Still one conversation once the outbound record came back.
    let list = h.store.lock().unwrap().list_conversations(10).unwrap();
    assert_eq!(list.len(), 1);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_send_to_a_user_id_meta_does_not_know_fails_with_131062_explained() {
    let h = Harness::start().await;
    let now = now_ms() / 1000;
    let conv = h
        .store
        .lock()
        .unwrap()
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                user_id: Some("US.404".into()),
                username: Some("gone.away".into()),
                ..NewContact::default()
            })?;
            let conv = w.conversation_for(contact, &h.sim.config().phone_number_id)?;
            w.insert_message(&NewMessage {
                wamid: "wamid.gone".into(),
                conversation_id: conv,
                direction: hourglass_core::inbox::Direction::Inbound,
                kind: "text".into(),
                body: "hi".into(),
                payload: None,
                sent_at: now,
                status: None,
                reply_to_wamid: None,
            })?;
            Ok(conv)
        })
        .unwrap();
    let queued =
        outbox::enqueue_text(&mut h.store.lock().unwrap(), conv, "Hello?", None, now_ms()).unwrap();
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
    let failure = m.failure.unwrap();
    assert_eq!(failure.code, Some(131062));
    assert_eq!(failure.refusal, Some(Refusal::UserIdUnknown));
    let info = m.outbox.unwrap();
    assert_eq!(info.state, OutboxState::Failed);
    let (_, _, _, attempts, _, offer_templates) = h.row(&queued.outbox_id);
    assert_eq!(attempts, 1, "a permanent refusal is not retried");
    assert!(!offer_templates);
    assert!(h.sim.sent().is_empty(), "Meta accepted nothing");
    worker.shutdown().await;
}

#[test]
fn a_user_id_change_naming_only_the_two_ids_still_keeps_the_conversation() {
    let (_d, mut store) = open();
    let bare_change = webhook(
        2,
        json!({"messages": [{"id": "wamid.sys2", "timestamp": "1750000002", "type": "system",
            "system": {"type": "user_changed_user_id", "user_id": JAMIE_NEW,
                       "previous_user_id": JAMIE}}]}),
    );
    let events = [
        text(1, JAMIE, None, "Before"),
        bare_change,
        text(3, JAMIE_NEW, None, "After"),
    ];
    apply_events(&mut store, RELAY, &events).unwrap();
    let (conv, bodies) = only_conversation(&store);
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert_eq!(bodies[0], "Before");
    assert_eq!(bodies[2], "After");
    let c = store.conversation(conv).unwrap();
    assert_eq!(c.contact.user_id.as_deref(), Some(JAMIE_NEW));
}
