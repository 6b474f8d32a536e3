//! Files the agent sends, against the real simulator and relay: checked by
//! their real type and size before anything is kept or uploaded, uploaded
//! once and sent once, even when the app dies between the two.

#![allow(clippy::unwrap_used)]

use hourglass_core::problem::ErrorCode;
use std::io::Cursor;

use crate::outbox::{Harness, fast, local_conversation, now_ms, row, wait_until};
use hourglass_core::Error;
use hourglass_core::inbox::MessageContent;
use hourglass_core::outbox::{self, AttachmentRefusal, FaultPoint, OutboxConfig, OutboxId};
use hourglass_core::store::Store;
use hourglass_core::sync::SharedStore;
use serde_json::Value;
use std::sync::Arc;

/// A real PNG of `side` × `side` pixels.
fn png(side: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(side, side, |x, y| image::Rgb([x as u8, y as u8, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn media_id(store: &SharedStore, id: &OutboxId) -> Option<String> {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            Ok(
                c.query_row("SELECT media_id FROM outbox WHERE id = ?1", [&id.0], |r| {
                    r.get(0)
                })?,
            )
        })
        .unwrap()
}

fn staged_files(store: &Store) -> usize {
    std::fs::read_dir(outbox::staging_dir(store))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_between_upload_and_send_restart_sends_once_without_uploading_again() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let bytes = png(48);
    let (staged, queued) = {
        let mut store = h.store.lock().unwrap();
        let staged = outbox::stage(&store, &bytes).unwrap();
        assert_eq!(staged.kind, "image");
        assert_eq!(staged.mime_type, "image/png");
        let queued = outbox::enqueue_media(
            &mut store,
            conv,
            &staged.token,
            "broken-lid.png",
            Some("The lid, as it arrived"),
            now_ms(),
        )
        .unwrap();
        (staged, queued)
    };
    let id = queued.outbox_id.clone();
    let crashing = h.worker(OutboxConfig {
        fault: Some(FaultPoint::AfterUpload),
        ..fast()
    });
    wait_until("the crash after the upload", || crashing.is_finished()).await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 1, "only the upload reached Meta: {sent:?}");
    assert!(sent[0].path.ends_with("/media"), "{}", sent[0].path);
    let uploaded: Value = serde_json::from_str(sent[0].body.get()).unwrap();
    assert_eq!(uploaded["type"], "image/png");
    assert_eq!(uploaded["file_size"], bytes.len());
    assert_eq!(uploaded["sha256"], staged.token.as_str());
    let media = media_id(&h.store, &id).expect("the media id is kept on the row");
    assert_eq!(uploaded["id"], media.as_str());
    assert_eq!(h.row(&id).0, "queued", "the message itself was not sent");

    // Restart: a fresh worker sends the message by that id, uploading nothing.
    let restarted = h.worker(fast());
    let store = Arc::clone(&h.store);
    wait_until("accepted", || row(&store, &id).0 == "accepted").await;
    let sent = h.sim.sent();
    let uploads = sent.iter().filter(|s| s.path.ends_with("/media")).count();
    let messages: Vec<Value> = sent
        .iter()
        .filter(|s| s.path.ends_with("/messages"))
        .map(|s| serde_json::from_str(s.body.get()).unwrap())
        .collect();
    assert_eq!(uploads, 1, "never uploaded again");
    assert_eq!(messages.len(), 1, "sent exactly once");
    assert_eq!(messages[0]["type"], "image");
    assert_eq!(messages[0]["image"]["id"], media.as_str());
    assert_eq!(messages[0]["image"]["caption"], "The lid, as it arrived");
    assert_eq!(messages[0]["biz_opaque_callback_data"], id.0.as_str());
    // Published with its media id, so the other desktops show the photo.
    wait_until("published", || row(&store, &id).2).await;
    let events = h.agent_events().await;
    let outbound: Vec<&Value> = events.iter().filter(|e| e["type"] == "outbound").collect();
    assert_eq!(outbound.len(), 1);
    assert_eq!(outbound[0]["media"]["id"], media.as_str());
    assert_eq!(outbound[0]["media"]["mime_type"], "image/png");
    assert_eq!(outbound[0]["media"]["caption"], "The lid, as it arrived");

    // The bubble names the uploaded file; the staged copy is gone.
    let message = h.store.lock().unwrap().message(queued.message.id).unwrap();
    let MessageContent::Media(info) = message.content else {
        panic!("not a media bubble: {:?}", message.content)
    };
    assert_eq!(info.id, media);
    assert_eq!(info.caption.as_deref(), Some("The lid, as it arrived"));
    assert_eq!(staged_files(&h.store.lock().unwrap()), 0);
    restarted.shutdown().await;
    sync.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_document_keeps_its_name_and_a_crash_free_send_uploads_once() {
    let h = Harness::start().await;
    let sync = h.sync();
    let conv = h.customer_writes(&sync, None).await;
    let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
    let queued = {
        let mut store = h.store.lock().unwrap();
        let staged = outbox::stage(&store, &pdf).unwrap();
        assert_eq!(staged.kind, "document");
        outbox::enqueue_media(
            &mut store,
            conv,
            &staged.token,
            "../Invoice 42.pdf",
            None,
            now_ms(),
        )
        .unwrap()
    };
    let id = queued.outbox_id.clone();
    let worker = h.worker(fast());
    let store = Arc::clone(&h.store);
    wait_until("accepted", || row(&store, &id).0 == "accepted").await;
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 2, "one upload, one message: {sent:?}");
    let message: Value = serde_json::from_str(sent[1].body.get()).unwrap();
    assert_eq!(message["type"], "document");
    assert_eq!(message["document"]["filename"], "Invoice 42.pdf");
    let upload: Value = serde_json::from_str(sent[0].body.get()).unwrap();
    assert_eq!(upload["type"], "application/pdf");
    assert_eq!(message["document"]["id"], upload["id"]);
    worker.shutdown().await;
    sync.shutdown().await;
}

#[test]
fn files_meta_would_refuse_are_refused_before_anything_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    let mut big = png(8);
    big.resize(5 * 1024 * 1024 + 1, 0);
    match outbox::stage(&store, &big) {
        Err(Error::AttachmentRefused(AttachmentRefusal::TooLarge { kind, limit, size })) => {
            assert_eq!(kind, "image");
            assert_eq!(limit, 5 * 1024 * 1024);
            assert_eq!(size, big.len() as u64);
        }
        other => panic!("not refused as too large: {other:?}"),
    }
    let err = outbox::stage(&store, b"").unwrap_err();
    assert_eq!(err.code(), ErrorCode::AttachmentRefused);
    assert_eq!(staged_files(&store), 0, "nothing refused is kept");
    // A PNG is an image whatever it is called; its name plays no part.
    let staged = outbox::stage(&store, &png(8)).unwrap();
    assert_eq!(staged.kind, "image");
    assert_eq!(staged_files(&store), 1);
}

#[test]
fn media_to_a_closed_window_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let two_days_ago = now_ms() / 1000 - 2 * 86_400;
    let conv = local_conversation(&mut store, Some(two_days_ago));
    let staged = outbox::stage(&store, &png(8)).unwrap();
    let err = outbox::enqueue_media(&mut store, conv, &staged.token, "a.png", None, now_ms())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::WindowClosed);
    let rows: i64 = store
        .with_connection(|c| Ok(c.query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(rows, 0);
    // A token that names no staged file is refused too.
    let open = local_conversation(&mut store, Some(now_ms() / 1000));
    let err = outbox::enqueue_media(&mut store, open, &"0".repeat(64), "a.png", None, now_ms())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AttachmentMissing);
    let err = outbox::enqueue_media(&mut store, open, "../etc/passwd", "a.png", None, now_ms())
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::AttachmentMissing);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_template_header_file_is_checked_for_its_header_then_uploaded() {
    let h = Harness::start().await;
    let graph = h.graph();
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let err = outbox::upload_header(&graph, pdf.clone(), "image")
        .await
        .unwrap_err();
    match err {
        Error::AttachmentRefused(AttachmentRefusal::Format { kind, mime_type }) => {
            assert_eq!(
                (kind.as_str(), mime_type.as_str()),
                ("image", "application/pdf")
            );
        }
        other => panic!("not refused by format: {other:?}"),
    }
    assert!(h.sim.sent().is_empty(), "nothing uploaded");
    let id = outbox::upload_header(&graph, png(16), "image")
        .await
        .unwrap();
    let doc = outbox::upload_header(&graph, pdf, "document")
        .await
        .unwrap();
    let sent = h.sim.sent();
    assert_eq!(sent.len(), 2);
    let first: Value = serde_json::from_str(sent[0].body.get()).unwrap();
    let second: Value = serde_json::from_str(sent[1].body.get()).unwrap();
    assert_eq!(
        (first["id"].as_str(), first["type"].as_str()),
        (Some(id.as_str()), Some("image/png"))
    );
    assert_eq!(
        (second["id"].as_str(), second["type"].as_str()),
        (Some(doc.as_str()), Some("application/pdf"))
    );
}

/// A file attached and then cancelled leaves nothing behind; one a queued
/// message still needs is kept; the start-up sweep removes old leftovers
/// (and unfinished writes) but nothing recent or still needed.
#[test]
fn attachments_never_sent_are_cleaned_up_and_needed_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    let conv = local_conversation(&mut store, Some(now_ms() / 1000 - 60));
    let staging = outbox::staging_dir(&store);

    let cancelled = outbox::stage(&store, &png(8)).unwrap();
    assert!(staging.join(&cancelled.token).exists());
    outbox::discard_staged(&store, &cancelled.token).unwrap();
    assert!(!staging.join(&cancelled.token).exists(), "cancelled: gone");
    assert!(matches!(
        outbox::discard_staged(&store, "../hourglass.db"),
        Err(Error::AttachmentMissing)
    ));

    let queued = outbox::stage(&store, &png(9)).unwrap();
    outbox::enqueue_media(&mut store, conv, &queued.token, "a.png", None, now_ms()).unwrap();
    outbox::discard_staged(&store, &queued.token).unwrap();
    assert!(
        staging.join(&queued.token).exists(),
        "a queued message needs it"
    );

    let left = outbox::stage(&store, &png(10)).unwrap();
    let recent = outbox::stage(&store, &png(11)).unwrap();
    std::fs::write(staging.join("x.part"), b"half").unwrap();
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(25 * 3600);
    for name in [left.token.as_str(), queued.token.as_str(), "x.part"] {
        std::fs::File::options()
            .write(true)
            .open(staging.join(name))
            .unwrap()
            .set_modified(day_ago)
            .unwrap();
    }
    let removed = outbox::sweep_staging(&store, std::time::Duration::from_secs(24 * 3600)).unwrap();
    assert_eq!(removed, 2, "the old leftover and the unfinished write");
    assert!(!staging.join(&left.token).exists());
    assert!(!staging.join("x.part").exists());
    assert!(
        staging.join(&recent.token).exists(),
        "recent: perhaps still in a preview"
    );
    assert!(staging.join(&queued.token).exists(), "still needed");
}
