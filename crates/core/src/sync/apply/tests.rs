//! Gathering conversation summaries over a batch leaves the same rows as
//! applying the same events one at a time.

use super::*;
use hourglass_protocol::EventKind;
use serde_json::{Value, json};

fn event(seq: u64, kind: EventKind, payload: Value) -> Event {
    Event {
        seq,
        kind,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * i64::try_from(seq).unwrap(),
        agent: None,
        payload,
    }
}

fn inbound(seq: u64, contact: Value, message: Value) -> Event {
    event(
        seq,
        EventKind::Webhook,
        json!({ "object": "whatsapp_business_account",
                "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
                    "metadata": { "display_phone_number": "1555", "phone_number_id": "pn" },
                    "contacts": [contact], "messages": [message] }}]}]}),
    )
}

fn text(from: &str, id: &str, at: i64, body: &str) -> Value {
    json!({"from": from, "id": id, "timestamp": at.to_string(), "type": "text",
           "text": {"body": body}})
}

fn outbound(seq: u64, to: &str, wamid: &str, at: i64, body: &str) -> Event {
    event(
        seq,
        EventKind::Agent,
        json!({"type": "outbound", "wamid": wamid, "to": to, "phone_number_id": "pn",
               "body": body, "sent_at": at}),
    )
}

fn events() -> Vec<Event> {
    let ana = json!({"profile": {"name": "Ana"}, "wa_id": "16505551234"});
    let bo = json!({"profile": {"name": "Bo"}, "wa_id": "16505550000"});
    let user = json!({"profile": {"name": "U"}, "user_id": "US.9"});
    let phone = json!({"profile": {"name": "P"}, "wa_id": "16505559999"});
    let both = json!({"profile": {"name": "UP"}, "wa_id": "16505559999", "user_id": "US.9"});
    vec![
        inbound(1, ana.clone(), text("16505551234", "w1", 100, "first")),
        inbound(2, ana.clone(), text("16505551234", "w2", 90, "older")),
        inbound(3, bo.clone(), text("16505550000", "w3", 100, "bo one")),
        outbound(4, "16505551234", "o1", 100, "reply at the same second"),
        inbound(
            5,
            ana.clone(),
            text("16505551234", "w4", 100, "tie after the reply"),
        ),
        inbound(6, bo.clone(), text("16505550000", "w5", 99, "bo older")),
        event(
            7,
            EventKind::Webhook,
            json!({"entry": [{"id": "waba", "changes": [{"field": "messages", "value": {
                "metadata": {"phone_number_id": "pn"}, "contacts": [bo],
                "messages": [{"from": "16505550000", "id": "r1", "timestamp": "120",
                              "type": "reaction",
                              "reaction": {"message_id": "w3", "emoji": "👍"}}]}}]}]}),
        ),
        inbound(
            8,
            ana.clone(),
            text("16505551234", "w6", 130, "newest\nsecond line"),
        ),
        outbound(9, "16505550000", "o2", 140, "to bo"),
        inbound(
            10,
            ana,
            text("16505551234", "w1", 500, "a repeat changes nothing"),
        ),
        inbound(
            11,
            user,
            json!({"from_user_id": "US.9", "id": "u1", "timestamp": "200", "type": "text",
                   "text": {"body": "by user id"}}),
        ),
        inbound(12, phone, text("16505559999", "p1", 210, "by number")),
        inbound(
            13,
            both,
            json!({"from": "16505559999", "from_user_id": "US.9", "id": "b1",
                   "timestamp": "205", "type": "text", "text": {"body": "both: a merge"}}),
        ),
        inbound(
            14,
            json!({"wa_id": "16505559999"}),
            text("16505559999", "p2", 220, "after"),
        ),
    ]
}

/// Every column the sync writes, of every conversation and contact, and
/// the messages' conversations.
fn rows(store: &Store) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut out = Vec::new();
            for sql in [
                "SELECT id, contact_id, phone_number_id, last_activity_at, last_inbound_at,
                        last_preview, last_direction, unread_count, lead_source, lead_at,
                        first_reply_at FROM conversations ORDER BY id",
                "SELECT id, phone_e164, user_id, wa_id, name, first_inbound_wamid,
                        first_inbound_at FROM contacts ORDER BY id",
                "SELECT wamid, conversation_id, body FROM messages ORDER BY id",
            ] {
                let mut stmt = c.prepare(sql)?;
                let n = stmt.column_count();
                let mut q = stmt.query([])?;
                while let Some(r) = q.next()? {
                    let cols: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    out.push(cols.join(" | "));
                }
            }
            Ok(out)
        })
        .unwrap()
}

#[test]
fn one_batch_leaves_the_rows_one_event_at_a_time_leaves() {
    let events = events();
    let dir = tempfile::tempdir().unwrap();
    let mut batch = Store::open_in_dir(&dir.path().join("batch")).unwrap();
    let mut single = Store::open_in_dir(&dir.path().join("single")).unwrap();
    let applied = apply_events(&mut batch, "r", &events).unwrap();
    let mut one_by_one = Applied::default();
    for e in &events {
        one_by_one.merge(apply_events(&mut single, "r", std::slice::from_ref(e)).unwrap());
    }
    assert_eq!(rows(&batch), rows(&single));
    assert_eq!(applied.new_messages, 12);
    assert_eq!(applied.new_messages, one_by_one.new_messages);
    assert_eq!(applied.incoming, one_by_one.incoming);
    let list = batch.list_conversations(10).unwrap();
    let ana = list
        .iter()
        .find(|c| c.contact.name.as_deref() == Some("Ana"))
        .unwrap();
    assert_eq!(ana.last_preview, "newest");
    assert_eq!(ana.unread_count, 4);
    assert_eq!(ana.last_inbound_at, Some(130));
    let bo = list
        .iter()
        .find(|c| c.contact.name.as_deref() == Some("Bo"))
        .unwrap();
    assert_eq!(bo.last_preview, "to bo");
    assert_eq!(bo.last_direction, Some(crate::inbox::Direction::Outbound));
    assert_eq!(bo.unread_count, 2);
    // The merge left one contact and one conversation for the number and user id.
    let merged: Vec<_> = list
        .iter()
        .filter(|c| c.contact.user_id.as_deref() == Some("US.9"))
        .collect();
    assert_eq!(merged.len(), 1, "{list:?}");
    assert_eq!(merged[0].unread_count, 4);
    assert_eq!(merged[0].last_preview, "after");
}

/// With an event that fails on its data, the batch is redone one event at a
/// time (a savepoint each); the rows are the same as without it.
#[test]
fn the_careful_path_leaves_the_same_rows() {
    let mut with_bad = events();
    with_bad.insert(
        3,
        inbound(
            99,
            json!({"wa_id": "not a number"}),
            text("not a number", "bad", 100, "x"),
        ),
    );
    for (i, e) in with_bad.iter_mut().enumerate() {
        e.seq = u64::try_from(i).unwrap() + 1;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut careful = Store::open_in_dir(&dir.path().join("careful")).unwrap();
    let mut plain = Store::open_in_dir(&dir.path().join("plain")).unwrap();
    let applied = apply_events(&mut careful, "r", &with_bad).unwrap();
    assert_eq!(applied.flagged, 1);
    let good: Vec<Event> = with_bad.iter().filter(|e| e.seq != 4).cloned().collect();
    apply_events(&mut plain, "r", &good).unwrap();
    assert_eq!(rows(&careful), rows(&plain));
}
