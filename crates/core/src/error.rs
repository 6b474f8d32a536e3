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
    /// Free text to a customer whose 24 h window is closed (or who never
    /// wrote): Meta would accept it and fail it later with 131047.
    #[error(
        "The customer has not written in the last 24 hours, so WhatsApp only delivers an \
         approved template. Pick a template to send instead."
    )]
    WindowClosed {
        /// When the window closed (Unix seconds); `None`: it never opened.
        closed_at: Option<i64>,
    },
    /// A template send Meta would refuse; `meta_code` is the code it would
    /// answer (132000 parameter count, 132001 missing, 132012 format, …).
    #[error("The template {name} ({language}) cannot be sent like this: {details}. {hint}")]
    TemplateInvalid {
        name: String,
        language: String,
        meta_code: i64,
        details: String,
        hint: &'static str,
    },
    #[error(
        "This customer asked not to receive marketing messages. Choose a utility template, \
         or wait until they write to you."
    )]
    OptedOut,
    #[error("This message cannot be sent: {reason}. Edit it and send again.")]
    TextInvalid { reason: String },
    /// A file the agent attached that WhatsApp would not take (its real
    /// type or its size), refused before anything is uploaded.
    #[error("This file cannot be sent: {0}")]
    AttachmentRefused(crate::outbox::AttachmentRefusal),
    /// The staged file of an attachment is gone (sent, or never staged).
    #[error("The attached file is no longer there. Attach it again.")]
    AttachmentMissing,
    #[error("The attached file could not be kept in the profile: {0}")]
    AttachmentIo(#[source] std::io::Error),
    #[error("This message cannot be retried: {reason}")]
    NotRetryable { reason: String },
    /// A report asked for with dates it cannot use.
    #[error("The report cannot cover these dates: {reason}")]
    ReportRange { reason: String },
    /// A Graph API call failed; its own code says why.
    #[error(transparent)]
    Graph(#[from] crate::graph::GraphError),
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
            Error::WindowClosed { .. } => "window_closed",
            Error::TemplateInvalid { .. } => "template_invalid",
            Error::OptedOut => "opted_out",
            Error::TextInvalid { .. } => "text_invalid",
            Error::AttachmentRefused(_) => "attachment_refused",
            Error::AttachmentMissing => "attachment_missing",
            Error::AttachmentIo(_) => "attachment_io",
            Error::NotRetryable { .. } => "not_retryable",
            Error::ReportRange { .. } => "report_range_invalid",
            Error::Graph(e) => e.code(),
        }
    }
}
