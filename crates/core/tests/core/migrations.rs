//! Migration behaviour on real database files.
#![allow(clippy::unwrap_used)]

use hourglass_core::problem::ErrorCode;
use hourglass_core::store::{self, NewContact, Store};

#[test]
fn applies_on_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::latest_version());
    assert!(dir.path().join(store::FILE_NAME).exists());
    assert!(store.list_conversations(10).unwrap().is_empty());
}

#[test]
fn reopening_is_a_no_op_and_keeps_data() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        store
            .write(|w| {
                let c = w.upsert_contact(&NewContact {
                    phone: Some("16505551234".into()),
                    ..Default::default()
                })?;
                w.conversation_for(c, "pn")
            })
            .unwrap();
    }
    let store = Store::open_in_dir(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::latest_version());
    assert_eq!(store.list_conversations(10).unwrap().len(), 1);
    let conn = rusqlite::Connection::open(dir.path().join(store::FILE_NAME)).unwrap();
    let recorded: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        recorded,
        store::known_versions(),
        "each migration recorded once"
    );
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
}

#[test]
fn a_database_from_a_newer_hourglass_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open_in_dir(dir.path()).unwrap());
    let newer = store::latest_version() + 1;
    {
        let conn = rusqlite::Connection::open(dir.path().join(store::FILE_NAME)).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at)
             VALUES (?1, 'from_the_future', 'x', 0)",
            [newer],
        )
        .unwrap();
    }
    let err = Store::open_in_dir(dir.path()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NewerSchema);
    let msg = err.to_string();
    assert!(msg.contains("newer version of Hourglass"), "{msg}");
    assert!(msg.contains(&format!("schema {newer}")), "{msg}");
    assert!(msg.contains("Update Hourglass"), "{msg}");
}

#[test]
fn foreign_keys_are_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let err = store
        .write(|w| w.conversation_for(hourglass_core::inbox::ContactId(12345), "pn"))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Database, "{err}");
}

/// `fixtures/team-v9.db` was made by Hourglass at schema 9, when SQL
/// triggers derived the team tables from agent events' JSON. Its log: Ana
/// (+5511911110001) and Ben (+5511911110002) wrote; maria assigned Ana to
/// olga; olga assigned Ben to maria, then unassigned him; notes n1 (olga,
/// "Call after 5 pm") and n2 (maria, "VIP") on Ana; labels vip and refund on
/// Ana, refund off again, wholesale on Ben; canned c1 "Hours", c2 made and
/// deleted, c1 renamed "Opening hours" by maria. Relay cursor: 15.
#[test]
fn a_store_from_before_typed_team_events_keeps_its_team_state_and_goes_on() {
    use hourglass_core::sync::apply_events;
    use hourglass_core::team::ConversationKey;
    use hourglass_protocol::{Event, EventKind};
    use serde_json::json;

    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/team-v9.db"),
        dir.path().join(store::FILE_NAME),
    )
    .unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::latest_version());
    let key = |n: &str| ConversationKey {
        customer: n.to_owned(),
        phone_number_id: "pn".to_owned(),
    };
    let (ana, ben) = (key("+5511911110001"), key("+5511911110002"));

    let a = store.assignment(&ana).unwrap().unwrap();
    assert_eq!(
        (a.assignee.as_deref(), a.by_agent.as_deref()),
        (Some("olga"), Some("maria"))
    );
    assert_eq!(store.assignment(&ben).unwrap().unwrap().assignee, None);
    let notes: Vec<(String, Option<String>, String)> = store
        .notes(&ana)
        .unwrap()
        .into_iter()
        .map(|n| (n.id, n.author, n.body))
        .collect();
    assert_eq!(
        notes,
        vec![
            ("n1".into(), Some("olga".into()), "Call after 5 pm".into()),
            ("n2".into(), Some("maria".into()), "VIP".into()),
        ]
    );
    assert_eq!(store.labels(&ana).unwrap(), vec!["vip".to_owned()]);
    assert_eq!(store.labels(&ben).unwrap(), vec!["wholesale".to_owned()]);
    let canned: Vec<(String, String)> = store
        .canned_responses()
        .unwrap()
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    assert_eq!(canned, vec![("c1".to_owned(), "Opening hours".to_owned())]);

    // The log goes on in typed events, applied in Rust; one this version
    // cannot use is kept flagged, not applied.
    let agent = |seq: u64, who: &str, payload: serde_json::Value| Event {
        seq,
        kind: EventKind::Agent,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_750_000_100_000 + seq as i64,
        agent: Some(who.to_owned()),
        payload,
    };
    let applied = apply_events(
        &mut store,
        "http://relay",
        &[
            agent(16, "olga", json!({"type":"assign","v":1,"customer":"+5511911110002","phone_number_id":"pn","assignee":"olga"})),
            agent(17, "olga", json!({"type":"label","v":1,"customer":"+5511911110001","phone_number_id":"pn","label":"vip","on":false})),
            agent(18, "olga", json!({"type":"canned_deleted","v":1,"id":"c1"})),
            agent(19, "olga", json!({"type":"label","v":1,"customer":"+5511911110001","phone_number_id":"pn","label":"x".repeat(51),"on":true})),
            agent(20, "olga", json!({"type":"assign","v":9,"customer":"+5511911110001","phone_number_id":"pn","assignee":null})),
        ],
    )
    .unwrap();
    assert_eq!(applied.flagged, 2, "the long label and the newer version");
    assert_eq!(
        store.assignment(&ben).unwrap().unwrap().assignee.as_deref(),
        Some("olga")
    );
    assert_eq!(
        store.assignment(&ana).unwrap().unwrap().assignee.as_deref(),
        Some("olga"),
        "an event of a newer version is not guessed at"
    );
    assert!(store.labels(&ana).unwrap().is_empty());
    assert!(store.canned_responses().unwrap().is_empty());
}

/// Migration 0014 rebuilds the outbox (its `kind` CHECK) for media sends:
/// every row of a store from before is kept as it was, and the table then
/// takes media rows.
#[test]
fn the_outbox_rebuild_for_media_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(store::FILE_NAME);
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/team-v9.db"),
        &path,
    )
    .unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "INSERT INTO outbox (id, conversation_id, recipient, kind, request, body, state,
                                 next_attempt_at_ms, created_at_ms, wamid, published)
             SELECT 'o-text', id, '+5511911110001', 'text', '{}', 'Hello', 'accepted', 1, 1,
                    'wamid.old', 1 FROM conversations ORDER BY id LIMIT 1;
             INSERT INTO outbox (id, conversation_id, recipient, kind, request, body, state,
                                 next_attempt_at_ms, created_at_ms)
             SELECT 'o-template', id, '+5511911110001', 'template', '{}', 'Order', 'queued', 2, 2
             FROM conversations ORDER BY id LIMIT 1;",
        )
        .unwrap();
        let image = conn.execute("UPDATE outbox SET kind = 'image' WHERE id = 'o-text'", []);
        assert!(image.is_err(), "the old CHECK refuses media");
    }
    let store = Store::open_in_dir(dir.path()).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::latest_version());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let rows: Vec<(String, String, String, String, Option<String>, bool)> = conn
        .prepare("SELECT id, kind, body, state, wamid, published FROM outbox ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                "o-template".into(),
                "template".into(),
                "Order".into(),
                "queued".into(),
                None,
                false
            ),
            (
                "o-text".into(),
                "text".into(),
                "Hello".into(),
                "accepted".into(),
                Some("wamid.old".into()),
                true
            ),
        ]
    );
    conn.execute(
        "UPDATE outbox SET kind = 'image', media_file = 'f', media_id = 'm' WHERE id = 'o-text'",
        [],
    )
    .unwrap();
    assert!(
        conn.execute("UPDATE outbox SET kind = 'poll' WHERE id = 'o-text'", [])
            .is_err(),
        "kinds Meta has no upload for are still refused"
    );
}
