//! The timeline tells the truth: what a webhook says about a message only
//! shows on the bubble it really belongs to, and failures keep Meta's words.

#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::Direction;
use hourglass_core::store::{STATUS_ON_INBOUND, Store};
use hourglass_core::sync::apply_events;
use hourglass_protocol::{Event, EventKind};
use serde_json::{Value, json};

const RELAY: &str = "http://relay";

fn webhook(seq: u64, value: Value) -> Event {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({ "display_phone_number": "15550783881", "phone_number_id": "pn" });
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: None,
        payload: json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": value }]}]
        }),
    }
}

fn inbound_text(seq: u64, wamid: &str, at: i64, body: &str) -> Event {
    webhook(
        seq,
        json!({
            "contacts": [{"profile": {"name": "Sheena"}, "wa_id": "16505551234"}],
            "messages": [{"from": "16505551234", "id": wamid, "timestamp": at.to_string(),
                          "type": "text", "text": {"body": body}}]
        }),
    )
}

fn failed_status(seq: u64, wamid: &str, code: i64) -> Event {
    webhook(
        seq,
        json!({
            "statuses": [{"id": wamid, "status": "failed", "timestamp": "200",
                          "recipient_id": "16505551234",
                          "errors": [{"code": code, "title": "Rate limit hit",
                                      "message": "Rate limit hit",
                                      "error_data": {"details": "Too many messages"}}]}]
        }),
    )
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn flags(store: &Store, kind: &str) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT reason FROM flagged_events WHERE kind = ?1")?;
            let rows = stmt
                .query_map([kind], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap()
}

#[test]
fn a_status_naming_a_customer_message_is_flagged_and_not_shown() {
    let (_d, mut store) = open();
    apply_events(
        &mut store,
        RELAY,
        &[inbound_text(1, "wamid.in", 100, "my parcel?")],
    )
    .unwrap();
    let change = apply_events(&mut store, RELAY, &[failed_status(2, "wamid.in", 130472)]).unwrap();
    let m = store.message_by_wamid("wamid.in").unwrap().unwrap();
    assert_eq!(m.direction, Direction::Inbound);
    assert_eq!(
        m.status, None,
        "the customer's bubble has no delivery state"
    );
    assert!(m.failure.is_none(), "and no failure: {:?}", m.failure);
    assert!(
        !change.messages.contains(&m.id),
        "the window is not told the bubble changed"
    );
    let kept = flags(&store, STATUS_ON_INBOUND);
    assert_eq!(kept.len(), 1, "the status is kept flagged");
    assert!(kept[0].contains("wamid.in"), "{}", kept[0]);
}

#[test]
fn a_status_waiting_for_a_message_that_turns_out_inbound_is_flagged() {
    let (_d, mut store) = open();
    // The status arrives first and waits for its message.
    apply_events(&mut store, RELAY, &[failed_status(1, "wamid.in", 130472)]).unwrap();
    assert!(flags(&store, STATUS_ON_INBOUND).is_empty());
    apply_events(
        &mut store,
        RELAY,
        &[inbound_text(2, "wamid.in", 100, "hello")],
    )
    .unwrap();
    let m = store.message_by_wamid("wamid.in").unwrap().unwrap();
    assert_eq!(m.status, None);
    assert!(m.failure.is_none());
    assert_eq!(flags(&store, STATUS_ON_INBOUND).len(), 1);
}
