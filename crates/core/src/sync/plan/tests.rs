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
    assert_eq!(
        m.reply_to_wamid.as_ref().map(Wamid::as_str),
        Some("wamid.0")
    );
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
    assert_eq!(s.status, hourglass_whatsapp::webhook::StatusKind::Failed);
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

/// The general path alone, for comparing the fast paths with it.
fn general(e: &Event) -> Vec<Planned> {
    let mut out = Vec::new();
    plan_value(
        &EventRef {
            seq: e.seq,
            kind: e.kind,
            dedupe_key: &e.dedupe_key,
            received_at_ms: e.received_at_ms,
            agent: e.agent.as_deref(),
            payload: Payload::Value(&e.payload),
        },
        &e.payload,
        &mut out,
    );
    out
}

/// A one-event page as the relay sends it, the payload written as given.
fn page_json(payload: &str) -> String {
    format!(
        r#"{{"events":[{{"seq":9,"kind":"webhook","dedupe_key":"k9","received_at_ms":1,"payload":{payload}}}],"head":9,"has_more":false}}"#
    )
}

/// Every path gives the ops the general path gives, for envelopes the fast
/// paths take and for every shape they must leave to the general path.
#[test]
fn fast_paths_plan_exactly_as_the_general_path() {
    let meta = json!({ "display_phone_number": "15550783881", "phone_number_id": "pn" });
    let text = json!({"from": "16505551234", "id": "wamid.1", "timestamp": "100", "type": "text",
                      "text": {"body": "hi"}});
    let sheena = json!({ "profile": { "name": "Sheena" }, "wa_id": "16505551234" });
    let other = json!({ "profile": { "name": "Other" }, "wa_id": "19995550000" });
    let values = [
        json!({ "metadata": meta, "contacts": [sheena], "messages": [text] }),
        json!({ "metadata": meta, "messages": [text] }),
        json!({ "metadata": meta, "contacts": [], "messages": [text] }),
        json!({ "metadata": meta, "contacts": [other], "messages": [text] }),
        json!({ "metadata": meta, "contacts": [other, sheena], "messages": [text] }),
        json!({ "metadata": meta, "contacts": [other, {"wa_id": 5}], "messages": [text] }),
        json!({ "metadata": meta, "contacts": {"wa_id": "1"}, "messages": [text] }),
        json!({ "metadata": meta, "contacts": [sheena], "messages": [text], "statuses": [] }),
        json!({ "metadata": meta, "contacts": [sheena], "messages": [text], "statuses": {} }),
        json!({ "metadata": meta, "messages": [text], "statuses": [
            {"id": "wamid.0", "status": "read", "timestamp": "5", "recipient_id": "1"}] }),
        json!({ "metadata": meta, "messages": [text, {"from": "1", "id": "wamid.2",
            "timestamp": "1", "type": "text", "text": {"body": "2"}}] }),
        json!({ "metadata": meta, "messages": [] }),
        json!({ "contacts": [sheena], "messages": [text] }),
        json!({ "metadata": {"phone_number_id": 7}, "messages": [text] }),
        json!({ "metadata": meta, "messages": [{"id": "wamid.3", "type": "text"}] }),
        json!({ "metadata": meta, "messages": [{"id": "wamid.4", "timestamp": "1",
            "type": "text", "text": {"body": "no sender"}}] }),
        json!({ "metadata": meta, "messages": [{"from": "1", "id": "wamid.5", "timestamp": 7,
            "type": "image", "image": {"id": "m", "caption": "look"},
            "referral": {"source_type": "ad"}, "context": {"id": "wamid.1"}}] }),
        json!({ "metadata": meta, "messages": [{"from": "1", "id": "wamid.6", "timestamp": "1",
            "type": "reaction", "reaction": {"message_id": "wamid.1", "emoji": "👍"}}] }),
        json!({ "metadata": meta, "messages": [{"from": "1", "id": "wamid.7", "timestamp": "1",
            "type": "brand_new", "brand_new": {"x": 1}}] }),
        json!({ "metadata": meta, "messages": [{"from": "1", "id": "wamid.8", "timestamp": "1",
            "type": "unsupported", "errors": [{"code": 131051, "title": "Unsupported"}]}] }),
        json!({ "metadata": meta, "errors": [{"code": 1, "title": "x"}] }),
        json!({ "metadata": meta, "messages": "not an array" }),
        json!([1, 2]),
    ];
    let mut envelopes: Vec<Value> = values
        .iter()
        .map(|v| {
            json!({ "object": "whatsapp_business_account",
                    "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": v }] }] })
        })
        .collect();
    envelopes.extend([
        json!({ "entry": [{ "id": "w", "changes": [{ "field": "statuses", "value": values[0] }] }] }),
        json!({ "entry": [{ "changes": [{ "field": "messages", "value": values[0] },
                                        { "field": "messages", "value": values[1] }] }] }),
        json!({ "entry": [{ "changes": [{ "field": "messages", "value": values[0] }] },
                          { "changes": [{ "field": "messages", "value": values[1] }] }] }),
        json!({ "entry": [[{ "field": "messages", "value": values[0] }]] }),
        json!({ "entry": [{ "changes": { "field": "messages", "value": values[0] } }] }),
        json!({ "entry": [{ "changes": [] }] }),
        json!({ "entry": [] }),
        json!({ "entry": {} }),
        json!({ "object": "x" }),
        json!("text"),
    ]);
    let mut taken = Vec::new();
    for (i, payload) in envelopes.into_iter().enumerate() {
        let event = Event {
            seq: 9,
            kind: EventKind::Webhook,
            dedupe_key: "k9".into(),
            received_at_ms: 1,
            agent: None,
            payload,
        };
        let want = general(&event);
        let text = event.payload.to_string();
        let raw: Box<RawValue> = serde_json::from_str(&text).unwrap();
        taken.push((
            single_message(&event.payload).is_some(),
            single_message_raw(&raw).is_some(),
        ));
        assert_eq!(
            plan(std::slice::from_ref(&event)),
            want,
            "tree path, case {i}"
        );
        let page = plan_page(page_json(&event.payload.to_string()).as_bytes()).unwrap();
        assert_eq!(page.planned, want, "page path, case {i}");
        assert_eq!((page.events, page.last, page.head), (1, Some(9), 9));
    }
    // The single-message envelopes went the fast way, on both paths.
    let fast: Vec<usize> = (0..taken.len())
        .filter(|i| taken[*i] == (true, true))
        .collect();
    assert!(taken.iter().all(|(a, b)| a == b), "{taken:?}");
    assert_eq!(
        fast,
        vec![0, 1, 2, 3, 4, 5, 6, 7, 13, 15, 16, 17, 18, 19],
        "{taken:?}"
    );
}

/// JSON text only the page path sees (repeated fields, escaped keys, other
/// spacing) plans as the same text decoded would.
#[test]
fn the_page_path_reads_unusual_json_text_as_a_decoded_page() {
    let v = r#"{"metadata":{"phone_number_id":"pn"},"contacts":[{"wa_id":"1","profile":{"name":"A"}}],"messages":[{"from":"1","id":"wamid.1","timestamp":"1","type":"text","text":{"body":"x"}}]}"#;
    let payloads = [
        format!(r#"{{"entry":[{{"changes":[{{"field":"messages","value":{v}}}]}}]}}"#),
        format!(r#" {{ "entry" : [ {{ "changes" : [ {{ "field" : "messages" , "value" : {v} }} ] }} ] }} "#),
        format!(r#"{{"entry":[{{"changes":[{{"field":"messages","value":{v}}}]}}],"entry":[]}}"#),
        format!(r#"{{"entry":[],"entry":[{{"changes":[{{"field":"messages","value":{v}}}]}}]}}"#),
        format!(r#"{{"en\u0074ry":[{{"changes":[{{"field":"messages","value":{v}}}]}}]}}"#),
        format!(r#"{{"entry":[{{"changes":[{{"field":"m\u0065ssages","value":{v}}}]}}]}}"#),
        r#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"pn","phone_number_id":"pm"},"messages":[{"from":"1","id":"w","timestamp":"1","type":"text","text":{"body":"x"}}]}}]}]}"#.to_owned(),
        r#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"pn"},"contacts":[{"wa_id":"1","wa_id":"2"}],"messages":[{"from":"2","id":"w","timestamp":"1","type":"text","text":{"body":"x"}}]}}]}]}"#.to_owned(),
        r#"{"entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"pn"},"messages":[{"from":"1","id":"w","timestamp":"1","type":"text","text":{"body":"x"}}],"statuses":[ ]}}]}]}"#.to_owned(),
    ];
    for (i, payload) in payloads.iter().enumerate() {
        let event = Event {
            seq: 9,
            kind: EventKind::Webhook,
            dedupe_key: "k9".into(),
            received_at_ms: 1,
            agent: None,
            payload: serde_json::from_str(payload).unwrap(),
        };
        let page = plan_page(page_json(payload).as_bytes()).unwrap();
        assert_eq!(page.planned, general(&event), "case {i}");
    }
}

/// Agent and malformed events, and an empty page, plan from the page as
/// from decoded events.
#[test]
fn pages_of_other_events_plan_as_decoded_events() {
    let events = vec![
        Event {
            seq: 4,
            kind: EventKind::Agent,
            dedupe_key: "agent:ana:1".into(),
            received_at_ms: 7_000,
            agent: Some("ana".into()),
            payload: json!({"type": "outbound", "wamid": "wamid.out", "to": "+1 650 555 1234",
                            "phone_number_id": "pn", "body": "Hello"}),
        },
        Event {
            seq: 5,
            kind: EventKind::Agent,
            dedupe_key: "agent:ana:2".into(),
            received_at_ms: 7_000,
            agent: None,
            payload: json!({"type": "outbound"}),
        },
        Event {
            seq: 6,
            kind: EventKind::Malformed,
            dedupe_key: "bad".into(),
            received_at_ms: 1,
            agent: None,
            payload: json!({"body": "{", "error": "not JSON"}),
        },
    ];
    let page = hourglass_protocol::EventPage {
        events: events.clone(),
        head: 10,
        has_more: true,
    };
    let planned = plan_page(&serde_json::to_vec(&page).unwrap()).unwrap();
    assert_eq!(planned.planned, plan(&events));
    assert_eq!(planned.planned.len(), 5);
    assert_eq!(
        (planned.events, planned.last, planned.head, planned.has_more),
        (3, Some(6), 10, true)
    );
    let empty = plan_page(br#"{"events":[],"head":3,"has_more":false}"#).unwrap();
    assert_eq!((empty.events, empty.last, empty.head), (0, None, 3));
    assert!(plan_page(b"{\"events\":[{}]}").is_err());
}
