//! Applying relay events to a real store file, without the network:
//! idempotent replay, reactions, edits and revokes, replies, contact
//! identity, odd events flagged without stalling the batch.

#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::{Direction, MessageContent};
use hourglass_core::store::Store;
use hourglass_core::sync::apply_events;
use hourglass_protocol::{Event, EventKind};
use serde_json::{Value, json};

const RELAY: &str = "http://relay";

fn event(seq: u64, kind: EventKind, payload: Value) -> Event {
    Event {
        seq,
        kind,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: None,
        payload,
    }
}

fn inbound(seq: u64, contact: Value, message: Value) -> Event {
    event(
        seq,
        EventKind::Webhook,
        json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn" },
                "contacts": [contact],
                "messages": [message]
            }}]}]
        }),
    )
}

fn sheena() -> Value {
    json!({"profile": {"name": "Sheena"}, "wa_id": "16505551234"})
}

fn text(id: &str, at: i64, body: &str) -> Value {
    json!({"from": "16505551234", "id": id, "timestamp": at.to_string(), "type": "text", "text": {"body": body}})
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

#[test]
fn replaying_the_log_changes_nothing() {
    let (_d, mut store) = open();
    let events = vec![
        inbound(1, sheena(), text("wamid.1", 100, "hello")),
        inbound(2, sheena(), text("wamid.2", 101, "again")),
    ];
    let first = apply_events(&mut store, RELAY, &events).unwrap();
    assert_eq!(first.new_messages, 2);
    assert_eq!(first.cursor, 2);
    let again = apply_events(&mut store, RELAY, &events).unwrap();
    assert_eq!(again.new_messages, 0);
    assert_eq!(again.events, 0);
    // Even past the cursor (a lost cursor), rows are unique by wamid.
    let dir2 = tempfile::tempdir().unwrap();
    let mut other = Store::open_in_dir(dir2.path()).unwrap();
    apply_events(&mut other, RELAY, &events).unwrap();
    apply_events(&mut other, "http://elsewhere", &events).unwrap();
    let list = other.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].unread_count, 2);
    assert_eq!(store.sync_cursor(RELAY).unwrap(), 2);
}

#[test]
fn reactions_edits_revokes_and_replies() {
    let (_d, mut store) = open();
    let react = |seq, id: &str, at: i64, emoji: Option<&str>| {
        let mut r = json!({"message_id": "wamid.1"});
        if let Some(e) = emoji {
            r["emoji"] = json!(e);
        }
        inbound(
            seq,
            sheena(),
            json!({"from": "16505551234", "id": id, "timestamp": at.to_string(), "type": "reaction", "reaction": r}),
        )
    };
    // A reaction arriving before its message is kept and attached later.
    apply_events(&mut store, RELAY, &[react(1, "wamid.r1", 110, Some("👍"))]).unwrap();
    let mut reply = text("wamid.2", 120, "as I said");
    reply["context"] = json!({"from": "16505551234", "id": "wamid.1"});
    apply_events(
        &mut store,
        RELAY,
        &[
            inbound(2, sheena(), text("wamid.1", 100, "original")),
            inbound(3, sheena(), reply),
        ],
    )
    .unwrap();
    let m1 = store.message_by_wamid("wamid.1").unwrap().unwrap();
    assert_eq!(m1.reactions.len(), 1);
    assert_eq!(m1.reactions[0].emoji, "👍");
    assert_eq!(m1.reactions[0].direction, Direction::Inbound);
    let m2 = store.message_by_wamid("wamid.2").unwrap().unwrap();
    let quoted = m2.quoted.unwrap();
    assert_eq!(quoted.wamid, "wamid.1");
    assert_eq!(quoted.body, "original");

    // A newer reaction replaces; an older one arriving late does not; a
    // removal removes.
    apply_events(&mut store, RELAY, &[react(4, "wamid.r2", 130, Some("❤️"))]).unwrap();
    apply_events(&mut store, RELAY, &[react(5, "wamid.r0", 105, Some("😡"))]).unwrap();
    let m1 = store.message_by_wamid("wamid.1").unwrap().unwrap();
    assert_eq!(m1.reactions[0].emoji, "❤️");
    let change = apply_events(&mut store, RELAY, &[react(6, "wamid.r3", 140, None)]).unwrap();
    assert!(
        change.messages.contains(&m1.id),
        "the UI hears of the removal"
    );
    assert!(
        store
            .message_by_wamid("wamid.1")
            .unwrap()
            .unwrap()
            .reactions
            .is_empty()
    );

    // Edits and revokes.
    let edit = json!({"from": "16505551234", "id": "wamid.e", "timestamp": "150", "type": "edit",
                      "edit": {"original_message_id": "wamid.2",
                               "message": {"type": "text", "text": {"body": "as I said, edited"}}}});
    apply_events(&mut store, RELAY, &[inbound(7, sheena(), edit)]).unwrap();
    let m2 = store.message_by_wamid("wamid.2").unwrap().unwrap();
    assert_eq!(m2.body, "as I said, edited");
    assert_eq!(m2.edited_at, Some(150));
    let revoke = json!({"from": "16505551234", "id": "wamid.v", "timestamp": "160", "type": "revoke",
                        "revoke": {"original_message_id": "wamid.2"}});
    apply_events(&mut store, RELAY, &[inbound(8, sheena(), revoke)]).unwrap();
    let m2 = store.message_by_wamid("wamid.2").unwrap().unwrap();
    assert!(m2.revoked);
    assert_eq!(m2.body, "");
    // Reactions are not messages.
    let list = store.list_messages(m2.conversation_id, 50).unwrap();
    assert_eq!(list.len(), 2);
}

#[test]
fn one_person_is_one_contact_and_their_first_message_is_kept_with_its_referral() {
    let (_d, mut store) = open();
    // First seen by user id only (number hidden), then by number only,
    // then with both: one contact in the end.
    let hidden = json!({"profile": {"name": "Sheena"}, "user_id": "US.77"});
    let mut m1 = json!({"from_user_id": "US.77", "id": "wamid.1", "timestamp": "100", "type": "text",
                        "text": {"body": "Hi! I saw your ad"},
                        "referral": {"source_type": "ad", "source_id": "123", "headline": "Spring"}});
    m1["from_user_id"] = json!("US.77");
    apply_events(&mut store, RELAY, &[inbound(1, hidden, m1)]).unwrap();
    apply_events(
        &mut store,
        RELAY,
        &[inbound(
            2,
            json!({"wa_id": "16505551234"}),
            text("wamid.2", 110, "me again"),
        )],
    )
    .unwrap();
    assert_eq!(store.list_conversations(10).unwrap().len(), 2);
    let both = json!({"profile": {"name": "Sheena N"}, "wa_id": "16505551234", "user_id": "US.77"});
    let mut m3 = text("wamid.3", 120, "and again");
    m3["from_user_id"] = json!("US.77");
    apply_events(&mut store, RELAY, &[inbound(3, both, m3)]).unwrap();
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let c = &list[0];
    assert_eq!(c.contact.phone.as_deref(), Some("+16505551234"));
    assert_eq!(c.contact.user_id.as_deref(), Some("US.77"));
    assert_eq!(c.unread_count, 3);
    assert_eq!(c.last_preview, "and again");
    assert_eq!(store.list_messages(c.id, 10).unwrap().len(), 3);
    let first = store.contact_first_message(c.contact.id).unwrap().unwrap();
    assert_eq!(first.message.wamid, "wamid.1");
    assert_eq!(first.referral.unwrap()["headline"], "Spring");
}

#[test]
fn a_customer_known_by_username_only_has_a_conversation_that_shows_it() {
    let (_d, mut store) = open();
    // A customer who set a username and hides the number: Meta sends the
    // business-scoped user id and the username, no number, no name.
    let hidden = json!({"profile": {"username": "@tess.tiles"}, "user_id": "US.88"});
    let mut m1 =
        json!({"id": "wamid.u1", "timestamp": "100", "type": "text", "text": {"body": "hola"}});
    m1["from_user_id"] = json!("US.88");
    apply_events(&mut store, RELAY, &[inbound(1, hidden, m1)]).unwrap();
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let c = &list[0];
    assert_eq!(c.contact.phone, None);
    assert_eq!(c.contact.username.as_deref(), Some("tess.tiles"));
    assert_eq!(c.display_name, "@tess.tiles");
    let panel = store.contact_panel(c.id).unwrap();
    assert_eq!(panel.username.as_deref(), Some("tess.tiles"));
    assert_eq!(panel.user_id.as_deref(), Some("US.88"));

    // Later the number arrives with the same user id and a profile name:
    // the same contact, the username kept, the name shown.
    let both = json!({"profile": {"name": "Tess"}, "wa_id": "16505559999", "user_id": "US.88"});
    let mut m2 = json!({"from": "16505559999", "id": "wamid.u2", "timestamp": "110", "type": "text",
                        "text": {"body": "it is me"}});
    m2["from_user_id"] = json!("US.88");
    apply_events(&mut store, RELAY, &[inbound(2, both, m2)]).unwrap();
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let c = &list[0];
    assert_eq!(c.contact.phone.as_deref(), Some("+16505559999"));
    assert_eq!(c.contact.username.as_deref(), Some("tess.tiles"));
    assert_eq!(c.display_name, "Tess");
}

#[test]
fn odd_events_are_flagged_and_the_rest_of_the_batch_applies() {
    let (_d, mut store) = open();
    let bad_number = json!({"from": "hello", "id": "wamid.bad", "timestamp": "1", "type": "text",
                            "text": {"body": "x"}});
    let events = vec![
        inbound(1, sheena(), text("wamid.1", 100, "fine")),
        inbound(2, json!({"wa_id": "hello"}), bad_number),
        event(
            3,
            EventKind::Malformed,
            json!({"body": "{nope", "error": "the body is not JSON"}),
        ),
        event(
            4,
            EventKind::Webhook,
            json!({"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [
                {"field": "message_template_status_update",
                 "value": {"event": "APPROVED", "message_template_id": 42,
                           "message_template_name": "order_update", "message_template_language": "en_US"}}]}]}),
        ),
        event(
            5,
            EventKind::Webhook,
            json!({"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [
                {"field": "user_preferences",
                 "value": {"messaging_product": "whatsapp",
                           "metadata": {"display_phone_number": "1", "phone_number_id": "pn"},
                           "contacts": [{"wa_id": "16505551234"}],
                           "user_preferences": [{"wa_id": "16505551234", "detail": "User requested to stop",
                                                 "category": "marketing_messages", "value": "stop",
                                                 "timestamp": 1731}]}}]}]}),
        ),
        event(
            6,
            EventKind::Webhook,
            json!({"object": "whatsapp_business_account", "entry": [{"id": "waba", "changes": [
            {"field": "business_capability_update",
             "value": {"max_daily_conversations_per_business": 2000}}]}]}),
        ),
        inbound(
            7,
            sheena(),
            json!({"from": "16505551234", "id": "wamid.img", "timestamp": "101", "type": "image",
                                    "image": {"id": "media-9", "mime_type": "image/jpeg", "caption": "the receipt"}}),
        ),
    ];
    let applied = apply_events(&mut store, RELAY, &events).unwrap();
    assert_eq!(applied.cursor, 7);
    assert_eq!(applied.new_messages, 2);
    assert_eq!(applied.flagged, 3, "bad number, malformed, unknown field");
    assert!(applied.templates_changed);
    assert_eq!(store.flagged_event_count().unwrap(), 3);
    let img = store.message_by_wamid("wamid.img").unwrap().unwrap();
    let MessageContent::Media(media) = img.content else {
        panic!("{:?}", img.content)
    };
    assert_eq!(media.id, "media-9");
    assert_eq!(media.local_path, None);
    assert_eq!(img.body, "the receipt");
    let (opt_out, template): (i64, String) = store
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT (SELECT marketing_opt_out FROM contacts WHERE phone_e164 = '+16505551234'),
                        (SELECT event FROM template_status WHERE template_id = '42')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(opt_out, 1);
    assert_eq!(template, "APPROVED");
    // The media hook: the Graph client saves the file and records where.
    store
        .write(|w| w.set_media_path(img.id, "/tmp/media-9.jpg"))
        .unwrap();
    let img = store.message(img.id).unwrap();
    assert!(
        matches!(img.content, MessageContent::Media(m) if m.local_path.as_deref() == Some("/tmp/media-9.jpg"))
    );
}

/// A colleague's photo and template, as their desktop publishes them: the
/// photo is a media message this desktop fetches by its id, the template
/// its rendered text, never "a message Hourglass cannot show".
#[test]
fn a_colleague_s_photo_and_template_show_as_on_their_desktop() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let outbound = |seq: u64, record: Value| {
        let mut e = event(seq, EventKind::Agent, record);
        e.agent = Some("maria".into());
        e
    };
    let photo = outbound(
        1,
        json!({"type": "outbound", "v": 1, "wamid": "wamid.P1", "to": "+34612345678",
               "phone_number_id": "pn", "kind": "image", "body": "The invoice",
               "sent_at": 1_750_000_000, "status": "accepted",
               "media": {"id": "med-77", "mime_type": "image/png", "caption": "The invoice"}}),
    );
    let doc = outbound(
        2,
        json!({"type": "outbound", "v": 1, "wamid": "wamid.P2", "to": "+34612345678",
               "phone_number_id": "pn", "kind": "document", "sent_at": 1_750_000_001,
               "media": {"id": "med-78", "mime_type": "application/pdf", "filename": "manual.pdf"}}),
    );
    let template = outbound(
        3,
        json!({"type": "outbound", "v": 1, "wamid": "wamid.P3", "to": "+34612345678",
               "phone_number_id": "pn", "kind": "template",
               "body": "Hi Ana, your order 1234 has shipped.", "sent_at": 1_750_000_002}),
    );
    let applied = apply_events(&mut store, RELAY, &[photo, doc, template]).unwrap();
    assert_eq!(applied.flagged, 0);
    let chat = store.list_conversations(10).unwrap().remove(0);
    let messages = store.list_messages(chat.id, 10).unwrap();
    match &messages[0].content {
        MessageContent::Media(info) => {
            assert_eq!(info.kind, "image");
            assert_eq!(info.id, "med-77");
            assert_eq!(info.caption.as_deref(), Some("The invoice"));
        }
        other => panic!("not a photo: {other:?}"),
    }
    assert_eq!(messages[0].sent_by.as_deref(), Some("maria"));
    match &messages[1].content {
        MessageContent::Media(info) => assert_eq!(info.filename.as_deref(), Some("manual.pdf")),
        other => panic!("not a document: {other:?}"),
    }
    assert_eq!(messages[1].body, "📄 manual.pdf");
    assert_eq!(
        messages[2].content,
        MessageContent::Text {
            body: "Hi Ana, your order 1234 has shipped.".into()
        }
    );
}
