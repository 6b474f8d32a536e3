//! WhatsApp calls and Meta's business AI agent in the real window: a
//! customer's missed call is a line of the timeline and a notification seen
//! by the recording notification daemon; a message Meta's AI agent handled
//! and its reply are shown marked, the header says the AI agent answers, and Take over
//! reaches the demo's simulator and hands the chat to the team.

use crate::demo::sim_inbound;
use crate::harness::App;
use crate::leads::NotificationDaemon;
use std::time::Duration;

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_missed_call_notifies_and_a_chat_is_taken_over_from_the_ai_agent() {
    let daemon = NotificationDaemon::start();
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(
        data.path(),
        &[("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")],
    )
    .await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    // A customer calls and nobody answers.
    sim_inbound(
        &sim,
        serde_json::json!({"from": "+4915155501234", "name": "Carla Call", "call": {}}),
    )
    .await;
    let shown = daemon
        .wait_for(&["Missed call: Carla Call"], Duration::from_secs(60))
        .await;
    assert!(
        shown.contains("x-hourglass-kind\": \"missed_call"),
        "{shown}"
    );
    app.eventually("Carla in the list", || async {
        app.click_conversation("Carla Call").await.then_some(())
    })
    .await;
    let line = app.wait_testid("call-line").await;
    assert_eq!(
        line.attr("data-missed").await.unwrap().as_deref(),
        Some("true")
    );
    assert!(crate::harness::text(&line).await.contains("Missed call"));
    // The call opened the 24-hour window: the message box is there.
    app.wait_testid("composer-input").await;
    app.screenshot("calls-missed-call").await;

    // A customer Meta's AI agent is answering writes.
    sim_inbound(
        &sim,
        serde_json::json!({"from": "+34611155501", "name": "Sofía Standby",
                           "standby": "¿Hacen envíos a Canarias?"}),
    )
    .await;
    app.eventually("Sofía in the list", || async {
        app.click_conversation("Sofía Standby").await.then_some(())
    })
    .await;
    let marked = app.wait_testid("message-ai-agent").await;
    assert_eq!(
        crate::harness::text(&marked).await,
        "Handled by Meta's AI agent"
    );
    // The AI agent's reply, echoed on standby, is in the chat too, marked.
    app.eventually("the AI agent's reply, marked", || async {
        (app.all_testid("message-ai-agent").await.len() == 2).then_some(())
    })
    .await;
    let owner = app.wait_testid("thread-owner").await;
    assert_eq!(
        owner.attr("data-owner").await.unwrap().as_deref(),
        Some("ai_agent")
    );
    app.screenshot("calls-ai-agent").await;

    app.click_testid("take-over").await;
    let asked = crate::demo::wait_sent(&sim, "the take-over request", |b| {
        b["action"] == "take" && b["to"] == "34611155501"
    })
    .await;
    assert_eq!(asked.len(), 1, "{asked:?}");
    app.eventually("the team owns the chat", || async {
        let owner = app.wait_testid("thread-owner").await;
        (owner.attr("data-owner").await.ok()?? == "app").then_some(())
    })
    .await;
    assert!(app.all_testid("take-over").await.is_empty());
    app.screenshot("calls-taken-over").await;

    // Meta hands the chat back to its AI agent: a line in the chat says so,
    // and the header follows.
    sim_inbound(
        &sim,
        serde_json::json!({"from": "+34611155501", "handover": "ai_agent"}),
    )
    .await;
    let line = app.wait_testid("handover-line").await;
    assert_eq!(
        line.attr("data-owner").await.unwrap().as_deref(),
        Some("ai_agent")
    );
    assert!(
        crate::harness::text(&line)
            .await
            .contains("Meta's AI agent took this conversation over")
    );
    app.eventually("the AI agent owns the chat again", || async {
        let owner = app.wait_testid("thread-owner").await;
        (owner.attr("data-owner").await.ok()?? == "ai_agent").then_some(())
    })
    .await;
    app.close().await;
}
