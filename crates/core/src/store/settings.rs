//! Small app settings kept in the store (`settings`, migration 0004).
//!
//! Decisions taken here:
//! - Settings live in the database rather than in a config file or in
//!   [`crate::sync::SyncConfig`]: the window and the sync engine hold two
//!   connections to the same file, so a value the agent changes in the
//!   window reaches the engine's next batch without restarting it.
//! - Values are JSON under stable keys, read and written through typed
//!   helpers; a value this build cannot read is an error for the generic
//!   helper, and falls back to the default for the settings named here
//!   (a newer Hourglass may have written it).
//! - The partner-code pattern is stored only as a compiled-and-checked
//!   [`LeadCodePattern`], so the setting can never hold an unusable one.

use super::{Store, Writer, now_ms};
use crate::cost::RateTable;
use crate::error::Result;
use crate::lead::LeadCodePattern;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The key of the partner-code pattern ([`Store::lead_code_pattern`]).
pub const LEAD_CODE_PATTERN: &str = "lead_code_pattern";
/// The key of the cost rate table ([`Store::rate_table`]).
pub const RATE_TABLE: &str = "rate_table";

fn read<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let raw: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    raw.map(|v| {
        serde_json::from_str(&v).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
                .into()
        })
    })
    .transpose()
}

fn lead_pattern(conn: &Connection) -> Result<LeadCodePattern> {
    let stored = match read::<String>(conn, LEAD_CODE_PATTERN) {
        Ok(s) => s,
        Err(crate::Error::Database(rusqlite::Error::FromSqlConversionFailure(..))) => None,
        Err(e) => return Err(e),
    };
    let Some(stored) = stored else {
        return Ok(LeadCodePattern::default());
    };
    Ok(LeadCodePattern::new(&stored).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "the stored partner-code pattern is unusable; using the default");
        LeadCodePattern::default()
    }))
}

impl Store {
    /// The setting stored under `key`, if any.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        read(&self.conn, key)
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn set_setting<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<()> {
        self.write(|w| w.set_setting(key, value))
    }

    /// Forgets `key`: its default applies again.
    pub fn remove_setting(&mut self, key: &str) -> Result<()> {
        self.write(|w| w.remove_setting(key))
    }

    /// The pattern that finds a partner code in a lead's first message:
    /// the one the agent set, else [`LeadCodePattern::default`].
    pub fn lead_code_pattern(&self) -> Result<LeadCodePattern> {
        lead_pattern(&self.conn)
    }

    /// Sets the partner-code pattern (compile it with
    /// [`LeadCodePattern::new`], which explains what is wrong with a bad
    /// one); `None` goes back to the default. Applies to leads synced from
    /// now on; leads already attributed keep their source.
    pub fn set_lead_code_pattern(&mut self, pattern: Option<&LeadCodePattern>) -> Result<()> {
        match pattern {
            Some(p) => self.set_setting(LEAD_CODE_PATTERN, p.as_str()),
            None => self.remove_setting(LEAD_CODE_PATTERN),
        }
    }
}

impl Store {
    /// The rates cost estimates use: the agent's table, else
    /// [`RateTable::default`]. A stored table this build cannot read or use
    /// falls back to the default, with a warning.
    pub fn rate_table(&self) -> Result<RateTable> {
        let stored = match read::<RateTable>(&self.conn, RATE_TABLE) {
            Ok(t) => t,
            Err(crate::Error::Database(rusqlite::Error::FromSqlConversionFailure(..))) => None,
            Err(e) => return Err(e),
        };
        Ok(match stored {
            Some(table) if table.check().is_ok() => table,
            Some(_) => {
                tracing::warn!("the stored rate table is unusable; using the default");
                RateTable::default()
            }
            None => RateTable::default(),
        })
    }

    /// Sets the rate table after [`RateTable::check`]; `None` goes back to
    /// the default. The error is the check's explanation.
    pub fn set_rate_table(&mut self, table: Option<&RateTable>) -> Result<(), String> {
        let saved = match table {
            Some(t) => {
                t.check()?;
                self.set_setting(RATE_TABLE, t)
            }
            None => self.remove_setting(RATE_TABLE),
        };
        saved.map_err(|e| e.to_string())
    }
}

impl Writer<'_> {
    /// [`Store::setting`] inside the transaction.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        read(self.tx, key)
    }

    pub fn set_setting<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<()> {
        let json = serde_json::to_string(value)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        self.tx
            .prepare_cached(
                "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                                                 updated_at = excluded.updated_at",
            )?
            .execute(params![key, json, now_ms()])?;
        Ok(())
    }

    pub fn remove_setting(&self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM settings WHERE key = ?1")?
            .execute([key])?;
        Ok(())
    }

    /// [`Store::lead_code_pattern`] inside the transaction, as the sync
    /// engine reads it while filing a lead.
    pub fn lead_code_pattern(&self) -> Result<LeadCodePattern> {
        lead_pattern(self.tx)
    }
}
