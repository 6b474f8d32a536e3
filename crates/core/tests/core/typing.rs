//! Meta's typing indicator, sent to the real simulator over loopback: one
//! per conversation every 20 s, only in an open window, for the customer's
//! newest message, and a setting that turns it off.

#![allow(clippy::unwrap_used)]

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::ConversationId;
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::apply_events;
use hourglass_core::typing::{SETTING_KEY, TypingDecision, TypingIndicators, TypingOutcome};
use hourglass_protocol::{Event, EventKind};
use hourglass_sim::{Inbound, Sim, SimConfig, SimHandle};
use serde_json::{Value, json};

const CUSTOMER: &str = "+34612345678";

fn graph(sim: &SimHandle) -> GraphClient {
    let config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
        .with_base_url(sim.graph_base_url());
    GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap()
}

/// Files the customer's message `wamid`, sent at `at` (Unix seconds), as the
/// relay would deliver its webhook; answers its conversation.
fn file(store: &mut Store, seq: u64, wamid: &str, at: i64) -> ConversationId {
    let webhook = json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn" },
            "contacts": [{"profile": {"name": "Ana"}, "wa_id": "34612345678"}],
            "messages": [{"from": "34612345678", "id": wamid, "timestamp": at.to_string(),
                          "type": "text", "text": {"body": "Hola"}}]
        }}]}]
    });
    let event = Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: at * 1000,
        agent: None,
        payload: webhook,
    };
    apply_events(store, "http://relay", &[event]).unwrap();
    store.list_conversations(10).unwrap()[0].id
}

/// The typing indicators the simulator received.
fn indicators(sim: &SimHandle) -> Vec<Value> {
    sim.sent()
        .into_iter()
        .map(|s| s.json())
        .filter(|b| b.get("typing_indicator").is_some())
        .collect()
}

#[tokio::test]
async fn one_indicator_for_the_newest_message_while_the_agent_types() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let first = sim.inbound(Inbound::text(CUSTOMER, "Hola")).await.unwrap();
    file(&mut store, 1, &first.id, now - 60);
    let newest = sim
        .inbound(Inbound::text(CUSTOMER, "¿Hay alguien?"))
        .await
        .unwrap();
    let chat = file(&mut store, 2, &newest.id, now - 10);

    let typing = TypingIndicators::default();
    let graph = graph(&sim);
    let sent = typing.typing(&graph, &store, chat, now).await.unwrap();
    assert!(
        matches!(&sent, TypingOutcome::Sent { wamid } if *wamid == newest.id),
        "{sent:?}"
    );
    // The agent keeps typing: nothing more within 20 s.
    for _ in 0..5 {
        let again = typing.typing(&graph, &store, chat, now).await.unwrap();
        assert!(
            matches!(again, TypingOutcome::Decided(TypingDecision::TooSoon)),
            "{again:?}"
        );
    }
    let shown = indicators(&sim);
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert_eq!(shown[0]["status"], "read");
    assert_eq!(shown[0]["message_id"], newest.id.as_str());
    assert_eq!(shown[0]["typing_indicator"], json!({ "type": "text" }));
}

#[tokio::test]
async fn nothing_once_the_window_has_closed_or_before_the_customer_wrote() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let day_ago = now - 25 * 3600;
    let old = sim
        .inbound(Inbound {
            timestamp: Some(day_ago),
            ..Inbound::text(CUSTOMER, "Hola")
        })
        .await
        .unwrap();
    let chat = file(&mut store, 1, &old.id, day_ago);
    let typing = TypingIndicators::default();
    let graph = graph(&sim);
    let out = typing.typing(&graph, &store, chat, now).await.unwrap();
    assert!(
        matches!(out, TypingOutcome::Decided(TypingDecision::WindowClosed)),
        "{out:?}"
    );
    let out = typing
        .typing(&graph, &store, ConversationId(999), now)
        .await
        .unwrap();
    assert!(
        matches!(out, TypingOutcome::Decided(TypingDecision::WindowClosed)),
        "{out:?}"
    );
    assert_eq!(indicators(&sim), Vec::<Value>::new());
}

#[test]
fn the_setting_is_on_until_the_agent_turns_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let chat = file(&mut store, 1, "wamid.1", now - 10);
    let typing = TypingIndicators::default();
    assert!(store.typing_indicator_on().unwrap());
    store.set_setting(SETTING_KEY, &false).unwrap();
    assert!(!store.typing_indicator_on().unwrap());
    assert_eq!(
        typing.decide(&store, chat, now).unwrap(),
        TypingDecision::Off
    );
    store.set_setting(SETTING_KEY, &true).unwrap();
    assert_eq!(
        typing.decide(&store, chat, now).unwrap(),
        TypingDecision::Send("wamid.1".to_owned())
    );
}
