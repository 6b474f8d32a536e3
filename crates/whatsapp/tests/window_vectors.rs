//! The customer-service window against the vectors the UI's countdown is
//! also tested with (`ui/src/lib/window/vectors.test.ts`), so the two cannot
//! drift apart: changing the rule on either side fails that side's test until
//! the vectors, and with them the other side, change too.

use hourglass_whatsapp::window::{
    CLOSING_SOON_SECS, SERVICE_WINDOW_SECS, ServiceWindow, service_window, window_start,
};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vectors {
    about: String,
    service_window_secs: i64,
    closing_soon_secs: i64,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    last_inbound_at: Option<i64>,
    /// The customer's last call: it opens the window as a message does.
    last_call_at: Option<i64>,
    now: i64,
    /// Compared as JSON, so the serialised form the UI reads is pinned too.
    expected: Value,
    remaining: i64,
}

fn vectors() -> Vectors {
    serde_json::from_str(include_str!("vectors/window.json")).expect("window.json parses")
}

#[test]
fn the_rule_matches_every_shared_vector() {
    let v = vectors();
    assert!(!v.about.is_empty());
    assert_eq!(v.service_window_secs, SERVICE_WINDOW_SECS);
    assert_eq!(v.closing_soon_secs, CLOSING_SOON_SECS);
    let mut failures = Vec::new();
    for case in &v.cases {
        let window = service_window(
            window_start(case.last_inbound_at, case.last_call_at),
            case.now,
        );
        let as_json = serde_json::to_value(window).expect("a window serialises");
        if as_json != case.expected {
            failures.push(format!(
                "{}: expected {}, got {as_json}",
                case.name, case.expected
            ));
        }
        let remaining = window.remaining(case.now);
        if remaining != case.remaining {
            failures.push(format!(
                "{}: expected {} s remaining, got {remaining}",
                case.name, case.remaining
            ));
        }
        let back: ServiceWindow =
            serde_json::from_value(case.expected.clone()).expect("expected is a ServiceWindow");
        assert_eq!(back, window, "{}", case.name);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The vectors stand at every boundary the rule has; a file trimmed to easy
/// cases would let a changed boundary through.
#[test]
fn the_vectors_cover_every_state_and_boundary() {
    let v = vectors();
    let at = |last: i64, offset: i64| {
        v.cases
            .iter()
            .any(|c| c.last_inbound_at == Some(last) && c.now == last + offset)
    };
    let lasts: Vec<i64> = v.cases.iter().filter_map(|c| c.last_inbound_at).collect();
    for (offset, what) in [
        (
            SERVICE_WINDOW_SECS - CLOSING_SOON_SECS,
            "exactly one hour left",
        ),
        (
            SERVICE_WINDOW_SECS - CLOSING_SOON_SECS + 1,
            "just under one hour left",
        ),
        (SERVICE_WINDOW_SECS - 1, "one second before 24 h"),
        (SERVICE_WINDOW_SECS, "exactly 24 h"),
    ] {
        assert!(
            lasts.iter().any(|&last| at(last, offset)),
            "no vector at {what}"
        );
    }
    assert!(
        v.cases
            .iter()
            .any(|c| c.last_inbound_at.is_some_and(|l| l > c.now)),
        "no vector with a timestamp ahead of now"
    );
    assert!(
        v.cases.iter().any(|c| c
            .last_inbound_at
            .is_some_and(|l| l + SERVICE_WINDOW_SECS < c.now)),
        "no back-dated vector"
    );
    assert!(
        v.cases
            .iter()
            .any(|c| c.last_inbound_at.is_none() && c.last_call_at.is_some()),
        "no vector where only a call opened the window"
    );
    assert!(
        v.cases
            .iter()
            .any(|c| matches!((c.last_inbound_at, c.last_call_at), (Some(m), Some(k)) if k > m)),
        "no vector where a call is newer than the last message"
    );
    for state in ["never_opened", "open", "closing", "closed"] {
        assert!(
            v.cases.iter().any(|c| c.expected["state"] == state),
            "no vector in state {state}"
        );
    }
}
