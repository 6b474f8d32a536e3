//! The account-health tables (migration 0017): the number's quality rating
//! and messaging-limit tier, template category changes, and the log of
//! changes the window raises its banner for.
//!
//! Every write is idempotent: relay events are keyed by their `seq` and
//! compared by Meta time, so replaying the log (or a second desktop applying
//! it from the start) leaves the same rows. Readings of the Graph API carry
//! the local time instead and never undo a newer webhook.

use rusqlite::params;

use super::Writer;
use crate::error::Result;

/// A `phone_number_quality_update` webhook, ready to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneQualityRecord {
    /// The number's digits (`15550783881`).
    pub number: String,
    /// `FLAGGED`, `UNFLAGGED`, `DOWNGRADE`, `UPGRADE`, …
    pub event: String,
    /// The messaging limit now in force (`TIER_2K`, …), when given.
    pub limit: Option<String>,
    pub old_limit: Option<String>,
    /// Meta time (Unix seconds).
    pub at: i64,
    pub seq: u64,
}

/// An `account_update` webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    /// `ACCOUNT_VIOLATION`, `DISABLED_UPDATE`, …
    pub event: String,
    /// The violation type or ban state.
    pub detail: Option<String>,
    pub at: i64,
    pub seq: u64,
}

/// A `template_category_update` webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateCategoryRecord {
    pub template_id: Option<String>,
    pub name: Option<String>,
    pub language: Option<String>,
    pub from_category: Option<String>,
    pub to_category: Option<String>,
    /// Announced for `effective_at`, not done yet.
    pub impending: bool,
    pub effective_at: Option<i64>,
    pub at: i64,
    pub seq: u64,
}

/// The number as the Graph API describes it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneReading {
    pub number: String,
    pub quality_rating: Option<String>,
    pub messaging_tier: Option<String>,
    /// The local clock, Unix seconds.
    pub at: i64,
    pub checked_at_ms: i64,
}

/// One row of `health_changes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthChangeRecord {
    /// The relay event; `None` for a Graph reading.
    pub seq: Option<u64>,
    /// `quality`, `tier`, `template_status`, `template_category`, `account`.
    pub kind: &'static str,
    pub subject: Option<String>,
    pub language: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    pub reason: Option<String>,
    pub detail: Option<String>,
    /// When an announced change takes effect (Unix seconds).
    pub effective_at: Option<i64>,
    /// A change for the worse: the window raises its banner.
    pub alert: bool,
    pub at: i64,
}

/// Template events that take a template away from the agents (or are about
/// to): the banner tells them.
pub(crate) fn template_event_alerts(event: &str) -> bool {
    matches!(
        event,
        "REJECTED" | "PAUSED" | "DISABLED" | "FLAGGED" | "PENDING_DELETION" | "DELETED"
    )
}

/// Account events that threaten sending: a violation, a ban (not a
/// reinstatement), deletion.
fn account_event_alerts(event: &str, detail: Option<&str>) -> bool {
    match event {
        "ACCOUNT_VIOLATION" | "ACCOUNT_DELETED" | "ACCOUNT_RESTRICTION" => true,
        "DISABLED_UPDATE" => detail != Some("REINSTATE"),
        _ => false,
    }
}

/// Meta's ratings from best to worst; `None` for `UNKNOWN` and the rest.
pub(crate) fn quality_rank(rating: Option<&str>) -> Option<u8> {
    match rating? {
        "GREEN" => Some(3),
        "YELLOW" => Some(2),
        "RED" => Some(1),
        _ => None,
    }
}

/// The digits of a number as Meta writes it anywhere (`+1 555-078-3881`).
pub fn number_digits(number: &str) -> String {
    number.chars().filter(char::is_ascii_digit).collect()
}

fn seq_i64(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

struct PhoneRow {
    quality: Option<String>,
    quality_at: Option<i64>,
    tier: Option<String>,
    tier_at: Option<i64>,
    flagged: bool,
}

impl Writer<'_> {
    pub(crate) fn record_health_change(&self, c: &HealthChangeRecord) -> Result<bool> {
        let n = self
            .prepared(
                "INSERT OR IGNORE INTO health_changes (seq, kind, subject, language, old_value,
                     new_value, reason, detail, alert, at, effective_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                c.seq.map(seq_i64),
                c.kind,
                c.subject,
                c.language,
                c.old_value,
                c.new_value,
                c.reason,
                c.detail,
                c.alert,
                c.at,
                c.effective_at
            ])?;
        Ok(n > 0)
    }

    fn phone_row(&self, number: &str) -> Result<PhoneRow> {
        self.prepared("INSERT OR IGNORE INTO phone_health (number_digits) VALUES (?1)")?
            .execute([number])?;
        Ok(self
            .prepared(
                "SELECT quality_rating, quality_at, messaging_tier, tier_at, flagged
                 FROM phone_health WHERE number_digits = ?1",
            )?
            .query_row([number], |r| {
                Ok(PhoneRow {
                    quality: r.get(0)?,
                    quality_at: r.get(1)?,
                    tier: r.get(2)?,
                    tier_at: r.get(3)?,
                    flagged: r.get(4)?,
                })
            })?)
    }

    fn set_tier(&self, number: &str, tier: &str, at: i64) -> Result<()> {
        self.prepared(
            "UPDATE phone_health SET messaging_tier = ?2, tier_at = ?3 WHERE number_digits = ?1",
        )?
        .execute(params![number, tier, at])?;
        Ok(())
    }

    fn set_quality(
        &self,
        number: &str,
        quality: Option<&str>,
        flagged: bool,
        at: i64,
    ) -> Result<()> {
        self.prepared(
            "UPDATE phone_health SET quality_rating = ?2, flagged = ?3, quality_at = ?4
             WHERE number_digits = ?1",
        )?
        .execute(params![number, quality, flagged, at])?;
        Ok(())
    }

    /// Applies a quality webhook. `FLAGGED` means Meta rated the number's
    /// quality low (`RED`) and put it at risk of a lower limit; `UNFLAGGED`
    /// lifts the flag and leaves the rating to the next Graph reading. A
    /// limit moves the tier. Returns whether anything changed.
    pub fn record_phone_quality(&self, r: &PhoneQualityRecord) -> Result<bool> {
        let row = self.phone_row(&r.number)?;
        let mut changed = false;
        if let Some(limit) = r.limit.as_deref()
            && row.tier_at.is_none_or(|t| r.at >= t)
        {
            let old = row.tier.clone().or_else(|| r.old_limit.clone());
            self.set_tier(&r.number, limit, r.at)?;
            if old.as_deref() != Some(limit) {
                let announced = matches!(r.event.as_str(), "UPGRADE" | "DOWNGRADE");
                changed |= self.record_health_change(&HealthChangeRecord {
                    seq: Some(r.seq),
                    kind: "tier",
                    subject: Some(r.number.clone()),
                    language: None,
                    alert: old.is_some() || announced,
                    old_value: old,
                    new_value: Some(limit.to_owned()),
                    reason: Some(r.event.clone()),
                    detail: None,
                    effective_at: None,
                    at: r.at,
                })?;
            }
        }
        self.prepared("UPDATE phone_health SET last_event = ?2 WHERE number_digits = ?1")?
            .execute(params![r.number, r.event])?;
        let flag = match r.event.as_str() {
            "FLAGGED" => Some(true),
            "UNFLAGGED" => Some(false),
            _ => None,
        };
        if let Some(flagged) = flag
            && row.quality_at.is_none_or(|t| r.at >= t)
        {
            let quality = if flagged {
                Some("RED")
            } else {
                row.quality.as_deref()
            };
            self.set_quality(&r.number, quality, flagged, r.at)?;
            if flagged != row.flagged || (flagged && row.quality.as_deref() != Some("RED")) {
                changed |= self.record_health_change(&HealthChangeRecord {
                    seq: Some(r.seq),
                    kind: "quality",
                    subject: Some(r.number.clone()),
                    language: None,
                    old_value: row.quality.clone(),
                    new_value: quality.map(str::to_owned),
                    reason: Some(r.event.clone()),
                    detail: None,
                    effective_at: None,
                    alert: flagged,
                    at: r.at,
                })?;
            }
        }
        Ok(changed)
    }

    /// Applies what the Graph API says of the number now. A rating or tier
    /// that differs from the stored one is a change (the banner rises for a
    /// lower rating and for any tier move); the first reading is not.
    pub fn record_phone_reading(&self, r: &PhoneReading) -> Result<bool> {
        let row = self.phone_row(&r.number)?;
        let mut changed = false;
        if let Some(q) = r.quality_rating.as_deref()
            && row.quality_at.is_none_or(|t| r.at >= t)
        {
            self.set_quality(&r.number, Some(q), row.flagged && q == "RED", r.at)?;
            if let Some(old) = row.quality.as_deref()
                && old != q
            {
                let worse = matches!(
                    (quality_rank(Some(old)), quality_rank(Some(q))),
                    (Some(a), Some(b)) if b < a
                );
                changed |= self.record_health_change(&HealthChangeRecord {
                    seq: None,
                    kind: "quality",
                    subject: Some(r.number.clone()),
                    language: None,
                    old_value: Some(old.to_owned()),
                    new_value: Some(q.to_owned()),
                    reason: None,
                    detail: None,
                    effective_at: None,
                    alert: worse,
                    at: r.at,
                })?;
            }
        }
        if let Some(t) = r.messaging_tier.as_deref()
            && row.tier_at.is_none_or(|at| r.at >= at)
        {
            self.set_tier(&r.number, t, r.at)?;
            if let Some(old) = row.tier.as_deref()
                && old != t
            {
                changed |= self.record_health_change(&HealthChangeRecord {
                    seq: None,
                    kind: "tier",
                    subject: Some(r.number.clone()),
                    language: None,
                    old_value: Some(old.to_owned()),
                    new_value: Some(t.to_owned()),
                    reason: None,
                    detail: None,
                    effective_at: None,
                    alert: true,
                    at: r.at,
                })?;
            }
        }
        self.prepared("UPDATE phone_health SET checked_at_ms = ?2 WHERE number_digits = ?1")?
            .execute(params![r.number, r.checked_at_ms])?;
        Ok(changed)
    }

    /// Logs an account event; returns whether it was new.
    pub fn record_account_update(&self, r: &AccountRecord) -> Result<bool> {
        self.record_health_change(&HealthChangeRecord {
            seq: Some(r.seq),
            kind: "account",
            subject: None,
            language: None,
            old_value: None,
            new_value: Some(r.event.clone()),
            reason: r.detail.clone(),
            detail: None,
            effective_at: None,
            alert: account_event_alerts(&r.event, r.detail.as_deref()),
            at: r.at,
        })
    }

    /// Keeps the newest category change per template and logs it.
    pub fn record_template_category(&self, r: &TemplateCategoryRecord) -> Result<bool> {
        let key = r
            .template_id
            .clone()
            .or_else(|| {
                r.name
                    .as_ref()
                    .map(|n| format!("{n}:{}", r.language.as_deref().unwrap_or("")))
            })
            .unwrap_or_else(|| format!("seq:{}", r.seq));
        let stored = self
            .prepared(
                "INSERT INTO template_category (template_key, template_id, name, language,
                     from_category, to_category, impending, effective_at, at, seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (template_key) DO UPDATE SET
                     name = COALESCE(excluded.name, name),
                     language = COALESCE(excluded.language, language),
                     from_category = excluded.from_category, to_category = excluded.to_category,
                     impending = excluded.impending, effective_at = excluded.effective_at,
                     at = excluded.at, seq = excluded.seq
                 WHERE excluded.seq > template_category.seq",
            )?
            .execute(params![
                key,
                r.template_id,
                r.name,
                r.language,
                r.from_category,
                r.to_category,
                r.impending,
                r.effective_at,
                r.at,
                seq_i64(r.seq)
            ])?;
        if stored == 0 {
            return Ok(false);
        }
        self.record_health_change(&HealthChangeRecord {
            seq: Some(r.seq),
            kind: "template_category",
            subject: r.name.clone(),
            language: r.language.clone(),
            old_value: r.from_category.clone(),
            new_value: r.to_category.clone(),
            reason: Some(if r.impending { "IMPENDING" } else { "DONE" }.to_owned()),
            detail: None,
            effective_at: r.effective_at,
            alert: true,
            at: r.at,
        })
    }
}
