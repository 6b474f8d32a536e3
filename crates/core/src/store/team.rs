//! The team tables (migration 0005), derived from typed team events in log
//! order (migration 0010 replaced the triggers that did it from JSON).
//!
//! The newest event by log position wins for an assignment and a canned
//! response; a note is never edited (the first event with its id wins);
//! labels are on or off in log order. Every status change is kept (the
//! newest by log position is in force), and a customer's new message
//! reopens a resolved or snoozed conversation ([`Writer::reopen_on_inbound`]).
//! Applying an event again (a replayed batch) changes nothing.

use hourglass_protocol::team::{AgentEvent, ConversationStatus};
use rusqlite::{OptionalExtension, params};

use super::Writer;
use crate::error::Result;
use crate::inbox::ConversationId;

impl Writer<'_> {
    /// Applies one team event, published by `agent` and taken by the relay
    /// at `at_ms`, at log position `seq`. [`AgentEvent::Outbound`] is a
    /// message, filed elsewhere: nothing to do here.
    pub fn apply_team_event(
        &self,
        seq: u64,
        agent: Option<&str>,
        at_ms: i64,
        event: &AgentEvent,
    ) -> Result<()> {
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        let renamed = self.renamed_event(event)?;
        let event = renamed.as_ref().unwrap_or(event);
        if self.apply_contact_event(seq, agent, at_ms, event)? {
            return Ok(());
        }
        match event {
            AgentEvent::Outbound(_) => {}
            AgentEvent::Assign {
                customer,
                phone_number_id,
                assignee,
            } => {
                self.prepared(
                    "INSERT INTO team_assignments
                         (customer, phone_number_id, assignee, by_agent, seq, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (customer, phone_number_id) DO UPDATE SET
                         assignee = excluded.assignee, by_agent = excluded.by_agent,
                         seq = excluded.seq, at_ms = excluded.at_ms
                     WHERE excluded.seq > team_assignments.seq",
                )?
                .execute(params![
                    customer,
                    phone_number_id,
                    assignee,
                    agent,
                    seq,
                    at_ms
                ])?;
            }
            AgentEvent::Note {
                id,
                customer,
                phone_number_id,
                body,
            } => {
                self.prepared(
                    "INSERT INTO team_notes (id, customer, phone_number_id, author, body, seq, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (id) DO NOTHING",
                )?
                .execute(params![id, customer, phone_number_id, agent, body, seq, at_ms])?;
            }
            AgentEvent::Label {
                customer,
                phone_number_id,
                label,
                on: true,
            } => {
                self.prepared(
                    "INSERT INTO team_labels (customer, phone_number_id, label, seq)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (customer, phone_number_id, label) DO NOTHING",
                )?
                .execute(params![customer, phone_number_id, label, seq])?;
            }
            AgentEvent::Label {
                customer,
                phone_number_id,
                label,
                on: false,
            } => {
                self.prepared(
                    "DELETE FROM team_labels
                     WHERE customer = ?1 AND phone_number_id = ?2 AND label = ?3",
                )?
                .execute(params![customer, phone_number_id, label])?;
            }
            AgentEvent::Canned { id, title, body } => {
                self.prepared(
                    "INSERT INTO team_canned (id, title, body, updated_by, seq)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (id) DO UPDATE SET
                         title = excluded.title, body = excluded.body,
                         updated_by = excluded.updated_by, seq = excluded.seq
                     WHERE excluded.seq > team_canned.seq",
                )?
                .execute(params![id, title, body, agent, seq])?;
            }
            AgentEvent::CannedDeleted { id } => {
                self.prepared("DELETE FROM team_canned WHERE id = ?1")?
                    .execute([id])?;
            }
            AgentEvent::Status {
                customer,
                phone_number_id,
                status,
                snooze_until,
            } => {
                self.prepared(
                    "INSERT INTO team_status
                         (customer, phone_number_id, seq, status, snooze_until, by_agent, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (customer, phone_number_id, seq) DO NOTHING",
                )?
                .execute(params![
                    customer,
                    phone_number_id,
                    seq,
                    status.as_str(),
                    snooze_until,
                    agent,
                    at_ms
                ])?;
            }
            // Applied above.
            AgentEvent::ContactName { .. }
            | AgentEvent::ContactField { .. }
            | AgentEvent::ContactFieldRemoved { .. }
            | AgentEvent::ContactValue { .. }
            | AgentEvent::MarketingOptIn { .. }
            | AgentEvent::Block { .. } => {}
        }
        Ok(())
    }

    /// A customer's message, new to this store, at log position `seq` and
    /// Meta time `sent_at` (the reopening's time, or the time of the change
    /// it undoes if that is later): reopens the conversation when the status in
    /// force before it is resolved, or snoozed and not yet woken at
    /// `sent_at`. Returns whether it did.
    pub(crate) fn reopen_on_inbound(
        &self,
        conversation: ConversationId,
        seq: u64,
        sent_at: i64,
    ) -> Result<bool> {
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        let before = self
            .prepared(
                "SELECT ts.customer, ts.phone_number_id, ts.status, ts.snooze_until, ts.at_ms
                 FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id
                 JOIN team_status ts
                   ON ts.customer = COALESCE(ct.phone_e164, ct.user_id)
                  AND ts.phone_number_id = cv.phone_number_id
                 WHERE cv.id = ?1 AND ts.seq < ?2
                 ORDER BY ts.seq DESC LIMIT 1",
            )?
            .query_row(params![conversation, seq], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, i64>(4)?,
                ))
            })
            .optional()?;
        let Some((customer, phone_number_id, status, until, before_ms)) = before else {
            return Ok(false);
        };
        let asleep = match ConversationStatus::parse(&status) {
            Some(ConversationStatus::Resolved) => true,
            Some(ConversationStatus::Snoozed) => until.is_none_or(|u| sent_at < u),
            _ => false,
        };
        if !asleep {
            return Ok(false);
        }
        let added = self
            .prepared(
                "INSERT INTO team_status
                     (customer, phone_number_id, seq, status, snooze_until, by_agent, at_ms)
                 VALUES (?1, ?2, ?3, 'open', NULL, NULL, ?4)
                 ON CONFLICT (customer, phone_number_id, seq) DO NOTHING",
            )?
            // Meta's time has whole seconds: never before the change it
            // undoes, so the timeline keeps the log's order.
            .execute(params![
                customer,
                phone_number_id,
                seq,
                sent_at.saturating_mul(1000).max(before_ms)
            ])?;
        Ok(added > 0)
    }
}
