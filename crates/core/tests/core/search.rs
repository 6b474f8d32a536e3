//! Search over a real SQLite file: messages, private notes and contacts,
//! kept in step with edits, revokes and contact merges, hostile input
//! searched as text, and a chat opened at a hit.

#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::{ConversationId, Direction, MessageContent, MessageId};
use hourglass_core::search::{HitKind, Limits, SearchResults};
use hourglass_core::store::{Inserted, NewContact, NewMessage, Store};
use hourglass_protocol::team::AgentEvent;

const NUMBER: &str = "106540352242922";

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn contact(store: &mut Store, phone: &str, name: Option<&str>) -> ConversationId {
    store
        .write(|w| {
            let c = w.upsert_contact(&NewContact {
                phone: Some(phone.into()),
                user_id: None,
                name: name.map(str::to_owned),
                username: None,
            })?;
            w.conversation_for(c, NUMBER)
        })
        .unwrap()
}

fn message(store: &mut Store, conv: ConversationId, wamid: &str, body: &str, at: i64) -> MessageId {
    let inserted = store
        .write(|w| {
            w.insert_message(&NewMessage {
                wamid: wamid.into(),
                conversation_id: conv,
                direction: Direction::Inbound,
                kind: "text".into(),
                body: body.into(),
                payload: None,
                sent_at: at,
                status: None,
                reply_to_wamid: None,
            })
        })
        .unwrap();
    match inserted {
        Inserted::New(id) => id,
        Inserted::Duplicate(_) => panic!("{wamid} stored twice"),
    }
}

fn note(store: &mut Store, seq: u64, customer: &str, body: &str) {
    let event = AgentEvent::Note {
        id: format!("n{seq}"),
        customer: customer.to_owned(),
        phone_number_id: NUMBER.to_owned(),
        body: body.to_owned(),
    };
    let at_ms = 1_760_000_000_000 + seq as i64;
    store
        .write(|w| {
            w.record_agent_event(
                seq,
                Some("maria"),
                &format!("k{seq}"),
                &event.to_payload().to_string(),
                at_ms,
            )?;
            w.apply_team_event(seq, Some("maria"), at_ms, &event)
        })
        .unwrap();
}

fn search(store: &Store, q: &str) -> SearchResults {
    store.search(q, Limits::default()).unwrap()
}

fn text(hit: &hourglass_core::search::SearchHit) -> (String, Vec<String>) {
    (
        hit.snippet.iter().map(|s| s.text.as_str()).collect(),
        hit.snippet
            .iter()
            .filter(|s| s.hit)
            .map(|s| s.text.clone())
            .collect(),
    )
}

#[test]
fn messages_are_found_newest_first_with_the_words_marked() {
    let (_dir, mut store) = open();
    let ana = contact(&mut store, "+34 655 12 34 56", Some("Ana López"));
    let bob = contact(&mut store, "+1 650 555 1234", None);
    message(&mut store, ana, "w1", "Where is my refund?", 1_760_000_000);
    message(
        &mut store,
        bob,
        "w2",
        "The REFUND arrived, thanks",
        1_760_000_100,
    );
    message(&mut store, ana, "w3", "Nothing to see here", 1_760_000_200);
    message(
        &mut store,
        bob,
        "w4",
        "Café au lait, por favor",
        1_760_000_300,
    );

    let found = search(&store, "refund");
    let rows: Vec<_> = found.messages.iter().map(text).collect();
    assert_eq!(
        rows,
        vec![
            ("The REFUND arrived, thanks".into(), vec!["REFUND".into()]),
            ("Where is my refund?".into(), vec!["refund".into()]),
        ]
    );
    assert_eq!(found.messages[0].conversation_id, bob);
    assert_eq!(found.messages[0].title, "+16505551234");
    assert_eq!(found.messages[1].title, "Ana López");
    assert_eq!(found.messages[1].at, 1_760_000_000);

    // The last word is a prefix while typing; accents do not matter.
    assert_eq!(search(&store, "refu").messages.len(), 2);
    assert_eq!(search(&store, "refu ").messages.len(), 0);
    assert_eq!(search(&store, "cafe").messages.len(), 1);
    // Every word must match.
    assert_eq!(search(&store, "refund thanks").messages.len(), 1);
    assert!(search(&store, "refund giraffe").is_empty());
}

#[test]
fn hostile_queries_are_searched_as_text_and_never_fail() {
    let (_dir, mut store) = open();
    let c = contact(&mut store, "+34655123456", None);
    let id = message(
        &mut store,
        c,
        "w1",
        "<img src=x onerror=alert(1)> \"quoted\" AND NEAR(a b) -minus *star",
        1,
    );
    for q in [
        "\"",
        "\"\"\"",
        "*",
        "AND",
        "OR NOT",
        "NEAR(",
        "a:b",
        "-minus",
        "(",
        ")",
        "^",
        "'",
        "{x}",
        "onerror=alert(1)",
        "\u{E000}",
        "\0",
        "💥",
        "quoted\"",
        "column:body",
    ] {
        search(&store, q); // must not fail
    }
    let found = search(&store, "onerror");
    assert!(matches!(found.messages[0].kind, HitKind::Message { message_id } if message_id == id));
    let (whole, _) = text(&found.messages[0]);
    assert!(whole.contains("<img src=x onerror=alert(1)>"), "{whole}");
    assert_eq!(search(&store, "\"quoted\"").messages.len(), 1);
    assert_eq!(search(&store, "AND").messages.len(), 1);
    assert_eq!(search(&store, "NEAR(a").messages.len(), 1);
}

#[test]
fn edits_revokes_and_merges_keep_the_index_in_step() {
    let (_dir, mut store) = open();
    let c = contact(&mut store, "+34655123456", Some("Ana"));
    message(&mut store, c, "w1", "the parcel is late", 1);
    message(&mut store, c, "w2", "and broken", 2);
    store
        .write(|w| {
            w.edit_message(
                "w1",
                "the package is late",
                &MessageContent::Text {
                    body: "the package is late".into(),
                },
                10,
            )?;
            w.revoke_message("w2", 11)
        })
        .unwrap();
    assert!(search(&store, "parcel").is_empty());
    assert_eq!(search(&store, "package").messages.len(), 1);
    assert!(search(&store, "broken").is_empty());

    // The same person seen by user id, then by number: one contact.
    store
        .write(|w| {
            w.upsert_contact(&NewContact {
                phone: None,
                user_id: Some("ES.1234567890".into()),
                name: Some("Ana Two".into()),
                username: None,
            })?;
            w.upsert_contact(&NewContact {
                phone: Some("+34655123456".into()),
                user_id: Some("ES.1234567890".into()),
                name: None,
                username: None,
            })
        })
        .unwrap();
    let found = search(&store, "655123");
    assert_eq!(found.contacts.len(), 1, "{found:?}");
    assert_eq!(search(&store, "ES.123").contacts.len(), 1);
    // Deleted rows leave the index, whether indexed yet or still pending.
    let gone = message(&mut store, c, "w3", "withdrawn placeholder", 3);
    store
        .with_connection(|c| {
            c.execute("DELETE FROM messages WHERE id = ?1", [gone])?;
            c.execute(
                "INSERT INTO messages (wamid, conversation_id, direction, kind, body, sent_at, created_at)
                 SELECT 'w4', conversation_id, 'inbound', 'text', 'pending withdrawn', 4, 0
                 FROM messages WHERE wamid = 'w1'",
                [],
            )?;
            c.execute("DELETE FROM messages WHERE wamid = 'w4'", [])?;
            Ok(())
        })
        .unwrap();
    assert!(search(&store, "withdrawn").is_empty());
    // The integrity check reads every index entry against its table.
    store
        .with_connection(|c| {
            for table in ["messages_fts", "contacts_fts", "notes_fts"] {
                c.execute(
                    &format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')"),
                    [],
                )?;
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn contacts_are_found_by_part_of_a_name_or_number() {
    let (_dir, mut store) = open();
    let ana = contact(&mut store, "+34655123456", Some("Ana López"));
    contact(&mut store, "+16505551234", Some("Bob"));
    let found = search(&store, "lopez");
    assert_eq!(found.contacts.len(), 1);
    assert_eq!(found.contacts[0].conversation_id, ana);
    assert_eq!(text(&found.contacts[0]).1, vec!["Lóp".to_owned() + "ez"]);
    assert_eq!(search(&store, "+34 655 12").contacts.len(), 1);
    assert_eq!(search(&store, "5551").contacts[0].title, "Bob");
    assert!(search(&store, "55").contacts.is_empty());
}

#[test]
fn notes_are_found_and_open_their_conversation() {
    let (_dir, mut store) = open();
    let ana = contact(&mut store, "+34655123456", Some("Ana"));
    note(
        &mut store,
        1,
        "+34655123456",
        "Customer prefers a call after 5pm",
    );
    // A note about a customer this desktop has not seen is not a hit yet.
    note(&mut store, 2, "+447700900123", "call back tomorrow");
    let found = search(&store, "call");
    assert_eq!(found.notes.len(), 1);
    assert_eq!(found.notes[0].conversation_id, ana);
    assert!(matches!(&found.notes[0].kind, HitKind::Note { note_id } if note_id == "n1"));
    assert!(found.messages.is_empty());
    // Once the customer writes, the earlier note is found too.
    contact(&mut store, "+447700900123", None);
    assert_eq!(search(&store, "call").notes.len(), 2);
}

#[test]
fn a_chat_opens_around_its_hit() {
    let (_dir, mut store) = open();
    let c = contact(&mut store, "+34655123456", None);
    let other = contact(&mut store, "+16505551234", None);
    let ids: Vec<MessageId> = (0..1_000)
        .map(|i| {
            message(
                &mut store,
                c,
                &format!("w{i}"),
                &format!("message {i}"),
                1_000 + i,
            )
        })
        .collect();
    let around = store.list_messages_around(c, ids[100], 50).unwrap();
    let got: Vec<MessageId> = around.iter().map(|m| m.id).collect();
    assert_eq!(got, ids[75..125].to_vec());
    // Near either end, the other side makes up the difference.
    let around = |i: usize| -> Vec<MessageId> {
        store
            .list_messages_around(c, ids[i], 50)
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect()
    };
    assert_eq!(around(2), ids[0..50].to_vec());
    assert_eq!(around(990), ids[950..1000].to_vec());
    assert_eq!(around(999), ids[950..1000].to_vec());
    // A message of another conversation is refused.
    assert!(store.list_messages_around(other, ids[2], 50).is_err());
}
