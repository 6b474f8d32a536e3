//! The 24-hour window in the real window: countdowns in the list and header,
//! live, and the "Closing soon" filter.

use crate::harness::{App, text, texts};
use crate::seed::{self, Chat};
use hourglass_core::inbox::Direction::{Inbound, Outbound};

const H: i64 = 3600;

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn countdowns_show_open_closing_and_closed_and_update_live() {
    let data = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now().timestamp();
    seed::chats(
        data.path(),
        now,
        &[
            Chat {
                name: Some("Open Olga"),
                phone: "34600000001",
                messages: &[(Inbound, H, "Open window")],
            },
            Chat {
                name: Some("Closing Carl"),
                phone: "34600000002",
                messages: &[(Inbound, 23 * H + 15 * 60, "Closing window")],
            },
            Chat {
                name: Some("Closed Chloe"),
                phone: "34600000003",
                messages: &[
                    (Inbound, 26 * H, "Closed window"),
                    (Outbound, 25 * H, "Anything else?"),
                ],
            },
            // Closes about 40 s after seeding: the test watches it flip.
            Chat {
                name: Some("Edge Eva"),
                phone: "34600000004",
                messages: &[(Inbound, 24 * H - 40, "Just in time")],
            },
        ],
    );
    let app = App::launch(data.path(), &[]).await;
    let rows = app
        .eventually("four conversations", || async {
            let names = texts(&app.all_testid("conversation-name").await).await;
            (names.len() == 4).then_some(names)
        })
        .await;
    let state_of = |name: &'static str| {
        let app = &app;
        let rows = rows.clone();
        async move {
            let i = rows.iter().position(|n| n == name).unwrap();
            let el = &app.all_testid("window-countdown").await[i];
            (
                el.attr("data-state").await.unwrap().unwrap(),
                text(el).await,
            )
        }
    };
    let (s, label) = state_of("Open Olga").await;
    assert_eq!(s, "open");
    assert!(label.contains("22h") || label.contains("23h"), "{label}");
    let (s, label) = state_of("Closing Carl").await;
    assert_eq!(s, "closing");
    assert!(label.ends_with('m'), "{label}");
    let (s, label) = state_of("Closed Chloe").await;
    assert_eq!(s, "closed");
    assert!(label.contains("Closed"), "{label}");
    app.screenshot("window-list").await;

    // The header of a closing chat counts seconds.
    assert!(app.click_conversation("Closing Carl").await);
    let header = app.wait_testid("chat-header").await;
    let countdown = header
        .find(fantoccini::Locator::Css("[data-testid=window-countdown]"))
        .await
        .unwrap();
    let first = text(&countdown).await;
    assert!(
        first.contains('s'),
        "seconds shown in the last hour: {first}"
    );
    let title = countdown.attr("title").await.unwrap().unwrap();
    assert!(title.contains("Free text until"), "{title}");
    app.eventually("the header countdown to tick", || async {
        let now_text = text(&countdown).await;
        (now_text != first).then_some(())
    })
    .await;
    app.screenshot("window-closing-header").await;

    // The closed chat.
    assert!(app.click_conversation("Closed Chloe").await);
    app.eventually("the closed header", || async {
        let h = app.wait_testid("chat-header").await;
        let c = h
            .find(fantoccini::Locator::Css("[data-testid=window-countdown]"))
            .await
            .ok()?;
        (c.attr("data-state").await.ok()?? == "closed").then_some(())
    })
    .await;
    app.screenshot("window-closed-header").await;

    // Eva's window closes while her chat is open: the free-text box gives
    // way to the template explanation by itself, and her row says Closed.
    let (s, _) = state_of("Edge Eva").await;
    assert_ne!(
        s, "closed",
        "Eva's window must still be open when the test starts"
    );
    assert!(app.click_conversation("Edge Eva").await);
    app.wait_testid("composer-input").await;
    assert!(app.all_testid("composer-closed").await.is_empty());
    app.eventually_for(
        "Eva's composer to switch to templates by itself",
        std::time::Duration::from_secs(60),
        || async { app.all_testid("composer-closed").await.into_iter().next() },
    )
    .await;
    assert!(app.all_testid("composer-input").await.is_empty());
    app.wait_testid("template-picker-open").await;
    let eva = rows.iter().position(|n| n == "Edge Eva").unwrap();
    let el = &app.all_testid("conversation-item").await[eva];
    let countdown = el
        .find(fantoccini::Locator::Css("[data-testid=window-countdown]"))
        .await
        .unwrap();
    assert_eq!(
        countdown.attr("data-state").await.unwrap().unwrap(),
        "closed"
    );
    app.screenshot("window-closed-while-open").await;

    // "Closing soon" shows only Carl.
    app.click_testid("filter-closing").await;
    let names = app
        .eventually("the filtered list", || async {
            let n = texts(&app.all_testid("conversation-name").await).await;
            (n.len() == 1).then_some(n)
        })
        .await;
    assert_eq!(names, vec!["Closing Carl"]);
    app.screenshot("window-closing-filter").await;
    app.close().await;
}
