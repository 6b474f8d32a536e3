//! Conversation status in the real window, in demo mode (the agent is
//! "you" on the built-in relay): resolving a chat takes it out of Open and
//! into Resolved, with a line in the timeline; when the customer writes
//! again (through the simulator's `/_sim/inbound`), it is back in Open.
//! And the keyboard's z and e, in Russian on a dark system.

use crate::harness::{App, text};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use std::time::Duration;

const NAME: &str = "Rosa Resolve";
const FROM: &str = "+4917055501234";

async fn customer_writes(sim: &str, body: &str) {
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": FROM, "name": NAME, "text": body }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{}", reply.status());
}

async fn listed(app: &App) -> bool {
    app.texts_of("conversation-name")
        .await
        .iter()
        .any(|n| n == NAME)
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn resolve_then_the_customer_reopens() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    customer_writes(&sim, "Where is my order?").await;
    // Queued behind the demo's own webhooks (see `wait_demo_inbox`).
    let limit = Duration::from_secs(90);
    app.eventually_for("Rosa in Open", limit, || async {
        app.click_conversation(NAME).await.then_some(())
    })
    .await;
    let status = app.wait_testid("conversation-status").await;
    assert_eq!(
        status.attr("data-status").await.unwrap().as_deref(),
        Some("open")
    );
    let resolved_before: usize = app
        .wait_testid("filter-resolved")
        .await
        .attr("data-count")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();

    app.click_testid("status-resolve").await;
    app.eventually("the chat resolved", || async {
        let s = app.wait_testid("conversation-status").await;
        (s.attr("data-status").await.ok()?? == "resolved").then_some(())
    })
    .await;
    // The timeline says who resolved it and when.
    let line = app
        .eventually("the timeline line", || async {
            let lines = app.texts_of("status-line").await;
            lines
                .into_iter()
                .find(|l| l.starts_with("you resolved this conversation · "))
        })
        .await;
    // … and when: a time of day in the window's locale (14:02, 2:02 PM).
    let when = line.rsplit(" · ").next().unwrap();
    assert!(
        when.contains(':') && when.chars().any(|c| c.is_ascii_digit()),
        "{line}"
    );
    app.eventually("Rosa out of Open", || async {
        (!listed(&app).await).then_some(())
    })
    .await;
    app.screenshot("status-resolved-chat").await;

    app.click_testid("filter-resolved").await;
    app.eventually("Rosa under Resolved", || async {
        listed(&app).await.then_some(())
    })
    .await;
    let count = app.wait_testid("filter-resolved").await;
    assert_eq!(
        count.attr("data-count").await.unwrap(),
        Some((resolved_before + 1).to_string())
    );
    app.screenshot("status-resolved-list").await;

    // The customer writes again: back in Open, reopened in the timeline.
    customer_writes(&sim, "Hello? Still waiting.").await;
    app.eventually_for("Rosa out of Resolved", limit, || async {
        (!listed(&app).await).then_some(())
    })
    .await;
    app.click_testid("filter-open").await;
    app.eventually("Rosa back in Open", || async {
        listed(&app).await.then_some(())
    })
    .await;
    assert!(app.click_conversation(NAME).await);
    app.eventually("the chat open again", || async {
        let s = app.wait_testid("conversation-status").await;
        (s.attr("data-status").await.ok()?? == "open").then_some(())
    })
    .await;
    let lines = app
        .eventually("the reopening in the timeline", || async {
            let lines = app.texts_of("status-line").await;
            (lines.len() == 2).then_some(lines)
        })
        .await;
    assert!(
        lines[1].starts_with("The customer wrote: the conversation is open again · "),
        "{lines:?}"
    );
    let title = text(&app.wait_testid("chat-title").await).await;
    assert_eq!(title, NAME);
    app.screenshot("status-reopened").await;

    // Reports count today's resolution and reopening (the demo resolves
    // nothing on its own).
    app.click_testid("open-reports").await;
    app.wait_testid("report-volume").await;
    let today = app
        .eventually("today's volume row", || async {
            let row = app
                .client
                .execute(
                    "const rows = document.querySelectorAll('[data-testid=table-volume] tbody tr');
                     const last = rows[rows.length - 1];
                     return last ? [...last.children].map(c => c.textContent) : null",
                    vec![],
                )
                .await
                .ok()?;
            let cells: Vec<String> = serde_json::from_value(row).ok()?;
            (cells.len() == 4).then_some(cells)
        })
        .await;
    assert_eq!(
        &today[2..],
        ["1", "1"],
        "resolved and reopened today: {today:?}"
    );
    app.screenshot("status-reports").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn snooze_and_resolve_from_the_keyboard_in_russian_on_a_dark_system() {
    let data = tempfile::tempdir().unwrap();
    // WebKitGTK follows the GTK theme's dark variant for prefers-color-scheme.
    let app = App::launch(
        data.path(),
        &[("HOURGLASS_DEMO", "1"), ("GTK_THEME", "Adwaita:dark")],
    )
    .await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;
    app.click_testid("open-settings").await;
    app.wait_testid("settings-language")
        .await
        .select_by_value("ru")
        .await
        .expect("Russian in the language menu");
    app.click_testid("settings-close").await;

    customer_writes(&sim, "Можно перезвонить?").await;
    app.eventually_for("Rosa in Open", Duration::from_secs(90), || async {
        app.click_conversation(NAME).await.then_some(())
    })
    .await;
    app.eventually("the header's status", || async {
        let s = app.wait_testid("conversation-status").await;
        (text(&s).await == "Открыт").then_some(())
    })
    .await;
    // z opens the snooze choices; "until the customer writes".
    app.wait_testid("status-resolve").await;
    blur(&app).await;
    press(&app, 'z').await;
    app.click_testid("snooze-reply").await;
    app.eventually("snoozed", || async {
        let s = app.wait_testid("conversation-status").await;
        (s.attr("data-status").await.ok()?? == "snoozed").then_some(())
    })
    .await;
    app.click_testid("filter-snoozed").await;
    app.eventually("Rosa under Snoozed", || async {
        listed(&app).await.then_some(())
    })
    .await;
    // e resolves.
    blur(&app).await;
    press(&app, 'e').await;
    let lines = app
        .eventually("two lines in Russian", || async {
            let lines = app.texts_of("status-line").await;
            (lines.len() == 2).then_some(lines)
        })
        .await;
    assert!(
        lines[0].starts_with("you отложил(а) разговор до ответа клиента · "),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("you отметил(а) разговор решённым · "),
        "{lines:?}"
    );
    let dark: bool = serde_json::from_value(
        app.client
            .execute(
                "return window.matchMedia('(prefers-color-scheme: dark)').matches",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(dark, "the window is dark");
    app.screenshot("status-russian-dark").await;
    app.close().await;
}

async fn blur(app: &App) {
    app.client
        .execute("document.activeElement?.blur()", vec![])
        .await
        .unwrap();
}

async fn press(app: &App, value: char) {
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value })
        .then(KeyAction::Up { value });
    app.client
        .perform_actions(actions)
        .await
        .expect("press a key");
}
