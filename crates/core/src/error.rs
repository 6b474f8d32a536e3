//! Errors of the desktop core. Each has a stable [`Error::code`] the UI can act
//! on, and a message that tells the agent what to do next.

use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "The database at {path} was written by a newer version of Hourglass \
         (schema {found}; this version knows up to {supported}). Update Hourglass to open it."
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "Migration {version} ({name}) differs from the one applied to the database at {path}; \
         this build of Hourglass is inconsistent with the data. Reinstall Hourglass."
    )]
    MigrationChanged {
        path: PathBuf,
        version: i64,
        name: &'static str,
    },
    #[error("Could not open the database at {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("The local database failed: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("Could not find {what}")]
    NotFound { what: String },
    #[error("{input:?} is not a phone number: {reason}")]
    InvalidPhone { input: String, reason: String },
    #[error("A contact needs a phone number or a WhatsApp user id")]
    ContactWithoutIdentity,
}

impl Error {
    /// A stable identifier the UI may match on; never changes for a variant.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NewerSchema { .. } => "newer_schema",
            Error::MigrationChanged { .. } => "migration_changed",
            Error::Open { .. } => "database_open",
            Error::Database(_) => "database",
            Error::NotFound { .. } => "not_found",
            Error::InvalidPhone { .. } => "invalid_phone",
            Error::ContactWithoutIdentity => "contact_without_identity",
        }
    }
}
