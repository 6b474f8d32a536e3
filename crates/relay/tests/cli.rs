//! The `hourglass-relay` binary as an admin and a service manager use it.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use hourglass_relay::{SqliteStore, store::EventStore};
use hourglass_whatsapp::signature;

const BIN: &str = env!("CARGO_BIN_EXE_hourglass-relay");

fn relay(args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("HOURGLASS_APP_SECRET")
        .env_remove("HOURGLASS_VERIFY_TOKEN")
        .env_remove("HOURGLASS_DB")
        .env_remove("HOURGLASS_LISTEN")
        .env("RUST_LOG", "info");
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn agent_add_list_revoke() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let db = db.to_str().unwrap();
    let (ok, out, _) = run(&mut relay(&["agent", "add", "ana", "--db", db]));
    assert!(ok);
    let token = out.lines().last().unwrap();
    assert!(token.starts_with("hgr_") && token.len() == 68, "{out}");

    let (ok, _, err) = run(&mut relay(&["agent", "add", "ana", "--db", db]));
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");

    let (ok, out, _) = run(&mut relay(&["agent", "list", "--db", db]));
    assert!(ok);
    assert_eq!(out.trim(), "ana\tactive");
    assert!(!out.contains(token), "tokens are never shown again");

    let (ok, _, _) = run(&mut relay(&["agent", "revoke", "ana", "--db", db]));
    assert!(ok);
    let (ok, out, _) = run(&mut relay(&["agent", "list", "--db", db]));
    assert!(ok);
    assert_eq!(out.trim(), "ana\trevoked");
    let (ok, _, err) = run(&mut relay(&["agent", "revoke", "ana", "--db", db]));
    assert!(!ok);
    assert!(err.contains("no active agent"), "{err}");
    // Only the hash is stored.
    let raw = std::fs::read(dir.path().join("relay.db")).unwrap();
    assert!(!raw.windows(token.len()).any(|w| w == token.as_bytes()));
}

#[test]
fn startup_errors_say_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let db = db.to_str().unwrap();

    let (ok, _, err) =
        run(relay(&["serve", "--listen", "127.0.0.1:0", "--db", db])
            .env("HOURGLASS_VERIFY_TOKEN", "v"));
    assert!(!ok);
    assert!(err.contains("HOURGLASS_APP_SECRET is not set"), "{err}");

    let (ok, _, err) =
        run(relay(&["serve", "--listen", "127.0.0.1:0", "--db", db])
            .env("HOURGLASS_APP_SECRET", "s"));
    assert!(!ok);
    assert!(err.contains("HOURGLASS_VERIFY_TOKEN is not set"), "{err}");

    let missing_dir = dir.path().join("no/such/dir/relay.db");
    let (ok, _, err) = run(relay(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--db",
        missing_dir.to_str().unwrap(),
    ])
    .env("HOURGLASS_APP_SECRET", "s")
    .env("HOURGLASS_VERIFY_TOKEN", "v"));
    assert!(!ok);
    assert!(err.contains("cannot open the relay database"), "{err}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (ok, _, err) = run(relay(&["serve", "--listen", &addr, "--db", db])
        .env("HOURGLASS_APP_SECRET", "s")
        .env("HOURGLASS_VERIFY_TOKEN", "v"));
    assert!(!ok);
    assert!(err.contains("already in use"), "{err}");
    // The secret never appears in what the relay prints.
    assert!(!err.contains("HOURGLASS_APP_SECRET=s"));
}

/// Starts `serve` on a free port and returns the process and its address.
fn spawn_serve(db: &str) -> (Child, String, std::thread::JoinHandle<Vec<String>>) {
    let mut child = relay(&["serve", "--listen", "127.0.0.1:0", "--db", db])
        .env("HOURGLASS_APP_SECRET", "cli-secret")
        .env("HOURGLASS_VERIFY_TOKEN", "cli-verify")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in stderr.lines() {
            let line = line.unwrap();
            if let Some(rest) = line.split("addr=").nth(1) {
                let _ = tx.send(rest.split_whitespace().next().unwrap().to_owned());
            }
            lines.push(line);
        }
        lines
    });
    let addr = rx.recv_timeout(Duration::from_secs(20)).unwrap();
    (child, addr, reader)
}

/// Sends SIGTERM to `child` and waits for it to exit, at most `limit`.
#[cfg(unix)]
fn terminate(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < limit,
            "the relay was still running {limit:?} after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_stops_gracefully_after_committing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let (mut child, addr, reader) = spawn_serve(db.to_str().unwrap());

    let http = reqwest::Client::new();
    let hs = http
        .get(format!(
            "http://{addr}/webhook?hub.mode=subscribe&hub.challenge=42&hub.verify_token=cli-verify"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(hs.text().await.unwrap(), "42");
    let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"3","id":"wamid.cli","timestamp":"1","type":"text","text":{"body":"hi"}}]}}]}]}"#;
    let res = http
        .post(format!("http://{addr}/webhook"))
        .header(signature::HEADER, signature::sign(b"cli-secret", body))
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let status = terminate(&mut child, Duration::from_secs(15));
    assert!(status.success(), "{status:?}");
    let log = reader.join().unwrap().join("\n");
    assert!(log.contains("relay stopped"), "{log}");
    assert!(
        !log.contains("cli-secret"),
        "the secret leaked into the log"
    );

    let store = SqliteStore::open(&db).unwrap();
    let page = store.page(0, 10).unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].dedupe_key, "msg:wamid.cli");
}

#[test]
fn serve_prints_what_metas_dashboard_needs_and_never_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let secret = "app-secret-never-printed-5f2c";
    let mut child = relay(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
    ])
    .env("HOURGLASS_APP_SECRET", secret)
    .env("HOURGLASS_VERIFY_TOKEN", "paste-me-into-meta")
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let out_reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in stdout.lines() {
            let line = line.unwrap();
            let _ = tx.send(line.clone());
            lines.push(line);
        }
        lines
    });
    let err_reader =
        std::thread::spawn(move || stderr.lines().map(Result::unwrap).collect::<Vec<_>>());

    let mut printed = Vec::new();
    while !printed
        .iter()
        .any(|l: &String| l.starts_with("In Meta's App Dashboard"))
    {
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => printed.push(line),
            Err(_) => panic!("serve printed no webhook setup; so far: {printed:#?}"),
        }
        assert!(printed.len() < 50, "{printed:#?}");
    }
    let listening = printed[0]
        .strip_prefix("Hourglass relay listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{printed:#?}"));
    assert!(listening.parse::<u16>().unwrap() > 0);
    assert_eq!(
        printed[1..],
        [
            "Webhook callback path: /webhook",
            "Callback URL for Meta's dashboard: https://<your-domain>/webhook (the public HTTPS \
             address your TLS proxy forwards to this relay)",
            "Verify token: paste-me-into-meta",
            "In Meta's App Dashboard open WhatsApp → Configuration → Webhook, enter both, then \
             subscribe to the \"messages\" field.",
        ]
    );

    // A graceful stop, so everything the relay logged on the way is flushed:
    // the setup lines on stdout can come before the "listening" log line.
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    child.wait().unwrap();
    let stdout = out_reader.join().unwrap().join("\n");
    let stderr = err_reader.join().unwrap().join("\n");
    assert!(
        stderr.contains("relay listening"),
        "the log is on stderr: {stderr}"
    );
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains(secret),
            "the app secret is on {name}: {text}"
        );
    }
    assert!(
        !stderr.contains("paste-me-into-meta"),
        "the log does not repeat the verify token"
    );
}

#[test]
fn a_second_serve_on_the_same_file_exits_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let (mut first, _addr, _reader) = spawn_serve(db.to_str().unwrap());
    let (ok, _, err) = run(relay(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
    ])
    .env("HOURGLASS_APP_SECRET", "cli-secret")
    .env("HOURGLASS_VERIFY_TOKEN", "cli-verify"));
    assert!(!ok, "two relays served one SQLite file");
    assert!(err.contains("another relay is already serving"), "{err}");
    assert!(err.contains("postgres://"), "the way out is named: {err}");
    // Agents can still be managed beside the running relay.
    let (ok, _, err) = run(&mut relay(&[
        "agent",
        "add",
        "ana",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert!(ok, "{err}");
    first.kill().unwrap();
    first.wait().unwrap();
    // The lock goes with the process, however it ended.
    let (mut again, _, _) = spawn_serve(db.to_str().unwrap());
    again.kill().unwrap();
    again.wait().unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_ends_the_relay_within_ten_seconds_whatever_clients_do() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let (mut child, addr, reader) = spawn_serve(db.to_str().unwrap());
    // Half a request head, from a client with no token, and then nothing.
    let mut half = tokio::net::TcpStream::connect(&addr).await.unwrap();
    half.write_all(b"POST /webhook HTTP/1.1\r\nContent-Le")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let status = terminate(&mut child, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let log = reader.join().unwrap().join("\n");
    assert!(log.contains("relay stopped"), "{log}");
    drop(half);
}

#[test]
fn prune_removes_old_events_and_says_where_the_log_starts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("relay.db");
    let store = SqliteStore::open(&db).unwrap();
    let event = |i: u32| hourglass_relay::store::NewEvent {
        kind: hourglass_protocol::EventKind::Agent,
        dedupe_key: format!("e:{i}"),
        agent: None,
        payload: "{}".into(),
    };
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap();
    let old = now - 120 * 86_400_000;
    store
        .append(&(1..=1_500).map(event).collect::<Vec<_>>(), old)
        .unwrap();
    store.append(&[event(2_000)], now).unwrap();
    drop(store);

    let (ok, _, err) = run(&mut relay(&[
        "prune",
        "--older-than",
        "soon",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert!(!ok);
    assert!(err.contains("not an age like 90d"), "{err}");

    let (ok, out, err) = run(&mut relay(&[
        "prune",
        "--older-than",
        "90d",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert!(ok, "{err}");
    assert!(
        out.contains("Removed 1500 events. The log now starts at event 1501"),
        "{out}"
    );
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.horizon().unwrap().unwrap().seq, 1_501);
}
