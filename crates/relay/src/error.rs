//! The relay's two error boundaries: HTTP answers ([`ApiError`]) and
//! starting / administering a relay ([`RelayError`]). Both carry a stable
//! `code()`; HTTP errors answer with a [`protocol::ErrorBody`].

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hourglass_protocol::{self as protocol, error_code};

use crate::store::StoreError;

/// Why a request was refused. Messages never contain secrets or bodies.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the X-Hub-Signature-256 header is missing")]
    MissingSignature,
    #[error("the X-Hub-Signature-256 header does not match the body")]
    BadSignature,
    #[error("the verify token does not match this relay's HOURGLASS_VERIFY_TOKEN")]
    VerifyTokenMismatch,
    #[error("the body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error(
        "an agent token is required: send `Authorization: Bearer <token>` (create one with `hourglass-relay agent add <name>`)"
    )]
    Unauthorized,
    #[error("{0}")]
    BadRequest(String),
    #[error("no such endpoint: {0}")]
    NotFound(String),
    #[error("the event log is unavailable, retry shortly: {0}")]
    Storage(#[from] StoreError),
    #[error("the relay is shutting down, retry shortly")]
    ShuttingDown,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MissingSignature => error_code::MISSING_SIGNATURE,
            ApiError::BadSignature => error_code::BAD_SIGNATURE,
            ApiError::VerifyTokenMismatch => error_code::VERIFY_TOKEN_MISMATCH,
            ApiError::PayloadTooLarge { .. } => error_code::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized => error_code::UNAUTHORIZED,
            ApiError::BadRequest(_) => error_code::BAD_REQUEST,
            ApiError::NotFound(_) => error_code::NOT_FOUND,
            ApiError::Storage(_) => error_code::STORAGE_UNAVAILABLE,
            ApiError::ShuttingDown => error_code::SHUTTING_DOWN,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MissingSignature | ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::BadSignature | ApiError::VerifyTokenMismatch => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Storage(_) | ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Storage(e) = &self {
            tracing::error!(error = %e, "event log unavailable");
        }
        let body = protocol::ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
            horizon: None,
        };
        (self.status(), Json(body)).into_response()
    }
}

/// Why a relay could not start, or an admin command failed. The messages say
/// what to do next.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    #[error("{var} is not set: pass --{flag} or set the {var} environment variable ({what})")]
    MissingSetting {
        var: &'static str,
        flag: &'static str,
        what: &'static str,
    },
    #[error(
        "cannot open the relay database at {path}: {source}. Check that the directory exists and is writable by this user, or pass another --db"
    )]
    OpenDatabase {
        path: PathBuf,
        #[source]
        source: StoreError,
    },
    #[error(
        "cannot use the relay database at {url}: {source}. Check that PostgreSQL is running and reachable, and the URL's user, password and database name, or pass another --db"
    )]
    ConnectDatabase {
        /// Without its password.
        url: String,
        #[source]
        source: StoreError,
    },
    #[error(
        "cannot listen on {addr}: the port is already in use by another program. Stop it or pass another --listen address"
    )]
    AddressInUse { addr: String },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
    #[error("an agent named {0:?} already exists; revoke it first or pick another name")]
    AgentExists(String),
    #[error("there is no active agent named {0:?} (see `hourglass-relay agent list`)")]
    AgentNotFound(String),
    #[error("agent names are 1 to 64 letters, digits, '.', '_' or '-'; {0:?} is not")]
    InvalidAgentName(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl RelayError {
    pub fn code(&self) -> &'static str {
        match self {
            RelayError::MissingSetting { .. } => "missing_setting",
            RelayError::OpenDatabase { .. } | RelayError::ConnectDatabase { .. } => "open_database",
            RelayError::AddressInUse { .. } => "address_in_use",
            RelayError::Bind { .. } => "bind",
            RelayError::Serve(_) => "serve",
            RelayError::AgentExists(_) => "agent_exists",
            RelayError::AgentNotFound(_) => "agent_not_found",
            RelayError::InvalidAgentName(_) => "invalid_agent_name",
            RelayError::Store(_) => "storage",
        }
    }

    /// A bind failure, told apart when the port is taken.
    pub fn bind(addr: impl std::fmt::Display, source: std::io::Error) -> Self {
        let addr = addr.to_string();
        if source.kind() == std::io::ErrorKind::AddrInUse {
            RelayError::AddressInUse { addr }
        } else {
            RelayError::Bind { addr, source }
        }
    }
}

/// Where a relay ended up listening, for logs and tests.
pub(crate) fn describe(addr: SocketAddr) -> String {
    format!("http://{addr}")
}
