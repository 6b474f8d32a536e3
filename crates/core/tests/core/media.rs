//! Media against the real relay and simulator on loopback: the sync stores
//! media messages without downloading them; the fetcher downloads on
//! demand, checks size and checksum, keeps files in the cache (real SQLite
//! index, real files), tells expired ids from failures, and evicts the least
//! recently used files.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use hourglass_core::problem::ErrorCode;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::graph::{GraphClient, GraphConfig};
use hourglass_core::inbox::{MediaInfo, MessageContent};
use hourglass_core::media::{MediaCache, MediaFetcher, MediaStatus};
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, SyncConfig};
use hourglass_sim::{Inbound, SimHandle};
use serde_json::json;

const SECRET: &str = "media-test-secret";
const CUSTOMER: &str = "+34612345678";

fn graph(sim: &SimHandle) -> Arc<GraphClient> {
    let config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
        .with_base_url(sim.graph_base_url());
    Arc::new(GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap())
}

async fn wait_until(what: &str, mut ok: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ok() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn inbound(value: serde_json::Value) -> Inbound {
    serde_json::from_value(value).unwrap()
}

/// The media messages in the store, oldest first, as the window gets them.
fn media_in_store(store: &Arc<Mutex<Store>>) -> Vec<MediaInfo> {
    let s = store.lock().unwrap();
    let mut out = Vec::new();
    for c in s.list_conversations(100).unwrap() {
        for m in s.list_messages(c.id, 100).unwrap() {
            if let MessageContent::Media(media) = m.content {
                out.push(media);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_arrives_without_download_then_is_fetched_checked_and_cached() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    for kind in [
        json!({"image": {"caption": "the broken hinge"}}),
        json!({"audio": {"voice": true}}),
        json!({"document": {"filename": "invoice.pdf"}}),
        json!({"video": {}}),
    ] {
        let mut m = json!({"from": CUSTOMER, "name": "Lucía"});
        m.as_object_mut()
            .unwrap()
            .extend(kind.as_object().unwrap().clone());
        assert_eq!(
            sim.inbound_delivered(inbound(m)).await.unwrap().delivered,
            Some(true)
        );
    }
    // Catching up stores the four messages and downloads nothing.
    let engine = sync::spawn(Arc::clone(&store), SyncConfig::new(relay.url(), &token));
    wait_until("four media messages", || media_in_store(&store).len() == 4).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sim.stats().media_downloads, 0);

    let cache = Arc::new(MediaCache::open(&dir.path().join("desktop/media"), 10 << 20).unwrap());
    let fetcher = MediaFetcher::new(graph(&sim), Arc::clone(&cache));
    let media = media_in_store(&store);
    let mut kinds = Vec::new();
    for m in &media {
        let status = fetcher.fetch(m).await;
        let MediaStatus::Available {
            hash, mime_type, ..
        } = &status
        else {
            panic!("{} not available: {status:?}", m.kind);
        };
        let file = cache.read(hash).unwrap().unwrap();
        let magic: &[u8] = match m.kind.as_str() {
            "image" => b"\x89PNG",
            "audio" => b"OggS",
            "document" => b"%PDF",
            _ => b"\0\0\0\x18ftyp",
        };
        assert!(file.bytes.starts_with(magic), "{}", m.kind);
        assert_eq!(&file.mime_type, mime_type);
        kinds.push(m.kind.clone());
    }
    kinds.sort();
    assert_eq!(kinds, ["audio", "document", "image", "video"]);
    assert_eq!(sim.stats().media_downloads, 4);
    // Asked again (the bubble scrolled back into view): from the cache.
    let again = fetcher.fetch(&media[0]).await;
    assert!(matches!(again, MediaStatus::Available { .. }), "{again:?}");
    assert_eq!(sim.stats().media_downloads, 4);

    // The cache survives a restart: a new fetcher over the same folder has
    // the files and asks Meta for nothing.
    drop(fetcher);
    let reopened = Arc::new(MediaCache::open(&dir.path().join("desktop/media"), 10 << 20).unwrap());
    let fetcher = MediaFetcher::new(graph(&sim), reopened);
    for m in &media {
        assert!(matches!(
            fetcher.fetch(m).await,
            MediaStatus::Available { .. }
        ));
    }
    assert_eq!(sim.stats().media_downloads, 4);

    engine.shutdown().await;
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}

/// An image the simulator serves, described as the webhook would.
async fn photo(sim: &SimHandle, extra: serde_json::Value) -> MediaInfo {
    let mut m = json!({"from": CUSTOMER, "image": {"caption": "look"}});
    m.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let receipt = sim.inbound(inbound(m)).await.unwrap();
    let id = receipt.media_id.unwrap();
    let info = graph(sim).media_info(&id).await.unwrap();
    MediaInfo {
        kind: "image".to_owned(),
        id,
        mime_type: Some(info.mime_type),
        sha256: info.sha256,
        caption: Some("look".to_owned()),
        filename: None,
        voice: false,
        animated: false,
        local_path: None,
    }
}

#[tokio::test]
async fn expired_ids_are_unavailable_failures_are_retryable_and_bad_files_refused() {
    let dir = tempfile::tempdir().unwrap();
    let sim = hourglass_sim::Sim::start(hourglass_sim::SimConfig::fast())
        .await
        .unwrap();
    let cache = Arc::new(MediaCache::open(&dir.path().join("media"), 10 << 20).unwrap());
    let fetcher = MediaFetcher::new(graph(&sim), Arc::clone(&cache));

    // Meta no longer serves it: unavailable, and not asked again.
    let expired = photo(&sim, json!({})).await;
    assert!(sim.expire_media(&expired.id));
    assert_eq!(fetcher.fetch(&expired).await, MediaStatus::Unavailable);
    assert_eq!(fetcher.fetch(&expired).await, MediaStatus::Unavailable);

    // Older than Meta's ~30 days when it arrives in the window.
    let old = photo(&sim, json!({})).await;
    let stale = MediaInfo {
        id: {
            let r = sim
                .inbound(inbound(json!({
                    "from": CUSTOMER, "image": {},
                    "timestamp": chrono::Utc::now().timestamp() - 31 * 24 * 3600
                })))
                .await
                .unwrap();
            r.media_id.unwrap()
        },
        ..old.clone()
    };
    assert_eq!(fetcher.fetch(&stale).await, MediaStatus::Unavailable);

    // The download fails: retryable, and it works once the fault is gone.
    sim.set_media_faults(5);
    let status = fetcher.fetch(&old).await;
    assert!(
        matches!(&status, MediaStatus::Failed { retryable: true, code, .. } if *code == ErrorCode::GraphHttp),
        "{status:?}"
    );
    sim.set_media_faults(0);
    assert!(matches!(
        fetcher.fetch(&old).await,
        MediaStatus::Available { .. }
    ));

    // A checksum that differs from the webhook's: refused, not cached.
    let mut tampered = photo(&sim, json!({})).await;
    tampered.sha256 = Some("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".to_owned());
    let status = fetcher.fetch(&tampered).await;
    assert!(
        matches!(&status, MediaStatus::Failed { code, .. } if *code == ErrorCode::MediaChecksum),
        "{status:?}"
    );
    assert_eq!(cache.size().unwrap() as usize, {
        let MediaStatus::Available { size, .. } = fetcher.fetch(&old).await else {
            panic!()
        };
        size as usize
    });

    sim.shutdown().await;
}

#[tokio::test]
async fn an_oversized_file_is_refused_without_being_kept() {
    use axum::Router;
    use axum::routing::get;
    // A Graph API double announcing a 6 MB image and serving 6 MB: over the
    // 5 MB image limit. The simulator only serves small files, so this one
    // answer comes from a loopback server of the test's own.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let big = vec![7u8; 6 * 1024 * 1024];
    let described = {
        let base = base.clone();
        move || {
            let base = base.clone();
            async move {
                axum::Json(json!({
                    "url": format!("{base}/file"), "mime_type": "image/png",
                    "id": "777", "messaging_product": "whatsapp"
                }))
            }
        }
    };
    let served = {
        let big = big.clone();
        move || {
            let big = big.clone();
            async move { big }
        }
    };
    let app = Router::new()
        .route(
            &format!("/{}/777", hourglass_core::graph::API_VERSION),
            get(described),
        )
        .route("/file", get(served));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Arc::new(
        GraphClient::new(
            GraphConfig::new("1", "2").with_base_url(&base),
            Secret::new("t"),
        )
        .unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(MediaCache::open(&dir.path().join("media"), 100 << 20).unwrap());
    let fetcher = MediaFetcher::new(client, Arc::clone(&cache));
    let status = fetcher
        .fetch(&MediaInfo {
            kind: "image".to_owned(),
            id: "777".to_owned(),
            mime_type: Some("image/png".to_owned()),
            sha256: None,
            caption: None,
            filename: None,
            voice: false,
            animated: false,
            local_path: None,
        })
        .await;
    assert!(
        matches!(&status, MediaStatus::Failed { code, retryable: false, .. } if *code == ErrorCode::GraphMediaTooLarge),
        "{status:?}"
    );
    assert_eq!(cache.size().unwrap(), 0);
    server.abort();
}

#[tokio::test]
async fn the_cache_evicts_the_least_recently_used_files_to_stay_within_its_limit() {
    let dir = tempfile::tempdir().unwrap();
    let sim = hourglass_sim::Sim::start(hourglass_sim::SimConfig::fast())
        .await
        .unwrap();
    // Room for two small PNGs, not three.
    let first = photo(&sim, json!({})).await;
    let probe = {
        let c = MediaCache::open(&dir.path().join("probe"), u64::MAX).unwrap();
        let f = MediaFetcher::new(graph(&sim), Arc::new(c));
        let MediaStatus::Available { size, .. } = f.fetch(&first).await else {
            panic!()
        };
        size
    };
    let cache =
        Arc::new(MediaCache::open(&dir.path().join("media"), probe * 2 + probe / 2).unwrap());
    let fetcher = MediaFetcher::new(graph(&sim), Arc::clone(&cache));
    let mut photos = vec![first];
    for _ in 0..2 {
        photos.push(photo(&sim, json!({})).await);
    }
    let hash = |s: MediaStatus| match s {
        MediaStatus::Available { hash, .. } => hash,
        other => panic!("{other:?}"),
    };
    let h0 = hash(fetcher.fetch(&photos[0]).await);
    let h1 = hash(fetcher.fetch(&photos[1]).await);
    // Looking at the first again makes the second the least recently used.
    assert!(cache.read(&h0).unwrap().is_some());
    let h2 = hash(fetcher.fetch(&photos[2]).await);
    assert!(cache.contains(&h0).unwrap());
    assert!(
        !cache.contains(&h1).unwrap(),
        "the least recently used went"
    );
    assert!(cache.contains(&h2).unwrap());
    assert!(cache.size().unwrap() <= cache.limit());
    // The evicted photo is fetched again when it is next shown.
    let before = sim.stats().media_downloads;
    assert_eq!(hash(fetcher.fetch(&photos[1]).await), h1);
    assert_eq!(sim.stats().media_downloads, before + 1);
    sim.shutdown().await;
}
