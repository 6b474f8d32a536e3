//! The inbox over a seeded local store.

use crate::harness::{App, text, texts};
use crate::seed::{self, Chat};
use fantoccini::Locator;
use hourglass_core::inbox::Direction;
use hourglass_core::store::Store;

const HOSTILE: &str = "<img src=x onerror=alert(1)>";

const MIN: i64 = 60;

fn seed(dir: &std::path::Path) {
    use Direction::{Inbound, Outbound};
    let chats = [
        Chat {
            name: Some("Ana García"),
            phone: "34612345678",
            messages: &[
                (Inbound, 180 * MIN, "Hola, ¿tenéis la talla M?"),
                (Outbound, 170 * MIN, "¡Sí! Te la reservo."),
                (Inbound, 60 * MIN, "Perfecto, gracias"),
            ],
        },
        Chat {
            name: Some(HOSTILE),
            phone: "16505551234",
            messages: &[(Inbound, 5 * MIN, "<script>alert('x')</script> is my order")],
        },
        Chat {
            name: None,
            phone: "447700900123",
            messages: &[(Inbound, 30 * 60 * MIN, "Is the shop open on Sunday?")],
        },
    ];
    seed::chats(dir, chrono::Utc::now().timestamp(), &chats);
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn seeded_inbox_lists_by_activity_and_opens_a_chat() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = App::launch(data.path(), &[]).await;

    app.wait_testid("conversation-list").await;
    let names = app
        .eventually("three conversations", || async {
            let items = app.all_testid("conversation-name").await;
            (items.len() == 3).then_some(items)
        })
        .await;
    assert_eq!(
        texts(&names).await,
        vec![HOSTILE, "Ana García", "+447700900123"],
        "ordered by last activity, newest first; the hostile name shown as text"
    );
    // Nothing the customer wrote became markup.
    let list = app.wait_testid("conversation-list").await;
    assert!(
        list.find_all(Locator::Css("img, script"))
            .await
            .unwrap()
            .is_empty(),
        "customer text must never be rendered as HTML"
    );
    let previews = texts(&app.all_testid("conversation-preview").await).await;
    assert_eq!(previews[1], "Perfecto, gracias");

    app.screenshot("inbox-list").await;

    let items = app.all_testid("conversation-item").await;
    app.click(&items[1]).await;
    let header = app.wait_testid("chat-header").await;
    assert!(text(&header).await.contains("Ana García"));
    let bodies = app
        .eventually("Ana's three messages", || async {
            let bubbles = app.all_testid("message-bubble").await;
            (bubbles.len() == 3).then_some(bubbles)
        })
        .await;
    let bodies = texts(&bodies).await;
    assert!(
        bodies[0].contains("Hola, ¿tenéis la talla M?"),
        "{bodies:?}"
    );
    assert!(bodies[1].contains("¡Sí! Te la reservo."), "{bodies:?}");
    assert!(bodies[2].contains("Perfecto, gracias"), "{bodies:?}");
    app.wait_testid("composer-input").await;
    app.wait_testid("composer-send").await;
    app.screenshot("inbox-chat").await;

    // The hostile customer's chat: the header and the bubble show the literal text.
    app.click(&items[0]).await;
    app.eventually("the hostile chat header", || async {
        let t = text(&app.wait_testid("chat-title").await).await;
        (t == HOSTILE).then_some(())
    })
    .await;
    let bubble = app
        .eventually("the hostile message", || async {
            let b = app.all_testid("message-bubble").await;
            (b.len() == 1).then(|| b.into_iter().next()).flatten()
        })
        .await;
    assert!(
        text(&bubble)
            .await
            .contains("<script>alert('x')</script> is my order")
    );
    let pane = app.client.find(Locator::Css(".main")).await.unwrap();
    assert!(
        pane.find_all(Locator::Css("img, script"))
            .await
            .unwrap()
            .is_empty()
    );
    app.screenshot("inbox-hostile-text").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn an_empty_profile_shows_a_friendly_empty_state() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[]).await;
    let empty = app.wait_testid("inbox-empty").await;
    assert!(text(&empty).await.contains("No conversations yet"));
    assert!(app.all_testid("conversation-item").await.is_empty());
    app.screenshot("inbox-empty").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_database_from_a_newer_version_is_explained_in_the_window() {
    let data = tempfile::tempdir().unwrap();
    drop(Store::open_in_dir(data.path()).unwrap());
    let conn =
        rusqlite::Connection::open(data.path().join(hourglass_core::store::FILE_NAME)).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', 0)",
        [],
    )
    .unwrap();
    drop(conn);
    let app = App::launch(data.path(), &[]).await;
    let alert = app.wait_testid("inbox-error").await;
    let shown = text(&alert).await;
    assert!(shown.contains("newer version of Hourglass"), "{shown}");
    app.screenshot("inbox-newer-schema").await;
    app.close().await;
}
