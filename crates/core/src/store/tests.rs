use super::migration::{Migration, migrate_with};
use super::*;
use crate::problem::ErrorCode;

fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn message(conv: ConversationId, wamid: &str, dir: Direction, at: i64, body: &str) -> NewMessage {
    NewMessage {
        wamid: Wamid(wamid.to_owned()),
        conversation_id: conv,
        direction: dir,
        kind: "text".to_owned(),
        body: body.to_owned(),
        payload: None,
        sent_at: at,
        status: None,
        reply_to_wamid: None,
    }
}

#[test]
fn an_edited_migration_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut conn = Connection::open(&path).unwrap();
    let v1 = [Migration {
        version: 1,
        name: "one",
        sql: "CREATE TABLE a (x INTEGER);",
    }];
    assert_eq!(migrate_with(&mut conn, &path, &v1).unwrap(), 1);
    let edited = [Migration {
        version: 1,
        name: "one",
        sql: "CREATE TABLE a (x INTEGER, y TEXT);",
    }];
    let err = migrate_with(&mut conn, &path, &edited).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MigrationChanged, "{err}");
}

#[test]
fn pending_migrations_apply_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut conn = Connection::open(&path).unwrap();
    let broken = [
        Migration {
            version: 1,
            name: "good",
            sql: "CREATE TABLE a (x INTEGER);",
        },
        Migration {
            version: 2,
            name: "bad",
            sql: "CREATE TABLE a (x INTEGER);",
        },
    ];
    assert!(migrate_with(&mut conn, &path, &broken).is_err());
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('a', 'schema_migrations')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        tables, 0,
        "a failed migration run must leave nothing behind"
    );
}

#[test]
fn the_same_person_by_number_or_user_id_is_one_contact() {
    let (_dir, mut store) = temp_store();
    let (a, b, c) = store
        .write(|w| {
            let a = w.upsert_contact(&NewContact {
                phone: Some("16505551234".into()),
                user_id: None,
                name: Some("Sheena".into()),
                username: None,
            })?;
            let b = w.upsert_contact(&NewContact {
                phone: Some("+1 650-555-1234".into()),
                user_id: Some("US.1349".into()),
                name: None,
                username: None,
            })?;
            let c = w.upsert_contact(&NewContact {
                phone: None,
                user_id: Some("US.1349".into()),
                name: Some("Sheena Nelson".into()),
                username: None,
            })?;
            Ok((a, b, c))
        })
        .unwrap();
    assert_eq!(a, b);
    assert_eq!(b, c);
    let err = store
        .write(|w| w.upsert_contact(&NewContact::default()))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ContactWithoutIdentity);
}

#[test]
fn conversations_order_by_last_activity_and_track_preview_window_and_unread() {
    let (_dir, mut store) = temp_store();
    let (c1, c2) = store
        .write(|w| {
            let ana = w.upsert_contact(&NewContact {
                phone: Some("34612345678".into()),
                name: Some("Ana".into()),
                ..Default::default()
            })?;
            let bob = w.upsert_contact(&NewContact {
                phone: Some("16505550001".into()),
                ..Default::default()
            })?;
            let c1 = w.conversation_for(ana, "pn1")?;
            let c2 = w.conversation_for(bob, "pn1")?;
            assert_eq!(w.conversation_for(ana, "pn1")?, c1);
            w.insert_message(&message(c1, "wamid.a1", Direction::Inbound, 1_000, "hola"))?;
            w.insert_message(&message(
                c2,
                "wamid.b1",
                Direction::Inbound,
                2_000,
                "hi\nthere",
            ))?;
            // An older message arriving late does not replace the preview.
            w.insert_message(&message(c2, "wamid.b0", Direction::Inbound, 1_500, "older"))?;
            w.insert_message(&message(
                c1,
                "wamid.a2",
                Direction::Outbound,
                3_000,
                "¿Qué tal?",
            ))?;
            Ok((c1, c2))
        })
        .unwrap();
    let list = store.list_conversations(50).unwrap();
    assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c1, c2]);
    assert_eq!(list[0].display_name, "Ana");
    assert_eq!(list[0].last_preview, "¿Qué tal?");
    assert_eq!(list[0].last_direction, Some(Direction::Outbound));
    assert_eq!(list[0].last_inbound_at, Some(1_000));
    assert_eq!(list[0].unread_count, 1);
    assert_eq!(list[1].display_name, "+16505550001");
    assert_eq!(list[1].last_preview, "hi");
    assert_eq!(list[1].unread_count, 2);
    let msgs = store.list_messages(c2, 10).unwrap();
    assert_eq!(
        msgs.iter().map(|m| m.wamid.as_str()).collect::<Vec<_>>(),
        vec!["wamid.b0", "wamid.b1"]
    );
}

#[test]
fn a_known_wamid_is_a_no_op() {
    let (_dir, mut store) = temp_store();
    let conv = store
        .write(|w| {
            let c = w.upsert_contact(&NewContact {
                phone: Some("447700900123".into()),
                ..Default::default()
            })?;
            w.conversation_for(c, "pn1")
        })
        .unwrap();
    let first = store
        .write(|w| w.insert_message(&message(conv, "wamid.x", Direction::Inbound, 10, "one")))
        .unwrap();
    let again = store
        .write(|w| w.insert_message(&message(conv, "wamid.x", Direction::Inbound, 10, "two")))
        .unwrap();
    let Inserted::New(id) = first else {
        panic!("first insert must be new")
    };
    assert_eq!(again, Inserted::Duplicate(id));
    let c = store.conversation(conv).unwrap();
    assert_eq!(c.unread_count, 1);
    assert_eq!(store.list_messages(conv, 10).unwrap()[0].body, "one");
}

#[test]
fn the_cursor_commits_with_the_batch_and_never_moves_back() {
    let (_dir, mut store) = temp_store();
    assert_eq!(store.sync_cursor("relay-a").unwrap(), 0);
    store.write(|w| w.set_sync_cursor("relay-a", 42)).unwrap();
    store.write(|w| w.set_sync_cursor("relay-a", 7)).unwrap();
    assert_eq!(store.sync_cursor("relay-a").unwrap(), 42);
    let failed: Result<()> = store.write(|w| {
        w.set_sync_cursor("relay-a", 100)?;
        Err(Error::NotFound {
            what: "something".into(),
        })
    });
    assert!(failed.is_err());
    assert_eq!(store.sync_cursor("relay-a").unwrap(), 42, "rolled back");
}

#[test]
fn missing_conversation_is_not_found() {
    let (_dir, store) = temp_store();
    assert_eq!(
        store.conversation(ConversationId(99)).unwrap_err().code(),
        ErrorCode::NotFound
    );
}

#[test]
fn the_rate_table_is_stored_checked_and_reset() {
    let (dir, mut store) = temp_store();
    assert_eq!(
        store.rate_table().unwrap(),
        crate::cost::RateTable::default()
    );
    let mut mine = crate::cost::RateTable {
        currency: "USD".into(),
        ..crate::cost::RateTable::default()
    };
    mine.countries.get_mut("34").unwrap().marketing = 0.07;
    store.set_rate_table(Some(&mine)).unwrap();
    // Another connection to the same file (the sync engine's) sees it.
    let other = Store::open_in_dir(dir.path()).unwrap();
    assert_eq!(other.rate_table().unwrap(), mine);

    let mut bad = mine.clone();
    bad.other.utility = -1.0;
    let err = store.set_rate_table(Some(&bad)).unwrap_err();
    assert!(err.contains("utility rate for other countries"), "{err}");
    assert_eq!(
        store.rate_table().unwrap(),
        mine,
        "a refused table changes nothing"
    );

    store.set_rate_table(None).unwrap();
    assert_eq!(
        store.rate_table().unwrap(),
        crate::cost::RateTable::default()
    );
}

/// Migration 0007 names the sender of outbound messages stored before it,
/// from the `outbound` agent events already synced; customers' messages and
/// sends with no event stay unnamed.
#[test]
fn migration_7_fills_in_who_sent_what_was_already_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let mut conn = Connection::open(&path).unwrap();
    let before = &super::migration::MIGRATIONS[..6];
    assert_eq!(before.last().unwrap().version, 6);
    migrate_with(&mut conn, &path, before).unwrap();
    conn.execute_batch(
        "INSERT INTO contacts (id, phone_e164, created_at) VALUES (1, '+34600000001', 0);
         INSERT INTO conversations (id, contact_id, phone_number_id, created_at) VALUES (1, 1, 'pn', 0);
         INSERT INTO messages (wamid, conversation_id, direction, kind, body, sent_at, created_at) VALUES
             ('wamid.in', 1, 'inbound', 'text', 'hi', 1, 0),
             ('wamid.maria', 1, 'outbound', 'text', 'hello', 2, 0),
             ('wamid.ana', 1, 'outbound', 'text', 'hello again', 3, 0),
             ('wamid.unpublished', 1, 'outbound', 'text', 'mine', 4, 0);
         INSERT INTO agent_events (seq, agent, dedupe_key, payload, received_at_ms) VALUES
             (10, 'maria', 'k1', '{\"type\":\"outbound\",\"wamid\":\"wamid.maria\"}', 0),
             (11, 'ana', 'k2', '{\"type\":\"outbound\",\"wamid\":\"wamid.ana\"}', 0),
             (12, 'ben', 'k3', '{\"type\":\"note\",\"wamid\":\"wamid.in\"}', 0),
             (13, 'ben', 'k4', 'not json', 0);",
    )
    .unwrap();
    // 0007 and every later one.
    let later = super::migration::MIGRATIONS.len() - 6;
    assert_eq!(super::migration::migrate(&mut conn, &path).unwrap(), later);
    let mut stmt = conn
        .prepare("SELECT wamid, sent_by FROM messages ORDER BY sent_at")
        .unwrap();
    let rows: Vec<(String, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let by = |w: &str| rows.iter().find(|(x, _)| x == w).unwrap().1.clone();
    assert_eq!(by("wamid.in"), None);
    assert_eq!(by("wamid.maria").as_deref(), Some("maria"));
    assert_eq!(by("wamid.ana").as_deref(), Some("ana"));
    assert_eq!(by("wamid.unpublished"), None);
}
