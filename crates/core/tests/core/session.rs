//! The session and its profile, as the desktop shell drives them: the
//! connect workflow (test, then keychain, then save, then start) and
//! restoring it, team actions that read their own write, the collision
//! check, the unread total on the event bus, and preferences copied into a
//! demo's store. A real store in a temp dir, the real relay and the
//! simulator on loopback; the keychain is an in-memory one.

#![allow(clippy::unwrap_used)]

use crate::support::lab;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::connection::{SETTINGS_KEY, TestTargets};
use hourglass_core::inbox::ConversationId;
use hourglass_core::notification::{
    MemorySink, NotificationPolicy, NotificationSettings, Notifier,
};
use hourglass_core::presence::Collision;
use hourglass_core::problem::ErrorCode;
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::{Secret, SecretError, SecretKind};
use hourglass_core::session::{
    AppEvent, ConnectForm, Current, Keychain, Mode, NOTIFICATION_SETTINGS_KEY, Profile,
    SavedConnection, Sessions, TokenKind,
};
use hourglass_core::store::settings::{LEAD_CODE_PATTERN, RATE_TABLE};
use hourglass_protocol::{PresenceState, PresenceUpdate};
use hourglass_relay::{Config, Relay, RunningRelay};
use hourglass_sim::{Inbound, SimHandle};
use tokio::sync::broadcast;

const SECRET: &str = "session-secret";
const CUSTOMER: &str = "34612345678";

/// The system keychain's behaviour, in memory: what is saved loads back.
#[derive(Clone, Default)]
struct MemoryKeychain(Arc<Mutex<HashMap<&'static str, String>>>);

impl Keychain for MemoryKeychain {
    fn load(&self, kind: SecretKind) -> Result<Option<Secret>, SecretError> {
        Ok(self.0.lock().unwrap().get(kind.key()).map(Secret::new))
    }
    fn save(&self, kind: SecretKind, secret: &Secret) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap()
            .insert(kind.key(), secret.expose().to_owned());
        Ok(())
    }
    fn forget(&self, kind: SecretKind) -> Result<(), SecretError> {
        self.0.lock().unwrap().remove(kind.key());
        Ok(())
    }
}

impl MemoryKeychain {
    fn get(&self, kind: SecretKind) -> Option<String> {
        self.0.lock().unwrap().get(kind.key()).cloned()
    }
}

struct Lab {
    dir: tempfile::TempDir,
    relay: RunningRelay,
    /// Agent "ana": this desktop.
    token: String,
    /// Agent "ben": a colleague on another desktop.
    ben: RelayClient,
    sim: SimHandle,
    keychain: MemoryKeychain,
}

async fn lab() -> Lab {
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::open(
        Config::new(dir.path().join("relay.db"), SECRET, "verify")
            .with_heartbeat(Duration::from_millis(200)),
    )
    .unwrap();
    let token = relay.add_agent("ana").unwrap().expose().to_owned();
    let ben = relay.add_agent("ben").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let sim = lab::start_sim(&relay, SECRET).await;
    let ben = RelayClient::new(&relay.url(), Secret::new(ben)).unwrap();
    Lab {
        dir,
        relay,
        token,
        ben,
        sim,
        keychain: MemoryKeychain::default(),
    }
}

impl Lab {
    fn profile(&self) -> Profile {
        Profile::open(&self.dir.path().join("profile"), self.keychain.clone()).with_targets(
            TestTargets {
                graph_base_url: self.sim.graph_base_url().to_owned(),
                timeout: Duration::from_secs(5),
                ..TestTargets::default()
            },
        )
    }

    fn form(&self, relay_token: &str) -> ConnectForm {
        let sim = self.sim.config();
        serde_json::from_value(serde_json::json!({
            "relay_url": self.relay.url(),
            "relay_token": relay_token,
            "phone_number_id": sim.phone_number_id,
            "waba_id": sim.waba_id,
            "access_token": sim.access_token,
        }))
        .unwrap()
    }
}

fn notifier() -> Notifier {
    let (notifier, task) = Notifier::new(
        Arc::new(MemorySink::default()),
        NotificationPolicy::new(NotificationSettings::default()),
    );
    tokio::spawn(task);
    notifier
}

async fn wait_until<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let started = Instant::now();
    loop {
        if let Some(found) = f() {
            return found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "timed out: {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The next event of `kind` on the bus (others are skipped).
async fn next_event<T>(
    events: &mut broadcast::Receiver<AppEvent>,
    mut pick: impl FnMut(AppEvent) -> Option<T>,
) -> T {
    tokio::time::timeout(Duration::from_secs(15), async {
        loop {
            if let Some(found) = pick(events.recv().await.unwrap()) {
                return found;
            }
        }
    })
    .await
    .expect("the event came")
}

/// The customer writes; answers the conversation once this desktop has it.
async fn customer_writes(lab: &Lab, sessions: &Sessions, body: &str) -> ConversationId {
    let receipt = lab
        .sim
        .inbound_delivered(Inbound::text(CUSTOMER, body))
        .await
        .unwrap();
    wait_until("the message synced", || {
        sessions
            .with_store(|s| s.message_by_wamid(&receipt.id))
            .unwrap()
            .map(|m| m.conversation_id)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_tests_then_saves_then_starts_and_a_restart_restores_it() {
    let lab = lab().await;
    let sessions = Sessions::new(lab.profile(), notifier());
    let mut events = sessions.profile().events();

    // A wrong relay token: the report says so and nothing is saved.
    let outcome = sessions.connect(&lab.form("hgr_wrong")).await.unwrap();
    assert!(!outcome.report.ok(), "{:#?}", outcome.report);
    assert!(outcome.session.is_none());
    assert_eq!(sessions.mode(), Mode::Unconfigured);
    assert_eq!(lab.keychain.get(SecretKind::RelayAgentToken), None);
    assert!(sessions.profile().saved_connection().unwrap().is_none());

    // The right values: both tokens in the keychain, the rest in the
    // store, and a running session the window is told about.
    let outcome = sessions.connect(&lab.form(&lab.token)).await.unwrap();
    assert!(outcome.report.ok(), "{:#?}", outcome.report);
    assert_eq!(outcome.session.unwrap().mode, Mode::Connected);
    assert_eq!(
        lab.keychain.get(SecretKind::RelayAgentToken).as_deref(),
        Some(lab.token.as_str())
    );
    assert_eq!(
        lab.keychain.get(SecretKind::AccessToken).as_deref(),
        Some(lab.sim.config().access_token.as_str())
    );
    let saved: SavedConnection = sessions
        .with_profile_store(|s| s.setting(SETTINGS_KEY))
        .unwrap()
        .unwrap();
    assert_eq!(saved.settings.relay_url, lab.relay.url());
    let told = next_event(&mut events, |e| match e {
        AppEvent::SessionChanged(info) => Some(info),
        _ => None,
    })
    .await;
    assert_eq!(told.mode, Mode::Connected);
    // No token in anything the store keeps.
    let printed = serde_json::to_string(&saved).unwrap();
    assert!(!printed.contains(&lab.token), "{printed}");

    // The session works: a customer's message arrives in the profile's store.
    let conversation = customer_writes(&lab, &sessions, "Hola").await;
    sessions.stop().await;

    // A restart restores the connection from the store and the keychain.
    let restarted = Sessions::new(lab.profile(), notifier());
    assert!(restarted.restore().await);
    assert_eq!(restarted.mode(), Mode::Connected);
    assert!(
        restarted
            .with_store(|s| s.conversation(conversation))
            .is_ok()
    );

    // A token forgotten: the connection stops and says why; a restart
    // cannot restore it.
    let info = restarted
        .forget_token(TokenKind::AccessToken)
        .await
        .unwrap();
    assert_eq!(info.mode, Mode::Unconfigured);
    assert_eq!(info.problem.unwrap().code, ErrorCode::TokenMissing);
    let again = Sessions::new(lab.profile(), notifier());
    assert!(!again.restore().await);
    assert_eq!(
        again.session_info().problem.unwrap().code,
        ErrorCode::TokenMissing
    );

    // Disconnect forgets the rest.
    again.disconnect().await.unwrap();
    assert!(again.profile().saved_connection().unwrap().is_none());
    assert_eq!(lab.keychain.get(SecretKind::RelayAgentToken), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_actions_read_their_own_write_and_collisions_and_unread_are_seen() {
    let lab = lab().await;
    let sessions = Sessions::new(lab.profile(), notifier());
    let mut events = sessions.profile().events();
    assert!(
        sessions
            .connect(&lab.form(&lab.token))
            .await
            .unwrap()
            .report
            .ok()
    );
    let session = sessions.session().unwrap();

    // Two messages: the unread total goes out on the bus.
    let conversation = customer_writes(&lab, &sessions, "Hola").await;
    customer_writes(&lab, &sessions, "¿Hay alguien?").await;
    assert_eq!(session.unread_total().unwrap(), 2);
    let unread = next_event(&mut events, |e| match e {
        AppEvent::UnreadChanged(n) if n == 2 => Some(n),
        _ => None,
    })
    .await;
    assert_eq!(unread, 2);

    // Each action answers the state with itself applied: no waiting for
    // the stream by the caller.
    let team = session
        .assign(conversation, Some("ana".to_owned()))
        .await
        .unwrap();
    assert_eq!(team.assignee.as_deref(), Some("ana"));
    let team = session
        .add_note(conversation, "Refund approved".to_owned())
        .await
        .unwrap();
    assert_eq!(team.notes.len(), 1);
    assert_eq!(team.notes[0].body, "Refund approved");
    let team = session
        .set_label(conversation, "  vip ", true)
        .await
        .unwrap();
    assert_eq!(team.labels, vec!["vip".to_owned()]);
    let canned = session
        .save_canned(None, "Hi".to_owned(), "Hello!".to_owned())
        .await
        .unwrap();
    assert_eq!(canned.len(), 1);
    let canned = session.delete_canned(canned[0].id.clone()).await.unwrap();
    assert!(canned.is_empty());

    // Ben types in the same chat: the check before sending warns.
    let now_ms = chrono::Utc::now().timestamp_millis();
    assert_eq!(
        session.collisions(conversation, now_ms).await.unwrap(),
        vec![]
    );
    let key = session
        .with_store(|s| s.conversation_key(conversation))
        .unwrap();
    lab.ben
        .set_presence(&PresenceUpdate {
            customer: key.customer.clone(),
            phone_number_id: key.phone_number_id.clone(),
            state: PresenceState::Typing,
        })
        .await
        .unwrap();
    let collisions = session.collisions(conversation, now_ms).await.unwrap();
    assert!(
        collisions
            .iter()
            .any(|c| matches!(c, Collision::Typing { agent } if agent == "ben")),
        "{collisions:?}"
    );
    let presence = session.presence(conversation).await.unwrap();
    assert_eq!(presence.typing, vec!["ben".to_owned()]);
    let agents = session.agents().await.unwrap();
    assert_eq!(agents.me.as_deref(), Some("ana"));

    // Reading the chat: unread back to 0, told on the bus.
    let summary = session.mark_read(conversation).unwrap();
    assert_eq!(summary.unread_count, 0);
    next_event(&mut events, |e| match e {
        AppEvent::UnreadChanged(0) => Some(()),
        _ => None,
    })
    .await;

    // Without a session, team actions say so.
    sessions.switch(Current::Unconfigured(None)).await;
    assert_eq!(
        sessions.session().unwrap_err().code,
        ErrorCode::NotConnected
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preferences_are_copied_into_the_demo_and_follow_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let profile = Profile::open(&dir.path().join("profile"), MemoryKeychain::default());
    profile
        .set_lead_pattern(Some(" P-([0-9]{3}) "), None)
        .unwrap();
    let sessions = Sessions::new(profile, notifier());
    let mut events = sessions.profile().events();

    // A link's number before any session runs waits for one.
    sessions.open_phone("+16505550142".to_owned());
    let notice = sessions.launcher().take_notice().unwrap();
    assert_eq!(notice.problem.unwrap().code, ErrorCode::LinkNeedsNumber);

    // The demo: its own store in its own folder, the profile's
    // preferences copied in.
    let demo_dir = dir.path().join("demo");
    assert!(sessions.start_demo(Some(demo_dir.clone())).await.unwrap());
    // Starting, it opened the waiting number's conversation, and told the
    // window to reload and to take the notice.
    let notice = sessions.launcher().take_notice().unwrap();
    let opened = notice.open.expect("the waiting number's chat opened");
    let summary = sessions.with_store(|s| s.conversation(opened)).unwrap();
    assert_eq!(summary.contact.phone.as_deref(), Some("+16505550142"));
    next_event(&mut events, |e| matches!(e, AppEvent::Reload).then_some(())).await;
    next_event(&mut events, |e| {
        matches!(e, AppEvent::LaunchNotice).then_some(())
    })
    .await;
    assert!(!sessions.start_demo(Some(demo_dir.clone())).await.unwrap());
    let session = sessions.session().unwrap();
    assert_eq!(session.mode(), Mode::Demo);
    assert_eq!(session.dir(), demo_dir);

    // Do not disturb from the tray: saved in the profile and the demo's
    // store, and the window told; again, and it is off.
    let quiet = sessions.toggle_do_not_disturb();
    assert!(quiet.do_not_disturb);
    assert_eq!(sessions.profile().notification_settings(), quiet);
    let in_demo: Option<NotificationSettings> = session
        .with_store(|s| s.setting(NOTIFICATION_SETTINGS_KEY))
        .unwrap();
    assert_eq!(in_demo, Some(quiet));
    let told = next_event(&mut events, |e| match e {
        AppEvent::NotificationSettingsChanged(s) => Some(s),
        _ => None,
    })
    .await;
    assert_eq!(told, quiet);
    assert!(!sessions.toggle_do_not_disturb().do_not_disturb);
    let in_demo: Option<String> = session
        .with_store(|s| s.setting(LEAD_CODE_PATTERN))
        .unwrap();
    assert_eq!(in_demo.as_deref(), Some("P-([0-9]{3})"));
    assert!(demo_dir.join("endpoints.json").exists());

    // A change reaches both stores; the default removes it from both.
    let table = sessions.with_profile_store(|s| s.rate_table()).unwrap();
    sessions
        .profile()
        .set_rate_table(Some(&table), Some(&session.store()))
        .unwrap();
    let copied: Option<serde_json::Value> = session.with_store(|s| s.setting(RATE_TABLE)).unwrap();
    assert!(copied.is_some());
    sessions
        .profile()
        .set_lead_pattern(None, Some(&session.store()))
        .unwrap();
    let in_demo: Option<String> = session
        .with_store(|s| s.setting(LEAD_CODE_PATTERN))
        .unwrap();
    assert_eq!(in_demo, None);
    // A pattern that is no pattern is refused before anything is saved.
    let refused = sessions
        .profile()
        .set_lead_pattern(Some("("), Some(&session.store()))
        .unwrap_err();
    assert_ne!(refused.code, ErrorCode::Database);

    // The demo's inbox fills from its simulator.
    wait_until("the demo's conversations", || {
        let n = session
            .with_store(|s| s.list_conversations(100))
            .unwrap()
            .len();
        (n > 0).then_some(n)
    })
    .await;
    sessions.stop().await;
}
