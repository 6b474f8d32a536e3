use super::*;
use crate::lead::ReferralSourceType;

const T0: i64 = 1_000_000;

fn msg(conversation: i64, contact: &str, text: &str) -> Incoming {
    Incoming {
        conversation_id: ConversationId(conversation),
        contact: contact.into(),
        preview: text.into(),
        lead: None,
        is_new_contact: false,
        from_us: false,
        replay: false,
        mine: true,
        missed_call: false,
    }
}

fn lead(conversation: i64, contact: &str, text: &str) -> Incoming {
    Incoming {
        is_new_contact: true,
        mine: false,
        ..msg(conversation, contact, text)
    }
}

fn ad(headline: &str) -> LeadSource {
    LeadSource::Ad {
        source_type: ReferralSourceType::Ad,
        headline: Some(headline.into()),
        body: None,
        source_url: Some("https://fb.me/x".into()),
        source_id: Some("1".into()),
        ctwa_clid: Some("C".into()),
        media_url: None,
    }
}

fn policy() -> NotificationPolicy {
    NotificationPolicy::new(NotificationSettings::default())
}

/// Pushes every message at `T0`, then flushes when due.
fn run(policy: &mut NotificationPolicy, messages: Vec<Incoming>) -> Vec<Notification> {
    let mut out = Vec::new();
    for m in messages {
        out.extend(policy.push(m, T0));
    }
    if let Some(due) = policy.next_flush_at() {
        out.extend(policy.flush(due));
    }
    assert_eq!(policy.next_flush_at(), None);
    out
}

#[test]
fn one_lead_with_an_ad_source() {
    let mut p = policy();
    let mut m = lead(7, "Ana", "Hi! Is the sale still on?");
    m.lead = Some(ad("Summer sale"));
    let out = run(&mut p, vec![m]);
    assert_eq!(
        out,
        vec![Notification {
            kind: NotificationKind::Lead,
            summary: "New lead: Ana".into(),
            body: "Hi! Is the sale still on?\nAd: Summer sale".into(),
            conversation_id: Some(ConversationId(7)),
            all_leads: false,
        }]
    );
}

#[test]
fn lead_with_a_partner_code_and_without_a_source() {
    let mut p = policy();
    let mut a = lead(1, "+34612345678", "Hola\nCódigo: ABC123");
    a.lead = Some(LeadSource::PartnerCode {
        code: "ABC123".into(),
    });
    let b = lead(2, "Bruno", "hello");
    let out = run(&mut p, vec![a, b]);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].summary, "New lead: +34612345678");
    assert_eq!(out[0].body, "Hola Código: ABC123\nPartner code ABC123");
    assert_eq!(out[1].summary, "New lead: Bruno");
    assert_eq!(out[1].body, "hello");
}

#[test]
fn lead_with_an_empty_preview_shows_only_the_source() {
    let mut p = policy();
    let mut m = lead(1, "Ana", "   ");
    m.lead = Some(ad("Sale"));
    let out = run(&mut p, vec![m]);
    assert_eq!(out[0].body, "Ad: Sale");
}

#[test]
fn nothing_is_shown_before_the_batch_is_due() {
    let mut p = policy();
    assert!(p.push(lead(1, "Ana", "hi"), T0).is_empty());
    let due = p.next_flush_at().unwrap();
    assert_eq!(due, T0 + BurstConfig::default().quiet_ms);
    assert!(p.flush(due - 1).is_empty());
    assert_eq!(p.flush(due).len(), 1);
    assert!(p.flush(due + 10_000).is_empty());
}

#[test]
fn a_push_after_the_due_time_returns_the_old_batch_first() {
    let mut p = policy();
    p.push(lead(1, "Ana", "hi"), T0);
    let out = p.push(lead(2, "Bruno", "hey"), T0 + 60_000);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "New lead: Ana");
    // Bruno is held in a batch of his own.
    assert_eq!(p.next_flush_at(), Some(T0 + 60_000 + 1_500));
    let out = p.flush(T0 + 61_500);
    assert_eq!(out[0].summary, "New lead: Bruno");
}

#[test]
fn quiet_time_extends_the_batch_up_to_the_max_delay() {
    let mut p = policy();
    let b = BurstConfig::default();
    // One lead a second keeps the batch open (each within quiet_ms of the
    // last) until max_delay_ms after the first.
    for i in 0..5 {
        let t = T0 + i * 1_000;
        assert!(
            p.push(lead(i, &format!("L{i}"), "hi"), t).is_empty(),
            "at {t}"
        );
        assert!(p.flush(t + 999).is_empty());
    }
    assert_eq!(p.next_flush_at(), Some(T0 + b.max_delay_ms));
    let out = p.flush(T0 + b.max_delay_ms);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].kind, NotificationKind::Summary);
    assert_eq!(out[0].summary, "5 new leads");
}

#[test]
fn threshold_is_inclusive_of_individual_notifications() {
    let mut p = policy();
    let out = run(
        &mut p,
        (0..3).map(|i| lead(i, &format!("L{i}"), "hi")).collect(),
    );
    assert_eq!(out.len(), 3);
    assert!(out.iter().all(|n| n.kind == NotificationKind::Lead));

    let out = run(
        &mut p,
        (0..4).map(|i| lead(i, &format!("L{i}"), "hi")).collect(),
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "4 new leads");
}

#[test]
fn a_burst_of_fifty_leads_is_one_summary() {
    let mut p = policy();
    let mut msgs: Vec<Incoming> = (0..50)
        .map(|i| lead(i, &format!("Lead {i}"), "hi"))
        .collect();
    msgs[0].contact = "Ana".into();
    let out = run(&mut p, msgs);
    assert_eq!(
        out,
        vec![Notification {
            kind: NotificationKind::Summary,
            summary: "50 new leads".into(),
            body: "Ana, Lead 1, Lead 2 and 47 more".into(),
            conversation_id: None,
            all_leads: true,
        }]
    );
}

#[test]
fn summary_of_leads_and_chats() {
    let mut p = policy();
    let mut msgs: Vec<Incoming> = vec![msg(100, "Mine", "ping")];
    msgs.extend((0..4).map(|i| lead(i, &format!("L{i}"), "hi")));
    let out = run(&mut p, msgs);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "4 new leads and new messages in 1 chat");
    // Leads are named first.
    assert_eq!(out[0].body, "L0, L1, L2 and 2 more");
    assert!(!out[0].all_leads);

    let out = run(
        &mut p,
        (0..5).map(|i| msg(i, &format!("C{i}"), "x")).collect(),
    );
    assert_eq!(out[0].summary, "New messages in 5 chats");
    let mut msgs: Vec<Incoming> = (0..4).map(|i| msg(i, &format!("C{i}"), "x")).collect();
    msgs.push(lead(9, "L", "hi"));
    let out = run(&mut p, msgs);
    assert_eq!(out[0].summary, "1 new lead and new messages in 4 chats");
}

#[test]
fn own_messages_and_replays_are_never_shown() {
    let mut p = policy();
    let mut own = lead(1, "Ana", "hi");
    own.from_us = true;
    let mut own_mine = msg(2, "Bo", "our reply");
    own_mine.from_us = true;
    let mut replay = lead(3, "Cy", "old");
    replay.replay = true;
    let mut replay_mine = msg(4, "Di", "old");
    replay_mine.replay = true;
    assert!(run(&mut p, vec![own, own_mine, replay, replay_mine]).is_empty());
    assert_eq!(p.next_flush_at(), None);
}

#[test]
fn known_contacts_only_in_my_chats() {
    let mut p = policy();
    let mut other = msg(1, "Ana", "hi");
    other.mine = false;
    assert!(run(&mut p, vec![other]).is_empty());
    let out = run(&mut p, vec![msg(2, "Bo", "hi")]);
    assert_eq!(
        out,
        vec![Notification {
            kind: NotificationKind::Message,
            summary: "Bo".into(),
            body: "hi".into(),
            conversation_id: Some(ConversationId(2)),
            all_leads: false,
        }]
    );
}

#[test]
fn messages_of_one_chat_fold_into_one() {
    let mut p = policy();
    let out = run(
        &mut p,
        vec![
            msg(2, "Bo", "one"),
            msg(2, "Bo", "two"),
            msg(2, "Bo", "three"),
            msg(2, "Bo", "four"),
            msg(2, "Bo", "five"),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "Bo (5 new messages)");
    assert_eq!(out[0].body, "five");
}

#[test]
fn a_leads_next_messages_join_it() {
    let mut p = policy();
    let mut first = lead(1, "Ana", "Hi, Code: P1");
    first.lead = Some(LeadSource::PartnerCode { code: "P1".into() });
    // Later messages: no longer a new contact, not assigned to me.
    let mut second = msg(1, "Ana", "are you there?");
    second.mine = false;
    let out = run(&mut p, vec![first, second]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].kind, NotificationKind::Lead);
    assert_eq!(out[0].body, "Hi, Code: P1\nPartner code P1");
}

#[test]
fn settings_leads_off() {
    let mut p = NotificationPolicy::new(NotificationSettings {
        new_leads: false,
        ..Default::default()
    });
    let out = run(&mut p, vec![lead(1, "Ana", "hi"), msg(2, "Bo", "hey")]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "Bo");
}

#[test]
fn settings_messages_off() {
    let mut p = NotificationPolicy::new(NotificationSettings {
        new_messages_in_my_chats: false,
        ..Default::default()
    });
    let out = run(&mut p, vec![lead(1, "Ana", "hi"), msg(2, "Bo", "hey")]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "New lead: Ana");
}

#[test]
fn do_not_disturb_shows_nothing_and_drops_what_is_held() {
    let dnd = NotificationSettings {
        do_not_disturb: true,
        ..Default::default()
    };
    let mut p = NotificationPolicy::new(dnd);
    assert!(run(&mut p, vec![lead(1, "Ana", "hi"), msg(2, "Bo", "hey")]).is_empty());

    let mut p = policy();
    p.push(lead(1, "Ana", "hi"), T0);
    p.set_settings(dnd);
    assert_eq!(p.settings(), dnd);
    assert!(p.flush(T0 + 10_000).is_empty());
    assert_eq!(p.next_flush_at(), None);
    // ...and nothing comes back when it is turned off again.
    p.set_settings(NotificationSettings::default());
    assert!(p.flush(T0 + 20_000).is_empty());
}

#[test]
fn turning_leads_off_while_held_drops_them() {
    let mut p = policy();
    p.push(lead(1, "Ana", "hi"), T0);
    p.push(msg(2, "Bo", "hey"), T0);
    p.set_settings(NotificationSettings {
        new_leads: false,
        ..Default::default()
    });
    let out = p.flush(T0 + 10_000);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "Bo");
}

#[test]
fn flush_now_sends_what_is_held_early() {
    let mut p = policy();
    p.push(lead(1, "Ana", "hi"), T0);
    assert_eq!(p.flush_now().len(), 1);
    assert!(p.flush_now().is_empty());
}

#[test]
fn custom_burst_config() {
    let mut p = NotificationPolicy::with_burst(
        NotificationSettings::default(),
        BurstConfig {
            threshold: 1,
            quiet_ms: 10,
            max_delay_ms: 20,
        },
    );
    p.push(lead(1, "A", "hi"), T0);
    assert_eq!(p.next_flush_at(), Some(T0 + 10));
    p.push(lead(2, "B", "hi"), T0 + 9);
    assert_eq!(p.next_flush_at(), Some(T0 + 19));
    p.push(lead(3, "C", "hi"), T0 + 18);
    assert_eq!(p.next_flush_at(), Some(T0 + 20));
    let out = p.flush(T0 + 20);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].summary, "3 new leads");
}

#[test]
fn previews_are_one_short_line() {
    assert_eq!(preview("  hello\n\n  world\t! "), "hello world !");
    assert_eq!(preview(""), "");
    let long = "ж".repeat(500);
    let p = preview(&long);
    assert_eq!(p.chars().count(), PREVIEW_CHARS);
    assert!(p.ends_with('…'));
    // A cut right after a space does not leave the space before the ellipsis.
    let words = format!("{} {}", "a".repeat(PREVIEW_CHARS - 2), "b".repeat(50));
    let p = preview(&words);
    assert_eq!(p, format!("{}…", "a".repeat(PREVIEW_CHARS - 2)));
    // Exactly the limit is kept whole.
    let exact = "x".repeat(PREVIEW_CHARS);
    assert_eq!(preview(&exact), exact);
}

#[test]
fn contact_names_are_kept_verbatim() {
    let mut p = policy();
    let out = run(&mut p, vec![lead(1, "<b>Ana</b> & co", "1 < 2")]);
    assert_eq!(out[0].summary, "New lead: <b>Ana</b> & co");
    assert_eq!(out[0].body, "1 < 2");
}

#[test]
fn settings_serde_defaults() {
    let s: NotificationSettings = serde_json::from_str("{}").unwrap();
    assert_eq!(s, NotificationSettings::default());
    assert!(s.new_leads && s.new_messages_in_my_chats && !s.do_not_disturb);
    let s: NotificationSettings = serde_json::from_str(r#"{"do_not_disturb":true}"#).unwrap();
    assert!(s.do_not_disturb && s.new_leads);
}

#[test]
fn memory_sink_records() {
    let sink = MemorySink::default();
    let n = Notification {
        kind: NotificationKind::Lead,
        summary: "s".into(),
        body: "b".into(),
        conversation_id: None,
        all_leads: false,
    };
    sink.send(&n).unwrap();
    assert_eq!(sink.sent(), vec![n]);
}

fn missed_call(conversation: i64, contact: &str) -> Incoming {
    Incoming {
        mine: false,
        missed_call: true,
        ..msg(conversation, contact, "📞 Missed call")
    }
}

#[test]
fn a_missed_call_is_shown_in_any_chat_worded_in_the_window_s_language() {
    let mut p = NotificationPolicy::new(NotificationSettings {
        new_messages_in_my_chats: false,
        ..NotificationSettings::default()
    });
    p.set_language(Language::Es);
    assert!(p.push(missed_call(7, "Ana"), T0).is_empty());
    // An ordinary message in a chat that is not mine shows nothing.
    assert!(
        p.push(
            Incoming {
                mine: false,
                ..msg(8, "Bea", "hola")
            },
            T0
        )
        .is_empty()
    );
    let out = p.flush_now();
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].kind, NotificationKind::MissedCall);
    assert_eq!(out[0].summary, "Llamada perdida: Ana");
    assert_eq!(out[0].conversation_id, Some(ConversationId(7)));
}

#[test]
fn missed_calls_follow_their_setting_and_do_not_disturb() {
    for settings in [
        NotificationSettings {
            missed_calls: false,
            ..NotificationSettings::default()
        },
        NotificationSettings {
            do_not_disturb: true,
            ..NotificationSettings::default()
        },
    ] {
        let mut p = NotificationPolicy::new(settings);
        p.push(missed_call(7, "Ana"), T0);
        assert!(p.flush_now().is_empty(), "{settings:?}");
    }
}

#[test]
fn a_missed_call_is_never_folded_into_a_summary() {
    let mut p = NotificationPolicy::new(NotificationSettings::default());
    for i in 0..6 {
        p.push(lead(i, &format!("Lead {i}"), "hi"), T0);
    }
    p.push(missed_call(99, "Ana"), T0);
    let out = p.flush_now();
    assert_eq!(out.len(), 2, "{out:?}");
    assert_eq!(out[0].kind, NotificationKind::MissedCall);
    assert_eq!(out[0].conversation_id, Some(ConversationId(99)));
    assert_eq!(out[1].kind, NotificationKind::Summary);
    assert!(out[1].summary.contains('6'), "{}", out[1].summary);
}
