//! Reports benchmark: each query of the Reports screen (`reports::flow`,
//! `busiest_hours`, `leads`, `spend`, and the whole `reports::report` the
//! `get_report` command runs) over a real SQLite file holding 10,000
//! conversations and 1,000,000 messages spread over a year.
//!
//! The seed goes through the core API the sync uses (`insert_synced`,
//! `record_status`, `record_lead`, `record_agent_event` and
//! `apply_team_event`): customers write
//! in bursts, five agents answer most of them after 30 s to 30 min, some
//! bursts are left unanswered (missed windows), 2 % of the business's
//! messages are templates priced by Meta, every conversation starts with a
//! lead (ad, partner code or organic) and four in five are assigned. Each
//! query runs `--rounds` times on a warm cache after one unmeasured run,
//! for the last 30 days, the last 90, the whole year, and the last 30 days
//! of one agent.
//!
//! ```sh
//! cargo run --release -p hourglass-core --example reports-bench
//! # options: --messages 1000000 --conversations 10000 --rounds 20 --keep DIR
//! ```

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use hourglass_core::inbox::{ContactId, ConversationId, Direction, Wamid};
use hourglass_core::lead::{LeadSource, ReferralSourceType};
use hourglass_core::reports::{self, ReportFilter};
use hourglass_core::store::{MessageExtras, NewContact, NewMessage, StatusRecord, Store};
use hourglass_protocol::team::{AgentEvent, ConversationStatus};

const NUMBER: &str = "106540352242922";
const BATCH: usize = 20_000;
const AGENTS: [&str; 5] = ["ana", "ben", "carmen", "dmitri", "eve"];
const YEAR: i64 = 365 * 86_400;
const START: i64 = 1_767_225_600; // 2026-01-01 00:00 UTC

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One planned message.
struct Planned {
    conversation: usize,
    inbound: bool,
    at: i64,
    agent: usize,
    template: bool,
    /// The last reply of an answered burst: the agent resolves the
    /// conversation a minute later (the customer's next message reopens it).
    resolves: bool,
}

/// Customers write in bursts; an agent answers most of them.
fn plan(messages: usize, conversations: usize, rng: &mut XorShift) -> Vec<Planned> {
    let mut out = Vec::with_capacity(messages);
    let step = YEAR / messages as i64;
    while out.len() < messages {
        // Bursts start evenly over the year and overlap, as chats do.
        let mut t = START + out.len() as i64 * step;
        let c = rng.below(conversations as u64) as usize;
        let agent = c % AGENTS.len();
        let burst = 2 + rng.below(10) as usize;
        let answered = rng.below(10) < 8;
        for k in 0..burst {
            // Customer messages, each answered in turn when the burst is.
            let inbound = k % 2 == 0 || !answered;
            let last_reply = answered && !inbound && k + 2 >= burst;
            let gap = if inbound {
                1 + rng.below(120)
            } else {
                30 + rng.below(1_800)
            };
            t += gap as i64;
            out.push(Planned {
                conversation: c,
                inbound,
                at: t,
                agent,
                template: !inbound && rng.below(50) == 0,
                resolves: last_reply,
            });
            if out.len() == messages {
                break;
            }
        }
    }
    out.sort_by_key(|p| p.at);
    out
}

fn main() {
    let messages = arg("--messages", 1_000_000) as usize;
    let conversations = arg("--conversations", 10_000) as usize;
    let rounds = arg("--rounds", 20) as usize;
    let args: Vec<String> = std::env::args().collect();
    let kept = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = kept.unwrap_or_else(|| temp.path().to_owned());
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open_in_dir(&dir).unwrap();

    let seeding = Instant::now();
    let prefixes = ["+3461", "+5255", "+1650", "+4477", "+7916"];
    let convs: Vec<(ContactId, ConversationId, String)> = store
        .write(|w| {
            (0..conversations)
                .map(|i| {
                    let phone = format!("{}{i:07}", prefixes[i % prefixes.len()]);
                    let c = w.upsert_contact(&NewContact {
                        phone: Some(phone.clone()),
                        user_id: None,
                        name: Some(format!("Customer {i}")),
                        username: None,
                    })?;
                    Ok((c, w.conversation_for(c, NUMBER)?, phone))
                })
                .collect()
        })
        .unwrap();
    store
        .write(|w| {
            for (i, (_, _, phone)) in convs.iter().enumerate() {
                if i % 5 == 4 {
                    continue;
                }
                let event = AgentEvent::Assign {
                    customer: phone.clone(),
                    phone_number_id: NUMBER.to_owned(),
                    assignee: Some(AGENTS[i % AGENTS.len()].to_owned()),
                };
                let seq = i as u64 + 1;
                w.record_agent_event(
                    seq,
                    Some("lead"),
                    &format!("assign-{i}"),
                    &event.to_payload().to_string(),
                    0,
                )?;
                w.apply_team_event(seq, Some("lead"), 0, &event)?;
            }
            Ok(())
        })
        .unwrap();
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let planned = plan(messages, conversations, &mut rng);
    let mut led = vec![false; conversations];
    let mut seq = conversations as u64 + 1;
    for chunk in planned.chunks(BATCH) {
        store
            .write(|w| {
                for p in chunk {
                    seq += 1;
                    let (contact, conversation, _) = &convs[p.conversation];
                    let wamid = format!("wamid.reports.{seq}");
                    w.insert_synced(
                        &NewMessage {
                            wamid: wamid.clone().into(),
                            conversation_id: *conversation,
                            direction: if p.inbound {
                                Direction::Inbound
                            } else {
                                Direction::Outbound
                            },
                            kind: if p.template { "template" } else { "text" }.into(),
                            body: if p.inbound {
                                "Hello, is my order on its way?".into()
                            } else {
                                "It left the warehouse this morning.".into()
                            },
                            payload: None,
                            sent_at: p.at,
                            status: (!p.inbound).then(|| "sent".to_owned()),
                            reply_to_wamid: None,
                        },
                        &MessageExtras {
                            sent_by: (!p.inbound).then(|| AGENTS[p.agent].to_owned()),
                            seq,
                            ..MessageExtras::default()
                        },
                        *contact,
                        true,
                    )?;
                    if p.inbound && !led[p.conversation] {
                        led[p.conversation] = true;
                        let source = match p.conversation % 3 {
                            0 => Some(LeadSource::PartnerCode {
                                code: format!("P{}", p.conversation % 40),
                            }),
                            1 => Some(LeadSource::Ad {
                                source_type: ReferralSourceType::Ad,
                                headline: Some("Spring sale".into()),
                                body: None,
                                source_url: None,
                                source_id: None,
                                ctwa_clid: None,
                                media_url: None,
                            }),
                            _ => None,
                        };
                        w.record_lead(*conversation, source.as_ref(), p.at)?;
                    }
                    if p.resolves {
                        seq += 1;
                        let event = AgentEvent::Status {
                            customer: convs[p.conversation].2.clone(),
                            phone_number_id: NUMBER.to_owned(),
                            status: ConversationStatus::Resolved,
                            snooze_until: None,
                        };
                        let at_ms = (p.at + 60) * 1_000;
                        w.record_agent_event(
                            seq,
                            Some(AGENTS[p.agent]),
                            &format!("status-{seq}"),
                            &event.to_payload().to_string(),
                            at_ms,
                        )?;
                        w.apply_team_event(seq, Some(AGENTS[p.agent]), at_ms, &event)?;
                    }
                    if p.template && !seq.is_multiple_of(10) {
                        let category =
                            ["marketing", "utility", "authentication"][(seq % 3) as usize];
                        w.record_status(&StatusRecord {
                            wamid: Wamid(wamid),
                            status: "delivered".into(),
                            at: p.at + 3,
                            pricing_category: Some(category.into()),
                            pricing_model: Some("PMP".into()),
                            billable: Some(category != "utility" || seq.is_multiple_of(2)),
                            seq,
                            ..StatusRecord::default()
                        })?;
                    }
                }
                Ok(())
            })
            .unwrap();
    }
    let seed_s = seeding.elapsed().as_secs_f64();
    let db_mib = std::fs::metadata(store.path()).unwrap().len() as f64 / 1_048_576.0;
    let path = store.path().to_owned();
    drop(store);
    let store = Store::open(&path).unwrap();
    let last = planned.last().map_or(START, |p| p.at);
    let now = last + 3_600;
    let templates = planned.iter().filter(|p| p.template).count();
    let outbound = planned.iter().filter(|p| !p.inbound).count();
    println!(
        "reports-bench: {messages} messages ({outbound} from agents, {templates} templates) in {conversations} conversations over {} days, seeded in {seed_s:.1} s; database {db_mib:.0} MiB; {} cores, load {}",
        (last - START) / 86_400 + 1,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );

    let day = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .format("%Y-%m-%d")
            .to_string()
    };
    let filter = |days: i64, agent: Option<&str>| ReportFilter {
        from: day(now - (days - 1) * 86_400),
        to: day(now),
        utc_offset_minutes: 0,
        agent: agent.map(str::to_owned),
        me: Some("ana".into()),
    };
    // Writes only mark the conversations they touch; the first report
    // works out the figures of every conversation the seed wrote.
    let first = Instant::now();
    reports::report(&store, &filter(30, None), now).unwrap();
    let first_report_s = first.elapsed().as_secs_f64();
    println!(
        "first report after seeding (works out every conversation's figures): {first_report_s:.1} s"
    );
    let ranges = [
        ("last 30 days", filter(30, None)),
        ("last 90 days", filter(90, None)),
        ("whole year (365 days)", filter(365, None)),
        ("last 30 days, one agent", filter(30, Some("ben"))),
    ];
    type Query<'a> = Box<dyn Fn(&ReportFilter) -> usize + 'a>;
    let queries: Vec<(&str, Query)> = vec![
        (
            "opened, resolved/reopened, response times, missed windows, busiest hours (flow)",
            Box::new(|f| {
                let r = reports::flow(&store, f, now).unwrap();
                r.missed.total as usize
            }),
        ),
        (
            "busiest hours",
            Box::new(|f| reports::busiest_hours(&store, f).unwrap().max as usize),
        ),
        (
            "resolved and reopened per day alone",
            Box::new(|f| {
                reports::status_changes(&store, f)
                    .unwrap()
                    .iter()
                    .map(|d| (d.resolved + d.reopened) as usize)
                    .sum()
            }),
        ),
        (
            "leads by source",
            Box::new(|f| reports::leads(&store, f).unwrap().total as usize),
        ),
        (
            "template sends and spend",
            Box::new(|f| reports::spend(&store, f).unwrap().total.sends as usize),
        ),
        (
            "the whole report (get_report)",
            Box::new(|f| reports::report(&store, f, now).unwrap().agents.len()),
        ),
    ];
    println!();
    println!("| range | query | p50 ms | max ms | result |");
    println!("|---|---|---|---|---|");
    let mut worst: f64 = 0.0;
    let mut whole = Vec::new();
    for (range, f) in &ranges {
        for (name, q) in &queries {
            q(f); // warm
            let mut times = Vec::with_capacity(rounds);
            let mut result = 0;
            for _ in 0..rounds {
                let t = Instant::now();
                result = q(f);
                times.push(t.elapsed().as_secs_f64() * 1_000.0);
            }
            times.sort_by(f64::total_cmp);
            let max = times[times.len() - 1];
            worst = worst.max(max);
            if name.starts_with("the whole") {
                whole.push((*range, percentile(&times, 0.5), max));
            }
            println!(
                "| {range} | {name} | {:.1} | {:.1} | {result} |",
                percentile(&times, 0.5),
                max
            );
        }
    }
    let r30 = reports::report(&store, &ranges[0].1, now).unwrap();
    println!();
    println!(
        "last 30 days: {} conversations opened, {} resolved, {} reopened, {} replies (team median {} s, p90 {} s), {} missed windows, {} leads, {} template sends",
        r30.volume.iter().map(|d| d.opened).sum::<u32>(),
        r30.volume.iter().map(|d| d.resolved).sum::<u32>(),
        r30.volume.iter().map(|d| d.reopened).sum::<u32>(),
        r30.response_times.team.responses,
        r30.response_times.team.median_s.unwrap_or(0),
        r30.response_times.team.p90_s.unwrap_or(0),
        r30.missed.total,
        r30.leads.total,
        r30.spend.total.sends,
    );
    println!();
    let key = |r: &str| match r {
        "last 30 days" => "report30",
        "last 90 days" => "report90",
        "whole year (365 days)" => "report365",
        _ => "report30_agent",
    };
    let mut line = format!("reports-bench result: messages={messages} rounds={rounds}");
    for (range, p50, max) in &whole {
        line.push_str(&format!(
            " {}_p50_ms={p50:.1} {}_max_ms={max:.1}",
            key(range),
            key(range)
        ));
    }
    line.push_str(&format!(
        " worst_query_ms={worst:.1} seed_s={seed_s:.1} first_report_s={first_report_s:.1} db_mib={db_mib:.0}"
    ));
    println!("{line}");
}
