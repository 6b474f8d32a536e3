//! Notifications that reach the right agent, in the window's language: a
//! chat the demo's colleague hands over to me, and a new message in a chat
//! assigned to me (while the same message in a chat that is not mine stays
//! silent). Captured by the recording notification daemon of `leads.rs`.

use crate::harness::App;
use crate::leads::NotificationDaemon;
use std::time::Duration;

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn my_chats_and_handovers_notify_me_in_the_windows_language() {
    let daemon = NotificationDaemon::start();
    let data = tempfile::tempdir().unwrap();
    let env = [("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")];
    // The agent chooses Russian; from the next start on, notifications are
    // worded in it before the window has even loaded.
    let app = App::launch(data.path(), &env).await;
    app.wait_testid("demo-badge").await;
    app.click_testid("open-settings").await;
    app.wait_testid("settings-language")
        .await
        .select_by_value("ru")
        .await
        .unwrap();
    app.eventually("the window in Russian", || async {
        let tools = app.texts_of("open-settings").await;
        (tools.first()? == "Настройки").then_some(())
    })
    .await;
    app.close().await;

    let app = App::launch(data.path(), &env).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;
    app.eventually("the window in Russian again", || async {
        let tools = app.texts_of("open-settings").await;
        (tools.first()? == "Настройки").then_some(())
    })
    .await;

    // The demo's colleague hands one chat over to me.
    let handover = daemon
        .wait_for(&["Вам назначен чат", "maria"], Duration::from_secs(60))
        .await;
    assert!(handover.contains("Hourglass"), "{handover}");

    // A customer whose chat is nobody's writes twice: a lead, then silence.
    let customer = "+4917055501234";
    let write = |text: &'static str| {
        let sim = sim.clone();
        async move {
            let reply = reqwest::Client::new()
                .post(format!("{sim}/_sim/inbound"))
                .json(&serde_json::json!({ "from": customer, "name": "Nina Notify", "text": text }))
                .send()
                .await
                .unwrap();
            assert!(reply.status().is_success());
        }
    };
    write("Здравствуйте, где мой заказ?").await;
    daemon
        .wait_for(&["Новый лид: Nina Notify"], Duration::from_secs(30))
        .await;
    write("Not assigned to anyone yet").await;
    // Longer than the notification policy holds a batch (5 s at most).
    tokio::time::sleep(Duration::from_secs(7)).await;
    let unassigned: Vec<String> = daemon
        .notify_lines()
        .into_iter()
        .filter(|l| l.contains("Not assigned to anyone yet"))
        .collect();
    assert!(unassigned.is_empty(), "not my chat: {unassigned:#?}");

    // I take the chat; the customer's next message is in my chat.
    app.eventually("Nina in the list", || async {
        app.click_conversation("Nina Notify").await.then_some(())
    })
    .await;
    let assignee = app.wait_testid("team-assignee").await;
    app.eventually("me among the agents", || async {
        let options = app
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=team-assignee] option')].map(o => o.value)",
                vec![],
            )
            .await
            .ok()?;
        options.as_array()?.iter().any(|v| v == "you").then_some(())
    })
    .await;
    assignee.select_by_value("you").await.unwrap();
    app.eventually("the assignment applied", || async {
        let v = assignee.prop("value").await.ok()??;
        (v == "you").then_some(())
    })
    .await;
    write("Now it is your chat").await;
    let mine = daemon
        .wait_for(
            &["Nina Notify", "Now it is your chat"],
            Duration::from_secs(30),
        )
        .await;
    // Assigning a chat to myself is not news.
    assert!(
        !daemon
            .notify_lines()
            .iter()
            .any(|l| l.contains("Вам назначен чат: Nina Notify")),
        "{:#?}",
        daemon.notify_lines()
    );
    assert!(mine.contains("x-hourglass-kind\": \"message"), "{mine}");
    app.screenshot("notifications-my-chat").await;
    app.close().await;
}
