//! A relay that shuts down says so with a last `event: going_away` frame:
//! the sync engine reconnects at once from its cursor, without the
//! back-off it uses after a broken connection. Played by a loopback stub
//! that keeps the stream open after that frame, so only the frame can
//! explain a prompt reconnect.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::store::Store;
use hourglass_core::sync::{self, ConnectionState, SyncConfig, SyncUpdate};
use hourglass_protocol::SSE_GOING_AWAY;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The requests a stub relay got: (when, target).
type Log = Arc<Mutex<Vec<(Instant, String)>>>;

fn agent_event(seq: u64) -> String {
    format!(
        r#"{{"seq":{seq},"kind":"agent","dedupe_key":"agent:ana:k{seq}","received_at_ms":{seq},"agent":"ana","payload":{{"type":"note","text":"n{seq}"}}}}"#
    )
}

/// Two events in the log; the first stream says goodbye at once, later
/// ones stay open (heartbeats) until the client leaves. At most 20
/// connections, each open at most 30 s.
async fn stub_relay() -> (SocketAddr, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    tokio::spawn(async move {
        let streams = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        for _ in 0..20 {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let (seen, streams) = (Arc::clone(&seen), Arc::clone(&streams));
            tokio::spawn(async move {
                let _ =
                    tokio::time::timeout(Duration::from_secs(30), serve(socket, &seen, &streams))
                        .await;
            });
        }
    });
    (addr, log)
}

async fn serve(mut socket: TcpStream, log: &Log, streams: &std::sync::atomic::AtomicUsize) {
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
    log.lock().unwrap().push((Instant::now(), target.clone()));
    if target.starts_with("/v1/stream") {
        let first = streams.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        if first {
            let bye = format!(
                "event: {SSE_GOING_AWAY}\ndata: {{\"code\":\"shutting_down\",\"message\":\"bye\"}}\n\n"
            );
            let _ = socket.write_all(bye.as_bytes()).await;
        }
        // Open, with heartbeats, until the client hangs up.
        while socket.write_all(b": heartbeat\n\n").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        return;
    }
    let after: u64 = target
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("after="))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let events: Vec<String> = (after + 1..=2).map(agent_event).collect();
    let body = format!(
        r#"{{"events":[{}],"head":2,"has_more":false}}"#,
        events.join(",")
    );
    let _ = socket
        .write_all(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .as_bytes(),
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn going_away_reconnects_at_once_from_the_cursor() {
    let (addr, log) = stub_relay().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let mut config = SyncConfig::new(format!("http://{addr}"), "hgr_agent_token");
    // A back-off would be seen: the first retry waits at least 10 s.
    config.backoff.initial = Duration::from_secs(20);
    config.backoff.max = Duration::from_secs(20);
    let engine = sync::spawn(Arc::clone(&store), config);
    let mut updates = engine.subscribe();
    let deadline = Instant::now() + Duration::from_secs(10);
    while log
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, t)| t.starts_with("/v1/stream"))
        .count()
        < 2
    {
        assert!(
            Instant::now() < deadline,
            "no reconnect: {:?}",
            log.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let requests: Vec<(Instant, String)> = log.lock().unwrap().clone();
    let targets: Vec<&str> = requests.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1/events?after=0&limit=5000",
            "/v1/stream?after=2",
            "/v1/events?after=2&limit=5000",
            "/v1/stream?after=2",
        ],
        "the second connection starts from the cursor"
    );
    let gap = requests[2].0 - requests[1].0;
    assert!(gap < Duration::from_secs(2), "reconnected after {gap:?}");
    assert_eq!(engine.cursor(), 2);
    let mut state = engine.watch_state();
    tokio::time::timeout(
        Duration::from_secs(5),
        state.wait_for(|s| matches!(s, ConnectionState::Connected { .. })),
    )
    .await
    .unwrap()
    .unwrap();
    while let Ok(update) = updates.try_recv() {
        assert!(
            !matches!(
                update,
                SyncUpdate::Connection(
                    ConnectionState::Reconnecting { .. } | ConnectionState::Offline { .. }
                )
            ),
            "going away is not a failure: {update:?}"
        );
    }
    engine.shutdown().await;
}
