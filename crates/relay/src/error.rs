//! The relay's two error boundaries: HTTP answers ([`ApiError`]) and
//! starting / administering a relay ([`RelayError`]). Both carry a stable
//! `code()`; HTTP errors answer with a [`protocol::ErrorBody`].

use std::net::SocketAddr;
use std::path::PathBuf;

use axum::Json;
use axum::http::{StatusCode, header};
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
    #[error(
        "this relay's /metrics needs `Authorization: Bearer <token>` with its HOURGLASS_METRICS_TOKEN"
    )]
    MetricsUnauthorized,
    #[error("{0}")]
    BadRequest(String),
    #[error("no such endpoint: {0}")]
    NotFound(String),
    #[error("the event log is unavailable, retry shortly: {0}")]
    Storage(#[from] StoreError),
    #[error("the relay is shutting down, retry shortly")]
    ShuttingDown,
    #[error("too many events published; retry in {} s", retry_secs(*retry_after))]
    RateLimited { retry_after: std::time::Duration },
    #[error("this agent already has {limit} open streams; close one first")]
    TooManyStreams { limit: usize },
    #[error(
        "history before event {} is no longer kept by this relay (retention); continue from there",
        .0.seq
    )]
    HistoryPruned(protocol::Horizon),
    #[error("the relay is busy receiving other webhooks, retry shortly")]
    Busy,
}

/// Whole seconds to wait, at least one: what `Retry-After` carries.
fn retry_secs(d: std::time::Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MissingSignature => error_code::MISSING_SIGNATURE,
            ApiError::BadSignature => error_code::BAD_SIGNATURE,
            ApiError::VerifyTokenMismatch => error_code::VERIFY_TOKEN_MISMATCH,
            ApiError::PayloadTooLarge { .. } => error_code::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized | ApiError::MetricsUnauthorized => error_code::UNAUTHORIZED,
            ApiError::BadRequest(_) => error_code::BAD_REQUEST,
            ApiError::NotFound(_) => error_code::NOT_FOUND,
            ApiError::Storage(_) => error_code::STORAGE_UNAVAILABLE,
            ApiError::ShuttingDown => error_code::SHUTTING_DOWN,
            ApiError::Busy => error_code::BUSY,
            ApiError::RateLimited { .. } => error_code::RATE_LIMITED,
            ApiError::TooManyStreams { .. } => error_code::TOO_MANY_STREAMS,
            ApiError::HistoryPruned(_) => error_code::HISTORY_PRUNED,
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MissingSignature | ApiError::Unauthorized | ApiError::MetricsUnauthorized => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::BadSignature | ApiError::VerifyTokenMismatch => StatusCode::FORBIDDEN,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Storage(_) | ApiError::ShuttingDown | ApiError::Busy => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::RateLimited { .. } | ApiError::TooManyStreams { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::HistoryPruned(_) => StatusCode::GONE,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Storage(e) = &self {
            tracing::error!(error = %e, "event log unavailable");
        }
        let retry_after = match &self {
            ApiError::RateLimited { retry_after } => Some(retry_secs(*retry_after)),
            ApiError::Busy | ApiError::ShuttingDown | ApiError::Storage(_) => Some(1),
            _ => None,
        };
        let body = protocol::ErrorBody {
            code: self.code().to_owned(),
            message: self.to_string(),
            horizon: match &self {
                ApiError::HistoryPruned(h) => Some(*h),
                _ => None,
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(secs) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        response
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
        "another relay is already serving {path} (it holds the lock {lock}). Only one relay may write a SQLite log: stop the other one first, or keep the log in PostgreSQL (--db postgres://…) to run several relays"
    )]
    DatabaseInUse { path: PathBuf, lock: PathBuf },
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
            RelayError::DatabaseInUse { .. } => "database_in_use",
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
