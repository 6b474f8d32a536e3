//! Customers who hide their number behind a username: the webhook names
//! them by business-scoped user id and username, sends reach them through
//! `recipient`, and an unknown user id is refused with 131062.

use serde_json::{Value, json};

use crate::receiver::{config, http, pair, send};

async fn inbound(sim: &hourglass_sim::SimHandle, body: Value) -> (u16, Value) {
    let r = http()
        .post(format!("{}/_sim/inbound?wait=true", sim.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The `contacts[]` entry of the change holding message `wamid`.
fn contact_of(relay: &crate::receiver::Receiver, wamid: &str) -> Value {
    for post in relay.posts() {
        for entry in post.json["entry"].as_array().into_iter().flatten() {
            for change in entry["changes"].as_array().into_iter().flatten() {
                let value = &change["value"];
                let has = value["messages"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|m| m["id"] == wamid);
                if has {
                    return value["contacts"][0].clone();
                }
            }
        }
    }
    Value::Null
}

#[tokio::test]
async fn a_username_only_customer_writes_and_is_answered_through_recipient() {
    let (sim, relay) = pair(config()).await;
    let (status, receipt) = inbound(
        &sim,
        json!({"username": "@maria.g", "name": "María", "text": "¿Tenéis talla M?"}),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    let user_id = receipt["user_id"].as_str().unwrap().to_owned();
    let wamid = receipt["id"].as_str().unwrap();
    let message = relay.message(wamid).unwrap();
    assert!(
        message.get("from").is_none(),
        "the number is hidden: {message}"
    );
    assert_eq!(message["from_user_id"], user_id.as_str());
    let contact = contact_of(&relay, wamid);
    assert!(contact.get("wa_id").is_none(), "{contact}");
    assert_eq!(contact["user_id"], user_id.as_str());
    assert_eq!(contact["profile"]["username"], "maria.g");
    assert_eq!(contact["profile"]["name"], "María");

    // The same username is the same customer.
    let (_, again) = inbound(&sim, json!({"username": "maria.g", "text": "¿Hola?"})).await;
    assert_eq!(again["user_id"], user_id.as_str());

    // A send by user id is accepted; its statuses name the user id only.
    let (status, reply) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "recipient_type": "individual",
                "recipient": user_id, "type": "text", "text": {"body": "Sí, la tenemos"}}),
    )
    .await;
    assert_eq!(status, 200, "{reply}");
    assert_eq!(reply["contacts"][0]["input"], user_id.as_str());
    assert_eq!(reply["contacts"][0]["user_id"], user_id.as_str());
    assert!(reply["contacts"][0].get("wa_id").is_none(), "{reply}");
    let sent = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(relay.wait_for(|r| !r.statuses_of(&sent).is_empty()).await);
    for s in relay.statuses_of(&sent) {
        assert_eq!(s["recipient_user_id"], user_id.as_str());
        assert!(s.get("recipient_id").is_none(), "{s}");
    }

    // The customer shares their number later: same user id, `from` set.
    let (_, shared) = inbound(
        &sim,
        json!({"username": "maria.g", "hide_number": false, "text": "Mi número, por si acaso"}),
    )
    .await;
    assert_eq!(shared["user_id"], user_id.as_str());
    let m = relay.message(shared["id"].as_str().unwrap()).unwrap();
    assert_eq!(m["from"], shared["wa_id"]);
    assert_eq!(m["from_user_id"], user_id.as_str());
    sim.shutdown().await;
}

#[tokio::test]
async fn the_username_scenario_brings_a_username_only_customer() {
    let (sim, relay) = pair(config()).await;
    sim.run_scenario("username").await.unwrap();
    assert!(relay.wait_for(|r| !r.items("messages").is_empty()).await);
    let message = &relay.items("messages")[0];
    assert!(message.get("from").is_none(), "{message}");
    let contact = contact_of(&relay, message["id"].as_str().unwrap());
    assert_eq!(contact["profile"]["username"], "jamie.rivers");
    assert!(contact.get("wa_id").is_none(), "{contact}");
    sim.shutdown().await;
}

#[tokio::test]
async fn a_send_to_an_unknown_user_id_is_refused_with_131062() {
    let (sim, _relay) = pair(config()).await;
    let (status, reply) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "recipient": "US.999",
                "type": "text", "text": {"body": "Hi"}}),
    )
    .await;
    assert_eq!(status, 400, "{reply}");
    assert_eq!(reply["error"]["code"], 131062);
    assert!(
        reply["error"]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("US.999"),
        "{reply}"
    );
    // Neither `to` nor `recipient`: the parameter is missing.
    let (status, reply) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "type": "text", "text": {"body": "Hi"}}),
    )
    .await;
    assert_eq!(
        (status, reply["error"]["code"].as_i64()),
        (400, Some(131008))
    );
    // A message with neither a number nor a username has no sender.
    let (status, body) = inbound(&sim, json!({"text": "who am I"})).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("no_sender")));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_known_customer_can_hide_their_number_and_stay_the_same_user_id() {
    let (sim, relay) = pair(config()).await;
    let (_, first) = inbound(&sim, json!({"from": "+34612345678", "text": "Hola"})).await;
    let (_, hidden) = inbound(
        &sim,
        json!({"from": "+34612345678", "hide_number": true, "username": "lucia", "text": "Soy yo"}),
    )
    .await;
    assert_eq!(first["user_id"], hidden["user_id"]);
    let m = relay.message(hidden["id"].as_str().unwrap()).unwrap();
    assert!(m.get("from").is_none(), "{m}");
    assert_eq!(m["from_user_id"], first["user_id"]);
    sim.shutdown().await;
}
