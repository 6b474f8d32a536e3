//! Team work in the real window, in demo mode (the agent is "you" on the
//! built-in relay): assigning a chat to me and filtering "Mine", a private
//! note that never reaches WhatsApp, and a canned response inserted with `/`.

use crate::harness::{App, text};
use std::time::Duration;

/// The name of the open chat.
async fn open_chat_name(app: &App) -> String {
    text(&app.wait_testid("chat-title").await).await
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn assign_note_and_canned_response() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    // A new customer, so the chat's window is open and nothing else owns it.
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": "+4917099887766", "name": "Tess Team", "text": "Can someone help me?" }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());
    app.eventually("Tess in the list", || async {
        app.click_conversation("Tess Team").await.then_some(())
    })
    .await;
    app.eventually("Tess's chat", || async {
        (open_chat_name(&app).await == "Tess Team").then_some(())
    })
    .await;

    // Assign to me; "Mine" then lists exactly this chat.
    let assignee = app.wait_testid("team-assignee").await;
    app.eventually("the agents in the menu", || async {
        let options = app
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=team-assignee] option')].map(o => o.value)",
                vec![],
            )
            .await
            .ok()?;
        options
            .as_array()?
            .iter()
            .any(|v| v == "you")
            .then_some(())
    })
    .await;
    assignee.select_by_value("you").await.unwrap();
    app.eventually("the assignment applied", || async {
        let v = assignee.prop("value").await.ok()??;
        (v == "you").then_some(())
    })
    .await;
    app.click_testid("filter-mine").await;
    // Mine: Tess, and at most the chat the demo's colleague hands over.
    app.eventually("Tess under Mine", || async {
        let names = app.texts_of("conversation-name").await;
        (names.iter().any(|n| n == "Tess Team") && names.len() <= 2).then_some(())
    })
    .await;
    app.click_testid("filter-all").await;

    // A private note shows in the timeline and never reaches WhatsApp.
    let note = "She prefers a call after 5 pm";
    app.click_testid("composer-tab-note").await;
    let input = app.wait_testid("note-input").await;
    input.send_keys(note).await.unwrap();
    app.click_testid("note-add").await;
    app.eventually("the note in the timeline", || async {
        let notes = app.texts_of("note").await;
        notes.iter().any(|n| n.contains(note)).then_some(())
    })
    .await;
    app.screenshot("team-note").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let sent = crate::demo::sim_sent(&sim).await;
    assert!(
        !sent.to_string().contains(note),
        "a note must never be sent to the customer"
    );

    // A canned response, made in Settings, goes into the composer with "/".
    app.click_testid("open-settings").await;
    let title = app.wait_testid("canned-title").await;
    title.send_keys("Opening hours").await.unwrap();
    app.wait_testid("canned-body")
        .await
        .send_keys("We are open from 9 to 6, Monday to Saturday.")
        .await
        .unwrap();
    app.click_testid("canned-add").await;
    app.eventually("the canned response saved", || async {
        let items = app.texts_of("canned-item").await;
        items
            .iter()
            .any(|i| i.contains("Opening hours"))
            .then_some(())
    })
    .await;
    assert!(app.click_conversation("Tess Team").await);
    app.click_testid("composer-tab-reply").await;
    let composer = app.wait_testid("composer-input").await;
    composer.send_keys("/hours").await.unwrap();
    app.wait_testid("canned-option").await;
    app.screenshot("team-canned").await;
    composer.send_keys("\u{E007}").await.unwrap(); // Enter picks it
    app.eventually("the canned text in the composer", || async {
        let v = composer.prop("value").await.ok()??;
        (v == "We are open from 9 to 6, Monday to Saturday.").then_some(())
    })
    .await;
    app.close().await;
}
