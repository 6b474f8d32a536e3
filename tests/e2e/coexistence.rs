//! The WhatsApp Business app beside Hourglass, in the real window: the
//! app's history is imported quietly (no notification, nothing unread), the
//! app's address book names the customer, and what the business sends from
//! the phone is shown marked in the chat.

use crate::demo::sim_inbound;
use crate::harness::{App, text};
use crate::leads::NotificationDaemon;
use std::time::Duration;

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn history_echoes_and_the_address_book_of_the_business_app() {
    let daemon = NotificationDaemon::start();
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(
        data.path(),
        &[("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")],
    )
    .await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    // The demo's first burst of leads is shown as one summary; what comes
    // after it is shown on its own.
    daemon
        .wait_for(&["x-hourglass-kind\": \"summary"], Duration::from_secs(60))
        .await;
    let hugo = "+34611177701";
    sim_inbound(
        &sim,
        serde_json::json!({"from": hugo, "history": [
            {"by": "customer", "body": "¿Abrís el sábado por la tarde?"},
            {"by": "business", "body": "Sí, hasta las 20:00"},
            {"by": "customer", "media": true}]}),
    )
    .await;
    sim_inbound(
        &sim,
        serde_json::json!({"from": hugo, "name": "Hugo Historia", "address_book": "add"}),
    )
    .await;
    // A customer writing now: their notification comes after the history
    // in the relay's log, so by then any for the history would have shown.
    sim_inbound(
        &sim,
        serde_json::json!({"from": "+34611177702", "name": "Nora Now", "text": "Hola, una duda"}),
    )
    .await;
    daemon
        .wait_for(&["Nora Now"], Duration::from_secs(60))
        .await;
    let lines = daemon.notify_lines();
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("Hugo") || l.contains("Abrís") || l.contains("611177701")),
        "no notification for the history: {lines:#?}"
    );

    // Named from the app's address book, and nothing unread.
    app.eventually("Hugo in the list", || async {
        app.click_conversation("Hugo Historia").await.then_some(())
    })
    .await;
    let header = app.wait_testid("chat-title").await;
    assert_eq!(text(&header).await, "Hugo Historia");
    let unread = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=conversation-item]')]
               .filter(i => i.querySelector('[data-testid=conversation-name]')?.innerText === 'Hugo Historia')
               .map(i => i.querySelector('[data-testid=unread-badge]') !== null);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(unread, serde_json::json!([false]), "history is not unread");

    // The business's answer from the phone is marked; the photo is a
    // placeholder that says why.
    let marked = app.wait_testid("message-business-app").await;
    assert_eq!(text(&marked).await, "Sent from the WhatsApp Business app");
    let placeholder = app.wait_testid("message-media-placeholder").await;
    assert!(text(&placeholder).await.contains("14 days"));

    // The business answers from the phone now: it appears in the open chat.
    sim_inbound(
        &sim,
        serde_json::json!({"from": hugo, "echo": "Te esperamos el sábado"}),
    )
    .await;
    app.eventually("the echo, marked", || async {
        (app.all_testid("message-business-app").await.len() == 2).then_some(())
    })
    .await;
    let bodies = app.texts_of("message-bubble").await;
    assert!(
        bodies.iter().any(|b| b.contains("Te esperamos el sábado")),
        "{bodies:#?}"
    );

    // The contact panel shows the address-book name beside the profile's.
    app.click_testid("contact-toggle").await;
    let saved = app.wait_testid("contact-address-book-name").await;
    assert_eq!(text(&saved).await, "Hugo Historia");
    app.screenshot("coexistence-business-app").await;
    app.close().await;
}
