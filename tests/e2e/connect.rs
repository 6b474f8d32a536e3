//! Connecting a number in the real window: the first-run form against a
//! relay and the Cloud API simulator on loopback, a wrong agent token
//! reported on its part, then a working inbox whose tokens live in a real
//! Secret Service, survive a restart, and never reach the store or the log.

use crate::harness::{App, text};
use crate::keyring::Keyring;
use hourglass_relay::{Config as RelayConfig, Relay};
use hourglass_sim::{Sim, SimConfig};
use std::path::Path;

const APP_SECRET: &str = "e2e-app-secret";

/// `(part, ok, code)` of every check shown.
async fn checks(app: &App) -> Vec<(String, bool, String)> {
    let value = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=connect-check]')]
               .map(c => [c.dataset.part, c.dataset.ok === 'true', c.dataset.code])",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(value).unwrap()
}

/// Replaces a field's text, and waits until it holds exactly `value`.
/// WebDriver's `clear` changes the DOM behind React's back: a re-render
/// before the first keystroke put the old text back, and the new text was
/// typed after it. Ctrl+A and Backspace are keystrokes React sees.
async fn fill(app: &App, id: &str, value: &str) {
    let input = app.wait_testid(id).await;
    app.eventually(&format!("{id} holding the new text"), || async {
        input.send_keys("\u{E009}a\u{E000}\u{E003}").await.ok()?;
        input.send_keys(value).await.ok()?;
        (input.prop("value").await.ok()??.as_str() == value).then_some(())
    })
    .await;
}

async fn session_mode(app: &App) -> String {
    let session = app
        .client
        .execute_async(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__.invoke('get_session').then(done, (e) => done({ error: e }));",
            vec![],
        )
        .await
        .unwrap();
    session["mode"].as_str().unwrap_or_default().to_owned()
}

/// Every byte of the profile folder (the SQLite file, its WAL, settings).
fn profile_bytes(dir: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            all.extend(std::fs::read(&path).unwrap());
        }
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

async fn wait_for_customer(app: &App, name: &str) {
    app.eventually(&format!("{name} in the list"), || async {
        app.texts_of("conversation-name")
            .await
            .iter()
            .any(|n| n == name)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn connecting_a_number_reports_a_wrong_token_then_ends_in_a_working_inbox() {
    let keyring = Keyring::start();
    let server = tempfile::tempdir().unwrap();
    let relay = Relay::open(RelayConfig::new(
        server.path().join("relay.db"),
        APP_SECRET,
        "e2e-verify",
    ))
    .unwrap();
    let agent_token = relay.add_agent("e2e").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let sim = Sim::start(SimConfig {
        app_secret: APP_SECRET.to_owned(),
        ..SimConfig::fast().with_relay(relay.url())
    })
    .await
    .unwrap();
    let access_token = sim.config().access_token.clone();

    let data = tempfile::tempdir().unwrap();
    let log = server.path().join("app.log");
    let mut env = keyring.env();
    env.push(("HOURGLASS_GRAPH_URL", sim.graph_base_url()));
    env.push(("HOURGLASS_LOG", "debug"));
    let app = App::launch_logged(data.path(), &env, Some(&log)).await;

    // First run: the choice, then the form.
    app.wait_testid("start-demo").await;
    app.click_testid("start-connect").await;
    app.wait_testid("connect-form").await;
    fill(&app, "connect-relay-url", &relay.url()).await;
    fill(&app, "connect-relay-token", "not-the-agent-token").await;
    fill(
        &app,
        "connect-phone-number-id",
        &sim.config().phone_number_id,
    )
    .await;
    fill(&app, "connect-waba-id", &sim.config().waba_id).await;
    fill(&app, "connect-access-token", &access_token).await;

    // A wrong agent token is reported on the relay part; the rest passes.
    app.click_testid("connect-test").await;
    let report = app
        .eventually("the test report", || async {
            let c = checks(&app).await;
            (c.len() == 3).then_some(c)
        })
        .await;
    assert_eq!(
        report,
        vec![
            ("relay".into(), false, "relay_token_rejected".into()),
            ("phone_number".into(), true, String::new()),
            ("templates".into(), true, String::new()),
        ]
    );
    let relay_message = app
        .texts_of("connect-check")
        .await
        .into_iter()
        .next()
        .unwrap();
    assert!(
        relay_message.contains("refused the agent token"),
        "{relay_message}"
    );
    app.screenshot("connect-wrong-token").await;

    // "Connect" with the wrong token saves nothing and stays on the form.
    app.click_testid("connect-submit").await;
    app.eventually("the refusal", || async {
        let c = checks(&app).await;
        (c.first()?.2 == "relay_token_rejected").then_some(())
    })
    .await;
    let submit = app.wait_testid("connect-submit").await;
    app.eventually("the form ready again", || async {
        (submit.prop("disabled").await.ok()?.as_deref() == Some("false")).then_some(())
    })
    .await;
    assert_eq!(session_mode(&app).await, "unconfigured");

    // The right token connects.
    fill(&app, "connect-relay-token", &agent_token).await;
    app.click_testid("connect-submit").await;
    app.eventually("the connected inbox", || async {
        (app.all_testid("connect-screen").await.is_empty()
            && app.all_testid("start-demo").await.is_empty())
        .then_some(())
    })
    .await;
    assert_eq!(session_mode(&app).await, "connected");

    // A customer writes in through Meta → relay → this app.
    let http = reqwest::Client::new();
    http.post(format!("{}/_sim/inbound", sim.base_url()))
        .json(&serde_json::json!({ "from": "+4915112345678", "name": "Connie Connect", "text": "Hello, are you open?" }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    wait_for_customer(&app, "Connie Connect").await;
    assert!(app.click_conversation("Connie Connect").await);
    let input = app.wait_testid("composer-input").await;
    input.send_keys("Yes, until six.").await.unwrap();
    input.send_keys("\u{E007}").await.unwrap(); // Enter
    app.eventually("the reply at WhatsApp", || async {
        sim.sent()
            .iter()
            .map(|r| r.json())
            .any(|b| {
                b["type"] == "text"
                    && b["text"]["body"] == "Yes, until six."
                    && b["to"]
                        .as_str()
                        .is_some_and(|to| to.ends_with("4915112345678"))
            })
            .then_some(())
    })
    .await;
    app.screenshot("connect-inbox").await;

    // Settings show the tokens as saved, never their text.
    app.click_testid("open-settings").await;
    let saved = text(&app.wait_testid("settings-access-token").await).await;
    assert!(saved.contains("keychain"), "{saved}");
    let page: String = serde_json::from_value(
        app.client
            .execute("return document.body.innerHTML", vec![])
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(!page.contains(&access_token) && !page.contains(&agent_token));
    app.screenshot("connect-settings").await;

    // "Copy diagnostics" copies; what it copies holds no secret.
    app.click_testid("copy-diagnostics").await;
    let copied = app.wait_testid("diagnostics-status").await;
    assert_eq!(
        copied.attr("data-state").await.unwrap().as_deref(),
        Some("copied")
    );
    let diagnostics = app
        .client
        .execute_async(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__.invoke('diagnostics').then(done, (e) => done(JSON.stringify(e)));",
            vec![],
        )
        .await
        .unwrap();
    let diagnostics = diagnostics.as_str().unwrap().to_owned();
    assert!(diagnostics.contains("Session: Connected"), "{diagnostics}");
    // What reached the X clipboard is those diagnostics.
    let clipboard = std::process::Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .expect("run xclip (scripts/setup.sh installs it)");
    let clipboard = String::from_utf8_lossy(&clipboard.stdout).into_owned();
    assert!(
        clipboard.starts_with("Hourglass ") && clipboard.contains("Session: Connected"),
        "{clipboard}"
    );
    for secret in [access_token.as_str(), agent_token.as_str(), APP_SECRET] {
        assert!(
            !clipboard.contains(secret),
            "a secret reached the clipboard"
        );
    }
    assert!(diagnostics.contains("connected a number"), "{diagnostics}");
    for secret in [access_token.as_str(), agent_token.as_str(), APP_SECRET] {
        assert!(
            !diagnostics.contains(secret),
            "a secret reached the diagnostics"
        );
    }
    app.close().await;

    // The next start reads both tokens from the keychain and reconnects.
    let app = App::launch_logged(data.path(), &env, Some(&log)).await;
    wait_for_customer(&app, "Connie Connect").await;
    app.eventually("the restored connection", || async {
        (session_mode(&app).await == "connected").then_some(())
    })
    .await;
    http.post(format!("{}/_sim/inbound", sim.base_url()))
        .json(&serde_json::json!({ "from": "+4915187654321", "name": "Second Sam", "text": "Hi again" }))
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    wait_for_customer(&app, "Second Sam").await;
    app.close().await;

    // Neither token is in the store, its WAL, or anything the app logged.
    let profile = profile_bytes(data.path());
    assert!(!profile.is_empty());
    for token in [&access_token, &agent_token] {
        assert!(
            !contains(&profile, token),
            "a token reached the profile folder"
        );
    }
    let logged = std::fs::read(&log).unwrap();
    assert!(
        contains(&logged, "connected a number"),
        "the app's log was captured"
    );
    for token in [&access_token, &agent_token] {
        assert!(!contains(&logged, token), "a token reached the log");
    }
    // The log files in the profile's log folder: written, and no secret.
    let log_files: Vec<_> = std::fs::read_dir(data.path().join("logs"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    assert!(!log_files.is_empty(), "no log file in the profile's logs/");
    let mut files = Vec::new();
    for file in &log_files {
        files.extend(std::fs::read(file).unwrap());
    }
    assert!(
        contains(&files, "connected a number"),
        "the log file holds the run"
    );
    for secret in [access_token.as_str(), agent_token.as_str(), APP_SECRET] {
        assert!(!contains(&files, secret), "a secret reached a log file");
    }
    // The keyring's own files hold them, encrypted: not in clear text either.
    let keyrings = profile_bytes(&keyring.home().join(".local/share/keyrings"));
    assert!(!keyrings.is_empty(), "gnome-keyring stored the secrets");
    for token in [&access_token, &agent_token] {
        assert!(!contains(&keyrings, token), "the keyring file is encrypted");
    }
    drop(sim);
    drop(relay);
}
