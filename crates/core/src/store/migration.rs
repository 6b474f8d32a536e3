//! Forward-only schema migrations, embedded in the binary.
//!
//! Each applied migration is recorded with a checksum of its SQL. Opening a
//! database refuses to go on when the database knows a migration this build
//! does not (it was written by a newer Hourglass), or when an applied
//! migration's SQL has changed since (the schema would silently diverge).
//! All pending migrations run in one transaction: a crash leaves the database
//! at the old version, never halfway.

use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};
use sha2::{Digest, Sha256};
use std::path::Path;

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The schema, in order. Append only; never edit an entry once released.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "initial",
        sql: include_str!("../../migrations/0001_initial.sql"),
    },
    Migration {
        version: 2,
        name: "sync",
        sql: include_str!("../../migrations/0002_sync.sql"),
    },
    Migration {
        version: 3,
        name: "outbox",
        sql: include_str!("../../migrations/0003_outbox.sql"),
    },
    Migration {
        version: 4,
        name: "leads",
        sql: include_str!("../../migrations/0004_leads.sql"),
    },
    Migration {
        version: 5,
        name: "team",
        sql: include_str!("../../migrations/0005_team.sql"),
    },
    Migration {
        version: 6,
        name: "search",
        sql: include_str!("../../migrations/0006_search.sql"),
    },
    Migration {
        version: 7,
        name: "sent_by",
        sql: include_str!("../../migrations/0007_sent_by.sql"),
    },
    Migration {
        version: 8,
        name: "history_gaps",
        sql: include_str!("../../migrations/0008_history_gaps.sql"),
    },
    Migration {
        version: 9,
        name: "window_reminders",
        sql: include_str!("../../migrations/0009_window_reminders.sql"),
    },
    Migration {
        version: 10,
        name: "typed_team_events",
        sql: include_str!("../../migrations/0010_typed_team_events.sql"),
    },
    Migration {
        version: 11,
        name: "reports",
        sql: include_str!("../../migrations/0011_reports.sql"),
    },
    Migration {
        version: 12,
        name: "conversation_status",
        sql: include_str!("../../migrations/0012_conversation_status.sql"),
    },
    Migration {
        version: 13,
        name: "contacts",
        sql: include_str!("../../migrations/0013_contacts.sql"),
    },
    Migration {
        version: 14,
        name: "outbox_media",
        sql: include_str!("../../migrations/0014_outbox_media.sql"),
    },
    Migration {
        version: 15,
        name: "calls_pricing",
        sql: include_str!("../../migrations/0015_calls_pricing.sql"),
    },
    Migration {
        version: 16,
        name: "user_id_changes",
        sql: include_str!("../../migrations/0016_user_id_changes.sql"),
    },
    Migration {
        version: 17,
        name: "account_health",
        sql: include_str!("../../migrations/0017_account_health.sql"),
    },
    Migration {
        version: 19,
        name: "business_app_contacts",
        sql: include_str!("../../migrations/0019_business_app_contacts.sql"),
    },
    Migration {
        version: 20,
        name: "handovers",
        sql: include_str!("../../migrations/0020_handovers.sql"),
    },
    Migration {
        version: 21,
        name: "report_figures",
        sql: include_str!("../../migrations/0021_report_figures.sql"),
    },
    Migration {
        version: 22,
        name: "report_sends",
        sql: include_str!("../../migrations/0022_report_sends.sql"),
    },
    Migration {
        version: 23,
        name: "marketing_refusals",
        sql: include_str!("../../migrations/0023_marketing_refusals.sql"),
    },
];

/// Every schema version this build knows, in order (numbers may skip).
pub fn known_versions() -> Vec<i64> {
    MIGRATIONS.iter().map(|m| m.version).collect()
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Brings the database up to [`latest_version`], or explains why it cannot.
/// Returns the number of migrations applied (0 when already current).
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<usize> {
    migrate_with(conn, path, MIGRATIONS)
}

pub(crate) fn migrate_with(
    conn: &mut Connection,
    path: &Path,
    migrations: &[Migration],
) -> Result<usize> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             checksum   TEXT NOT NULL,
             applied_at INTEGER NOT NULL
         );",
    )?;
    let supported = migrations.last().map_or(0, |m| m.version);
    let found: i64 = tx
        .query_row("SELECT MAX(version) FROM schema_migrations", [], |r| {
            r.get::<_, Option<i64>>(0)
        })?
        .unwrap_or(0);
    if found > supported {
        return Err(Error::NewerSchema {
            path: path.to_owned(),
            found,
            supported,
        });
    }
    let mut applied = 0;
    for m in migrations {
        let recorded: Option<String> = tx
            .query_row(
                "SELECT checksum FROM schema_migrations WHERE version = ?1",
                [m.version],
                |r| r.get(0),
            )
            .optional()?;
        match recorded {
            Some(sum) if sum == checksum(m.sql) => {}
            Some(_) => {
                return Err(Error::MigrationChanged {
                    path: path.to_owned(),
                    version: m.version,
                    name: m.name,
                });
            }
            None => {
                tx.execute_batch(m.sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum, applied_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![
                        m.version,
                        m.name,
                        checksum(m.sql),
                        chrono::Utc::now().timestamp_millis()
                    ],
                )?;
                applied += 1;
            }
        }
    }
    tx.pragma_update(None, "user_version", supported)?;
    tx.commit()?;
    Ok(applied)
}
