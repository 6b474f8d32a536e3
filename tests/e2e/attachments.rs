//! Files the agent sends, in the real window (demo mode): a PNG attached
//! through the composer's file input is previewed with a caption, uploaded
//! once and sent once by the id the upload gave; a file over WhatsApp's
//! limit is refused in the preview and never uploaded.

use crate::compose::open_new_customer;
use crate::demo::{sim_sent, simulator_url, wait_demo_inbox, wait_sent};
use crate::harness::App;
use serde_json::Value;
use std::time::Duration;

/// Puts a file made in the window into the composer's file input, as the
/// native picker would: `make` is JavaScript evaluating to a promise of a
/// `Blob`.
async fn attach(app: &App, name: &str, make: &str) {
    let script = format!(
        "const done = arguments[arguments.length - 1];
         (async () => {{
             const blob = await ({make});
             const file = new File([blob], {name:?}, {{ type: blob.type }});
             const dt = new DataTransfer();
             dt.items.add(file);
             const input = document.querySelector('[data-testid=composer-attach]');
             input.files = dt.files;
             input.dispatchEvent(new Event('change', {{ bubbles: true }}));
             return file.size;
         }})().then(done, (e) => done('failed: ' + e));"
    );
    let size = app.client.execute_async(&script, vec![]).await.unwrap();
    assert!(size.as_u64().is_some_and(|n| n > 0), "{size}");
}

/// A real PNG drawn on a canvas in the window.
const DRAWN_PNG: &str = "new Promise((ok) => {
    const c = document.createElement('canvas');
    c.width = 160; c.height = 120;
    const g = c.getContext('2d');
    g.fillStyle = '#2f80ed'; g.fillRect(0, 0, 160, 120);
    g.fillStyle = '#f2c94c'; g.fillRect(40, 30, 80, 60);
    c.toBlob(ok, 'image/png');
})";

/// 6 MB that start like a PNG: an image over WhatsApp's 5 MB limit.
const OVERSIZED_PNG: &str = "Promise.resolve((() => {
    const b = new Uint8Array(6 * 1024 * 1024);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    return new Blob([b], { type: 'image/png' });
})())";

fn uploads(sent: &Value) -> Vec<Value> {
    sent.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/media")))
        .map(|r| r["body"].clone())
        .collect()
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn an_attached_png_is_uploaded_once_and_sent_once_and_an_oversized_file_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = simulator_url(data.path()).await;
    wait_demo_inbox(&app).await;
    open_new_customer(
        &app,
        &sim,
        "+33698765432",
        "Nina Attach",
        "Can you send a photo?",
    )
    .await;

    // Too large for an image: refused in the preview, nothing uploaded.
    attach(&app, "huge.png", OVERSIZED_PNG).await;
    let refused = app
        .eventually("the refusal", || async {
            app.texts_of("attachment-error").await.into_iter().next()
        })
        .await;
    assert!(refused.contains("5 MB"), "{refused}");
    assert_eq!(
        app.all_testid("attachment-caption").await.len(),
        0,
        "a refused file cannot be sent"
    );
    app.screenshot("attachment-refused").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        uploads(&sim_sent(&sim).await).is_empty(),
        "nothing uploaded"
    );
    app.click_testid("attachment-cancel").await;

    // A PNG: previewed, captioned, sent.
    attach(&app, "label.png", DRAWN_PNG).await;
    let caption = app.wait_testid("attachment-caption").await;
    assert_eq!(app.texts_of("attachment-name").await, ["label.png"]);
    caption.send_keys("The shipping label").await.unwrap();
    app.screenshot("attachment-preview").await;
    app.click_testid("attachment-send").await;

    let to_nina = |b: &Value| {
        b["type"] == "image" && b["to"].as_str().is_some_and(|t| t.ends_with("33698765432"))
    };
    let sent = wait_sent(&sim, "the photo", to_nina).await;
    // Give a duplicate the time to show up before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let log = sim_sent(&sim).await;
    let uploaded = uploads(&log);
    assert_eq!(uploaded.len(), 1, "one upload: {uploaded:?}");
    assert_eq!(uploaded[0]["type"], "image/png");
    assert_eq!(uploaded[0]["filename"], "label.png");
    let messages: Vec<Value> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"].clone())
        .filter(to_nina)
        .collect();
    assert_eq!(messages.len(), 1, "one message: {messages:?}");
    assert_eq!(sent[0]["image"]["id"], uploaded[0]["id"]);
    assert_eq!(sent[0]["image"]["caption"], "The shipping label");

    // The bubble shows the photo with its caption, and WhatsApp's ticks.
    let size = app
        .eventually("the sent photo's pixels", || async {
            let v = app
                .client
                .execute(
                    "const b = [...document.querySelectorAll('[data-testid=message-bubble][data-kind=image]')].pop();
                     const i = b && b.querySelector('[data-testid=message-image]');
                     return i && i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null",
                    vec![],
                )
                .await
                .ok()?;
            let a = v.as_array()?.clone();
            Some((a[0].as_u64()?, a[1].as_u64()?))
        })
        .await;
    assert_eq!(size, (160, 120));
    let bubbles = app.texts_of("message-bubble").await;
    assert!(
        bubbles.iter().any(|b| b.contains("The shipping label")),
        "{bubbles:?}"
    );
    assert_eq!(app.all_testid("attachment-preview").await.len(), 0);
    app.screenshot("attachment-sent").await;
    app.close().await;
}
