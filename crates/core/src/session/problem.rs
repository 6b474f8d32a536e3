//! The error every command answers across the IPC boundary: the core's
//! [`crate::problem::Problem`], which the window knows as `IpcError`.

pub use crate::problem::Problem as IpcError;

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
