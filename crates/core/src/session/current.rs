//! Which session runs: the state a desktop shell keeps between commands.

use super::{
    AppEvent, ConnectForm, IpcError, Mode, Profile, Session, SessionInfo, TokenKind, lock,
};
use super::{OutboxChange, now_ms};
use crate::connection::ConnectionReport;
use crate::graph::GraphClient;
use crate::inbox::{ConversationId, ConversationSummary, MessageId};
use crate::launch::{self, DeepLink, DeepLinkError, Launcher};
use crate::media::MediaFetcher;
use crate::notification::{NotificationSettings, Notifier};
use crate::outbox::{self, OutboxId, Queued};
use crate::problem::ErrorCode;
use crate::secrets::Secret;
use crate::store::Store;
use crate::sync::SharedStore;
use crate::templates::{TemplateKey, TemplateValue};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// The session the window reads.
#[derive(Debug)]
pub enum Current {
    /// Nothing runs; the profile's store is read. Why, when something
    /// should run (a locked keychain, say).
    Unconfigured(Option<IpcError>),
    Demo(Arc<Session>),
    Connected(Arc<Session>),
}

/// What "Connect" answers: the checks, and the session when it connected.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConnectOutcome {
    pub report: ConnectionReport,
    pub session: Option<SessionInfo>,
}

/// The profile and the session running on it; one per app.
#[derive(Debug)]
pub struct Sessions {
    profile: Profile,
    current: Mutex<Current>,
    /// Held while a demo starts: two requests at once start one demo, and
    /// the second never clears the folder the first is starting in.
    demo_starting: tokio::sync::Mutex<()>,
    /// What links and second launches decided, for the window to take.
    launcher: Launcher,
    /// The desktop's notifications, fed by every session.
    notifier: Notifier,
}

impl Sessions {
    pub fn new(profile: Profile, notifier: Notifier) -> Sessions {
        Sessions {
            profile,
            current: Mutex::new(Current::Unconfigured(None)),
            demo_starting: tokio::sync::Mutex::new(()),
            launcher: Launcher::default(),
            notifier,
        }
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn profile_dir(&self) -> &Path {
        self.profile.dir()
    }

    pub fn profile_store(&self) -> Result<SharedStore, IpcError> {
        self.profile.store()
    }

    /// Runs `f` with the profile's own store locked, whatever the session.
    pub fn with_profile_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> crate::Result<T>,
    ) -> Result<T, IpcError> {
        self.profile.with_store(f)
    }

    /// Makes `next` current, stops the session it replaces and tells the
    /// window. A session that starts opens the number a link asked for
    /// while none ran.
    pub async fn switch(&self, next: Current) {
        let previous = std::mem::replace(&mut *lock(&self.current), next);
        if let Current::Demo(s) | Current::Connected(s) = previous {
            s.stop().await;
        }
        self.profile
            .emit(AppEvent::SessionChanged(self.session_info()));
        if self.running().is_some()
            && let Some(phone) = self.launcher.session_started()
        {
            self.open_phone(phone);
        }
    }

    pub fn notifier(&self) -> &Notifier {
        &self.notifier
    }

    /// Saves the agent's notification settings (in the profile and the
    /// session's store), applies them and tells the window.
    pub fn set_notification_settings(
        &self,
        settings: NotificationSettings,
    ) -> Result<NotificationSettings, IpcError> {
        self.save_preference(super::NOTIFICATION_SETTINGS_KEY, Some(&settings))?;
        self.notifier.set_settings(settings);
        self.profile
            .emit(AppEvent::NotificationSettingsChanged(settings));
        Ok(settings)
    }

    /// Do not disturb flipped outside the window (the tray), saved and
    /// applied like the window's own change; answers the settings in force
    /// (the previous ones when saving failed).
    pub fn toggle_do_not_disturb(&self) -> NotificationSettings {
        let key = super::NOTIFICATION_SETTINGS_KEY;
        let toggled = self.with_profile_store(|s| Ok(crate::desktop::toggled_dnd(s, key)));
        let (current, next) = toggled.unwrap_or_default();
        match self.set_notification_settings(next) {
            Ok(next) => next,
            Err(err) => {
                tracing::warn!("do not disturb from the tray: {}", err.message);
                current
            }
        }
    }

    pub fn launcher(&self) -> &Launcher {
        &self.launcher
    }

    /// Leaves a notice with the [`Launcher`] (`f`) and tells the window to
    /// take it.
    pub fn launch_notice(&self, f: impl FnOnce(&Launcher)) {
        f(&self.launcher);
        self.profile.emit(AppEvent::LaunchNotice);
    }

    /// On start: the demo when `demo` (in [`launch::demo_folder`]), else
    /// the saved connection; a problem is kept to be shown, not hidden.
    pub async fn start(&self, demo: bool) {
        if !demo {
            self.restore().await;
        } else if let Err(err) = self.start_demo(launch::demo_folder()).await {
            tracing::error!("demo mode did not start: {}", err.message);
        }
    }

    /// Follows a link from a launch or the system: starts the demo, or
    /// opens a conversation; what cannot be done is left as the notice.
    pub async fn follow(&self, link: Result<DeepLink, DeepLinkError>) {
        tracing::info!(?link, "following a link");
        match link {
            Err(err) => self.launch_notice(|l| l.refuse(&err)),
            Ok(DeepLink::Open { phone }) => self.open_phone(phone),
            Ok(DeepLink::Demo) => {
                if let Err(err) = self.start_demo(launch::demo_folder()).await {
                    tracing::error!("demo mode did not start: {}", err.message);
                    self.launch_notice(|l| l.problem(err.code, err.message));
                }
            }
        }
    }

    /// A link's `open?phone=`: opens (or starts) the conversation with
    /// `phone` on the session's number, or keeps the number until a session
    /// runs (see [`Launcher::open_phone`]); the window is told either way.
    pub fn open_phone(&self, phone: String) {
        let number = self.graph().map(|g| g.config().phone_number_id.clone());
        let open = |phone: &str, number: &str| {
            self.with_store(|s| launch::conversation_with(s, phone, number))
                .map_err(|e| (e.code, e.message))
        };
        if self.launcher.open_phone(number, phone, open) {
            // The list learns of a conversation it did not have.
            self.profile.emit(AppEvent::Reload);
        }
        self.profile.emit(AppEvent::LaunchNotice);
    }

    /// Stops the session (the app quits); nothing is told.
    pub async fn stop(&self) {
        let previous = std::mem::replace(&mut *lock(&self.current), Current::Unconfigured(None));
        if let Current::Demo(s) | Current::Connected(s) = previous {
            s.stop().await;
        }
    }

    /// Starts the demo in `folder` (see [`Profile::start_demo`]) unless it
    /// runs; answers whether it started one.
    pub async fn start_demo(&self, folder: Option<PathBuf>) -> Result<bool, IpcError> {
        let _one_at_a_time = self.demo_starting.lock().await;
        if self.mode() == Mode::Demo {
            return Ok(false);
        }
        let session = self
            .profile
            .start_demo(folder, self.notifier.clone())
            .await?;
        self.switch(Current::Demo(session)).await;
        Ok(true)
    }

    /// Runs the saved connection, if any; a problem is kept to be shown.
    /// Answers whether a session started.
    pub async fn restore(&self) -> bool {
        match self.profile.restore(self.notifier.clone()).await {
            Ok(None) => false,
            Ok(Some(session)) => {
                self.switch(Current::Connected(session)).await;
                true
            }
            Err(problem) => {
                tracing::warn!("the saved connection did not start: {}", problem.message);
                self.switch(Current::Unconfigured(Some(problem))).await;
                false
            }
        }
    }

    /// "Connect" (see [`Profile::connect`]); the new session replaces the
    /// current one when every check passed.
    pub async fn connect(&self, form: &ConnectForm) -> Result<ConnectOutcome, IpcError> {
        let (report, session) = self.profile.connect(form, self.notifier.clone()).await?;
        let Some(session) = session else {
            return Ok(ConnectOutcome {
                report,
                session: None,
            });
        };
        self.switch(Current::Connected(session)).await;
        let session = Some(self.session_info());
        Ok(ConnectOutcome { report, session })
    }

    /// Forgets one token. The connection stops using it at once: sync and
    /// sending need both, so the app is unconnected until it is replaced.
    pub async fn forget_token(&self, kind: TokenKind) -> Result<SessionInfo, IpcError> {
        self.profile.forget_token(kind).await?;
        if self.mode() == Mode::Connected {
            let problem = IpcError::new(
                ErrorCode::TokenMissing,
                "A token was removed, so Hourglass is not connected. \
                 Paste it again in Settings → Connection.",
            );
            self.switch(Current::Unconfigured(Some(problem))).await;
        }
        Ok(self.session_info())
    }

    /// Forgets the whole connection (both tokens and the settings) and
    /// stops it; a demo goes on.
    pub async fn disconnect(&self) -> Result<SessionInfo, IpcError> {
        self.profile.forget_connection().await?;
        if self.mode() != Mode::Demo {
            self.switch(Current::Unconfigured(None)).await;
        }
        Ok(self.session_info())
    }

    /// The agent is looking at the conversation: unread goes to 0 (and,
    /// with a session, Meta is told it was read).
    pub fn mark_read(&self, conversation: ConversationId) -> Result<ConversationSummary, IpcError> {
        if let Some(session) = self.running() {
            return session.mark_read(conversation);
        }
        let (_, summary) = self.with_store(|s| super::mark_read(s, conversation))?;
        let unread = self.with_store(|s| super::unread_total(s))?;
        self.profile.emit(AppEvent::UnreadChanged(unread));
        Ok(summary)
    }

    /// Queues free text (refused with `window_closed` once the 24-hour
    /// window has closed); it goes out when a session runs.
    pub fn send_text(
        &self,
        conversation: ConversationId,
        body: &str,
        reply_to: Option<&str>,
    ) -> Result<Queued, IpcError> {
        let queued =
            self.with_store(|s| outbox::enqueue_text(s, conversation, body, reply_to, now_ms()))?;
        self.wake_outbox();
        Ok(queued)
    }

    /// Queues a template with its values.
    pub fn send_template(
        &self,
        conversation: ConversationId,
        key: &TemplateKey,
        values: &[TemplateValue],
    ) -> Result<Queued, IpcError> {
        let queued =
            self.with_store(|s| outbox::enqueue_template(s, conversation, key, values, now_ms()))?;
        self.wake_outbox();
        Ok(queued)
    }

    /// Sends again a message that failed or that WhatsApp never confirmed.
    pub fn retry_send(&self, id: &OutboxId) -> Result<(), IpcError> {
        let message = self.with_store(|s| outbox::retry(s, id, now_ms()))?;
        // The bubble shows its clock at once, not the question it answered.
        self.outbox_changed(message);
        self.wake_outbox();
        Ok(())
    }

    /// Does not send again a message WhatsApp never confirmed.
    pub fn discard_send(&self, id: &OutboxId) -> Result<(), IpcError> {
        let message = self.with_store(|s| outbox::discard(s, id))?;
        self.outbox_changed(message);
        Ok(())
    }

    fn outbox_changed(&self, message: Option<MessageId>) {
        match message.map(|m| self.with_store(|s| OutboxChange::of(s, m))) {
            Some(Ok(change)) => self.profile.emit(AppEvent::OutboxChange(Box::new(change))),
            Some(Err(err)) => tracing::warn!("outbox update: {}", err.message),
            None => {}
        }
    }

    /// The running session, if any.
    pub fn running(&self) -> Option<Arc<Session>> {
        match &*lock(&self.current) {
            Current::Demo(s) | Current::Connected(s) => Some(Arc::clone(s)),
            Current::Unconfigured(_) => None,
        }
    }

    /// The running session, or `not_connected`.
    pub fn session(&self) -> Result<Arc<Session>, IpcError> {
        self.running().ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotConnected,
                "This needs a connected WhatsApp number. Connect one or start the demo.",
            )
        })
    }

    pub fn session_info(&self) -> SessionInfo {
        match &*lock(&self.current) {
            Current::Demo(s) | Current::Connected(s) => s.info(),
            Current::Unconfigured(problem) => SessionInfo::unconfigured(problem.clone()),
        }
    }

    pub fn mode(&self) -> Mode {
        self.running().map_or(Mode::Unconfigured, |s| s.mode())
    }

    /// The store the window reads: the session's, else the profile's.
    pub fn store(&self) -> Result<SharedStore, IpcError> {
        self.running()
            .map_or_else(|| self.profile.store(), |s| Ok(s.store()))
    }

    /// Runs `f` with the current store locked.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> crate::Result<T>,
    ) -> Result<T, IpcError> {
        let store = self.store()?;
        let mut guard = lock(&store);
        f(&mut guard).map_err(IpcError::from)
    }

    /// Saves a preference in the profile and in the session's own store.
    pub fn save_preference<T: Serialize + ?Sized>(
        &self,
        key: &str,
        value: Option<&T>,
    ) -> Result<(), IpcError> {
        let session = self.running().map(|s| s.store());
        self.profile.save_preference(key, value, session.as_ref())
    }

    pub fn graph(&self) -> Option<Arc<GraphClient>> {
        self.running().map(|s| s.graph())
    }

    pub fn media(&self) -> Option<Arc<MediaFetcher>> {
        self.running().map(|s| s.media())
    }

    pub fn relay_url(&self) -> Option<String> {
        self.running().map(|s| s.relay_url().to_owned())
    }

    pub fn business_number(&self) -> Option<String> {
        self.running().and_then(|s| s.business_number())
    }

    pub fn secrets(&self) -> Vec<Secret> {
        self.running().map(|s| s.secrets()).unwrap_or_default()
    }

    pub fn wake_outbox(&self) {
        if let Some(s) = self.running() {
            s.wake_outbox();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::notification::{MemorySink, NotificationPolicy};
    use crate::secrets::SecretStore;

    #[tokio::test]
    async fn links_without_a_session_leave_a_notice_and_the_window_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let policy = NotificationPolicy::new(NotificationSettings::default());
        let (notifier, task) = Notifier::new(std::sync::Arc::new(MemorySink::default()), policy);
        tokio::spawn(task);
        let sessions = Sessions::new(
            Profile::open(dir.path(), SecretStore::new("unused")),
            notifier,
        );
        let mut events = sessions.profile().events();

        // Nothing saved: starting runs nothing and shows no problem.
        sessions.start(false).await;
        assert_eq!(sessions.mode(), Mode::Unconfigured);
        assert!(sessions.session_info().problem.is_none());

        let notice = |code| {
            let notice = sessions.launcher().take_notice().unwrap();
            assert_eq!(notice.problem.unwrap().code, code);
        };
        sessions.follow(DeepLink::parse("hourglass://nope")).await;
        notice(ErrorCode::LinkUnknownAction);
        sessions
            .follow(DeepLink::parse("hourglass://open?phone=+34612345678"))
            .await;
        notice(ErrorCode::LinkNeedsNumber);
        let told = std::iter::from_fn(|| events.try_recv().ok());
        let notices = told.filter(|e| matches!(e, AppEvent::LaunchNotice)).count();
        assert_eq!(notices, 2);
    }
}
