//! The team tables (migration 0005), derived from typed team events in log
//! order (migration 0010 replaced the triggers that did it from JSON).
//!
//! The newest event by log position wins for an assignment and a canned
//! response; a note is never edited (the first event with its id wins);
//! labels are on or off in log order. Applying an event again (a replayed
//! batch) changes nothing.

use hourglass_protocol::team::AgentEvent;
use rusqlite::params;

use super::Writer;
use crate::error::Result;

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
}
