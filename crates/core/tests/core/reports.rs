//! Reports over a real SQLite store seeded with a known week: every figure
//! below was worked out by hand from the seed, so a query that counts the
//! wrong day, the wrong agent or the wrong message fails here.
//!
//! The team lead's clock is UTC+1 and the report covers Monday 2 to
//! Wednesday 4 March 2026. Times in the seed are local: `at(day, "hh:mm")`
//! with day 0 the Monday.
#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::{ContactId, ConversationId, Direction, Wamid};
use hourglass_core::lead::LeadSource;
use hourglass_core::problem::ErrorCode;
use hourglass_core::reports::{self, LeadChannel, Report, ReportFilter};
use hourglass_core::store::{MessageExtras, NewContact, NewMessage, StatusRecord, Store, Writer};
use hourglass_protocol::team::AgentEvent;

const PN: &str = "106540352242922";
const OFFSET_MIN: i32 = 60;

/// Unix seconds of local `hh:mm[:ss]` on `day` (0: Monday 2 March 2026).
fn at(day: i64, time: &str) -> i64 {
    let parts: Vec<i64> = time.split(':').map(|p| p.parse().unwrap()).collect();
    let midnight_utc = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    midnight_utc - i64::from(OFFSET_MIN) * 60
        + day * 86_400
        + parts[0] * 3600
        + parts[1] * 60
        + parts.get(2).copied().unwrap_or(0)
}

struct Seed<'w, 'a> {
    w: &'w Writer<'a>,
    n: u64,
}

impl Seed<'_, '_> {
    fn customer(&self, phone: &str, name: &str) -> (ContactId, ConversationId) {
        let contact = self
            .w
            .upsert_contact(&NewContact {
                phone: Some(phone.into()),
                user_id: None,
                name: Some(name.into()),
                username: None,
            })
            .unwrap();
        (contact, self.w.conversation_for(contact, PN).unwrap())
    }

    #[allow(clippy::too_many_arguments)]
    fn message(
        &mut self,
        (contact, conversation): (ContactId, ConversationId),
        direction: Direction,
        sent_at: i64,
        body: &str,
        kind: &str,
        sent_by: Option<&str>,
        status: Option<&str>,
    ) -> String {
        self.n += 1;
        let wamid = format!("wamid.report.{}", self.n);
        self.w
            .insert_synced(
                &NewMessage {
                    wamid: wamid.clone().into(),
                    conversation_id: conversation,
                    direction,
                    kind: kind.into(),
                    body: body.into(),
                    payload: None,
                    sent_at,
                    status: status.map(str::to_owned),
                    reply_to_wamid: None,
                },
                &MessageExtras {
                    sent_by: sent_by.map(str::to_owned),
                    seq: self.n,
                    ..MessageExtras::default()
                },
                contact,
                true,
            )
            .unwrap();
        wamid
    }

    fn customer_writes(&mut self, c: (ContactId, ConversationId), sent_at: i64, body: &str) {
        self.message(c, Direction::Inbound, sent_at, body, "text", None, None);
    }

    fn reply(&mut self, c: (ContactId, ConversationId), sent_at: i64, by: Option<&str>) {
        self.message(c, Direction::Outbound, sent_at, "Hello!", "text", by, None);
    }

    fn template(
        &mut self,
        c: (ContactId, ConversationId),
        sent_at: i64,
        by: &str,
        pricing: Option<(&str, bool)>,
    ) -> String {
        let wamid = self.message(
            c,
            Direction::Outbound,
            sent_at,
            "Template",
            "template",
            Some(by),
            Some("sent"),
        );
        if let Some((category, billable)) = pricing {
            self.w
                .record_status(&StatusRecord {
                    wamid: Wamid(wamid.clone()),
                    status: "delivered".into(),
                    at: sent_at + 5,
                    pricing_category: Some(category.into()),
                    pricing_model: Some("PMP".into()),
                    billable: Some(billable),
                    seq: 10_000 + self.n,
                    ..StatusRecord::default()
                })
                .unwrap();
        }
        wamid
    }

    fn assign(&mut self, phone: &str, agent: &str) {
        self.n += 1;
        let event = AgentEvent::Assign {
            customer: phone.to_owned(),
            phone_number_id: PN.to_owned(),
            assignee: Some(agent.to_owned()),
        };
        let seq = 20_000 + self.n;
        self.w
            .record_agent_event(
                seq,
                Some("lead"),
                &format!("assign-{}", self.n),
                &event.to_payload().to_string(),
                0,
            )
            .unwrap();
        self.w
            .apply_team_event(seq, Some("lead"), 0, &event)
            .unwrap();
    }
}

/// Sent through this desktop's outbox: the template picked is known.
pub(crate) fn sent_from_outbox(store: &Store, wamid: &str, template: &str) {
    store
        .with_connection(|c| {
            let (id, conversation): (i64, i64) = c.query_row(
                "SELECT id, conversation_id FROM messages WHERE wamid = ?1",
                [wamid],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let request = serde_json::json!({
                "messaging_product": "whatsapp", "type": "template",
                "template": { "name": template, "language": { "code": "en_US" } },
            });
            c.execute(
                "INSERT INTO outbox (id, conversation_id, message_id, recipient, kind, request, body,
                                     state, next_attempt_at_ms, created_at_ms, wamid)
                 VALUES (?1, ?2, ?3, '', 'template', ?4, '', 'accepted', 0, 0, ?5)",
                rusqlite::params![format!("o-{id}"), conversation, id, request.to_string(), wamid],
            )?;
            Ok(())
        })
        .unwrap();
}

fn seeded() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let (eva_templates, dan_template) = store
        .write(|w| {
            let mut s = Seed { w, n: 0 };
            let alice = s.customer("+34612345678", "Alice");
            let boris = s.customer("+79161234567", "Boris");
            let carla = s.customer("+525512345678", "Carla");
            let dan = s.customer("+16505551234", "Dan");
            let eva = s.customer("+34699111222", "Eva");
            let femi = s.customer("+447911123456", "Femi");
            let gus = s.customer("+33612345678", "Gus");
            s.assign("+34612345678", "ana");
            s.assign("+525512345678", "ben");
            s.assign("+16505551234", "ben");
            s.assign("+447911123456", "ana");

            // Alice (ana's): answered twice on Monday; writes again on
            // Tuesday after her window closed, and nobody answers.
            s.customer_writes(alice, at(0, "09:00"), "Hi, is my order out?");
            s.customer_writes(alice, at(0, "09:01"), "Order 1234");
            s.reply(alice, at(0, "09:10"), Some("ana"));
            s.customer_writes(alice, at(0, "10:00"), "Thanks! And the invoice?");
            s.reply(alice, at(0, "10:30"), Some("ben"));
            s.customer_writes(alice, at(1, "12:00"), "Still no invoice");
            // After the range: read by nothing.
            s.customer_writes(alice, at(3, "01:00"), "Hello?");

            // Boris (unassigned) opened his conversation on Sunday night;
            // this desktop answered on Monday (no sender recorded yet). His
            // next question got only a failed template.
            s.customer_writes(boris, at(-1, "23:30"), "Are you open?");
            s.reply(boris, at(0, "00:30"), None);
            s.customer_writes(boris, at(0, "08:00"), "Can I come at 10?");
            s.message(
                boris,
                Direction::Outbound,
                at(0, "08:05"),
                "Template",
                "template",
                Some("you"),
                Some("failed"),
            );

            // Carla (ben's): a partner-code lead answered in 3 minutes; a
            // colleague's utility template that Meta billed.
            s.customer_writes(carla, at(2, "14:00"), "Hola! Código: ABC123");
            s.reply(carla, at(2, "14:03"), Some("ben"));
            // Sent from another desktop: no outbox row here.
            s.template(carla, at(2, "14:30"), "ben", Some(("utility", true)));

            // Dan (ben's): an ad lead answered by ana after 20 minutes; a
            // marketing template from this desktop once his window closed.
            s.customer_writes(dan, at(1, "20:00"), "Saw your ad");
            s.reply(dan, at(1, "20:20"), Some("ana"));
            let dan_template = s.template(dan, at(2, "22:00"), "ben", Some(("marketing", true)));

            // Eva (unassigned): an organic lead answered after 6 minutes,
            // then a utility template inside the window (free) and a
            // marketing one Meta has not priced yet.
            s.customer_writes(eva, at(0, "15:00"), "Do you deliver?");
            s.reply(eva, at(0, "15:06"), Some("you"));
            let utility_es = s.template(eva, at(0, "16:00"), "you", Some(("utility", false)));
            let marketing_es = s.template(eva, at(0, "16:10"), "you", None);

            // Femi (ana's): a partner-code lead answered after 5 min 1 s.
            s.customer_writes(femi, at(1, "09:00"), "Code: ABC123");
            s.reply(femi, at(1, "09:05:01"), Some("ana"));

            // Gus: writes 30 minutes into Tuesday, local time (still Monday
            // in UTC); nobody answers.
            s.customer_writes(gus, at(1, "00:30"), "Bonjour");

            let code = |c: &str| LeadSource::PartnerCode { code: c.into() };
            let ad = LeadSource::Ad {
                source_type: hourglass_core::lead::ReferralSourceType::Ad,
                headline: Some("Spring sale".into()),
                body: None,
                source_url: None,
                source_id: None,
                ctwa_clid: None,
                media_url: None,
            };
            w.record_lead(carla.1, Some(&code("ABC123")), at(2, "14:00"))?;
            w.record_lead(femi.1, Some(&code("ABC123")), at(1, "09:00"))?;
            w.record_lead(dan.1, Some(&ad), at(1, "20:00"))?;
            w.record_lead(eva.1, None, at(0, "15:00"))?;
            w.record_lead(gus.1, None, at(1, "00:30"))?;
            Ok(((utility_es, marketing_es), dan_template))
        })
        .unwrap();
    store
        .with_connection(|c| {
            for (name, category) in [("order_update", "UTILITY"), ("promo", "MARKETING")] {
                c.execute(
                    "INSERT INTO templates (name, language, template_id, status, category,
                                            components, synced_at_ms)
                     VALUES (?1, 'en_US', '1', 'APPROVED', ?2, '[]', 0)",
                    [name, category],
                )?;
            }
            Ok(())
        })
        .unwrap();
    sent_from_outbox(&store, &eva_templates.0, "order_update");
    sent_from_outbox(&store, &eva_templates.1, "promo");
    sent_from_outbox(&store, &dan_template, "promo");
    (dir, store)
}

fn filter(agent: Option<&str>) -> ReportFilter {
    ReportFilter {
        from: "2026-03-02".into(),
        to: "2026-03-04".into(),
        utc_offset_minutes: OFFSET_MIN,
        agent: agent.map(str::to_owned),
        me: Some("you".into()),
    }
}

fn run(store: &Store, agent: Option<&str>, now: i64) -> Report {
    reports::report(store, &filter(agent), now).unwrap()
}

#[test]
fn conversations_opened_per_local_day() {
    let (_dir, store) = seeded();
    let r = run(&store, None, at(5, "12:00"));
    let opened: Vec<(&str, u32)> = r
        .volume
        .iter()
        .map(|d| (d.day.as_str(), d.opened))
        .collect();
    // Monday: Alice, Eva (Boris opened on Sunday). Tuesday: Alice again
    // after 26 h, Femi, Dan, and Gus at 00:30 local. Wednesday: Carla.
    assert_eq!(
        opened,
        [("2026-03-02", 2), ("2026-03-03", 4), ("2026-03-04", 1)]
    );
    let ana = run(&store, Some("ana"), at(5, "12:00"));
    let opened: Vec<u32> = ana.volume.iter().map(|d| d.opened).collect();
    assert_eq!(opened, [1, 2, 0], "Alice and Femi are ana's");
}

#[test]
fn response_times_per_agent_and_team_with_nearest_rank_percentiles() {
    let (_dir, store) = seeded();
    let r = run(&store, None, at(5, "12:00"));
    let t = &r.response_times.team;
    // Replies: 600 (ana), 1800 (ben), 3600 (this desktop), 180 (ben),
    // 1200 (ana), 360 (you), 301 (ana); the failed template is none.
    assert_eq!(
        (t.responses, t.median_s, t.p90_s),
        (7, Some(600), Some(3600))
    );
    // First replies: 600, 3600, 180, 1200, 360, 301.
    assert_eq!(
        (t.first_responses, t.first_median_s, t.first_p90_s),
        (6, Some(360), Some(3600))
    );
    let rows: Vec<_> = r
        .response_times
        .agents
        .iter()
        .map(|a| {
            (
                a.agent.as_str(),
                a.responses,
                a.median_s,
                a.p90_s,
                a.first_responses,
                a.first_median_s,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ana", 3, Some(600), Some(1200), 3, Some(600)),
            ("ben", 2, Some(180), Some(1800), 1, Some(180)),
            ("you", 2, Some(360), Some(3600), 2, Some(360)),
        ]
    );
    let ben = run(&store, Some("ben"), at(5, "12:00"));
    assert_eq!(ben.response_times.team.responses, 2);
    assert_eq!(ben.response_times.team.p90_s, Some(1800));
    assert_eq!(ben.response_times.agents.len(), 1);
}

#[test]
fn busiest_hours_count_customer_messages_by_local_weekday_and_hour() {
    let (_dir, store) = seeded();
    let h = run(&store, None, at(5, "12:00")).busiest_hours;
    // The report counts them in its pass; the query alone in SQL: the same.
    assert_eq!(reports::busiest_hours(&store, &filter(None)).unwrap(), h);
    let mut cells = Vec::new();
    for (d, day) in h.counts.iter().enumerate() {
        assert_eq!(day.len(), 24);
        for (hour, &n) in day.iter().enumerate() {
            if n > 0 {
                cells.push((d, hour, n));
            }
        }
    }
    assert_eq!(
        cells,
        [
            (0, 8, 1),
            (0, 9, 2),
            (0, 10, 1),
            (0, 15, 1),
            (1, 0, 1),
            (1, 9, 1),
            (1, 12, 1),
            (1, 20, 1),
            (2, 14, 1),
        ]
    );
    assert_eq!(h.max, 2);
    let ana = run(&store, Some("ana"), at(5, "12:00")).busiest_hours;
    let total: u32 = ana.counts.iter().flatten().sum();
    assert_eq!(total, 5, "Alice's four messages in range and Femi's one");
    assert_eq!(
        reports::busiest_hours(&store, &filter(Some("ana"))).unwrap(),
        ana
    );
}

#[test]
fn missed_windows_per_day_per_assignee_and_listed() {
    let (_dir, store) = seeded();
    let r = run(&store, None, at(5, "12:00"));
    let m = &r.missed;
    assert_eq!(m.total, 3);
    let per_day: Vec<u32> = m.per_day.iter().map(|d| d.count).collect();
    assert_eq!(
        per_day,
        [0, 1, 2],
        "Boris on Tuesday; Gus and Alice on Wednesday"
    );
    let per_agent: Vec<(Option<&str>, u32)> = m
        .per_agent
        .iter()
        .map(|a| (a.agent.as_deref(), a.count))
        .collect();
    assert_eq!(per_agent, [(None, 2), (Some("ana"), 1)]);
    let listed: Vec<(&str, &str, i64, Option<&str>)> = m
        .conversations
        .iter()
        .map(|c| {
            (
                c.customer.as_str(),
                c.last_message.as_str(),
                c.closed_at,
                c.assignee.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("Alice", "Still no invoice", at(2, "12:00"), Some("ana")),
            ("Gus", "Bonjour", at(2, "00:30"), None),
            ("Boris", "Can I come at 10?", at(1, "08:00"), None),
        ]
    );
    // A window still open at `now` is not missed yet.
    let early = run(&store, None, at(1, "09:00"));
    assert_eq!(early.missed.total, 1);
    assert_eq!(early.missed.conversations[0].customer, "Boris");
    // Under an agent filter: only that agent's conversations.
    assert_eq!(run(&store, Some("ana"), at(5, "12:00")).missed.total, 1);
    assert_eq!(run(&store, Some("ben"), at(5, "12:00")).missed.total, 0);
}

#[test]
fn leads_by_source_and_fast_replies_per_partner_code() {
    let (_dir, store) = seeded();
    let l = run(&store, None, at(5, "12:00")).leads;
    assert_eq!(l.total, 5);
    let by: Vec<(LeadChannel, u32, u32)> = l
        .by_source
        .iter()
        .map(|s| (s.source, s.leads, s.replied_within_5_min))
        .collect();
    assert_eq!(
        by,
        [
            (LeadChannel::Ad, 1, 0),
            (LeadChannel::PartnerCode, 2, 1),
            (LeadChannel::Organic, 2, 0),
        ]
    );
    assert_eq!(l.partner_codes.len(), 1);
    let abc = &l.partner_codes[0];
    assert_eq!(
        (abc.code.as_str(), abc.leads, abc.replied_within_5_min),
        ("ABC123", 2, 1)
    );
    assert!((abc.share_within_5_min - 0.5).abs() < 1e-9);
    let ben = run(&store, Some("ben"), at(5, "12:00")).leads;
    assert_eq!(ben.total, 2, "Carla and Dan are ben's");
}

#[test]
fn template_spend_from_metas_billable_flag_against_the_estimates() {
    let (_dir, store) = seeded();
    let s = run(&store, None, at(5, "12:00")).spend;
    assert_eq!(s.currency, "EUR");
    let rows: Vec<(&str, &str, u32, u32, u32, u32)> = s
        .rows
        .iter()
        .map(|r| {
            (
                r.category.as_str(),
                r.country.as_str(),
                r.sends,
                r.billable,
                r.awaiting_pricing,
                r.estimated_billable,
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("marketing", "1", 1, 1, 0, 1),
            ("marketing", "34", 1, 0, 1, 1),
            ("utility", "34", 1, 0, 0, 0),
            // Estimated free (a utility template in an open window), billed
            // by Meta all the same.
            ("utility", "52", 1, 1, 0, 0),
        ]
    );
    let money: Vec<(f64, f64)> = s.rows.iter().map(|r| (r.spend, r.estimate)).collect();
    let expected = [(0.0230, 0.0230), (0.0, 0.0510), (0.0, 0.0), (0.0078, 0.0)];
    for ((spend, estimate), (want_spend, want_estimate)) in money.iter().zip(expected) {
        assert!((spend - want_spend).abs() < 1e-9, "{money:?}");
        assert!((estimate - want_estimate).abs() < 1e-9, "{money:?}");
    }
    assert_eq!(
        (s.total.sends, s.total.billable, s.total.awaiting_pricing),
        (4, 2, 1)
    );
    assert!((s.total.spend - 0.0308).abs() < 1e-9);
    assert!((s.total.estimate - 0.0740).abs() < 1e-9);
    let ben = run(&store, Some("ben"), at(5, "12:00")).spend;
    assert_eq!(ben.total.sends, 2);
}

#[test]
fn agents_to_filter_by_and_no_status_change_is_invented() {
    let (_dir, store) = seeded();
    let r = run(&store, None, at(5, "12:00"));
    assert_eq!(r.agents, ["ana", "ben", "you"]);
    // The seed sets no status: nothing was resolved or reopened (see
    // `status::reports_count_resolved_and_reopened_per_day`).
    assert!(
        r.volume.iter().all(|d| d.resolved == 0 && d.reopened == 0),
        "{:?}",
        r.volume
    );
}

#[test]
fn bad_ranges_are_refused_in_words() {
    let (_dir, store) = seeded();
    let mut f = filter(None);
    f.from = "2026-03-05".into();
    let err = reports::report(&store, &f, 0).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReportRangeInvalid);
    assert!(err.to_string().contains("before the first"), "{err}");
    f.from = "March".into();
    assert!(
        reports::report(&store, &f, 0)
            .unwrap_err()
            .to_string()
            .contains("not a date")
    );
    let mut f = filter(None);
    f.from = "2020-01-01".into();
    assert!(
        reports::report(&store, &f, 0)
            .unwrap_err()
            .to_string()
            .contains("more than")
    );
}

#[test]
fn percentiles_are_nearest_rank() {
    assert_eq!(reports::percentile(&[], 50), None);
    assert_eq!(reports::percentile(&[7], 90), Some(7));
    assert_eq!(reports::percentile(&[1, 2, 3, 4], 50), Some(2));
    assert_eq!(
        reports::percentile(&(1..=10).collect::<Vec<_>>(), 90),
        Some(9)
    );
    assert_eq!(
        reports::percentile(&(1..=11).collect::<Vec<_>>(), 90),
        Some(10)
    );
}
