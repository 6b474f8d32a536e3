//! Customers writing in: every message kind, leads, and the demo inbox.

use std::collections::HashSet;
use std::time::Duration;

use hourglass_sim::Sim;
use serde_json::{Value, json};

use crate::receiver::{config, http, now, pair};

#[tokio::test]
async fn a_rich_conversation_has_every_kind_in_metas_shape() {
    let (sim, relay) = pair(config()).await;
    let report = sim.run_scenario("rich").await.unwrap();
    assert_eq!(report.customers.len(), 1);
    assert!(
        relay
            .wait_for(|r| r.items("messages").len() == report.messages)
            .await
    );
    let messages = relay.items("messages");
    let kinds: Vec<&str> = messages
        .iter()
        .map(|m| m["type"].as_str().unwrap())
        .collect();
    for kind in [
        "text",
        "image",
        "document",
        "location",
        "contacts",
        "audio",
        "sticker",
        "reaction",
        "button",
        "unsupported",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    let first = messages.iter().find(|m| m["type"] == "text").unwrap();
    let reply = messages
        .iter()
        .find(|m| m.get("context").is_some())
        .unwrap();
    assert_eq!(reply["context"]["id"], first["id"]);
    assert_eq!(reply["context"]["from"], first["from"]);
    let reactions: Vec<&Value> = messages
        .iter()
        .filter(|m| m["type"] == "reaction")
        .collect();
    assert_eq!(reactions.len(), 2);
    assert_eq!(reactions[0]["reaction"]["emoji"], "👍");
    assert!(
        reactions[1]["reaction"].get("emoji").is_none(),
        "a removal has no emoji key"
    );
    let doc = messages.iter().find(|m| m["type"] == "document").unwrap();
    assert_eq!(doc["document"]["filename"], "receipt-2041.pdf");
    assert_eq!(doc["document"]["mime_type"], "application/pdf");
    let voice = messages.iter().find(|m| m["type"] == "audio").unwrap();
    assert_eq!(voice["audio"]["voice"], true);
    let unsupported = messages
        .iter()
        .find(|m| m["type"] == "unsupported")
        .unwrap();
    assert_eq!(unsupported["errors"][0]["code"], 131051);
    for m in &messages {
        assert!(m["timestamp"].is_string());
        assert!(m["id"].as_str().unwrap().starts_with("wamid."));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn control_api_inbound_with_referral_and_partner_code() {
    let (sim, relay) = pair(config()).await;
    let r = http()
        .post(format!("{}/_sim/inbound?wait=true", sim.base_url()))
        .json(
            &json!({"from": "+79123456789", "name": "Олег", "text": "Здравствуйте! Code: ABC123",
                      "referral": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let receipt: Value = r.json().await.unwrap();
    assert_eq!(receipt["delivered"], true);
    assert_eq!(receipt["wa_id"], "79123456789");
    let m = relay.message(receipt["id"].as_str().unwrap()).unwrap();
    assert_eq!(m["text"]["body"], "Здравствуйте! Code: ABC123");
    assert_eq!(m["referral"]["source_type"], "ad");
    assert!(m["referral"]["ctwa_clid"].is_string());
    assert!(m["referral"]["headline"].is_string());

    let bad = http()
        .post(format!("{}/_sim/inbound", sim.base_url()))
        .json(&json!({"from": "not a number", "text": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["code"], "bad_number");
    let unknown = http()
        .post(format!("{}/_sim/scenario/nope", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status().as_u16(), 404);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_demo_inbox_has_open_closing_and_closed_windows() {
    let (sim, relay) = pair(config()).await;
    let r = http()
        .post(format!("{}/_sim/scenario/inbox", sim.base_url()))
        .send()
        .await
        .unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["customers"].as_array().unwrap().len(), 30);
    let total = report["messages"].as_u64().unwrap() as usize;
    assert!(relay.wait_for(|r| r.items("messages").len() == total).await);

    let customers: Vec<Value> = http()
        .get(format!("{}/_sim/customers", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(customers.len(), 30);
    let t = now();
    let closed = customers
        .iter()
        .filter(|c| c["window_open"] == false)
        .count();
    let closing = customers
        .iter()
        .filter(|c| c["window_open"] == true && c["window_closes_at"].as_i64().unwrap() - t < 3600)
        .count();
    assert_eq!(closed, 6);
    assert_eq!(closing, 4);
    // Some conversations start as leads from an ad or with a partner code.
    let messages = relay.items("messages");
    assert!(messages.iter().any(|m| m.get("referral").is_some()));
    assert!(messages.iter().any(|m| {
        m["text"]["body"]
            .as_str()
            .is_some_and(|b| b.contains("Code: "))
    }));
    let languages: HashSet<&str> = customers
        .iter()
        .map(|c| c["language"].as_str().unwrap())
        .collect();
    assert_eq!(languages.len(), 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_lead_stream_adds_new_customers_until_its_bound() {
    let mut cfg = config();
    cfg.timing.lead_interval = Duration::from_millis(10);
    cfg.timing.max_leads = 4;
    let (sim, relay) = pair(cfg).await;
    let report = sim.run_scenario("lead-stream").await.unwrap();
    assert!(report.background);
    assert!(relay.wait_for(|r| r.items("messages").len() == 4).await);
    let senders: HashSet<String> = relay
        .items("messages")
        .iter()
        .map(|m| m["from"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(senders.len(), 4, "every lead is a new customer");
    // Bounded: no fifth lead comes however long we wait for the stream's end.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(relay.items("messages").len(), 4);
    sim.shutdown().await;
}

#[tokio::test]
async fn customers_answer_agents_when_configured() {
    let mut cfg = config();
    cfg.timing.reply_probability = 1.0;
    let (sim, relay) = pair(cfg).await;
    let first = sim
        .inbound_delivered(hourglass_sim::Inbound::text("+447911123456", "Hi"))
        .await
        .unwrap();
    let (status, reply) = crate::receiver::send(
        &sim,
        &json!({"messaging_product": "whatsapp", "to": "+447911123456", "type": "text",
                "text": {"body": "Hello! How can I help?"}}),
    )
    .await;
    assert_eq!(status, 200);
    let wamid = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        relay
            .wait_for(|r| r
                .items("messages")
                .iter()
                .any(|m| m["id"] != first.id.as_str()))
            .await
    );
    let answer = relay
        .items("messages")
        .into_iter()
        .find(|m| m["id"] != first.id.as_str())
        .unwrap();
    assert_eq!(answer["from"], "447911123456");
    // Either a text (maybe quoting us) or a reaction to our message.
    if answer["type"] == "reaction" {
        assert_eq!(answer["reaction"]["message_id"], wamid.as_str());
    } else {
        assert_eq!(answer["type"], "text");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_background_work() {
    let mut cfg = config();
    cfg.timing.lead_interval = Duration::from_millis(5);
    cfg.timing.max_leads = 10_000;
    let sim = Sim::start(cfg).await.unwrap();
    let base = sim.base_url().to_owned();
    sim.run_scenario("lead-stream").await.unwrap();
    sim.shutdown().await;
    let gone = http().get(format!("{base}/_sim/stats")).send().await;
    assert!(gone.is_err(), "the server still answers after shutdown");
}
