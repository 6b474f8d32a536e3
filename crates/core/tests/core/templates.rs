//! The template catalogue against the Cloud API simulator: every page
//! synced, the picker's filters, opt-outs, the live preview and the cost.

#![allow(clippy::unwrap_used)]

use hourglass_core::problem::ErrorCode;
use std::sync::{Arc, Mutex};

use hourglass_core::cost::{PricingCategory, RateTable};
use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::{ConversationId, Direction};
use hourglass_core::outbox;
use hourglass_core::secrets::Secret;
use hourglass_core::store::{NewContact, NewMessage, Store};
use hourglass_core::sync::SharedStore;
use hourglass_core::templates::{self, TemplateFilter, TemplateKey, TemplateSlot, TemplateValue};
use hourglass_sim::{Sim, SimConfig, SimHandle};

const CUSTOMER: &str = "+34612345678";

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn graph(sim: &SimHandle, page_size: u32) -> GraphClient {
    let mut config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
        .with_base_url(sim.graph_base_url());
    config.template_page_size = page_size;
    GraphClient::new(config, Secret::new(sim.config().access_token.clone())).unwrap()
}

/// A conversation whose customer wrote `ago` seconds before now.
fn conversation(store: &SharedStore, ago: i64) -> ConversationId {
    store
        .lock()
        .unwrap()
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(CUSTOMER.to_owned()),
                ..NewContact::default()
            })?;
            let conv = w.conversation_for(contact, "106540352242922")?;
            w.insert_message(&NewMessage {
                wamid: "wamid.hello".into(),
                conversation_id: conv,
                direction: Direction::Inbound,
                kind: "text".to_owned(),
                body: "hola".to_owned(),
                payload: None,
                sent_at: now_ms() / 1000 - ago,
                status: None,
                reply_to_wamid: None,
            })?;
            Ok(conv)
        })
        .unwrap()
}

async fn synced() -> (tempfile::TempDir, SimHandle, SharedStore) {
    let dir = tempfile::tempdir().unwrap();
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let store = Arc::new(Mutex::new(Store::open_in_dir(dir.path()).unwrap()));
    let report = templates::sync(&store, &graph(&sim, 2), now_ms())
        .await
        .unwrap();
    let catalog = hourglass_sim::catalog::templates();
    assert_eq!(report.templates as usize, catalog.len());
    assert_eq!(report.pages as usize, catalog.len().div_ceil(2));
    assert!(report.approved < report.templates, "{report:?}");
    assert!(report.unreadable.is_empty());
    (dir, sim, store)
}

#[tokio::test]
async fn sync_reads_every_page_and_replaces_the_catalogue() {
    let (_dir, sim, store) = synced().await;
    let rates = RateTable::default();
    let all = templates::list(
        &store.lock().unwrap(),
        &TemplateFilter::default(),
        &rates,
        now_ms(),
    )
    .unwrap();
    assert_eq!(all.len(), hourglass_sim::catalog::templates().len());
    // A second sync (one big page) replaces rather than adds.
    let again = templates::sync(&store, &graph(&sim, 100), now_ms())
        .await
        .unwrap();
    assert_eq!(again.pages, 1);
    let after = templates::list(
        &store.lock().unwrap(),
        &TemplateFilter::default(),
        &rates,
        now_ms(),
    )
    .unwrap();
    assert_eq!(after.len(), all.len());
    assert!(
        templates::synced_at(&store.lock().unwrap())
            .unwrap()
            .is_some()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn the_picker_filters_and_describes_each_template() {
    let (_dir, sim, store) = synced().await;
    let rates = RateTable::default();
    let list =
        |f: TemplateFilter| templates::list(&store.lock().unwrap(), &f, &rates, now_ms()).unwrap();
    let approved = list(TemplateFilter {
        only_approved: true,
        ..TemplateFilter::default()
    });
    assert!(approved.iter().all(|t| t.status == "APPROVED"));
    assert!(approved.iter().all(|t| t.disabled_reason.is_none()));
    let everything = list(TemplateFilter::default());
    let paused = everything
        .iter()
        .find(|t| t.status == "PAUSED")
        .expect("the catalogue has a paused template");
    assert!(
        paused
            .disabled_reason
            .as_ref()
            .unwrap()
            .contains("approved")
    );

    let spanish = list(TemplateFilter {
        language: Some("es".to_owned()),
        only_approved: true,
        ..TemplateFilter::default()
    });
    assert!(!spanish.is_empty());
    assert!(spanish.iter().all(|t| t.key.language == "es"));

    let marketing = list(TemplateFilter {
        category: Some(PricingCategory::Marketing),
        ..TemplateFilter::default()
    });
    assert!(!marketing.is_empty());
    assert!(
        marketing
            .iter()
            .all(|t| t.category == PricingCategory::Marketing)
    );

    // Search matches the body too ("shipped" is in order_update's body).
    let found = list(TemplateFilter {
        query: Some("SHIPPED".to_owned()),
        ..TemplateFilter::default()
    });
    assert_eq!(
        found
            .iter()
            .map(|t| t.key.name.as_str())
            .collect::<Vec<_>>(),
        ["order_update"]
    );
    let order = &found[0];
    assert_eq!(order.parameter_format, "positional");
    let slots: Vec<_> = order.variables.iter().map(|v| v.slot.clone()).collect();
    assert_eq!(
        slots,
        [
            TemplateSlot::HeaderText { var: "1".into() },
            TemplateSlot::Body { var: "1".into() },
            TemplateSlot::Body { var: "2".into() },
            TemplateSlot::Body { var: "3".into() },
            TemplateSlot::Button { index: 0 },
        ]
    );
    assert_eq!(order.variables[4].kind, "url_suffix");
    assert_eq!(order.variables[1].example.as_deref(), Some("Jessica"));
    assert!(order.preview.body.contains("{{1}}"));

    let sale = everything
        .iter()
        .find(|t| t.key.name == "spring_sale" && t.key.language == "en_US")
        .unwrap();
    assert_eq!(sale.parameter_format, "named");
    assert!(sale.variables.iter().any(|v| v.slot
        == TemplateSlot::Body {
            var: "first_name".into()
        }));
    sim.shutdown().await;
}

#[tokio::test]
async fn marketing_is_disabled_for_customers_who_opted_out_and_cost_is_estimated() {
    let (_dir, sim, store) = synced().await;
    let conv = conversation(&store, 3600);
    let rates = RateTable::default();
    let filter = TemplateFilter {
        only_approved: true,
        conversation: Some(conv),
        ..TemplateFilter::default()
    };
    let before = templates::list(&store.lock().unwrap(), &filter, &rates, now_ms()).unwrap();
    let sale = before
        .iter()
        .find(|t| t.key.name == "spring_sale" && t.key.language == "en_US")
        .unwrap();
    assert!(sale.disabled_reason.is_none());
    let cost = sale.cost.as_ref().unwrap();
    assert!(!cost.free);
    assert!(cost.reason.contains("+34"), "{}", cost.reason);
    // Utility inside the open window is free.
    let order = before
        .iter()
        .find(|t| t.key.name == "order_update" && t.key.language == "en_US")
        .unwrap();
    assert!(order.cost.as_ref().unwrap().free);

    store
        .lock()
        .unwrap()
        .write(|w| {
            w.record_user_preference(
                &CUSTOMER[1..],
                "marketing_messages",
                "stop",
                None,
                Some(now_ms() / 1000),
                1,
            )
        })
        .unwrap();
    let after = templates::list(&store.lock().unwrap(), &filter, &rates, now_ms()).unwrap();
    let sale = after
        .iter()
        .find(|t| t.key.name == "spring_sale" && t.key.language == "en_US")
        .unwrap();
    assert!(sale.disabled_reason.as_ref().unwrap().contains("marketing"));
    let key = sale.key.clone();
    let values: Vec<TemplateValue> = sale
        .variables
        .iter()
        .map(|v| TemplateValue {
            slot: v.slot.clone(),
            value: v.example.clone().unwrap_or_else(|| "x".to_owned()),
        })
        .collect();
    let err = outbox::enqueue_template(&mut store.lock().unwrap(), conv, &key, &values, now_ms())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::OptedOut);
    let rows: i64 = store
        .lock()
        .unwrap()
        .with_connection(|c| Ok(c.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(rows, 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn the_live_preview_shows_the_message_and_the_first_problem() {
    let (_dir, sim, store) = synced().await;
    let key = TemplateKey {
        name: "order_update".to_owned(),
        language: "en_US".to_owned(),
    };
    let body = |n: &str, v: &str| TemplateValue {
        slot: TemplateSlot::Body { var: n.to_owned() },
        value: v.to_owned(),
    };
    let partial = templates::preview(&store.lock().unwrap(), &key, &[body("1", "Lucía")]).unwrap();
    assert!(
        partial.body.starts_with("Hi Lucía, your order {{2}}"),
        "{}",
        partial.body
    );
    let problem = partial.problem.unwrap();
    assert_eq!(problem.meta_code, 132000, "{}", problem.message);

    let full = templates::preview(
        &store.lock().unwrap(),
        &key,
        &[
            TemplateValue {
                slot: TemplateSlot::HeaderText { var: "1".into() },
                value: "SKB-4CP".into(),
            },
            body("1", "Lucía"),
            body("2", "SKB-4CP"),
            body("3", "Friday"),
            TemplateValue {
                slot: TemplateSlot::Button { index: 0 },
                value: "SKB-4CP".into(),
            },
        ],
    )
    .unwrap();
    assert!(full.problem.is_none(), "{:?}", full.problem);
    assert_eq!(full.header_text.as_deref(), Some("Order SKB-4CP"));
    assert_eq!(
        full.buttons[0].url.as_deref(),
        Some("https://shop.example.com/track/SKB-4CP")
    );
    let missing = templates::preview(
        &store.lock().unwrap(),
        &TemplateKey {
            name: "no_such_template".into(),
            language: "en_US".into(),
        },
        &[],
    )
    .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::TemplateInvalid);
    sim.shutdown().await;
}
