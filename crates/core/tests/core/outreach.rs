//! New conversation against the real simulator, relay and SQLite store: the
//! first template to a number that never wrote creates the conversation
//! once, reaches WhatsApp once, and a refused one leaves nothing behind.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::outbox::{self, OutboxConfig};
use hourglass_core::outreach::{self, NumberCheck};
use hourglass_core::phone::NumberProblem;
use hourglass_core::problem::ErrorCode;
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::templates::{self, TemplateKey, TemplateSlot, TemplateValue};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "outreach-test-secret";

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn key(name: &str) -> TemplateKey {
    TemplateKey {
        name: name.to_owned(),
        language: "en_US".to_owned(),
    }
}

fn follow_up(name: &str) -> Vec<TemplateValue> {
    vec![TemplateValue {
        slot: TemplateSlot::Body {
            var: "1".to_owned(),
        },
        value: name.to_owned(),
    }]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_first_template_to_a_new_number_creates_its_conversation_once() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let config = sim.config();
    let business = config.phone_number_id.clone();
    let graph = GraphClient::new(
        GraphConfig::new(&config.phone_number_id, &config.waba_id)
            .with_base_url(sim.graph_base_url()),
        Secret::new(config.access_token.clone()),
    )
    .unwrap();
    templates::sync(&store, &graph, now_ms()).await.unwrap();

    // Typed in Spain's national form: a new number, formatted.
    let typed = "612 98 76 54";
    let check = outreach::check(&store.lock().unwrap(), typed, Some("ES"), &business).unwrap();
    let NumberCheck::New { number } = check else {
        panic!("{check:?}")
    };
    assert_eq!(number.e164, "+34612987654");
    assert_eq!(number.international, "+34 612 98 76 54");
    // Without a country code nor a default country it cannot be read.
    assert_eq!(
        outreach::check(&store.lock().unwrap(), typed, None, &business).unwrap(),
        NumberCheck::Problem {
            problem: NumberProblem::NeedsCountry
        }
    );

    // A template Meta would refuse (a value missing): nothing is written.
    let err = outreach::start(
        &mut store.lock().unwrap(),
        typed,
        Some("ES"),
        &business,
        &key("conversation_follow_up"),
        &[],
        now_ms(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TemplateInvalid);
    // Nor for a number that does not exist.
    let err = outreach::start(
        &mut store.lock().unwrap(),
        "123 45 67 89",
        Some("ES"),
        &business,
        &key("conversation_follow_up"),
        &follow_up("Lucía"),
        now_ms(),
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidPhone);
    assert!(
        store
            .lock()
            .unwrap()
            .list_conversations(10)
            .unwrap()
            .is_empty()
    );

    let started = outreach::start(
        &mut store.lock().unwrap(),
        typed,
        Some("ES"),
        &business,
        &key("conversation_follow_up"),
        &follow_up("Lucía"),
        now_ms(),
    )
    .unwrap();
    assert_eq!(
        started.conversation.contact.phone.as_deref(),
        Some("+34612987654")
    );
    assert_eq!(
        started.queued.message.conversation_id,
        started.conversation.id
    );
    assert!(
        started.queued.message.body.contains("Lucía"),
        "{:?}",
        started.queued.message
    );
    let list = store.lock().unwrap().list_conversations(10).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].id, started.conversation.id);

    // The same number, typed another way, is now that conversation.
    let check =
        outreach::check(&store.lock().unwrap(), "+34 612-987-654", None, &business).unwrap();
    let NumberCheck::Existing { conversation, .. } = check else {
        panic!("{check:?}")
    };
    assert_eq!(conversation.id, started.conversation.id);

    // The outbox sends it, exactly once.
    let relay_client = RelayClient::new(
        &format!("http://{}", relay.addr()),
        Secret::new(token.clone()),
    )
    .unwrap();
    let worker = outbox::spawn(
        Arc::new(Mutex::new(
            Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
        )),
        graph,
        relay_client,
        OutboxConfig {
            poll: Duration::from_millis(20),
            ..OutboxConfig::default()
        },
    );
    worker.wake();
    let deadline = Instant::now() + Duration::from_secs(20);
    while sim.sent().is_empty() {
        assert!(
            Instant::now() < deadline,
            "the template never reached WhatsApp"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Give a duplicate the time to show up before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = sim.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let body = sent[0].json();
    assert_eq!(body["type"], "template");
    assert_eq!(body["to"], "+34612987654");
    assert_eq!(body["template"]["name"], "conversation_follow_up");
    assert_eq!(body["biz_opaque_callback_data"], started.queued.outbox_id.0);

    // A second template to the number goes into the same conversation.
    let again = outreach::start(
        &mut store.lock().unwrap(),
        "+34612987654",
        None,
        &business,
        &key("hello_world"),
        &[],
        now_ms(),
    )
    .unwrap();
    assert_eq!(again.conversation.id, started.conversation.id);
    let list = store.lock().unwrap().list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let messages = store
        .lock()
        .unwrap()
        .list_messages(started.conversation.id, 10)
        .unwrap();
    assert_eq!(messages.len(), 2, "{messages:?}");
    worker.shutdown().await;
}

#[test]
fn a_known_number_outside_the_plans_opens_its_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    // WhatsApp delivered from a test number no numbering plan has.
    let conversation = store
        .write(|w| {
            let contact = w.upsert_contact(&hourglass_core::store::NewContact {
                phone: Some("15550100001".to_owned()),
                user_id: None,
                name: Some("Test Customer".to_owned()),
                username: None,
            })?;
            w.conversation_for(contact, "pn-1")
        })
        .unwrap();
    let check = outreach::check(&store, "+1 555 010 0001", Some("ES"), "pn-1").unwrap();
    let NumberCheck::Existing {
        conversation: c, ..
    } = check
    else {
        panic!("{check:?}")
    };
    assert_eq!(c.id, conversation);
    // On another business number it is not a conversation, and not valid.
    assert_eq!(
        outreach::check(&store, "+1 555 010 0001", None, "pn-2").unwrap(),
        NumberCheck::Problem {
            problem: NumberProblem::NotInPlan
        }
    );
    // Contacts are found by name or part of the number.
    let hits = outreach::find_contacts(&store, "Test Cust").unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].conversation_id, conversation);
    assert_eq!(outreach::find_contacts(&store, "0100001").unwrap().len(), 1);
    assert!(
        outreach::find_contacts(&store, "nobody")
            .unwrap()
            .is_empty()
    );
}
