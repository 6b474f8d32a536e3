//! New conversation in the real window: a number that never wrote is read
//! in the default country chosen in Settings, gets an approved template that
//! reaches WhatsApp exactly once, and its conversation appears only then; a
//! number already in the inbox opens its existing conversation.

use crate::compose::open_new_customer;
use crate::demo::{wait_demo_inbox, wait_sent};
use crate::harness::App;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use std::time::Duration;

/// Spain's national form of the new customer's number, and its E.164.
const TYPED: &str = "612 98 76 54";
const E164: &str = "+34612987654";

/// The conversation names in the list.
async fn names(app: &App) -> Vec<String> {
    app.texts_of("conversation-name").await
}

/// Opens New conversation with its button and types `number`.
async fn type_number(app: &App, number: &str) {
    app.click_testid("new-conversation").await;
    app.wait_testid("new-conversation-dialog").await;
    app.wait_testid("new-conversation-input")
        .await
        .send_keys(number)
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_new_number_gets_a_template_once_and_a_known_one_opens_its_conversation() {
    let data = tempfile::tempdir().unwrap();
    let env = [("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")];
    let app = App::launch(data.path(), &env).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    wait_demo_inbox(&app).await;

    // Numbers without + are read in Spain from now on.
    app.click_testid("open-settings").await;
    // The countries are listed once the system's region is read.
    app.eventually("Spain in the country list", || async {
        let select = app.wait_testid("setting-default-country").await;
        select.select_by_value("ES").await.ok()
    })
    .await;
    app.click_testid("settings-close").await;

    // A number that never wrote: shown formatted as it is typed, and not in
    // the list while only the template is being chosen.
    type_number(&app, TYPED).await;
    let shown = app
        .eventually("the formatted number", || async {
            app.texts_of("new-conversation-number")
                .await
                .into_iter()
                .next()
        })
        .await;
    assert_eq!(shown, "+34 612 98 76 54");
    app.screenshot("new-conversation-number").await;
    app.click_testid("new-conversation-continue").await;
    app.wait_testid("template-picker").await;
    app.wait_testid("template-search")
        .await
        .send_keys("hello_world")
        .await
        .unwrap();
    let option = app
        .eventually("the hello_world option", || async {
            app.client
                .find(fantoccini::Locator::Css(
                    "[data-testid=template-option][data-name=hello_world][data-language=en_US]",
                ))
                .await
                .ok()
        })
        .await;
    app.click(&option).await;
    app.eventually("the template ready to send", || async {
        let enabled = app
            .client
            .execute(
                "return document.querySelector('[data-testid=template-send]')?.disabled === false",
                vec![],
            )
            .await
            .ok()?;
        (enabled == serde_json::Value::Bool(true)).then_some(())
    })
    .await;
    assert!(!names(&app).await.iter().any(|n| n == E164));
    assert!(
        crate::demo::sim_sent(&sim)
            .await
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["body"]["to"] != E164),
        "nothing goes to the number before Send"
    );
    app.screenshot("new-conversation-template").await;
    app.click_testid("template-send").await;

    // The template reaches WhatsApp once, and the conversation is there.
    let to_new = |b: &serde_json::Value| b["type"] == "template" && b["to"] == E164;
    wait_sent(&sim, "the first template", to_new).await;
    // Give a duplicate the time to show up before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = wait_sent(&sim, "the first template", to_new).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!(sent[0]["template"]["name"], "hello_world");
    assert_eq!(sent[0]["template"]["language"]["code"], "en_US");
    app.eventually("the new conversation in the list, open", || async {
        let listed = names(&app).await.iter().filter(|n| *n == E164).count() == 1;
        let open = app.texts_of("chat-title").await.first()? == E164;
        (listed && open).then_some(())
    })
    .await;
    app.screenshot("new-conversation-started").await;

    // A customer who wrote: their number opens their conversation, typed
    // in any form, and no second one is made.
    open_new_customer(&app, &sim, "+33612345678", "Olga Known", "Hello there").await;
    app.click_conversation(E164).await;
    type_number(&app, "+33 6 12 34 56 78").await;
    app.wait_testid("new-conversation-open").await;
    app.screenshot("new-conversation-existing").await;
    app.click_testid("new-conversation-open").await;
    app.eventually("Olga's conversation open", || async {
        (app.texts_of("chat-title").await.first()? == "Olga Known").then_some(())
    })
    .await;
    assert!(app.all_testid("new-conversation-dialog").await.is_empty());
    let olgas = names(&app)
        .await
        .into_iter()
        .filter(|n| n == "Olga Known")
        .count();
    assert_eq!(olgas, 1);

    // The keyboard opens it too, and a bad number is explained.
    app.client
        .execute("document.activeElement?.blur()", vec![])
        .await
        .unwrap();
    let n = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: 'n' })
        .then(KeyAction::Up { value: 'n' });
    app.client.perform_actions(n).await.unwrap();
    app.wait_testid("new-conversation-input")
        .await
        .send_keys("123 45 67 89")
        .await
        .unwrap();
    let error = app
        .eventually("the number explained", || async {
            app.texts_of("new-conversation-error")
                .await
                .into_iter()
                .next()
        })
        .await;
    assert_eq!(
        error,
        "No such number exists. Check the digits and the country code."
    );
    assert!(app.all_testid("new-conversation-continue").await.is_empty());
    app.screenshot("new-conversation-invalid").await;
    app.close().await;
}
