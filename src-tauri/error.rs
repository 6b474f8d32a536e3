//! The error every command returns across the IPC boundary.

use serde::Serialize;
use ts_rs::TS;

/// `{code, message}`: `code` is stable and matched by the UI; `message` is
/// written for the agent.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl From<hourglass_core::Error> for IpcError {
    fn from(err: hourglass_core::Error) -> Self {
        IpcError {
            code: err.code().to_owned(),
            message: err.to_string(),
        }
    }
}
