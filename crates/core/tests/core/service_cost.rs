//! The price of the next free-form reply, from a real store: the team's
//! service messages this month against the monthly allowance, then the
//! customer's country's service rate.

#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use hourglass_core::cost::RateTable;
use hourglass_core::inbox::{ConversationId, Direction};
use hourglass_core::service_cost::next_reply;
use hourglass_core::store::{NewContact, NewMessage, Store};

#[test]
fn replies_are_free_within_the_allowance_then_cost_the_country_s_rate() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap();
    let this_month = now.timestamp() - 3_600;
    let last_month = Utc
        .with_ymd_and_hms(2026, 11, 30, 23, 0, 0)
        .unwrap()
        .timestamp();
    let conv: ConversationId = store
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some("34612345678".into()),
                ..NewContact::default()
            })?;
            let conv = w.conversation_for(contact, "pn")?;
            let put = |wamid: &str, direction, kind: &str, at| {
                w.insert_message(&NewMessage {
                    wamid: wamid.into(),
                    conversation_id: conv,
                    direction,
                    kind: kind.into(),
                    body: "x".into(),
                    payload: None,
                    sent_at: at,
                    status: None,
                    reply_to_wamid: None,
                })
                .map(|_| ())
            };
            put("w.in", Direction::Inbound, "text", this_month)?;
            put("w.r1", Direction::Outbound, "text", this_month)?;
            put("w.r2", Direction::Outbound, "image", this_month)?;
            // Neither a template nor last month's reply counts.
            put("w.t", Direction::Outbound, "template", this_month)?;
            put("w.old", Direction::Outbound, "text", last_month)?;
            Ok(conv)
        })
        .unwrap();

    // The default table: service messages are free.
    let free = next_reply(&store, conv, &RateTable::default(), now).unwrap();
    assert_eq!(free.used, 2);
    assert_eq!(free.rate, 0.0);
    assert!(free.free);

    let mut rates = RateTable::default();
    rates.countries.get_mut("34").unwrap().service = 0.004;
    rates.service_free_per_month = 3;
    let within = next_reply(&store, conv, &rates, now).unwrap();
    assert_eq!((within.used, within.allowance), (2, 3));
    assert!(within.free, "the third of three free replies");
    assert_eq!(within.rate, 0.004);
    assert_eq!(within.currency, "EUR");

    rates.service_free_per_month = 2;
    let past = next_reply(&store, conv, &rates, now).unwrap();
    assert!(!past.free, "the allowance is used up");
    assert_eq!(past.rate, 0.004);
}
