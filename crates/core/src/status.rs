//! Conversation status: open, pending, snoozed or resolved, set by agents
//! as team events ([`crate::team::TeamAction::Status`]) and reopened by the
//! customer's next message (the sync decides that in log order, see
//! `store/team.rs`).
//!
//! Decisions:
//! - Every change is kept; the newest by log position is in force, and a
//!   conversation without any is open.
//! - A snooze with an end is open again once that time has passed. That is
//!   decided when read ([`Status::at`]), against the caller's clock, so
//!   nothing has to run when it wakes; the window does the same with its
//!   own ticking clock.
//! - Pending is shown with the open conversations, marked.

use hourglass_protocol::team::ConversationStatus;
use rusqlite::{OptionalExtension, Row, params};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::inbox::ConversationId;
use crate::store::Store;
use crate::team::ConversationKey;

/// The longest snooze, in seconds (a year).
pub const MAX_SNOOZE: i64 = 366 * 86_400;

/// One status change, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StatusChange {
    #[ts(type = "\"open\" | \"pending\" | \"snoozed\" | \"resolved\"")]
    pub status: ConversationStatus,
    /// Unix seconds a snooze ends; `None`: until the customer writes (or
    /// not a snooze).
    #[ts(type = "number | null")]
    pub snooze_until: Option<i64>,
    /// The agent who changed it; `None`: the customer's message reopened it.
    pub by: Option<String>,
    /// When the relay took it (Unix ms); for a reopening by the customer,
    /// their message's time.
    #[ts(type = "number")]
    pub at_ms: i64,
}

impl StatusChange {
    /// The status in force at `now` (Unix seconds): a snooze whose time has
    /// passed is open.
    pub fn at(&self, now: i64) -> ConversationStatus {
        match (self.status, self.snooze_until) {
            (ConversationStatus::Snoozed, Some(until)) if until <= now => ConversationStatus::Open,
            (status, _) => status,
        }
    }
}

/// A conversation's status in force, for the conversation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConversationStatusRow {
    pub conversation_id: ConversationId,
    pub change: StatusChange,
}

fn change_from_row(r: &Row<'_>) -> rusqlite::Result<StatusChange> {
    let status: String = r.get(0)?;
    Ok(StatusChange {
        status: ConversationStatus::parse(&status).unwrap_or(ConversationStatus::Open),
        snooze_until: r.get(1)?,
        by: r.get(2)?,
        at_ms: r.get(3)?,
    })
}

/// Why a snooze until `until` cannot be set at `now` (Unix seconds).
pub fn check_snooze(until: Option<i64>, now: i64) -> Result<()> {
    match until {
        Some(u) if u <= now => Err(Error::SnoozeInPast),
        Some(u) if u - now > MAX_SNOOZE => Err(Error::SnoozeTooLong),
        _ => Ok(()),
    }
}

/// The status in force of every conversation that has one and is not
/// plainly open, for the list's filters.
pub fn statuses(store: &Store) -> Result<Vec<ConversationStatusRow>> {
    store.with_connection(|c| {
        let mut stmt = c.prepare_cached(
            "WITH latest AS (
                 SELECT customer, phone_number_id, MAX(seq) AS seq
                 FROM team_status GROUP BY customer, phone_number_id
             )
             SELECT ts.status, ts.snooze_until, ts.by_agent, ts.at_ms, cv.id
             FROM latest
             JOIN team_status ts USING (customer, phone_number_id, seq)
             JOIN contacts ct ON ct.phone_e164 = ts.customer OR ct.user_id = ts.customer
             JOIN conversations cv
               ON cv.contact_id = ct.id AND cv.phone_number_id = ts.phone_number_id
             WHERE ts.status <> 'open'
             ORDER BY cv.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ConversationStatusRow {
                change: change_from_row(r)?,
                conversation_id: ConversationId(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

impl Store {
    /// The status change in force; `None`: the conversation never had one
    /// (it is open).
    pub fn status_of(&self, key: &ConversationKey) -> Result<Option<StatusChange>> {
        self.with_connection(|c| {
            Ok(c.prepare_cached(
                "SELECT status, snooze_until, by_agent, at_ms FROM team_status
                 WHERE customer = ?1 AND phone_number_id = ?2
                 ORDER BY seq DESC LIMIT 1",
            )?
            .query_row(params![key.customer, key.phone_number_id], change_from_row)
            .optional()?)
        })
    }

    /// Every status change of a conversation, in log order, for the
    /// timeline.
    pub fn status_history(&self, key: &ConversationKey) -> Result<Vec<StatusChange>> {
        self.with_connection(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT status, snooze_until, by_agent, at_ms FROM team_status
                 WHERE customer = ?1 AND phone_number_id = ?2 ORDER BY seq",
            )?;
            let rows =
                stmt.query_map(params![key.customer, key.phone_number_id], change_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(status: ConversationStatus, snooze_until: Option<i64>) -> StatusChange {
        StatusChange {
            status,
            snooze_until,
            by: Some("maria".into()),
            at_ms: 0,
        }
    }

    #[test]
    fn a_snooze_with_an_end_is_open_once_it_has_passed() {
        let snoozed = change(ConversationStatus::Snoozed, Some(1_000));
        assert_eq!(snoozed.at(999), ConversationStatus::Snoozed);
        assert_eq!(snoozed.at(1_000), ConversationStatus::Open);
        let until_they_write = change(ConversationStatus::Snoozed, None);
        assert_eq!(until_they_write.at(i64::MAX), ConversationStatus::Snoozed);
        let resolved = change(ConversationStatus::Resolved, None);
        assert_eq!(resolved.at(5_000), ConversationStatus::Resolved);
    }

    #[test]
    fn a_snooze_must_end_in_the_coming_year() {
        assert!(check_snooze(None, 100).is_ok());
        assert!(check_snooze(Some(101), 100).is_ok());
        assert!(matches!(
            check_snooze(Some(100), 100),
            Err(Error::SnoozeInPast)
        ));
        assert!(matches!(
            check_snooze(Some(100 + MAX_SNOOZE + 1), 100),
            Err(Error::SnoozeTooLong)
        ));
    }
}
