//! What went wrong, in a form the window words itself: a stable
//! [`ErrorCode`] and the few values the wording needs ([`Params`]).
//!
//! Rust's own messages (`Display` of every error) stay in English, for logs
//! and as a last resort; the window never shows them when it knows the code.
//! The UI's wording table is a `Record<ErrorCode, string>` in each language,
//! so adding a code here without wording it there fails the UI's type-check.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Named values a problem's wording fills in (`{{host}}`, `{{input}}`, …).
/// `detail` is reserved for words that come from elsewhere as they are
/// (Meta's own explanation, the operating system's error). When their kind
/// is known, a typed value says it too, and the window words that instead:
/// `reason` (refused input), `refusal` (Meta's refusal, a
/// [`hourglass_whatsapp::graph_error::Refusal`]) and `os` (an
/// [`OsFailure`]).
pub type Params = BTreeMap<String, String>;

/// Builds [`Params`] from name/value pairs.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// What the operating system said about a file, by kind: the window words
/// the kind in its language; the system's own words stay in `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum OsFailure {
    NotFound,
    PermissionDenied,
    StorageFull,
    ReadOnly,
    Busy,
    TooLarge,
}

impl OsFailure {
    /// The kind of `err`, when it is one the window words.
    pub fn of(err: &std::io::Error) -> Option<OsFailure> {
        use std::io::ErrorKind as K;
        Some(match err.kind() {
            K::NotFound => OsFailure::NotFound,
            K::PermissionDenied => OsFailure::PermissionDenied,
            K::StorageFull | K::QuotaExceeded => OsFailure::StorageFull,
            K::ReadOnlyFilesystem => OsFailure::ReadOnly,
            K::ResourceBusy | K::ExecutableFileBusy | K::WouldBlock => OsFailure::Busy,
            K::FileTooLarge => OsFailure::TooLarge,
            _ => return None,
        })
    }
}

impl OsFailure {
    /// The kind of a database failure, when it is the system's (a file
    /// that cannot be opened, written or grown).
    pub fn of_sqlite(err: &rusqlite::Error) -> Option<OsFailure> {
        use rusqlite::ErrorCode as C;
        Some(match err.sqlite_error_code()? {
            C::CannotOpen => OsFailure::NotFound,
            C::PermissionDenied => OsFailure::PermissionDenied,
            C::DiskFull => OsFailure::StorageFull,
            C::ReadOnly => OsFailure::ReadOnly,
            C::DatabaseBusy | C::DatabaseLocked => OsFailure::Busy,
            C::TooBig => OsFailure::TooLarge,
            _ => return None,
        })
    }
}

/// A database failure's values: SQLite's words (`detail`) and, when it is
/// the system's, its kind (`os`).
pub fn sqlite_params(err: &rusqlite::Error) -> Params {
    with_os(
        params([("detail", err.to_string())]),
        OsFailure::of_sqlite(err),
    )
}

fn with_os(mut out: Params, kind: Option<OsFailure>) -> Params {
    if let Some(kind) = kind {
        out.insert("os".to_owned(), <&str>::from(kind).to_owned());
    }
    out
}

/// An I/O error's values: the system's words (`detail`) and, when known,
/// their kind (`os`).
pub fn io_params(err: &std::io::Error) -> Params {
    with_os(params([("detail", err.to_string())]), OsFailure::of(err))
}

/// Every problem the desktop can report. Serialised in `snake_case`; a
/// code never changes meaning once released.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    TS,
    strum::IntoStaticStr,
    strum::Display,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    // The local database.
    NewerSchema,
    MigrationChanged,
    DatabaseOpen,
    Database,
    NotFound,
    // Customers and what is sent to them.
    InvalidPhone,
    ContactWithoutIdentity,
    ContactInvalid,
    WindowClosed,
    TemplateInvalid,
    OptedOut,
    CustomerBlocked,
    TextInvalid,
    AttachmentRefused,
    AttachmentMissing,
    AttachmentIo,
    AttachmentInvalid,
    NotRetryable,
    ReportRangeInvalid,
    SnoozeInPast,
    SnoozeTooLong,
    // Meta's Graph API, by Meta's error class.
    GraphTransient,
    GraphNumberRateLimit,
    GraphPairRateLimit,
    GraphWindowClosed,
    GraphUndeliverable,
    GraphMarketingHeldBack,
    GraphMarketingOptOut,
    GraphUnsupported,
    GraphTemplate,
    GraphTokenInvalid,
    GraphUnknownObject,
    GraphBadRequest,
    GraphAccountRestricted,
    GraphUnknownError,
    // Reaching the Graph API.
    GraphConnect,
    GraphTimeout,
    GraphTls,
    GraphTransport,
    GraphHttp,
    GraphDecode,
    GraphForeignUrl,
    GraphMediaMismatch,
    GraphMediaTooLarge,
    GraphBadBaseUrl,
    GraphBadToken,
    // The connection check.
    RelayUrlMissing,
    RelayUrlInvalid,
    RelayInsecure,
    RelayTokenMissing,
    RelayTokenInvalid,
    RelayTokenForNewAddress,
    RelayTokenRejected,
    RelayUnreachable,
    RelayHttp,
    RelayTls,
    RelayTimeout,
    RelayNotHourglass,
    AccessTokenMissing,
    PhoneNumberIdMissing,
    PhoneNumberIdInvalid,
    WabaIdMissing,
    WabaIdInvalid,
    // Lead links and partner codes.
    LeadLinkNumber,
    LeadLinkCode,
    LeadLinkTemplate,
    LeadLinkTextTooLong,
    LeadLinkQr,
    LeadLinkPng,
    LeadPatternEmpty,
    LeadPatternInvalid,
    LeadPatternGroups,
    // hourglass:// links.
    LinkNotHourglass,
    LinkMalformed,
    LinkUnknownAction,
    LinkPhoneMissing,
    LinkPhoneInvalid,
    LinkNeedsNumber,
    // The desktop around the inbox.
    NotificationFailed,
    KeychainUnavailable,
    KeychainFailed,
    SecretUnreadable,
    SecretEmpty,
    TokenMissing,
    NotConnected,
    NoBusinessNumber,
    OtherNumber,
    RelayUnavailable,
    ConnectFailed,
    DemoFailed,
    RateTableInvalid,
    UnknownLanguage,
    UnknownCountry,
    MediaNotMedia,
    MediaOffline,
    MediaNotCached,
    MediaNoDownloads,
    MediaOpenFailed,
    MediaUnknownKind,
    MediaChecksum,
    MediaNotUploaded,
    MediaCacheIo,
    MediaCacheIndex,
    SaveFailed,
    ClipboardFailed,
    AutostartFailed,
    TrayFailed,
    UpdateSignatureInvalid,
    UpdateUnreachable,
    UpdateNotConfigured,
    UpdateNotPackaged,
    UpdateNothingPending,
    UpdateFailed,
    /// The window could not reach the app's process at all.
    Ipc,
}

impl ErrorCode {
    /// The code as the window and the logs spell it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// `{code, params, message}`: the window words `code` with `params` in its
/// own language; `message` is the English text, for the log and for a code
/// the window does not know yet.
///
/// What the desktop's workflows answer when no richer error fits, and what
/// every command answers across the IPC boundary (as `IpcError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, TS)]
#[error("{message}")]
#[ts(export, rename = "IpcError")]
pub struct Problem {
    pub code: ErrorCode,
    #[ts(type = "Record<string, string>")]
    pub params: Params,
    pub message: String,
}

impl Problem {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Problem {
            code,
            params: Params::new(),
            message: message.into(),
        }
    }

    /// With a `detail` the window shows as it is (the system's own words).
    pub fn with_detail(
        code: ErrorCode,
        detail: impl std::fmt::Display,
        message: impl Into<String>,
    ) -> Self {
        let mut problem = Problem::new(code, message);
        problem
            .params
            .insert("detail".to_owned(), detail.to_string());
        problem
    }

    /// `code` with the error's own words as the detail and the message.
    pub fn because(code: ErrorCode, err: impl std::fmt::Display) -> Self {
        let text = err.to_string();
        Problem::with_detail(code, &text, text.clone())
    }

    /// With named values for the window's wording.
    pub fn with_params(mut self, params: Params) -> Self {
        self.params.extend(params);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_is_spelt_the_same_by_serde_and_by_the_logs() {
        for code in ErrorCode::iter() {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json.as_str(), Some(code.as_str()));
            let back: ErrorCode = serde_json::from_value(json).unwrap();
            assert_eq!(back, code);
        }
        assert_eq!(
            ErrorCode::GraphUnknownObject.as_str(),
            "graph_unknown_object"
        );
        assert_eq!(ErrorCode::Ipc.to_string(), "ipc");
    }

    #[test]
    fn the_systems_failures_carry_their_kind_beside_the_systems_words() {
        use std::io::{Error as Io, ErrorKind};
        let denied = io_params(&Io::from(ErrorKind::PermissionDenied));
        assert_eq!(denied["os"], "permission_denied");
        assert!(!denied["detail"].is_empty());
        assert_eq!(
            io_params(&Io::from(ErrorKind::StorageFull))["os"],
            "storage_full"
        );
        // A kind the window does not word keeps only the system's words.
        let other = io_params(&Io::other("the disk caught fire"));
        assert_eq!(other.get("os"), None);
        assert_eq!(other["detail"], "the disk caught fire");
        // Every kind is spelt alike by serde (the window's binding) and here.
        for kind in [
            OsFailure::NotFound,
            OsFailure::ReadOnly,
            OsFailure::TooLarge,
        ] {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json.as_str(), Some(<&str>::from(kind)));
        }
    }

    #[test]
    fn a_database_that_cannot_be_opened_says_so_by_kind() {
        let dir = tempfile::tempdir().unwrap();
        // A folder where the file should be: SQLite cannot open it.
        let err = rusqlite::Connection::open_with_flags(
            dir.path().join("missing").join("hourglass.db"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE,
        )
        .unwrap_err();
        let values = sqlite_params(&err);
        assert_eq!(values["os"], "not_found");
        assert!(values["detail"].contains("unable to open"), "{values:?}");
        let not_the_systems = rusqlite::Error::QueryReturnedNoRows;
        assert_eq!(sqlite_params(&not_the_systems).get("os"), None);
    }
}
