//! Secrets in a real Secret Service: each test starts its own private D-Bus
//! session bus and gnome-keyring-daemon in a temporary home, then runs its
//! body in a fresh process of this test binary with only that bus in its
//! environment (the keychain is found through `DBUS_SESSION_BUS_ADDRESS`,
//! which a test cannot change for itself while other tests run beside it).
//!
//! A test body runs when `HOURGLASS_KEYCHAIN_PHASE` names it; the outer run
//! asserts that the inner process ran exactly that one test and passed.
//! Missing `dbus-daemon` or `gnome-keyring-daemon` fails the tests with a
//! pointer to `scripts/setup.sh`; nothing is skipped.

#![allow(clippy::unwrap_used)]

use hourglass_core::problem::ErrorCode;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::graph::{GraphClient, GraphConfig, SendOptions};
use hourglass_core::inbox::Direction;
use hourglass_core::secrets::{Secret, SecretError, SecretKind, SecretStore};
use hourglass_core::store::{NewContact, NewMessage, Store};
use hourglass_sim::{Inbound, Sim, SimConfig};

/// `<test name>:<phase>` of the body an inner process runs.
const PHASE: &str = "HOURGLASS_KEYCHAIN_PHASE";
/// The keyring's password in the private session.
const KEYRING_PASSWORD: &str = "test-password";
/// An inner process that runs longer than this has hung (a prompt nobody
/// answers, say) and fails the test.
const INNER_LIMIT: Duration = Duration::from_secs(120);

/// The phase this process was started for, if it was started for `test`.
fn phase(test: &str) -> Option<String> {
    let marker = std::env::var(PHASE).ok()?;
    let (name, phase) = marker.split_once(':')?;
    (name == test).then(|| phase.to_owned())
}

fn require(tool: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(tool))
            .find(|p| p.is_file())
    });
    found.unwrap_or_else(|| {
        panic!(
            "`{tool}` is not installed, so the keychain cannot be tested against a real Secret Service. \
             Run scripts/setup.sh (it installs dbus and gnome-keyring), then run the tests again."
        )
    })
}

/// Runs `command` to completion within `limit`, output to `log`.
fn run_bounded(mut command: Command, log: &Path, limit: Duration) -> (ExitStatus, String) {
    let out = File::create(log).unwrap();
    let err = out.try_clone().unwrap();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{command:?} did not finish within {limit:?}:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (status, std::fs::read_to_string(log).unwrap_or_default())
}

/// This test binary, running only `test` at `phase`, in `env`.
fn inner(test: &str, phase: &str, env: &[(&str, String)], remove: &[&str], log: &Path) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .arg(format!("keychain::{test}"))
        .args(["--exact", "--nocapture", "--test-threads=1"])
        .env(PHASE, format!("{test}:{phase}"))
        // A display would let the Secret Service show an unlock prompt.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    for var in remove {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let (status, output) = run_bounded(command, log, INNER_LIMIT);
    // Shown with --nocapture: what the inner process saw.
    eprintln!("--- {test} ({phase}) ---\n{output}");
    assert!(
        status.success() && output.contains("test result: ok. 1 passed"),
        "{test} ({phase}) failed in its own process ({status}):\n{output}"
    );
    output
}

/// The environment variables a process inside the session needs.
fn isolated_env(root: &Path) -> Vec<(&'static str, String)> {
    let home = root.join("home");
    let runtime = root.join("run");
    for dir in [&home, &runtime] {
        std::fs::create_dir_all(dir).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
    }
    vec![
        ("HOME", home.display().to_string()),
        ("XDG_RUNTIME_DIR", runtime.display().to_string()),
        (
            "XDG_DATA_HOME",
            home.join(".local/share").display().to_string(),
        ),
        (
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        ),
        ("XDG_CACHE_HOME", home.join(".cache").display().to_string()),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keyring {
    Unlocked,
    /// Created unlocked, then locked over D-Bus as a screen lock would.
    Locked,
}

/// A private session bus with a gnome-keyring-daemon on it. Both processes
/// are ours and are killed by pid when the session is dropped.
struct Session {
    root: tempfile::TempDir,
    env: Vec<(&'static str, String)>,
    bus: Child,
    keyring: Child,
}

/// `dbus-send` on the session bus of `env`; the reply, or None on failure.
fn dbus_send(
    env: &[(&'static str, String)],
    log: &Path,
    dest: &str,
    path: &str,
    method_and_args: &[&str],
) -> Option<String> {
    let mut command = Command::new("dbus-send");
    command
        .args(["--session", "--print-reply", "--reply-timeout=5000"])
        .arg(format!("--dest={dest}"))
        .arg(path)
        .args(method_and_args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())));
    let (status, output) = run_bounded(command, log, Duration::from_secs(20));
    status.success().then_some(output)
}

/// Polls `ready` (at most 200 times, 50 ms apart); panics with the daemons'
/// logs if it never holds.
fn wait_for(root: &Path, what: &str, ready: impl Fn() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!(
        "{what} did not come up on the private session bus.\ndbus: {}\nkeyring: {}",
        std::fs::read_to_string(root.join("dbus.log")).unwrap_or_default(),
        std::fs::read_to_string(root.join("keyring.log")).unwrap_or_default()
    );
}

impl Session {
    fn start(state: Keyring) -> Session {
        let dbus_daemon = require("dbus-daemon");
        let gnome_keyring = require("gnome-keyring-daemon");
        require("dbus-send");
        let root = tempfile::tempdir().unwrap();
        let mut env = isolated_env(root.path());
        let log = root.path().join("dbus-send.log");

        let address = format!("unix:path={}", root.path().join("bus").display());
        let bus_log = File::create(root.path().join("dbus.log")).unwrap();
        let bus = Command::new(dbus_daemon)
            .args(["--session", "--nofork", "--nopidfile"])
            .arg(format!("--address={address}"))
            .stdin(Stdio::null())
            .stdout(bus_log.try_clone().unwrap())
            .stderr(bus_log)
            .spawn()
            .unwrap();
        env.push(("DBUS_SESSION_BUS_ADDRESS", address));
        let bus_daemon = |args: &[&str]| {
            dbus_send(
                &env,
                &log,
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                args,
            )
        };
        wait_for(root.path(), "the session bus", || {
            bus_daemon(&["org.freedesktop.DBus.ListNames"]).is_some()
        });

        let keyring_log = File::create(root.path().join("keyring.log")).unwrap();
        let mut keyring = Command::new(gnome_keyring)
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::piped())
            .stdout(keyring_log.try_clone().unwrap())
            .stderr(keyring_log)
            .spawn()
            .unwrap();
        // The password ends at end of input.
        keyring
            .stdin
            .take()
            .unwrap()
            .write_all(KEYRING_PASSWORD.as_bytes())
            .unwrap();
        wait_for(root.path(), "gnome-keyring-daemon", || {
            bus_daemon(&[
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .is_some_and(|reply| reply.contains("boolean true"))
        });
        let session = Session {
            root,
            env,
            bus,
            keyring,
        };
        if state == Keyring::Locked {
            // A first save creates the login collection, as on a new desktop;
            // then it is locked the way a screen lock does.
            session.run("phase_create_collection_for", "create");
            let locked = dbus_send(
                &session.env,
                &log,
                "org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                &[
                    "org.freedesktop.Secret.Service.Lock",
                    "array:objpath:/org/freedesktop/secrets/collection/login",
                ],
            );
            assert!(
                locked.is_some_and(|reply| reply.contains("collection/login")),
                "locking the login keyring failed: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        session
    }

    /// Runs `test` at `phase` in a process inside this session.
    fn run(&self, test: &str, phase: &str) -> String {
        let env: Vec<(&str, String)> = self.env.iter().map(|(k, v)| (*k, v.clone())).collect();
        inner(
            test,
            phase,
            &env,
            &[],
            &self.root.path().join(format!("{test}-{phase}.log")),
        )
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        for child in [&mut self.keyring, &mut self.bus] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Used by [`Session::start`] for a locked keyring: the first save creates
/// the default collection.
#[test]
fn phase_create_collection_for() {
    let Some(phase) = phase("phase_create_collection_for") else {
        // Run on its own it proves the same as the round trip: a save works.
        let session = Session::start(Keyring::Unlocked);
        session.run("phase_create_collection_for", "create");
        return;
    };
    assert_eq!(phase, "create");
    let store = SecretStore::new("lock-test");
    store
        .save(SecretKind::RelayAgentToken, &Secret::new("hgr_before_lock"))
        .unwrap();
    assert_eq!(
        store
            .load(SecretKind::RelayAgentToken)
            .unwrap()
            .unwrap()
            .expose(),
        "hgr_before_lock"
    );
}

const ROUND_TRIP: &str = "a_saved_secret_is_read_back_by_a_fresh_store_and_by_another_process";
const TOKEN: &str = "EAAGm0PX4ZCpsBA-round-trip-token";

#[test]
fn a_saved_secret_is_read_back_by_a_fresh_store_and_by_another_process() {
    match phase(ROUND_TRIP).as_deref() {
        None => {
            let session = Session::start(Keyring::Unlocked);
            session.run(ROUND_TRIP, "save");
            session.run(ROUND_TRIP, "read-then-forget");
            session.run(ROUND_TRIP, "gone");
        }
        Some("save") => {
            let saved = SecretStore::new("default");
            assert_eq!(saved.load(SecretKind::AccessToken).unwrap(), None);
            saved
                .save(SecretKind::AccessToken, &Secret::new("an older token"))
                .unwrap();
            saved
                .save(SecretKind::AccessToken, &Secret::new(TOKEN))
                .unwrap();
            saved
                .save(SecretKind::RelayAgentToken, &Secret::new("hgr_agent_token"))
                .unwrap();
            let fresh = SecretStore::new("default");
            assert_eq!(
                fresh
                    .load(SecretKind::AccessToken)
                    .unwrap()
                    .unwrap()
                    .expose(),
                TOKEN
            );
            assert_eq!(
                fresh
                    .load(SecretKind::RelayAgentToken)
                    .unwrap()
                    .unwrap()
                    .expose(),
                "hgr_agent_token"
            );
            // Another profile has its own entries.
            assert_eq!(
                SecretStore::new("second")
                    .load(SecretKind::AccessToken)
                    .unwrap(),
                None
            );
        }
        Some("read-then-forget") => {
            // A different process: the token came from the keychain, not memory.
            let store = SecretStore::new("default");
            assert_eq!(
                store
                    .load(SecretKind::AccessToken)
                    .unwrap()
                    .unwrap()
                    .expose(),
                TOKEN
            );
            store.forget(SecretKind::AccessToken).unwrap();
            assert_eq!(store.load(SecretKind::AccessToken).unwrap(), None);
            // Forgetting what is not there is not an error.
            store.forget(SecretKind::AccessToken).unwrap();
            // The other kind is untouched.
            assert!(store.load(SecretKind::RelayAgentToken).unwrap().is_some());
        }
        Some("gone") => {
            let store = SecretStore::new("default");
            assert_eq!(store.load(SecretKind::AccessToken).unwrap(), None);
            store.forget(SecretKind::RelayAgentToken).unwrap();
            assert_eq!(store.load(SecretKind::RelayAgentToken).unwrap(), None);
        }
        Some(other) => panic!("unknown phase {other}"),
    }
}

fn assert_unavailable(error: SecretError) {
    assert_eq!(error.code(), ErrorCode::KeychainUnavailable, "{error:?}");
    assert!(
        matches!(error, SecretError::KeychainUnavailable { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    eprintln!("keychain error shown to the user: {message}");
    for words in [
        "cannot use the system keychain",
        "Unlock the login keyring",
        "install and start a Secret Service such as gnome-keyring",
        "never keeps tokens in plain text",
    ] {
        assert!(message.contains(words), "{words:?} missing from: {message}");
    }
}

const LOCKED: &str = "a_locked_keyring_is_unavailable_with_a_clear_message";

#[test]
fn a_locked_keyring_is_unavailable_with_a_clear_message() {
    match phase(LOCKED).as_deref() {
        None => {
            let session = Session::start(Keyring::Locked);
            session.run(LOCKED, "locked");
        }
        Some("locked") => {
            let store = SecretStore::new("lock-test");
            assert_unavailable(store.load(SecretKind::RelayAgentToken).unwrap_err());
            assert_unavailable(
                store
                    .save(SecretKind::AccessToken, &Secret::new("EAAG-while-locked"))
                    .unwrap_err(),
            );
            assert_unavailable(store.forget(SecretKind::RelayAgentToken).unwrap_err());
        }
        Some(other) => panic!("unknown phase {other}"),
    }
}

const NO_BUS: &str = "no_session_bus_is_unavailable_with_a_clear_message";

#[test]
fn no_session_bus_is_unavailable_with_a_clear_message() {
    match phase(NO_BUS).as_deref() {
        None => {
            let root = tempfile::tempdir().unwrap();
            let env = isolated_env(root.path());
            inner(
                NO_BUS,
                "no-bus",
                &env,
                &["DBUS_SESSION_BUS_ADDRESS"],
                &root.path().join("no-bus.log"),
            );
        }
        Some("no-bus") => {
            assert!(std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none());
            let store = SecretStore::new("default");
            assert_unavailable(store.load(SecretKind::AccessToken).unwrap_err());
            assert_unavailable(
                store
                    .save(SecretKind::AccessToken, &Secret::new("EAAG-no-bus"))
                    .unwrap_err(),
            );
        }
        Some(other) => panic!("unknown phase {other}"),
    }
}

/// A `MakeWriter` into a shared buffer: the whole process's log.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

const NO_LEAK: &str = "the_token_never_reaches_the_database_or_the_log";

#[test]
fn the_token_never_reaches_the_database_or_the_log() {
    match phase(NO_LEAK).as_deref() {
        None => {
            let session = Session::start(Keyring::Unlocked);
            session.run(NO_LEAK, "work");
        }
        Some("work") => {
            let captured = Captured::default();
            let writer = captured.clone();
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .init();
            let token = format!("EAAG{}", uuid_like());
            SecretStore::new("default")
                .save(SecretKind::AccessToken, &Secret::new(&token))
                .unwrap();
            let data = tempfile::tempdir().unwrap();
            let runtime = tokio::runtime::Runtime::new().unwrap();
            runtime.block_on(async {
                let sim = Sim::start(SimConfig {
                    access_token: token.clone(),
                    ..SimConfig::fast()
                })
                .await
                .unwrap();
                let loaded = SecretStore::new("default")
                    .load(SecretKind::AccessToken)
                    .unwrap()
                    .unwrap();
                let config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
                    .with_base_url(sim.graph_base_url());
                let graph = GraphClient::new(config.clone(), loaded.clone()).unwrap();
                tracing::info!(?graph, secret = %loaded, "connected");

                graph.check_phone_number().await.unwrap();
                graph.check_waba().await.unwrap();
                let mut small_pages = config.clone();
                small_pages.template_page_size = 2;
                let listing = GraphClient::new(small_pages, loaded.clone())
                    .unwrap()
                    .list_templates()
                    .await
                    .unwrap();
                assert!(listing.pages > 1);
                let hello = sim
                    .inbound(Inbound::text("+34612345678", "Hola"))
                    .await
                    .unwrap();
                let sent = graph
                    .send_text(
                        "+34612345678",
                        "Hello from Hourglass",
                        &SendOptions {
                            reply_to: Some(hello.id.clone()),
                            callback_data: Some("outbox-1".to_owned()),
                        },
                    )
                    .await
                    .unwrap();
                graph.mark_read(&hello.id).await.unwrap();
                // Failures are logged too, as the outbox would.
                let mut wrong = config.clone();
                wrong.phone_number_id = "1".to_owned();
                let refused = GraphClient::new(wrong, loaded.clone())
                    .unwrap()
                    .check_phone_number()
                    .await
                    .unwrap_err();
                tracing::warn!(error = %refused, debug = ?refused, "connection test failed");

                let mut store = Store::open_in_dir(data.path()).unwrap();
                store
                    .write(|w| {
                        let contact = w.upsert_contact(&NewContact {
                            phone: Some("+34612345678".to_owned()),
                            ..NewContact::default()
                        })?;
                        let conversation =
                            w.conversation_for(contact, &sim.config().phone_number_id)?;
                        w.insert_message(&NewMessage {
                            wamid: sent.wamid().unwrap().into(),
                            conversation_id: conversation,
                            direction: Direction::Outbound,
                            kind: "text".to_owned(),
                            body: "Hello from Hourglass".to_owned(),
                            payload: Some(serde_json::to_string(&sent).unwrap()),
                            sent_at: hello.timestamp,
                            status: Some("accepted".to_owned()),
                            reply_to_wamid: Some(hello.id.clone().into()),
                        })?;
                        Ok(())
                    })
                    .unwrap();
                drop(store);
                sim.shutdown().await;
            });
            drop(runtime);

            let mut files = 0;
            for entry in std::fs::read_dir(data.path()).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !contains(&bytes, &token),
                    "the token is in {}",
                    path.display()
                );
                files += 1;
            }
            assert!(files >= 1, "the store wrote no file");

            let log = captured.0.lock().unwrap().clone();
            let text = String::from_utf8_lossy(&log);
            // The capture works: the calls and the refusal are in it.
            assert!(text.contains("graph call"), "{text}");
            assert!(text.contains("connection test failed"), "{text}");
            assert!(text.contains("/message_templates"), "{text}");
            assert!(!contains(&log, &token), "the token is in the log:\n{text}");
        }
        Some(other) => panic!("unknown phase {other}"),
    }
}

/// A token no test writes literally, so finding it proves a leak.
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos:x}{:x}", std::process::id())
}
