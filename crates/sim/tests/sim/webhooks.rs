//! Webhooks the simulator posts: envelope, signature, statuses, failures,
//! retries, batching and duplicates.

use hourglass_sim::{DeliveryPolicy, Inbound};
use serde_json::{Value, json};

use crate::receiver::{config, now, pair, send};

const CUSTOMER: &str = "+34612345678";

fn text_to(to: &str, body: &str, callback: &str) -> Value {
    json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
           "type": "text", "text": {"preview_url": false, "body": body},
           "biz_opaque_callback_data": callback})
}

fn status_names(statuses: &[Value]) -> Vec<String> {
    let mut names: Vec<String> = statuses
        .iter()
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[tokio::test]
async fn status_webhooks_are_signed_and_carry_pricing_and_callback_data() {
    let (sim, relay) = pair(config()).await;
    let receipt = sim
        .inbound_delivered(
            Inbound::text(CUSTOMER, "¿Dónde está mi pedido?").named("Lucía Fernández"),
        )
        .await
        .unwrap();
    assert_eq!(receipt.delivered, Some(true));

    let (status, reply) = send(&sim, &text_to(CUSTOMER, "Lo reviso ahora", "outbox-1")).await;
    assert_eq!(status, 200, "{reply}");
    let wamid = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        relay
            .wait_for(|r| status_names(&r.statuses_of(&wamid)).len() == 3)
            .await,
        "statuses: {:?}",
        relay.statuses_of(&wamid)
    );
    assert_eq!(
        status_names(&relay.statuses_of(&wamid)),
        ["delivered", "read", "sent"]
    );
    for s in relay.statuses_of(&wamid) {
        assert_eq!(s["recipient_id"], "34612345678");
        assert_eq!(s["biz_opaque_callback_data"], "outbox-1");
        assert!(s["timestamp"].as_str().unwrap().parse::<i64>().unwrap() >= receipt.timestamp);
        assert_eq!(
            s["pricing"],
            json!({"billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"})
        );
        assert!(s.get("errors").is_none());
    }

    // Every POST verified against the app secret (the stand-in refuses
    // others), and looks like Meta's, bytes included.
    assert_eq!(relay.bad_signatures(), 0);
    let posts = relay.posts();
    assert!(posts.len() >= 4);
    for post in &posts {
        assert!(post.body.is_ascii(), "Meta escapes non-ASCII");
        let env = &post.json;
        assert_eq!(env["object"], "whatsapp_business_account");
        for entry in env["entry"].as_array().unwrap() {
            assert_eq!(entry["id"], sim.config().waba_id.as_str());
            for change in entry["changes"].as_array().unwrap() {
                assert_eq!(change["field"], "messages");
                let value = &change["value"];
                assert_eq!(value["messaging_product"], "whatsapp");
                assert_eq!(
                    value["metadata"],
                    json!({"display_phone_number": sim.config().display_phone_number,
                           "phone_number_id": sim.config().phone_number_id})
                );
            }
        }
    }
    let first = &posts[0].json["entry"][0]["changes"][0]["value"];
    assert_eq!(first["contacts"][0]["profile"]["name"], "Lucía Fernández");
    assert_eq!(first["contacts"][0]["wa_id"], "34612345678");
    assert!(
        first["contacts"][0]["user_id"]
            .as_str()
            .unwrap()
            .starts_with("ES.")
    );
    let message = &first["messages"][0];
    assert_eq!(message["id"], receipt.id.as_str());
    assert_eq!(message["from"], "34612345678");
    assert_eq!(message["timestamp"], receipt.timestamp.to_string());
    assert_eq!(message["text"]["body"], "¿Dónde está mi pedido?");
    sim.shutdown().await;
}

#[tokio::test]
async fn free_text_to_a_closed_window_is_accepted_then_fails_with_131047() {
    let (sim, relay) = pair(config()).await;
    let yesterday = now() - 25 * 3600;
    sim.inbound_delivered(Inbound::text(CUSTOMER, "Hola").at(yesterday))
        .await
        .unwrap();

    let (status, reply) = send(&sim, &text_to(CUSTOMER, "¿Sigue ahí?", "outbox-late")).await;
    assert_eq!(status, 200, "accepted synchronously, like Meta: {reply}");
    let wamid = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(relay.wait_for(|r| !r.statuses_of(&wamid).is_empty()).await);
    let statuses = relay.statuses_of(&wamid);
    let failed = &statuses[0];
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["biz_opaque_callback_data"], "outbox-late");
    assert_eq!(failed["errors"][0]["code"], 131047);
    assert_eq!(failed["errors"][0]["title"], "Re-engagement message");
    assert!(
        failed["errors"][0]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("24 hours")
    );
    assert!(failed.get("pricing").is_none());

    // A template still goes through, and is billed.
    let (status, reply) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "to": CUSTOMER, "type": "template",
                "template": {"name": "conversation_follow_up", "language": {"code": "es"},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": "Lucía"}]}]}}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    let template_wamid = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        relay
            .wait_for(|r| status_names(&r.statuses_of(&template_wamid)).len() == 3)
            .await
    );
    for s in relay.statuses_of(&template_wamid) {
        assert_eq!(
            s["pricing"],
            json!({"billable": true, "pricing_model": "PMP", "type": "regular", "category": "utility"})
        );
    }
    // Nothing after the failure: it is final.
    assert_eq!(status_names(&relay.statuses_of(&wamid)), ["failed"]);

    // A number that never wrote has no window either.
    let (_, reply) = send(&sim, &text_to("+79123456789", "Hello", "outbox-cold")).await;
    let cold = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(relay.wait_for(|r| !r.statuses_of(&cold).is_empty()).await);
    assert_eq!(relay.statuses_of(&cold)[0]["errors"][0]["code"], 131047);
    sim.shutdown().await;
}

#[tokio::test]
async fn designated_unreachable_numbers_fail_with_131026() {
    let (sim, relay) = pair(config()).await;
    let (status, reply) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "to": "+34612340000", "type": "template",
                "template": {"name": "hello_world", "language": {"code": "en_US"}}}),
    )
    .await;
    assert_eq!(status, 200);
    let wamid = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(relay.wait_for(|r| !r.statuses_of(&wamid).is_empty()).await);
    let failed = &relay.statuses_of(&wamid)[0];
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["recipient_id"], "34612340000");
    assert_eq!(failed["errors"][0]["code"], 131026);
    sim.shutdown().await;
}

#[tokio::test]
async fn non_200_answers_are_retried_with_the_same_bytes() {
    let (sim, relay) = pair(config()).await;
    relay.fail_next(3);
    let receipt = sim
        .inbound_delivered(Inbound::text(CUSTOMER, "Привет"))
        .await
        .unwrap();
    assert_eq!(receipt.delivered, Some(true));
    let posts = relay.posts();
    assert_eq!(posts.len(), 4);
    assert_eq!(
        posts.iter().map(|p| p.status).collect::<Vec<_>>(),
        [500, 500, 500, 200]
    );
    assert!(posts.iter().all(|p| p.body == posts[0].body));
    let stats = sim.stats();
    assert_eq!(
        (stats.failed_attempts, stats.acknowledged, stats.dropped),
        (3, 1, 0)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn delivery_gives_up_after_the_last_attempt() {
    let mut cfg = config();
    cfg.delivery.max_attempts = 3;
    let (sim, relay) = pair(cfg).await;
    relay.fail_next(1_000);
    let receipt = sim
        .inbound_delivered(Inbound::text(CUSTOMER, "Hola"))
        .await
        .unwrap();
    assert_eq!(receipt.delivered, Some(false));
    assert_eq!(relay.posts().len(), 3);
    assert_eq!(sim.stats().dropped, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn updates_are_batched_and_duplicated_when_configured() {
    let mut cfg = config();
    cfg.delivery = DeliveryPolicy {
        batch_probability: 1.0,
        batch_window: std::time::Duration::from_millis(300),
        duplicate_probability: 1.0,
        ..cfg.delivery
    };
    let (sim, relay) = pair(cfg).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let from = format!("+3461234567{i}");
        ids.push(
            sim.inbound(Inbound::text(from, format!("mensaje {i}")))
                .await
                .unwrap()
                .id,
        );
    }
    assert!(
        relay
            .wait_for(|r| ids.iter().all(|id| r.message(id).is_some())
                && r.items("messages").len() == 2 * ids.len())
            .await,
        "messages seen: {:?}",
        relay.items("messages")
    );
    let posts = relay.posts();
    // Every body arrives twice, byte for byte.
    for p in &posts {
        assert_eq!(posts.iter().filter(|q| q.body == p.body).count(), 2);
    }
    let most = posts
        .iter()
        .map(|p| {
            p.json["entry"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|e| e["changes"].as_array().unwrap())
                .map(|c| c["value"]["messages"].as_array().map_or(0, Vec::len))
                .sum::<usize>()
        })
        .max()
        .unwrap();
    assert!(most > 1, "no POST carried more than one update");
    assert_eq!(sim.stats().duplicates, posts.len() as u64 / 2);
    sim.shutdown().await;
}
