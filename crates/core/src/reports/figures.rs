//! The conversation-flow part of a report (opened, busiest hours, response
//! times, missed windows, agents) read from the figures the store keeps as
//! messages arrive ([`crate::store::report_figures`], migration 0021): a
//! few rows per day of the range instead of every message in it.
//!
//! The figures count per quarter hour of the UTC day, so this serves every
//! UTC offset that is a whole number of quarter hours (all time zones in
//! use); the report falls back to the pass over the messages otherwise.
//! They follow each conversation from its first message, where the pass
//! starts [`super::LOOKBACK`] before the range: a reply answering a message
//! older than that counts here, and not in the pass.

use std::collections::{BTreeMap, HashSet};

use rusqlite::{Connection, params};

use super::{
    BusiestHours, DayVolume, FlowReport, LOOKBACK, MISSED_LISTED, MissedCounts, Period,
    ResponseTimes, Scope, missed_windows, status, times,
};
use crate::error::Result;
use crate::inbox::ConversationId;
use crate::store::Store;
use crate::store::report_figures::{self, DAY, QUARTERS};
use std::iter::zip;

pub(super) use crate::store::report_figures::QUARTER;

/// Brings the figures up to date: works out again every conversation a
/// write marked since the last report (writes only mark them), all of them
/// the first time after migration 0021.
pub(super) fn catch_up(conn: &Connection) -> Result<()> {
    if report_figures::pending(conn)? {
        let tx = conn.unchecked_transaction()?;
        report_figures::refresh(&tx)?;
        tx.commit()?;
    }
    Ok(())
}

/// The UTC days whose rows cover `[from, to)`.
fn days(from: i64, to: i64) -> (i64, i64) {
    (from.div_euclid(DAY), (to - 1).div_euclid(DAY))
}

/// Where a quarter hour falls for the report: its day in the range (if in
/// it), weekday (Monday 0) and local hour.
struct Place {
    day: Option<usize>,
    weekday: usize,
    hour: usize,
}

fn place(period: &Period, start: i64) -> Place {
    let day = usize::try_from(period.day_index(start))
        .ok()
        .filter(|d| *d < period.days && period.contains(start));
    let local = start + period.offset;
    // 1970-01-01 was a Thursday: weekday 3 counting from Monday.
    Place {
        day,
        weekday: (local.div_euclid(DAY) + 3).rem_euclid(7) as usize,
        hour: (local.rem_euclid(DAY) / 3600) as usize,
    }
}

fn owned(scope: &Scope, owner: &str) -> bool {
    match &scope.agent {
        None => true,
        Some(a) => a == owner,
    }
}

/// Customer messages per local weekday and hour.
pub(super) fn busiest_hours_of(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
) -> Result<BusiestHours> {
    catch_up(conn)?;
    let mut counts = vec![vec![0u32; 24]; 7];
    let (first, last) = days(period.start, period.end);
    let mut stmt = conn.prepare_cached(
        "SELECT day, owner, inbound FROM report_days WHERE day >= ?1 AND day <= ?2",
    )?;
    let mut rows = stmt.query(params![first, last])?;
    while let Some(r) = rows.next()? {
        let (day, owner): (i64, String) = (r.get(0)?, r.get(1)?);
        if !owned(scope, &owner) {
            continue;
        }
        let inbound = report_figures::counts(report_figures::blob(r, 2)?);
        for (q, n) in inbound.iter().enumerate() {
            let at = day * DAY + q as i64 * QUARTER;
            if *n > 0 && period.contains(at) {
                let p = place(period, at);
                counts[p.weekday][p.hour] += n;
            }
        }
    }
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    Ok(BusiestHours { counts, max })
}

/// Conversations resolved and reopened per day of the range.
pub(super) fn status_of(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
) -> Result<status::PerDay> {
    catch_up(conn)?;
    let mut out = status::PerDay {
        resolved: vec![0; period.days],
        reopened: vec![0; period.days],
    };
    let (first, last) = days(period.start, period.end);
    let mut stmt = conn.prepare_cached(
        "SELECT day, owner, resolved, reopened FROM report_days WHERE day >= ?1 AND day <= ?2",
    )?;
    let mut rows = stmt.query(params![first, last])?;
    while let Some(r) = rows.next()? {
        let (day, owner): (i64, String) = (r.get(0)?, r.get(1)?);
        if !owned(scope, &owner) {
            continue;
        }
        let resolves = report_figures::counts(report_figures::blob(r, 2)?);
        let reopens = report_figures::counts(report_figures::blob(r, 3)?);
        for (q, (res, reo)) in zip(resolves, reopens).enumerate() {
            if res + reo == 0 {
                continue;
            }
            if let Some(d) = place(period, day * DAY + q as i64 * QUARTER).day {
                out.resolved[d] += res;
                out.reopened[d] += reo;
            }
        }
    }
    Ok(out)
}

pub(super) fn flow_of(
    conn: &Connection,
    store: &Store,
    period: &Period,
    scope: &Scope,
    now: i64,
) -> Result<FlowReport> {
    catch_up(conn)?;
    // A window is missed once closed before the range's end and `now`.
    let horizon = period.end.min(now + 1);
    let mut opened = vec![0u32; period.days];
    let mut hours = vec![vec![0u32; 24]; 7];
    let mut missed_per_day = vec![0u32; period.days];
    let mut missed_per_agent: BTreeMap<Option<String>, u32> = BTreeMap::new();
    let mut missed_total = 0u32;
    let mut resolved = vec![0u32; period.days];
    let mut reopened = vec![0u32; period.days];
    let (first, last) = days(period.start, period.end);
    {
        let mut stmt = conn.prepare_cached(
            "SELECT day, owner, inbound, opened, missed, resolved, reopened FROM report_days
             WHERE day >= ?1 AND day <= ?2",
        )?;
        let mut rows = stmt.query(params![first, last])?;
        while let Some(r) = rows.next()? {
            let (day, owner): (i64, String) = (r.get(0)?, r.get(1)?);
            if !owned(scope, &owner) {
                continue;
            }
            let inbound = report_figures::counts(report_figures::blob(r, 2)?);
            let opens = report_figures::counts(report_figures::blob(r, 3)?);
            let missed = report_figures::counts(report_figures::blob(r, 4)?);
            let resolves = report_figures::counts(report_figures::blob(r, 5)?);
            let reopens = report_figures::counts(report_figures::blob(r, 6)?);
            let mut missed_here = 0;
            for q in 0..QUARTERS {
                if inbound[q] == 0
                    && opens[q] == 0
                    && missed[q] == 0
                    && resolves[q] == 0
                    && reopens[q] == 0
                {
                    continue;
                }
                let at = day * DAY + q as i64 * QUARTER;
                let p = place(period, at);
                let Some(d) = p.day else { continue };
                opened[d] += opens[q];
                resolved[d] += resolves[q];
                reopened[d] += reopens[q];
                hours[p.weekday][p.hour] += inbound[q];
                // The quarter hour `now` falls in is counted message by
                // message below.
                if at + QUARTER <= horizon {
                    missed_per_day[d] += missed[q];
                    missed_here += missed[q];
                }
            }
            if missed_here > 0 {
                missed_total += missed_here;
                *missed_per_agent
                    .entry((!owner.is_empty()).then_some(owner))
                    .or_default() += missed_here;
            }
        }
    }
    // The missed windows to list, most recent first, and those closed in
    // the quarter hour of the horizon.
    let horizon_quarter = horizon - horizon.rem_euclid(QUARTER);
    let mut listed = Vec::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT conversation_id, message_id, last_message_at, closed_at FROM report_missed
             WHERE closed_at >= ?1 AND closed_at < ?2
             ORDER BY closed_at DESC, conversation_id",
        )?;
        let mut rows = stmt.query(params![period.start, horizon])?;
        while let Some(r) = rows.next()? {
            let c = ConversationId(r.get(0)?);
            let closed_at: i64 = r.get(3)?;
            if listed.len() >= MISSED_LISTED && closed_at < horizon_quarter {
                break;
            }
            if !scope.owns(c) {
                continue;
            }
            if closed_at >= horizon_quarter {
                // Not in the counts above.
                if let Some(d) = place(period, closed_at).day {
                    missed_per_day[d] += 1;
                }
                missed_total += 1;
                *missed_per_agent
                    .entry(scope.assignees.get(&c).cloned())
                    .or_default() += 1;
            }
            if listed.len() < MISSED_LISTED {
                listed.push((c, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, closed_at));
            }
        }
    }
    let counts = MissedCounts {
        total: missed_total,
        per_day: missed_per_day,
        per_agent: missed_per_agent,
    };
    let missed = missed_windows(conn, store, period, &scope.assignees, listed, counts)?;

    // Replies, first replies and who sent anything.
    let mut senders: HashSet<String> = HashSet::new();
    let mut by_agent: BTreeMap<String, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
    let read_from = period.start - LOOKBACK;
    let (first, last) = days(read_from, period.end);
    {
        let mut stmt = conn.prepare_cached(
            "SELECT day, agent, sent, replies, first_replies FROM report_agent_days
             WHERE day >= ?1 AND day <= ?2",
        )?;
        let mut rows = stmt.query(params![first, last])?;
        while let Some(r) = rows.next()? {
            let (day, agent): (i64, String) = (r.get(0)?, r.get(1)?);
            if !agent.is_empty() && !senders.contains(&agent) {
                let sent = report_figures::counts(report_figures::blob(r, 2)?);
                let in_read = sent.iter().enumerate().any(|(q, n)| {
                    let at = day * DAY + q as i64 * QUARTER;
                    *n > 0 && at >= read_from && at < period.end
                });
                if in_read {
                    senders.insert(agent.clone());
                }
            }
            let who = if agent.is_empty() { &scope.me } else { &agent };
            if !scope.sent((!agent.is_empty()).then_some(agent.as_str())) {
                continue;
            }
            let in_range = |q: usize| period.contains(day * DAY + q as i64 * QUARTER);
            let all: Vec<i64> = report_figures::replies(report_figures::blob(r, 3)?)
                .filter(|(_, q)| in_range(*q))
                .map(|(s, _)| i64::from(s))
                .collect();
            let firsts: Vec<i64> = report_figures::replies(report_figures::blob(r, 4)?)
                .filter(|(_, q)| in_range(*q))
                .map(|(s, _)| i64::from(s))
                .collect();
            if all.is_empty() && firsts.is_empty() {
                continue;
            }
            let entry = by_agent.entry(who.clone()).or_default();
            entry.0.extend(firsts);
            entry.1.extend(all);
        }
    }
    let team_first: Vec<i64> = by_agent
        .values()
        .flat_map(|v| v.0.iter().copied())
        .collect();
    let team_all: Vec<i64> = by_agent
        .values()
        .flat_map(|v| v.1.iter().copied())
        .collect();
    let response_times = ResponseTimes {
        team: times("", team_first, team_all),
        agents: by_agent
            .into_iter()
            .map(|(a, (first, all))| times(&a, first, all))
            .collect(),
    };

    let max = hours.iter().flatten().copied().max().unwrap_or(0);
    let mut names: HashSet<&str> = scope.assignees.values().map(String::as_str).collect();
    names.extend(senders.iter().map(String::as_str));
    if !scope.me.is_empty() {
        names.insert(&scope.me);
    }
    let mut agents: Vec<String> = names.into_iter().map(str::to_owned).collect();
    agents.sort();
    Ok(FlowReport {
        volume: opened
            .iter()
            .enumerate()
            .map(|(i, &opened)| DayVolume {
                day: period.day_name(i),
                opened,
                resolved: resolved[i],
                reopened: reopened[i],
            })
            .collect(),
        busiest_hours: BusiestHours { counts: hours, max },
        response_times,
        missed,
        agents,
    })
}
