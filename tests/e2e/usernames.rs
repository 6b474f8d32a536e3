//! A customer who hides their number behind a WhatsApp username, in the
//! real window: they write through the demo's simulator with no number at
//! all, the list, the header and the contact panel name them `@username`,
//! and the agent's reply reaches the simulator with `recipient` (their
//! business-scoped user id) instead of `to`.

use crate::harness::App;

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_username_only_customer_is_named_and_answered_through_recipient() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(
        data.path(),
        &[("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")],
    )
    .await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound?wait=true"))
        .json(&serde_json::json!({"username": "sam.nobody", "text": "Do you ship to Iceland?"}))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());
    let receipt: serde_json::Value = reply.json().await.unwrap();
    let user_id = receipt["user_id"].as_str().unwrap().to_owned();

    app.eventually("the username in the list", || async {
        app.click_conversation("@sam.nobody").await.then_some(())
    })
    .await;
    let title = app.wait_testid("chat-title").await;
    assert_eq!(crate::harness::text(&title).await, "@sam.nobody");
    app.click_testid("contact-toggle").await;
    let username = app.wait_testid("contact-username").await;
    assert_eq!(crate::harness::text(&username).await, "@sam.nobody");
    app.screenshot("usernames-username-only-customer").await;

    let input = app.wait_testid("composer-input").await;
    input.send_keys("Yes, we do!").await.unwrap();
    input.send_keys("\u{E007}").await.unwrap(); // Enter
    let sent = crate::demo::wait_sent(&sim, "the reply with recipient", |b| {
        b["text"]["body"] == "Yes, we do!"
    })
    .await;
    assert_eq!(sent[0]["recipient"], user_id.as_str());
    assert!(sent[0].get("to").is_none(), "{}", sent[0]);
    app.eventually("the reply delivered", || async {
        let statuses = app.all_testid("message-status").await;
        let mut shown = Vec::new();
        for s in &statuses {
            shown.push(
                s.attr("data-status")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        shown
            .iter()
            .any(|s| s == "read" || s == "delivered")
            .then_some(())
    })
    .await;
    app.screenshot("usernames-reply-sent").await;
    app.close().await;
}
