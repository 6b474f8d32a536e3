//! The error every command returns across the IPC boundary.

use hourglass_core::problem::{ErrorCode, Params};
use serde::Serialize;
use ts_rs::TS;

/// `{code, params, message}`: the window words `code` with `params` in its
/// own language; `message` is the English text, for the log and for a code
/// the window does not know yet.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    #[ts(type = "Record<string, string>")]
    pub params: Params,
    pub message: String,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        IpcError {
            code,
            params: Params::new(),
            message: message.into(),
        }
    }

    /// With a `detail` for the window to show as it is (the system's own
    /// words for what failed).
    pub fn with_detail(
        code: ErrorCode,
        detail: impl std::fmt::Display,
        message: impl Into<String>,
    ) -> Self {
        let mut err = IpcError::new(code, message);
        err.params.insert("detail".to_owned(), detail.to_string());
        err
    }
}

impl From<hourglass_core::Error> for IpcError {
    fn from(err: hourglass_core::Error) -> Self {
        IpcError {
            code: err.code(),
            params: err.params(),
            message: err.to_string(),
        }
    }
}
