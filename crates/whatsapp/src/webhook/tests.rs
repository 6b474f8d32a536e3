use super::*;
use proptest::prelude::*;
use serde_json::json;

fn envelope(changes: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": changes }]
    }))
    .unwrap()
}

fn messages_change(value_extra: Value) -> Value {
    let mut value = json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" }
    });
    for (k, v) in value_extra.as_object().unwrap() {
        value[k] = v.clone();
    }
    json!([{ "field": "messages", "value": value }])
}

fn one_message(msg: Value) -> Update {
    let body = envelope(messages_change(json!({
        "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }],
        "messages": [msg]
    })));
    let mut updates = parse(&body).unwrap();
    assert_eq!(updates.len(), 1);
    updates.remove(0)
}

fn content_of(msg: Value) -> MessageContent {
    match one_message(msg) {
        Update::Message(m) => m.message.content,
        other => panic!("expected a message, got {other:?}"),
    }
}

fn msg(kind: &str, payload: Value) -> Value {
    let mut m = json!({
        "from": "16505551234", "id": format!("wamid.{kind}"), "timestamp": "1749416383", "type": kind
    });
    if !payload.is_null() {
        m[kind] = payload;
    }
    m
}

#[test]
fn a_text_message_with_its_contact_and_metadata() {
    let Update::Message(m) = one_message(msg("text", json!({"body": "Hi there"}))) else {
        panic!("not a message");
    };
    assert_eq!(m.waba_id, "102290129340398");
    assert_eq!(m.metadata.phone_number_id.0, "106540352242922");
    assert_eq!(m.message.id.as_str(), "wamid.text");
    assert_eq!(m.message.timestamp, Timestamp(1_749_416_383));
    assert_eq!(m.message.from.as_deref(), Some("16505551234"));
    assert_eq!(
        m.contact.unwrap().profile.unwrap().name.as_deref(),
        Some("Sheena Nelson")
    );
    assert_eq!(
        m.message.content,
        MessageContent::Text(Text {
            body: "Hi there".into()
        })
    );
}

#[test]
fn every_media_type() {
    let image = content_of(msg(
        "image",
        json!({"id": "1", "mime_type": "image/jpeg", "sha256": "abc", "caption": "look"}),
    ));
    assert!(matches!(image, MessageContent::Image(ref m) if m.caption.as_deref() == Some("look")));
    let doc = content_of(msg(
        "document",
        json!({"id": "2", "mime_type": "application/pdf", "filename": "invoice.pdf"}),
    ));
    assert!(
        matches!(doc, MessageContent::Document(ref m) if m.filename.as_deref() == Some("invoice.pdf"))
    );
    let voice = content_of(msg(
        "audio",
        json!({"id": "3", "mime_type": "audio/ogg", "voice": true}),
    ));
    assert!(matches!(voice, MessageContent::Audio(ref m) if m.voice));
    let sticker = content_of(msg("sticker", json!({"id": "4", "animated": false})));
    assert!(matches!(sticker, MessageContent::Sticker(ref m) if !m.animated && m.id == "4"));
    let video = content_of(msg("video", json!({"id": 5})));
    assert!(matches!(video, MessageContent::Video(ref m) if m.id == "5"));
}

#[test]
fn location_contacts_interactive_button_order_system() {
    let loc = content_of(msg(
        "location",
        json!({"latitude": 38.9, "longitude": "-77.03", "name": "Office"}),
    ));
    assert!(
        matches!(loc, MessageContent::Location(ref l) if l.longitude == -77.03 && l.name.as_deref() == Some("Office"))
    );

    let contacts = content_of(msg(
        "contacts",
        json!([{ "name": {"formatted_name": "Barbara J. Johnson", "first_name": "Barbara"},
                 "phones": [{"phone": "+1 (940) 555-1234", "wa_id": "19405551234", "type": "HOME"}],
                 "emails": [{"email": "b@example.com", "type": "WORK"}],
                 "org": {"company": "Acme"} }]),
    ));
    let MessageContent::Contacts(cards) = contacts else {
        panic!("not contacts")
    };
    assert_eq!(cards[0].phones[0].wa_id.as_deref(), Some("19405551234"));
    assert_eq!(
        cards[0].org.as_ref().unwrap().company.as_deref(),
        Some("Acme")
    );

    let button_reply = content_of(msg(
        "interactive",
        json!({"type": "button_reply", "button_reply": {"id": "yes", "title": "Yes"}}),
    ));
    assert_eq!(
        button_reply,
        MessageContent::Interactive(Interactive::ButtonReply {
            id: "yes".into(),
            title: "Yes".into()
        })
    );
    let list = content_of(msg(
        "interactive",
        json!({"type": "list_reply", "list_reply": {"id": "r1", "title": "Row", "description": "d"}}),
    ));
    assert!(
        matches!(list, MessageContent::Interactive(Interactive::ListReply { ref description, .. }) if description.as_deref() == Some("d"))
    );
    let nfm = content_of(msg(
        "interactive",
        json!({"type": "nfm_reply", "nfm_reply": {"name": "flow", "body": "Sent", "response_json": "{\"a\":1}"}}),
    ));
    assert!(
        matches!(nfm, MessageContent::Interactive(Interactive::NfmReply { ref response_json, .. }) if response_json == "{\"a\":1}")
    );

    let button = content_of(msg(
        "button",
        json!({"text": "Stop promotions", "payload": "STOP"}),
    ));
    assert!(
        matches!(button, MessageContent::Button(ref b) if b.payload.as_deref() == Some("STOP"))
    );

    let order = content_of(msg(
        "order",
        json!({"catalog_id": "c1", "text": "pls", "product_items": [
            {"product_retailer_id": "sku1", "quantity": 2, "item_price": 9.5, "currency": "EUR"}]}),
    ));
    let MessageContent::Order(order) = order else {
        panic!("not an order")
    };
    assert_eq!(order.product_items[0].quantity, Some(2));
    assert_eq!(order.product_items[0].item_price, Some(9.5));

    let system = content_of(msg(
        "system",
        json!({"body": "User A changed from 1 to 2", "type": "customer_changed_number", "wa_id": "2"}),
    ));
    assert!(
        matches!(system, MessageContent::System(ref s) if s.kind.as_deref() == Some("customer_changed_number"))
    );
    assert_eq!(
        content_of(msg("request_welcome", Value::Null)),
        MessageContent::RequestWelcome
    );
}

#[test]
fn reaction_and_its_removal() {
    let added = content_of(msg(
        "reaction",
        json!({"message_id": "wamid.orig", "emoji": "\u{1F44D}"}),
    ));
    assert!(
        matches!(added, MessageContent::Reaction(ref r) if r.emoji.as_deref() == Some("\u{1F44D}"))
    );
    let removed = content_of(msg("reaction", json!({"message_id": "wamid.orig"})));
    assert_eq!(
        removed,
        MessageContent::Reaction(Reaction {
            message_id: Wamid("wamid.orig".into()),
            emoji: None
        })
    );
}

#[test]
fn unsupported_edit_revoke_and_unknown_types() {
    let mut unsupported = msg("unsupported", json!({"type": "poll"}));
    unsupported["errors"] = json!([{"code": 131051, "title": "Message type unknown",
        "message": "Message type unknown", "error_data": {"details": "Message type is currently not supported."}}]);
    let Update::Message(m) = one_message(unsupported) else {
        panic!("not a message")
    };
    assert_eq!(
        m.message.content,
        MessageContent::Unsupported {
            kind: Some("poll".into())
        }
    );
    assert_eq!(m.message.errors[0].code, 131_051);

    let edit = content_of(msg(
        "edit",
        json!({"original_message_id": "wamid.a", "message": {"type": "text", "text": {"body": "fixed"}}}),
    ));
    let MessageContent::Edit(edit) = edit else {
        panic!("not an edit")
    };
    assert_eq!(edit.original_message_id.as_str(), "wamid.a");
    assert_eq!(
        *edit.content,
        MessageContent::Text(Text {
            body: "fixed".into()
        })
    );
    let revoke = content_of(msg("revoke", json!({"original_message_id": "wamid.b"})));
    assert!(
        matches!(revoke, MessageContent::Revoke(ref r) if r.original_message_id.as_str() == "wamid.b")
    );

    let raw = msg("hologram", json!({"depth": 3}));
    let unknown = content_of(raw.clone());
    assert_eq!(
        unknown,
        MessageContent::Unknown {
            kind: "hologram".into(),
            reason: None,
            raw
        }
    );

    // A known type of the wrong shape is kept, not dropped.
    let bad_text = msg("text", json!({"body": {"nested": true}}));
    assert!(
        matches!(content_of(bad_text), MessageContent::Unknown { ref kind, reason: Some(_), .. } if kind == "text")
    );
}

#[test]
fn edits_and_revokes_never_collapse_into_the_original() {
    let body = envelope(messages_change(json!({ "messages": [
        msg("text", json!({"body": "typo"})),
        { "from": "1", "id": "wamid.text", "timestamp": "2", "type": "edit",
          "edit": {"original_message_id": "wamid.text", "message": {"type": "text", "text": {"body": "fixed"}}} },
        { "from": "1", "id": "wamid.text", "timestamp": "3", "type": "revoke",
          "revoke": {"original_message_id": "wamid.text"} }
    ]})));
    let keys: Vec<String> = split(&body)
        .unwrap()
        .into_iter()
        .map(|s| s.dedupe_key)
        .collect();
    assert_eq!(
        keys,
        [
            "msg:wamid.text",
            "msg:wamid.text:edit",
            "msg:wamid.text:revoke"
        ]
    );
}

#[test]
fn context_and_referral() {
    let mut m = msg("text", json!({"body": "about this ad"}));
    m["context"] = json!({"from": "15550783881", "id": "wamid.prev"});
    m["referral"] = json!({"source_url": "https://fb.me/x", "source_id": "123", "source_type": "ad",
        "headline": "Sale", "body": "50%", "media_type": "image", "image_url": "https://x", "ctwa_clid": "ARA"});
    let Update::Message(u) = one_message(m) else {
        panic!()
    };
    assert_eq!(
        u.message.context.unwrap().id.unwrap().as_str(),
        "wamid.prev"
    );
    let referral = u.message.referral.unwrap();
    assert_eq!(referral.ctwa_clid.as_deref(), Some("ARA"));
    assert_eq!(referral.source_type.as_deref(), Some("ad"));
}

#[test]
fn statuses_with_pricing_and_errors() {
    let body = envelope(messages_change(json!({ "statuses": [
        { "id": "wamid.s1", "status": "delivered", "timestamp": "1750030073", "recipient_id": "16505551234",
          "biz_opaque_callback_data": "outbox-7",
          "pricing": {"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"} },
        { "id": "wamid.s2", "status": "failed", "timestamp": "1750030074", "recipient_id": "16505551234",
          "errors": [{"code": 131047, "title": "Re-engagement message", "message": "more than 24 hours",
                      "error_data": {"details": "Message failed to send"}}] }
    ]})));
    let singles = split(&body).unwrap();
    assert_eq!(
        singles
            .iter()
            .map(|s| s.dedupe_key.as_str())
            .collect::<Vec<_>>(),
        ["st:wamid.s1:delivered", "st:wamid.s2:failed"]
    );
    let Update::Status(s1) = singles[0].update() else {
        panic!()
    };
    assert_eq!(s1.status.status, StatusKind::Delivered);
    assert_eq!(
        s1.status.biz_opaque_callback_data.as_deref(),
        Some("outbox-7")
    );
    assert_eq!(
        s1.status.pricing.unwrap().category.as_deref(),
        Some("marketing")
    );
    let Update::Status(s2) = singles[1].update() else {
        panic!()
    };
    assert_eq!(s2.status.status, StatusKind::Failed);
    assert_eq!(s2.status.errors[0].code, 131_047);
}

#[test]
fn change_level_errors_template_and_preferences() {
    let body = envelope(json!([
        { "field": "messages", "value": { "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "1", "phone_number_id": "2"},
            "errors": [{"code": 131000, "title": "Something went wrong"}] } },
        { "field": "message_template_status_update", "value": {
            "event": "APPROVED", "message_template_id": 594425479261596u64,
            "message_template_name": "order_update", "message_template_language": "en_US", "reason": "NONE" } },
        { "field": "user_preferences", "value": { "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "1", "phone_number_id": "2"},
            "contacts": [{"wa_id": "16505551234", "profile": {"name": "S"}}],
            "user_preferences": [{"wa_id": "16505551234", "detail": "User requested to stop marketing messages",
                "category": "marketing_messages", "value": "stop", "timestamp": 1731705721}] } },
        { "field": "account_update", "value": { "event": "VERIFIED_ACCOUNT" } }
    ]));
    let singles = split(&body).unwrap();
    assert_eq!(singles.len(), 4);
    assert!(singles[0].dedupe_key.starts_with("err:"));
    assert!(
        singles[1]
            .dedupe_key
            .starts_with("tpl:594425479261596:APPROVED:")
    );
    assert!(singles[2].dedupe_key.starts_with("hash:"));
    assert!(singles[3].dedupe_key.starts_with("hash:"));

    assert!(matches!(singles[0].update(), Update::Error(ref e) if e.error.code == 131_000));
    let Update::TemplateStatus(t) = singles[1].update() else {
        panic!()
    };
    assert_eq!(t.event, "APPROVED");
    assert_eq!(t.message_template_id.as_deref(), Some("594425479261596"));
    assert_eq!(t.waba_id, "102290129340398");
    let Update::UserPreferences(p) = singles[2].update() else {
        panic!()
    };
    assert_eq!(p.user_preferences[0].value, "stop");
    assert_eq!(
        p.user_preferences[0].timestamp,
        Some(Timestamp(1_731_705_721))
    );
    let Update::Account(a) = singles[3].update() else {
        panic!()
    };
    assert_eq!(a.event, "VERIFIED_ACCOUNT");
}

#[test]
fn a_full_batch_splits_into_every_item_across_entries_and_changes() {
    let messages: Vec<Value> = (0..400)
        .map(|i| {
            json!({"from": format!("1650555{i:04}"), "id": format!("wamid.m{i}"), "timestamp": "1", "type": "text", "text": {"body": format!("m{i}")}})
        })
        .collect();
    let contacts: Vec<Value> = (0..400)
        .map(|i| json!({"wa_id": format!("1650555{i:04}"), "profile": {"name": format!("C{i}")}}))
        .collect();
    let statuses: Vec<Value> = (0..300)
        .map(|i| json!({"id": format!("wamid.o{i}"), "status": "read", "timestamp": "2", "recipient_id": "1"}))
        .collect();
    let body = serde_json::to_vec(&json!({"object": "whatsapp_business_account", "entry": [
        {"id": "A", "changes": messages_change(json!({"contacts": contacts, "messages": messages}))},
        {"id": "B", "changes": [
            messages_change(json!({"statuses": statuses}))[0].clone(),
            messages_change(json!({"statuses": [], "messages": (0..300).map(|i| json!({"from": "x", "id": format!("wamid.n{i}"), "timestamp": "3", "type": "text", "text": {"body": "n"}})).collect::<Vec<_>>()}))[0].clone(),
        ]}
    ]}))
    .unwrap();
    let singles = split(&body).unwrap();
    assert_eq!(singles.len(), 1000);
    let keys: std::collections::HashSet<_> = singles.iter().map(|s| &s.dedupe_key).collect();
    assert_eq!(keys.len(), 1000);
    // Each message carries its own contact only.
    let Update::Message(m) = singles[123].update() else {
        panic!()
    };
    assert_eq!(m.message.id.as_str(), "wamid.m123");
    assert_eq!(m.contact.unwrap().wa_id.as_deref(), Some("16505550123"));
    assert_eq!(
        singles[123].envelope["entry"][0]["changes"][0]["value"]["contacts"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(singles[999].envelope["entry"][0]["id"], "B");
    // A split envelope splits to itself.
    let again = split_value(singles[500].envelope.clone()).unwrap();
    assert_eq!(again, vec![singles[500].clone()]);
}

#[test]
fn unknown_fields_survive_splitting() {
    let body = envelope(messages_change(json!({
        "future_value_key": {"x": 1},
        "messages": [{"from": "1", "id": "wamid.u", "timestamp": "1", "type": "text",
                      "text": {"body": "hi", "future_text_key": 2}, "future_msg_key": true}]
    })));
    let singles = split(&body).unwrap();
    let value = &singles[0].envelope["entry"][0]["changes"][0]["value"];
    assert_eq!(value["future_value_key"], json!({"x": 1}));
    assert_eq!(value["messages"][0]["future_msg_key"], json!(true));
    assert_eq!(value["messages"][0]["text"]["future_text_key"], json!(2));
    assert_eq!(singles[0].envelope["object"], "whatsapp_business_account");
}

#[test]
fn odd_shapes_are_kept_whole() {
    // An entry without changes, a change without items, non-object entries.
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1"},{"id":"2","changes":[{"field":"messages","value":{"messages":[]}}]},7]}"#;
    let singles = split(body).unwrap();
    assert_eq!(singles.len(), 3);
    assert!(singles.iter().all(|s| s.dedupe_key.starts_with("hash:")));
    assert!(
        singles
            .iter()
            .all(|s| matches!(s.update(), Update::Other(_)))
    );
}

#[test]
fn not_an_envelope() {
    assert!(matches!(split(b"not json"), Err(ParseError::NotJson(_))));
    assert!(matches!(split(b"[1,2]"), Err(ParseError::NotAnEnvelope(_))));
    assert!(matches!(
        split(br#"{"object":"page"}"#),
        Err(ParseError::NotAnEnvelope(_))
    ));
    assert_eq!(split(br#"{"entry":[]}"#).unwrap(), vec![]);
}

#[test]
fn identical_retries_share_keys_and_equal_bodies_hash_alike() {
    let a = br#"{"entry":[{"id":"1","time":5,"changes":[{"field":"x","value":{"a":1,"b":2}}]}]}"#;
    let b = br#"{"entry":[{"changes":[{"value":{"b":2,"a":1},"field":"x"}],"time":5,"id":"1"}]}"#;
    let c = br#"{"entry":[{"id":"1","time":6,"changes":[{"field":"x","value":{"a":1,"b":2}}]}]}"#;
    let ka = &split(a).unwrap()[0].dedupe_key;
    let kb = &split(b).unwrap()[0].dedupe_key;
    let kc = &split(c).unwrap()[0].dedupe_key;
    assert_eq!(ka, kb);
    assert_ne!(ka, kc);
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        "[a-z_]{0,8}".prop_map(Value::String),
        prop_oneof![
            Just("messages"),
            Just("statuses"),
            Just("errors"),
            Just("text"),
            Just("reaction"),
            Just("edit"),
            Just("interactive"),
            Just("message_template_status_update"),
            Just("user_preferences")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        Just("entry".to_owned()),
                        Just("changes".to_owned()),
                        Just("field".to_owned()),
                        Just("value".to_owned()),
                        Just("messages".to_owned()),
                        Just("statuses".to_owned()),
                        Just("errors".to_owned()),
                        Just("contacts".to_owned()),
                        Just("metadata".to_owned()),
                        Just("id".to_owned()),
                        Just("type".to_owned()),
                        Just("timestamp".to_owned()),
                        Just("status".to_owned()),
                        Just("message".to_owned()),
                        "[a-z_]{1,6}"
                    ],
                    inner
                ),
                0..5
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn random_json_never_panics_and_splitting_is_stable(v in arb_json()) {
        let wrapped = json!({"object": "whatsapp_business_account", "entry": [v.clone()]});
        for candidate in [v, wrapped] {
            if let Ok(singles) = split_value(candidate) {
                for s in &singles {
                    let _ = s.update();
                    // A single update re-splits to exactly itself.
                    let again = split_value(s.envelope.clone()).unwrap();
                    prop_assert_eq!(again.len(), 1);
                    prop_assert_eq!(&again[0].dedupe_key, &s.dedupe_key);
                }
            }
        }
    }
}

/// An id from a small pool, or none, so contacts and messages often meet.
fn maybe_id() -> impl Strategy<Value = Option<String>> {
    prop::option::of((0..4u8).prop_map(|i| format!("id{i}")))
}

proptest! {
    /// Each split message carries exactly the contacts whose `wa_id` is its
    /// `from` or whose `user_id` is its `from_user_id`, in the change's
    /// order, followed by the contacts no message matches: the same as
    /// comparing every contact with every message.
    #[test]
    fn each_message_gets_its_contacts_then_the_unmatched_ones(
        contacts in prop::collection::vec((maybe_id(), maybe_id()), 0..8),
        messages in prop::collection::vec((maybe_id(), maybe_id()), 1..8),
    ) {
        let contacts: Vec<Value> = contacts
            .iter()
            .enumerate()
            .map(|(i, (wa_id, user_id))| {
                let mut c = json!({"profile": {"name": format!("c{i}")}});
                if let Some(w) = wa_id { c["wa_id"] = json!(w); }
                if let Some(u) = user_id { c["user_id"] = json!(u); }
                c
            })
            .collect();
        let messages: Vec<Value> = messages
            .iter()
            .enumerate()
            .map(|(i, (from, from_user_id))| {
                let mut m = json!({"id": format!("wamid.p{i}"), "timestamp": "1", "type": "text", "text": {"body": "x"}});
                if let Some(f) = from { m["from"] = json!(f); }
                if let Some(u) = from_user_id { m["from_user_id"] = json!(u); }
                m
            })
            .collect();
        let matches = |c: &Value, m: &Value| {
            let eq = |ck: &str, mk: &str| matches!(
                (c.get(ck).and_then(Value::as_str), m.get(mk).and_then(Value::as_str)),
                (Some(a), Some(b)) if a == b
            );
            eq("wa_id", "from") || eq("user_id", "from_user_id")
        };
        let orphans: Vec<&Value> = contacts
            .iter()
            .filter(|c| !messages.iter().any(|m| matches(c, m)))
            .collect();
        let body = envelope(messages_change(json!({"contacts": contacts, "messages": messages})));
        let singles = split(&body).unwrap();
        prop_assert_eq!(singles.len(), messages.len());
        for (m, single) in messages.iter().zip(&singles) {
            let expected: Vec<&Value> = contacts
                .iter()
                .filter(|c| matches(c, m))
                .chain(orphans.iter().copied())
                .collect();
            let value = &single.envelope["entry"][0]["changes"][0]["value"];
            match value.get("contacts") {
                Some(Value::Array(got)) => prop_assert_eq!(got.iter().collect::<Vec<_>>(), expected),
                None => prop_assert!(expected.is_empty()),
                Some(other) => prop_assert!(false, "contacts is not an array: {}", other),
            }
        }
    }
}

/// Meta's largest batch, every message with its own contact, splits in
/// linear time: 1,000 here would be a million comparisons pairwise.
#[test]
fn a_batch_of_a_thousand_senders_keeps_each_contact_with_its_message() {
    let messages: Vec<Value> = (0..1000)
        .map(|i| json!({"from": format!("1650{i:07}"), "id": format!("wamid.b{i}"), "timestamp": "1", "type": "text", "text": {"body": "b"}}))
        .collect();
    let contacts: Vec<Value> = (0..1000)
        .rev()
        .map(|i| json!({"wa_id": format!("1650{i:07}"), "profile": {"name": format!("B{i}")}}))
        .collect();
    let body = envelope(messages_change(
        json!({"contacts": contacts, "messages": messages}),
    ));
    let singles = split(&body).unwrap();
    assert_eq!(singles.len(), 1000);
    for (i, single) in singles.iter().enumerate() {
        let Update::Message(m) = single.update() else {
            panic!("not a message")
        };
        let name = m.contact.and_then(|c| c.profile).and_then(|p| p.name);
        assert_eq!(name, Some(format!("B{i}")));
    }
}

#[test]
fn a_call_permission_reply_reads_the_answer_and_its_expiry() {
    let allowed = content_of(msg(
        "interactive",
        json!({"type": "call_permission_reply", "call_permission_reply": {
            "response": "accept", "is_permanent": false,
            "expiration_timestamp": 1_750_000_000, "response_source": "user_action"}}),
    ));
    assert_eq!(
        allowed,
        MessageContent::Interactive(Interactive::CallPermissionReply(CallPermissionReply {
            response: CallPermissionResponse::Accept,
            is_permanent: false,
            expiration_timestamp: Some(1_750_000_000),
            response_source: Some("user_action".into()),
        }))
    );
    // A decline, the expiry as a string, and an answer Meta adds later.
    let declined = content_of(msg(
        "interactive",
        json!({"type": "call_permission_reply", "call_permission_reply": {
            "response": "reject", "expiration_timestamp": "1750000000"}}),
    ));
    assert!(matches!(
        declined,
        MessageContent::Interactive(Interactive::CallPermissionReply(CallPermissionReply {
            response: CallPermissionResponse::Reject,
            expiration_timestamp: Some(1_750_000_000),
            ..
        }))
    ));
    let other = content_of(msg(
        "interactive",
        json!({"type": "call_permission_reply", "call_permission_reply": {"response": "later", "is_permanent": true}}),
    ));
    assert!(matches!(
        other,
        MessageContent::Interactive(Interactive::CallPermissionReply(CallPermissionReply {
            response: CallPermissionResponse::Other(ref s),
            is_permanent: true,
            ..
        })) if s == "later"
    ));
}

fn calls_change(calls: Value) -> Vec<u8> {
    envelope(json!([{ "field": "calls", "value": {
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
        "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }],
        "calls": calls
    }}]))
}

#[test]
fn a_missed_and_an_answered_call_are_typed_from_meta_s_calls_webhook() {
    // Shaped as Meta's Calling API sends them: connect when it rings,
    // terminate when it ends.
    let body = calls_change(json!([
        {"id": "wacid.HBgLMTY1MDU1NTEyMzQVAgARGBI", "to": "15550783881", "from": "16505551234",
         "event": "connect", "timestamp": "1749416383", "direction": "USER_INITIATED",
         "session": {"sdp_type": "offer", "sdp": "v=0"}},
        {"id": "wacid.HBgLMTY1MDU1NTEyMzQVAgARGBI", "to": "15550783881", "from": "16505551234",
         "event": "terminate", "direction": "USER_INITIATED", "timestamp": "1749416413",
         "status": "FAILED"},
        {"id": "wacid.ANSWERED", "to": "15550783881", "from": "16505551234",
         "event": "terminate", "direction": "USER_INITIATED", "timestamp": "1749417000",
         "status": "COMPLETED", "start_time": "1749416880", "end_time": "1749417000",
         "duration": 120}
    ]));
    let singles = split(&body).unwrap();
    let keys: Vec<&str> = singles.iter().map(|s| s.dedupe_key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "call:wacid.HBgLMTY1MDU1NTEyMzQVAgARGBI:connect",
            "call:wacid.HBgLMTY1MDU1NTEyMzQVAgARGBI:terminate",
            "call:wacid.ANSWERED:terminate"
        ]
    );
    let calls: Vec<CallUpdate> = singles
        .iter()
        .map(|s| match s.update() {
            Update::Call(c) => *c,
            other => panic!("expected a call, got {other:?}"),
        })
        .collect();
    assert_eq!(calls[0].call.event, CallEvent::Connect);
    assert_eq!(calls[0].call.outcome(), None);
    assert_eq!(calls[1].call.outcome(), Some(CallOutcome::Missed));
    assert_eq!(calls[1].call.customer(), Some("16505551234"));
    assert_eq!(calls[1].call.direction, CallDirection::UserInitiated);
    assert_eq!(calls[1].call.started_at(), 1_749_416_413);
    assert_eq!(
        calls[2].call.outcome(),
        Some(CallOutcome::Answered { duration: 120 })
    );
    assert_eq!(calls[2].call.started_at(), 1_749_416_880);
    assert_eq!(
        calls[2].contact.as_ref().and_then(|c| c.wa_id.as_deref()),
        Some("16505551234")
    );
    assert_eq!(calls[2].metadata.phone_number_id.0, "106540352242922");
}

#[test]
fn a_business_call_names_the_customer_it_called_and_zero_seconds_is_missed() {
    let body = calls_change(json!([
        {"id": "wacid.OUT", "to": "16505551234", "from": "15550783881", "event": "terminate",
         "direction": "BUSINESS_INITIATED", "timestamp": 1749416383, "status": "COMPLETED",
         "duration": 0}
    ]));
    let Update::Call(c) = parse(&body).unwrap().remove(0) else {
        panic!("expected a call");
    };
    assert_eq!(c.call.direction, CallDirection::BusinessInitiated);
    assert_eq!(c.call.customer(), Some("16505551234"));
    assert_eq!(c.call.outcome(), Some(CallOutcome::Missed));
}

#[test]
fn a_call_without_an_id_is_kept_as_other_with_the_reason() {
    let body = calls_change(json!([{"event": "terminate", "timestamp": "1"}]));
    let Update::Other(o) = parse(&body).unwrap().remove(0) else {
        panic!("expected other");
    };
    assert_eq!(o.field.as_deref(), Some("calls"));
    assert!(o.reason.unwrap().contains("call"));
}

#[test]
fn standby_messages_and_statuses_are_typed_and_marked() {
    let body = envelope(json!([{ "field": "standby", "value": {
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
        "contacts": [{ "profile": { "name": "Sheena Nelson" }, "wa_id": "16505551234" }],
        "messages": [{"from": "16505551234", "id": "wamid.STANDBY1", "timestamp": "1749416383",
                      "type": "text", "text": {"body": "Do you ship to Spain?"}}],
        "statuses": [{"id": "wamid.AIREPLY", "status": "delivered", "timestamp": "1749416390",
                      "recipient_id": "16505551234"}]
    }}]));
    let singles = split(&body).unwrap();
    assert_eq!(singles.len(), 2, "standby is split like messages");
    assert_eq!(singles[0].dedupe_key, "msg:wamid.STANDBY1");
    let Update::Message(m) = singles[0].update() else {
        panic!("expected a message");
    };
    assert!(m.standby);
    assert_eq!(
        m.message.content,
        MessageContent::Text(Text {
            body: "Do you ship to Spain?".into()
        })
    );
    let Update::Status(s) = singles[1].update() else {
        panic!("expected a status");
    };
    assert!(s.standby);
    // The same message on the `messages` field is not standby.
    let Update::Message(m) = one_message(msg("text", json!({"body": "hi"}))) else {
        panic!("expected a message");
    };
    assert!(!m.standby);
}

#[test]
fn handovers_name_the_new_owner() {
    let handover = |value: Value| {
        let body = envelope(json!([{ "field": "messaging_handovers", "value": value }]));
        parse(&body).unwrap().remove(0)
    };
    let meta =
        json!({ "display_phone_number": "15550783881", "phone_number_id": "106540352242922" });
    let Update::Handover(h) = handover(json!({
        "messaging_product": "whatsapp", "metadata": meta, "type": "control_passed",
        "control_passed": {"wa_id": "16505551234", "timestamp": "1749416400",
                           "previous_owner": {"role": "ai_agent"},
                           "new_owner": {"role": "escalation_partner"}}
    })) else {
        panic!("expected a handover");
    };
    assert_eq!(h.owner, ThreadOwner::App);
    assert_eq!(h.wa_id.as_deref(), Some("16505551234"));
    assert_eq!(h.timestamp, Some(Timestamp(1_749_416_400)));
    let Update::Handover(h) = handover(json!({
        "messaging_product": "whatsapp", "metadata": meta, "type": "control_taken",
        "contacts": [{"wa_id": "16505551234"}], "control_taken": {}
    })) else {
        panic!("expected a handover");
    };
    assert_eq!(h.owner, ThreadOwner::AiAgent);
    assert_eq!(h.wa_id.as_deref(), Some("16505551234"));
    // Nobody named: kept as other, with the reason.
    let Update::Other(o) = handover(json!({"type": "control_passed", "control_passed": {}})) else {
        panic!("expected other");
    };
    assert!(o.reason.unwrap().contains("no customer"));
}

#[test]
fn the_ai_agent_s_replies_on_standby_are_typed_as_echoes() {
    let body = envelope(json!([{ "field": "standby", "value": {
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
        "message_echoes": [{"from": "15550783881", "to": "16505551234", "id": "wamid.AIREPLY",
                            "timestamp": "1749416390", "type": "text",
                            "text": {"body": "Yes, we ship to Spain in 3 days."}}]
    }}]));
    let singles = split(&body).unwrap();
    assert_eq!(singles.len(), 1);
    assert_eq!(singles[0].dedupe_key, "msg:wamid.AIREPLY");
    let Update::Echo(e) = singles[0].update() else {
        panic!("expected an echo");
    };
    assert!(e.standby);
    assert_eq!(e.to.as_deref(), Some("16505551234"));
    assert_eq!(
        e.message.content,
        MessageContent::Text(Text {
            body: "Yes, we ship to Spain in 3 days.".into()
        })
    );
}
