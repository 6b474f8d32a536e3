//! Migration behaviour on real database files.
#![allow(clippy::unwrap_used)]

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
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        rows,
        store::latest_version(),
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
    assert_eq!(err.code(), "newer_schema");
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
    assert_eq!(err.code(), "database", "{err}");
}
