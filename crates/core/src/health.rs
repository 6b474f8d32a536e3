//! Account health: what Meta thinks of the business number and its
//! templates, for the health panel, its banner and the template picker.
//!
//! - The number's **quality rating** (`GREEN`, `YELLOW`, `RED`) and
//!   **messaging-limit tier** come from two places: the
//!   `phone_number_quality_update` webhook (applied from the relay's log, so
//!   every desktop agrees) and the Graph API's phone-number object, read on
//!   start and whenever a health webhook arrives ([`refresh`]). Meta's webhook
//!   carries no rating, only `FLAGGED` / `UNFLAGGED`: flagged is read as
//!   `RED` (Meta flags a number when its rating falls to low) until the next
//!   reading says otherwise.
//! - **Template statuses** are the synced catalogue's, unless a status
//!   webhook arrived after the last sync (the resync it triggers failed or
//!   has not finished): then the webhook's status wins. Meta's reason code,
//!   its words (`rejection_info`, `other_info`) and category changes are
//!   kept beside them.
//! - The **banner** lists the changes for the worse (a lower rating, a tier
//!   move, a template rejected, paused, disabled or re-categorised, an
//!   account violation) since the agent last dismissed it; dismissing is a
//!   local setting, each agent decides for themselves.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::graph::GraphClient;
use crate::store::PhoneReading;
use crate::store::SharedStore;
use crate::store::Store;
use crate::store::health::number_digits;

/// The setting holding the id of the last change the agent dismissed.
pub const DISMISSED_SETTING: &str = "health.dismissed_through";

/// How many past changes the panel lists.
const HISTORY: i64 = 50;

/// Everything the health panel and banner show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountHealth {
    /// The business numbers Meta reported on; the app's own number (read
    /// from the Graph API) first.
    pub numbers: Vec<PhoneHealth>,
    /// Every template, by name then language.
    pub templates: Vec<TemplateHealth>,
    /// The latest changes, newest first.
    pub changes: Vec<HealthChange>,
    /// Changes for the worse the agent has not dismissed, newest first.
    pub alerts: Vec<HealthChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhoneHealth {
    /// The number's digits.
    pub number: String,
    /// `GREEN`, `YELLOW`, `RED`, `UNKNOWN`; `None` while nothing is known.
    pub quality_rating: Option<String>,
    /// `TIER_250`, `TIER_2K`, `TIER_10K`, `TIER_100K`, `TIER_UNLIMITED`, …
    pub messaging_tier: Option<String>,
    /// Meta flagged the number for low quality.
    pub flagged: bool,
    /// When the Graph API was last read (local clock, Unix ms).
    #[ts(type = "number | null")]
    pub checked_at_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateHealth {
    pub name: String,
    pub language: String,
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, `DISABLED`, …
    pub status: String,
    /// `MARKETING`, `UTILITY`, `AUTHENTICATION`, when known.
    pub category: Option<String>,
    /// What Meta said with its last status change.
    pub why: StatusWhy,
    pub category_change: Option<CategoryChange>,
}

/// What Meta said with a template's last status change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusWhy {
    /// Meta's reason code (`INVALID_FORMAT`, `PROMOTIONAL`, …).
    pub reason: Option<String>,
    /// Meta's words: the rejection's explanation or the pause's description.
    pub detail: Option<String>,
    pub recommendation: Option<String>,
    /// `FIRST_PAUSE`, `SECOND_PAUSE`, …
    pub title: Option<String>,
    /// Meta time of the change (Unix seconds).
    #[ts(type = "number | null")]
    pub at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryChange {
    pub from: Option<String>,
    pub to: Option<String>,
    /// Announced: Meta will move it at `effective_at`.
    pub impending: bool,
    #[ts(type = "number | null")]
    pub effective_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HealthChange {
    #[ts(type = "number")]
    pub id: i64,
    /// `quality`, `tier`, `template_status`, `template_category`, `account`.
    pub kind: String,
    /// The template's name or the number.
    pub subject: Option<String>,
    pub language: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// Meta's reason code, quality event, violation type or ban state.
    pub reason: Option<String>,
    pub detail: Option<String>,
    #[ts(type = "number | null")]
    pub effective_at: Option<i64>,
    pub alert: bool,
    /// Unix seconds.
    #[ts(type = "number")]
    pub at: i64,
}

/// A template's status as it stands, with Meta's reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateState {
    pub status: String,
    pub why: StatusWhy,
}

/// The statuses template webhooks can set; other events (`FLAGGED`,
/// `LOCKED`, …) leave the status as it is.
fn status_of_event(event: &str) -> Option<&str> {
    match event {
        "APPROVED" | "PENDING" | "REJECTED" | "PAUSED" | "DISABLED" | "PENDING_DELETION"
        | "DELETED" | "IN_APPEAL" | "LIMIT_EXCEEDED" | "ARCHIVED" => Some(event),
        "REINSTATED" | "UNPAUSED" => Some("APPROVED"),
        _ => None,
    }
}

/// `en-US` and `en_US` are one language: webhooks write the first, the
/// template listing the second.
pub(crate) fn language_key(language: &str) -> String {
    language.replace('-', "_")
}

/// Each template's state by (name, language key): the catalogue's status,
/// overridden by a status webhook newer than the catalogue's sync.
pub(crate) fn template_states(
    conn: &Connection,
) -> Result<HashMap<(String, String), TemplateState>> {
    let mut out = HashMap::new();
    let mut listed =
        conn.prepare_cached("SELECT name, language, status, synced_at_ms FROM templates")?;
    let mut synced: HashMap<(String, String), i64> = HashMap::new();
    for row in listed.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (name, language, status, at_ms) = row?;
        let key = (name, language_key(&language));
        synced.insert(key.clone(), at_ms);
        out.insert(
            key,
            TemplateState {
                status,
                why: StatusWhy::default(),
            },
        );
    }
    let mut hooks = conn.prepare_cached(
        "SELECT name, language, event, reason, detail, recommendation, title, at
         FROM template_status WHERE name IS NOT NULL",
    )?;
    for row in hooks.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            StatusWhy {
                reason: r.get(3)?,
                detail: r.get(4)?,
                recommendation: r.get(5)?,
                title: r.get(6)?,
                at: r.get(7)?,
            },
        ))
    })? {
        let (name, language, event, why) = row?;
        let key = (name, language_key(language.as_deref().unwrap_or("")));
        let newer = match (synced.get(&key), why.at) {
            (Some(synced_ms), Some(at)) => at.saturating_mul(1000) > *synced_ms,
            (Some(_), None) => false,
            (None, _) => true,
        };
        let state = out.entry(key).or_insert_with(|| TemplateState {
            status: "UNKNOWN".to_owned(),
            why: StatusWhy::default(),
        });
        if newer && let Some(status) = status_of_event(&event) {
            status.clone_into(&mut state.status);
        }
        state.why = why;
    }
    Ok(out)
}

/// Everything the panel shows, as stored.
pub fn read(store: &Store) -> Result<AccountHealth> {
    let dismissed = store.setting::<i64>(DISMISSED_SETTING)?.unwrap_or(0);
    store.with_connection(|conn| {
        Ok(AccountHealth {
            numbers: numbers(conn)?,
            templates: templates(conn)?,
            changes: changes(conn, "1 = 1", 0, HISTORY)?,
            alerts: changes(conn, "alert = 1", dismissed, HISTORY)?,
        })
    })
}

/// Hides the banner's changes up to `through` (a [`HealthChange::id`]);
/// later ones raise it again.
pub fn dismiss(store: &mut Store, through: i64) -> Result<()> {
    let current = store.setting::<i64>(DISMISSED_SETTING)?.unwrap_or(0);
    store.set_setting(DISMISSED_SETTING, &current.max(through))
}

/// Reads the number from the Graph API and records what changed. Returns
/// whether anything did.
pub async fn refresh(store: &SharedStore, graph: &GraphClient, now_ms: i64) -> Result<bool> {
    let info = graph.phone_number_health().await?;
    let number = number_digits(info.display_phone_number.as_deref().unwrap_or(&info.id));
    let reading = PhoneReading {
        number,
        quality_rating: info.quality_rating.clone().filter(|q| !q.is_empty()),
        messaging_tier: info.messaging_tier().map(str::to_owned),
        at: now_ms.div_euclid(1000),
        checked_at_ms: now_ms,
    };
    let mut guard = store.lock().unwrap_or_else(|e| e.into_inner());
    guard.write(|w| w.record_phone_reading(&reading))
}

fn numbers(conn: &Connection) -> Result<Vec<PhoneHealth>> {
    let mut stmt = conn.prepare_cached(
        "SELECT number_digits, quality_rating, messaging_tier, flagged, checked_at_ms
         FROM phone_health ORDER BY checked_at_ms IS NULL, checked_at_ms DESC, number_digits",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PhoneHealth {
            number: r.get(0)?,
            quality_rating: r.get(1)?,
            messaging_tier: r.get(2)?,
            flagged: r.get(3)?,
            checked_at_ms: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn templates(conn: &Connection) -> Result<Vec<TemplateHealth>> {
    let states = template_states(conn)?;
    // The catalogue's spelling of name and language, and its category.
    let mut names: HashMap<(String, String), (String, Option<String>)> = HashMap::new();
    let mut listed = conn.prepare_cached("SELECT name, language, category FROM templates")?;
    for row in listed.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })? {
        let (name, language, category) = row?;
        names.insert((name, language_key(&language)), (language, category));
    }
    let mut hooks = conn.prepare_cached(
        "SELECT name, language, category FROM template_status WHERE name IS NOT NULL",
    )?;
    for row in hooks.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            r.get::<_, Option<String>>(2)?,
        ))
    })? {
        let (name, language, category) = row?;
        names
            .entry((name, language_key(&language)))
            .or_insert((language, category));
    }
    let mut out: Vec<TemplateHealth> = states
        .into_iter()
        .map(|((name, key), state)| {
            let (language, category) = names
                .get(&(name.clone(), key.clone()))
                .cloned()
                .unwrap_or((key, None));
            TemplateHealth {
                category_change: category_change(conn, &name, &language).ok().flatten(),
                name,
                language,
                status: state.status,
                category,
                why: state.why,
            }
        })
        .collect();
    out.sort_by(|a, b| (&a.name, &a.language).cmp(&(&b.name, &b.language)));
    Ok(out)
}

fn category_change(
    conn: &Connection,
    name: &str,
    language: &str,
) -> Result<Option<CategoryChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT from_category, to_category, impending, effective_at FROM template_category
         WHERE name = ?1 AND REPLACE(COALESCE(language, ''), '-', '_') = ?2
         ORDER BY seq DESC LIMIT 1",
    )?;
    Ok(stmt
        .query_row(params![name, language_key(language)], |r| {
            Ok(CategoryChange {
                from: r.get(0)?,
                to: r.get(1)?,
                impending: r.get(2)?,
                effective_at: r.get(3)?,
            })
        })
        .optional()?)
}

fn changes(conn: &Connection, filter: &str, after: i64, limit: i64) -> Result<Vec<HealthChange>> {
    let sql = format!(
        "SELECT id, kind, subject, language, old_value, new_value, reason, detail, effective_at,
                alert, at
         FROM health_changes WHERE {filter} AND id > ?1 ORDER BY id DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![after, limit], |r| {
        Ok(HealthChange {
            id: r.get(0)?,
            kind: r.get(1)?,
            subject: r.get(2)?,
            language: r.get(3)?,
            old_value: r.get(4)?,
            new_value: r.get(5)?,
            reason: r.get(6)?,
            detail: r.get(7)?,
            effective_at: r.get(8)?,
            alert: r.get(9)?,
            at: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
