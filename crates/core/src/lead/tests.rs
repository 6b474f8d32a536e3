use super::*;
use crate::notification::Language;
use crate::problem::ErrorCode;

fn referral(json: serde_json::Value) -> Referral {
    serde_json::from_value(json).expect("referral")
}

fn code(text: &str) -> Option<String> {
    LeadCodePattern::default().find(text)
}

#[test]
fn default_pattern_recognises_the_three_languages() {
    assert_eq!(code("Code: ABC123").as_deref(), Some("ABC123"));
    assert_eq!(code("Код: ABC123").as_deref(), Some("ABC123"));
    assert_eq!(code("Código: ABC123").as_deref(), Some("ABC123"));
    assert_eq!(code("Codigo: ABC123").as_deref(), Some("ABC123"));
}

#[test]
fn default_pattern_is_case_insensitive_and_spacing_tolerant() {
    for text in [
        "code: ABC123",
        "CODE: ABC123",
        "КОД: ABC123",
        "код:ABC123",
        "CÓDIGO : ABC123",
        "Code :ABC123",
        "Code:\tABC123",
    ] {
        assert_eq!(code(text).as_deref(), Some("ABC123"), "{text:?}");
    }
}

#[test]
fn default_pattern_finds_the_code_inside_a_message() {
    assert_eq!(
        code("Hello! I'd like to know more. Code: ab-12_x").as_deref(),
        Some("ab-12_x")
    );
    assert_eq!(
        code("Hola, quiero información.\nCódigo: P4RTNER.").as_deref(),
        Some("P4RTNER")
    );
    assert_eq!(
        code("Здравствуйте! (Код: XYZ9) интересует тариф").as_deref(),
        Some("XYZ9")
    );
    // The first of several codes.
    assert_eq!(code("Code: ONE Code: TWO").as_deref(), Some("ONE"));
}

#[test]
fn default_pattern_rejects_lookalikes() {
    for text in [
        "",
        "Hello there",
        "Code ABC123",                             // no colon
        "Code: ",                                  // no code
        "Promocode: ABC123",                       // tail of a longer word
        "Barcode: 123",                            // tail of a longer word
        "Code: ÄBC",                               // not an ASCII code
        "Code: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // 33 characters
    ] {
        assert_eq!(code(text), None, "{text:?}");
    }
    // Exactly 32 characters is a code.
    let max = "A".repeat(32);
    assert_eq!(code(&format!("Code: {max}")), Some(max));
}

#[test]
fn custom_pattern() {
    let p = LeadCodePattern::new(r"(?i)ref#(\d+)").unwrap();
    assert_eq!(p.find("hi REF#42 there").as_deref(), Some("42"));
    assert_eq!(p.find("Code: ABC"), None);
    // Non-capturing groups are allowed beside the one capture group.
    let p = LeadCodePattern::new(r"(?:partner|ref)=(\w+)").unwrap();
    assert_eq!(p.find("ref=abc").as_deref(), Some("abc"));
    // A group that captured only spaces is no code.
    let p = LeadCodePattern::new(r"code=(\s*)").unwrap();
    assert_eq!(p.find("code=   "), None);
}

#[test]
fn invalid_patterns_have_clear_errors() {
    let e = LeadCodePattern::new("").unwrap_err();
    assert_eq!(e, LeadCodePatternError::Empty);
    assert_eq!(e.code(), ErrorCode::LeadPatternEmpty);

    let e = LeadCodePattern::new("code: (").unwrap_err();
    assert_eq!(e.code(), ErrorCode::LeadPatternInvalid);
    assert!(
        e.to_string().contains("not a valid regular expression"),
        "{e}"
    );

    let e = LeadCodePattern::new(r"code: \w+").unwrap_err();
    assert_eq!(
        e,
        LeadCodePatternError::CaptureGroups {
            pattern: r"code: \w+".into(),
            found: 0
        }
    );
    assert!(e.to_string().contains("needs exactly one"), "{e}");

    let e = LeadCodePattern::new(r"(code): (\w+)").unwrap_err();
    assert_eq!(e.code(), ErrorCode::LeadPatternGroups);
    assert!(e.to_string().contains("has 2 capture groups"), "{e}");
}

#[test]
fn default_pattern_round_trips_through_new() {
    let p = LeadCodePattern::new(LeadCodePattern::DEFAULT).unwrap();
    assert_eq!(p, LeadCodePattern::default());
}

#[test]
fn referral_becomes_an_ad_source() {
    let r = referral(serde_json::json!({
        "source_url": "https://fb.me/abc", "source_id": "120", "source_type": "ad",
        "headline": "Summer sale", "body": "50% off", "media_type": "image",
        "image_url": "https://cdn/x.jpg", "ctwa_clid": "ARAkLk"
    }));
    let source = detect(Some("Hi"), Some(&r), &LeadCodePattern::default()).unwrap();
    assert_eq!(
        source,
        LeadSource::Ad {
            source_type: ReferralSourceType::Ad,
            headline: Some("Summer sale".into()),
            body: Some("50% off".into()),
            source_url: Some("https://fb.me/abc".into()),
            source_id: Some("120".into()),
            ctwa_clid: Some("ARAkLk".into()),
            media_url: Some("https://cdn/x.jpg".into()),
        }
    );
    assert_eq!(Language::En.lead_source(&source), "Ad: Summer sale");
}

#[test]
fn post_referral_and_video_media() {
    let r = referral(serde_json::json!({
        "source_url": "https://fb.me/post", "source_id": "7", "source_type": "post",
        "media_type": "video", "video_url": "https://cdn/v.mp4", "thumbnail_url": "https://cdn/t.jpg"
    }));
    let source = LeadSource::from_referral(&r).unwrap();
    let LeadSource::Ad {
        source_type,
        media_url,
        ctwa_clid,
        ..
    } = &source
    else {
        panic!("{source:?}")
    };
    assert_eq!(*source_type, ReferralSourceType::Post);
    assert_eq!(media_url.as_deref(), Some("https://cdn/v.mp4"));
    assert_eq!(*ctwa_clid, None);
    // No headline: the label falls back to the URL.
    assert_eq!(
        Language::En.lead_source(&source),
        "Post: https://fb.me/post"
    );
}

#[test]
fn unknown_or_missing_source_type_is_an_ad() {
    for t in [serde_json::json!("something_new"), serde_json::Value::Null] {
        let r = referral(serde_json::json!({"source_type": t, "ctwa_clid": "X"}));
        let source = LeadSource::from_referral(&r).unwrap();
        assert!(
            matches!(
                source,
                LeadSource::Ad {
                    source_type: ReferralSourceType::Ad,
                    ..
                }
            ),
            "{source:?}"
        );
        assert_eq!(Language::En.lead_source(&source), "Ad (click-to-WhatsApp)");
    }
}

#[test]
fn empty_referral_counts_as_absent() {
    let r = referral(serde_json::json!({"source_type": "ad", "headline": "  ", "body": ""}));
    assert_eq!(LeadSource::from_referral(&r), None);
    // ...and the code in the message is used instead.
    assert_eq!(
        detect(Some("Code: P1"), Some(&r), &LeadCodePattern::default()),
        Some(LeadSource::PartnerCode { code: "P1".into() })
    );
}

#[test]
fn referral_wins_over_a_code() {
    let r = referral(serde_json::json!({"source_type": "ad", "headline": "Sale"}));
    let source = detect(Some("Code: P1"), Some(&r), &LeadCodePattern::default()).unwrap();
    assert!(matches!(source, LeadSource::Ad { .. }), "{source:?}");
}

#[test]
fn code_only_and_nothing() {
    let p = LeadCodePattern::default();
    assert_eq!(
        detect(Some("Código: ABC123"), None, &p),
        Some(LeadSource::PartnerCode {
            code: "ABC123".into()
        })
    );
    assert_eq!(
        Language::En.lead_source(&LeadSource::PartnerCode {
            code: "ABC123".into()
        }),
        "Partner code ABC123"
    );
    assert_eq!(detect(Some("hello"), None, &p), None);
    assert_eq!(detect(None, None, &p), None);
}

#[test]
fn serialises_with_a_kind_tag() {
    let v = serde_json::to_value(LeadSource::PartnerCode { code: "A1".into() }).unwrap();
    assert_eq!(v, serde_json::json!({"kind": "partner_code", "code": "A1"}));
    let r = referral(serde_json::json!({"source_type": "post", "headline": "H"}));
    let v = serde_json::to_value(LeadSource::from_referral(&r).unwrap()).unwrap();
    assert_eq!(v["kind"], "ad");
    assert_eq!(v["source_type"], "post");
    assert_eq!(v["headline"], "H");
    let back: LeadSource = serde_json::from_value(v).unwrap();
    assert_eq!(back, LeadSource::from_referral(&r).unwrap());
}
