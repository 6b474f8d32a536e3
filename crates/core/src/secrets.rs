//! Tokens in the operating system's keychain: the Keychain on macOS, the
//! Credential Manager on Windows, a Secret Service (gnome-keyring, KWallet)
//! on Linux, all through the `keyring` crate.
//!
//! What this module promises:
//! - A token lives in the keychain and in memory only, never in SQLite, a log
//!   line or the UI. [`Secret`] prints as `***` in `Debug` and `Display`, and
//!   its bytes are wiped when it is dropped; the only way to read it is
//!   [`Secret::expose`], so every place that handles the clear text is easy
//!   to find.
//! - When the keychain cannot be used (locked, no Secret Service running, no
//!   session bus) the answer is [`SecretError::KeychainUnavailable`] with a
//!   message that says how to fix it. There is **no fallback** to a file, to
//!   SQLite or to `keyring`'s in-memory mock: a token that silently vanished
//!   at the next start, or sat in plain text, would be worse than an error.
//!
//! Decisions:
//! - Entries are named by the app identifier [`SERVICE`] and the user
//!   `<profile>/<kind>` (`default/access_token`), so several profiles on one
//!   machine keep separate tokens and nothing collides with another program
//!   called "Hourglass".
//! - Calls block (D-Bus round trips, and on a locked desktop keyring the OS
//!   may show an unlock prompt and wait for the user). Async callers run them
//!   on a blocking thread (`tokio::task::spawn_blocking`).
//! - [`SecretStore::forget`] of an entry that does not exist succeeds: the
//!   caller wanted it gone and it is.

use std::fmt;

use crate::problem::{ErrorCode, Params, params};
use zeroize::Zeroizing;

/// The keychain "service" every Hourglass entry is filed under: the app's
/// bundle identifier.
pub const SERVICE: &str = "app.hourglass.desktop";

/// Which token an entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// The Cloud API access token (a system-user token from Meta Business
    /// Settings) used as the Bearer token of every Graph call.
    AccessToken,
    /// This agent's token for the team relay (`hourglass-relay agent add`).
    RelayAgentToken,
}

impl SecretKind {
    pub const ALL: [SecretKind; 2] = [SecretKind::AccessToken, SecretKind::RelayAgentToken];

    /// The entry's name within a profile; stable, since it finds old entries.
    pub fn key(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "access_token",
            SecretKind::RelayAgentToken => "relay_agent_token",
        }
    }

    /// What the user calls it, for messages.
    fn label(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "WhatsApp access token",
            SecretKind::RelayAgentToken => "relay agent token",
        }
    }
}

/// A token in memory. It never prints, and it is zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The clear text. Hand it only to the keychain or to an HTTP header.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Secret::new(value.as_str())
    }
}

/// A token typed into the window arrives as a JSON string.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// Why a token could not be saved, read or forgotten. `code()` is stable.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("{}", unavailable_message(detail))]
    KeychainUnavailable { detail: String },
    #[error(
        "The {} saved in the system keychain is not readable text. \
         Paste the token again in Settings → Connection.",
        kind.label()
    )]
    Unreadable { kind: SecretKind },
    #[error("A token cannot be empty. Paste the whole token in Settings → Connection.")]
    Empty,
    #[error(
        "The system keychain refused the {}: {detail}. \
         Try again; if it keeps failing, remove the Hourglass entries in the keychain and paste the token again.",
        kind.label()
    )]
    Keychain { kind: SecretKind, detail: String },
}

impl SecretError {
    /// A stable identifier the UI words.
    pub fn code(&self) -> ErrorCode {
        match self {
            SecretError::KeychainUnavailable { .. } => ErrorCode::KeychainUnavailable,
            SecretError::Unreadable { .. } => ErrorCode::SecretUnreadable,
            SecretError::Empty => ErrorCode::SecretEmpty,
            SecretError::Keychain { .. } => ErrorCode::KeychainFailed,
        }
    }

    /// The values the window's wording fills in: which token (`secret`,
    /// its entry name) and the keychain's own words (`detail`).
    pub fn params(&self) -> Params {
        match self {
            SecretError::KeychainUnavailable { detail } => params([("detail", detail.clone())]),
            SecretError::Unreadable { kind } => params([("secret", kind.key().to_owned())]),
            SecretError::Empty => Params::new(),
            SecretError::Keychain { kind, detail } => params([
                ("secret", kind.key().to_owned()),
                ("detail", detail.clone()),
            ]),
        }
    }
}

fn unavailable_message(detail: &str) -> String {
    let what_to_do = if cfg!(target_os = "macos") {
        "Unlock the login keychain (Keychain Access → File → Unlock Keychain \"login\"), then try again."
    } else if cfg!(target_os = "windows") {
        "Make sure the Windows Credential Manager service is running and you are signed in to your account, then try again."
    } else {
        "Unlock the login keyring (log in to your desktop session, or open Passwords and Keys and unlock \"Login\"), \
         or install and start a Secret Service such as gnome-keyring (it needs a D-Bus session), then try again."
    };
    format!(
        "Hourglass cannot use the system keychain ({detail}). {what_to_do} \
         Hourglass never keeps tokens in plain text, so it cannot save or read them until the keychain works."
    )
}

/// The keychain entries of one profile.
#[derive(Debug, Clone)]
pub struct SecretStore {
    profile: String,
}

impl SecretStore {
    /// `profile` names the agent profile (`default` for the usual one).
    pub fn new(profile: impl Into<String>) -> Self {
        SecretStore {
            profile: profile.into(),
        }
    }

    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Saves `secret` as `kind`, replacing any earlier value.
    pub fn save(&self, kind: SecretKind, secret: &Secret) -> Result<(), SecretError> {
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        self.entry(kind)?
            .set_password(secret.expose())
            .map_err(|e| classify(kind, e))
    }

    /// The saved secret, or `None` when there is none.
    pub fn load(&self, kind: SecretKind) -> Result<Option<Secret>, SecretError> {
        match self.entry(kind)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(kind, e)),
        }
    }

    /// Removes `kind`; succeeds when there was nothing to remove.
    pub fn forget(&self, kind: SecretKind) -> Result<(), SecretError> {
        match self.entry(kind)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(kind, e)),
        }
    }

    /// The keychain user name of `kind` in this profile.
    pub fn account(&self, kind: SecretKind) -> String {
        format!("{}/{}", self.profile, kind.key())
    }

    fn entry(&self, kind: SecretKind) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(SERVICE, &self.account(kind)).map_err(|e| classify(kind, e))
    }
}

fn classify(kind: SecretKind, error: keyring::Error) -> SecretError {
    match error {
        // Both mean "the store is not there for us right now": a locked
        // keyring, a refused or dismissed unlock prompt, no Secret Service
        // on the bus, or no session bus at all.
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            SecretError::KeychainUnavailable {
                detail: e.to_string(),
            }
        }
        keyring::Error::BadEncoding(bytes) => {
            // The bytes are the stored secret: wipe them, never report them.
            drop(Zeroizing::new(bytes));
            SecretError::Unreadable { kind }
        }
        // Ambiguous's Debug lists credentials, not secrets, but a count is
        // all the user needs.
        keyring::Error::Ambiguous(found) => SecretError::Keychain {
            kind,
            detail: format!("{} entries match it", found.len()),
        },
        other => SecretError::Keychain {
            kind,
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("EAAG-very-secret");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some(***)");
        assert_eq!(s.expose(), "EAAG-very-secret");
    }

    #[test]
    fn entries_are_per_profile_and_kind() {
        let a = SecretStore::new("default");
        let b = SecretStore::new("second");
        assert_eq!(a.account(SecretKind::AccessToken), "default/access_token");
        assert_eq!(
            a.account(SecretKind::RelayAgentToken),
            "default/relay_agent_token"
        );
        assert_ne!(
            a.account(SecretKind::AccessToken),
            b.account(SecretKind::AccessToken)
        );
    }

    #[test]
    fn unavailable_keychain_says_what_to_do() {
        let e = classify(
            SecretKind::AccessToken,
            keyring::Error::NoStorageAccess("locked".into()),
        );
        assert_eq!(e.code(), ErrorCode::KeychainUnavailable);
        let text = e.to_string();
        assert!(text.contains("locked"), "{text}");
        assert!(text.contains("never keeps tokens in plain text"), "{text}");
        let e = classify(
            SecretKind::AccessToken,
            keyring::Error::BadEncoding(b"\xff-secret".to_vec()),
        );
        assert_eq!(e.code(), ErrorCode::SecretUnreadable);
        assert!(!format!("{e} {e:?}").contains("-secret"));
    }

    #[test]
    fn empty_secrets_are_refused_before_the_keychain() {
        let e = SecretStore::new("p")
            .save(SecretKind::AccessToken, &Secret::new("  "))
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::SecretEmpty);
    }
}
