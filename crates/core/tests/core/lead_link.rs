//! Lead links and their QR codes: the PNG and the SVG both decode, with a QR
//! decoder, back to the exact link.

use hourglass_core::lead::{self, LeadCodePattern, LeadSource};
use hourglass_core::lead_link::{DEFAULT_TEMPLATE, LeadLink, LeadLinkError, validate_code};
use hourglass_core::problem::ErrorCode;
use percent_encoding::percent_decode_str;
use quick_xml::events::Event;

/// Decodes every QR code in a grayscale image.
fn decode_qr(image: image::GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .map(|grid| grid.decode().expect("the QR code decodes").1)
        .collect()
}

/// The prefilled text, read back out of the link.
fn text_of(url: &str) -> String {
    let (_, query) = url.split_once("?text=").expect("a text parameter");
    percent_decode_str(query)
        .decode_utf8()
        .expect("UTF-8")
        .into_owned()
}

#[test]
fn default_link() {
    let link = LeadLink::with_default_template("+1 (650) 555-1234", "ABC123").unwrap();
    assert_eq!(
        link.url(),
        "https://wa.me/16505551234?text=Code%3A%20ABC123"
    );
    assert_eq!(link.text(), "Code: ABC123");
    assert_eq!(link.code(), "ABC123");
    assert_eq!(link.business_number(), "+16505551234");
    assert_eq!(
        LeadLink::new("16505551234", "ABC123", DEFAULT_TEMPLATE).unwrap(),
        link
    );
}

#[test]
fn every_reserved_and_non_ascii_character_is_encoded() {
    let template = "¡Hola! Código: {code} & más? #1 + 50% /x=y 🙂\nКод";
    let link = LeadLink::new("34612345678", "p-1_X", template).unwrap();
    let (base, query) = link.url().split_once("?text=").unwrap();
    assert_eq!(base, "https://wa.me/34612345678");
    assert!(
        query
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "{query}"
    );
    assert!(query.contains("%20") && !query.contains('+'), "{query}");
    assert_eq!(
        text_of(link.url()),
        "¡Hola! Código: p-1_X & más? #1 + 50% /x=y 🙂\nКод"
    );
}

#[test]
fn the_link_round_trips_through_lead_detection() {
    let pattern = LeadCodePattern::default();
    for template in [
        DEFAULT_TEMPLATE,
        "Hola, quiero información. Código: {code}",
        "Здравствуйте! Код: {code}",
    ] {
        let link = LeadLink::new("+79123456789", "PARTNER-7", template).unwrap();
        assert!(link.detected_by(&pattern), "{template}");
        // What the customer's first message will carry:
        assert_eq!(
            lead::detect(Some(&text_of(link.url())), None, &pattern),
            Some(LeadSource::PartnerCode {
                code: "PARTNER-7".into()
            })
        );
    }
    // A template the pattern does not read is flagged.
    let link = LeadLink::new("+79123456789", "P7", "Hi from {code}").unwrap();
    assert!(!link.detected_by(&pattern));
}

#[test]
fn invalid_input_has_clear_errors() {
    let e = LeadLink::with_default_template("call me", "A1").unwrap_err();
    assert_eq!(e.code(), ErrorCode::LeadLinkNumber);
    assert!(e.to_string().contains("not a phone number"), "{e}");

    for (code, says) in [
        ("", "empty"),
        ("   ", "empty"),
        ("AB C", "' ' is not allowed"),
        ("ÄBC", "'Ä' is not allowed"),
        ("A/B", "'/' is not allowed"),
        (&"A".repeat(33), "33 characters; the most is 32"),
    ] {
        let e = LeadLink::with_default_template("+16505551234", code).unwrap_err();
        assert_eq!(e.code(), ErrorCode::LeadLinkCode, "{code:?}");
        assert!(e.to_string().contains(says), "{code:?}: {e}");
    }
    assert!(validate_code(&"A".repeat(32)).is_ok());
    assert!(validate_code("a-Z_09").is_ok());
    // Surrounding spaces are trimmed, not rejected.
    assert_eq!(
        LeadLink::with_default_template("+16505551234", " A1 ")
            .unwrap()
            .code(),
        "A1"
    );

    let e = LeadLink::new("+16505551234", "A1", "Code: ABC").unwrap_err();
    assert_eq!(
        e,
        LeadLinkError::TemplateWithoutCode {
            template: "Code: ABC".into()
        }
    );
    assert!(e.to_string().contains("has no {code}"), "{e}");

    let long = format!("{} {{code}}", "x".repeat(300));
    let e = LeadLink::new("+16505551234", "A1", &long).unwrap_err();
    assert_eq!(e, LeadLinkError::TextTooLong { chars: 303 });
}

#[test]
fn png_qr_decodes_to_the_exact_link() {
    for (number, code, template) in [
        ("+16505551234", "ABC123", DEFAULT_TEMPLATE),
        ("34612345678", "p-1_X", "¡Hola! Código: {code} & más 🙂"),
        (
            "+7 912 345-67-89",
            &*"Z".repeat(32),
            "Здравствуйте! Хочу узнать о тарифах. Код: {code}",
        ),
    ] {
        let link = LeadLink::new(number, code, template).unwrap();
        let png = link.qr_png(300).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
            .expect("a PNG")
            .to_luma8();
        assert!(image.width() >= 300 && image.width() == image.height());
        assert_eq!(decode_qr(image), vec![link.url().to_owned()]);
    }
}

#[test]
fn svg_qr_is_a_document_that_decodes_to_the_exact_link() {
    let link = LeadLink::new("+34612345678", "ABC123", "Hola! Código: {code}").unwrap();
    let svg = link.qr_svg(256).unwrap();

    // It parses as XML: an <svg> root with a white <rect> and one <path>.
    let mut reader = quick_xml::Reader::from_str(&svg);
    let (mut size, mut rect, mut path) = (None, false, None);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name).expect("attribute").map(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .expect("value")
                            .into_owned()
                    })
                };
                match e.name().as_ref() {
                    "svg" => {
                        let w: u32 = attr("width").unwrap().parse().unwrap();
                        let h: u32 = attr("height").unwrap().parse().unwrap();
                        assert_eq!(w, h);
                        assert_eq!(attr("viewBox").unwrap(), format!("0 0 {w} {w}"));
                        size = Some(w);
                    }
                    "rect" => {
                        assert_eq!(attr("fill").as_deref(), Some("#ffffff"));
                        rect = true;
                    }
                    "path" => {
                        assert_eq!(attr("fill").as_deref(), Some("#000000"));
                        path = attr("d");
                    }
                    other => panic!("unexpected element {other}"),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let size = size.expect("an <svg> root");
    assert!(size >= 256);
    assert!(rect, "a background <rect>");
    let d = path.expect("a <path>");

    // Draw the path's rectangles (`M{x} {y}h{w}v{h}H{x}V{y}`) and decode.
    let mut image = image::GrayImage::from_pixel(size, size, image::Luma([255]));
    let shape = regex::Regex::new(r"M(\d+) (\d+)h(\d+)v(\d+)H(\d+)V(\d+)").unwrap();
    let mut drawn = 0;
    for c in shape.captures_iter(&d) {
        let n = |i: usize| c[i].parse::<u32>().unwrap();
        for y in n(2)..n(2) + n(4) {
            for x in n(1)..n(1) + n(3) {
                image.put_pixel(x, y, image::Luma([0]));
            }
        }
        drawn += c[0].len();
    }
    assert_eq!(drawn, d.len(), "the path is only rectangles");
    assert_eq!(decode_qr(image), vec![link.url().to_owned()]);
}

#[test]
fn serialises_for_the_ui() {
    let link = LeadLink::with_default_template("+16505551234", "ABC123").unwrap();
    assert_eq!(
        serde_json::to_value(&link).unwrap(),
        serde_json::json!({
            "business_number": "+16505551234",
            "code": "ABC123",
            "text": "Code: ABC123",
            "url": "https://wa.me/16505551234?text=Code%3A%20ABC123",
        })
    );
}
