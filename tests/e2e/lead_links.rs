//! The lead-links screen: a wa.me link with the partner code, its QR code,
//! and the PNG/SVG export.

use crate::harness::{App, text};
use std::path::Path;

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_partner_link_and_its_qr_code_are_made_and_saved() {
    let data = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let home_str = home.path().to_str().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1"), ("HOME", home_str)]).await;
    app.wait_testid("demo-badge").await;
    app.click_testid("open-lead-links").await;
    let input = app.wait_testid("lead-code-input").await;
    input.send_keys("ABC123").await.unwrap();
    // The link is rebuilt on every keystroke; wait for the full code.
    // The demo business number is +1 555 078 3881.
    let expected = "https://wa.me/15550783881?text=Code%3A%20ABC123";
    app.eventually("the link for ABC123", || async {
        let urls = app.texts_of("lead-link-url").await;
        (urls.first()? == expected).then_some(())
    })
    .await;
    app.wait_testid("lead-qr").await;
    app.eventually("the QR image to load", || async {
        let w = app
            .client
            .execute(
                "return document.querySelector('[data-testid=lead-qr]').naturalWidth",
                vec![],
            )
            .await
            .ok()?;
        (w.as_u64()? > 0).then_some(())
    })
    .await;
    app.screenshot("lead-links").await;

    app.click_testid("lead-qr-save-png").await;
    let saved = text(&app.wait_testid("lead-qr-saved").await).await;
    let path = saved.strip_prefix("Saved to ").unwrap();
    assert!(path.starts_with(home_str), "{path}");
    let png = std::fs::read(Path::new(path)).unwrap();
    assert!(png.starts_with(b"\x89PNG"));

    // A code the core refuses is explained, not turned into a link.
    input.clear().await.unwrap();
    input.send_keys("no spaces allowed").await.unwrap();
    let err = text(&app.wait_testid("lead-link-error").await).await;
    assert!(!err.is_empty());
    assert!(app.texts_of("lead-link-url").await.is_empty());
    app.close().await;
}
