//! The contact panel in the real window: a field defined in Settings is
//! filled in the panel and prefills the template variable named like it;
//! the team's name for the customer replaces the WhatsApp name; blocking
//! reaches the simulator's Block Users API and marks the chat.

use crate::compose::open_new_customer;
use crate::harness::App;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};

const CUSTOMER: &str = "+34611223344";

/// The value of the element `css`, or `None` while it is absent.
async fn value_of(app: &App, css: &str) -> Option<String> {
    let script = "const el = document.querySelector(arguments[0]); return el ? el.value : null;";
    let value = app
        .client
        .execute(script, vec![serde_json::Value::from(css)])
        .await
        .ok()?;
    value.as_str().map(str::to_owned)
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_field_from_settings_is_filled_in_the_panel_prefills_a_template_and_blocking_reaches_whatsapp()
 {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;

    // Settings → Contact fields: "First name", a text field.
    app.click_testid("open-settings").await;
    app.wait_testid("contact-field-settings").await;
    app.wait_testid("contact-field-label")
        .await
        .send_keys("First name")
        .await
        .unwrap();
    app.click_testid("contact-field-add").await;
    app.eventually("the field in the list", || async {
        app.texts_of("contact-field-def")
            .await
            .iter()
            .any(|t| t.contains("First name") && t.contains("{{first_name}}"))
            .then_some(())
    })
    .await;
    app.screenshot("contacts-settings").await;
    app.click_testid("settings-close").await;

    open_new_customer(&app, &sim, CUSTOMER, "Lucía Campos", "¿Tenéis talla 38?").await;
    app.click_testid("contact-toggle").await;
    app.wait_testid("contact-panel").await;
    let field = "[data-testid=contact-field][data-field='First name'] input";
    let input = app
        .eventually("the First name field", || async {
            app.client.find(Locator::Css(field)).await.ok()
        })
        .await;
    input.send_keys("Lucía").await.unwrap();
    input.send_keys("\u{E007}").await.unwrap(); // Enter saves it

    // The team's name for her replaces the WhatsApp name in the header.
    let name = app.wait_testid("contact-team-name").await;
    name.send_keys("Lucía (talla 38)").await.unwrap();
    // Saving waits for the field's save to finish (the panel is busy).
    let save = app
        .eventually("the name's Save button enabled", || async {
            let el = app
                .client
                .find(Locator::Css(
                    "[data-testid=contact-team-name-save]:not([disabled])",
                ))
                .await
                .ok()?;
            Some(el)
        })
        .await;
    app.click(&save).await;
    app.eventually("the team's name in the header", || async {
        (app.texts_of("chat-title").await.first()? == "Lucía (talla 38)").then_some(())
    })
    .await;
    assert!(app.all_testid("contact-error").await.is_empty());
    assert_eq!(app.texts_of("contact-profile-name").await, ["Lucía Campos"]);
    assert_eq!(app.texts_of("contact-phone").await, [CUSTOMER]);
    app.screenshot("contacts-panel").await;

    // The appointment reminder's {{first_name}} starts filled with her value.
    // Her window is open: `t` opens the picker.
    app.client
        .execute("document.activeElement?.blur();", vec![])
        .await
        .unwrap();
    let t = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: 't' })
        .then(KeyAction::Up { value: 't' });
    app.client.perform_actions(t).await.unwrap();
    app.wait_testid("template-search")
        .await
        .send_keys("appointment_reminder")
        .await
        .unwrap();
    let option = app
        .eventually("the appointment_reminder option", || async {
            app.client
                .find(Locator::Css(
                    "[data-testid=template-option][data-name=appointment_reminder][data-language=en_US]",
                ))
                .await
                .ok()
        })
        .await;
    app.click(&option).await;
    let slot = "[data-testid=template-variable][data-slot='body:first_name']";
    app.eventually("first_name prefilled", || async {
        (value_of(&app, slot).await? == "Lucía").then_some(())
    })
    .await;
    // The others are the agent's to fill.
    assert_eq!(
        value_of(
            &app,
            "[data-testid=template-variable][data-slot='body:date']"
        )
        .await
        .as_deref(),
        Some("")
    );
    app.screenshot("contacts-template-prefilled").await;
    app.click_testid("template-picker-close").await;

    // Block her: Meta's Block Users API answers, the simulator records it,
    // and the chat says she is blocked.
    app.client
        .execute("window.confirm = () => true;", vec![])
        .await
        .unwrap();
    app.click_testid("contact-block").await;
    app.wait_testid("contact-unblock").await;
    app.wait_testid("blocked-banner").await;
    let blocks: serde_json::Value = reqwest::get(format!("{sim}/_sim/blocks"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(blocks["blocked"], serde_json::json!(["34611223344"]));
    let sent: Vec<serde_json::Value> = reqwest::get(format!("{sim}/_sim/sent"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let block_calls: Vec<&serde_json::Value> = sent
        .iter()
        .filter(|r| {
            r["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("/block_users"))
        })
        .collect();
    assert_eq!(block_calls.len(), 1, "{block_calls:#?}");
    assert_eq!(block_calls[0]["method"], "POST");
    assert_eq!(block_calls[0]["body"]["block_users"][0]["user"], CUSTOMER);
    assert!(
        app.texts_of("contact-blocked").await[0].contains("Blocked by"),
        "the panel names who blocked her"
    );
    app.screenshot("contacts-blocked").await;
    app.close().await;
}
