//! Team work in the shared inbox: assignment, private notes, labels,
//! canned responses and conversation status (read in [`crate::status`]).
//!
//! Every shared action is an agent event on the relay's log
//! ([`TeamAction::publish`] → `POST /v1/events`). Nothing is written locally
//! when an agent acts: the action reaches this desktop's store the same way
//! it reaches everyone else's, through the sync engine, which decodes each
//! typed team event ([`AgentEvent`]) and applies it to the team tables in
//! log order. Every desktop that applied the same log therefore holds the
//! same team state, whatever order agents acted in.
//!
//! Decisions:
//! - A conversation is named by its customer ([`ConversationKey::customer`]:
//!   E.164 with `+`, or Meta's business-scoped user id) and the business
//!   phone number id, because local row ids differ between desktops.
//! - The newest action by log position wins (an assignment, a canned
//!   response's text); labels are on or off in log order; a note is never
//!   edited, and its id (made by the author's app) makes a retried publish
//!   harmless — the relay also dedupes on the idempotency key.
//! - Input is checked before publishing ([`TeamAction::check`]); the sync
//!   keeps anything it cannot read or use flagged rather than fail a batch.

use hourglass_protocol::team::{AgentEvent, ConversationStatus};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::inbox::ConversationId;
use crate::invalid::Invalid;
use crate::problem::{ErrorCode, Params, params};
use crate::relay::{RelayClient, RelayError};
use crate::store::Store;

/// The longest label, in characters.
pub const MAX_LABEL: usize = 50;
/// The longest note or canned response, in characters (Meta's text limit).
pub const MAX_TEXT: usize = 4_096;

/// A conversation as every desktop names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConversationKey {
    pub customer: String,
    pub phone_number_id: String,
}

/// One shared action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamAction {
    /// `assignee: None` unassigns.
    Assign {
        conversation: ConversationKey,
        assignee: Option<String>,
    },
    Note {
        id: String,
        conversation: ConversationKey,
        body: String,
    },
    Label {
        conversation: ConversationKey,
        label: String,
        on: bool,
    },
    Canned {
        id: String,
        title: String,
        body: String,
    },
    CannedDeleted {
        id: String,
    },
    /// `snooze_until` (Unix seconds) only with [`ConversationStatus::Snoozed`];
    /// a snooze without it lasts until the customer writes.
    Status {
        conversation: ConversationKey,
        status: ConversationStatus,
        snooze_until: Option<i64>,
    },
}

impl TeamAction {
    /// Why the action cannot be published, in words for the agent.
    pub fn check(&self) -> Result<()> {
        let invalid = |reason: Invalid| Err(Error::TextInvalid { reason });
        match self {
            TeamAction::Note { body, .. } => text(body, |max| Invalid::NoteLength { max }),
            TeamAction::Label { label, .. } => {
                let n = label.trim().chars().count();
                if n == 0 || n > MAX_LABEL || label.trim() != label {
                    invalid(Invalid::LabelLength { max: MAX_LABEL })
                } else {
                    Ok(())
                }
            }
            TeamAction::Canned { title, body, .. } => {
                if title.trim().is_empty() || title.chars().count() > 100 {
                    return invalid(Invalid::CannedTitleLength { max: 100 });
                }
                text(body, |max| Invalid::CannedBodyLength { max })
            }
            TeamAction::Assign { assignee, .. } => match assignee {
                Some(a) if a.trim().is_empty() => invalid(Invalid::NoAssignee),
                _ => Ok(()),
            },
            TeamAction::CannedDeleted { .. } => Ok(()),
            TeamAction::Status {
                status,
                snooze_until: Some(until),
                ..
            } => {
                if *status != ConversationStatus::Snoozed {
                    invalid(Invalid::WakeOnlyWhenSnoozed)
                } else if *until <= 0 {
                    invalid(Invalid::NoSnoozeEnd)
                } else {
                    Ok(())
                }
            }
            TeamAction::Status { .. } => Ok(()),
        }
    }

    /// The team event this action publishes.
    pub fn event(&self) -> AgentEvent {
        match self.clone() {
            TeamAction::Assign {
                conversation: c,
                assignee,
            } => AgentEvent::Assign {
                customer: c.customer,
                phone_number_id: c.phone_number_id,
                assignee,
            },
            TeamAction::Note {
                id,
                conversation: c,
                body,
            } => AgentEvent::Note {
                id,
                customer: c.customer,
                phone_number_id: c.phone_number_id,
                body,
            },
            TeamAction::Label {
                conversation: c,
                label,
                on,
            } => AgentEvent::Label {
                customer: c.customer,
                phone_number_id: c.phone_number_id,
                label,
                on,
            },
            TeamAction::Canned { id, title, body } => AgentEvent::Canned { id, title, body },
            TeamAction::CannedDeleted { id } => AgentEvent::CannedDeleted { id },
            TeamAction::Status {
                conversation: c,
                status,
                snooze_until,
            } => AgentEvent::Status {
                customer: c.customer,
                phone_number_id: c.phone_number_id,
                status,
                snooze_until,
            },
        }
    }

    /// The agent event's payload, as every desktop's sync reads it.
    pub fn payload(&self) -> Value {
        self.event().to_payload()
    }

    /// Checks the action and puts it on the relay's log under `key` (an
    /// idempotency key: publishing again with the same key adds nothing).
    pub async fn publish(&self, relay: &RelayClient, key: &str) -> Result<(), TeamError> {
        publish_at(self, relay, key).await.map(|_| ())
    }
}

fn text(body: &str, what: fn(usize) -> Invalid) -> Result<()> {
    if body.trim().is_empty() || body.chars().count() > MAX_TEXT {
        Err(Error::TextInvalid {
            reason: what(MAX_TEXT),
        })
    } else {
        Ok(())
    }
}

/// Why an action was not published.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("{0}")]
    Invalid(Error),
    #[error(
        "The team's relay did not take this ({}). Check the connection and try again; nothing was shared.",
        publish_detail(.0)
    )]
    Publish(RelayError),
}

impl TeamError {
    /// A stable identifier the UI may match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            TeamError::Invalid(e) => e.code(),
            TeamError::Publish(_) => ErrorCode::RelayUnavailable,
        }
    }

    /// The values the window's wording fills in.
    pub fn params(&self) -> Params {
        match self {
            TeamError::Invalid(e) => e.params(),
            TeamError::Publish(e) => params([("detail", publish_detail(e))]),
        }
    }
}

/// What went wrong with a relay call, without the URL.
pub fn publish_detail(e: &RelayError) -> String {
    match e {
        RelayError::Transport(detail) => detail.clone(),
        RelayError::Status { status } => format!("HTTP {status}"),
        RelayError::RateLimited { retry_after } => {
            format!("HTTP 429, retry in {} s", retry_after.as_secs())
        }
    }
}

/// Publishes an action and returns its position in the relay's log.
pub async fn publish_at(
    action: &TeamAction,
    relay: &RelayClient,
    key: &str,
) -> Result<u64, TeamError> {
    action.check().map_err(TeamError::Invalid)?;
    let answer = relay
        .publish(key, action.payload())
        .await
        .map_err(TeamError::Publish)?;
    Ok(answer.seq)
}

/// Which conversations are assigned, to whom (unassigned ones are absent).
pub fn assignees(store: &Store) -> Result<Vec<(ConversationId, String)>> {
    store.with_connection(|c| {
        let mut stmt = c.prepare_cached(
            "SELECT cv.id, ta.assignee FROM conversations cv
             JOIN contacts ct ON ct.id = cv.contact_id
             JOIN team_assignments ta
               ON ta.customer = COALESCE(ct.phone_e164, ct.user_id)
              AND ta.phone_number_id = cv.phone_number_id
             WHERE ta.assignee IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((ConversationId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Every label on a conversation this desktop knows, for the label filter.
pub fn labelled(store: &Store) -> Result<Vec<(ConversationId, String)>> {
    store.with_connection(|c| {
        let mut stmt = c.prepare_cached(
            "SELECT cv.id, tl.label FROM conversations cv
             JOIN contacts ct ON ct.id = cv.contact_id
             JOIN team_labels tl
               ON tl.customer = COALESCE(ct.phone_e164, ct.user_id)
              AND tl.phone_number_id = cv.phone_number_id
             ORDER BY tl.label, cv.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((ConversationId(r.get(0)?), r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// A private note in a conversation's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Note {
    pub id: String,
    pub author: Option<String>,
    pub body: String,
    /// When the relay took it, Unix milliseconds.
    #[ts(type = "number")]
    pub at_ms: i64,
}

/// A shared canned response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CannedResponse {
    pub id: String,
    pub title: String,
    pub body: String,
    pub updated_by: Option<String>,
}

/// Who owns a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Assignment {
    /// `None`: explicitly unassigned.
    pub assignee: Option<String>,
    pub by_agent: Option<String>,
    #[ts(type = "number")]
    pub at_ms: i64,
}

/// The whole team state of a store, for comparing desktops.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TeamSnapshot {
    pub assignments: Vec<(String, String, Option<String>)>,
    pub notes: Vec<(String, String, String, Option<String>, String)>,
    pub labels: Vec<(String, String, String)>,
    pub canned: Vec<(String, String, String)>,
    /// Every status change: customer, number, log position, status, who.
    pub status: Vec<(String, String, i64, String, Option<String>)>,
}

impl Store {
    /// How every desktop names this conversation.
    pub fn conversation_key(&self, id: ConversationId) -> Result<ConversationKey> {
        self.with_connection(|c| {
            c.prepare_cached(
                "SELECT COALESCE(ct.phone_e164, ct.user_id), cv.phone_number_id
                 FROM conversations cv JOIN contacts ct ON ct.id = cv.contact_id
                 WHERE cv.id = ?1",
            )?
            .query_row([id.0], |r| {
                Ok(ConversationKey {
                    customer: r.get(0)?,
                    phone_number_id: r.get(1)?,
                })
            })
            .optional()?
            .ok_or_else(|| Error::NotFound {
                what: format!("conversation {}", id.0),
            })
        })
    }

    /// The agent a conversation is assigned to; `None` when it is
    /// unassigned or unknown.
    pub fn assignee_of(&self, id: ConversationId) -> Result<Option<String>> {
        self.with_connection(|c| {
            Ok(c.prepare_cached(
                "SELECT ta.assignee FROM conversations cv
                 JOIN contacts ct ON ct.id = cv.contact_id
                 JOIN team_assignments ta
                   ON (ta.customer = ct.phone_e164 OR ta.customer = ct.user_id)
                  AND ta.phone_number_id = cv.phone_number_id
                 WHERE cv.id = ?1
                 ORDER BY ta.seq DESC LIMIT 1",
            )?
            .query_row([id.0], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten())
        })
    }

    /// The conversation every desktop names `key`, when this store has it.
    pub fn conversation_by_key(&self, key: &ConversationKey) -> Result<Option<ConversationId>> {
        self.with_connection(|c| {
            Ok(c.prepare_cached(
                "SELECT cv.id FROM contacts ct
                 JOIN conversations cv ON cv.contact_id = ct.id AND cv.phone_number_id = ?2
                 WHERE ct.phone_e164 = ?1 OR ct.user_id = ?1
                 LIMIT 1",
            )?
            .query_row(params![key.customer, key.phone_number_id], |r| {
                r.get(0).map(ConversationId)
            })
            .optional()?)
        })
    }

    pub fn assignment(&self, key: &ConversationKey) -> Result<Option<Assignment>> {
        self.with_connection(|c| {
            Ok(c.prepare_cached(
                "SELECT assignee, by_agent, at_ms FROM team_assignments
                 WHERE customer = ?1 AND phone_number_id = ?2",
            )?
            .query_row(params![key.customer, key.phone_number_id], |r| {
                Ok(Assignment {
                    assignee: r.get(0)?,
                    by_agent: r.get(1)?,
                    at_ms: r.get(2)?,
                })
            })
            .optional()?)
        })
    }

    /// A conversation's notes, oldest first.
    pub fn notes(&self, key: &ConversationKey) -> Result<Vec<Note>> {
        self.with_connection(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, author, body, at_ms FROM team_notes
                 WHERE customer = ?1 AND phone_number_id = ?2 ORDER BY seq",
            )?;
            let rows = stmt.query_map(params![key.customer, key.phone_number_id], |r| {
                Ok(Note {
                    id: r.get(0)?,
                    author: r.get(1)?,
                    body: r.get(2)?,
                    at_ms: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// A conversation's labels, alphabetically.
    pub fn labels(&self, key: &ConversationKey) -> Result<Vec<String>> {
        self.with_connection(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT label FROM team_labels
                 WHERE customer = ?1 AND phone_number_id = ?2 ORDER BY label",
            )?;
            let rows = stmt.query_map(params![key.customer, key.phone_number_id], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The team's canned responses, by title.
    pub fn canned_responses(&self) -> Result<Vec<CannedResponse>> {
        self.with_connection(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, title, body, updated_by FROM team_canned ORDER BY title, id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(CannedResponse {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    body: r.get(2)?,
                    updated_by: r.get(3)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Everything team-related, in a stable order.
    pub fn team_snapshot(&self) -> Result<TeamSnapshot> {
        self.with_connection(|c| {
            let mut snap = TeamSnapshot::default();
            let mut s = c.prepare(
                "SELECT customer, phone_number_id, assignee FROM team_assignments ORDER BY 1, 2",
            )?;
            snap.assignments = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut s = c.prepare(
                "SELECT id, customer, phone_number_id, author, body FROM team_notes ORDER BY seq",
            )?;
            snap.notes = s
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut s = c.prepare(
                "SELECT customer, phone_number_id, label FROM team_labels ORDER BY 1, 2, 3",
            )?;
            snap.labels = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut s = c.prepare("SELECT id, title, body FROM team_canned ORDER BY id")?;
            snap.canned = s
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut s = c.prepare(
                "SELECT customer, phone_number_id, seq, status, by_agent FROM team_status
                 ORDER BY 1, 2, 3",
            )?;
            snap.status = s
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            Ok(snap)
        })
    }
}
