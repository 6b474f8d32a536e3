//! Signed updates: what a check found, why one failed, and the verified
//! update waiting to be installed. The shell drives `tauri-plugin-updater`
//! (which downloads a package and verifies its minisign signature against
//! the Hourglass public key before anything is kept) and keeps only its
//! calls; the states and the wording are here.
//!
//! Debug builds (`cfg(debug_assertions)`) read two overrides so tests can
//! serve their own signed releases from a loopback server:
//! [`ENDPOINT_ENV`] replaces the endpoint (plain `http` is accepted by
//! debug builds) and [`PUBKEY_ENV`] replaces the public key. Release builds
//! ignore both, so a shipped app only ever trusts the key it was built with.

use crate::problem::{ErrorCode, Params, Problem, params};
use serde::Serialize;
use std::sync::Mutex;
use std::time::Duration;
use ts_rs::TS;

pub const ENDPOINT_ENV: &str = "HOURGLASS_UPDATE_ENDPOINT";
pub const PUBKEY_ENV: &str = "HOURGLASS_UPDATE_PUBKEY";
/// How long a check may take.
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
/// A whole package over a slow link; a stalled download must still end.
pub const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
#[ts(export)]
pub enum UpdateCheck {
    UpToDate {
        current: String,
    },
    /// Downloaded and its signature verified; ready for `install_update`.
    Available {
        current: String,
        version: String,
        notes: Option<String>,
        /// RFC 3339, as the endpoint announced it.
        date: Option<String>,
        #[ts(type = "true")]
        verified: bool,
    },
}

/// What kind of failure the updater reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The signature (or the signed version) did not verify.
    Signature,
    /// The build names no endpoint.
    NotConfigured,
    /// The endpoint or the package could not be fetched.
    Unreachable,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpdateError {
    #[error(
        "The downloaded update is not signed by Hourglass and was refused. Nothing was installed."
    )]
    SignatureInvalid(String),
    #[error(
        "Hourglass could not reach the update server. Check the internet connection and try again."
    )]
    Unreachable(String),
    /// This build names no update server (`plugins.updater.endpoints` was
    /// left empty when it was built).
    #[error(
        "This copy of Hourglass was built without an update server, so it cannot check for updates. Install new versions from their packages."
    )]
    NotConfigured,
    /// A binary run straight from a build, with no package around it that
    /// the updater could replace.
    #[error(
        "This copy of Hourglass was not installed from a package, so it cannot replace itself. Nothing was changed; install Hourglass {0} from its package instead."
    )]
    NotPackaged(String),
    #[error("No verified update is waiting. Check for updates first.")]
    NothingPending,
    /// The update failed for another reason: the updater's own words.
    #[error("The update could not be completed ({0}). Nothing was changed; try again later.")]
    Failed(String),
}

impl UpdateError {
    /// The updater's error `err`, of kind `failure`.
    pub fn from_updater(failure: Failure, err: impl std::fmt::Display) -> Self {
        let err = err.to_string();
        match failure {
            Failure::Signature => UpdateError::SignatureInvalid(err),
            Failure::NotConfigured => UpdateError::NotConfigured,
            Failure::Unreachable => UpdateError::Unreachable(err),
            Failure::Other => UpdateError::Failed(err),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            UpdateError::SignatureInvalid(_) => ErrorCode::UpdateSignatureInvalid,
            UpdateError::Unreachable(_) => ErrorCode::UpdateUnreachable,
            UpdateError::NotConfigured => ErrorCode::UpdateNotConfigured,
            UpdateError::NotPackaged(_) => ErrorCode::UpdateNotPackaged,
            UpdateError::NothingPending => ErrorCode::UpdateNothingPending,
            UpdateError::Failed(_) => ErrorCode::UpdateFailed,
        }
    }

    pub fn params(&self) -> Params {
        match self {
            UpdateError::NotPackaged(version) => params([("version", version.clone())]),
            UpdateError::Failed(detail) => params([("detail", detail.clone())]),
            _ => Params::new(),
        }
    }
}

impl From<UpdateError> for crate::problem::Problem {
    fn from(err: UpdateError) -> Self {
        crate::Error::from(err).into()
    }
}

impl From<UpdateError> for crate::Error {
    fn from(err: UpdateError) -> Self {
        Problem::new(err.code(), err.to_string())
            .with_params(err.params())
            .into()
    }
}

/// The endpoint and public key a debug build was told to use instead of
/// its own, read through `var` (the environment); release builds have none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub endpoint: Option<reqwest::Url>,
    pub pubkey: Option<String>,
}

impl Overrides {
    pub fn read(var: impl Fn(&str) -> Option<String>) -> Result<Overrides, UpdateError> {
        if !cfg!(debug_assertions) {
            return Ok(Overrides::default());
        }
        let var = |name| var(name).filter(|v: &String| !v.trim().is_empty());
        let endpoint = var(ENDPOINT_ENV)
            .map(|e| {
                e.parse()
                    .map_err(|err| UpdateError::Failed(format!("{ENDPOINT_ENV}: {err}")))
            })
            .transpose()?;
        if let Some(endpoint) = &endpoint {
            tracing::warn!("update endpoint overridden by {ENDPOINT_ENV}: {endpoint}");
        }
        let pubkey = var(PUBKEY_ENV);
        if pubkey.is_some() {
            tracing::warn!("update public key overridden by {PUBKEY_ENV}");
        }
        Ok(Overrides { endpoint, pubkey })
    }
}

/// A verified update `U` (with its verified bytes) waiting to be
/// installed, and the lock that keeps checks one at a time (the quiet check
/// on start and a click must not download twice).
#[derive(Debug)]
pub struct Pending<U> {
    ready: Mutex<Option<(U, Vec<u8>, UpdateCheck)>>,
    checking: tokio::sync::Mutex<()>,
}

impl<U> Default for Pending<U> {
    fn default() -> Self {
        Pending {
            ready: Mutex::new(None),
            checking: tokio::sync::Mutex::new(()),
        }
    }
}

impl<U> Pending<U> {
    /// Held for the length of a check.
    pub async fn checking(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.checking.lock().await
    }

    /// Keeps a verified update; `found` is how the window shows it.
    pub fn put(&self, update: U, bytes: Vec<u8>, found: UpdateCheck) {
        *self.ready.lock().unwrap_or_else(|p| p.into_inner()) = Some((update, bytes, found));
    }

    /// The waiting update, as the window shows it.
    pub fn summary(&self) -> Option<UpdateCheck> {
        let ready = self.ready.lock().unwrap_or_else(|p| p.into_inner());
        ready.as_ref().map(|(_, _, found)| found.clone())
    }

    /// Takes the waiting update to install it. A build not installed from
    /// a package (`packaged` false) keeps it and says so.
    pub fn take(&self, packaged: bool) -> Result<(U, Vec<u8>, UpdateCheck), UpdateError> {
        let mut ready = self.ready.lock().unwrap_or_else(|p| p.into_inner());
        let Some((update, bytes, found)) = ready.take() else {
            return Err(UpdateError::NothingPending);
        };
        if !packaged {
            let version = match &found {
                UpdateCheck::Available { version, .. } => version.clone(),
                UpdateCheck::UpToDate { current } => current.clone(),
            };
            *ready = Some((update, bytes, found));
            return Err(UpdateError::NotPackaged(version));
        }
        Ok((update, bytes, found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn available(version: &str) -> UpdateCheck {
        UpdateCheck::Available {
            current: "1.0.0".into(),
            version: version.into(),
            notes: None,
            date: None,
            verified: true,
        }
    }

    #[test]
    fn a_verified_update_waits_until_a_package_takes_it() {
        let pending = Pending::<&str>::default();
        assert_eq!(pending.take(true).unwrap_err(), UpdateError::NothingPending);
        assert_eq!(pending.summary(), None);
        pending.put("update", vec![1, 2, 3], available("1.1.0"));
        assert_eq!(pending.summary(), Some(available("1.1.0")));
        let err = pending.take(false).unwrap_err();
        assert_eq!(err, UpdateError::NotPackaged("1.1.0".into()));
        assert_eq!(err.params()["version"], "1.1.0");
        // Still there for a packaged build.
        let (update, bytes, _) = pending.take(true).unwrap();
        assert_eq!((update, bytes), ("update", vec![1, 2, 3]));
        assert_eq!(pending.summary(), None);
    }

    #[test]
    fn failures_keep_their_codes_and_words() {
        let cases = [
            (Failure::Signature, ErrorCode::UpdateSignatureInvalid),
            (Failure::NotConfigured, ErrorCode::UpdateNotConfigured),
            (Failure::Unreachable, ErrorCode::UpdateUnreachable),
            (Failure::Other, ErrorCode::UpdateFailed),
        ];
        for (failure, code) in cases {
            let err = crate::Error::from(UpdateError::from_updater(failure, "boom"));
            assert_eq!(err.code(), code);
        }
        let failed = crate::Error::from(UpdateError::from_updater(Failure::Other, "disk full"));
        assert_eq!(failed.params()["detail"], "disk full");
        assert!(failed.to_string().contains("(disk full)"), "{failed}");
    }

    #[test]
    fn debug_builds_take_overrides_from_the_environment() {
        let none = Overrides::read(|_| Some(" ".into())).unwrap();
        assert_eq!(none, Overrides::default());
        let env = |name: &str| match name {
            ENDPOINT_ENV => Some("http://127.0.0.1:9/latest.json".to_owned()),
            PUBKEY_ENV => Some("KEY".to_owned()),
            _ => None,
        };
        let read = Overrides::read(env).unwrap();
        if cfg!(debug_assertions) {
            assert_eq!(
                read.endpoint.unwrap().as_str(),
                "http://127.0.0.1:9/latest.json"
            );
            assert_eq!(read.pubkey.as_deref(), Some("KEY"));
            let bad = Overrides::read(|n| (n == ENDPOINT_ENV).then(|| "not a url".to_owned()));
            assert_eq!(bad.unwrap_err().code(), ErrorCode::UpdateFailed);
        } else {
            assert_eq!(read, Overrides::default());
        }
    }
}
