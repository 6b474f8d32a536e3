//! The contact tables (migration 0014), derived from typed team events in
//! log order, as the team tables are (see `store/team.rs`).
//!
//! The newest event by log position wins for a name, a field's definition,
//! a value, an opt-in and a block; removing a field removes its values.

use hourglass_protocol::team::{AgentEvent, FieldKind};
use rusqlite::params;

use super::Writer;
use crate::error::Result;
use crate::inbox::ConversationId;

/// How a field's kind is stored.
pub(crate) fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Text => "text",
        FieldKind::Number => "number",
        FieldKind::Date => "date",
        FieldKind::Choice => "choice",
    }
}

impl Writer<'_> {
    /// The conversations of the customer every desktop names `customer`:
    /// their rows change when the team renames the customer.
    pub(crate) fn conversations_of_customer(&self, customer: &str) -> Result<Vec<ConversationId>> {
        let mut stmt = self.prepared(
            "SELECT cv.id FROM contacts ct JOIN conversations cv ON cv.contact_id = ct.id
             WHERE ct.phone_e164 = ?1 OR ct.user_id = ?1",
        )?;
        let rows = stmt.query_map([customer], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Applies a contact event; `false` when `event` is not one.
    pub(crate) fn apply_contact_event(
        &self,
        seq: i64,
        agent: Option<&str>,
        at_ms: i64,
        event: &AgentEvent,
    ) -> Result<bool> {
        match event {
            AgentEvent::ContactName {
                customer,
                name: Some(name),
            } if !name.trim().is_empty() => {
                self.prepared(
                    "INSERT INTO contact_names (customer, name, by_agent, seq, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (customer) DO UPDATE SET
                         name = excluded.name, by_agent = excluded.by_agent,
                         seq = excluded.seq, at_ms = excluded.at_ms
                     WHERE excluded.seq > contact_names.seq",
                )?
                .execute(params![customer, name.trim(), agent, seq, at_ms])?;
            }
            AgentEvent::ContactName { customer, .. } => {
                self.prepared("DELETE FROM contact_names WHERE customer = ?1 AND seq < ?2")?
                    .execute(params![customer, seq])?;
            }
            AgentEvent::ContactField {
                id,
                label,
                kind,
                options,
            } => {
                let options = serde_json::to_string(options).unwrap_or_else(|_| "[]".into());
                self.prepared(
                    "INSERT INTO contact_fields (id, label, kind, options, seq, first_seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                     ON CONFLICT (id) DO UPDATE SET
                         label = excluded.label, kind = excluded.kind,
                         options = excluded.options, seq = excluded.seq
                     WHERE excluded.seq > contact_fields.seq",
                )?
                .execute(params![id, label, kind_name(*kind), options, seq])?;
            }
            AgentEvent::ContactFieldRemoved { id } => {
                self.prepared("DELETE FROM contact_fields WHERE id = ?1")?
                    .execute([id])?;
                self.prepared("DELETE FROM contact_values WHERE field_id = ?1")?
                    .execute([id])?;
            }
            AgentEvent::ContactValue {
                customer,
                field,
                value: Some(value),
            } => {
                self.prepared(
                    "INSERT INTO contact_values (customer, field_id, value, by_agent, seq, at_ms)
                     SELECT ?1, ?2, ?3, ?4, ?5, ?6
                     WHERE EXISTS (SELECT 1 FROM contact_fields WHERE id = ?2)
                     ON CONFLICT (customer, field_id) DO UPDATE SET
                         value = excluded.value, by_agent = excluded.by_agent,
                         seq = excluded.seq, at_ms = excluded.at_ms
                     WHERE excluded.seq > contact_values.seq",
                )?
                .execute(params![customer, field, value, agent, seq, at_ms])?;
            }
            AgentEvent::ContactValue {
                customer,
                field,
                value: None,
            } => {
                self.prepared(
                    "DELETE FROM contact_values WHERE customer = ?1 AND field_id = ?2 AND seq < ?3",
                )?
                .execute(params![customer, field, seq])?;
            }
            AgentEvent::MarketingOptIn { customer, source } => {
                self.prepared(
                    "INSERT INTO contact_opt_ins (customer, source, by_agent, seq, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (customer) DO UPDATE SET
                         source = excluded.source, by_agent = excluded.by_agent,
                         seq = excluded.seq, at_ms = excluded.at_ms
                     WHERE excluded.seq > contact_opt_ins.seq",
                )?
                .execute(params![customer, source, agent, seq, at_ms])?;
            }
            AgentEvent::Block {
                customer,
                phone_number_id,
                blocked,
            } => {
                self.prepared(
                    "INSERT INTO contact_blocks
                         (customer, phone_number_id, blocked, by_agent, seq, at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (customer, phone_number_id) DO UPDATE SET
                         blocked = excluded.blocked, by_agent = excluded.by_agent,
                         seq = excluded.seq, at_ms = excluded.at_ms
                     WHERE excluded.seq > contact_blocks.seq",
                )?
                .execute(params![
                    customer,
                    phone_number_id,
                    blocked,
                    agent,
                    seq,
                    at_ms
                ])?;
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
