//! Conversation status applied from the relay's log into a real store file:
//! a customer's new message reopens a resolved or a snoozed conversation
//! (decided by log order), a snooze with an end wakes at its time, and who
//! changed the status and when is kept for the timeline and Reports.

#![allow(clippy::unwrap_used)]

use hourglass_core::reports::{self, ReportFilter};
use hourglass_core::status::{self, StatusChange};
use hourglass_core::store::Store;
use hourglass_core::sync::apply_events;
use hourglass_core::team::ConversationKey;
use hourglass_protocol::team::{AgentEvent, ConversationStatus};
use hourglass_protocol::{Event, EventKind};
use serde_json::{Value, json};

const RELAY: &str = "http://relay";
/// 2026-03-02 00:00:00 UTC.
const MONDAY: i64 = 1_772_409_600;

fn inbound(seq: u64, id: &str, at: i64) -> Event {
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: at * 1000 + 500,
        agent: None,
        payload: json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn" },
                "contacts": [{"profile": {"name": "Sheena"}, "wa_id": "16505551234"}],
                "messages": [{"from": "16505551234", "id": id, "timestamp": at.to_string(),
                              "type": "text", "text": {"body": "hello"}}]
            }}]}]
        }),
    }
}

fn set(seq: u64, agent: &str, at: i64, status: ConversationStatus, until: Option<i64>) -> Event {
    let payload: Value = AgentEvent::Status {
        customer: "+16505551234".into(),
        phone_number_id: "pn".into(),
        status,
        snooze_until: until,
    }
    .to_payload();
    Event {
        seq,
        kind: EventKind::Agent,
        dedupe_key: format!("k{seq}"),
        received_at_ms: at * 1000,
        agent: Some(agent.into()),
        payload,
    }
}

fn key() -> ConversationKey {
    ConversationKey {
        customer: "+16505551234".into(),
        phone_number_id: "pn".into(),
    }
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn history(store: &Store) -> Vec<(ConversationStatus, Option<String>, i64)> {
    store
        .status_history(&key())
        .unwrap()
        .into_iter()
        .map(|c| (c.status, c.by, c.at_ms))
        .collect()
}

use ConversationStatus::{Open, Resolved, Snoozed};

#[test]
fn a_customer_message_reopens_a_resolved_conversation() {
    let (_d, mut store) = open();
    apply_events(
        &mut store,
        RELAY,
        &[
            inbound(1, "wamid.1", MONDAY + 100),
            set(2, "maria", MONDAY + 200, Resolved, None),
        ],
    )
    .unwrap();
    let list = status::statuses(&store).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].change.status, Resolved);
    assert_eq!(list[0].change.by.as_deref(), Some("maria"));
    assert_eq!(list[0].change.at_ms, (MONDAY + 200) * 1000);

    // The same message again (a replay) is not new: nothing reopens.
    apply_events(
        &mut store,
        "http://elsewhere",
        &[inbound(3, "wamid.1", MONDAY + 100)],
    )
    .unwrap();
    assert_eq!(store.status_of(&key()).unwrap().unwrap().status, Resolved);

    apply_events(&mut store, RELAY, &[inbound(4, "wamid.2", MONDAY + 300)]).unwrap();
    assert_eq!(
        history(&store),
        [
            (Resolved, Some("maria".into()), (MONDAY + 200) * 1000),
            (Open, None, (MONDAY + 300) * 1000),
        ],
        "reopened by the customer, at their message's time"
    );
    assert!(status::statuses(&store).unwrap().is_empty(), "open again");
}

#[test]
fn a_customer_message_wakes_a_snooze_until_they_write_and_log_order_decides() {
    let (_d, mut store) = open();
    // The message at seq 2 was taken by the relay before the snooze at 3:
    // it does not wake it, even though both arrive in one batch.
    apply_events(
        &mut store,
        RELAY,
        &[
            inbound(1, "wamid.1", MONDAY + 100),
            inbound(2, "wamid.2", MONDAY + 150),
            set(3, "ivan", MONDAY + 200, Snoozed, None),
        ],
    )
    .unwrap();
    assert_eq!(store.status_of(&key()).unwrap().unwrap().status, Snoozed);
    apply_events(&mut store, RELAY, &[inbound(4, "wamid.3", MONDAY + 400)]).unwrap();
    assert_eq!(
        history(&store),
        [
            (Snoozed, Some("ivan".into()), (MONDAY + 200) * 1000),
            (Open, None, (MONDAY + 400) * 1000),
        ]
    );
    // A pending or open conversation stays as it is.
    apply_events(
        &mut store,
        RELAY,
        &[
            set(5, "ivan", MONDAY + 500, ConversationStatus::Pending, None),
            inbound(6, "wamid.4", MONDAY + 600),
        ],
    )
    .unwrap();
    assert_eq!(history(&store).len(), 3);
    assert_eq!(
        store.status_of(&key()).unwrap().unwrap().status,
        ConversationStatus::Pending
    );
}

#[test]
fn a_reopening_is_never_timed_before_the_change_it_undoes() {
    let (_d, mut store) = open();
    // Meta's clock (whole seconds) is behind the relay's here.
    apply_events(
        &mut store,
        RELAY,
        &[
            inbound(1, "wamid.1", MONDAY),
            set(2, "maria", MONDAY + 10, Resolved, None),
            inbound(3, "wamid.2", MONDAY + 5),
        ],
    )
    .unwrap();
    assert_eq!(
        history(&store).last().unwrap(),
        &(Open, None, (MONDAY + 10) * 1000)
    );
}

#[test]
fn a_snooze_with_an_end_wakes_at_its_time() {
    let (_d, mut store) = open();
    let until = MONDAY + 3_600;
    apply_events(
        &mut store,
        RELAY,
        &[
            inbound(1, "wamid.1", MONDAY),
            set(2, "maria", MONDAY + 60, Snoozed, Some(until)),
        ],
    )
    .unwrap();
    let rows = status::statuses(&store).unwrap();
    let change: &StatusChange = &rows[0].change;
    assert_eq!(change.snooze_until, Some(until));
    assert_eq!(change.at(until - 1), Snoozed);
    assert_eq!(change.at(until), Open);
    // A message after it woke is no reopening: the conversation was open.
    apply_events(&mut store, RELAY, &[inbound(3, "wamid.2", until + 10)]).unwrap();
    assert_eq!(history(&store).len(), 1);

    // Snoozed again, then the customer writes before the end: reopened.
    apply_events(
        &mut store,
        RELAY,
        &[
            set(4, "maria", until + 20, Snoozed, Some(until + 7_200)),
            inbound(5, "wamid.3", until + 30),
        ],
    )
    .unwrap();
    assert_eq!(history(&store).last().unwrap().0, Open);
    assert_eq!(history(&store).len(), 3);
}

#[test]
fn reports_count_resolved_and_reopened_per_day() {
    let (_d, mut store) = open();
    const DAY: i64 = 86_400;
    apply_events(
        &mut store,
        RELAY,
        &[
            // Monday: written, resolved at 10:00, the customer reopens at
            // 11:00, resolved again at 12:00, resolved once more (no new
            // resolution) at 12:30.
            inbound(1, "wamid.1", MONDAY + 9 * 3600),
            set(2, "maria", MONDAY + 10 * 3600, Resolved, None),
            inbound(3, "wamid.2", MONDAY + 11 * 3600),
            set(4, "maria", MONDAY + 12 * 3600, Resolved, None),
            set(5, "ivan", MONDAY + 12 * 3600 + 1800, Resolved, None),
            // Tuesday: ivan reopens it himself, snoozes it, it wakes
            // (no reopening: nobody reopened it), and he resolves it.
            set(6, "ivan", MONDAY + DAY + 3600, Open, None),
            set(
                7,
                "ivan",
                MONDAY + DAY + 7200,
                Snoozed,
                Some(MONDAY + DAY + 9000),
            ),
            set(8, "ivan", MONDAY + DAY + 10_000, Resolved, None),
            // Thursday, out of the range: the customer reopens it.
            inbound(9, "wamid.3", MONDAY + 3 * DAY),
        ],
    )
    .unwrap();
    let filter = ReportFilter {
        from: "2026-03-02".into(),
        to: "2026-03-04".into(),
        utc_offset_minutes: 0,
        agent: None,
        me: None,
    };
    let r = reports::report(&store, &filter, MONDAY + 5 * DAY).unwrap();
    let got: Vec<(&str, u32, u32)> = r
        .volume
        .iter()
        .map(|d| (d.day.as_str(), d.resolved, d.reopened))
        .collect();
    assert_eq!(
        got,
        [
            ("2026-03-02", 2, 1),
            ("2026-03-03", 1, 1),
            ("2026-03-04", 0, 0)
        ]
    );
    // Nobody is assigned, so an agent's view counts none of it.
    let ana = reports::report(
        &store,
        &ReportFilter {
            agent: Some("ana".into()),
            ..filter
        },
        MONDAY + 5 * DAY,
    )
    .unwrap();
    assert!(
        ana.volume
            .iter()
            .all(|d| d.resolved == 0 && d.reopened == 0)
    );
}
