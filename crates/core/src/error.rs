//! Errors of the desktop core. Each has a stable [`Error::code`] the UI can act
//! on, and a message that tells the agent what to do next.

use crate::problem::{ErrorCode, Params, params};
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
    TextInvalid { reason: crate::invalid::Invalid },
    /// A file the agent attached that WhatsApp would not take (its real
    /// type or its size), refused before anything is uploaded.
    #[error("This file cannot be sent: {0}")]
    AttachmentRefused(crate::inbox::AttachmentRefusal),
    /// The staged file of an attachment is gone (sent, or never staged).
    #[error("The attached file is no longer there. Attach it again.")]
    AttachmentMissing,
    #[error("The attached file could not be kept in the profile: {0}")]
    AttachmentIo(#[source] std::io::Error),
    #[error("This message cannot be retried: {reason}")]
    NotRetryable { reason: String },
    /// A send to a customer the business blocked on this number.
    #[error("This customer is blocked, so WhatsApp delivers nothing to them. Unblock them first.")]
    CustomerBlocked,
    #[error("A snooze ends in the future: choose a later time.")]
    SnoozeInPast,
    #[error("A snooze lasts at most a year.")]
    SnoozeTooLong,
    /// A contact's name, field or value the team cannot use.
    #[error("{reason}")]
    ContactInvalid { reason: crate::invalid::Invalid },
    /// A report asked for with dates it cannot use.
    #[error("The report cannot cover these dates: {reason}")]
    ReportRange { reason: crate::invalid::Invalid },
    /// A Graph API call failed; its own code says why.
    #[error(transparent)]
    Graph(#[from] crate::graph::GraphError),
    /// A problem a desktop workflow words itself (nothing connected, a file
    /// gone from the cache, the system refusing a save, …).
    #[error(transparent)]
    Problem(#[from] crate::problem::Problem),
}

impl Error {
    /// A stable identifier the UI words; never changes for a variant.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::NewerSchema { .. } => ErrorCode::NewerSchema,
            Error::MigrationChanged { .. } => ErrorCode::MigrationChanged,
            Error::Open { .. } => ErrorCode::DatabaseOpen,
            Error::Database(_) => ErrorCode::Database,
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::InvalidPhone { .. } => ErrorCode::InvalidPhone,
            Error::ContactWithoutIdentity => ErrorCode::ContactWithoutIdentity,
            Error::WindowClosed { .. } => ErrorCode::WindowClosed,
            Error::TemplateInvalid { .. } => ErrorCode::TemplateInvalid,
            Error::OptedOut => ErrorCode::OptedOut,
            Error::TextInvalid { .. } => ErrorCode::TextInvalid,
            Error::NotRetryable { .. } => ErrorCode::NotRetryable,
            Error::CustomerBlocked => ErrorCode::CustomerBlocked,
            Error::SnoozeInPast => ErrorCode::SnoozeInPast,
            Error::SnoozeTooLong => ErrorCode::SnoozeTooLong,
            Error::ReportRange { .. } => ErrorCode::ReportRangeInvalid,
            Error::ContactInvalid { .. } => ErrorCode::ContactInvalid,
            Error::AttachmentRefused(_) => ErrorCode::AttachmentRefused,
            Error::AttachmentMissing => ErrorCode::AttachmentMissing,
            Error::AttachmentIo(_) => ErrorCode::AttachmentIo,
            Error::Graph(e) => e.code(),
            Error::Problem(p) => p.code,
        }
    }

    /// The values the window's wording of [`Error::code`] fills in.
    pub fn params(&self) -> Params {
        match self {
            Error::NewerSchema {
                found, supported, ..
            } => params([
                ("found", found.to_string()),
                ("supported", supported.to_string()),
            ]),
            Error::MigrationChanged { version, .. } => params([("version", version.to_string())]),
            Error::Open { source, .. } => crate::problem::sqlite_params(source),
            Error::Database(e) => crate::problem::sqlite_params(e),
            Error::NotFound { what } => params([("detail", what.clone())]),
            Error::InvalidPhone { input, reason } => {
                params([("input", input.clone()), ("detail", reason.clone())])
            }
            Error::TemplateInvalid {
                name,
                language,
                meta_code,
                details,
                ..
            } => params([
                ("name", name.clone()),
                ("language", language.clone()),
                ("meta_code", meta_code.to_string()),
                ("detail", details.clone()),
            ]),
            Error::AttachmentRefused(refusal) => refusal.params(),
            Error::AttachmentIo(e) => crate::problem::io_params(e),
            Error::TextInvalid { reason }
            | Error::ContactInvalid { reason }
            | Error::ReportRange { reason } => reason.params(),
            Error::NotRetryable { reason } => params([("detail", reason.clone())]),
            Error::Graph(e) => e.params(),
            Error::Problem(p) => p.params.clone(),
            Error::ContactWithoutIdentity
            | Error::WindowClosed { .. }
            | Error::OptedOut
            | Error::CustomerBlocked
            | Error::SnoozeInPast
            | Error::SnoozeTooLong
            | Error::AttachmentMissing => Params::new(),
        }
    }
}
