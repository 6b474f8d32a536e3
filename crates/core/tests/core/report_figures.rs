//! The Reports figures the store keeps as messages arrive (migration 0021)
//! against the pass over the messages themselves, which reads every
//! message of the range and is right by construction: on a random store of
//! real SQLite rows, in several time zones, for the team and per agent, and
//! after everything that can change a figure afterwards (a failure
//! reported late, a reassignment, a message arriving out of order, two
//! contacts merged into one, a store written before the figures existed).
#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::{ContactId, ConversationId, Direction, MessageContent, Wamid};
use hourglass_core::reports::{self, FlowReport, ReportFilter};
use hourglass_core::store::{
    self, MessageExtras, NewContact, NewMessage, StatusRecord, Store, Writer,
};
use hourglass_protocol::team::{AgentEvent, ConversationStatus};

use crate::reports::sent_from_outbox;

const PN: &str = "106540352242922";
/// 2026-03-01 00:00 UTC.
const START: i64 = 1_772_323_200;
const DAYS: i64 = 20;
const AGENTS: [&str; 3] = ["ana", "ben", "carmen"];

struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn phone(i: usize) -> String {
    format!("+3461200{i:04}")
}

fn assign(w: &Writer<'_>, seq: u64, customer: &str, assignee: Option<&str>) {
    let event = AgentEvent::Assign {
        customer: customer.to_owned(),
        phone_number_id: PN.to_owned(),
        assignee: assignee.map(str::to_owned),
    };
    w.record_agent_event(
        seq,
        Some("lead"),
        &format!("assign-{seq}"),
        &event.to_payload().to_string(),
        0,
    )
    .unwrap();
    w.apply_team_event(seq, Some("lead"), 0, &event).unwrap();
}

fn set_status(w: &Writer<'_>, seq: u64, customer: &str, status: ConversationStatus, at: i64) {
    let event = AgentEvent::Status {
        customer: customer.to_owned(),
        phone_number_id: PN.to_owned(),
        status,
        snooze_until: None,
    };
    w.record_agent_event(
        seq,
        Some("ana"),
        &format!("status-{seq}"),
        &event.to_payload().to_string(),
        at * 1_000,
    )
    .unwrap();
    w.apply_team_event(seq, Some("ana"), at * 1_000, &event)
        .unwrap();
}

fn message(
    w: &Writer<'_>,
    seq: u64,
    (contact, conversation): (ContactId, ConversationId),
    inbound: bool,
    at: i64,
    by: Option<&str>,
    status: Option<&str>,
) -> String {
    let wamid = format!("wamid.figures.{seq}");
    w.insert_synced(
        &NewMessage {
            wamid: wamid.clone().into(),
            conversation_id: conversation,
            direction: if inbound {
                Direction::Inbound
            } else {
                Direction::Outbound
            },
            kind: "text".into(),
            body: format!("message {seq}"),
            payload: None,
            sent_at: at,
            status: status.map(str::to_owned),
            reply_to_wamid: None,
        },
        &MessageExtras {
            sent_by: by.map(str::to_owned),
            seq,
            ..MessageExtras::default()
        },
        contact,
        true,
    )
    .unwrap();
    wamid
}

/// A store of `conversations` chats over [`DAYS`] days: bursts of customer
/// messages at any hour, answered (or not) seconds to hours later by one of
/// the agents, this desktop without a sender, or a send that failed; gaps
/// between bursts from minutes to days, so windows close and open.
fn seeded(conversations: usize, seed: u64) -> (tempfile::TempDir, Store, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let mut rng = XorShift(seed);
    let mut wamids = Vec::new();
    store
        .write(|w| {
            let mut seq = 0;
            for i in 0..conversations {
                let contact = w.upsert_contact(&NewContact {
                    phone: Some(phone(i)),
                    user_id: None,
                    name: Some(format!("Customer {i}")),
                    username: None,
                })?;
                let c = (contact, w.conversation_for(contact, PN)?);
                if i % 4 != 3 {
                    seq += 1;
                    assign(w, seq, &phone(i), Some(AGENTS[i % AGENTS.len()]));
                }
                let mut t = START + rng.below(86_400) as i64;
                while t < START + DAYS * 86_400 {
                    for _ in 0..1 + rng.below(4) {
                        seq += 1;
                        wamids.push(message(w, seq, c, true, t, None, None));
                        t += rng.below(600) as i64;
                    }
                    if rng.below(5) > 0 {
                        t += [0, 1, 30, 400, 5_000, 40_000][rng.below(6) as usize];
                        let who = match rng.below(6) {
                            0 => None,
                            n => Some(AGENTS[(n as usize) % AGENTS.len()]),
                        };
                        let status = (rng.below(8) == 0).then_some("failed");
                        seq += 1;
                        wamids.push(message(w, seq, c, false, t, who, status));
                        // Resolved or put to sleep after the reply, now and
                        // then opened again by hand; the customer's next
                        // message reopens it too.
                        let change = match rng.below(6) {
                            0 | 1 => Some(ConversationStatus::Resolved),
                            2 => Some(ConversationStatus::Snoozed),
                            3 => Some(ConversationStatus::Open),
                            _ => None,
                        };
                        if let Some(status) = change {
                            seq += 1;
                            set_status(w, seq, &phone(i), status, t + 45);
                        }
                    }
                    t += [60, 3_000, 20_000, 80_000, 90_000, 200_000][rng.below(6) as usize];
                }
            }
            Ok(())
        })
        .unwrap();
    (dir, store, wamids)
}

fn filter(from: &str, to: &str, offset: i32, agent: Option<&str>) -> ReportFilter {
    ReportFilter {
        from: from.into(),
        to: to.into(),
        utc_offset_minutes: offset,
        agent: agent.map(str::to_owned),
        me: Some("you".into()),
    }
}

/// The kept figures give what the pass gives, for ranges that start before
/// the first message (the pass reads a week before its range; the figures
/// the whole history), in time zones east and west, on and off the hour.
fn assert_same(store: &Store, what: &str) {
    let nows = [
        START + DAYS * 86_400 + 3 * 86_400,
        START + 9 * 86_400 + 1_234,
    ];
    for offset in [0, 60, -300, 330, 345, -210, 840, -720] {
        for (from, to) in [("2026-02-28", "2026-03-25"), ("2026-02-28", "2026-03-08")] {
            for agent in [None, Some("ana"), Some("ben"), Some("you"), Some("nobody")] {
                for now in nows {
                    let f = filter(from, to, offset, agent);
                    let kept: FlowReport = reports::flow(store, &f, now).unwrap();
                    let pass = reports::flow_by_pass(store, &f, now).unwrap();
                    assert_eq!(
                        kept, pass,
                        "{what}: {from}..{to} at UTC{offset:+} min, agent {agent:?}, now {now}"
                    );
                    assert_eq!(
                        reports::busiest_hours(store, &f).unwrap(),
                        pass.busiest_hours,
                        "{what}: busiest hours"
                    );
                    let changes = reports::status_changes(store, &f).unwrap();
                    assert!(
                        changes
                            .iter()
                            .zip(&pass.volume)
                            .all(|(a, b)| { (a.resolved, a.reopened) == (b.resolved, b.reopened) }),
                        "{what}: resolved and reopened alone"
                    );
                }
            }
        }
    }
}

fn opened(store: &Store) -> u32 {
    let f = filter("2026-02-28", "2026-03-25", 0, None);
    reports::flow(store, &f, START + 40 * 86_400)
        .unwrap()
        .volume
        .iter()
        .map(|d| d.opened)
        .sum()
}

#[test]
fn kept_figures_match_the_pass_over_every_message() {
    let (_dir, store, _) = seeded(30, 0x9e37_79b9_7f4a_7c15);
    let f = filter("2026-02-28", "2026-03-25", 0, None);
    let pass = reports::flow_by_pass(&store, &f, START + 40 * 86_400).unwrap();
    // The seed is not trivial: every kind of figure is there.
    assert!(pass.volume.iter().map(|d| d.opened).sum::<u32>() > 100);
    assert!(pass.response_times.team.responses > 100);
    assert!(pass.response_times.agents.iter().any(|a| a.agent == "you"));
    assert!(pass.missed.total > 20);
    assert!(pass.volume.iter().map(|d| d.resolved).sum::<u32>() > 20);
    assert!(pass.volume.iter().map(|d| d.reopened).sum::<u32>() > 20);
    assert_same(&store, "as seeded");
}

#[test]
fn figures_follow_what_changes_afterwards() {
    let (_dir, mut store, wamids) = seeded(12, 0x2545_f491_4f6c_dd1d);
    assert_same(&store, "as seeded");

    // WhatsApp reports replies failed after the fact.
    let replies: Vec<String> = store
        .with_connection(|c| {
            let mut stmt =
                c.prepare("SELECT wamid FROM messages WHERE direction = 'outbound' ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap();
    store
        .write(|w| {
            for (k, wamid) in replies.iter().step_by(3).enumerate() {
                w.record_status(&StatusRecord {
                    wamid: Wamid(wamid.clone()),
                    status: "failed".into(),
                    at: START + DAYS * 86_400,
                    error_code: Some(131_026),
                    error_title: Some("Message undeliverable".into()),
                    seq: 50_000 + k as u64,
                    ..StatusRecord::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
    assert_same(&store, "after late failures");

    // Conversations change hands, and one is unassigned.
    store
        .write(|w| {
            assign(w, 60_000, &phone(0), Some("carmen"));
            assign(w, 60_001, &phone(1), None);
            assign(w, 60_002, &phone(3), Some("ana"));
            Ok(())
        })
        .unwrap();
    assert_same(&store, "after reassignments");

    // Messages the sync fetches late, from the middle of the history: a
    // customer message that opens nothing, a reply that answers it.
    store
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(phone(2)),
                user_id: None,
                name: None,
                username: None,
            })?;
            let c = (contact, w.conversation_for(contact, PN)?);
            message(w, 70_000, c, true, START + 5 * 86_400 + 77, None, None);
            message(
                w,
                70_001,
                c,
                false,
                START + 5 * 86_400 + 500,
                Some("ben"),
                None,
            );
            message(w, 70_002, c, true, START + 11 * 86_400 + 3, None, None);
            Ok(())
        })
        .unwrap();
    assert_same(&store, "after late messages");

    // A customer known by user id alone turns out to be a known number:
    // the two contacts become one and the messages move conversations.
    store
        .write(|w| {
            let lone = w.upsert_contact(&NewContact {
                phone: None,
                user_id: Some("ES.1234".into()),
                name: Some("By username".into()),
                username: None,
            })?;
            let c = (lone, w.conversation_for(lone, PN)?);
            message(w, 80_000, c, true, START + 7 * 86_400 + 10, None, None);
            message(w, 80_001, c, true, START + 9 * 86_400 + 10, None, None);
            message(
                w,
                80_002,
                c,
                false,
                START + 9 * 86_400 + 70,
                Some("carmen"),
                None,
            );
            Ok(())
        })
        .unwrap();
    let before = opened(&store);
    store
        .write(|w| {
            w.upsert_contact(&NewContact {
                phone: Some(phone(4)),
                user_id: Some("ES.1234".into()),
                name: None,
                username: None,
            })?;
            Ok(())
        })
        .unwrap();
    assert_same(&store, "after merging two contacts");
    assert!(
        opened(&store) <= before,
        "merged windows overlap, never add"
    );

    // An edit changes no figure but the missed list shows the new text.
    let f = filter("2026-02-28", "2026-03-25", 0, None);
    let now = START + 40 * 86_400;
    let listed = reports::flow(&store, &f, now).unwrap().missed.conversations;
    let first = &listed[0];
    let wamid: String = store
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT m.wamid FROM messages m WHERE m.conversation_id = ?1
                   AND m.sent_at = ?2 AND m.direction = 'inbound' ORDER BY m.id DESC LIMIT 1",
                rusqlite::params![first.conversation_id.0, first.last_message_at],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    store
        .write(|w| {
            w.edit_message(
                &wamid,
                "edited text",
                &MessageContent::Text {
                    body: "edited text".into(),
                },
                START + 30 * 86_400,
            )?;
            Ok(())
        })
        .unwrap();
    assert_same(&store, "after an edit");
    assert_eq!(
        reports::flow(&store, &f, now).unwrap().missed.conversations[0].last_message,
        "edited text"
    );
    assert!(!wamids.is_empty());
}

/// How many conversations have their figures worked out.
fn worked_out(store: &Store) -> i64 {
    store
        .with_connection(|c| {
            Ok(
                c.query_row("SELECT COUNT(*) FROM report_conversations", [], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap()
}

/// A store written before migration 0021: opening it only marks every
/// conversation (opening stays fast); the first report works their figures
/// out from the messages, and the report is the one it was.
#[test]
fn a_store_from_before_the_figures_gets_them_when_it_opens() {
    let (dir, store, _) = seeded(15, 0x1234_5678_9abc_def1);
    let f = filter("2026-02-28", "2026-03-25", 330, None);
    let now = START + 40 * 86_400;
    let expected = reports::report(&store, &f, now).unwrap();
    let path = store.path().to_owned();
    // Back to schema 20: none of migration 0021's or 0022's tables,
    // triggers or rows, nor 0023's indexes.
    store
        .with_connection(|c| {
            let objects: Vec<(String, String)> = {
                let mut stmt = c.prepare(
                    "SELECT type, name FROM sqlite_master
                     WHERE (type = 'table' AND name LIKE 'report\\_%' ESCAPE '\\')
                        OR (type = 'trigger' AND name LIKE 'report\\_%' ESCAPE '\\')
                        OR (type = 'index' AND name LIKE '%\\_marketing\\_refused' ESCAPE '\\')",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            assert!(objects.len() >= 10, "{objects:?}");
            for (kind, name) in objects {
                c.execute_batch(&format!("DROP {} IF EXISTS {name}", kind.to_uppercase()))?;
            }
            c.execute("DELETE FROM schema_migrations WHERE version >= 21", [])?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), store::latest_version());
    assert_eq!(
        worked_out(&store),
        0,
        "nothing is worked out when the store opens"
    );
    assert_eq!(reports::report(&store, &f, now).unwrap(), expected);
    assert_eq!(
        worked_out(&store),
        15,
        "the first report worked every conversation out"
    );
    assert_same(&store, "after the migration");
    drop(dir);
}

/// A business message for the spend report: a template (`template`), or a
/// free-form reply, priced by Meta `pricing` (category, billable) in a
/// delivery status.
fn send(
    w: &Writer<'_>,
    seq: u64,
    c: (ContactId, ConversationId),
    at: i64,
    by: Option<&str>,
    template: bool,
    pricing: Option<(&str, bool)>,
) -> String {
    let wamid = format!("wamid.spend.{seq}");
    w.insert_synced(
        &NewMessage {
            wamid: wamid.clone().into(),
            conversation_id: c.1,
            direction: Direction::Outbound,
            kind: if template { "template" } else { "text" }.into(),
            body: format!("send {seq}"),
            payload: None,
            sent_at: at,
            status: Some("sent".into()),
            reply_to_wamid: None,
        },
        &MessageExtras {
            sent_by: by.map(str::to_owned),
            seq,
            ..MessageExtras::default()
        },
        c.0,
        true,
    )
    .unwrap();
    if let Some((category, billable)) = pricing {
        price(w, seq + 500_000, &wamid, category, billable, at + 5);
    }
    wamid
}

fn price(w: &Writer<'_>, seq: u64, wamid: &str, category: &str, billable: bool, at: i64) {
    w.record_status(&StatusRecord {
        wamid: Wamid(wamid.to_owned()),
        status: "delivered".into(),
        at,
        pricing_category: Some(category.into()),
        pricing_model: Some("PMP".into()),
        billable: Some(billable),
        seq,
        ..StatusRecord::default()
    })
    .unwrap();
}

fn set_template_category(store: &Store, name: &str, category: &str) {
    store
        .with_connection(|c| {
            c.execute(
                "INSERT INTO templates (name, language, template_id, status, category,
                                        components, synced_at_ms)
                 VALUES (?1, 'en_US', ?1, 'APPROVED', ?2, '[]', 0)
                 ON CONFLICT (name, language) DO UPDATE SET category = excluded.category",
                rusqlite::params![name, category],
            )?;
            Ok(())
        })
        .unwrap();
}

/// The kept sends give the spend of the pass, for every range, time zone
/// and agent.
fn assert_same_spend(store: &Store, what: &str) {
    for offset in [0, 60, -300, 330, 345, -210, 840, -720, 7] {
        for (from, to) in [
            ("2026-02-28", "2026-03-25"),
            ("2026-03-03", "2026-03-08"),
            ("2026-03-10", "2026-03-10"),
        ] {
            for agent in [None, Some("ana"), Some("ben"), Some("you"), Some("nobody")] {
                let f = filter(from, to, offset, agent);
                let kept = reports::spend(store, &f).unwrap();
                let pass = reports::spend_by_pass(store, &f).unwrap();
                let show = |s: &reports::Spend| {
                    s.rows
                        .iter()
                        .chain([&s.total])
                        .map(|r| {
                            (
                                r.category.clone(),
                                r.country.clone(),
                                r.sends,
                                r.billable,
                                r.awaiting_pricing,
                                r.estimated_billable,
                                (r.spend * 1e6).round() as i64,
                                (r.estimate * 1e6).round() as i64,
                            )
                        })
                        .collect::<Vec<_>>()
                };
                assert_eq!(
                    show(&kept),
                    show(&pass),
                    "{what}: {from}..{to} at UTC{offset:+} min, agent {agent:?}"
                );
                let report = reports::report(store, &f, START + 40 * 86_400).unwrap();
                assert_eq!(
                    show(&report.spend),
                    show(&pass),
                    "{what}: in the whole report"
                );
            }
        }
    }
}

#[test]
fn kept_sends_give_the_spend_of_the_pass() {
    let (_dir, mut store, _) = seeded(8, 0x0bad_cafe_f00d_beef);
    let customers = [
        phone(0),
        phone(1),
        phone(2),
        "+447700900123".to_owned(),
        "+12025550143".to_owned(),
        "+919876543210".to_owned(),
    ];
    let categories = ["marketing", "utility", "authentication", "service"];
    let templates = ["promo", "order_update", "login_code"];
    set_template_category(&store, "promo", "MARKETING");
    set_template_category(&store, "order_update", "UTILITY");
    let mut rng = XorShift(0x5eed_5eed_5eed_5eed);
    let mut sent: Vec<(String, bool)> = Vec::new();
    store
        .write(|w| {
            for (i, customer) in customers.iter().enumerate() {
                let contact = w.upsert_contact(&NewContact {
                    phone: Some(customer.clone()),
                    user_id: None,
                    name: Some(format!("Spender {i}")),
                    username: None,
                })?;
                let c = (contact, w.conversation_for(contact, PN)?);
                for k in 0..14u64 {
                    let seq = 900_000 + (i as u64) * 100 + k * 2;
                    let at = START + rng.below(DAYS as u64 * 86_400) as i64;
                    // Now and then the customer wrote first: the window is
                    // open for the send.
                    if rng.below(3) == 0 {
                        message(
                            w,
                            seq + 1,
                            c,
                            true,
                            at - rng.below(90_000) as i64,
                            None,
                            None,
                        );
                    }
                    let by = match rng.below(4) {
                        0 => None,
                        n => Some(AGENTS[(n as usize) % AGENTS.len()]),
                    };
                    let template = rng.below(4) > 0;
                    let category = categories[rng.below(4) as usize];
                    let pricing = match rng.below(4) {
                        0 => None,
                        1 => Some((category, false)),
                        _ => Some((category, true)),
                    };
                    // A free-form reply counts only once Meta bills it.
                    let wamid = send(w, seq, c, at, by, template, pricing);
                    sent.push((wamid, template));
                }
            }
            Ok(())
        })
        .unwrap();
    for (k, (wamid, template)) in sent.iter().enumerate() {
        if *template && k % 3 != 0 {
            sent_from_outbox(&store, wamid, templates[k % templates.len()]);
        }
    }
    let all = filter("2026-02-28", "2026-03-25", 0, None);
    let pass = reports::spend_by_pass(&store, &all).unwrap();
    // The seed is not trivial: several categories and countries, billed,
    // free and not priced yet, estimated both ways.
    assert!(pass.rows.len() >= 8, "{:?}", pass.rows);
    assert!(pass.total.billable > 10 && pass.total.awaiting_pricing > 5);
    assert!(pass.total.billable < pass.total.sends);
    assert!(pass.total.estimated_billable > 5 && pass.total.estimated_billable < pass.total.sends);
    assert!(pass.total.spend > 0.0);
    assert_same_spend(&store, "as seeded");

    // Meta prices the unpriced sends afterwards; one send fails late.
    store
        .write(|w| {
            for (k, (wamid, _)) in sent.iter().enumerate().step_by(5) {
                price(
                    w,
                    700_000 + k as u64,
                    wamid,
                    "utility",
                    k % 2 == 0,
                    START + DAYS * 86_400,
                );
            }
            w.record_status(&StatusRecord {
                wamid: Wamid(sent[1].0.clone()),
                status: "failed".into(),
                at: START + DAYS * 86_400,
                error_code: Some(131_026),
                error_title: Some("Message undeliverable".into()),
                seq: 710_000,
                ..StatusRecord::default()
            })?;
            Ok(())
        })
        .unwrap();
    let after = reports::spend_by_pass(&store, &all).unwrap();
    assert_ne!(after.total.billable, pass.total.billable);
    assert_same_spend(&store, "after late pricing and a late failure");

    // A customer message fetched late opens the window for a send; a
    // template's category changes; a send is tied to the outbox late.
    let (conversation, at): (i64, i64) = store
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT m.conversation_id, m.sent_at FROM messages m
                 JOIN conversations cv ON cv.id = m.conversation_id
                 JOIN contacts ct ON ct.id = cv.contact_id
                 WHERE ct.phone_e164 = ?1 AND m.kind = 'template'
                 ORDER BY m.sent_at LIMIT 1",
                [&customers[4]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    store
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some(customers[4].clone()),
                user_id: None,
                name: None,
                username: None,
            })?;
            let c = (contact, w.conversation_for(contact, PN)?);
            assert_eq!(c.1.0, conversation);
            message(w, 720_000, c, true, at - 60, None, None);
            Ok(())
        })
        .unwrap();
    set_template_category(&store, "login_code", "AUTHENTICATION");
    set_template_category(&store, "promo", "UTILITY");
    sent_from_outbox(&store, &sent[0].0, "login_code");
    assert_same_spend(
        &store,
        "after a late message, a new category and a late outbox row",
    );
}

/// The session works marked conversations out while the sync is quiet, a
/// chunk at a time, and leaves them alone while the sync is busy; a report
/// then finds nothing left to work out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn figures_are_worked_out_in_the_background_while_the_sync_is_quiet() {
    use hourglass_core::reports::keeper;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    let (_dir, store, _) = seeded(60, 0x51de_5eed_0bad_f00d);
    assert_eq!(worked_out(&store), 0, "writes only mark");
    let shared = Arc::new(Mutex::new(store));
    let (activity, listener) = tokio::sync::broadcast::channel::<u32>(16);
    let quiet = Duration::from_millis(800);
    let task = tokio::spawn(keeper::keep_figures(Arc::clone(&shared), listener, quiet));
    let count = |s: &Arc<Mutex<Store>>| worked_out(&s.lock().unwrap());
    let pending = |s: &Arc<Mutex<Store>>| keeper::pending(&s.lock().unwrap()).unwrap();

    // The sync is busy: an update every 50 ms for 2 s.
    for n in 0..40 {
        activity.send(n).unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        count(&shared),
        0,
        "nothing is worked out while the sync is busy"
    );

    // Quiet: every conversation is worked out (more than one chunk).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while pending(&shared) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "still marked after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(count(&shared), 60);
    const { assert!(60 > keeper::CHUNK, "the test spans several chunks") };

    // A later write marks its conversation; the next quiet spell works it out.
    {
        let mut store = shared.lock().unwrap();
        store
            .write(|w| {
                let contact = w.upsert_contact(&NewContact {
                    phone: Some(phone(7)),
                    user_id: None,
                    name: None,
                    username: None,
                })?;
                let c = (contact, w.conversation_for(contact, PN)?);
                message(w, 990_000, c, true, START + 30 * 86_400, None, None);
                Ok(())
            })
            .unwrap();
        assert!(keeper::pending(&store).unwrap());
    }
    activity.send(99).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while pending(&shared) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the new mark stays after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    {
        let store = shared.lock().unwrap();
        assert_same(&store, "worked out in the background");
    }

    // The sync's updates end with the session: so does the keeper.
    drop(activity);
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the keeper ends when the sync's updates close")
        .unwrap();
}
