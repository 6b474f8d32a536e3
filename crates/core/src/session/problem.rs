//! The error every command answers across the IPC boundary.

use crate::problem::{ErrorCode, Params};
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

    /// `code` with the error's own words as the detail and the message.
    pub fn because(code: ErrorCode, err: impl std::fmt::Display) -> Self {
        let text = err.to_string();
        IpcError::with_detail(code, &text, text.clone())
    }
}

/// Every core error that carries its own code and wording values.
macro_rules! coded {
    ($($t:ty),*) => {$(
        impl From<$t> for IpcError {
            fn from(err: $t) -> Self {
                IpcError { code: err.code(), params: err.params(), message: err.to_string() }
            }
        }
    )*};
}

coded!(
    crate::Error,
    crate::team::TeamError,
    crate::secrets::SecretError,
    crate::lead::LeadCodePatternError,
    crate::lead_link::LeadLinkError
);
