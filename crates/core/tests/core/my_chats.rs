//! "New messages in my chats" through a real SQLite store: relay events
//! (customer messages and team assignments) are filed with `apply_events`,
//! the inbox change lists what is new with the conversation's assignee, and
//! the notification policy decides from that which chats are this agent's.

#![allow(clippy::unwrap_used)]

use hourglass_core::notification::{
    ASSIGNMENT_NEWS_MS, Language, MemorySink, Notification, NotificationKind, NotificationPolicy,
    NotificationSettings, Notifier, REMINDER_LEAD_SECS,
};
use hourglass_core::store::Store;
use hourglass_core::sync::{InboxChange, IncomingMessage, apply_events, inbox_change};
use hourglass_protocol::{Event, EventKind};
use serde_json::{Value, json};
use std::sync::Arc;

const RELAY: &str = "http://relay";
const ME: &str = "olga";

fn event(seq: u64, kind: EventKind, agent: Option<&str>, payload: Value) -> Event {
    Event {
        seq,
        kind,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: agent.map(str::to_owned),
        payload,
    }
}

/// A text from the customer at `number` named `name`.
fn customer(seq: u64, number: &str, name: &str, body: &str) -> Event {
    event(
        seq,
        EventKind::Webhook,
        None,
        json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn" },
                "contacts": [{"profile": {"name": name}, "wa_id": number}],
                "messages": [{"from": number, "id": format!("wamid.{seq}"),
                              "timestamp": (1_750_000_000 + seq).to_string(),
                              "type": "text", "text": {"body": body}}]
            }}]}]
        }),
    )
}

/// `by` assigns the conversation with `number` to `assignee`.
fn assign(seq: u64, by: &str, number: &str, assignee: Option<&str>) -> Event {
    event(
        seq,
        EventKind::Agent,
        Some(by),
        json!({ "type": "assign", "customer": format!("+{number}"),
                "phone_number_id": "pn", "assignee": assignee }),
    )
}

struct Desk {
    _dir: tempfile::TempDir,
    store: Store,
}

impl Desk {
    fn open() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(dir.path()).unwrap();
        Desk { _dir: dir, store }
    }

    /// Files `events` and answers the messages new to the store.
    fn file(&mut self, events: &[Event]) -> Vec<IncomingMessage> {
        self.change(events).incoming
    }

    /// Files `events` and answers the inbox change the window would get.
    fn change(&mut self, events: &[Event]) -> InboxChange {
        let applied = apply_events(&mut self.store, RELAY, events).unwrap();
        inbox_change(&self.store, &applied, false, 100).unwrap()
    }
}

/// What the policy shows for `incoming`, seen by the agent named `me`.
fn shown(
    settings: NotificationSettings,
    me: Option<&str>,
    incoming: &[IncomingMessage],
) -> Vec<Notification> {
    let mut policy = NotificationPolicy::new(settings);
    for m in incoming {
        let _ = policy.push(m.to_notification(me), 1_000);
    }
    policy.flush_now()
}

/// Three customers who have written before (none of them is a lead any
/// more): Ana's chat is mine, Ben's a colleague's, Caro's nobody's.
fn desk_with_chats() -> Desk {
    let mut desk = Desk::open();
    desk.file(&[
        customer(1, "5511911110001", "Ana", "hello"),
        customer(2, "5511911110002", "Ben", "hello"),
        customer(3, "5511911110003", "Caro", "hello"),
        assign(4, "maria", "5511911110001", Some(ME)),
        assign(5, "maria", "5511911110002", Some("maria")),
    ]);
    desk
}

#[test]
fn a_new_message_in_a_chat_assigned_to_me_notifies() {
    let mut desk = desk_with_chats();
    let incoming = desk.file(&[customer(
        6,
        "5511911110001",
        "Ana",
        "Is my order on its way?",
    )]);
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].assignee.as_deref(), Some(ME));
    assert!(!incoming[0].is_new_contact);

    let out = shown(NotificationSettings::default(), Some(ME), &incoming);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].kind, NotificationKind::Message);
    assert_eq!(out[0].summary, "Ana");
    assert_eq!(out[0].body, "Is my order on its way?");
    assert_eq!(out[0].conversation_id, Some(incoming[0].conversation_id));
}

#[test]
fn nothing_when_new_messages_in_my_chats_is_off() {
    let mut desk = desk_with_chats();
    let incoming = desk.file(&[customer(6, "5511911110001", "Ana", "Still there?")]);
    let off = NotificationSettings {
        new_messages_in_my_chats: false,
        ..NotificationSettings::default()
    };
    assert_eq!(shown(off, Some(ME), &incoming), Vec::new());
}

#[test]
fn nothing_for_a_colleagues_chat_an_unassigned_one_or_before_my_name_is_known() {
    let mut desk = desk_with_chats();
    let incoming = desk.file(&[
        customer(6, "5511911110002", "Ben", "Any news?"),
        customer(7, "5511911110003", "Caro", "Hello again"),
    ]);
    assert_eq!(incoming.len(), 2);
    assert_eq!(incoming[0].assignee.as_deref(), Some("maria"));
    assert_eq!(incoming[1].assignee, None);
    assert_eq!(
        shown(NotificationSettings::default(), Some(ME), &incoming),
        Vec::new()
    );

    // My own chat, but this agent's name is not known yet.
    let mine = desk.file(&[customer(8, "5511911110001", "Ana", "Hi")]);
    assert_eq!(
        shown(NotificationSettings::default(), None, &mine),
        Vec::new()
    );
}

#[test]
fn an_assignment_filed_in_the_same_batch_counts_and_unassigning_ends_it() {
    let mut desk = desk_with_chats();
    let incoming = desk.file(&[
        assign(6, "maria", "5511911110003", Some(ME)),
        customer(7, "5511911110003", "Caro", "Can you help?"),
    ]);
    let out = shown(NotificationSettings::default(), Some(ME), &incoming);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].summary, "Caro");

    let incoming = desk.file(&[
        assign(8, "maria", "5511911110003", None),
        customer(9, "5511911110003", "Caro", "Hello?"),
    ]);
    assert_eq!(incoming[0].assignee, None);
    assert_eq!(
        shown(NotificationSettings::default(), Some(ME), &incoming),
        Vec::new()
    );
}

#[test]
fn a_new_lead_follows_its_own_rule_whoever_has_the_chat() {
    let mut desk = Desk::open();
    let incoming = desk.file(&[customer(1, "5511911110009", "Dani", "I saw your ad")]);
    assert_eq!(incoming.len(), 1);
    assert!(incoming[0].is_new_contact);
    assert_eq!(incoming[0].assignee, None);
    let out = shown(NotificationSettings::default(), Some(ME), &incoming);
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].kind, NotificationKind::Lead);
    let no_leads = NotificationSettings {
        new_leads: false,
        ..NotificationSettings::default()
    };
    assert_eq!(shown(no_leads, Some(ME), &incoming), Vec::new());
}

/// This agent's reply to the customer at `number`.
fn reply(seq: u64, number: &str, body: &str) -> Event {
    event(
        seq,
        EventKind::Agent,
        Some(ME),
        json!({ "type": "outbound", "wamid": format!("wamid.out{seq}"), "to": number,
                "phone_number_id": "pn", "body": body,
                "sent_at": 1_750_000_000 + seq as i64 }),
    )
}

/// When the relay took event `seq` (see [`event`]).
fn at_ms(seq: u64) -> i64 {
    1_000 * seq as i64
}

#[test]
fn a_colleague_assigning_a_chat_to_me_notifies_in_the_windows_language() {
    let mut desk = desk_with_chats();
    let change = desk.change(&[assign(6, "maria", "5511911110003", Some(ME))]);
    assert_eq!(change.assigned.len(), 1, "{:?}", change.assigned);
    let a = &change.assigned[0];
    assert_eq!(a.contact, "Caro");
    assert_eq!(a.by.as_deref(), Some("maria"));
    assert_eq!(a.assignee.as_deref(), Some(ME));

    let mut policy = NotificationPolicy::new(NotificationSettings::default());
    let out = policy.assigned(&change.assigned, Some(ME), at_ms(6));
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].kind, NotificationKind::Assigned);
    assert_eq!(out[0].summary, "Assigned to you: Caro");
    assert_eq!(out[0].body, "Assigned by maria");
    assert_eq!(out[0].conversation_id, Some(a.conversation_id));

    policy.set_language(Language::Ru);
    let out = policy.assigned(&change.assigned, Some(ME), at_ms(6));
    assert_eq!(out[0].summary, "Вам назначен чат: Caro");
    assert_eq!(out[0].body, "Назначено агентом maria");
    policy.set_language(Language::Es);
    let out = policy.assigned(&change.assigned, Some(ME), at_ms(6));
    assert_eq!(out[0].summary, "Asignada a ti: Caro");

    // Not for a colleague, nor when the setting is off, nor before my name
    // is known, nor for an assignment that is history by the time it is filed.
    assert!(
        policy
            .assigned(&change.assigned, Some("maria"), at_ms(6))
            .is_empty()
    );
    assert!(policy.assigned(&change.assigned, None, at_ms(6)).is_empty());
    assert!(
        policy
            .assigned(
                &change.assigned,
                Some(ME),
                at_ms(6) + ASSIGNMENT_NEWS_MS + 1
            )
            .is_empty()
    );
    policy.set_settings(NotificationSettings {
        assigned_to_me: false,
        ..NotificationSettings::default()
    });
    assert!(
        policy
            .assigned(&change.assigned, Some(ME), at_ms(6))
            .is_empty()
    );
}

#[test]
fn taking_a_chat_myself_or_losing_it_in_the_same_batch_is_not_news() {
    let mut desk = desk_with_chats();
    let change = desk.change(&[
        assign(6, ME, "5511911110003", Some(ME)),
        assign(7, "maria", "5511911110002", Some(ME)),
        assign(8, "maria", "5511911110002", Some("maria")),
    ]);
    assert_eq!(change.assigned.len(), 3);
    let policy = NotificationPolicy::new(NotificationSettings::default());
    assert_eq!(
        policy.assigned(&change.assigned, Some(ME), at_ms(8)),
        Vec::new()
    );
}

#[test]
fn many_chats_assigned_at_once_fold_into_one() {
    let mut desk = Desk::open();
    let mut events = Vec::new();
    for i in 0..5u64 {
        events.push(customer(
            i + 1,
            &format!("551191111002{i}"),
            &format!("C{i}"),
            "hi",
        ));
    }
    for i in 0..5u64 {
        events.push(assign(
            10 + i,
            "maria",
            &format!("551191111002{i}"),
            Some(ME),
        ));
    }
    let change = desk.change(&events);
    let mut policy = NotificationPolicy::new(NotificationSettings::default());
    let out = policy.assigned(&change.assigned, Some(ME), at_ms(14));
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].summary, "5 chats assigned to you");
    assert_eq!(out[0].body, "C0, C1, C2 and 2 more");
    assert_eq!(out[0].conversation_id, None);
    policy.set_language(Language::Ru);
    let out = policy.assigned(&change.assigned, Some(ME), at_ms(14));
    assert_eq!(out[0].summary, "Вам назначено 5 чатов");
    assert_eq!(out[0].body, "C0, C1, C2 и ещё 2");
}

#[test]
fn an_unanswered_chat_of_mine_is_reminded_once_per_window_before_it_closes() {
    let mut desk = desk_with_chats();
    // Ana (mine) and Ben (maria's) wrote at Meta time 1_750_000_006 / _007.
    desk.file(&[
        customer(6, "5511911110001", "Ana", "Are you there?"),
        customer(7, "5511911110002", "Ben", "Hello?"),
    ]);
    let closes = 1_750_000_006 + 24 * 3600;

    // More than an hour before: nothing yet.
    let early = closes - REMINDER_LEAD_SECS - 1;
    assert_eq!(
        desk.store
            .due_window_reminders(ME, early, REMINDER_LEAD_SECS)
            .unwrap(),
        vec![]
    );

    // Within the hour: Ana's chat, once; never Ben's (not mine).
    let now = closes - 30 * 60;
    let due = desk
        .store
        .due_window_reminders(ME, now, REMINDER_LEAD_SECS)
        .unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!(due[0].contact, "Ana");
    assert_eq!(due[0].closes_at, closes);
    assert_eq!(
        desk.store
            .due_window_reminders(ME, now + 60, REMINDER_LEAD_SECS)
            .unwrap(),
        vec![]
    );

    let mut policy = NotificationPolicy::new(NotificationSettings::default());
    let out = policy.reminders(&due, now * 1000);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].kind, NotificationKind::WindowReminder);
    assert_eq!(out[0].summary, "Window closes soon: Ana");
    assert!(out[0].body.contains("closes in 30 min"), "{}", out[0].body);
    assert_eq!(out[0].conversation_id, Some(due[0].conversation_id));
    policy.set_language(Language::Es);
    assert!(
        policy.reminders(&due, now * 1000)[0]
            .body
            .contains("cierra en 30 min")
    );
    policy.set_settings(NotificationSettings {
        window_reminder: false,
        ..NotificationSettings::default()
    });
    assert!(policy.reminders(&due, now * 1000).is_empty());

    // Reopened from disk (a restart): still not repeated.
    let dir = desk._dir.path().to_owned();
    let mut again = Store::open_in_dir(&dir).unwrap();
    assert_eq!(
        again
            .due_window_reminders(ME, now + 120, REMINDER_LEAD_SECS)
            .unwrap(),
        vec![]
    );

    // Ana writes again: a new window, reminded again before it closes.
    desk.file(&[customer(20, "5511911110001", "Ana", "Hello??")]);
    let closes2 = 1_750_000_020 + 24 * 3600;
    let due = desk
        .store
        .due_window_reminders(ME, closes2 - 600, REMINDER_LEAD_SECS)
        .unwrap();
    assert_eq!(
        due.iter().map(|d| d.closes_at).collect::<Vec<_>>(),
        vec![closes2]
    );
}

#[test]
fn an_answered_chat_or_a_closed_window_is_not_reminded() {
    let mut desk = desk_with_chats();
    desk.file(&[
        customer(6, "5511911110001", "Ana", "Are you there?"),
        reply(7, "+5511911110001", "Yes, one moment"),
    ]);
    let closes = 1_750_000_006 + 24 * 3600;
    assert_eq!(
        desk.store
            .due_window_reminders(ME, closes - 600, REMINDER_LEAD_SECS)
            .unwrap(),
        vec![]
    );
    // Unanswered again, but the window has closed: too late for a reminder.
    desk.file(&[customer(8, "5511911110001", "Ana", "Hello?")]);
    let closes = 1_750_000_008 + 24 * 3600;
    assert_eq!(
        desk.store
            .due_window_reminders(ME, closes + 1, REMINDER_LEAD_SECS)
            .unwrap(),
        vec![]
    );
}

/// The service end to end: the change the sync engine hands over, this
/// agent's name and the window's language go in; what the sink shows comes out.
#[tokio::test]
async fn the_notifier_shows_my_chats_and_assignments_in_the_windows_language() {
    let mut desk = desk_with_chats();
    let sink = Arc::new(MemorySink::default());
    let (notifier, task) = Notifier::new(
        sink.clone(),
        NotificationPolicy::with_burst(
            NotificationSettings::default(),
            hourglass_core::notification::BurstConfig {
                threshold: 3,
                quiet_ms: 50,
                max_delay_ms: 200,
            },
        ),
    );
    let running = tokio::spawn(task);
    notifier.set_me(Some(ME.to_owned()));
    notifier.set_language(Language::Ru);
    // Recent enough to be news: the relay took it now.
    let mut assign_now = assign(6, "maria", "5511911110003", Some(ME));
    assign_now.received_at_ms = chrono::Utc::now().timestamp_millis();
    let change = desk.change(&[
        assign_now,
        customer(7, "5511911110001", "Ana", "Где мой заказ?"),
        customer(8, "5511911110002", "Ben", "not mine"),
    ]);
    notifier.push_change(&change);
    drop(notifier);
    tokio::time::timeout(std::time::Duration::from_secs(10), running)
        .await
        .unwrap()
        .unwrap();
    // Shown on blocking threads: wait for both.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while sink.sent().len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let mut sent: Vec<(NotificationKind, String)> = sink
        .sent()
        .into_iter()
        .map(|n| (n.kind, n.summary))
        .collect();
    sent.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        sent,
        vec![
            (NotificationKind::Message, "Ana".to_owned()),
            (
                NotificationKind::Assigned,
                "Вам назначен чат: Caro".to_owned()
            ),
        ]
    );
}
