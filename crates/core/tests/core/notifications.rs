//! Notifications captured on a real D-Bus session.
//!
//! Each test starts a private `dbus-daemon` and python3-dbusmock's
//! notification daemon on it, then runs the app side (an `#[ignore]`d
//! `app_*` test of this same binary) as a child process whose
//! `DBUS_SESSION_BUS_ADDRESS` names that bus: notify-rust connects to the
//! session bus named by that variable, and a child process is the only way to
//! set it without touching the environment of the other tests. The test then
//! reads what the daemon received: `Notify` calls through dbusmock's
//! `GetMethodCalls`, cross-checked against its `-l` log.
//!
//! dbus-daemon and python3-dbusmock are required: without them the tests fail
//! and say to run scripts/setup.sh. Linux and the BSDs only: elsewhere
//! notifications do not go through D-Bus.
#![cfg(all(unix, not(target_os = "macos")))]

use hourglass_core::problem::ErrorCode;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hourglass_core::inbox::ConversationId;
use hourglass_core::lead::{self, LeadCodePattern, LeadSource};
use hourglass_core::notification::{
    DesktopNotifier, Incoming, Notification, NotificationKind, NotificationPolicy,
    NotificationSettings, NotificationSink,
};
use hourglass_whatsapp::webhook::Referral;
use zbus::{OwnedVariant, Variant};

/// Set in the app side's environment to the private bus's address.
const APP_ENV: &str = "HOURGLASS_TEST_PRIVATE_BUS";
const SETUP_HINT: &str = "run scripts/setup.sh (it installs dbus, dbus-x11 and python3-dbusmock)";
const NOTIFICATIONS: &str = "org.freedesktop.Notifications";
const NOTIFICATIONS_PATH: &str = "/org/freedesktop/Notifications";
const MOCK_IFACE: &str = "org.freedesktop.DBus.Mock";

// ---------------------------------------------------------------------------
// The observer side: what the notification daemon received.
// ---------------------------------------------------------------------------

#[test]
fn one_notify_per_new_lead_and_none_for_known_contacts_own_sends_or_replays() {
    let bus = PrivateBus::start();
    bus.run_app("app_leads_and_quiet_messages");
    let calls = bus.notify_calls();
    assert_eq!(calls.len(), 2, "{calls:#?}");
    assert_eq!(bus.logged_notify_count(), 2);

    let ad = &calls[0];
    assert_eq!(ad.app_name, "Hourglass");
    assert_eq!(ad.replaces_id, 0);
    assert_eq!(ad.summary, "New lead: Ana Souza");
    assert_eq!(ad.body, "Hi! Is the sale still on?\nAd: Summer sale -50%");
    assert_eq!(ad.actions, ["default", "Open"]);
    assert_eq!(
        ad.hints
            .get("x-hourglass-conversation-id")
            .map(String::as_str),
        Some("101")
    );
    assert_eq!(
        ad.hints.get("x-hourglass-kind").map(String::as_str),
        Some("lead")
    );
    assert_eq!(
        ad.hints.get("category").map(String::as_str),
        Some("im.received")
    );

    let code = &calls[1];
    assert_eq!(code.summary, "New lead: +34 612 34 56 78");
    // The mock daemon announces body-markup, so the customer's tags and
    // ampersand arrive escaped and are shown as typed.
    assert_eq!(
        code.body,
        "Hola &lt;b&gt;amigos&lt;/b&gt; &amp; co. Código: ABC123\nPartner code ABC123"
    );
    assert_eq!(
        code.hints
            .get("x-hourglass-conversation-id")
            .map(String::as_str),
        Some("102")
    );
}

#[test]
fn a_burst_of_fifty_leads_is_one_summary_notify() {
    let bus = PrivateBus::start();
    bus.run_app("app_burst_of_leads");
    let calls = bus.notify_calls();
    assert_eq!(calls.len(), 1, "{calls:#?}");
    assert_eq!(bus.logged_notify_count(), 1);
    let summary = &calls[0];
    assert_eq!(summary.summary, "50 new leads");
    assert_eq!(summary.body, "Lead 0, Lead 1, Lead 2 and 47 more");
    assert_eq!(
        summary.hints.get("x-hourglass-kind").map(String::as_str),
        Some("summary")
    );
    assert!(
        !summary.hints.contains_key("x-hourglass-conversation-id"),
        "{summary:#?}"
    );
}

#[test]
fn clicking_a_notification_reports_its_conversation() {
    let bus = PrivateBus::start();
    bus.run_app("app_click");
    assert_eq!(bus.notify_calls().len(), 2);
}

#[test]
fn without_a_session_bus_sending_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let address = format!("unix:path={}", dir.path().join("no-bus").display());
    run_app_at("app_without_a_bus", &address);
}

// ---------------------------------------------------------------------------
// The app side: run only as a child of the tests above.
// ---------------------------------------------------------------------------

#[test]
#[ignore = "the app side of a D-Bus test; run by the test that starts its private bus"]
fn app_leads_and_quiet_messages() {
    app_bus();
    let pattern = LeadCodePattern::default();
    let referral: Referral = serde_json::from_value(serde_json::json!({
        "source_url": "https://fb.me/summer", "source_id": "120208", "source_type": "ad",
        "headline": "Summer sale -50%", "body": "Only this week", "media_type": "image",
        "image_url": "https://scontent.example/ad.jpg", "ctwa_clid": "ARAkLkA8rmlFeiCktEJQ"
    }))
    .expect("referral");
    let ad_text = "Hi! Is the sale still on?";
    let code_text = "Hola <b>amigos</b> & co.\nCódigo: ABC123";

    let messages = vec![
        // A new lead from an ad.
        Incoming {
            lead: lead::detect(Some(ad_text), Some(&referral), &pattern),
            ..incoming(101, "Ana Souza", ad_text, true)
        },
        // A message from a known contact in someone else's chat.
        incoming(200, "Known Customer", "thanks!", false),
        // Our own send to a new number (the contact is new, the message ours).
        Incoming {
            from_us: true,
            ..incoming(201, "+1 650 555 1234", "Hello from Hourglass", true)
        },
        // A replay, during catch-up, of a lead the store already had.
        Incoming {
            replay: true,
            lead: lead::detect(Some("Code: OLD1"), None, &pattern),
            ..incoming(202, "Old Lead", "Code: OLD1", true)
        },
        // A new lead with a partner code.
        Incoming {
            lead: lead::detect(Some(code_text), None, &pattern),
            ..incoming(102, "+34 612 34 56 78", code_text, true)
        },
    ];
    assert_eq!(
        messages[4].lead,
        Some(LeadSource::PartnerCode {
            code: "ABC123".into()
        })
    );
    let sent = deliver(messages);
    assert_eq!(sent, 2);
}

#[test]
#[ignore = "the app side of a D-Bus test; run by the test that starts its private bus"]
fn app_burst_of_leads() {
    app_bus();
    let messages = (0..50)
        .map(|i| incoming(1_000 + i, &format!("Lead {i}"), "Hi, Code: P1", true))
        .collect();
    assert_eq!(deliver(messages), 1);
}

#[test]
#[ignore = "the app side of a D-Bus test; run by the test that starts its private bus"]
fn app_click() {
    app_bus();
    let (tx, rx) = mpsc::channel();
    let notifier = DesktopNotifier::new().on_click(move |conversation| {
        let _ = tx.send(conversation);
    });
    let lead = notification(Some(ConversationId(42)), NotificationKind::Lead);
    let summary = notification(None, NotificationKind::Summary);
    let lead_id = notifier.show(&lead).expect("shown");
    let summary_id = notifier.show(&summary).expect("shown");
    assert_ne!(lead_id, summary_id);

    // A click on another notification is not ours.
    emit_action(lead_id + summary_id + 100, "default");
    assert!(rx.recv_timeout(Duration::from_millis(300)).is_err());

    // The waiting thread subscribes shortly after `show` returns: click until
    // it hears it.
    assert_eq!(click_until_heard(lead_id, &rx), Some(ConversationId(42)));
    assert_eq!(click_until_heard(summary_id, &rx), None);
}

#[test]
#[ignore = "the app side of a D-Bus test; run by the test that starts its private bus"]
fn app_without_a_bus() {
    app_bus();
    let sink = DesktopNotifier::new().on_click(|_| {});
    let err = sink
        .send(&notification(
            Some(ConversationId(1)),
            NotificationKind::Lead,
        ))
        .expect_err("no bus, no notification");
    assert_eq!(err.code(), ErrorCode::NotificationFailed);
    assert!(err.to_string().contains("D-Bus session bus"), "{err}");
}

/// Runs messages through the default policy and the desktop sink the way
/// the sync engine does; returns how many notifications were sent.
fn deliver(messages: Vec<Incoming>) -> usize {
    let mut policy = NotificationPolicy::new(NotificationSettings::default());
    let sink = DesktopNotifier::new();
    let now = 1_700_000_000_000;
    let mut out = Vec::new();
    for m in messages {
        out.extend(policy.push(m, now));
    }
    let due = policy.next_flush_at().expect("something is held");
    out.extend(policy.flush(due));
    for n in &out {
        sink.send(n).expect("sent");
    }
    out.len()
}

fn incoming(conversation: i64, contact: &str, text: &str, is_new_contact: bool) -> Incoming {
    Incoming {
        conversation_id: ConversationId(conversation),
        contact: contact.into(),
        preview: text.into(),
        lead: None,
        is_new_contact,
        from_us: false,
        replay: false,
        mine: false,
        missed_call: false,
    }
}

fn notification(conversation_id: Option<ConversationId>, kind: NotificationKind) -> Notification {
    Notification {
        kind,
        summary: "New lead: Ana".into(),
        body: "Hi".into(),
        conversation_id,
        all_leads: kind == NotificationKind::Summary,
    }
}

fn click_until_heard(
    id: u32,
    rx: &mpsc::Receiver<Option<ConversationId>>,
) -> Option<ConversationId> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        emit_action(id, "default");
        if let Ok(conversation) = rx.recv_timeout(Duration::from_millis(100)) {
            return conversation;
        }
    }
    panic!("the click handler never heard ActionInvoked for notification {id}");
}

/// Makes the mock daemon emit `ActionInvoked(id, action)`, as a real one does
/// when the notification is clicked.
fn emit_action(id: u32, action: &str) {
    zbus::block_on(async {
        let conn = zbus::Connection::session().await.expect("session bus");
        let args: Vec<Variant<'_>> = vec![Variant::U32(id), Variant::from(action)];
        conn.call_method(
            Some(NOTIFICATIONS),
            NOTIFICATIONS_PATH,
            Some(MOCK_IFACE),
            "EmitSignal",
            &(NOTIFICATIONS, "ActionInvoked", "us", args),
        )
        .await
        .expect("EmitSignal");
    });
}

/// Checks that this app side runs inside its observer's private bus.
fn app_bus() {
    let Ok(address) = std::env::var(APP_ENV) else {
        panic!(
            "this is the app side of a D-Bus test; run the whole test binary \
             (cargo test -p hourglass-core --test notifications), which starts its private bus"
        );
    };
    assert_eq!(
        std::env::var("DBUS_SESSION_BUS_ADDRESS").ok(),
        Some(address)
    );
}

// ---------------------------------------------------------------------------
// The private bus.
// ---------------------------------------------------------------------------

/// A `Notify` call as the notification daemon received it.
#[derive(Debug)]
struct NotifyCall {
    app_name: String,
    replaces_id: u32,
    summary: String,
    body: String,
    actions: Vec<String>,
    /// String-valued hints only.
    hints: HashMap<String, String>,
}

/// A private `dbus-daemon` with python3-dbusmock's notification daemon on it.
/// Both are killed when it is dropped.
struct PrivateBus {
    daemon: Child,
    mock: Child,
    address: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl PrivateBus {
    fn start() -> PrivateBus {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = dir.path().join("bus.conf");
        std::fs::write(&config, bus_config(dir.path())).expect("bus config");
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start dbus-daemon ({e}): {SETUP_HINT}"));
        let mut line = String::new();
        let read = BufReader::new(daemon.stdout.take().expect("stdout")).read_line(&mut line);
        let address = line.trim().to_owned();
        if read.is_err() || address.is_empty() {
            let _ = daemon.kill();
            let _ = daemon.wait();
            panic!("dbus-daemon printed no address: {SETUP_HINT}");
        }

        let python = if Path::new("/usr/bin/python3").exists() {
            "/usr/bin/python3"
        } else {
            "python3"
        };
        let log = dir.path().join("notify.log");
        let mock = Command::new(python)
            .args(["-m", "dbusmock", "--template", "notification_daemon", "-l"])
            .arg(&log)
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let mock = match mock {
            Ok(mock) => mock,
            Err(e) => {
                let _ = daemon.kill();
                let _ = daemon.wait();
                panic!("cannot start {python} -m dbusmock ({e}): {SETUP_HINT}");
            }
        };
        let mut bus = PrivateBus {
            daemon,
            mock,
            address,
            log,
            _dir: dir,
        };
        bus.wait_for_mock();
        bus
    }

    /// Waits until the mock owns `org.freedesktop.Notifications`.
    fn wait_for_mock(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.mock.try_wait() {
                let mut stderr = String::new();
                if let Some(mut e) = self.mock.stderr.take() {
                    let _ = e.read_to_string(&mut stderr);
                }
                panic!(
                    "python3-dbusmock's notification daemon exited ({status}): {}\n{SETUP_HINT}",
                    stderr.trim()
                );
            }
            let owned: bool = self
                .call(
                    "org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus",
                    "NameHasOwner",
                    &(NOTIFICATIONS,),
                )
                .unwrap_or(false);
            if owned {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "python3-dbusmock's notification daemon did not appear on the bus in 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Runs the app side `name` of this test binary on this bus.
    fn run_app(&self, name: &str) {
        run_app_at(name, &self.address);
    }

    /// The `Notify` calls the daemon received, in order.
    fn notify_calls(&self) -> Vec<NotifyCall> {
        let calls: Vec<(u64, Vec<OwnedVariant>)> = self
            .call(
                NOTIFICATIONS,
                NOTIFICATIONS_PATH,
                MOCK_IFACE,
                "GetMethodCalls",
                &("Notify",),
            )
            .expect("GetMethodCalls");
        calls
            .into_iter()
            .map(|(_, args)| {
                assert_eq!(args.len(), 8, "Notify takes 8 arguments: {args:?}");
                let text = |i: usize| String::try_from(args[i].clone()).expect("a string");
                let hints: HashMap<String, OwnedVariant> =
                    HashMap::try_from(args[6].clone()).expect("hints");
                NotifyCall {
                    app_name: text(0),
                    replaces_id: u32::try_from(&args[1]).expect("replaces_id"),
                    summary: text(3),
                    body: text(4),
                    actions: Vec::<String>::try_from(args[5].clone()).expect("actions"),
                    hints: hints
                        .into_iter()
                        .filter_map(|(k, v)| Some((k, String::try_from(v).ok()?)))
                        .collect(),
                }
            })
            .collect()
    }

    /// How many `Notify` calls dbusmock's log (`-l`) recorded.
    fn logged_notify_count(&self) -> usize {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.lines()
            .filter(|l| {
                let mut words = l.split(' ');
                let stamp = words.next().unwrap_or_default();
                stamp.parse::<f64>().is_ok() && words.next() == Some("Notify")
            })
            .count()
    }

    fn call<B, R>(
        &self,
        dest: &str,
        path: &str,
        iface: &str,
        method: &str,
        body: &B,
    ) -> zbus::Result<R>
    where
        B: serde::Serialize + zbus::DynamicType,
        R: for<'d> zbus::wire::DynamicDeserialize<'d>,
    {
        zbus::block_on(async {
            let conn = zbus::conn::Builder::address(self.address.as_str())
                .build()
                .await?;
            let reply = conn
                .call_method(Some(dest), path, Some(iface), method, body)
                .await?;
            reply.body().deserialize::<R>()
        })
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        for child in [&mut self.mock, &mut self.daemon] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A session bus that listens in `dir`, lets anyone own any name, and
/// activates no services, so nothing installed on the machine answers in the
/// mock's place.
fn bus_config(dir: &Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        dir.display()
    )
}

/// Runs the `#[ignore]`d app-side test `name` of this binary in a child
/// process whose session bus is `address`, and fails if it fails.
fn run_app_at(name: &str, address: &str) {
    let exe = std::env::current_exe().expect("test binary");
    let out = Command::new(exe)
        .arg(format!("notifications::{name}"))
        .args(["--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .env(APP_ENV, address)
        .stdin(Stdio::null())
        .output()
        .expect("run the app side");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the app side {name} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
}
