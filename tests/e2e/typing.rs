//! Meta's typing indicator in the real window: writing a reply shows the
//! customer "typing…" for their newest message, once however many keys are
//! pressed; with the setting off, writing sends nothing.

use crate::demo::{sim_sent, wait_sent};
use crate::harness::App;
use std::time::Duration;

/// A customer writes; answers the wamid of their message.
async fn customer_writes(sim: &str, from: &str, name: &str, text: &str) -> String {
    let reply: serde_json::Value = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": from, "name": name, "text": text }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    reply["id"].as_str().unwrap().to_owned()
}

/// The typing indicators the simulator took for `wamid`.
async fn indicators_for(sim: &str, wamid: &str) -> usize {
    sim_sent(sim)
        .await
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["body"]["typing_indicator"]["type"] == "text" && r["body"]["message_id"] == wamid
        })
        .count()
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn writing_a_reply_shows_the_customer_typing_unless_turned_off() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(
        data.path(),
        &[("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")],
    )
    .await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    let wamid = customer_writes(&sim, "+4917012121212", "Theo Typing", "Is anyone there?").await;
    app.eventually("Theo's chat", || async {
        app.click_conversation("Theo Typing").await.then_some(())
    })
    .await;
    let composer = app.wait_testid("composer-input").await;
    for word in ["Yes, ", "I am ", "here, ", "one ", "moment"] {
        composer.send_keys(word).await.unwrap();
    }
    let shown = wait_sent(&sim, "a typing indicator for Theo's message", |b| {
        b["typing_indicator"]["type"] == "text" && b["message_id"] == wamid.as_str()
    })
    .await;
    assert_eq!(shown[0]["status"], "read");
    // Many keystrokes, one indicator (the next may only follow after 20 s).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(indicators_for(&sim, &wamid).await, 1);

    // Turned off in Settings: writing to the next customer sends nothing.
    app.click_testid("open-settings").await;
    let toggle = app.wait_testid("setting-typing-indicator").await;
    app.eventually("the setting loaded", || async {
        (toggle.prop("checked").await.ok()?? == "true").then_some(())
    })
    .await;
    app.click(&toggle).await;
    app.eventually("the setting off", || async {
        (toggle.prop("checked").await.ok()?? == "false").then_some(())
    })
    .await;
    app.screenshot("typing-setting").await;
    app.click_testid("settings-close").await;
    let quiet = customer_writes(&sim, "+4917034343434", "Quinn Quiet", "Hello?").await;
    app.eventually("Quinn's chat", || async {
        app.click_conversation("Quinn Quiet").await.then_some(())
    })
    .await;
    let composer = app.wait_testid("composer-input").await;
    composer.send_keys("Hello Quinn").await.unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(indicators_for(&sim, &quiet).await, 0, "the setting is off");
    app.close().await;
}
