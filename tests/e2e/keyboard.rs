//! The inbox without a mouse, in the real window: the key map moves through
//! the list, opens a chat, goes to the message box and back, and shows the
//! shortcut list. Keys go through WebDriver's keyboard, to whatever has the
//! focus, as a person's keys would.

use crate::harness::{App, text};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;

/// Presses and releases each key in turn, wherever the focus is.
async fn press(app: &App, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for &value in keys {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    app.client
        .perform_actions(actions)
        .await
        .expect("press keys");
}

/// The `data-testid` of the focused element ("" when it has none).
async fn focused(app: &App) -> String {
    let v = app
        .client
        .execute(
            "return document.activeElement?.dataset?.testid ?? ''",
            vec![],
        )
        .await
        .expect("read the focus");
    v.as_str().unwrap_or_default().to_owned()
}

/// The row under the list's cursor (its element id, which names one
/// conversation; two customers may share a name), the name in it, and
/// whether the list names that row as its active descendant.
async fn cursor(app: &App) -> Option<(String, String, bool)> {
    let v = app
        .client
        .execute(
            "const list = document.querySelector('[data-testid=conversation-list]');
             const row = list?.querySelector('[role=option][aria-selected=true]');
             if (!row) return null;
             return [row.id,
                     row.querySelector('[data-testid=conversation-name]').innerText,
                     list.getAttribute('aria-activedescendant') === row.id];",
            vec![],
        )
        .await
        .expect("read the cursor");
    serde_json::from_value(v).expect("a cursor or null")
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn the_inbox_works_from_the_keyboard() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    crate::demo::wait_demo_inbox(&app).await;

    // `/` goes to the search box; Escape in the empty box goes on to the
    // list, and the cursor lands on the first row.
    press(&app, &['/']).await;
    app.eventually("the search box to take the focus", || async {
        (focused(&app).await == "search-input").then_some(())
    })
    .await;
    press(&app, &[Key::Escape.into()]).await;
    app.eventually("the list to take the focus", || async {
        (focused(&app).await == "conversation-list").then_some(())
    })
    .await;
    let (landed, _, _) = app
        .eventually("the cursor on a row", || async { cursor(&app).await })
        .await;

    // Two rows down. Moving only moves: no chat opens on the way. (The demo
    // keeps adding leads on top; the cursor stays on its conversation.)
    press(&app, &[Key::Down.into(), Key::Down.into()]).await;
    let (row, name, named) = app
        .eventually("the cursor two rows down", || async {
            cursor(&app).await.filter(|(id, _, _)| *id != landed)
        })
        .await;
    assert!(named, "aria-activedescendant names the cursor's row");
    let position = app
        .client
        .execute(
            "return document.querySelector('[role=option][aria-selected=true]').getAttribute('aria-posinset')",
            vec![],
        )
        .await
        .unwrap();
    let position: usize = position.as_str().unwrap().parse().unwrap();
    assert!(position >= 3, "the cursor is at row {position}");
    assert!(!app.all_testid("chat-empty").await.is_empty());
    app.screenshot("keyboard-cursor").await;

    // Enter opens the chat under the cursor.
    press(&app, &[Key::Enter.into()]).await;
    app.eventually("the chosen chat to open", || async {
        let title = text(&app.all_testid("chat-title").await.into_iter().next()?).await;
        (title == name).then_some(())
    })
    .await;
    assert!(
        text(&app.wait_testid("chat-header").await)
            .await
            .contains(&name)
    );

    // `r` goes to the message box; what is typed there is text, single-key
    // shortcuts included.
    press(&app, &['r']).await;
    app.eventually("the message box to take the focus", || async {
        (focused(&app).await == "composer-input").then_some(())
    })
    .await;
    let typed = "just checking: k, 1, ? and /";
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys(typed)
        .await
        .unwrap();
    let composer = app.wait_testid("composer-input").await;
    assert_eq!(
        composer.prop("value").await.unwrap().as_deref(),
        Some(typed)
    );
    assert!(app.all_testid("shortcuts-dialog").await.is_empty());
    assert_eq!(
        cursor(&app).await.map(|(id, _, _)| id).as_deref(),
        Some(row.as_str())
    );

    // Escape leaves the message box (keeping the text) for the list.
    press(&app, &[Key::Escape.into()]).await;
    app.eventually("the focus back on the list", || async {
        (focused(&app).await == "conversation-list").then_some(())
    })
    .await;
    assert_eq!(
        composer.prop("value").await.unwrap().as_deref(),
        Some(typed)
    );

    // `?` shows the shortcut list, a modal dialog with the focus inside.
    press(&app, &['?']).await;
    let dialog = app.wait_testid("shortcuts-dialog").await;
    assert_eq!(
        dialog.attr("role").await.unwrap().as_deref(),
        Some("dialog")
    );
    assert_eq!(
        dialog.attr("aria-modal").await.unwrap().as_deref(),
        Some("true")
    );
    let rows = app.texts_of("shortcut").await;
    assert_eq!(rows.len(), 16, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("Resolve the conversation") && r.contains('e')),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("Next conversation")),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("Ctrl") && r.contains("K")),
        "{rows:?}"
    );
    app.eventually("the focus in the dialog", || async {
        (focused(&app).await == "shortcuts-close").then_some(())
    })
    .await;
    // Tab stays inside.
    press(&app, &[Key::Tab.into()]).await;
    assert_eq!(focused(&app).await, "shortcuts-close");
    app.screenshot("keyboard-shortcuts").await;

    // Escape closes it and the focus goes back to the list.
    press(&app, &[Key::Escape.into()]).await;
    app.eventually("the dialog to close", || async {
        app.all_testid("shortcuts-dialog")
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    app.eventually("the focus back on the list", || async {
        (focused(&app).await == "conversation-list").then_some(())
    })
    .await;

    // `2` switches to the Leads filter.
    press(&app, &['2']).await;
    app.eventually("the Leads filter", || async {
        let f = app.wait_testid("filter-leads").await;
        (f.attr("aria-pressed").await.ok()?? == "true").then_some(())
    })
    .await;
    app.close().await;
}
