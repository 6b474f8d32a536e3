//! `/_sim/account` and `/_sim/template-status`: the Graph API answers the
//! new rating, tier and template status, and the matching webhooks reach
//! the relay stand-in, typed by the `whatsapp` crate as Meta's would be.

use hourglass_whatsapp::GRAPH_API_VERSION as V;
use hourglass_whatsapp::webhook::{self, Update};
use serde_json::{Value, json};

use crate::receiver::{TOKEN, config, http, pair, send};

async fn control(sim: &hourglass_sim::SimHandle, path: &str, body: Value) -> (u16, Value) {
    let r = http()
        .post(format!("{}/_sim/{path}?wait=true", sim.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn phone_number(sim: &hourglass_sim::SimHandle) -> Value {
    http()
        .get(format!(
            "{}/{V}/{}",
            sim.graph_base_url(),
            sim.config().phone_number_id
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Every typed update of every POST the stand-in answered 200.
fn updates(relay: &crate::receiver::Receiver) -> Vec<Update> {
    relay
        .posts()
        .iter()
        .filter(|p| p.status == 200)
        .flat_map(|p| webhook::parse(&p.body).unwrap())
        .collect()
}

#[tokio::test]
async fn lowering_the_quality_flags_the_number_and_the_graph_api_says_so() {
    let (sim, relay) = pair(config()).await;
    assert_eq!(phone_number(&sim).await["quality_rating"], "GREEN");

    let (status, receipt) = control(&sim, "account", json!({"quality_rating": "RED"})).await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(receipt["quality_rating"], "RED");
    assert_eq!(receipt["delivered"], true);
    assert_eq!(receipt["webhooks"], json!(["phone_number_quality_update"]));
    assert_eq!(phone_number(&sim).await["quality_rating"], "RED");

    let (status, _) = control(
        &sim,
        "account",
        json!({"quality_rating": "GREEN", "messaging_tier": "TIER_250"}),
    )
    .await;
    assert_eq!(status, 200);
    let number = phone_number(&sim).await;
    assert_eq!(number["quality_rating"], "GREEN");
    assert_eq!(
        number["whatsapp_business_manager_messaging_limit"],
        "TIER_250"
    );

    let quality: Vec<_> = updates(&relay)
        .into_iter()
        .filter_map(|u| match u {
            Update::PhoneQuality(q) => Some(q),
            _ => None,
        })
        .collect();
    let events: Vec<&str> = quality.iter().map(|q| q.event.as_str()).collect();
    assert_eq!(events, ["FLAGGED", "UNFLAGGED", "DOWNGRADE"]);
    assert!(
        quality.iter().all(|q| q.display_phone_number.as_deref()
            == Some(sim.config().display_phone_number.as_str()))
    );
    assert_eq!(quality[2].old_limit.as_deref(), Some("TIER_2K"));
    assert_eq!(quality[2].limit(), Some("TIER_250"));
    // Each has its own, increasing entry time: equal changes stay apart.
    let times: Vec<i64> = quality.iter().map(|q| q.time.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] < w[1]), "{times:?}");
}

#[tokio::test]
async fn account_events_are_sent_and_bad_changes_refused() {
    let (sim, relay) = pair(config()).await;
    let (status, _) = control(
        &sim,
        "account",
        json!({"account_event": "ACCOUNT_VIOLATION", "violation_type": "SPAM"}),
    )
    .await;
    assert_eq!(status, 200);
    let account: Vec<_> = updates(&relay)
        .into_iter()
        .filter_map(|u| match u {
            Update::Account(a) => Some(a),
            _ => None,
        })
        .collect();
    assert_eq!(account.len(), 1);
    assert_eq!(account[0].event, "ACCOUNT_VIOLATION");
    assert_eq!(account[0].detail(), Some("SPAM"));

    let (status, body) = control(&sim, "account", json!({"quality_rating": "PURPLE"})).await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "bad_account_change");
    let (status, _) = control(&sim, "account", json!({"messaging_tier": "TIER_3"})).await;
    assert_eq!(status, 400);
    let (status, _) = control(&sim, "account", json!({"quality": "RED"})).await;
    assert_eq!(status, 400, "unknown fields are refused, not ignored");
    assert_eq!(phone_number(&sim).await["quality_rating"], "GREEN");
}

#[tokio::test]
async fn a_paused_template_is_listed_paused_refused_and_announced() {
    let (sim, relay) = pair(config()).await;
    let (status, receipt) = control(
        &sim,
        "template-status",
        json!({"name": "spring_sale", "language": "en_US", "status": "PAUSED",
               "description": "Paused after negative feedback from customers."}),
    )
    .await;
    assert_eq!(status, 200, "{receipt}");
    assert_eq!(
        receipt["webhooks"],
        json!(["message_template_status_update"])
    );

    let listing: Value = http()
        .get(format!(
            "{}/{V}/{}/message_templates?limit=100",
            sim.graph_base_url(),
            sim.config().waba_id
        ))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let spring = listing["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "spring_sale" && t["language"] == "en_US")
        .unwrap();
    assert_eq!(spring["status"], "PAUSED");

    let (status, reply) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "to": "+34612345678", "type": "template",
                "template": {"name": "spring_sale", "language": {"code": "en_US"}}}),
    )
    .await;
    assert_eq!(status, 400, "{reply}");
    assert_eq!(reply["error"]["code"], 132015);

    let Some(Update::TemplateStatus(t)) = updates(&relay)
        .into_iter()
        .find(|u| matches!(u, Update::TemplateStatus(_)))
    else {
        panic!("no template status webhook")
    };
    assert_eq!(t.event, "PAUSED");
    assert_eq!(t.message_template_name.as_deref(), Some("spring_sale"));
    assert_eq!(t.title(), Some("FIRST_PAUSE"));
    assert_eq!(
        t.detail(),
        Some("Paused after negative feedback from customers.")
    );
    assert!(t.time.is_some());
}

#[tokio::test]
async fn rejections_carry_the_reason_and_categories_move() {
    let (sim, relay) = pair(config()).await;
    let (status, _) = control(
        &sim,
        "template-status",
        json!({"name": "order_update", "language": "es", "status": "REJECTED",
               "reason": "INVALID_FORMAT", "category": "MARKETING", "impending": true}),
    )
    .await;
    assert_eq!(status, 200);
    let all = updates(&relay);
    let rejected = all
        .iter()
        .find_map(|u| match u {
            Update::TemplateStatus(t) => Some(t),
            _ => None,
        })
        .unwrap();
    assert_eq!(rejected.reason(), Some("INVALID_FORMAT"));
    assert_eq!(
        rejected.message_template_category.as_deref(),
        Some("UTILITY")
    );
    let category = all
        .iter()
        .find_map(|u| match u {
            Update::TemplateCategory(c) => Some(c),
            _ => None,
        })
        .unwrap();
    assert!(category.is_impending());
    assert_eq!(category.from_category(), Some("UTILITY"));
    assert_eq!(category.to_category(), Some("MARKETING"));

    let (status, body) = control(
        &sim,
        "template-status",
        json!({"name": "no_such_template", "language": "en_US", "status": "PAUSED"}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], "unknown_template");
    let (status, _) = control(
        &sim,
        "template-status",
        json!({"name": "order_update", "language": "es", "status": "SLEEPING"}),
    )
    .await;
    assert_eq!(status, 400);
}
