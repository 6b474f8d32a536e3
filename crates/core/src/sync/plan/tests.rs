use super::*;
use serde_json::json;

fn webhook(seq: u64, value: Value) -> Event {
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1,
        agent: None,
        payload: json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": value }] }]
        }),
    }
}

fn inbound(seq: u64, message: Value) -> Event {
    webhook(
        seq,
        json!({
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn" },
            "contacts": [{ "profile": { "name": "Sheena" }, "wa_id": "16505551234", "user_id": "US.1" }],
            "messages": [message]
        }),
    )
}

fn one(e: Event) -> Op {
    let mut ops = plan(&[e]);
    assert_eq!(ops.len(), 1, "{ops:?}");
    ops.remove(0).op
}

#[test]
fn text_with_contact_identity_and_reply_and_referral() {
    let op = one(inbound(
        3,
        json!({"from": "16505551234", "id": "wamid.1", "timestamp": "100", "type": "text",
               "text": {"body": "hi"}, "context": {"from": "155", "id": "wamid.0"},
               "referral": {"source_type": "ad", "headline": "Sale"}}),
    ));
    let Op::Message(m) = op else { panic!("{op:?}") };
    assert_eq!(m.contact.phone.as_deref(), Some("16505551234"));
    assert_eq!(m.contact.user_id.as_deref(), Some("US.1"));
    assert_eq!(m.contact.name.as_deref(), Some("Sheena"));
    assert_eq!(m.reply_to_wamid.as_deref(), Some("wamid.0"));
    assert!(m.referral.as_deref().unwrap().contains("Sale"));
    assert_eq!(m.content, MessageContent::Text { body: "hi".into() });
    assert!(m.payload.as_deref().unwrap().contains("wamid.1"));
}

#[test]
fn every_kind_renders_meaningfully() {
    let cases = [
        (
            json!({"type": "image", "image": {"id": "m1", "mime_type": "image/jpeg"}}),
            "📷 Photo",
        ),
        (
            json!({"type": "audio", "audio": {"id": "m2", "voice": true}}),
            "🎤 Voice message",
        ),
        (
            json!({"type": "document", "document": {"id": "m3", "filename": "a.pdf"}}),
            "📄 a.pdf",
        ),
        (
            json!({"type": "location", "location": {"latitude": 40.4, "longitude": -3.7, "name": "Sol"}}),
            "📍 Sol",
        ),
        (
            json!({"type": "contacts", "contacts": [{"name": {"formatted_name": "Ana"}, "phones": [{"phone": "+34 6"}]}]}),
            "👤 Ana",
        ),
        (
            json!({"type": "button", "button": {"text": "Yes", "payload": "Y"}}),
            "Yes",
        ),
        (
            json!({"type": "interactive", "interactive": {"type": "list_reply", "list_reply": {"id": "r", "title": "Row"}}}),
            "Row",
        ),
        (
            json!({"type": "unsupported", "unsupported": {"type": "poll"}, "errors": [{"code": 131051, "title": "Message type unknown"}]}),
            "Unsupported message (poll) (Message type unknown)",
        ),
        (
            json!({"type": "hologram", "hologram": {}}),
            "Unknown message type (hologram)",
        ),
    ];
    for (i, (extra, body)) in cases.into_iter().enumerate() {
        let mut msg = json!({"from": "16505551234", "id": format!("wamid.{i}"), "timestamp": "1"});
        for (k, v) in extra.as_object().unwrap() {
            msg[k] = v.clone();
        }
        let Op::Message(m) = one(inbound(1, msg)) else {
            panic!()
        };
        assert_eq!(m.body, body);
        if let MessageContent::Location { map_url, .. } = &m.content {
            assert!(map_url.contains("40.4,-3.7"), "{map_url}");
        }
        if m.kind == "image" {
            assert!(matches!(&m.content, MessageContent::Media(i) if i.id == "m1"));
        }
    }
}

#[test]
fn reactions_statuses_and_flags() {
    let r = one(inbound(
        1,
        json!({"from": "16505551234", "id": "wamid.r", "timestamp": "5", "type": "reaction",
               "reaction": {"message_id": "wamid.x"}}),
    ));
    assert!(
        matches!(r, Op::Reaction { emoji: None, ref target_wamid, .. } if target_wamid == "wamid.x")
    );

    let s = one(webhook(
        2,
        json!({"messaging_product": "whatsapp",
               "metadata": {"display_phone_number": "1", "phone_number_id": "pn"},
               "statuses": [{"id": "wamid.o", "status": "failed", "timestamp": "9",
                             "recipient_id": "1", "biz_opaque_callback_data": "out-7",
                             "errors": [{"code": 131047, "title": "Re-engagement message"}]}]}),
    ));
    let Op::Status(s) = s else { panic!() };
    assert_eq!(s.status, "failed");
    assert_eq!(s.error_code, Some(131047));
    assert_eq!(s.biz_opaque_callback_data.as_deref(), Some("out-7"));

    let bad = Event {
        seq: 3,
        kind: EventKind::Malformed,
        dedupe_key: "m".into(),
        received_at_ms: 1,
        agent: None,
        payload: json!({"body": "{", "error": "not JSON"}),
    };
    assert!(matches!(one(bad), Op::Flag(f) if f.kind == "malformed" && f.reason == "not JSON"));
}

#[test]
fn outbound_agent_records_become_messages() {
    let e = Event {
        seq: 4,
        kind: EventKind::Agent,
        dedupe_key: "agent:ana:1".into(),
        received_at_ms: 7_000,
        agent: Some("ana".into()),
        payload: json!({"type": "outbound", "wamid": "wamid.out", "to": "+1 650 555 1234",
                        "phone_number_id": "pn", "body": "Hello"}),
    };
    let ops = plan(&[e]);
    assert!(matches!(&ops[0].op, Op::Agent { .. }));
    let Op::Message(m) = &ops[1].op else { panic!() };
    assert_eq!(m.direction, Direction::Outbound);
    assert_eq!(m.sent_at, 7);
    assert_eq!(m.contact.phone.as_deref(), Some("+1 650 555 1234"));
}
