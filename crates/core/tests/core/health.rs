//! Account health into a real store file: Meta's quality, account, template
//! status and category webhooks applied from the relay's log (idempotent on
//! replay, the same on a second desktop, never undone by an older event),
//! the Graph API's rating and tier read from the Cloud API simulator, the
//! banner's alerts and their dismissal, and the picker's reasons.

#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use hourglass_core::cost::RateTable;
use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::health::{self, AccountHealth};
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{SharedStore, apply_events};
use hourglass_core::templates::{self, TemplateFilter};
use hourglass_protocol::{Event, EventKind};
use hourglass_sim::{AccountChange, Sim, SimConfig, SimHandle, TemplateStatusChange};
use serde_json::{Value, json};

const RELAY: &str = "http://relay";
const NUMBER: &str = "15550783881";

/// One relay event holding one change, as Meta sends these fields.
fn event(seq: u64, time: i64, field: &str, value: Value) -> Event {
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * time,
        agent: None,
        payload: json!({"object": "whatsapp_business_account", "entry": [{
            "id": "102290129340398", "time": time,
            "changes": [{"field": field, "value": value}]}]}),
    }
}

fn log() -> Vec<Event> {
    vec![
        event(
            1,
            1_000,
            "phone_number_quality_update",
            json!({"display_phone_number": NUMBER, "event": "FLAGGED", "current_limit": "TIER_10K"}),
        ),
        event(
            2,
            1_100,
            "phone_number_quality_update",
            json!({"display_phone_number": NUMBER, "event": "DOWNGRADE", "old_limit": "TIER_10K",
                   "current_limit": "TIER_2K", "max_daily_conversations_per_business": "TIER_2K"}),
        ),
        event(
            3,
            1_200,
            "message_template_status_update",
            json!({"event": "PAUSED", "message_template_id": 77, "message_template_name": "spring_sale",
                   "message_template_language": "en-US", "reason": "NONE",
                   "message_template_category": "MARKETING",
                   "other_info": {"title": "FIRST_PAUSE", "description": "Paused for low quality."}}),
        ),
        event(
            4,
            1_300,
            "message_template_status_update",
            json!({"event": "REJECTED", "message_template_id": 78, "message_template_name": "abandoned_cart",
                   "message_template_language": "en", "reason": "INVALID_FORMAT",
                   "rejection_info": {"reason": "Parameters side by side.",
                                      "recommendation": "Separate them with text."}}),
        ),
        event(
            5,
            1_400,
            "template_category_update",
            json!({"message_template_id": 79, "message_template_name": "welcome_template",
                   "message_template_language": "en-US", "new_category": "UTILITY",
                   "correct_category": "MARKETING", "category_update_timestamp": 90_000}),
        ),
        event(
            6,
            1_500,
            "account_update",
            json!({"event": "ACCOUNT_VIOLATION", "violation_info": {"violation_type": "SCAM"}}),
        ),
        event(
            7,
            1_600,
            "message_template_status_update",
            json!({"event": "APPROVED", "message_template_id": 79, "message_template_name": "welcome_template",
                   "message_template_language": "en-US", "reason": "NONE"}),
        ),
    ]
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn kinds(changes: &[health::HealthChange]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{}:{}", c.kind, c.new_value.as_deref().unwrap_or("-")))
        .collect()
}

/// The parts of the health that come from the log (the changes' ids are
/// local row numbers).
fn from_log(h: &AccountHealth) -> (Value, Vec<String>, Vec<String>) {
    (
        json!({"numbers": h.numbers, "templates": h.templates}),
        kinds(&h.changes),
        kinds(&h.alerts),
    )
}

#[test]
fn webhooks_set_rating_tier_and_template_reasons_and_raise_alerts() {
    let (_d, mut store) = open();
    let applied = apply_events(&mut store, RELAY, &log()).unwrap();
    assert!(applied.health_changed);
    assert_eq!(applied.flagged, 0, "every health field is understood");

    let h = health::read(&store).unwrap();
    assert_eq!(h.numbers.len(), 1);
    let n = &h.numbers[0];
    assert_eq!(n.number, NUMBER);
    assert_eq!(n.quality_rating.as_deref(), Some("RED"));
    assert!(n.flagged);
    assert_eq!(n.messaging_tier.as_deref(), Some("TIER_2K"));

    let spring = h
        .templates
        .iter()
        .find(|t| t.name == "spring_sale")
        .unwrap();
    assert_eq!(spring.status, "PAUSED");
    assert_eq!(spring.category.as_deref(), Some("MARKETING"));
    assert_eq!(spring.why.reason, None, "NONE is no reason");
    assert_eq!(spring.why.title.as_deref(), Some("FIRST_PAUSE"));
    assert_eq!(
        spring.why.detail.as_deref(),
        Some("Paused for low quality.")
    );
    let cart = h
        .templates
        .iter()
        .find(|t| t.name == "abandoned_cart")
        .unwrap();
    assert_eq!(cart.status, "REJECTED");
    assert_eq!(cart.why.reason.as_deref(), Some("INVALID_FORMAT"));
    assert_eq!(
        cart.why.recommendation.as_deref(),
        Some("Separate them with text.")
    );
    let welcome = h
        .templates
        .iter()
        .find(|t| t.name == "welcome_template")
        .unwrap();
    assert_eq!(welcome.status, "APPROVED");
    let change = welcome.category_change.as_ref().unwrap();
    assert!(change.impending);
    assert_eq!(change.from.as_deref(), Some("UTILITY"));
    assert_eq!(change.to.as_deref(), Some("MARKETING"));
    assert_eq!(change.effective_at, Some(90_000));

    // Newest first; an approval is logged but raises no banner.
    assert_eq!(
        kinds(&h.changes),
        [
            "template_status:APPROVED",
            "account:ACCOUNT_VIOLATION",
            "template_category:MARKETING",
            "template_status:REJECTED",
            "template_status:PAUSED",
            "tier:TIER_2K",
            "quality:RED",
            "tier:TIER_10K",
        ]
    );
    assert_eq!(
        kinds(&h.alerts),
        [
            "account:ACCOUNT_VIOLATION",
            "template_category:MARKETING",
            "template_status:REJECTED",
            "template_status:PAUSED",
            "tier:TIER_2K",
            "quality:RED",
        ]
    );
    assert_eq!(h.alerts[0].reason.as_deref(), Some("SCAM"));
    let tier = h.alerts.iter().find(|c| c.kind == "tier").unwrap();
    assert_eq!(tier.old_value.as_deref(), Some("TIER_10K"));
}

#[test]
fn replaying_the_log_changes_nothing_and_a_second_desktop_agrees() {
    let (_d, mut store) = open();
    apply_events(&mut store, RELAY, &log()).unwrap();
    let before = from_log(&health::read(&store).unwrap());
    // The same events again, as a relay moved to a new address replays them.
    apply_events(&mut store, "http://relay-moved", &log()).unwrap();
    assert_eq!(from_log(&health::read(&store).unwrap()), before);

    // Another desktop, the log in batches.
    let (_d2, mut other) = open();
    let events = log();
    apply_events(&mut other, RELAY, &events[..3]).unwrap();
    apply_events(&mut other, RELAY, &events[3..]).unwrap();
    assert_eq!(from_log(&health::read(&other).unwrap()), before);
}

#[test]
fn an_older_event_arriving_late_does_not_undo_a_newer_one() {
    let (_d, mut store) = open();
    let flagged = event(
        1,
        2_000,
        "phone_number_quality_update",
        json!({"display_phone_number": NUMBER, "event": "FLAGGED", "current_limit": "TIER_250"}),
    );
    let stale = event(
        2,
        1_000,
        "phone_number_quality_update",
        json!({"display_phone_number": "+1 555-078-3881", "event": "UNFLAGGED",
               "current_limit": "TIER_10K"}),
    );
    apply_events(&mut store, RELAY, &[flagged, stale]).unwrap();
    let h = health::read(&store).unwrap();
    assert_eq!(h.numbers.len(), 1, "one number, however it is written");
    assert!(h.numbers[0].flagged);
    assert_eq!(h.numbers[0].quality_rating.as_deref(), Some("RED"));
    assert_eq!(h.numbers[0].messaging_tier.as_deref(), Some("TIER_250"));
}

#[test]
fn dismissing_hides_the_alerts_until_a_new_one() {
    let (_d, mut store) = open();
    let events = log();
    apply_events(&mut store, RELAY, &events[..2]).unwrap();
    let h = health::read(&store).unwrap();
    assert_eq!(h.alerts.len(), 2);
    health::dismiss(&mut store, h.alerts[0].id).unwrap();
    let h = health::read(&store).unwrap();
    assert!(h.alerts.is_empty());
    assert_eq!(h.changes.len(), 3, "the history stays");
    // Dismissing an older id does not bring them back.
    health::dismiss(&mut store, 1).unwrap();
    assert!(health::read(&store).unwrap().alerts.is_empty());

    apply_events(&mut store, RELAY, &events[2..3]).unwrap();
    assert_eq!(
        kinds(&health::read(&store).unwrap().alerts),
        ["template_status:PAUSED"]
    );
}

fn graph(sim: &SimHandle) -> GraphClient {
    let config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
        .with_base_url(sim.graph_base_url());
    GraphClient::new(config, Secret::new(sim.config().access_token.clone())).unwrap()
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[tokio::test]
async fn the_graph_api_s_rating_and_tier_are_read_and_a_drop_raises_the_banner() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: SharedStore = Arc::new(Mutex::new(Store::open_in_dir(dir.path()).unwrap()));
    let graph = graph(&sim);

    // On connect: the number's rating and tier, no alert for a first reading.
    health::refresh(&store, &graph, now_ms()).await.unwrap();
    let h = health::read(&store.lock().unwrap()).unwrap();
    assert_eq!(h.numbers.len(), 1);
    assert_eq!(h.numbers[0].number, sim.config().display_phone_number);
    assert_eq!(h.numbers[0].quality_rating.as_deref(), Some("GREEN"));
    assert_eq!(h.numbers[0].messaging_tier.as_deref(), Some("TIER_2K"));
    assert!(h.numbers[0].checked_at_ms.is_some());
    assert!(h.alerts.is_empty());

    sim.change_account(AccountChange {
        quality_rating: Some("YELLOW".to_owned()),
        messaging_tier: Some("TIER_10K".to_owned()),
        ..AccountChange::default()
    })
    .await
    .unwrap();
    assert!(
        health::refresh(&store, &graph, now_ms() + 1_000)
            .await
            .unwrap()
    );
    let h = health::read(&store.lock().unwrap()).unwrap();
    assert_eq!(h.numbers[0].quality_rating.as_deref(), Some("YELLOW"));
    assert_eq!(h.numbers[0].messaging_tier.as_deref(), Some("TIER_10K"));
    assert_eq!(kinds(&h.alerts), ["tier:TIER_10K", "quality:YELLOW"]);

    // Reading again with nothing new changes nothing.
    assert!(
        !health::refresh(&store, &graph, now_ms() + 2_000)
            .await
            .unwrap()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_picker_says_why_a_template_cannot_be_sent() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: SharedStore = Arc::new(Mutex::new(Store::open_in_dir(dir.path()).unwrap()));
    let graph = graph(&sim);
    let synced_at = now_ms();
    templates::sync(&store, &graph, synced_at).await.unwrap();

    // Meta pauses spring_sale after the sync; the resync has not run yet.
    sim.change_template_status(TemplateStatusChange {
        name: "spring_sale".to_owned(),
        language: "en_US".to_owned(),
        status: Some("PAUSED".to_owned()),
        reason: None,
        description: Some("Paused after customers blocked the business.".to_owned()),
        category: None,
        impending: false,
    })
    .await
    .unwrap();
    let paused_at = synced_at / 1000 + 5;
    apply_events(
        &mut store.lock().unwrap(),
        RELAY,
        &[event(
            1,
            paused_at,
            "message_template_status_update",
            json!({"event": "PAUSED", "message_template_name": "spring_sale",
                   "message_template_language": "en_US", "reason": "NONE",
                   "other_info": {"title": "FIRST_PAUSE",
                                  "description": "Paused after customers blocked the business."}}),
        )],
    )
    .unwrap();

    let all = TemplateFilter::default();
    let list = |filter: &TemplateFilter| {
        templates::list(
            &store.lock().unwrap(),
            filter,
            &RateTable::default(),
            now_ms(),
        )
        .unwrap()
    };
    let options = list(&all);
    let spring = options
        .iter()
        .find(|o| o.key.name == "spring_sale" && o.key.language == "en_US")
        .unwrap();
    assert_eq!(spring.status, "PAUSED");
    assert!(spring.disabled_reason.is_some());
    assert_eq!(
        spring.why.detail.as_deref(),
        Some("Paused after customers blocked the business.")
    );
    let rejected = options
        .iter()
        .find(|o| o.key.name == "crypto_giveaway")
        .unwrap();
    assert_eq!(rejected.status, "REJECTED");
    let approved_only = list(&TemplateFilter {
        only_approved: true,
        ..TemplateFilter::default()
    });
    assert!(approved_only.iter().all(|o| o.status == "APPROVED"));
    assert!(
        !approved_only
            .iter()
            .any(|o| o.key.name == "spring_sale" && o.key.language == "en_US")
    );

    // After the resync the catalogue itself says PAUSED; the reason stays.
    templates::sync(&store, &graph, now_ms() + 10_000)
        .await
        .unwrap();
    let options = list(&all);
    let spring = options
        .iter()
        .find(|o| o.key.name == "spring_sale" && o.key.language == "en_US")
        .unwrap();
    assert_eq!(spring.status, "PAUSED");
    assert_eq!(spring.why.title.as_deref(), Some("FIRST_PAUSE"));
    sim.shutdown().await;
}
