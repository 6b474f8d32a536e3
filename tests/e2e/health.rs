//! Account health in the real window, driven through the demo's simulator:
//! `/_sim/account` lowers the number's quality, the banner rises and the
//! panel shows the new rating; a template paused through
//! `/_sim/template-status` is listed in the picker with Meta's reason.

use crate::harness::{App, text};

async fn control(sim: &str, path: &str, body: serde_json::Value) {
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/{path}?wait=true"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{:?}", reply.text().await);
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_lower_quality_raises_the_banner_and_a_paused_template_says_why() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(
        data.path(),
        &[("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")],
    )
    .await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;
    assert!(app.all_testid("account-health-banner").await.is_empty());

    // Meta rates the number low: the quality webhook reaches every desktop.
    control(
        &sim,
        "account",
        serde_json::json!({"quality_rating": "RED"}),
    )
    .await;
    let banner = app.wait_testid("account-health-banner").await;
    assert!(
        text(&banner)
            .await
            .contains("Meta flagged the number for low quality"),
        "{}",
        text(&banner).await
    );
    app.screenshot("health-banner").await;

    app.click_testid("account-health-banner-open").await;
    app.wait_testid("account-health").await;
    app.eventually("the panel shows the low rating", || async {
        let quality = app.wait_testid("account-health-quality").await;
        (quality.attr("data-rating").await.ok()?.as_deref() == Some("RED")).then_some(())
    })
    .await;
    let quality = app.wait_testid("account-health-quality").await;
    assert_eq!(text(&quality).await, "Low");
    app.screenshot("health-panel").await;

    // Meta pauses a template: the picker lists it apart, with the reason.
    control(
        &sim,
        "template-status",
        serde_json::json!({"name": "spring_sale", "language": "en_US", "status": "PAUSED",
                           "description": "Customers blocked the business after this message."}),
    )
    .await;
    app.eventually("the panel lists spring_sale as paused", || async {
        let rows = app.all_testid("account-health-template").await;
        for row in rows {
            if row.attr("data-name").await.ok()?.as_deref() == Some("spring_sale")
                && row.attr("data-language").await.ok()?.as_deref() == Some("en_US")
            {
                return (row.attr("data-status").await.ok()?.as_deref() == Some("PAUSED"))
                    .then_some(());
            }
        }
        None
    })
    .await;
    app.screenshot("health-panel-paused").await;
    app.click_testid("account-health-close").await;

    app.open_closed_chat().await;
    app.click_testid("template-picker-open").await;
    app.wait_testid("template-picker").await;
    let why = app
        .eventually("spring_sale listed as not sendable", || async {
            for row in app.all_testid("template-unavailable").await {
                if row.attr("data-name").await.ok()?.as_deref() == Some("spring_sale")
                    && row.attr("data-language").await.ok()?.as_deref() == Some("en_US")
                {
                    return Some(text(&row).await);
                }
            }
            None
        })
        .await;
    assert!(
        why.contains("Meta paused this template after negative feedback from customers."),
        "{why}"
    );
    assert!(
        why.contains("Customers blocked the business after this message."),
        "{why}"
    );
    // It is not among the templates that can be chosen.
    for option in app.all_testid("template-option").await {
        let name = option.attr("data-name").await.unwrap();
        let language = option.attr("data-language").await.unwrap();
        assert!(
            !(name.as_deref() == Some("spring_sale") && language.as_deref() == Some("en_US")),
            "the paused template can still be chosen"
        );
    }
    app.client
        .execute(
            "document.querySelector('[data-testid=template-unavailable][data-name=spring_sale]')?.scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    app.screenshot("health-picker-paused").await;
    app.close().await;
}
