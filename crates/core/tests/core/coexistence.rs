//! Coexistence with the WhatsApp Business app, through the sync into a real
//! store file: messages the business sends from the phone app are filed as
//! sent from there; the app's chat history is imported without
//! notifications, unread counts or reopening, and its media fills the
//! placeholders in; the app's address book names the customers.

#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::{Direction, HandledBy, MessageContent};
use hourglass_core::store::Store;
use hourglass_core::sync::apply_events;
use hourglass_protocol::{Event, EventKind};
use hourglass_whatsapp::webhook::split_value;
use serde_json::{Value, json};

const RELAY: &str = "http://relay";
const ANA: &str = "34612345678";
const BUSINESS: &str = "15550783881";

/// The relay's events for one webhook: split as the relay splits it, from
/// `seq` on.
fn events(seq: u64, field: &str, value: Value) -> Vec<Event> {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({"display_phone_number": BUSINESS, "phone_number_id": "pn"});
    let body = json!({"object": "whatsapp_business_account",
        "entry": [{"id": "waba", "changes": [{"field": field, "value": value}]}]});
    split_value(body)
        .unwrap()
        .into_iter()
        .enumerate()
        .map(|(n, single)| Event {
            seq: seq + n as u64,
            kind: EventKind::Webhook,
            dedupe_key: single.dedupe_key,
            received_at_ms: 1_000 * (seq + n as u64) as i64,
            agent: None,
            payload: single.envelope,
        })
        .collect()
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn text(from: &str, id: &str, at: i64, body: &str, status: &str) -> Value {
    json!({"from": from, "id": id, "timestamp": at.to_string(), "type": "text",
           "text": {"body": body}, "history_context": {"status": status}})
}

#[test]
fn a_message_sent_from_the_business_app_is_filed_as_sent_from_there() {
    let (_d, mut store) = open();
    let now = chrono::Utc::now().timestamp();
    apply_events(
        &mut store,
        RELAY,
        &events(
            1,
            "messages",
            json!({"contacts": [{"profile": {"name": "Ana"}, "wa_id": ANA}],
                   "messages": [{"from": ANA, "id": "wamid.IN", "timestamp": (now - 60).to_string(),
                                 "type": "text", "text": {"body": "¿Tenéis la talla 38?"}}]}),
        ),
    )
    .unwrap();
    let applied = apply_events(
        &mut store,
        RELAY,
        &events(
            2,
            "smb_message_echoes",
            json!({"message_echoes": [{"from": BUSINESS, "to": ANA, "id": "wamid.ECHO",
                   "timestamp": now.to_string(), "type": "text", "text": {"body": "Sí, te la guardo"}}]}),
        ),
    )
    .unwrap();
    assert_eq!(applied.flagged, 0, "nothing is flagged");
    let chat = store.list_conversations(10).unwrap().remove(0);
    let messages = store.list_messages(chat.id, 10).unwrap();
    let echo = messages.iter().find(|m| m.wamid == "wamid.ECHO").unwrap();
    assert_eq!(echo.direction, Direction::Outbound);
    assert_eq!(echo.body, "Sí, te la guardo");
    assert_eq!(echo.handled_by, Some(HandledBy::BusinessApp));
    assert_eq!(chat.last_preview, "Sí, te la guardo");
    // The customer's message is not marked.
    let inbound = messages.iter().find(|m| m.wamid == "wamid.IN").unwrap();
    assert_eq!(inbound.handled_by, None);
}

#[test]
fn history_is_imported_quietly_and_its_media_fills_the_placeholder() {
    let (_d, mut store) = open();
    let now = chrono::Utc::now().timestamp();
    // A live conversation, resolved and read, before the history arrives.
    apply_events(
        &mut store,
        RELAY,
        &events(
            1,
            "messages",
            json!({"contacts": [{"profile": {"name": "Bea"}, "wa_id": "34699000111"}],
                   "messages": [{"from": "34699000111", "id": "wamid.LIVE",
                                 "timestamp": (now - 30).to_string(), "type": "text",
                                 "text": {"body": "Hola"}}]}),
        ),
    )
    .unwrap();
    let live = store.list_conversations(10).unwrap().remove(0);
    store.write(|w| w.mark_conversation_read(live.id)).unwrap();

    let history = events(
        2,
        "history",
        json!({"history": [{"metadata": {"phase": 0, "chunk_order": 1, "progress": 100},
        "threads": [
            {"id": ANA, "messages": [
                text(ANA, "wamid.H1", now - 7_200, "¿Abrís el sábado?", "READ"),
                text(BUSINESS, "wamid.H2", now - 7_100, "Sí, de 10 a 14", "READ"),
                {"from": ANA, "id": "wamid.H3", "timestamp": (now - 7_000).to_string(),
                 "type": "media_placeholder", "history_context": {"status": "READ"}}]},
            {"id": "34699000111", "messages": [
                text("34699000111", "wamid.H4", now - 90_000, "Una pregunta", "READ")]}
        ]}]}),
    );
    assert_eq!(history.len(), 4, "one event per message");
    let applied = apply_events(&mut store, RELAY, &history).unwrap();
    assert_eq!(applied.flagged, 0);
    assert_eq!(applied.new_messages, 4);
    assert!(applied.incoming.is_empty(), "no notification for history");

    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 2);
    // The live conversation keeps its place, its preview and its read state.
    assert_eq!(list[0].id, live.id, "history does not reorder the list");
    assert_eq!(list[0].last_preview, "Hola");
    assert_eq!(list[0].unread_count, 0);
    let ana = &list[1];
    assert_eq!(ana.unread_count, 0, "history is not unread");
    assert_eq!(
        ana.last_inbound_at,
        Some(now - 7_000),
        "the customer's messages count for the window"
    );

    let messages = store.list_messages(ana.id, 10).unwrap();
    assert_eq!(messages.len(), 3);
    assert_eq!(messages[0].direction, Direction::Inbound);
    assert_eq!(messages[1].direction, Direction::Outbound);
    assert_eq!(messages[1].handled_by, Some(HandledBy::BusinessApp));
    assert_eq!(messages[1].status.as_deref(), Some("read"));
    assert_eq!(messages[2].content, MessageContent::MediaPlaceholder);

    // The media follows in its own webhook: it takes the placeholder's place.
    let media = events(
        10,
        "history",
        json!({"messages": [{"from": ANA, "id": "wamid.H3", "timestamp": (now - 7_000).to_string(),
               "type": "image", "image": {"caption": "El escaparate", "mime_type": "image/jpeg",
               "sha256": "3f9d", "id": "2423079"}}]}),
    );
    let applied = apply_events(&mut store, RELAY, &media).unwrap();
    assert!(applied.incoming.is_empty());
    let messages = store.list_messages(ana.id, 10).unwrap();
    assert_eq!(messages.len(), 3, "filled in, not added");
    match &messages[2].content {
        MessageContent::Media(info) => {
            assert_eq!(info.id, "2423079");
            assert_eq!(info.caption.as_deref(), Some("El escaparate"));
        }
        other => panic!("not media: {other:?}"),
    }
    assert_eq!(store.conversation(ana.id).unwrap().unread_count, 0);

    // Replaying the whole log changes nothing.
    let mut all = history.clone();
    all.extend(media);
    let applied = apply_events(&mut store, RELAY, &all).unwrap();
    assert_eq!(applied.new_messages, 0);
    assert_eq!(store.list_messages(ana.id, 10).unwrap().len(), 3);
}

#[test]
fn a_customer_known_only_from_history_is_listed_read_under_their_number() {
    let (_d, mut store) = open();
    let now = chrono::Utc::now().timestamp();
    apply_events(
        &mut store,
        RELAY,
        &events(
            1,
            "history",
            json!({"history": [{"threads": [{"id": ANA, "messages": [
                text(ANA, "wamid.R1", now - 50_000, "Primera", "READ")]}]}]}),
        ),
    )
    .unwrap();
    let chat = store.list_conversations(10).unwrap().remove(0);
    assert_eq!(chat.unread_count, 0);
    assert_eq!(chat.display_name, format!("+{ANA}"));
}

#[test]
fn the_business_app_s_address_book_names_its_customers() {
    let (_d, mut store) = open();
    let now = chrono::Utc::now().timestamp();
    apply_events(
        &mut store,
        RELAY,
        &events(
            1,
            "messages",
            json!({"contacts": [{"profile": {"name": "ana_g"}, "wa_id": ANA}],
                   "messages": [{"from": ANA, "id": "wamid.A1", "timestamp": (now - 60).to_string(),
                                 "type": "text", "text": {"body": "Hola"}}]}),
        ),
    )
    .unwrap();
    let sync = |seq: u64, action: &str, name: Option<&str>| {
        let mut contact = json!({"phone_number": ANA});
        if let Some(n) = name {
            contact["full_name"] = json!(n);
            contact["first_name"] = json!(n.split(' ').next().unwrap());
        }
        events(
            seq,
            "smb_app_state_sync",
            json!({"state_sync": [{"type": "contact", "contact": contact, "action": action,
                   "metadata": {"timestamp": now.to_string()}}]}),
        )
    };
    let applied = apply_events(&mut store, RELAY, &sync(2, "add", Some("Ana García"))).unwrap();
    assert_eq!(applied.flagged, 0);
    let chat = store.list_conversations(10).unwrap().remove(0);
    assert!(
        applied.conversations.contains(&chat.id),
        "the list row is refreshed"
    );
    assert_eq!(chat.display_name, "Ana García");
    let panel = store.contact_panel(chat.id).unwrap();
    assert_eq!(panel.address_book_name.as_deref(), Some("Ana García"));
    assert_eq!(panel.profile_name.as_deref(), Some("ana_g"));

    // An edit renames; a removal goes back to the profile name.
    apply_events(&mut store, RELAY, &sync(3, "add", Some("Ana G. (tienda)"))).unwrap();
    assert_eq!(
        store.conversation(chat.id).unwrap().display_name,
        "Ana G. (tienda)"
    );
    apply_events(&mut store, RELAY, &sync(4, "remove", None)).unwrap();
    assert_eq!(store.conversation(chat.id).unwrap().display_name, "ana_g");
    assert_eq!(
        store.contact_panel(chat.id).unwrap().address_book_name,
        None
    );
}
