//! The Reports screen's figures, kept as messages arrive (migration 0021).
//!
//! A conversation's figures follow its messages in time order: the
//! customer's messages, the conversations opened (a customer message more
//! than 24 hours after their previous one, or their first), every reply and
//! first reply with its response time and sender, the messages each agent
//! sent, and the missed windows; and its status changes: resolved and
//! reopened. [`events_of`] works them out from the
//! conversation's whole history; [`refresh`] takes what the conversation
//! contributed last time back out of the per-day tables and puts the new
//! figures in. SQLite triggers mark every conversation a write may have
//! changed (a message added, moved, deleted or failed, a reassignment, a
//! status change, a contact's number changing) in `report_dirty`, which
//! costs a write one indexed insert per conversation. [`refresh`] runs when
//! a report next reads the figures (`reports::figures`), so the sync's
//! writes do not pay for working figures out, and a report pays only for
//! the conversations that changed since the last one.
//!
//! The per-day tables count per quarter hour of the UTC day, so a report in
//! any time zone whose offset is a whole number of quarter hours reads exact
//! local days and hours from them.

use std::collections::HashMap;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::Result;

pub const DAY: i64 = 86_400;
/// The counts' unit: a quarter of an hour.
pub const QUARTER: i64 = 900;
/// Quarter hours in a day.
pub const QUARTERS: usize = 96;
const WINDOW: i64 = DAY;

/// One figure a conversation contributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    /// A customer message.
    Inbound { at: i64 },
    /// A customer message that opened a conversation.
    Opened { at: i64 },
    /// A message the business sent (not failed) with a named sender.
    Sent { at: i64, agent: String },
    /// A reply (or, `first`, the first reply since the conversation opened)
    /// `seconds` after what it answers; `agent` is empty when the message
    /// names no sender.
    Reply {
        at: i64,
        agent: String,
        seconds: i64,
        first: bool,
    },
    /// The customer's window closed at `closed_at` on their unanswered
    /// message `message_id`, sent at `last_at`.
    Missed {
        closed_at: i64,
        message_id: i64,
        last_at: i64,
    },
    /// The conversation's status changed to resolved from anything else
    /// (Unix seconds of when the relay took the change).
    Resolved { at: i64 },
    /// It changed to open from resolved or snoozed.
    Reopened { at: i64 },
}

/// Where the state of one conversation stands while its messages are read.
#[derive(Default)]
struct State {
    last_inbound: Option<(i64, i64)>,
    waiting_since: Option<i64>,
    opened_at: Option<i64>,
}

impl State {
    fn note_missed(&self, events: &mut Vec<Event>) {
        if let (Some((at, id)), Some(_)) = (self.last_inbound, self.waiting_since) {
            events.push(Event::Missed {
                closed_at: at + WINDOW,
                message_id: id,
                last_at: at,
            });
        }
    }
}

/// A send the spend report counts (migration 0022): a template, or a
/// message Meta marked billable, that did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Send {
    message_id: i64,
    at: i64,
    sender: Option<String>,
    pricing_category: Option<String>,
    billable: Option<bool>,
    /// The template's name and language from this desktop's outbox.
    template: Option<(String, String)>,
    /// The customer wrote in the 24 hours up to the send.
    window_open: bool,
}

/// The figures of one conversation, from all its messages (the rules are
/// those of `reports`' module documentation), and its sends for the spend
/// report, in message id order. Ties in the same second: the customer's
/// message first, so a reply stamped the same second answers it.
pub(crate) fn figures_of(conn: &Connection, conversation: i64) -> Result<(Vec<Event>, Vec<Send>)> {
    let mut stmt = conn.prepare_cached(
        "SELECT sent_at, direction, sent_by, status, id, kind, pricing_category, billable
         FROM messages
         WHERE conversation_id = ?1
         ORDER BY sent_at, direction, sent_by, status, id",
    )?;
    let mut rows = stmt.query([conversation])?;
    let mut events = Vec::new();
    let mut sends = Vec::new();
    let mut s = State::default();
    while let Some(r) = rows.next()? {
        let at: i64 = r.get(0)?;
        let inbound = matches!(r.get_ref(1)?, ValueRef::Text(b"inbound"));
        let window_closed = s.last_inbound.is_none_or(|(li, _)| at - li >= WINDOW);
        if inbound {
            events.push(Event::Inbound { at });
            if window_closed {
                s.note_missed(&mut events);
                s.waiting_since = None;
                s.opened_at = Some(at);
                events.push(Event::Opened { at });
            }
            s.waiting_since.get_or_insert(at);
            s.last_inbound = Some((at, r.get(4)?));
            continue;
        }
        if matches!(r.get_ref(3)?, ValueRef::Text(b"failed")) {
            continue;
        }
        let sender: Option<String> = r.get(2)?;
        let billable: Option<bool> = r.get(7)?;
        let template = matches!(r.get_ref(5)?, ValueRef::Text(b"template"));
        if template || billable == Some(true) {
            let message_id: i64 = r.get(4)?;
            sends.push(Send {
                message_id,
                at,
                sender: sender.clone(),
                pricing_category: r.get(6)?,
                billable,
                template: if template {
                    template_sent(conn, message_id)?
                } else {
                    None
                },
                window_open: !window_closed,
            });
        }
        if window_closed {
            s.note_missed(&mut events);
            s.last_inbound = None;
        }
        if let Some(agent) = &sender {
            events.push(Event::Sent {
                at,
                agent: agent.clone(),
            });
        }
        let agent = sender.unwrap_or_default();
        if let Some(since) = s.waiting_since.take() {
            events.push(Event::Reply {
                at,
                agent: agent.clone(),
                seconds: at - since,
                first: false,
            });
        }
        if let Some(opened) = s.opened_at.take() {
            events.push(Event::Reply {
                at,
                agent,
                seconds: at - opened,
                first: true,
            });
        }
    }
    s.note_missed(&mut events);
    status_events(conn, conversation, &mut events)?;
    sends.sort_unstable_by_key(|s| s.message_id);
    Ok((events, sends))
}

/// The template (name, language) this desktop's outbox sent as `message`.
fn template_sent(conn: &Connection, message: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached(
            "SELECT json_extract(request, '$.template.name'),
                    json_extract(request, '$.template.language.code')
             FROM outbox WHERE message_id = ?1 ORDER BY created_at_ms, id LIMIT 1",
        )?
        .query_row([message], |r| {
            Ok(Option::zip(r.get::<_, Option<String>>(0)?, r.get(1)?))
        })
        .optional()?
        .flatten())
}

/// The sends kept for `conversation`, in message id order.
fn kept_sends(conn: &Connection, conversation: i64) -> Result<Vec<Send>> {
    let mut stmt = conn.prepare_cached(
        "SELECT message_id, sent_at, sender, pricing_category, billable, template_name,
                template_language, window_open
         FROM report_sends WHERE conversation_id = ?1 ORDER BY message_id",
    )?;
    let rows = stmt.query_map([conversation], |r| {
        Ok(Send {
            message_id: r.get(0)?,
            at: r.get(1)?,
            sender: r.get(2)?,
            pricing_category: r.get(3)?,
            billable: r.get(4)?,
            template: Option::zip(r.get::<_, Option<String>>(5)?, r.get(6)?),
            window_open: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the kept sends of `conversation` when they differ.
fn keep_sends(conn: &Connection, conversation: i64, sends: &[Send]) -> Result<()> {
    if kept_sends(conn, conversation)? == sends {
        return Ok(());
    }
    conn.prepare_cached("DELETE FROM report_sends WHERE conversation_id = ?1")?
        .execute([conversation])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO report_sends (message_id, conversation_id, sent_at, sender, pricing_category,
                                   billable, template_name, template_language, window_open)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (message_id) DO UPDATE SET conversation_id = excluded.conversation_id,
             sent_at = excluded.sent_at, sender = excluded.sender,
             pricing_category = excluded.pricing_category, billable = excluded.billable,
             template_name = excluded.template_name,
             template_language = excluded.template_language,
             window_open = excluded.window_open",
    )?;
    for s in sends {
        let (name, language) = s.template.clone().unzip();
        insert.execute(params![
            s.message_id,
            conversation,
            s.at,
            s.sender,
            s.pricing_category,
            s.billable,
            name,
            language,
            s.window_open,
        ])?;
    }
    Ok(())
}

/// Resolutions and reopenings from the conversation's status changes, under
/// its customer's number or user id, each against the change before it.
fn status_events(conn: &Connection, conversation: i64, events: &mut Vec<Event>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT ts.customer, ts.status, ts.at_ms
         FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id
         JOIN team_status ts ON ts.phone_number_id = cv.phone_number_id
                            AND ts.customer IN (ct.phone_e164, ct.user_id)
         WHERE cv.id = ?1
         ORDER BY ts.customer, ts.seq",
    )?;
    let mut rows = stmt.query([conversation])?;
    let mut before: Option<(String, String)> = None;
    while let Some(r) = rows.next()? {
        let (customer, status, at_ms): (String, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let prior = before
            .as_ref()
            .filter(|(c, _)| *c == customer)
            .map(|(_, s)| s.as_str());
        let at = at_ms.div_euclid(1000);
        if status == "resolved" && prior != Some("resolved") {
            events.push(Event::Resolved { at });
        } else if status == "open" && matches!(prior, Some("resolved" | "snoozed")) {
            events.push(Event::Reopened { at });
        }
        before = Some((customer, status));
    }
    Ok(())
}

/// The assignee of a conversation now ('' for none), as the reports'
/// agent filter sees it.
fn owner_of(conn: &Connection, conversation: i64) -> Result<String> {
    let mut stmt = conn.prepare_cached(
        "SELECT ta.assignee
         FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id
         JOIN team_assignments ta ON ta.customer = COALESCE(ct.phone_e164, ct.user_id)
                                 AND ta.phone_number_id = cv.phone_number_id
         WHERE cv.id = ?1 AND ta.assignee IS NOT NULL",
    )?;
    Ok(stmt
        .query_row([conversation], |r| r.get::<_, String>(0))
        .optional()?
        .unwrap_or_default())
}

/// Works out again every conversation marked in `report_dirty`, in the
/// caller's transaction.
pub(crate) fn refresh(conn: &Connection) -> Result<usize> {
    let mut done = 0;
    loop {
        let n = refresh_some(conn, i64::MAX)?;
        if n == 0 {
            return Ok(done);
        }
        done += n;
    }
}

/// Works out again at most `limit` of the marked conversations, in the
/// caller's transaction; returns how many.
pub(crate) fn refresh_some(conn: &Connection, limit: i64) -> Result<usize> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT conversation_id FROM report_dirty ORDER BY conversation_id LIMIT ?1",
        )?
        .query_map([limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut unmark = conn.prepare_cached("DELETE FROM report_dirty WHERE conversation_id = ?1")?;
    for id in &ids {
        unmark.execute([id])?;
    }
    let mut changes = Changes::default();
    for id in &ids {
        refresh_one(conn, *id, &mut changes)?;
    }
    changes.apply(conn)?;
    Ok(ids.len())
}

/// Whether some conversation waits to be worked out again.
pub(crate) fn pending(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM report_dirty LIMIT 1")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

fn refresh_one(conn: &Connection, conversation: i64, changes: &mut Changes) -> Result<()> {
    let old: Option<(String, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT owner, events FROM report_conversations WHERE conversation_id = ?1",
        )?
        .query_row([conversation], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (old_owner, old_events) = match &old {
        Some((owner, blob)) => (owner.as_str(), decode(blob)),
        None => ("", Vec::new()),
    };
    let owner = owner_of(conn, conversation)?;
    let (events, sends) = figures_of(conn, conversation)?;
    keep_sends(conn, conversation, &sends)?;
    if old.is_some() && old_owner == owner && old_events == events {
        return Ok(());
    }
    // Most changes add messages at the end: only what differs is moved.
    let (mut from, mut old_to, mut new_to) = (0, old_events.len(), events.len());
    if old_owner == owner {
        while from < old_to && from < new_to && old_events[from] == events[from] {
            from += 1;
        }
        while old_to > from && new_to > from && old_events[old_to - 1] == events[new_to - 1] {
            old_to -= 1;
            new_to -= 1;
        }
    }
    for e in &old_events[from..old_to] {
        changes.add(conversation, old_owner, e, -1);
    }
    for e in &events[from..new_to] {
        changes.add(conversation, &owner, e, 1);
    }
    if events.is_empty() {
        conn.prepare_cached("DELETE FROM report_conversations WHERE conversation_id = ?1")?
            .execute([conversation])?;
    } else {
        conn.prepare_cached(
            "INSERT INTO report_conversations (conversation_id, owner, events) VALUES (?1, ?2, ?3)
             ON CONFLICT (conversation_id) DO UPDATE SET owner = excluded.owner,
                                                         events = excluded.events",
        )?
        .execute(params![conversation, owner, encode(&events)])?;
    }
    Ok(())
}

/// The day (Unix seconds / 86400) and quarter hour of the day of `at`.
pub fn day_quarter(at: i64) -> (i64, usize) {
    (at.div_euclid(DAY), (at.rem_euclid(DAY) / QUARTER) as usize)
}

/// Changes to the counts of one `report_days` row, in its column order.
#[derive(Default)]
struct DayDelta([Vec<i64>; DAY_COLUMNS]);

/// The count columns of `report_days`.
const DAY_COLUMNS: usize = 5;
const INBOUND: usize = 0;
const OPENED: usize = 1;
const MISSED: usize = 2;
const RESOLVED: usize = 3;
const REOPENED: usize = 4;

#[derive(Default)]
struct AgentDelta {
    sent: Vec<i64>,
    /// (seconds, quarter, first) → how many to add (negative: remove).
    replies: HashMap<(u32, u8, bool), i64>,
}

/// What a batch of refreshed conversations changes in the per-day tables.
#[derive(Default)]
struct Changes {
    days: HashMap<(i64, String), DayDelta>,
    agents: HashMap<(i64, String), AgentDelta>,
    /// Missed windows taken back: (conversation, closed_at).
    missed_gone: Vec<(i64, i64)>,
    /// Missed windows added: (conversation, closed_at, message, last message at).
    missed_new: Vec<(i64, i64, i64, i64)>,
}

fn bump(counts: &mut Vec<i64>, q: usize, by: i64) {
    if counts.is_empty() {
        counts.resize(QUARTERS, 0);
    }
    counts[q] += by;
}

impl Changes {
    fn day(&mut self, day: i64, owner: &str) -> &mut DayDelta {
        self.days.entry((day, owner.to_owned())).or_default()
    }

    fn agent(&mut self, day: i64, agent: &str) -> &mut AgentDelta {
        self.agents.entry((day, agent.to_owned())).or_default()
    }

    fn add(&mut self, conversation: i64, owner: &str, e: &Event, by: i64) {
        match e {
            Event::Inbound { at } => {
                let (d, q) = day_quarter(*at);
                bump(&mut self.day(d, owner).0[INBOUND], q, by);
            }
            Event::Opened { at } => {
                let (d, q) = day_quarter(*at);
                bump(&mut self.day(d, owner).0[OPENED], q, by);
            }
            Event::Missed {
                closed_at,
                message_id,
                last_at,
            } => {
                let (d, q) = day_quarter(*closed_at);
                bump(&mut self.day(d, owner).0[MISSED], q, by);
                if by > 0 {
                    self.missed_new
                        .push((conversation, *closed_at, *message_id, *last_at));
                } else {
                    self.missed_gone.push((conversation, *closed_at));
                }
            }
            Event::Resolved { at } => {
                let (d, q) = day_quarter(*at);
                bump(&mut self.day(d, owner).0[RESOLVED], q, by);
            }
            Event::Reopened { at } => {
                let (d, q) = day_quarter(*at);
                bump(&mut self.day(d, owner).0[REOPENED], q, by);
            }
            Event::Sent { at, agent } => {
                let (d, q) = day_quarter(*at);
                bump(&mut self.agent(d, agent).sent, q, by);
            }
            Event::Reply {
                at,
                agent,
                seconds,
                first,
            } => {
                let (d, q) = day_quarter(*at);
                let seconds = u32::try_from(*seconds).unwrap_or(u32::MAX);
                *self
                    .agent(d, agent)
                    .replies
                    .entry((seconds, q as u8, *first))
                    .or_default() += by;
            }
        }
    }

    fn apply(self, conn: &Connection) -> Result<()> {
        for ((day, owner), delta) in self.days {
            if delta.0.iter().all(|v| v.iter().all(|n| *n == 0)) {
                continue;
            }
            let row: Option<[Vec<u8>; DAY_COLUMNS]> = conn
                .prepare_cached(
                    "SELECT inbound, opened, missed, resolved, reopened FROM report_days
                     WHERE day = ?1 AND owner = ?2",
                )?
                .query_row(params![day, owner], |r| {
                    Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?])
                })
                .optional()?;
            let mut blobs = row.unwrap_or_else(|| std::array::from_fn(|_| counts_blob()));
            for (blob, d) in blobs.iter_mut().zip(&delta.0) {
                add_counts(blob, d);
            }
            if blobs.iter().all(|b| b.iter().all(|x| *x == 0)) {
                conn.prepare_cached("DELETE FROM report_days WHERE day = ?1 AND owner = ?2")?
                    .execute(params![day, owner])?;
            } else {
                let [inbound, opened, missed, resolved, reopened] = blobs;
                conn.prepare_cached(
                    "INSERT INTO report_days (day, owner, inbound, opened, missed, resolved, reopened)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (day, owner) DO UPDATE SET inbound = excluded.inbound,
                         opened = excluded.opened, missed = excluded.missed,
                         resolved = excluded.resolved, reopened = excluded.reopened",
                )?
                .execute(params![day, owner, inbound, opened, missed, resolved, reopened])?;
            }
        }
        for ((day, agent), delta) in self.agents {
            if delta.sent.iter().all(|n| *n == 0) && delta.replies.values().all(|n| *n == 0) {
                continue;
            }
            let row: Option<(Vec<u8>, Vec<u8>, Vec<u8>)> = conn
                .prepare_cached(
                    "SELECT sent, replies, first_replies FROM report_agent_days
                     WHERE day = ?1 AND agent = ?2",
                )?
                .query_row(params![day, agent], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let (mut sent, mut replies, mut first) =
                row.unwrap_or_else(|| (counts_blob(), Vec::new(), Vec::new()));
            add_counts(&mut sent, &delta.sent);
            let mut changes: Vec<_> = delta.replies.into_iter().filter(|(_, n)| *n != 0).collect();
            changes.sort_unstable();
            for ((seconds, quarter, is_first), n) in changes {
                let list = if is_first { &mut first } else { &mut replies };
                change_replies(list, seconds, quarter, n);
            }
            if sent.iter().all(|x| *x == 0) && replies.is_empty() && first.is_empty() {
                conn.prepare_cached("DELETE FROM report_agent_days WHERE day = ?1 AND agent = ?2")?
                    .execute(params![day, agent])?;
            } else {
                conn.prepare_cached(
                    "INSERT INTO report_agent_days (day, agent, sent, replies, first_replies)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (day, agent) DO UPDATE SET sent = excluded.sent,
                         replies = excluded.replies, first_replies = excluded.first_replies",
                )?
                .execute(params![day, agent, sent, replies, first])?;
            }
        }
        for (conversation, closed_at) in self.missed_gone {
            conn.prepare_cached(
                "DELETE FROM report_missed WHERE conversation_id = ?1 AND closed_at = ?2",
            )?
            .execute(params![conversation, closed_at])?;
        }
        for (conversation, closed_at, message, last_at) in self.missed_new {
            conn.prepare_cached(
                "INSERT INTO report_missed (conversation_id, closed_at, message_id, last_message_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (conversation_id, closed_at) DO UPDATE SET
                     message_id = excluded.message_id, last_message_at = excluded.last_message_at",
            )?
            .execute(params![conversation, closed_at, message, last_at])?;
        }
        Ok(())
    }
}

fn counts_blob() -> Vec<u8> {
    vec![0; QUARTERS * 4]
}

/// The bytes of column `i` of a row, empty when it is not a blob.
pub fn blob<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    Ok(match row.get_ref(i)? {
        ValueRef::Blob(b) => b,
        _ => &[],
    })
}

/// The 96 counts of a quarter-hour blob (zeros if it is not one).
pub fn counts(blob: &[u8]) -> [u32; QUARTERS] {
    let mut out = [0; QUARTERS];
    if blob.len() == QUARTERS * 4 {
        for (o, c) in out.iter_mut().zip(blob.chunks_exact(4)) {
            *o = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
    }
    out
}

fn add_counts(blob: &mut Vec<u8>, delta: &[i64]) {
    if blob.len() != QUARTERS * 4 {
        *blob = counts_blob();
    }
    for (q, d) in delta.iter().enumerate() {
        if *d == 0 {
            continue;
        }
        let c = &mut blob[q * 4..q * 4 + 4];
        let n = i64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])) + d;
        c.copy_from_slice(&u32::try_from(n.max(0)).unwrap_or(u32::MAX).to_le_bytes());
    }
}

/// Bytes per reply in a replies blob: seconds (u32) and quarter hour (u8).
pub const REPLY_BYTES: usize = 5;

/// Each (seconds, quarter hour) of a replies blob.
pub fn replies(blob: &[u8]) -> impl Iterator<Item = (u32, usize)> + '_ {
    blob.chunks_exact(REPLY_BYTES).map(|c| {
        (
            u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
            usize::from(c[4]),
        )
    })
}

fn change_replies(list: &mut Vec<u8>, seconds: u32, quarter: u8, n: i64) {
    let mut entry = [0u8; REPLY_BYTES];
    entry[..4].copy_from_slice(&seconds.to_le_bytes());
    entry[4] = quarter;
    if n > 0 {
        for _ in 0..n {
            list.extend_from_slice(&entry);
        }
        return;
    }
    for _ in 0..(-n) {
        let Some(i) = list
            .chunks_exact(REPLY_BYTES)
            .position(|c| c == entry.as_slice())
        else {
            return;
        };
        let last = list.len() - REPLY_BYTES;
        let start = i * REPLY_BYTES;
        if start != last {
            let (head, tail) = list.split_at_mut(last);
            head[start..start + REPLY_BYTES].copy_from_slice(&tail[..REPLY_BYTES]);
        }
        list.truncate(last);
    }
}

fn encode(events: &[Event]) -> Vec<u8> {
    let mut out = Vec::with_capacity(events.len() * 18);
    let mut put = |kind: u8, a: i64, b: i64, c: i64, agent: &str| {
        out.push(kind);
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
        out.extend_from_slice(&c.to_le_bytes());
        let name = agent.as_bytes();
        let len = name.len().min(255);
        out.push(len as u8);
        out.extend_from_slice(&name[..len]);
    };
    for e in events {
        match e {
            Event::Inbound { at } => put(0, *at, 0, 0, ""),
            Event::Opened { at } => put(1, *at, 0, 0, ""),
            Event::Sent { at, agent } => put(2, *at, 0, 0, agent),
            Event::Reply {
                at,
                agent,
                seconds,
                first,
            } => put(3, *at, *seconds, i64::from(*first), agent),
            Event::Missed {
                closed_at,
                message_id,
                last_at,
            } => put(4, *closed_at, *message_id, *last_at, ""),
            Event::Resolved { at } => put(5, *at, 0, 0, ""),
            Event::Reopened { at } => put(6, *at, 0, 0, ""),
        }
    }
    out
}

fn decode(blob: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut rest = blob;
    let int = |b: &[u8]| i64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    while rest.len() >= 26 {
        let (kind, a, b, c) = (
            rest[0],
            int(&rest[1..9]),
            int(&rest[9..17]),
            int(&rest[17..25]),
        );
        let len = usize::from(rest[25]);
        let Some(name) = rest.get(26..26 + len) else {
            break;
        };
        let agent = String::from_utf8_lossy(name).into_owned();
        rest = &rest[26 + len..];
        out.push(match kind {
            0 => Event::Inbound { at: a },
            1 => Event::Opened { at: a },
            2 => Event::Sent { at: a, agent },
            3 => Event::Reply {
                at: a,
                agent,
                seconds: b,
                first: c != 0,
            },
            4 => Event::Missed {
                closed_at: a,
                message_id: b,
                last_at: c,
            },
            5 => Event::Resolved { at: a },
            _ => Event::Reopened { at: a },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_survive_their_encoding() {
        let events = vec![
            Event::Inbound { at: 1 },
            Event::Opened { at: -5 },
            Event::Sent {
                at: 7,
                agent: "ana".into(),
            },
            Event::Reply {
                at: 9,
                agent: String::new(),
                seconds: 2,
                first: true,
            },
            Event::Missed {
                closed_at: 86_401,
                message_id: 3,
                last_at: 1,
            },
            Event::Resolved { at: 4 },
            Event::Reopened { at: 5 },
        ];
        assert_eq!(decode(&encode(&events)), events);
    }

    #[test]
    fn replies_are_added_and_taken_back_one_by_one() {
        let mut list = Vec::new();
        change_replies(&mut list, 30, 4, 2);
        change_replies(&mut list, 60, 5, 1);
        change_replies(&mut list, 30, 4, -1);
        let mut left: Vec<_> = replies(&list).collect();
        left.sort_unstable();
        assert_eq!(left, vec![(30, 4), (60, 5)]);
        // Taking back what is not there changes nothing.
        change_replies(&mut list, 99, 1, -1);
        assert_eq!(replies(&list).count(), 2);
    }
}
