use super::*;
use crate::send::{CurrencyValue, TemplateLanguage};
use serde_json::json;

fn order_update() -> Template {
    serde_json::from_value(json!({
        "id": "1001", "name": "order_update", "language": "en_US", "status": "APPROVED",
        "category": "UTILITY", "parameter_format": "POSITIONAL",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "Order {{1}}",
             "example": {"header_text": ["SKB-4CP"]}},
            {"type": "BODY", "text": "Hi {{1}}, your order {{2}} has shipped. It should arrive by {{3}}.",
             "example": {"body_text": [["Jessica", "SKB-4CP", "Friday"]]}},
            {"type": "FOOTER", "text": "Reply STOP to opt out"},
            {"type": "BUTTONS", "buttons": [
                {"type": "URL", "text": "Track order", "url": "https://shop.example.com/track/{{1}}",
                 "example": ["https://shop.example.com/track/SKB-4CP"]},
                {"type": "PHONE_NUMBER", "text": "Call us", "phone_number": "+15550783881"}
            ]}
        ]
    }))
    .unwrap()
}

fn spring_sale() -> Template {
    serde_json::from_value(json!({
        "id": "1002", "name": "spring_sale", "language": "en_US", "status": "APPROVED",
        "category": "MARKETING", "parameter_format": "NAMED",
        "components": [
            {"type": "HEADER", "format": "TEXT", "text": "{{discount}} off everything",
             "example": {"header_text_named_params": [{"param_name": "discount", "example": "20%"}]}},
            {"type": "BODY", "text": "Hi {{first_name}}, everything is {{discount}} off until {{end_date}}.",
             "example": {"body_text_named_params": [
                {"param_name": "first_name", "example": "Jessica"},
                {"param_name": "discount", "example": "20%"},
                {"param_name": "end_date", "example": "Sunday"}]}},
            {"type": "BUTTONS", "buttons": [
                {"type": "QUICK_REPLY", "text": "Stop promotions"},
                {"type": "COPY_CODE", "example": "SPRING20"}
            ]}
        ]
    }))
    .unwrap()
}

fn image_promo() -> Template {
    serde_json::from_value(json!({
        "name": "new_arrivals", "language": "es", "status": "APPROVED", "category": "MARKETING",
        "components": [
            {"type": "HEADER", "format": "IMAGE", "example": {"header_handle": ["4::aW1hZ2U="]}},
            {"type": "BODY", "text": "¡Hola {{1}}! Ya llegó la nueva colección."}
        ]
    }))
    .unwrap()
}

fn order_values(name: &str) -> BTreeMap<Slot, String> {
    BTreeMap::from([
        (
            Slot::HeaderText {
                var: VarName::Positional(1),
            },
            "SKB-4CP".to_owned(),
        ),
        (
            Slot::Body {
                var: VarName::Positional(1),
            },
            name.to_owned(),
        ),
        (
            Slot::Body {
                var: VarName::Positional(2),
            },
            "SKB-4CP".to_owned(),
        ),
        (
            Slot::Body {
                var: VarName::Positional(3),
            },
            "Friday".to_owned(),
        ),
        (Slot::Button { index: 0 }, "SKB-4CP?src=wa".to_owned()),
    ])
}

fn code_of(t: &Template, send: &TemplatePayload) -> i64 {
    validate(t, send).unwrap_err().code.code()
}

#[test]
fn placeholders_are_found_in_order_once() {
    assert_eq!(
        placeholders("{{2}} and {{1}} and {{2}}"),
        vec![VarName::Positional(2), VarName::Positional(1)]
    );
    assert_eq!(
        placeholders("Hi {{first_name}}, {{ order_2 }}"),
        vec![
            VarName::Named("first_name".into()),
            VarName::Named("order_2".into())
        ]
    );
    // Not variables: capitals, zero, spaces inside, unclosed.
    assert!(placeholders("{{First}} {{0}} {{a b}} {{1").is_empty());
    assert_eq!(placeholders("{{{1}}}"), vec![VarName::Positional(1)]);
}

#[test]
fn variables_of_a_positional_template_with_examples() {
    let vars = order_update().variables();
    let slots: Vec<_> = vars
        .iter()
        .map(|v| (v.slot.clone(), v.example.clone()))
        .collect();
    assert_eq!(
        slots,
        vec![
            (
                Slot::HeaderText {
                    var: VarName::Positional(1)
                },
                Some("SKB-4CP".into())
            ),
            (
                Slot::Body {
                    var: VarName::Positional(1)
                },
                Some("Jessica".into())
            ),
            (
                Slot::Body {
                    var: VarName::Positional(2)
                },
                Some("SKB-4CP".into())
            ),
            (
                Slot::Body {
                    var: VarName::Positional(3)
                },
                Some("Friday".into())
            ),
            (Slot::Button { index: 0 }, Some("SKB-4CP".into())),
        ]
    );
    assert_eq!(vars[4].kind, ValueKind::UrlSuffix);
}

#[test]
fn variables_of_a_named_template_include_header_and_coupon() {
    let t = spring_sale();
    assert_eq!(t.format(), ParameterFormat::Named);
    let vars = t.variables();
    assert_eq!(vars.len(), 5);
    assert_eq!(
        vars[0].slot,
        Slot::HeaderText {
            var: VarName::Named("discount".into())
        }
    );
    assert_eq!(vars[0].example.as_deref(), Some("20%"));
    assert_eq!(vars[3].example.as_deref(), Some("Sunday"));
    assert_eq!(vars[4].slot, Slot::Button { index: 1 });
    assert_eq!(vars[4].kind, ValueKind::CouponCode);
    assert_eq!(vars[4].example.as_deref(), Some("SPRING20"));
}

#[test]
fn built_positional_payload_validates_and_previews_exactly() {
    let t = order_update();
    let payload = t.build_payload(&order_values("Jessica"));
    assert_eq!(
        serde_json::to_value(&payload).unwrap(),
        json!({"name":"order_update","language":{"code":"en_US"},"components":[
            {"type":"header","parameters":[{"type":"text","text":"SKB-4CP"}]},
            {"type":"body","parameters":[{"type":"text","text":"Jessica"},{"type":"text","text":"SKB-4CP"},{"type":"text","text":"Friday"}]},
            {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"SKB-4CP?src=wa"}]}]})
    );
    let p = preview(&t, &payload).unwrap();
    assert_eq!(
        p.header,
        Some(PreviewHeader::Text {
            text: "Order SKB-4CP".into()
        })
    );
    assert_eq!(
        p.body,
        "Hi Jessica, your order SKB-4CP has shipped. It should arrive by Friday."
    );
    assert_eq!(p.footer.as_deref(), Some("Reply STOP to opt out"));
    assert_eq!(
        p.buttons[0].url.as_deref(),
        Some("https://shop.example.com/track/SKB-4CP?src=wa")
    );
    assert_eq!(p.buttons[1].kind, PreviewButtonKind::PhoneNumber);
    assert_eq!(p.buttons[1].phone_number.as_deref(), Some("+15550783881"));
}

#[test]
fn named_payload_can_come_in_any_order() {
    let t = spring_sale();
    let send = TemplatePayload::new("spring_sale", "en_US")
        .component(SendComponent::header(vec![Parameter::named_text(
            "discount", "30%",
        )]))
        .component(SendComponent::body(vec![
            Parameter::named_text("end_date", "May 1"),
            Parameter::named_text("first_name", "Олег"),
            Parameter::named_text("discount", "30%"),
        ]))
        .component(SendComponent {
            kind: SendComponentKind::Button,
            sub_type: Some("copy_code".into()),
            index: Some(1),
            parameters: vec![Parameter {
                parameter_name: None,
                value: ParameterValue::CouponCode {
                    coupon_code: "SPRING30".into(),
                },
            }],
        });
    let p = preview(&t, &send).unwrap();
    assert_eq!(
        p.header,
        Some(PreviewHeader::Text {
            text: "30% off everything".into()
        })
    );
    assert_eq!(p.body, "Hi Олег, everything is 30% off until May 1.");
    assert_eq!(p.buttons[1].code.as_deref(), Some("SPRING30"));
    // The builder produces the same thing from slot values.
    let values = validate(&t, &send).unwrap();
    assert_eq!(preview(&t, &t.build_payload(&values)).unwrap(), p);
}

#[test]
fn unknown_name_language_and_status_give_132001() {
    let t = order_update();
    let mut send = t.build_payload(&order_values("J"));
    send.language = TemplateLanguage {
        code: "en_GB".into(),
        policy: None,
    };
    let err = validate(&t, &send).unwrap_err();
    assert_eq!(err.code, ErrorCode::TemplateMissing);
    assert_eq!(
        err.details,
        "template name (order_update) does not exist in en_GB"
    );

    let mut rejected = order_update();
    rejected.status = TemplateStatus::Rejected;
    let send = rejected.build_payload(&order_values("J"));
    assert_eq!(code_of(&rejected, &send), 132001);
    rejected.status = TemplateStatus::Pending;
    assert_eq!(code_of(&rejected, &send), 132001);
    rejected.status = TemplateStatus::Paused;
    assert_eq!(code_of(&rejected, &send), 132015);
    rejected.status = TemplateStatus::Disabled;
    assert_eq!(code_of(&rejected, &send), 132016);
}

#[test]
fn parameter_count_mismatches_give_132000_with_metas_details() {
    let t = order_update();
    let mut values = order_values("J");
    values.remove(&Slot::Body {
        var: VarName::Positional(3),
    });
    let err = validate(&t, &t.build_payload(&values)).unwrap_err();
    assert_eq!(err.code, ErrorCode::TemplateParamCount);
    assert_eq!(
        err.details,
        "body: number of localizable_params (2) does not match the expected number of params (3)"
    );

    let mut values = order_values("J");
    values.remove(&Slot::Button { index: 0 });
    let err = validate(&t, &t.build_payload(&values)).unwrap_err();
    assert_eq!(
        err.details,
        "button at index 0: number of localizable_params (0) does not match the expected number of params (1)"
    );

    // No components at all for a template that needs five values.
    let bare = TemplatePayload::new("order_update", "en_US");
    assert_eq!(code_of(&t, &bare), 132000);

    // Too many: a header parameter for a template whose body has no variables.
    let mut hello = order_update();
    hello.components = vec![Component::Body(Body {
        text: "Hello!".into(),
        example: None,
    })];
    let send = TemplatePayload::new("order_update", "en_US")
        .component(SendComponent::header(vec![Parameter::text("x")]));
    assert_eq!(
        validate(&hello, &send).unwrap_err().details,
        "header: number of localizable_params (1) does not match the expected number of params (0)"
    );
    assert!(validate(&hello, &TemplatePayload::new("order_update", "en_US")).is_ok());
}

#[test]
fn parameter_kind_mismatches_give_132012() {
    let t = image_promo();
    let text_header = TemplatePayload::new("new_arrivals", "es")
        .component(SendComponent::header(vec![Parameter::text("not an image")]))
        .component(SendComponent::body(vec![Parameter::text("Lucía")]));
    let err = validate(&t, &text_header).unwrap_err();
    assert_eq!(err.code, ErrorCode::TemplateParamFormat);
    assert_eq!(
        err.details,
        "header: Format mismatch, expected IMAGE, received TEXT"
    );

    let values = BTreeMap::from([
        (
            Slot::HeaderMedia,
            "https://cdn.example.com/a.png".to_owned(),
        ),
        (
            Slot::Body {
                var: VarName::Positional(1),
            },
            "Lucía".to_owned(),
        ),
    ]);
    let good = t.build_payload(&values);
    let p = preview(&t, &good).unwrap();
    assert_eq!(
        p.header,
        Some(PreviewHeader::Media {
            format: HeaderFormat::Image,
            source: Some("https://cdn.example.com/a.png".into())
        })
    );

    // An image parameter without a source.
    let mut empty = good.clone();
    empty.components[0].parameters[0].value = ParameterValue::Image {
        image: MediaBody::default(),
    };
    assert_eq!(code_of(&t, &empty), 131008);

    // An image where body text belongs.
    let mut bad_body = good.clone();
    bad_body.components[1].parameters[0] = bad_body.components[0].parameters[0].clone();
    assert_eq!(
        validate(&t, &bad_body).unwrap_err().details,
        "body: Format mismatch, expected TEXT, received IMAGE"
    );

    // A quick-reply sub_type on a URL button.
    let o = order_update();
    let mut send = o.build_payload(&order_values("J"));
    send.components[2].sub_type = Some("quick_reply".into());
    assert_eq!(
        validate(&o, &send).unwrap_err().details,
        "button at index 0: Format mismatch, expected URL, received QUICK_REPLY"
    );
}

#[test]
fn named_and_positional_parameters_must_not_be_mixed() {
    let o = order_update();
    let mut send = o.build_payload(&order_values("J"));
    send.components[1].parameters[0].parameter_name = Some("first_name".into());
    assert_eq!(code_of(&o, &send), 132012);

    let s = spring_sale();
    let positional = TemplatePayload::new("spring_sale", "en_US")
        .component(SendComponent::header(vec![Parameter::text("30%")]))
        .component(SendComponent::body(vec![
            Parameter::text("a"),
            Parameter::text("b"),
            Parameter::text("c"),
        ]))
        .component(SendComponent {
            kind: SendComponentKind::Button,
            sub_type: Some("copy_code".into()),
            index: Some(1),
            parameters: vec![Parameter {
                parameter_name: None,
                value: ParameterValue::CouponCode {
                    coupon_code: "X".into(),
                },
            }],
        });
    assert_eq!(code_of(&s, &positional), 132012);

    let mut unknown = positional.clone();
    unknown.components[0].parameters[0].parameter_name = Some("discount".into());
    unknown.components[1].parameters = vec![
        Parameter::named_text("first_name", "a"),
        Parameter::named_text("discount", "b"),
        Parameter::named_text("surname", "c"),
    ];
    let err = validate(&s, &unknown).unwrap_err();
    assert_eq!(err.code, ErrorCode::TemplateParamFormat);
    assert!(err.details.contains("surname"), "{}", err.details);
}

#[test]
fn empty_multiline_and_too_long_values() {
    let t = order_update();
    let send = t.build_payload(&order_values(" "));
    assert_eq!(code_of(&t, &send), 131008);
    let send = t.build_payload(&order_values("Jes\nsica"));
    assert_eq!(code_of(&t, &send), 132018);
    let send = t.build_payload(&order_values("Jes      sica"));
    assert_eq!(code_of(&t, &send), 132018);
    let send = t.build_payload(&order_values(&"a".repeat(1000)));
    let err = validate(&t, &send).unwrap_err();
    assert_eq!(err.code, ErrorCode::TemplateTextTooLong);
    assert!(err.details.starts_with("body: text length ("));

    let mut values = order_values("J");
    values.insert(
        Slot::HeaderText {
            var: VarName::Positional(1),
        },
        "x".repeat(60),
    );
    assert_eq!(code_of(&t, &t.build_payload(&values)), 132005);
}

#[test]
fn errors_become_metas_envelope() {
    let t = order_update();
    let err = validate(&t, &TemplatePayload::new("nope", "en_US")).unwrap_err();
    let env =
        serde_json::to_value(err.to_graph_error().with_fbtrace_id("T").into_envelope()).unwrap();
    assert_eq!(
        env,
        json!({"error":{"message":"(#132001) Template name does not exist in the translation",
            "type":"OAuthException","code":132001,
            "error_data":{"messaging_product":"whatsapp","details":"template name (nope) does not exist in en_US"},
            "fbtrace_id":"T"}})
    );
}

#[test]
fn currency_and_date_time_fill_body_variables() {
    let mut t = order_update();
    t.components.retain(|c| matches!(c, Component::Body(_)));
    let send = TemplatePayload::new("order_update", "en_US").component(SendComponent::body(vec![
        Parameter::text("Jessica"),
        Parameter {
            parameter_name: None,
            value: ParameterValue::Currency {
                currency: CurrencyValue {
                    fallback_value: "€10.99".into(),
                    code: "EUR".into(),
                    amount_1000: 10990,
                },
            },
        },
        Parameter {
            parameter_name: None,
            value: ParameterValue::DateTime {
                date_time: crate::send::DateTimeValue {
                    fallback_value: "May 1".into(),
                },
            },
        },
    ]));
    assert_eq!(
        preview(&t, &send).unwrap().body,
        "Hi Jessica, your order €10.99 has shipped. It should arrive by May 1."
    );
}

#[test]
fn partial_render_keeps_unfilled_variables_visible() {
    let t = spring_sale();
    let values = BTreeMap::from([(
        Slot::Body {
            var: VarName::Named("first_name".into()),
        },
        "Ana".to_owned(),
    )]);
    let p = render(&t, &values);
    assert_eq!(
        p.body,
        "Hi Ana, everything is {{discount}} off until {{end_date}}."
    );
}

#[test]
fn authentication_template_as_listed_by_meta() {
    let raw = json!({"data": [{
        "name": "verification_code", "language": "en_US", "status": "APPROVED",
        "category": "AUTHENTICATION", "id": "77",
        "components": [
            {"type": "BODY", "text": "*{{1}}* is your verification code. For your security, do not share this code.",
             "add_security_recommendation": true},
            {"type": "FOOTER", "text": "This code expires in 10 minutes.", "code_expiration_minutes": 10},
            {"type": "BUTTONS", "buttons": [{"type": "URL", "text": "Copy code",
              "url": "https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}"}]},
            {"type": "CAROUSEL", "cards": []}
        ]}, {
        "name": "future", "language": "en_US", "status": "SOMETHING_NEW", "category": "NEW_KIND",
        "components": [{"type": "BUTTONS", "buttons": [{"type": "FLOW", "text": "Open"}]}]
    }]});
    let list: Vec<Template> = serde_json::from_value(raw["data"].clone()).unwrap();
    assert_eq!(list[1].status, TemplateStatus::Unknown);
    assert_eq!(list[1].category, TemplateCategory::Unknown);
    assert_eq!(list[1].buttons(), &[Button::Unknown]);
    assert!(list[1].variables().is_empty());

    let t = &list[0];
    assert_eq!(t.components[3], Component::Unknown);
    let vars = t.variables();
    assert_eq!(vars.len(), 2);
    let values: BTreeMap<Slot, String> = vars
        .into_iter()
        .map(|v| (v.slot, "482913".to_owned()))
        .collect();
    let p = preview(t, &t.build_payload(&values)).unwrap();
    assert_eq!(
        p.body,
        "*482913* is your verification code. For your security, do not share this code."
    );
    assert_eq!(p.buttons[0].code.as_deref(), Some("482913"));
}

mod property {
    use super::*;
    use proptest::prelude::*;

    fn value() -> impl Strategy<Value = String> {
        // Any text WhatsApp accepts in a parameter: no tabs or new lines, no
        // runs of five spaces, not blank.
        "[a-zA-Z0-9À-ÿА-я€ .,!?#%-]{1,30}".prop_filter("not blank, no long space runs", |s| {
            !s.trim().is_empty() && !s.contains("     ")
        })
    }

    proptest! {
        #[test]
        fn every_filled_template_validates_and_shows_every_value(
            vals in proptest::collection::vec(value(), 5)
        ) {
            for t in [order_update(), spring_sale()] {
                let values: BTreeMap<Slot, String> = t
                    .variables()
                    .into_iter()
                    .zip(vals.iter())
                    .map(|(v, s)| (v.slot, s.clone()))
                    .collect();
                let payload = t.build_payload(&values);
                let p = preview(&t, &payload).unwrap();
                let mut shown = format!("{:?}", p.header);
                shown.push_str(&p.body);
                for b in &p.buttons {
                    shown.push_str(b.url.as_deref().unwrap_or_default());
                    shown.push_str(b.code.as_deref().unwrap_or_default());
                }
                for v in values.values() {
                    prop_assert!(shown.contains(v.as_str()), "{v:?} missing from {shown:?}");
                }
                prop_assert!(!p.body.contains("{{"));
                // Dropping any one value is a 132000.
                for slot in values.keys() {
                    let mut fewer = values.clone();
                    fewer.remove(slot);
                    let err = validate(&t, &t.build_payload(&fewer)).unwrap_err();
                    prop_assert_eq!(err.code, ErrorCode::TemplateParamCount);
                }
            }
        }
    }
}
