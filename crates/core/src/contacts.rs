//! What the team knows about a customer: the contact panel.
//!
//! - **Names:** WhatsApp's profile name, and a name an agent gives
//!   ([`ContactAction::Name`]) that the list and header then use.
//! - **Custom fields**, defined team-wide ([`ContactAction::DefineField`]):
//!   text, number, date (`YYYY-MM-DD`) or choice. Values are checked by kind
//!   before they are published ([`check_value`]).
//! - **Marketing consent:** an opt-in an agent records with its source;
//!   opt-outs come from Meta (the `user_preferences` webhook, and sends
//!   failed with 131050). The newest wins.
//! - **Blocks** made through the Cloud API's block-users endpoint.
//! - **History:** the customer's conversations on every business number,
//!   cut into spans of activity.
//!
//! Every change is a typed team event on the relay's log, applied by the
//! sync engine (`store/contacts.rs`) like the rest of the team's work.

use hourglass_protocol::team::{AgentEvent, FieldKind};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::inbox::{ConversationId, MessageId};
use crate::invalid::Invalid;
use crate::relay::RelayClient;
use crate::store::Store;
use crate::team::{ConversationKey, TeamError};

/// The longest agent-given name, field label or option, in characters.
pub const MAX_NAME: usize = 100;
/// The longest text value, in characters.
pub const MAX_VALUE: usize = 500;
/// The most custom fields a team defines.
pub const MAX_FIELDS: usize = 50;
/// The most options of a choice field.
pub const MAX_OPTIONS: usize = 50;
/// The longest opt-in source, in characters.
pub const MAX_SOURCE: usize = 200;
/// A quiet gap longer than this (Meta's customer service window) starts a
/// new span of activity in the history.
const SPAN_GAP_SECS: i64 = 24 * 60 * 60;
/// The most messages read to cut the history into spans.
const HISTORY_MESSAGES: i64 = 50_000;
/// The most history entries shown.
const HISTORY_ENTRIES: usize = 100;

/// A contact change an agent publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactAction {
    /// `None` goes back to the profile name.
    Name {
        customer: String,
        name: Option<String>,
    },
    DefineField {
        id: String,
        label: String,
        kind: FieldKind,
        options: Vec<String>,
    },
    RemoveField {
        id: String,
    },
    /// `None` clears the value.
    Value {
        customer: String,
        field: String,
        value: Option<String>,
    },
    OptIn {
        customer: String,
        source: String,
    },
    Block {
        conversation: ConversationKey,
        blocked: bool,
    },
}

fn invalid<T>(reason: Invalid) -> Result<T> {
    Err(Error::ContactInvalid { reason })
}

impl ContactAction {
    /// Why the action cannot be published, in words for the agent; checks
    /// a value against its field as this desktop knows it, and a field's
    /// label against the other fields.
    pub fn check(&self, store: &Store) -> Result<()> {
        match self {
            ContactAction::Name { name: Some(n), .. } => {
                if n.trim().is_empty() || n.chars().count() > MAX_NAME {
                    return invalid(Invalid::NameLength { max: MAX_NAME });
                }
                Ok(())
            }
            ContactAction::Name { name: None, .. } | ContactAction::Block { .. } => Ok(()),
            ContactAction::DefineField {
                id,
                label,
                kind,
                options,
            } => {
                check_definition(label, *kind, options)?;
                let fields = store.contact_fields()?;
                if fields
                    .iter()
                    .any(|f| f.id != *id && same_name(&f.label, label))
                {
                    return invalid(Invalid::FieldExists {
                        label: label.trim().to_owned(),
                    });
                }
                if !fields.iter().any(|f| f.id == *id) && fields.len() >= MAX_FIELDS {
                    return invalid(Invalid::TooManyFields { max: MAX_FIELDS });
                }
                Ok(())
            }
            ContactAction::RemoveField { id } => {
                if store.contact_fields()?.iter().any(|f| f.id == *id) {
                    Ok(())
                } else {
                    invalid(Invalid::FieldGone)
                }
            }
            ContactAction::Value {
                field, value: None, ..
            } => field_of(store, field).map(|_| ()),
            ContactAction::Value {
                field,
                value: Some(value),
                ..
            } => check_value(&field_of(store, field)?, value),
            ContactAction::OptIn { source, .. } => {
                if source.trim().is_empty() || source.chars().count() > MAX_SOURCE {
                    return invalid(Invalid::ConsentSource { max: MAX_SOURCE });
                }
                Ok(())
            }
        }
    }

    /// The team event this action publishes (values and names trimmed).
    pub fn event(&self) -> AgentEvent {
        match self.clone() {
            ContactAction::Name { customer, name } => AgentEvent::ContactName {
                customer,
                name: name.map(|n| n.trim().to_owned()),
            },
            ContactAction::DefineField {
                id,
                label,
                kind,
                options,
            } => AgentEvent::ContactField {
                id,
                label: label.trim().to_owned(),
                kind,
                options: if kind == FieldKind::Choice {
                    options.iter().map(|o| o.trim().to_owned()).collect()
                } else {
                    Vec::new()
                },
            },
            ContactAction::RemoveField { id } => AgentEvent::ContactFieldRemoved { id },
            ContactAction::Value {
                customer,
                field,
                value,
            } => AgentEvent::ContactValue {
                customer,
                field,
                value: value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()),
            },
            ContactAction::OptIn { customer, source } => AgentEvent::MarketingOptIn {
                customer,
                source: source.trim().to_owned(),
            },
            ContactAction::Block {
                conversation,
                blocked,
            } => AgentEvent::Block {
                customer: conversation.customer,
                phone_number_id: conversation.phone_number_id,
                blocked,
            },
        }
    }
}

/// Puts an action, checked with [`ContactAction::check`], on the relay's
/// log under the idempotency key `key`; returns its log position.
pub async fn publish_at(
    action: &ContactAction,
    relay: &RelayClient,
    key: &str,
) -> Result<u64, TeamError> {
    let answer = relay
        .publish(key, action.event().to_payload())
        .await
        .map_err(TeamError::Publish)?;
    Ok(answer.seq)
}

fn same_name(a: &str, b: &str) -> bool {
    variable_name(a) == variable_name(b)
}

/// The template variable a field fills: its label in lower case, with
/// underscores for spaces and dashes (`Order number` → `order_number`).
pub fn variable_name(label: &str) -> String {
    label
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '-' {
                '_'
            } else {
                c
            }
        })
        .collect()
}

fn check_definition(label: &str, kind: FieldKind, options: &[String]) -> Result<()> {
    let n = label.trim().chars().count();
    if n == 0 || n > MAX_NAME {
        return invalid(Invalid::FieldNameLength { max: MAX_NAME });
    }
    if kind != FieldKind::Choice {
        return Ok(());
    }
    if options.is_empty() || options.len() > MAX_OPTIONS {
        return invalid(Invalid::OptionCount { max: MAX_OPTIONS });
    }
    for (i, o) in options.iter().enumerate() {
        let n = o.trim().chars().count();
        if n == 0 || n > MAX_NAME {
            return invalid(Invalid::OptionLength { max: MAX_NAME });
        }
        if options[..i].iter().any(|p| p.trim() == o.trim()) {
            return invalid(Invalid::OptionTwice {
                option: o.trim().to_owned(),
            });
        }
    }
    Ok(())
}

fn field_of(store: &Store, id: &str) -> Result<ContactField> {
    store
        .contact_fields()?
        .into_iter()
        .find(|f| f.id == id)
        .map_or_else(|| invalid(Invalid::FieldGone), Ok)
}

/// Whether `value` fits `field`; an empty value clears it and always fits.
pub fn check_value(field: &ContactField, value: &str) -> Result<()> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(());
    }
    let label = &field.label;
    match field.kind {
        ContactFieldKind::Text => {
            if v.chars().count() > MAX_VALUE {
                return invalid(Invalid::ValueTooLong {
                    label: label.clone(),
                    max: MAX_VALUE,
                });
            }
        }
        ContactFieldKind::Number => {
            if !v.parse::<f64>().is_ok_and(f64::is_finite) || v.chars().count() > 40 {
                return invalid(Invalid::NotANumber {
                    label: label.clone(),
                    value: v.to_owned(),
                });
            }
        }
        ContactFieldKind::Date => {
            if chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").is_err() {
                return invalid(Invalid::NotADate {
                    label: label.clone(),
                    value: v.to_owned(),
                });
            }
        }
        ContactFieldKind::Choice => {
            if !field.options.iter().any(|o| o == v) {
                return invalid(Invalid::NotAChoice {
                    label: label.clone(),
                    options: field.options.join(", "),
                });
            }
        }
    }
    Ok(())
}

/// A field's kind, as the UI names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ContactFieldKind {
    Text,
    Number,
    Date,
    Choice,
}

impl From<ContactFieldKind> for FieldKind {
    fn from(k: ContactFieldKind) -> FieldKind {
        match k {
            ContactFieldKind::Text => FieldKind::Text,
            ContactFieldKind::Number => FieldKind::Number,
            ContactFieldKind::Date => FieldKind::Date,
            ContactFieldKind::Choice => FieldKind::Choice,
        }
    }
}

impl ContactFieldKind {
    fn parse(s: &str) -> ContactFieldKind {
        match s {
            "number" => ContactFieldKind::Number,
            "date" => ContactFieldKind::Date,
            "choice" => ContactFieldKind::Choice,
            _ => ContactFieldKind::Text,
        }
    }
}

/// A custom field the team defined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ContactField {
    pub id: String,
    pub label: String,
    pub kind: ContactFieldKind,
    pub options: Vec<String>,
    /// The template variable it fills ([`variable_name`]).
    pub variable: String,
}

/// A field with this customer's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ContactFieldValue {
    pub field: ContactField,
    pub value: Option<String>,
    pub by_agent: Option<String>,
}

/// Where a consent change came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
#[ts(export)]
pub enum ConsentOrigin {
    /// Recorded by an agent, with where the customer agreed.
    Agent {
        agent: Option<String>,
        source: String,
    },
    /// Meta's `user_preferences` webhook (the customer stopped or resumed
    /// marketing messages in WhatsApp).
    UserPreferences,
    /// A send failed with 131050: the customer stopped marketing messages.
    Error131050,
}

/// One consent change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConsentChange {
    pub opted_in: bool,
    pub origin: ConsentOrigin,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub at_ms: i64,
}

/// The customer's marketing consent: the newest change first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Consent {
    /// `None`: never recorded.
    pub opted_in: Option<bool>,
    pub changes: Vec<ConsentChange>,
}

/// Whether the customer is blocked on this conversation's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BlockState {
    pub blocked: bool,
    pub by_agent: Option<String>,
    #[ts(type = "number")]
    pub at_ms: i64,
}

/// A span of activity in one of the customer's conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HistorySpan {
    pub conversation_id: ConversationId,
    pub phone_number_id: String,
    /// The span's first message, to open the conversation at.
    pub first_message: MessageId,
    /// Unix seconds.
    #[ts(type = "number")]
    pub started_at: i64,
    #[ts(type = "number")]
    pub ended_at: i64,
    pub messages: u32,
}

/// Everything the contact panel shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ContactPanel {
    pub key: ConversationKey,
    pub profile_name: Option<String>,
    /// The name the team gave, when any.
    pub team_name: Option<String>,
    /// The name the business gave them in the WhatsApp Business app's
    /// address book, when the number is used with the app too.
    pub address_book_name: Option<String>,
    pub phone: Option<String>,
    /// Meta's business-scoped user id, for customers with a username.
    pub user_id: Option<String>,
    /// The customer's WhatsApp username (without `@`), where Meta sends one.
    pub username: Option<String>,
    pub fields: Vec<ContactFieldValue>,
    pub consent: Consent,
    pub block: Option<BlockState>,
    /// Newest first; the span being read is included.
    pub history: Vec<HistorySpan>,
}

impl Store {
    /// The team's custom fields, in the order they were defined.
    pub fn contact_fields(&self) -> Result<Vec<ContactField>> {
        self.with_connection(fields)
    }

    /// The contact panel of a conversation's customer.
    pub fn contact_panel(&self, id: ConversationId) -> Result<ContactPanel> {
        let key = self.conversation_key(id)?;
        self.with_connection(|c| {
            let (contact_id, profile_name, phone, user_id, username): (
                i64,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
            ) = c
                .prepare_cached(
                    "SELECT ct.id, ct.name, ct.phone_e164, ct.user_id, ct.username
                     FROM conversations cv
                     JOIN contacts ct ON ct.id = cv.contact_id WHERE cv.id = ?1",
                )?
                .query_row([id.0], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
            let team_name = c
                .prepare_cached("SELECT name FROM contact_names WHERE customer = ?1")?
                .query_row([&key.customer], |r| r.get(0))
                .optional()?;
            let address_book_name = match &phone {
                Some(p) => c
                    .prepare_cached("SELECT name FROM business_app_contacts WHERE customer = ?1")?
                    .query_row([p], |r| r.get(0))
                    .optional()?,
                None => None,
            };
            let mut values = c.prepare_cached(
                "SELECT field_id, value, by_agent FROM contact_values WHERE customer = ?1",
            )?;
            let values: Vec<(String, String, Option<String>)> = values
                .query_map([&key.customer], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let fields = fields(c)?
                .into_iter()
                .map(|field| {
                    let v = values.iter().find(|v| v.0 == field.id);
                    ContactFieldValue {
                        value: v.map(|v| v.1.clone()),
                        by_agent: v.and_then(|v| v.2.clone()),
                        field,
                    }
                })
                .collect();
            let block = c
                .prepare_cached(
                    "SELECT blocked, by_agent, at_ms FROM contact_blocks
                     WHERE customer = ?1 AND phone_number_id = ?2",
                )?
                .query_row(params![key.customer, key.phone_number_id], |r| {
                    Ok(BlockState {
                        blocked: r.get(0)?,
                        by_agent: r.get(1)?,
                        at_ms: r.get(2)?,
                    })
                })
                .optional()?;
            Ok(ContactPanel {
                consent: consent(c, &key.customer, phone.as_deref(), contact_id)?,
                history: history(c, contact_id)?,
                key,
                profile_name,
                team_name,
                address_book_name,
                phone,
                user_id,
                username,
                fields,
                block,
            })
        })
    }
}

fn fields(c: &Connection) -> Result<Vec<ContactField>> {
    let mut stmt = c.prepare_cached(
        "SELECT id, label, kind, options FROM contact_fields ORDER BY first_seq, id",
    )?;
    let rows = stmt.query_map([], |r| {
        let label: String = r.get(1)?;
        let kind: String = r.get(2)?;
        let options: String = r.get(3)?;
        Ok(ContactField {
            id: r.get(0)?,
            variable: variable_name(&label),
            label,
            kind: ContactFieldKind::parse(&kind),
            options: serde_json::from_str(&options).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When (Unix ms) a send to contact `?1` last failed with 131050, the
/// customer having stopped marketing messages. Its literal error code lets
/// SQLite read the partial indexes of migration 0023, which hold only such
/// failures, instead of every message the customer has.
const NEWEST_REFUSAL: &str = "SELECT MAX(at) FROM (
     SELECT COALESCE(m.status_at, m.sent_at) * 1000 AS at FROM messages m
     JOIN conversations cv ON cv.id = m.conversation_id
     WHERE cv.contact_id = ?1 AND m.error_code = 131050
     UNION ALL
     SELECT o.created_at_ms FROM outbox o
     JOIN conversations cv ON cv.id = o.conversation_id
     WHERE cv.contact_id = ?1 AND o.error_code = 131050)";

fn consent(
    c: &Connection,
    customer: &str,
    phone: Option<&str>,
    contact_id: i64,
) -> Result<Consent> {
    let mut changes = Vec::new();
    if let Some((source, agent, at_ms)) = c
        .prepare_cached("SELECT source, by_agent, at_ms FROM contact_opt_ins WHERE customer = ?1")?
        .query_row([customer], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
    {
        changes.push(ConsentChange {
            opted_in: true,
            origin: ConsentOrigin::Agent { agent, source },
            at_ms,
        });
    }
    // Meta names the customer by number without `+`.
    let wa_id = phone.map(|p| p.trim_start_matches('+').to_owned());
    if let Some((value, at)) = c
        .prepare_cached(
            "SELECT value, at FROM user_preferences
             WHERE wa_id = ?1 AND category = 'marketing_messages'",
        )?
        .query_row([wa_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
        })
        .optional()?
        && (value == "stop" || value == "resume")
    {
        changes.push(ConsentChange {
            opted_in: value == "resume",
            origin: ConsentOrigin::UserPreferences,
            at_ms: at.unwrap_or(0).saturating_mul(1000),
        });
    }
    let failed: Option<i64> = c
        .prepare_cached(NEWEST_REFUSAL)?
        .query_row([contact_id], |r| r.get(0))?;
    if let Some(at_ms) = failed {
        changes.push(ConsentChange {
            opted_in: false,
            origin: ConsentOrigin::Error131050,
            at_ms,
        });
    }
    changes.sort_by_key(|c| std::cmp::Reverse(c.at_ms));
    Ok(Consent {
        opted_in: changes.first().map(|c| c.opted_in),
        changes,
    })
}

fn history(c: &Connection, contact_id: i64) -> Result<Vec<HistorySpan>> {
    let mut stmt = c.prepare_cached(
        "SELECT * FROM (
             SELECT m.conversation_id, cv.phone_number_id, m.id, m.sent_at FROM messages m
             JOIN conversations cv ON cv.id = m.conversation_id
             WHERE cv.contact_id = ?1
             ORDER BY m.sent_at DESC, m.id DESC LIMIT ?2)
         ORDER BY 1, 4, 3",
    )?;
    let rows = stmt.query_map(params![contact_id, HISTORY_MESSAGES], |r| {
        Ok((
            ConversationId(r.get(0)?),
            r.get::<_, String>(1)?,
            MessageId(r.get(2)?),
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut spans: Vec<HistorySpan> = Vec::new();
    for row in rows {
        let (conversation_id, phone_number_id, message, at) = row?;
        match spans.last_mut() {
            Some(s) if s.conversation_id == conversation_id && at - s.ended_at <= SPAN_GAP_SECS => {
                s.ended_at = at;
                s.messages += 1;
            }
            _ => spans.push(HistorySpan {
                conversation_id,
                phone_number_id,
                first_message: message,
                started_at: at,
                ended_at: at,
                messages: 1,
            }),
        }
    }
    spans.sort_by_key(|s| std::cmp::Reverse(s.ended_at));
    spans.truncate(HISTORY_ENTRIES);
    Ok(spans)
}

/// The action behind each contact-panel command, from what the window
/// sent: a blank name or value clears it, a conversation names its
/// customer.
impl ContactAction {
    /// Defines a field (`id` absent: a new one) or renames/changes one.
    pub fn save_field(
        id: Option<String>,
        label: String,
        kind: ContactFieldKind,
        options: Vec<String>,
    ) -> ContactAction {
        ContactAction::DefineField {
            id: id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            label,
            kind: kind.into(),
            options,
        }
    }

    /// The team's name for the conversation's customer; `None` or blank
    /// goes back to the WhatsApp profile name.
    pub fn rename(
        store: &Store,
        conversation: ConversationId,
        name: Option<String>,
    ) -> Result<Self> {
        Ok(ContactAction::Name {
            customer: store.conversation_key(conversation)?.customer,
            name: name.filter(|n| !n.trim().is_empty()),
        })
    }

    /// A custom field's value; `None` or blank clears it.
    pub fn set_value(
        store: &Store,
        conversation: ConversationId,
        field: String,
        value: Option<String>,
    ) -> Result<Self> {
        Ok(ContactAction::Value {
            customer: store.conversation_key(conversation)?.customer,
            field,
            value: value.filter(|v| !v.trim().is_empty()),
        })
    }

    /// The customer agreed to marketing messages, through `source`.
    pub fn opt_in(store: &Store, conversation: ConversationId, source: String) -> Result<Self> {
        Ok(ContactAction::OptIn {
            customer: store.conversation_key(conversation)?.customer,
            source,
        })
    }
}

/// Blocks or unblocks the customer of `conversation` through the Cloud API
/// (`graph`, absent without a session), then returns what the team is told:
/// only what Meta did is published.
pub async fn block(
    graph: Option<std::sync::Arc<crate::graph::GraphClient>>,
    conversation: ConversationKey,
    blocked: bool,
) -> Result<ContactAction> {
    use crate::problem::{ErrorCode, Problem};
    let graph = graph.ok_or_else(|| {
        Problem::new(
            ErrorCode::NotConnected,
            "Blocking needs a connection to the WhatsApp Cloud API. Connect a number or start the demo.",
        )
    })?;
    if graph.config().phone_number_id != conversation.phone_number_id {
        return Err(Problem::new(
            ErrorCode::OtherNumber,
            "This conversation is on another business number than the one connected here, so it cannot be blocked from this desktop.",
        )
        .into());
    }
    graph.block_user(&conversation.customer, blocked).await?;
    Ok(ContactAction::Block {
        conversation,
        blocked,
    })
}

#[cfg(test)]
mod command_tests {
    use super::*;
    use crate::graph::{GraphClient, GraphConfig};
    use crate::problem::ErrorCode;
    use crate::store::NewContact;

    fn conversation(store: &mut Store) -> ConversationId {
        store
            .write(|w| {
                let contact = w.upsert_contact(&NewContact {
                    phone: Some("+34600111222".into()),
                    user_id: None,
                    name: None,
                    username: None,
                })?;
                w.conversation_for(contact, "PN1")
            })
            .unwrap()
    }

    #[test]
    fn blank_names_and_values_clear_and_the_customer_comes_from_the_conversation() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        let id = conversation(&mut store);
        let customer = "+34600111222".to_owned();
        assert_eq!(
            ContactAction::rename(&store, id, Some("  ".into())).unwrap(),
            ContactAction::Name {
                customer: customer.clone(),
                name: None
            }
        );
        assert_eq!(
            ContactAction::rename(&store, id, Some("Ana".into())).unwrap(),
            ContactAction::Name {
                customer: customer.clone(),
                name: Some("Ana".into())
            }
        );
        assert_eq!(
            ContactAction::set_value(&store, id, "f1".into(), Some("".into())).unwrap(),
            ContactAction::Value {
                customer: customer.clone(),
                field: "f1".into(),
                value: None
            }
        );
        assert_eq!(
            ContactAction::opt_in(&store, id, "web form".into()).unwrap(),
            ContactAction::OptIn {
                customer,
                source: "web form".into()
            }
        );
        let missing = ContactAction::rename(&store, ConversationId(999), None).unwrap_err();
        assert_eq!(missing.code(), ErrorCode::NotFound);
        let ContactAction::DefineField { id, kind, .. } =
            ContactAction::save_field(None, "Plan".into(), ContactFieldKind::Number, vec![])
        else {
            panic!("a field definition");
        };
        assert!(!id.is_empty());
        assert_eq!(kind, FieldKind::Number);
    }

    #[test]
    fn the_newest_refusal_reads_only_the_failures_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let plan = store
            .with_connection(|c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {NEWEST_REFUSAL}"))?;
                let steps = stmt
                    .query_map([1], |r| r.get::<_, String>(3))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(steps.join("\n"))
            })
            .unwrap();
        for index in ["messages_marketing_refused", "outbox_marketing_refused"] {
            assert!(
                plan.contains(index),
                "the plan does not use {index}:\n{plan}"
            );
        }
    }

    #[tokio::test]
    async fn blocking_needs_the_conversations_own_number() {
        let key = ConversationKey {
            customer: "+34600111222".into(),
            phone_number_id: "PN1".into(),
        };
        let err = block(None, key.clone(), true).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotConnected);
        let config = GraphConfig::new("PN2", "W").with_base_url("http://127.0.0.1:9");
        let graph = GraphClient::new(config, crate::secrets::Secret::new("t")).unwrap();
        let err = block(Some(std::sync::Arc::new(graph)), key, true)
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::OtherNumber);
    }
}
