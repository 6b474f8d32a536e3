//! A relay whose retention removed events this desktop had not read yet:
//! it answers 410 `history_pruned` with its horizon, and the desktop goes
//! on from there, keeps the gap and says so, instead of failing forever or
//! missing it silently.
//!
//! The relay's own retention is built separately, so a small loopback front
//! plays it: it answers 410 to a cursor older than the horizon and forwards
//! every other request to a real relay fed by the simulator.

#![allow(clippy::unwrap_used)]

#[path = "support/lab.rs"]
mod lab;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, ConnectionState, SyncConfig, SyncUpdate};
use hourglass_protocol::{ErrorBody, EventPage, Horizon, error_code};
use hourglass_sim::Inbound;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const SECRET: &str = "history-test-secret";

/// A relay with retention in front of `relay`: the log before `horizon`
/// is gone. Serves at most 50 connections.
async fn retention_front(relay: SocketAddr, horizon: Horizon) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for _ in 0..50 {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(front(socket, relay, horizon));
        }
    });
    addr
}

async fn front(mut socket: TcpStream, relay: SocketAddr, horizon: Horizon) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request).into_owned();
    let target = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let header = |name: &str| {
        text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let after: u64 = target
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("after="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if after + 1 < horizon.seq {
        let body = serde_json::to_string(&ErrorBody {
            code: error_code::HISTORY_PRUNED.to_owned(),
            message: "the events after your cursor were removed by retention".to_owned(),
            horizon: Some(horizon),
        })
        .unwrap();
        let _ = socket
            .write_all(
                format!(
                    "HTTP/1.1 410 Gone\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            )
            .await;
        return;
    }
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut upstream = http.get(format!("http://{relay}{target}"));
    for name in ["authorization", "accept", "last-event-id"] {
        if let Some(v) = header(name) {
            upstream = upstream.header(name, v);
        }
    }
    let Ok(res) = upstream.send().await else {
        return;
    };
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/json")
        .to_owned();
    let head = format!(
        "HTTP/1.1 {}\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n",
        res.status()
    );
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut body = res.bytes_stream();
    while let Some(Ok(chunk)) = body.next().await {
        if socket.write_all(&chunk).await.is_err() {
            return;
        }
    }
}

fn wamids(store: &Arc<Mutex<Store>>) -> Vec<String> {
    store
        .lock()
        .unwrap()
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT wamid FROM messages ORDER BY wamid")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_pruned_history_is_skipped_kept_and_told_and_the_sync_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let sim = lab::start_sim(&relay, SECRET).await;
    let mut sent = Vec::new();
    for i in 0..6 {
        let r = sim
            .inbound_delivered(Inbound::text(
                format!("+3461234560{i}"),
                format!("hello {i}"),
            ))
            .await
            .unwrap();
        assert_eq!(r.delivered, Some(true));
        sent.push(r.id);
    }
    let page: EventPage = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!("http://{}/v1/events?after=0", relay.addr()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    // Retention removed the first three messages.
    let kept = page
        .events
        .iter()
        .find(|e| e.dedupe_key == format!("msg:{}", sent[3]))
        .unwrap();
    let horizon = Horizon {
        seq: kept.seq,
        received_at_ms: kept.received_at_ms,
    };
    let front = retention_front(relay.addr(), horizon).await;

    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let mut config = SyncConfig::new(format!("http://{front}"), &token);
    config.cursor_key = Some("team-relay".to_owned());
    config.backoff.initial = Duration::from_millis(20);
    config.backoff.max = Duration::from_millis(200);
    let engine = sync::spawn(
        Arc::new(Mutex::new(
            Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
        )),
        config,
    );
    let mut updates = engine.subscribe();
    let mut told = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    while wamids(&store).len() < 3 {
        assert!(Instant::now() < deadline, "the kept events never arrived");
        if let Ok(Ok(SyncUpdate::HistoryPruned(gap))) =
            tokio::time::timeout(Duration::from_millis(100), updates.recv()).await
        {
            told.push(gap);
        }
    }
    let mut want = sent[3..].to_vec();
    want.sort();
    assert_eq!(
        wamids(&store),
        want,
        "everything the relay kept, nothing else"
    );
    while let Ok(update) = updates.try_recv() {
        if let SyncUpdate::HistoryPruned(gap) = update {
            told.push(gap);
        }
    }
    assert_eq!(told.len(), 1, "told once: {told:?}");
    assert_eq!(told[0].missed_after, 0);
    assert_eq!(told[0].resumed_at, horizon.seq);
    assert_eq!(told[0].before_ms, horizon.received_at_ms);
    let gaps = store.lock().unwrap().history_gaps("team-relay").unwrap();
    assert_eq!(gaps, told, "the gap is kept");

    // The session goes on: a new message arrives live.
    let mut state = engine.watch_state();
    tokio::time::timeout(
        Duration::from_secs(10),
        state.wait_for(|s| matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .unwrap()
    .unwrap();
    let live = sim
        .inbound_delivered(Inbound::text("+34612345699", "still there?"))
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !wamids(&store).contains(&live.id) {
        assert!(Instant::now() < deadline, "the live message never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(wamids(&store).iter().all(|w| !sent[..3].contains(w)));
    assert_eq!(
        store
            .lock()
            .unwrap()
            .history_gaps("team-relay")
            .unwrap()
            .len(),
        1
    );
    engine.shutdown().await;
    sim.shutdown().await;
}
