//! Reports for the team lead, computed from the local store (every desktop
//! holds the team's whole history): conversations opened per day, response
//! times, the busiest hours, missed windows, leads by source and template
//! spend.
//!
//! Decisions taken here:
//! - **Days and hours are the team lead's local ones**: the filter carries
//!   the UTC offset of the window's clock, and every timestamp (Meta's, Unix
//!   seconds) is shifted by it before it is cut into days, weekdays and
//!   hours. One offset covers the whole range, so a range across a daylight
//!   saving change is off by an hour on one side of it.
//! - **A conversation is opened** when a customer writes and their previous
//!   message in that chat is more than 24 hours old (or there is none): a new
//!   customer-service window, Meta's own unit of a conversation.
//! - **Resolved and reopened** come from the conversation status changes
//!   ([`crate::status`]), on the day the relay took them: a resolution is a
//!   change to resolved from anything else; a reopening is a change to
//!   open from resolved or snoozed, by an agent or by the customer's new
//!   message (on that message's day).
//! - **Response time** of a reply: from the first customer message it
//!   answers (the first one after the business's previous message) to the
//!   reply. **First response time**: from the message that opened the
//!   conversation to the first reply after it. Both are counted on the day
//!   of the reply and belong to whoever sent it (`sent_by`; a message this
//!   desktop sent before its own event came back has none, and is this
//!   agent's, [`ReportFilter::me`]). A reply WhatsApp failed is no reply.
//!   Each conversation is followed from its first message, so a reply on
//!   the range's first day to an older message counts. Median and p90 are
//!   nearest-rank.
//! - **Figures kept as messages arrive**: the store works out each
//!   conversation's figures whenever a write changes them and keeps them
//!   per UTC day and quarter hour ([`crate::store`], migration 0021), so a
//!   report reads a few rows per day, whatever the number of messages.
//!   A UTC offset that is not a whole number of quarter hours (no time zone
//!   in use) is served by one pass over the range's messages instead, which
//!   rebuilds each conversation from [`LOOKBACK`] before the range.
//! - **A missed window**: the 24 h window closed (no new customer message
//!   within 24 hours) while the customer's last message had no answer.
//!   Counted on the day it closed, only once it has closed (`now`).
//! - **Whose conversation** (opened, resolved, reopened, missed, leads,
//!   busiest hours under an agent filter): its assignee now. The store keeps the assignment in
//!   force, not its history. Response times and template sends filter by
//!   who sent the message.
//! - **Leads** by source: a click-to-WhatsApp ad or post, a partner code, or
//!   organic (neither); "replied within 5 minutes" is the business's first
//!   reply at most 300 s after the lead's first message.
//! - **Spend** is what Meta reported: a template's `billable` flag and
//!   pricing category from its status webhooks, priced with the rate table
//!   (Meta's webhooks carry no amounts). It is set against the estimate the
//!   template picker shows ([`cost::estimate`]): the catalogue's category
//!   and whether the window was open when it was sent. Sends Meta has not
//!   priced yet are counted apart, never guessed.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::inbox::ConversationId;
use crate::invalid::Invalid;
use crate::store::Store;

mod figures;
pub mod keeper;
mod spend;
mod status;

/// How far before the range the conversation-flow pass starts reading, so
/// the first day's replies find the messages they answer.
pub const LOOKBACK: i64 = 7 * DAY;
/// The longest range a report covers.
pub const MAX_DAYS: i64 = 400;
/// At most this many missed windows are listed (all are counted).
pub const MISSED_LISTED: usize = 500;
/// A lead replied to within this many seconds was answered fast.
pub const FAST_REPLY: i64 = 5 * 60;

const DAY: i64 = 86_400;
const WINDOW: i64 = DAY;

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFilter {
    /// The first day, `YYYY-MM-DD`, in the team lead's time zone.
    pub from: String,
    /// The last day, included.
    pub to: String,
    /// Local time minus UTC, in minutes (+180 in Moscow, -300 in New York
    /// in winter).
    pub utc_offset_minutes: i32,
    /// Only this agent's replies, sends and conversations.
    pub agent: Option<String>,
    /// This desktop's agent, whose own recent sends may not name a sender.
    pub me: Option<String>,
}

/// The whole Reports screen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Report {
    pub from: String,
    pub to: String,
    /// Conversations opened, resolved and reopened per day, every day of
    /// the range.
    pub volume: Vec<DayVolume>,
    pub response_times: ResponseTimes,
    pub busiest_hours: BusiestHours,
    pub missed: MissedWindows,
    pub leads: Leads,
    pub spend: Spend,
    /// Everyone with a reply, a send or a conversation in the store, for
    /// the agent filter.
    pub agents: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DayVolume {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub opened: u32,
    pub resolved: u32,
    pub reopened: u32,
}

/// Response times, in seconds, per agent and for the team.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ResponseTimes {
    pub team: AgentTimes,
    /// By agent name.
    pub agents: Vec<AgentTimes>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AgentTimes {
    /// Empty for the team row.
    pub agent: String,
    pub first_responses: u32,
    #[ts(type = "number | null")]
    pub first_median_s: Option<i64>,
    #[ts(type = "number | null")]
    pub first_p90_s: Option<i64>,
    pub responses: u32,
    #[ts(type = "number | null")]
    pub median_s: Option<i64>,
    #[ts(type = "number | null")]
    pub p90_s: Option<i64>,
}

/// Customer messages per weekday and hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BusiestHours {
    /// `counts[weekday][hour]`, Monday first, local hours 0–23.
    pub counts: Vec<Vec<u32>>,
    pub max: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MissedWindows {
    pub total: u32,
    pub per_day: Vec<DayCount>,
    /// By assignee; `None` for unassigned conversations.
    pub per_agent: Vec<AgentCount>,
    /// The most recent first, at most [`MISSED_LISTED`].
    pub conversations: Vec<MissedConversation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DayCount {
    pub day: String,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AgentCount {
    pub agent: Option<String>,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct MissedConversation {
    pub conversation_id: ConversationId,
    pub customer: String,
    pub assignee: Option<String>,
    /// The unanswered customer message: when (Unix seconds) and its text.
    #[ts(type = "number")]
    pub last_message_at: i64,
    pub last_message: String,
    #[ts(type = "number")]
    pub closed_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LeadChannel {
    /// A click-to-WhatsApp ad or post.
    Ad,
    PartnerCode,
    /// Neither: the customer found the number on their own.
    Organic,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Leads {
    pub total: u32,
    /// Ad, partner code, organic, each listed even at zero.
    pub by_source: Vec<LeadCount>,
    /// By code, most leads first.
    pub partner_codes: Vec<PartnerCodeLeads>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LeadCount {
    pub source: LeadChannel,
    pub leads: u32,
    pub replied_within_5_min: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PartnerCodeLeads {
    pub code: String,
    pub leads: u32,
    pub replied_within_5_min: u32,
    /// `replied_within_5_min / leads`, 0 to 1.
    pub share_within_5_min: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Spend {
    /// The rate table's currency.
    pub currency: String,
    /// By category, then country.
    pub rows: Vec<SpendRow>,
    pub total: SpendRow,
}

/// Template sends of one pricing category to one country.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SpendRow {
    /// Meta's pricing category (`marketing`, `utility`, `authentication`,
    /// `service`, …) when it reported one, else the template's own. Empty
    /// in the total.
    pub category: String,
    /// The country calling code (`34`), empty when unknown or in the total.
    pub country: String,
    pub sends: u32,
    /// Sends Meta marked billable.
    pub billable: u32,
    /// Sends Meta has not reported a price for yet.
    pub awaiting_pricing: u32,
    /// The billable sends at the rate table's prices.
    pub spend: f64,
    /// Sends the app's estimate expected to be charged.
    pub estimated_billable: u32,
    /// What the app estimated before sending.
    pub estimate: f64,
}

/// The period of a filter in Unix seconds, `[start, end)`, and its days.
#[derive(Debug, Clone)]
struct Period {
    start: i64,
    end: i64,
    offset: i64,
    first_day: i64,
    days: usize,
}

impl Period {
    fn of(filter: &ReportFilter) -> Result<Period> {
        let day = |s: &str, what: fn(String) -> Invalid| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Error::ReportRange {
                reason: what(s.trim().to_owned()),
            })
        };
        let from = day(&filter.from, |value| Invalid::FirstDayNotADate { value })?;
        let to = day(&filter.to, |value| Invalid::LastDayNotADate { value })?;
        if to < from {
            return Err(Error::ReportRange {
                reason: Invalid::LastBeforeFirst {
                    first: from.to_string(),
                    last: to.to_string(),
                },
            });
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_DAYS {
            return Err(Error::ReportRange {
                reason: Invalid::TooManyDays {
                    days,
                    max: MAX_DAYS,
                },
            });
        }
        if !(-14 * 60..=14 * 60).contains(&filter.utc_offset_minutes) {
            return Err(Error::ReportRange {
                reason: Invalid::NotATimeZone {
                    minutes: filter.utc_offset_minutes,
                },
            });
        }
        let offset = i64::from(filter.utc_offset_minutes) * 60;
        let first_day = i64::from(from.num_days_from_ce() - EPOCH_DAYS_FROM_CE);
        Ok(Period {
            start: first_day * DAY - offset,
            end: (first_day + days) * DAY - offset,
            offset,
            first_day,
            days: days as usize,
        })
    }

    /// The index of the local day of `t` in the range (may be out of it).
    fn day_index(&self, t: i64) -> i64 {
        (t + self.offset).div_euclid(DAY) - self.first_day
    }

    fn contains(&self, t: i64) -> bool {
        (self.start..self.end).contains(&t)
    }

    fn day_name(&self, index: usize) -> String {
        day_name(self.first_day + index as i64)
    }
}

/// Days from 0001-01-01 to 1970-01-01 (chrono's `num_days_from_ce` counts
/// 0001-01-01 as day 1).
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

fn day_name(days_since_epoch: i64) -> String {
    NaiveDate::from_num_days_from_ce_opt(
        i32::try_from(days_since_epoch).unwrap_or(0) + EPOCH_DAYS_FROM_CE,
    )
    .map(|d| d.format("%Y-%m-%d").to_string())
    .unwrap_or_default()
}

/// The whole report for `filter`, as of `now` (Unix seconds).
pub fn report(store: &Store, filter: &ReportFilter, now: i64) -> Result<Report> {
    let period = Period::of(filter)?;
    let rates = store.rate_table()?;
    store.with_connection(|conn| {
        let scope = Scope::load(conn, filter)?;
        let flow = flow_of(conn, store, &period, &scope, now)?;
        Ok(Report {
            from: filter.from.clone(),
            to: filter.to.clone(),
            volume: flow.volume,
            response_times: flow.response_times,
            busiest_hours: flow.busiest_hours,
            missed: flow.missed,
            leads: leads_of(conn, &period, &scope)?,
            spend: spend::of(conn, &period, &scope, &rates)?,
            agents: flow.agents,
        })
    })
}

/// What one pass over the range's messages yields.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowReport {
    pub volume: Vec<DayVolume>,
    pub busiest_hours: BusiestHours,
    pub response_times: ResponseTimes,
    pub missed: MissedWindows,
    pub agents: Vec<String>,
}

/// Conversations opened, response times, missed windows and the busiest
/// hours: one pass over the range's messages (part of [`report`], on its
/// own for measuring).
pub fn flow(store: &Store, filter: &ReportFilter, now: i64) -> Result<FlowReport> {
    let period = Period::of(filter)?;
    store.with_connection(|conn| {
        let scope = Scope::load(conn, filter)?;
        flow_of(conn, store, &period, &scope, now)
    })
}

/// The busiest hours alone: from the kept figures, or counted by SQLite
/// over the range's messages for a UTC offset that is not a whole number
/// of quarter hours (the report takes them from [`flow`]).
pub fn busiest_hours(store: &Store, filter: &ReportFilter) -> Result<BusiestHours> {
    let period = Period::of(filter)?;
    store.with_connection(|conn| {
        let scope = Scope::load(conn, filter)?;
        if period.offset % figures::QUARTER == 0 {
            return figures::busiest_hours_of(conn, &period, &scope);
        }
        busiest_hours_of(conn, &period, &scope)
    })
}

/// Conversations resolved and reopened per day alone (part of [`flow`]);
/// `opened` is left at 0.
pub fn status_changes(store: &Store, filter: &ReportFilter) -> Result<Vec<DayVolume>> {
    let period = Period::of(filter)?;
    store.with_connection(|conn| {
        let scope = Scope::load(conn, filter)?;
        let changes = if period.offset % figures::QUARTER == 0 {
            figures::status_of(conn, &period, &scope)?
        } else {
            status::per_day(conn, &period, &scope)?
        };
        Ok((0..period.days)
            .map(|i| DayVolume {
                day: period.day_name(i),
                opened: 0,
                resolved: changes.resolved[i],
                reopened: changes.reopened[i],
            })
            .collect())
    })
}

/// Leads by source (part of [`report`]).
pub fn leads(store: &Store, filter: &ReportFilter) -> Result<Leads> {
    let period = Period::of(filter)?;
    store.with_connection(|conn| leads_of(conn, &period, &Scope::load(conn, filter)?))
}

/// Template sends and spend (part of [`report`]), from the kept sends.
pub fn spend(store: &Store, filter: &ReportFilter) -> Result<Spend> {
    let period = Period::of(filter)?;
    let rates = store.rate_table()?;
    store.with_connection(|conn| spend::of(conn, &period, &Scope::load(conn, filter)?, &rates))
}

/// [`spend`] by one pass over the range's messages, as the report worked
/// before the sends were kept: the reference the kept sends are tested
/// against.
pub fn spend_by_pass(store: &Store, filter: &ReportFilter) -> Result<Spend> {
    let period = Period::of(filter)?;
    let rates = store.rate_table()?;
    store.with_connection(|conn| spend::by_pass(conn, &period, &Scope::load(conn, filter)?, &rates))
}

fn flow_of(
    conn: &Connection,
    store: &Store,
    period: &Period,
    scope: &Scope,
    now: i64,
) -> Result<FlowReport> {
    if period.offset % figures::QUARTER == 0 {
        return figures::flow_of(conn, store, period, scope, now);
    }
    pass_flow_of(conn, store, period, scope, now)
}

/// [`flow`] by one pass over the range's messages, as the report worked
/// before the figures were kept: what a UTC offset that is not a whole
/// number of quarter hours gets, and the reference the kept figures are
/// tested against.
pub fn flow_by_pass(store: &Store, filter: &ReportFilter, now: i64) -> Result<FlowReport> {
    let period = Period::of(filter)?;
    store.with_connection(|conn| {
        let scope = Scope::load(conn, filter)?;
        pass_flow_of(conn, store, &period, &scope, now)
    })
}

fn pass_flow_of(
    conn: &Connection,
    store: &Store,
    period: &Period,
    scope: &Scope,
    now: i64,
) -> Result<FlowReport> {
    let flow = conversation_flow(conn, period, scope, now)?;
    let changes = status::per_day(conn, period, scope)?;
    let max = flow.hours.iter().flatten().copied().max().unwrap_or(0);
    Ok(FlowReport {
        volume: flow.volume(period, &changes),
        busiest_hours: BusiestHours {
            counts: flow.hours.clone(),
            max,
        },
        response_times: flow.response_times(),
        missed: flow.missed(conn, store, period)?,
        agents: agents(&flow, scope),
    })
}

/// Who the filter is about: the agent, and the conversations assigned to
/// them now.
struct Scope {
    agent: Option<String>,
    me: String,
    /// Every assigned conversation and its assignee.
    assignees: HashMap<ConversationId, String>,
}

impl Scope {
    fn load(conn: &Connection, filter: &ReportFilter) -> Result<Scope> {
        let mut stmt = conn.prepare_cached(
            "SELECT cv.id, ta.assignee
             FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id
             JOIN team_assignments ta ON ta.customer = COALESCE(ct.phone_e164, ct.user_id)
                                     AND ta.phone_number_id = cv.phone_number_id
             WHERE ta.assignee IS NOT NULL",
        )?;
        let assignees = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Scope {
            agent: filter
                .agent
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned),
            me: filter.me.clone().unwrap_or_default(),
            assignees,
        })
    }

    /// Whether a conversation counts under the agent filter.
    fn owns(&self, conversation: ConversationId) -> bool {
        match &self.agent {
            None => true,
            Some(a) => self.assignees.get(&conversation) == Some(a),
        }
    }

    /// Whether a message sent by `sender` (`None`: this desktop) counts.
    fn sent(&self, sender: Option<&str>) -> bool {
        match &self.agent {
            None => true,
            Some(a) => sender.unwrap_or(&self.me) == a,
        }
    }

    /// The conversations the filter keeps, as a JSON list for `json_each`;
    /// `None` without an agent filter.
    fn owned_json(&self) -> Option<String> {
        let agent = self.agent.as_ref()?;
        let ids: Vec<i64> = self
            .assignees
            .iter()
            .filter(|(_, a)| *a == agent)
            .map(|(c, _)| c.0)
            .collect();
        Some(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned()))
    }
}

/// One conversation while the flow pass walks its messages.
#[derive(Default)]
struct ConversationState {
    last_inbound: Option<(i64, i64)>,
    /// The first customer message since the business last wrote.
    waiting_since: Option<i64>,
    /// The message that opened the conversation, until its first reply.
    opened_at: Option<i64>,
}

struct Missed {
    conversation: ConversationId,
    message_id: i64,
    last_message_at: i64,
    closed_at: i64,
}

/// What the pass over the range's messages found.
struct Flow {
    opened: Vec<u32>,
    /// (agent, seconds) per reply, and per first reply.
    responses: Vec<(String, i64)>,
    first_responses: Vec<(String, i64)>,
    missed: Vec<Missed>,
    assignees: HashMap<ConversationId, String>,
    /// Everyone who sent a message in the period read.
    senders: HashSet<String>,
    /// Customer messages per local weekday and hour ([`BusiestHours`]).
    hours: Vec<Vec<u32>>,
}

fn conversation_flow(conn: &Connection, period: &Period, scope: &Scope, now: i64) -> Result<Flow> {
    let mut flow = Flow {
        opened: vec![0; period.days],
        responses: Vec::new(),
        first_responses: Vec::new(),
        missed: Vec::new(),
        assignees: scope.assignees.clone(),
        senders: HashSet::new(),
        hours: vec![vec![0; 24]; 7],
    };
    // Ties in the same second: the customer's message first, so a reply
    // stamped the same second answers it (the index's own order).
    let mut stmt = conn.prepare_cached(
        "SELECT sent_at, direction, conversation_id, sent_by, status, id
         FROM messages INDEXED BY messages_by_time
         WHERE sent_at >= ?1 AND sent_at < ?2
         ORDER BY sent_at, direction",
    )?;
    let mut rows = stmt.query(params![period.start - LOOKBACK, period.end])?;
    let mut states: HashMap<ConversationId, ConversationState> = HashMap::new();
    // A window is missed once closed before the range's end and `now`.
    let horizon = period.end.min(now + 1);
    let note_missed = |flow: &mut Flow, c: ConversationId, s: &ConversationState| {
        if let (Some((at, id)), Some(_)) = (s.last_inbound, s.waiting_since) {
            let closed_at = at + WINDOW;
            if period.contains(closed_at) && closed_at < horizon && scope.owns(c) {
                flow.missed.push(Missed {
                    conversation: c,
                    message_id: id,
                    last_message_at: at,
                    closed_at,
                });
            }
        }
    };
    while let Some(r) = rows.next()? {
        let at: i64 = r.get(0)?;
        let inbound = matches!(r.get_ref(1)?, ValueRef::Text(b"inbound"));
        let c = ConversationId(r.get(2)?);
        let state = states.entry(c).or_default();
        let window_closed = state.last_inbound.is_none_or(|(li, _)| at - li >= WINDOW);
        if inbound {
            if period.contains(at) && scope.owns(c) {
                let local = at + period.offset;
                // 1970-01-01 was a Thursday: weekday 3 counting from Monday.
                let weekday = (local.div_euclid(DAY) + 3).rem_euclid(7) as usize;
                let hour = (local.rem_euclid(DAY) / 3600) as usize;
                flow.hours[weekday][hour] += 1;
            }
            if window_closed {
                // The previous window (if any) closed before this message.
                note_missed(&mut flow, c, state);
                state.waiting_since = None;
                state.opened_at = Some(at);
                if period.contains(at) && scope.owns(c) {
                    let d = period.day_index(at) as usize;
                    flow.opened[d] += 1;
                }
            }
            state.waiting_since.get_or_insert(at);
            state.last_inbound = Some((at, r.get(5)?));
            continue;
        }
        if matches!(r.get_ref(4)?, ValueRef::Text(b"failed")) {
            continue;
        }
        if window_closed {
            note_missed(&mut flow, c, state);
            // Reported once: what follows answers a closed window.
            state.last_inbound = None;
        }
        let sender = match r.get_ref(3)? {
            ValueRef::Text(t) => std::str::from_utf8(t).ok(),
            _ => None,
        };
        if let Some(s) = sender
            && !flow.senders.contains(s)
        {
            flow.senders.insert(s.to_owned());
        }
        let counted = period.contains(at) && scope.sent(sender);
        let agent = || sender.unwrap_or(&scope.me).to_owned();
        if let Some(since) = state.waiting_since.take()
            && counted
        {
            flow.responses.push((agent(), at - since));
        }
        if let Some(opened) = state.opened_at.take()
            && counted
        {
            flow.first_responses.push((agent(), at - opened));
        }
    }
    for (c, s) in &states {
        note_missed(&mut flow, *c, s);
    }
    Ok(flow)
}

impl Flow {
    fn volume(&self, period: &Period, changes: &status::PerDay) -> Vec<DayVolume> {
        self.opened
            .iter()
            .enumerate()
            .map(|(i, &opened)| DayVolume {
                day: period.day_name(i),
                opened,
                resolved: changes.resolved[i],
                reopened: changes.reopened[i],
            })
            .collect()
    }

    fn response_times(&self) -> ResponseTimes {
        let mut by_agent: BTreeMap<&str, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
        for (a, s) in &self.first_responses {
            by_agent.entry(a).or_default().0.push(*s);
        }
        for (a, s) in &self.responses {
            by_agent.entry(a).or_default().1.push(*s);
        }
        let team = times(
            "",
            self.first_responses.iter().map(|(_, s)| *s).collect(),
            self.responses.iter().map(|(_, s)| *s).collect(),
        );
        ResponseTimes {
            team,
            agents: by_agent
                .into_iter()
                .map(|(a, (first, all))| times(a, first, all))
                .collect(),
        }
    }

    fn missed(&self, conn: &Connection, store: &Store, period: &Period) -> Result<MissedWindows> {
        let mut per_day = vec![0u32; period.days];
        let mut per_agent: BTreeMap<Option<String>, u32> = BTreeMap::new();
        for m in &self.missed {
            per_day[period.day_index(m.closed_at) as usize] += 1;
            *per_agent
                .entry(self.assignees.get(&m.conversation).cloned())
                .or_default() += 1;
        }
        let mut listed: Vec<&Missed> = self.missed.iter().collect();
        listed.sort_by_key(|m| (std::cmp::Reverse(m.closed_at), m.conversation));
        listed.truncate(MISSED_LISTED);
        let listed = listed
            .into_iter()
            .map(|m| (m.conversation, m.message_id, m.last_message_at, m.closed_at))
            .collect();
        let counts = MissedCounts {
            total: self.missed.len() as u32,
            per_day,
            per_agent,
        };
        missed_windows(conn, store, period, &self.assignees, listed, counts)
    }
}

/// Missed windows counted, before they are named.
struct MissedCounts {
    total: u32,
    per_day: Vec<u32>,
    per_agent: BTreeMap<Option<String>, u32>,
}

/// The missed windows of a report: the counts, and the `listed` ones
/// (conversation, the unanswered message, when it was sent, when the
/// window closed) named with their customer, assignee and last message.
fn missed_windows(
    conn: &Connection,
    store: &Store,
    period: &Period,
    assignees: &HashMap<ConversationId, String>,
    listed: Vec<(ConversationId, i64, i64, i64)>,
    counts: MissedCounts,
) -> Result<MissedWindows> {
    let mut ids: Vec<ConversationId> = listed.iter().map(|m| m.0).collect();
    ids.sort();
    ids.dedup();
    let names: HashMap<ConversationId, String> = store
        .conversations_by_ids(&ids)?
        .into_iter()
        .map(|c| (c.id, c.display_name))
        .collect();
    let mut body = conn.prepare_cached("SELECT body FROM messages WHERE id = ?1")?;
    let mut conversations = Vec::with_capacity(listed.len());
    for (c, message_id, last_message_at, closed_at) in listed {
        conversations.push(MissedConversation {
            conversation_id: c,
            customer: names.get(&c).cloned().unwrap_or_default(),
            assignee: assignees.get(&c).cloned(),
            last_message_at,
            last_message: body.query_row([message_id], |r| r.get(0))?,
            closed_at,
        });
    }
    Ok(MissedWindows {
        total: counts.total,
        per_day: counts
            .per_day
            .into_iter()
            .enumerate()
            .map(|(i, count)| DayCount {
                day: period.day_name(i),
                count,
            })
            .collect(),
        per_agent: counts
            .per_agent
            .into_iter()
            .map(|(agent, count)| AgentCount { agent, count })
            .collect(),
        conversations,
    })
}

fn times(agent: &str, mut first: Vec<i64>, mut all: Vec<i64>) -> AgentTimes {
    first.sort_unstable();
    all.sort_unstable();
    AgentTimes {
        agent: agent.to_owned(),
        first_responses: first.len() as u32,
        first_median_s: percentile(&first, 50),
        first_p90_s: percentile(&first, 90),
        responses: all.len() as u32,
        median_s: percentile(&all, 50),
        p90_s: percentile(&all, 90),
    }
}

/// The nearest-rank percentile of sorted values: the smallest value with at
/// least `p` % of the values at or below it.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (sorted.len() * p as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn busiest_hours_of(conn: &Connection, period: &Period, scope: &Scope) -> Result<BusiestHours> {
    // 1970-01-01 was a Thursday: day 0 is weekday 3 counting from Monday.
    let mut stmt = conn.prepare_cached(
        "SELECT ((sent_at + ?3) / 86400 + 3) % 7, ((sent_at + ?3) % 86400) / 3600, COUNT(*)
         FROM messages INDEXED BY messages_by_time
         WHERE sent_at >= ?1 AND sent_at < ?2 AND direction = 'inbound'
           AND (?4 IS NULL OR conversation_id IN (SELECT value FROM json_each(?4)))
         GROUP BY 1, 2",
    )?;
    let mut counts = vec![vec![0u32; 24]; 7];
    let rows = stmt.query_map(
        params![period.start, period.end, period.offset, scope.owned_json()],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, u32>(2)?,
            ))
        },
    )?;
    for row in rows {
        let (wd, h, n) = row?;
        if let Some(cell) = counts
            .get_mut(wd.rem_euclid(7) as usize)
            .and_then(|d| d.get_mut(h.rem_euclid(24) as usize))
        {
            *cell += n;
        }
    }
    let max = counts.iter().flatten().copied().max().unwrap_or(0);
    Ok(BusiestHours { counts, max })
}

fn leads_of(conn: &Connection, period: &Period, scope: &Scope) -> Result<Leads> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, json_extract(lead_source, '$.kind'), json_extract(lead_source, '$.code'),
                first_reply_at IS NOT NULL AND first_reply_at - lead_at <= ?3
         FROM conversations WHERE lead_at >= ?1 AND lead_at < ?2",
    )?;
    let rows = stmt.query_map(params![period.start, period.end, FAST_REPLY], |r| {
        Ok((
            ConversationId(r.get(0)?),
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut by_source: BTreeMap<LeadChannel, (u32, u32)> = [
        (LeadChannel::Ad, (0, 0)),
        (LeadChannel::PartnerCode, (0, 0)),
        (LeadChannel::Organic, (0, 0)),
    ]
    .into();
    let mut codes: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    let mut total = 0;
    for row in rows {
        let (c, kind, code, fast) = row?;
        if !scope.owns(c) {
            continue;
        }
        total += 1;
        let channel = match kind.as_deref() {
            Some("ad") => LeadChannel::Ad,
            Some("partner_code") => LeadChannel::PartnerCode,
            _ => LeadChannel::Organic,
        };
        let s = by_source.entry(channel).or_default();
        s.0 += 1;
        s.1 += u32::from(fast);
        if let (LeadChannel::PartnerCode, Some(code)) = (channel, code) {
            let s = codes.entry(code).or_default();
            s.0 += 1;
            s.1 += u32::from(fast);
        }
    }
    let mut partner_codes: Vec<PartnerCodeLeads> = codes
        .into_iter()
        .map(|(code, (leads, fast))| PartnerCodeLeads {
            code,
            leads,
            replied_within_5_min: fast,
            share_within_5_min: f64::from(fast) / f64::from(leads.max(1)),
        })
        .collect();
    partner_codes.sort_by(|a, b| b.leads.cmp(&a.leads).then_with(|| a.code.cmp(&b.code)));
    Ok(Leads {
        total,
        by_source: by_source
            .into_iter()
            .map(|(source, (leads, fast))| LeadCount {
                source,
                leads,
                replied_within_5_min: fast,
            })
            .collect(),
        partner_codes,
    })
}

/// The agents to filter by: assignees, whoever sent a message in the
/// period read, and this desktop's agent.
fn agents(flow: &Flow, scope: &Scope) -> Vec<String> {
    let mut names: HashSet<&str> = scope.assignees.values().map(String::as_str).collect();
    names.extend(flow.senders.iter().map(String::as_str));
    if !scope.me.is_empty() {
        names.insert(&scope.me);
    }
    let mut names: Vec<String> = names.into_iter().map(str::to_owned).collect();
    names.sort();
    names
}

/// The file a table of the report is exported to: `hourglass-<table>-<from>-to-<to>.csv`.
/// `table` names the table (`volume`, `missed`, …: ASCII letters, digits and
/// dashes), and the dates are the filter's, checked; anything else is
/// refused, so the name can never leave the folder it is saved in.
pub fn csv_file_name(table: &str, filter: &ReportFilter) -> Result<String> {
    Period::of(filter)?;
    let ok = !table.is_empty()
        && table.len() <= 40
        && table.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        return Err(Error::ReportRange {
            reason: Invalid::NotATable {
                table: table.to_owned(),
            },
        });
    }
    Ok(format!(
        "hourglass-{table}-{}-to-{}.csv",
        filter.from.trim(),
        filter.to.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(from: &str, to: &str, offset: i32) -> ReportFilter {
        ReportFilter {
            from: from.into(),
            to: to.into(),
            utc_offset_minutes: offset,
            agent: None,
            me: None,
        }
    }

    #[test]
    fn a_period_is_local_days() {
        let p = Period::of(&filter("2026-03-02", "2026-03-04", 180)).unwrap();
        // 2026-03-02 00:00 in Moscow is 2026-03-01 21:00 UTC.
        assert_eq!(p.start, 1_772_409_600 - 3 * 3600);
        assert_eq!(p.end - p.start, 3 * DAY);
        assert_eq!(p.days, 3);
        assert_eq!(p.day_name(0), "2026-03-02");
        assert_eq!(p.day_index(p.start), 0);
        assert_eq!(p.day_index(p.end - 1), 2);
        assert_eq!(p.day_index(p.start - 1), -1);
        assert!(Period::of(&filter("2026-03-02", "2026-03-02", 15 * 60)).is_err());
    }

    #[test]
    fn csv_names_cannot_leave_their_folder() {
        let f = filter("2026-03-02", "2026-03-04", 0);
        assert_eq!(
            csv_file_name("missed", &f).unwrap(),
            "hourglass-missed-2026-03-02-to-2026-03-04.csv"
        );
        for bad in ["", "../x", "a/b", "with space", "é"] {
            assert!(csv_file_name(bad, &f).is_err(), "{bad:?}");
        }
        assert!(csv_file_name("volume", &filter("../..", "x", 0)).is_err());
    }
}
