//! Demo mode and live sync in the real window: the relay and simulator run
//! inside the app; customers write through the simulator's control API and
//! their messages appear without any action.

use crate::harness::{App, text};
use std::path::Path;
use std::time::{Duration, Instant};

/// Posts `body` to the demo simulator's `/_sim/inbound` and waits until the
/// relay has taken the webhooks it makes.
pub async fn sim_inbound(sim: &str, body: serde_json::Value) {
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound?wait=true"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{:?}", reply.text().await);
}

/// Waits for the app to write where its demo simulator listens.
pub async fn simulator_url(data: &Path) -> String {
    let file = data.join("demo").join("endpoints.json");
    let started = Instant::now();
    loop {
        if let Ok(raw) = std::fs::read_to_string(&file) {
            let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
            return v["simulator"].as_str().unwrap().to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "demo never started"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the demo's first customers fill the list. The scenario
/// posts them through the relay as Meta would; on a busy machine that takes
/// a while, hence the long limit.
pub async fn wait_demo_inbox(app: &App) {
    app.eventually_for("the demo inbox", Duration::from_secs(90), || async {
        (app.all_testid("conversation-item").await.len() >= 10).then_some(())
    })
    .await;
}

/// The wamid the simulator gave a customer's message.
async fn reply_id(reply: reqwest::Response) -> String {
    let v: serde_json::Value = reply.json().await.unwrap();
    v["id"]
        .as_str()
        .expect("the inbound message's wamid")
        .to_owned()
}

/// The simulator's log of every Graph request it accepted, as JSON.
pub async fn sim_sent(sim: &str) -> serde_json::Value {
    reqwest::get(format!("{sim}/_sim/sent"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Polls the simulator's log of accepted Graph requests until `matches`
/// picks some; returns the request bodies it picked.
pub async fn wait_sent(
    sim: &str,
    what: &str,
    matches: impl Fn(&serde_json::Value) -> bool,
) -> Vec<serde_json::Value> {
    let started = Instant::now();
    loop {
        let sent = sim_sent(sim).await;
        let picked: Vec<serde_json::Value> = sent
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["body"].clone())
            .filter(|b| matches(b))
            .collect();
        if !picked.is_empty() {
            return picked;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{what} never reached WhatsApp; sent: {sent}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the app has sent WhatsApp a mark-as-read for `wamid`.
async fn mark_read_sent(sim: &str, wamid: &str) {
    wait_sent(sim, &format!("a mark-as-read for {wamid}"), |b| {
        b["status"] == "read" && b["message_id"] == wamid
    })
    .await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn demo_mode_fills_the_inbox_and_leads_keep_coming() {
    let data = tempfile::tempdir().unwrap();
    let launched = Instant::now();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    // How fast is the benchmark's business (app-bench, docs/performance.md):
    // on a shared, loaded machine a WebDriver session alone can take
    // seconds, so this only bounds a hang and prints the time taken.
    let budget = Duration::from_secs(30).saturating_sub(launched.elapsed());
    let first = app
        .eventually_for("a populated inbox after launch", budget, || async {
            let n = app.all_testid("conversation-item").await.len();
            (n >= 20).then_some(n)
        })
        .await;
    let took = launched.elapsed();
    app.wait_testid("demo-badge").await;
    let shot = app.screenshot("demo-inbox").await;
    // The README's picture is this screenshot: HOURGLASS_README_SCREENSHOT=1
    // puts this run's in docs/.
    if std::env::var_os("HOURGLASS_README_SCREENSHOT").is_some() {
        std::fs::copy(
            &shot,
            crate::harness::repo_root().join("docs/demo-inbox.png"),
        )
        .expect("copy the screenshot into docs/");
    }
    eprintln!("demo inbox showed {first} conversations {took:?} after launch");

    let live = app.wait_testid("connection-state").await;
    app.eventually("the live connection", || async {
        (live.attr("data-state").await.ok()?? == "connected").then_some(())
    })
    .await;

    // New leads keep arriving (the demo sends one every few seconds): the
    // newest row changes without any action.
    let top = app.texts_of("conversation-name").await[0].clone();
    app.eventually_for("a new lead on top", Duration::from_secs(30), || async {
        let names = app.texts_of("conversation-name").await;
        (names.first()? != &top).then_some(())
    })
    .await;
    app.screenshot("demo-new-lead").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_message_from_a_new_customer_appears_live_in_list_and_chat() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = simulator_url(data.path()).await;
    wait_demo_inbox(&app).await;

    let body = "Hi! Do you ship to Lisbon? <b>asap</b>";
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({
            "from": "+351912345678",
            "name": "Inês Live",
            "text": body,
        }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());

    app.eventually("Inês in the list with her message", || async {
        let names = app.texts_of("conversation-name").await;
        let previews = app.texts_of("conversation-preview").await;
        let i = names.iter().position(|n| n == "Inês Live")?;
        (previews.get(i)? == body).then_some(())
    })
    .await;
    assert!(app.click_conversation("Inês Live").await);
    let bubbles = app
        .eventually("her message in the chat", || async {
            let bubbles = app.texts_of("message-bubble").await;
            (!bubbles.is_empty()).then_some(bubbles)
        })
        .await;
    assert!(bubbles.last().unwrap().contains(body), "{bubbles:?}");
    assert!(
        text(&app.wait_testid("chat-header").await)
            .await
            .contains("Inês Live")
    );
    app.screenshot("live-new-customer").await;

    // Opening the chat read it: no unread badge, and WhatsApp was told.
    let first_wamid = reply_id(reply).await;
    app.eventually("her unread badge to clear", || async {
        let unread = app
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=conversation-item]')]
                   .filter(i => i.querySelector('[data-testid=conversation-name]')?.innerText === 'Inês Live')
                   .map(i => i.querySelector('[data-testid=unread-badge]') !== null)",
                vec![],
            )
            .await
            .ok()?;
        (unread == serde_json::json!([false])).then_some(())
    })
    .await;
    mark_read_sent(&sim, &first_wamid).await;

    // A second message arrives while her chat is open: shown, and read too.
    let second = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": "+351912345678", "name": "Inês Live", "text": "Also: gift wrap?" }))
        .send()
        .await
        .unwrap();
    let second_wamid = reply_id(second).await;
    app.eventually("the second message in the open chat", || async {
        let bubbles = app.texts_of("message-bubble").await;
        bubbles.last()?.contains("gift wrap").then_some(())
    })
    .await;
    mark_read_sent(&sim, &second_wamid).await;
    app.close().await;
}
