//! Photos, voice notes and documents in the real window (demo mode): a
//! customer's photo is fetched when its bubble shows and rendered from the
//! media cache with real pixels; an expired media id says so and keeps the
//! caption; a failed download offers Retry, which works once the fault is
//! gone; a voice note gets a playable audio element; a document is saved
//! to Downloads, and a document and a photo are saved as the save dialog says.

use crate::demo::{simulator_url, wait_demo_inbox};
use crate::harness::App;
use serde_json::{Value, json};

async fn inbound(sim: &str, body: Value) -> Value {
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        reply.status().is_success(),
        "{}",
        reply.text().await.unwrap()
    );
    reply.json().await.unwrap()
}

async fn control(sim: &str, path: &str, body: Option<Value>) {
    let http = reqwest::Client::new();
    let request = match body {
        Some(b) => http.post(format!("{sim}{path}")).json(&b),
        None => http.delete(format!("{sim}{path}")),
    };
    let reply = request.send().await.unwrap();
    assert!(reply.status().is_success(), "{path}: {}", reply.status());
}

/// Runs `script` in the window and returns what it returned.
async fn js(app: &App, script: &str) -> Value {
    app.client
        .execute(script, vec![])
        .await
        .unwrap_or(Value::Null)
}

/// The state of the media bubbles in the open chat, oldest first.
async fn media_states(app: &App) -> Vec<String> {
    let v = js(
        app,
        "return [...document.querySelectorAll('[data-testid=message-media]')].map(m => m.dataset.mediaState)",
    )
    .await;
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_customers_photo_voice_note_and_document_show_and_an_expired_one_says_so() {
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    // "Save as…" answers the save dialog with this path (test-only: a
    // native dialog cannot be driven here). A file is already there, as
    // when the dialog has asked before replacing it.
    let chosen = tempfile::tempdir().unwrap();
    let save_as = chosen.path().join("chosen name");
    std::fs::write(&save_as, b"an older file in the chosen place").unwrap();
    let app = App::launch(
        data.path(),
        &[
            ("HOURGLASS_DEMO", "1"),
            ("HOURGLASS_DOWNLOAD_DIR", downloads.path().to_str().unwrap()),
            ("HOURGLASS_TEST_SAVE_AS_PATH", save_as.to_str().unwrap()),
        ],
    )
    .await;
    let sim = simulator_url(data.path()).await;
    wait_demo_inbox(&app).await;

    let from = "+351912340001";
    inbound(
        &sim,
        json!({"from": from, "name": "Rita Media", "image": {"caption": "The hinge is cracked"}}),
    )
    .await;
    inbound(&sim, json!({"from": from, "audio": {"voice": true}})).await;
    inbound(
        &sim,
        json!({"from": from, "document": {"filename": "receipt-0042.pdf"}}),
    )
    .await;
    app.eventually("Rita in the list", || async {
        app.texts_of("conversation-name")
            .await
            .contains(&"Rita Media".to_owned())
            .then_some(())
    })
    .await;
    assert!(app.click_conversation("Rita Media").await);

    // The photo renders with real pixels from the cache's scheme.
    let size = app
        .eventually("the photo's pixels", || async {
            let v = js(
                &app,
                "const i = document.querySelector('[data-testid=message-image]');
                 return i && i.complete ? [i.tagName, i.naturalWidth, i.naturalHeight, i.src] : null",
            )
            .await;
            let a = v.as_array()?;
            (a[1].as_u64()? > 0).then(|| v.clone())
        })
        .await;
    assert_eq!(size[0], "IMG");
    assert_eq!((size[1].as_u64(), size[2].as_u64()), (Some(48), Some(32)));
    assert!(size[3].as_str().unwrap().contains("hgmedia"), "{size}");
    assert!(
        app.texts_of("message-bubble")
            .await
            .iter()
            .any(|b| b.contains("The hinge is cracked"))
    );

    // The voice note has an audio element with its source and a speed control.
    app.wait_testid("message-audio").await;
    // Playable: the element loaded the voice note's metadata (its two
    // seconds), read from the cache's scheme, without an error.
    let audio = app
        .eventually("the voice note's metadata", || async {
            let v = js(
                &app,
                "const a = document.querySelector('[data-testid=message-audio] audio');
                 return a ? [a.src, a.error && [a.error.code, a.error.message], a.readyState, a.duration] : null",
            )
            .await;
            let a = v.as_array()?;
            assert!(a[1].is_null(), "the audio element reported an error: {v}");
            (a[2].as_u64()? >= 1 && a[3].as_f64()? > 0.0).then(|| v.clone())
        })
        .await;
    assert!(audio[0].as_str().unwrap().starts_with("blob:"), "{audio}");
    let seconds = audio[3].as_f64().unwrap();
    assert!((1.9..2.1).contains(&seconds), "{audio}");
    app.click_testid("media-speed").await;
    assert_eq!(app.texts_of("media-speed").await, ["1.5×"]);

    // The document shows its name and type, and is saved to Downloads.
    let doc = app
        .eventually("the document's card", || async {
            app.texts_of("message-document").await.into_iter().next()
        })
        .await;
    assert!(
        doc.contains("receipt-0042.pdf") && doc.contains("PDF"),
        "{doc}"
    );
    app.click_testid("media-save").await;
    let saved = downloads.path().join("receipt-0042.pdf");
    app.eventually("the saved copy", || async { saved.exists().then_some(()) })
        .await;
    assert!(std::fs::read(&saved).unwrap().starts_with(b"%PDF"));
    // Save as… puts the same bytes exactly where the dialog said, and
    // says where.
    let saved_as = save_as.display().to_string();
    app.click_testid("media-save-as").await;
    app.eventually("the document saved as", || async {
        (std::fs::read(&save_as).ok()? == std::fs::read(&saved).ok()?).then_some(())
    })
    .await;
    app.eventually("where it was saved", || async {
        app.texts_of("media-saved")
            .await
            .iter()
            .any(|t| t.contains(&saved_as))
            .then_some(())
    })
    .await;
    app.screenshot("media-photo-voice-document").await;

    // Click the photo: the viewer opens with zoom and Save as…, which
    // writes the cached photo (named by its SHA-256) at the chosen path.
    app.click_testid("message-image").await;
    app.wait_testid("media-viewer").await;
    app.click_testid("media-zoom-in").await;
    assert_eq!(app.texts_of("media-zoom").await, ["150%"]);
    let src = js(
        &app,
        "return document.querySelector('[data-testid=media-viewer] img').src",
    )
    .await;
    let hash = src.as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    assert_eq!(hash.len(), 64, "{src}");
    let in_viewer = app
        .client
        .find(fantoccini::Locator::Css(
            "[data-testid=media-viewer] [data-testid=media-save-as]",
        ))
        .await
        .unwrap();
    app.click(&in_viewer).await;
    app.eventually("the photo saved as", || async {
        use sha2::Digest as _;
        let bytes = std::fs::read(&save_as).ok()?;
        (hex::encode(sha2::Sha256::digest(&bytes)) == hash).then_some(())
    })
    .await;
    let said = app
        .eventually("the viewer says where", || async {
            let v = js(
                &app,
                "const s = document.querySelector('[data-testid=media-viewer] [data-testid=media-saved]');
                 return s ? s.innerText : null",
            )
            .await;
            v.as_str().map(str::to_owned)
        })
        .await;
    assert!(said.contains(&saved_as), "{said}");
    app.screenshot("media-viewer").await;
    app.click_testid("media-viewer-close").await;

    // A photo whose id Meta no longer serves: "no longer available", and
    // the caption stays.
    let old = inbound(
        &sim,
        json!({"from": "+351912340002", "name": "Rui Expired", "image": {"caption": "From last month"}}),
    )
    .await;
    let media_id = old["media_id"].as_str().unwrap();
    control(
        &sim,
        &format!("/_sim/media/{media_id}/expire"),
        Some(json!({})),
    )
    .await;
    app.eventually("Rui in the list", || async {
        app.texts_of("conversation-name")
            .await
            .contains(&"Rui Expired".to_owned())
            .then_some(())
    })
    .await;
    assert!(app.click_conversation("Rui Expired").await);
    app.wait_testid("media-unavailable").await;
    let bubble = app.texts_of("message-bubble").await;
    assert!(
        bubble
            .iter()
            .any(|b| b.contains("From last month") && b.contains("no longer available")),
        "{bubble:?}"
    );
    app.screenshot("media-unavailable").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_failed_download_offers_retry_which_works_once_the_fault_is_gone() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = simulator_url(data.path()).await;
    wait_demo_inbox(&app).await;

    control(&sim, "/_sim/media/faults", Some(json!({"count": 1000}))).await;
    inbound(
        &sim,
        json!({"from": "+351912340003", "name": "Sara Retry", "image": {"caption": "Second try"}}),
    )
    .await;
    app.eventually("Sara in the list", || async {
        app.texts_of("conversation-name")
            .await
            .contains(&"Sara Retry".to_owned())
            .then_some(())
    })
    .await;
    assert!(app.click_conversation("Sara Retry").await);
    app.wait_testid("media-retry").await;
    assert_eq!(media_states(&app).await, ["failed"]);
    app.screenshot("media-retry").await;

    control(&sim, "/_sim/media/faults", None).await;
    app.click_testid("media-retry").await;
    app.eventually("the photo after Retry", || async {
        let v = js(
            &app,
            "const i = document.querySelector('[data-testid=message-image]');
             return i && i.complete ? i.naturalWidth : 0",
        )
        .await;
        (v.as_u64()? > 0).then_some(())
    })
    .await;
    assert!(
        app.texts_of("message-bubble")
            .await
            .iter()
            .any(|b| b.contains("Second try"))
    );
    app.close().await;
}
