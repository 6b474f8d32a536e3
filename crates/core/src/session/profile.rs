//! What outlives sessions: the profile's own store (the agent's
//! preferences and, when a number is connected, its conversations), the
//! keychain holding the two tokens, and the event bus the window listens
//! to.
//!
//! Connecting a number: the relay URL and the two ids are kept in the
//! profile's store ([`SETTINGS_KEY`]); the relay agent token and the access
//! token only in the keychain. A token typed into the form crosses IPC
//! once, inbound; nothing ever answers one, only whether it is saved.
//!
//! Decisions:
//! - "Connect" runs the same checks as "Test connection" and saves nothing
//!   unless every part passes, so a half-working connection is never kept.
//! - A token field left empty means "keep the saved token", so the agent
//!   can change an id without pasting both tokens again; the saved relay
//!   token is kept only for the relay address it was saved for.
//! - A keychain that cannot be used at start leaves the app unconnected
//!   with the keychain's own explanation shown, never a plain-text fallback.
//!
//! Preferences (partner-code pattern, rate table, notification settings,
//! typing indicator) belong to the profile and survive switching between
//! the demo and a real number. A demo keeps a store of its own: they are
//! copied there when it starts and on every change.

use super::{AppEvent, Demo, IpcError, Mode, Session, SessionConfig, lock};
use crate::connection::{
    self, ConnectionReport, ConnectionSettings, Credentials, FormCredentials, SETTINGS_KEY,
    SavedCredentials, TestTargets,
};
use crate::cost::RateTable;
use crate::graph::{GraphConfig, META_GRAPH_URL};
use crate::lead::LeadCodePattern;
use crate::notification::{Language, NotificationSettings, Notifier};
use crate::phone::E164;
use crate::problem::ErrorCode;
use crate::secrets::{Secret, SecretError, SecretKind, SecretStore};
use crate::store::Store;
use crate::store::settings::{LEAD_CODE_PATTERN, RATE_TABLE};
use crate::sync::SharedStore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use ts_rs::TS;

/// Overrides the Graph API address in debug builds only (tests point it at
/// the simulator); a release build always talks to Meta.
pub const GRAPH_URL_ENV: &str = "HOURGLASS_GRAPH_URL";

/// Where the agent's notification settings are kept in the profile's store.
pub const NOTIFICATION_SETTINGS_KEY: &str = "notification_settings";
/// The store setting holding the window's language.
pub const LANGUAGE_KEY: &str = "language";
/// The languages the window is translated into.
pub const LANGUAGES: [&str; 3] = ["en", "ru", "es"];

/// The keys copied into a session's own store.
const SHARED: [&str; 4] = [
    LEAD_CODE_PATTERN,
    RATE_TABLE,
    NOTIFICATION_SETTINGS_KEY,
    crate::typing::SETTING_KEY,
];

/// The Graph API address: Meta's, or [`GRAPH_URL_ENV`] in a debug build.
pub fn graph_base_url() -> String {
    if cfg!(debug_assertions)
        && let Ok(url) = std::env::var(GRAPH_URL_ENV)
        && !url.is_empty()
    {
        return url;
    }
    META_GRAPH_URL.to_owned()
}

/// The keychain entries of a profile: `default` for the platform's
/// profile, a name derived from the folder for an explicit one, so two
/// profiles on one machine never share tokens.
pub fn keychain_for(explicit_dir: Option<&Path>) -> SecretStore {
    match explicit_dir {
        None => SecretStore::new("default"),
        Some(dir) => {
            let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_owned());
            let digest = Sha256::digest(dir.to_string_lossy().as_bytes());
            SecretStore::new(format!("dir-{}", &hex::encode(digest)[..12]))
        }
    }
}

/// Where the two tokens are kept: the system keychain ([`SecretStore`]).
/// Calls may block (D-Bus, an unlock prompt); the profile makes them off
/// the async runtime.
pub trait Keychain: Send + Sync + 'static {
    fn load(&self, kind: SecretKind) -> Result<Option<Secret>, SecretError>;
    fn save(&self, kind: SecretKind, secret: &Secret) -> Result<(), SecretError>;
    fn forget(&self, kind: SecretKind) -> Result<(), SecretError>;
}

impl Keychain for SecretStore {
    fn load(&self, kind: SecretKind) -> Result<Option<Secret>, SecretError> {
        SecretStore::load(self, kind)
    }
    fn save(&self, kind: SecretKind, secret: &Secret) -> Result<(), SecretError> {
        SecretStore::save(self, kind, secret)
    }
    fn forget(&self, kind: SecretKind) -> Result<(), SecretError> {
        SecretStore::forget(self, kind)
    }
}

/// What the store keeps of a connection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SavedConnection {
    pub settings: ConnectionSettings,
    /// The business number as Meta showed it when the connection was tested.
    pub display_phone_number: Option<String>,
}

/// The form as the agent filled it in. An empty token means "the saved one".
/// The tokens print as `***`.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ConnectForm {
    pub relay_url: String,
    #[ts(type = "string")]
    pub relay_token: Secret,
    pub phone_number_id: String,
    pub waba_id: String,
    #[ts(type = "string")]
    pub access_token: Secret,
}

impl ConnectForm {
    fn settings(&self) -> ConnectionSettings {
        ConnectionSettings {
            relay_url: self.relay_url.clone(),
            phone_number_id: self.phone_number_id.clone(),
            waba_id: self.waba_id.clone(),
        }
        .normalised()
    }
}

/// The saved connection as Settings shows it: never a token, only whether
/// one is saved.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConnectionView {
    pub settings: Option<ConnectionSettings>,
    pub display_phone_number: Option<String>,
    pub relay_token_saved: bool,
    pub access_token_saved: bool,
}

/// Which token a Settings action is about.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TokenKind {
    RelayToken,
    AccessToken,
}

impl From<TokenKind> for SecretKind {
    fn from(kind: TokenKind) -> Self {
        match kind {
            TokenKind::RelayToken => SecretKind::RelayAgentToken,
            TokenKind::AccessToken => SecretKind::AccessToken,
        }
    }
}

/// The partner-code pattern in force, and whether it is the default one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LeadPatternView {
    pub pattern: String,
    pub is_default: bool,
    pub default_pattern: String,
}

pub struct Profile {
    dir: PathBuf,
    store: Result<SharedStore, IpcError>,
    keychain: Arc<dyn Keychain>,
    targets: TestTargets,
    events: broadcast::Sender<AppEvent>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Opens the store in `dir` (its one writer).
pub fn open_store(dir: &Path) -> Result<SharedStore, IpcError> {
    match Store::open_in_dir(dir) {
        Ok(store) => {
            tracing::info!("local store at {}", store.path().display());
            Ok(Arc::new(Mutex::new(store)))
        }
        Err(err) => {
            tracing::error!("cannot open the local store: {err}");
            Err(IpcError::from(err))
        }
    }
}

impl Profile {
    /// Opens the profile in `dir`. A store that cannot be opened is kept as
    /// the reason, shown in the window rather than crashing.
    pub fn open(dir: &Path, keychain: impl Keychain) -> Profile {
        Profile {
            dir: dir.to_owned(),
            store: open_store(dir),
            keychain: Arc::new(keychain),
            targets: TestTargets {
                graph_base_url: graph_base_url(),
                ..TestTargets::default()
            },
            events: broadcast::channel(1024).0,
        }
    }

    /// Where "Test connection" and a connected session reach Meta.
    pub fn with_targets(mut self, targets: TestTargets) -> Profile {
        self.targets = targets;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn store(&self) -> Result<SharedStore, IpcError> {
        self.store.clone()
    }

    /// Runs `f` with the profile's store locked.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> crate::Result<T>,
    ) -> Result<T, IpcError> {
        let store = self.store()?;
        let mut guard = lock(&store);
        f(&mut guard).map_err(IpcError::from)
    }

    /// The window's events: every session's and the profile's own.
    pub fn events(&self) -> broadcast::Receiver<AppEvent> {
        self.events.subscribe()
    }

    /// Sends an event to the window (no window listening is fine).
    pub fn emit(&self, event: AppEvent) {
        let _ = self.events.send(event);
    }

    /// Copies the profile's preferences into a session's own store.
    pub fn copy_preferences(&self, to: &SharedStore) -> Result<(), IpcError> {
        self.with_store(|profile| {
            let mut target = lock(to);
            for key in SHARED {
                match profile.setting::<serde_json::Value>(key)? {
                    Some(value) => target.set_setting(key, &value)?,
                    None => target.remove_setting(key)?,
                }
            }
            Ok(())
        })
    }

    /// Saves `value` (`None` removes it) under `key` in the profile, and in
    /// `session`'s store when that is another file.
    pub fn save_preference<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: Option<&T>,
        session: Option<&SharedStore>,
    ) -> Result<(), IpcError> {
        let write = |s: &mut Store| match value {
            Some(v) => s.set_setting(key, v),
            None => s.remove_setting(key),
        };
        self.with_store(write)?;
        let profile = self.store()?;
        if let Some(session) = session.filter(|s| !Arc::ptr_eq(&profile, s)) {
            write(&mut lock(session)).map_err(IpcError::from)?;
        }
        Ok(())
    }

    pub fn lead_pattern(&self) -> Result<LeadPatternView, IpcError> {
        let pattern = self.with_store(|s| s.lead_code_pattern())?;
        let default = LeadCodePattern::default();
        Ok(LeadPatternView {
            pattern: pattern.as_str().to_owned(),
            is_default: pattern.as_str() == default.as_str(),
            default_pattern: default.as_str().to_owned(),
        })
    }

    /// Sets the pattern (checked first); `None` goes back to the default.
    pub fn set_lead_pattern(
        &self,
        pattern: Option<&str>,
        session: Option<&SharedStore>,
    ) -> Result<LeadPatternView, IpcError> {
        let compiled = pattern
            .map(|p| LeadCodePattern::new(p.trim()))
            .transpose()?;
        let value = compiled.as_ref().map(|p| p.as_str());
        self.save_preference(LEAD_CODE_PATTERN, value, session)?;
        self.lead_pattern()
    }

    /// Saves the agent's rate table (checked first); `None` restores the
    /// published rates.
    pub fn set_rate_table(
        &self,
        table: Option<&RateTable>,
        session: Option<&SharedStore>,
    ) -> Result<RateTable, IpcError> {
        if let Some(t) = table {
            t.check()
                .map_err(|message| IpcError::new(ErrorCode::RateTableInvalid, message))?;
        }
        self.save_preference(RATE_TABLE, table, session)?;
        self.with_store(|s| s.rate_table())
    }

    /// The language the agent chose, if any (else the window follows the system).
    pub fn language(&self) -> Result<Option<String>, IpcError> {
        let lang: Option<String> = self.with_store(|s| s.setting(LANGUAGE_KEY))?;
        Ok(lang.filter(|l| LANGUAGES.contains(&l.as_str())))
    }

    pub fn set_language(&self, language: &str) -> Result<(), IpcError> {
        if !LANGUAGES.contains(&language) {
            return Err(IpcError::new(
                ErrorCode::UnknownLanguage,
                format!("Hourglass is not translated into \"{language}\"."),
            ));
        }
        self.with_store(|s| s.set_setting(LANGUAGE_KEY, language))
    }

    /// The notification settings the agent saved, else the defaults (also
    /// when the store cannot be read: notifications still work).
    pub fn notification_settings(&self) -> NotificationSettings {
        let saved = self.with_store(|s| s.setting(NOTIFICATION_SETTINGS_KEY));
        saved.ok().flatten().unwrap_or_default()
    }

    /// The language notifications are worded in until the window says
    /// which it shows: the one the agent chose, else the system's (`system`,
    /// a locale tag, by the window's own rule), else English.
    pub fn notification_language(&self, system: Option<String>) -> Language {
        let chosen = self.language().ok().flatten();
        chosen
            .or(system)
            .and_then(|tag| Language::from_tag(&tag))
            .unwrap_or_default()
    }

    /// Runs a keychain call off the async runtime.
    async fn keychain<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn Keychain) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, IpcError> {
        let keychain = Arc::clone(&self.keychain);
        tokio::task::spawn_blocking(move || f(keychain.as_ref()))
            .await
            .map_err(|e| {
                IpcError::with_detail(
                    ErrorCode::KeychainFailed,
                    &e,
                    format!("The keychain call failed: {e}"),
                )
            })?
            .map_err(IpcError::from)
    }

    async fn saved_tokens(&self) -> Result<(Option<Secret>, Option<Secret>), IpcError> {
        self.keychain(|k| {
            Ok((
                k.load(SecretKind::RelayAgentToken)?,
                k.load(SecretKind::AccessToken)?,
            ))
        })
        .await
    }

    pub fn saved_connection(&self) -> Result<Option<SavedConnection>, IpcError> {
        self.with_store(|s| s.setting(SETTINGS_KEY))
    }

    /// The form's tokens, and what is saved where a field was left empty
    /// (the core decides which saved token may be used for the address).
    async fn credentials(
        &self,
        form: &ConnectForm,
    ) -> Result<(FormCredentials, SavedCredentials), IpcError> {
        let typed = |t: &Secret| Some(Secret::new(t.expose().trim())).filter(|s| !s.is_empty());
        let typed = FormCredentials {
            relay_token: typed(&form.relay_token),
            access_token: typed(&form.access_token),
        };
        if typed.complete() {
            return Ok((typed, SavedCredentials::default()));
        }
        let relay_url = self.saved_connection()?.map(|c| c.settings.relay_url);
        let (relay_token, access_token) = self.saved_tokens().await?;
        let saved = SavedCredentials {
            relay_url,
            relay_token,
            access_token,
        };
        Ok((typed, saved))
    }

    /// "Test connection": every check, nothing saved.
    pub async fn test_connection(&self, form: &ConnectForm) -> Result<ConnectionReport, IpcError> {
        let (typed, saved) = self.credentials(form).await?;
        let (report, _) =
            connection::test_form(&form.settings(), typed, saved, &self.targets).await;
        Ok(report)
    }

    /// "Connect": the checks, then the tokens into the keychain, then the
    /// settings into the store, then the session. Nothing is saved unless
    /// every check passed (the session is `None` then).
    pub async fn connect(
        &self,
        form: &ConnectForm,
        notifier: Notifier,
    ) -> Result<(ConnectionReport, Option<Arc<Session>>), IpcError> {
        let (typed, saved) = self.credentials(form).await?;
        let settings = form.settings();
        let (report, creds) = connection::test_form(&settings, typed, saved, &self.targets).await;
        if !report.ok() {
            return Ok((report, None));
        }
        let to_save = creds.clone();
        self.keychain(move |k| {
            k.save(SecretKind::RelayAgentToken, &to_save.relay_token)?;
            k.save(SecretKind::AccessToken, &to_save.access_token)
        })
        .await?;
        let connection = SavedConnection {
            settings,
            display_phone_number: report.display_phone_number.clone(),
        };
        self.with_store(|s| s.set_setting(SETTINGS_KEY, &connection))?;
        tracing::info!(
            relay = %connection.settings.relay_url,
            phone_number_id = %connection.settings.phone_number_id,
            "connected a number"
        );
        let session = self.start_connected(&connection, creds, notifier).await?;
        Ok((report, Some(session)))
    }

    /// The saved connection, and whether each token is saved.
    pub async fn connection_view(&self) -> Result<ConnectionView, IpcError> {
        let connection = self.saved_connection()?;
        let (relay, access) = self.saved_tokens().await?;
        Ok(ConnectionView {
            display_phone_number: connection
                .as_ref()
                .and_then(|c| c.display_phone_number.clone()),
            settings: connection.map(|c| c.settings),
            relay_token_saved: relay.is_some(),
            access_token_saved: access.is_some(),
        })
    }

    /// Forgets one token.
    pub async fn forget_token(&self, kind: TokenKind) -> Result<(), IpcError> {
        self.keychain(move |k| k.forget(kind.into())).await
    }

    /// Forgets the whole connection: both tokens and the saved settings.
    pub async fn forget_connection(&self) -> Result<(), IpcError> {
        self.keychain(|k| {
            SecretKind::ALL
                .into_iter()
                .try_for_each(|kind| k.forget(kind))
        })
        .await?;
        self.with_store(|s| s.remove_setting(SETTINGS_KEY))
    }

    /// On start: runs the saved connection with its tokens from the
    /// keychain. `Ok(None)` without one; the error is the problem to show.
    pub async fn restore(&self, notifier: Notifier) -> Result<Option<Arc<Session>>, IpcError> {
        let connection = match self.saved_connection() {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(None),
            Err(err) => {
                tracing::warn!("saved connection unreadable: {}", err.message);
                return Ok(None);
            }
        };
        let (Some(relay_token), Some(access_token)) = self.saved_tokens().await? else {
            return Err(IpcError::new(
                ErrorCode::TokenMissing,
                "A token of the saved connection is not in the system keychain any more. \
                 Paste it again in Settings → Connection.",
            ));
        };
        let creds = Credentials {
            relay_token,
            access_token,
        };
        self.start_connected(&connection, creds, notifier)
            .await
            .map(Some)
    }

    /// The team's relay and Meta, on the profile's own store.
    pub async fn start_connected(
        &self,
        connection: &SavedConnection,
        credentials: Credentials,
        notifier: Notifier,
    ) -> Result<Arc<Session>, IpcError> {
        let settings = connection.settings.normalised();
        let config = SessionConfig {
            mode: Mode::Connected,
            dir: self.dir.clone(),
            relay_url: settings.relay_url.clone(),
            agent_token: credentials.relay_token,
            graph: GraphConfig::new(settings.phone_number_id.clone(), settings.waba_id.clone())
                .with_base_url(self.targets.graph_base_url.clone()),
            access_token: credentials.access_token,
            business_number: connection
                .display_phone_number
                .as_deref()
                .and_then(|n| E164::parse(n).ok())
                .map(|n| n.to_string()),
        };
        Session::start(config, self.store()?, self.events.clone(), notifier).await
    }

    /// Demo mode: a relay and a simulator on loopback, a store of their own
    /// in `folder` (cleared first: a new simulated WhatsApp cannot continue
    /// the last one's relay log), else in a temporary folder removed when
    /// the session stops. The profile's preferences are copied into it.
    pub async fn start_demo(
        &self,
        folder: Option<PathBuf>,
        notifier: Notifier,
    ) -> Result<Arc<Session>, IpcError> {
        let failed = |e: &dyn std::fmt::Display, what: String| {
            IpcError::with_detail(ErrorCode::DemoFailed, e, format!("{what}: {e}"))
        };
        let (dir, scratch) = match folder {
            Some(dir) => {
                if dir.exists() {
                    std::fs::remove_dir_all(&dir).map_err(|e| {
                        failed(
                            &e,
                            format!("Cannot clear the last demo in {}", dir.display()),
                        )
                    })?;
                }
                (dir, None)
            }
            None => {
                let tmp = tempfile::Builder::new()
                    .prefix("hourglass-demo-")
                    .tempdir()
                    .map_err(|e| failed(&e, "No temporary folder for the demo".to_owned()))?;
                (tmp.path().to_owned(), Some(tmp))
            }
        };
        std::fs::create_dir_all(&dir)
            .map_err(|e| failed(&e, format!("Cannot create {}", dir.display())))?;
        let store = open_store(&dir)?;
        if let Err(err) = self.copy_preferences(&store) {
            tracing::warn!("preferences not copied to the demo: {}", err.message);
        }
        let demo = Demo::start(&dir)
            .await
            .map_err(|e| IpcError::because(ErrorCode::DemoFailed, e))?;
        write_endpoints(&dir, &demo);
        let sim = demo.sim.config();
        let config = SessionConfig {
            mode: Mode::Demo,
            dir,
            relay_url: demo.relay.url(),
            agent_token: demo.agent_token.clone(),
            graph: GraphConfig::new(sim.phone_number_id.clone(), sim.waba_id.clone())
                .with_base_url(demo.sim.graph_base_url()),
            access_token: Secret::new(sim.access_token.clone()),
            business_number: E164::parse(&sim.display_phone_number)
                .ok()
                .map(|n| n.to_string()),
        };
        match Session::start(config, store, self.events.clone(), notifier).await {
            Ok(session) => {
                if let Some(running) = lock(&session.running).as_mut() {
                    running.demo = Some(demo);
                    running.scratch = scratch;
                }
                Ok(session)
            }
            Err(err) => {
                demo.shutdown().await;
                Err(err)
            }
        }
    }
}

/// Where the demo's relay and simulator listen, written to `endpoints.json`
/// in the demo folder so a developer (or a test) can drive the simulator's
/// control API while the app runs. No secret goes in it.
fn write_endpoints(dir: &Path, demo: &Demo) {
    let endpoints = serde_json::json!({
        "relay": demo.relay.url(),
        "simulator": demo.sim.base_url(),
    });
    if let Err(err) = std::fs::write(dir.join("endpoints.json"), endpoints.to_string()) {
        tracing::warn!("could not write the demo endpoints file: {err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::unwrap_used)]
    fn notifications_start_in_the_saved_settings_and_the_chosen_or_system_language() {
        let dir = tempfile::tempdir().unwrap();
        let profile = Profile::open(dir.path(), SecretStore::new("unused"));
        assert_eq!(
            profile.notification_settings(),
            NotificationSettings::default()
        );
        let ru = || Some("ru_RU.UTF-8".to_owned());
        assert_eq!(profile.notification_language(None), Language::En);
        assert_eq!(profile.notification_language(ru()), Language::Ru);

        let quiet = NotificationSettings {
            do_not_disturb: true,
            ..NotificationSettings::default()
        };
        profile
            .save_preference(NOTIFICATION_SETTINGS_KEY, Some(&quiet), None)
            .unwrap();
        profile.set_language("es").unwrap();
        assert_eq!(profile.notification_settings(), quiet);
        assert_eq!(profile.notification_language(ru()), Language::Es);
        // A language Hourglass does not speak falls back to the system's.
        profile
            .with_store(|s| s.set_setting(LANGUAGE_KEY, "de"))
            .unwrap();
        assert_eq!(profile.notification_language(ru()), Language::Ru);
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn the_form_never_prints_its_tokens() {
        let form: ConnectForm = serde_json::from_value(serde_json::json!({
            "relay_url": "https://relay.example.com",
            "relay_token": "hgr_agent_5d1e",
            "phone_number_id": "106540352242922",
            "waba_id": "102290129340398",
            "access_token": "EAAGsecret42",
        }))
        .unwrap();
        let printed = format!("{form:?} {form:#?}");
        for token in ["hgr_agent_5d1e", "EAAGsecret42"] {
            assert!(!printed.contains(token), "{printed}");
        }
        assert!(printed.contains("relay.example.com"));
        assert_eq!(form.relay_token.expose(), "hgr_agent_5d1e");
        assert_eq!(form.access_token.expose(), "EAAGsecret42");
    }
}
