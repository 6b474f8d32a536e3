//! WhatsApp calls, Meta's business AI agent and real costs, through the
//! sync into a real store file: a customer's call opens the window and is a
//! line of the timeline, a missed one is news for notifications; standby
//! messages are kept and marked, handovers move the owner, and Take over
//! reaches the Cloud API simulator on loopback; each status's pricing is
//! stored per message.

#![allow(clippy::unwrap_used)]

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::handover;
use hourglass_core::inbox::{ConversationId, Direction, HandledBy, MessageContent, ThreadOwner};
use hourglass_core::secrets::Secret;
use hourglass_core::store::{NewContact, NewMessage, Store};
use hourglass_core::sync::apply_events;
use hourglass_core::window::{self, ServiceWindow};
use hourglass_protocol::{Event, EventKind};
use hourglass_sim::{Routed, RoutedInbound, Sim, SimConfig, SimHandle};
use serde_json::{Value, json};

const RELAY: &str = "http://relay";
const ANA: &str = "34612345678";

fn webhook(seq: u64, field: &str, value: Value) -> Event {
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
            "entry": [{"id": "waba", "changes": [{"field": field, "value": value}]}]
        }),
    }
}

fn contacts() -> Value {
    json!([{"profile": {"name": "Ana"}, "wa_id": ANA}])
}

/// Meta's `calls` webhook for one event of a customer's call.
fn call(seq: u64, id: &str, event: &str, at: i64, extra: Value) -> Event {
    let mut item = json!({"id": id, "from": ANA, "to": "15550783881", "event": event,
                          "direction": "USER_INITIATED", "timestamp": at.to_string()});
    for (k, v) in extra.as_object().unwrap() {
        item[k] = v.clone();
    }
    webhook(
        seq,
        "calls",
        json!({"contacts": contacts(), "calls": [item]}),
    )
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

#[test]
fn a_customer_s_call_opens_the_window_and_is_a_line_of_the_timeline() {
    let (_d, mut store) = open();
    let t = chrono::Utc::now().timestamp() - 3_600;
    let applied = apply_events(
        &mut store,
        RELAY,
        &[
            call(1, "wacid.MISSED", "connect", t, json!({})),
            call(
                2,
                "wacid.MISSED",
                "terminate",
                t + 30,
                json!({"status": "FAILED"}),
            ),
        ],
    )
    .unwrap();
    // Ringing files nothing; the ended call is one inbound line.
    assert_eq!(applied.new_messages, 1);
    assert_eq!(applied.incoming.len(), 1);
    assert!(applied.incoming[0].missed_call);
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "the caller has a conversation");
    let chat = &list[0];
    assert_eq!(chat.last_inbound_at, Some(t + 30));
    assert_eq!(chat.unread_count, 1);
    let now = chrono::Utc::now().timestamp();
    assert_eq!(
        window::service_window(chat.last_inbound_at, now),
        ServiceWindow::Open {
            closes_at: t + 30 + window::SERVICE_WINDOW_SECS
        },
        "a call opens the window as a message does"
    );
    let messages = store.list_messages(chat.id, 10).unwrap();
    assert_eq!(messages[0].direction, Direction::Inbound);
    assert_eq!(messages[0].kind, "call");
    assert_eq!(
        messages[0].content,
        MessageContent::Call {
            missed: true,
            duration: None,
            from_customer: true
        }
    );

    // An answered call later moves the window on and carries its duration.
    let answered = apply_events(
        &mut store,
        RELAY,
        &[call(
            3,
            "wacid.ANSWERED",
            "terminate",
            t + 700,
            json!({"status": "COMPLETED", "start_time": (t + 600).to_string(),
                   "end_time": (t + 700).to_string(), "duration": 100}),
        )],
    )
    .unwrap();
    assert!(!answered.incoming[0].missed_call);
    let chat = store.conversation(chat.id).unwrap();
    assert_eq!(chat.last_inbound_at, Some(t + 600));
    let messages = store.list_messages(chat.id, 10).unwrap();
    let last = messages.last().unwrap();
    assert_eq!(
        last.content,
        MessageContent::Call {
            missed: false,
            duration: Some(100),
            from_customer: true
        }
    );
    assert_eq!(last.body, "📞 Call, 1:40");
}

#[test]
fn standby_messages_are_kept_marked_and_the_owner_follows_handovers() {
    let (_d, mut store) = open();
    let standby = webhook(
        1,
        "standby",
        json!({"contacts": contacts(), "messages": [{"from": ANA, "id": "wamid.S1",
               "timestamp": "1750000000", "type": "text", "text": {"body": "¿Envían a Canarias?"}}]}),
    );
    let applied = apply_events(&mut store, RELAY, &[standby]).unwrap();
    assert_eq!(applied.new_messages, 1);
    assert_eq!(applied.flagged, 0, "nothing is flagged or lost");
    let chat = store.list_conversations(10).unwrap().remove(0);
    assert_eq!(chat.owner, Some(ThreadOwner::AiAgent));
    let messages = store.list_messages(chat.id, 10).unwrap();
    assert_eq!(messages[0].body, "¿Envían a Canarias?");
    assert_eq!(messages[0].handled_by, Some(HandledBy::AiAgent));

    let handover = |seq: u64, kind: &str, at: i64| {
        webhook(
            seq,
            "messaging_handovers",
            json!({"type": kind, kind: {"wa_id": ANA, "timestamp": at.to_string()}}),
        )
    };
    apply_events(
        &mut store,
        RELAY,
        &[handover(2, "control_passed", 1_750_000_100)],
    )
    .unwrap();
    assert_eq!(
        store.conversation(chat.id).unwrap().owner,
        Some(ThreadOwner::App)
    );
    // An older handover arriving late changes nothing.
    apply_events(
        &mut store,
        RELAY,
        &[handover(3, "control_taken", 1_750_000_050)],
    )
    .unwrap();
    assert_eq!(
        store.conversation(chat.id).unwrap().owner,
        Some(ThreadOwner::App)
    );
    // Both handovers are lines of the chat, in Meta's time order; the
    // standby message only implied the owner. Replaying adds nothing.
    let lines = |store: &Store| {
        store
            .handovers(chat.id)
            .unwrap()
            .into_iter()
            .map(|h| (h.owner, h.at))
            .collect::<Vec<_>>()
    };
    let expected = vec![
        (ThreadOwner::AiAgent, 1_750_000_050),
        (ThreadOwner::App, 1_750_000_100),
    ];
    assert_eq!(lines(&store), expected);
    apply_events(
        &mut store,
        RELAY,
        &[
            handover(2, "control_passed", 1_750_000_100),
            handover(3, "control_taken", 1_750_000_050),
        ],
    )
    .unwrap();
    assert_eq!(lines(&store), expected);
    // The AI agent's reply, echoed on standby, is kept as an outbound
    // message, marked.
    apply_events(
        &mut store,
        RELAY,
        &[webhook(
            4,
            "standby",
            json!({"message_echoes": [{"from": "15550783881", "to": ANA, "id": "wamid.AI1",
                   "timestamp": "1750000010", "type": "text",
                   "text": {"body": "Sí, en 3 días."}}]}),
        )],
    )
    .unwrap();
    let messages = store.list_messages(chat.id, 10).unwrap();
    let reply = messages.iter().find(|m| m.wamid == "wamid.AI1").unwrap();
    assert_eq!(reply.direction, Direction::Outbound);
    assert_eq!(reply.body, "Sí, en 3 días.");
    assert_eq!(reply.handled_by, Some(HandledBy::AiAgent));
    // A message on the ordinary field is not marked.
    apply_events(
        &mut store,
        RELAY,
        &[webhook(
            5,
            "messages",
            json!({"contacts": contacts(), "messages": [{"from": ANA, "id": "wamid.M1",
                   "timestamp": "1750000200", "type": "text", "text": {"body": "Gracias"}}]}),
        )],
    )
    .unwrap();
    let messages = store.list_messages(chat.id, 10).unwrap();
    assert_eq!(messages.last().unwrap().handled_by, None);
}

#[test]
fn each_status_s_pricing_is_stored_with_its_message() {
    let (_d, mut store) = open();
    let conv: ConversationId = store
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(ANA.into()),
                user_id: None,
                name: Some("Ana".into()),
                username: None,
            })?;
            let conv = w.conversation_for(contact, "pn")?;
            w.insert_message(&NewMessage {
                wamid: "wamid.OUT".into(),
                conversation_id: conv,
                direction: Direction::Outbound,
                kind: "text".into(),
                body: "Sí, enviamos.".into(),
                payload: None,
                sent_at: 1_750_000_000,
                status: Some("sent".into()),
                reply_to_wamid: None,
            })?;
            Ok(conv)
        })
        .unwrap();
    assert_eq!(store.list_messages(conv, 10).unwrap()[0].pricing, None);
    let status = webhook(
        1,
        "messages",
        json!({"statuses": [{"id": "wamid.OUT", "status": "delivered", "timestamp": "1750000005",
               "recipient_id": ANA,
               "pricing": {"billable": false, "pricing_model": "PMP",
                           "type": "free_customer_service", "category": "service"}}]}),
    );
    apply_events(&mut store, RELAY, &[status]).unwrap();
    let pricing = store.list_messages(conv, 10).unwrap()[0]
        .pricing
        .clone()
        .unwrap();
    assert_eq!(pricing.billable, Some(false));
    assert_eq!(pricing.model.as_deref(), Some("PMP"));
    assert_eq!(pricing.kind.as_deref(), Some("free_customer_service"));
    assert_eq!(pricing.category.as_deref(), Some("service"));
}

fn graph(sim: &SimHandle) -> GraphClient {
    let config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
        .with_base_url(sim.graph_base_url());
    GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap()
}

#[tokio::test]
async fn take_over_reaches_the_simulator_and_makes_this_app_the_owner() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let receipt = sim
        .routed(
            RoutedInbound {
                from: format!("+{ANA}"),
                name: Some("Ana".into()),
                timestamp: None,
                what: Routed::Standby("¿Envían a Canarias?".into()),
            },
            false,
        )
        .await
        .unwrap();
    assert!(sim.ai_agent_answers(ANA));
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let standby = webhook(
        1,
        "standby",
        json!({"contacts": contacts(), "messages": [{"from": ANA, "id": receipt.id,
               "timestamp": receipt.timestamp.to_string(), "type": "text",
               "text": {"body": "¿Envían a Canarias?"}}]}),
    );
    apply_events(&mut store, RELAY, &[standby]).unwrap();
    let chat = store.list_conversations(10).unwrap().remove(0);
    assert_eq!(chat.owner, Some(ThreadOwner::AiAgent));

    let store = std::sync::Mutex::new(store);
    let now = chrono::Utc::now().timestamp() + 1;
    let taken = handover::take_over(&graph(&sim), &store, chat.id, now)
        .await
        .unwrap();
    assert_eq!(taken.owner, Some(ThreadOwner::App));
    let requests: Vec<Value> = sim
        .sent()
        .into_iter()
        .filter(|s| s.path.ends_with("/thread_control"))
        .map(|s| s.json())
        .collect();
    assert_eq!(
        requests,
        [json!({"messaging_product": "whatsapp", "to": ANA, "action": "take"})]
    );
    assert!(!sim.ai_agent_answers(ANA));

    // A customer Meta does not know: refused, the owner stays as it was.
    let stranger = store
        .lock()
        .unwrap()
        .write(|w| {
            let c = w.upsert_contact(&NewContact {
                phone: Some("+14155550100".into()),
                user_id: None,
                name: None,
                username: None,
            })?;
            let conv = w.conversation_for(c, "pn")?;
            w.set_owner(conv, ThreadOwner::AiAgent, 1)?;
            Ok(conv)
        })
        .unwrap();
    let refused = handover::take_over(&graph(&sim), &store, stranger, now).await;
    assert!(refused.is_err());
    assert_eq!(
        store.lock().unwrap().conversation(stranger).unwrap().owner,
        Some(ThreadOwner::AiAgent)
    );
    sim.shutdown().await;
}
