//! Settings in the real window: the language switches the whole window and
//! is remembered, a broken partner-code pattern is explained and not saved,
//! and an edited rate table survives a restart.

use crate::harness::{App, text};

async fn value_of(app: &App, id: &str) -> String {
    app.wait_testid(id)
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn language_lead_pattern_and_rates_are_set_and_remembered() {
    let data = tempfile::tempdir().unwrap();
    let env = [("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")];
    let app = App::launch(data.path(), &env).await;
    app.wait_testid("demo-badge").await;
    app.click_testid("open-settings").await;
    app.wait_testid("settings").await;

    // Russian, at once and everywhere.
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
    assert_eq!(app.texts_of("filter-all").await, vec!["Все"]);

    // A pattern that is not a regular expression is refused with a reason.
    let input = app.wait_testid("lead-pattern-input").await;
    let default = value_of(&app, "lead-pattern-input").await;
    assert!(default.contains("код"), "{default}");
    input.clear().await.unwrap();
    input.send_keys("Code: (").await.unwrap();
    app.click_testid("lead-pattern-save").await;
    let error = text(&app.wait_testid("lead-pattern-error").await).await;
    assert!(!error.is_empty());

    // A Spanish marketing price of 0.5.
    let spain = app.wait_testid("rate-34-marketing").await;
    spain.clear().await.unwrap();
    spain.send_keys("0.5").await.unwrap();
    app.click_testid("rates-save").await;
    app.wait_testid("rates-saved").await;
    app.screenshot("settings-russian").await;
    app.close().await;

    // The next start: still Russian, the price kept, the pattern unchanged.
    let app = App::launch(data.path(), &env).await;
    app.eventually("the window in Russian after a restart", || async {
        let tools = app.texts_of("open-settings").await;
        (tools.first()? == "Настройки").then_some(())
    })
    .await;
    // Rates belong to the session's store: open Settings once it runs.
    app.wait_testid("demo-badge").await;
    app.click_testid("open-settings").await;
    app.eventually("the saved price", || async {
        let v = app
            .all_testid("rate-34-marketing")
            .await
            .into_iter()
            .next()?
            .prop("value")
            .await
            .ok()??;
        (v == "0.5").then_some(())
    })
    .await;
    assert_eq!(value_of(&app, "lead-pattern-input").await, default);
    app.close().await;
}
