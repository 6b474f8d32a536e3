//! What the sync engine takes from a relay that misbehaves, against tiny
//! loopback HTTP servers that say exactly the wrong thing: a catch-up page
//! or a stream line past the size limits is refused as it arrives (the
//! server sees the connection closed long before it has written it all),
//! with an error saying why.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hourglass_core::store::Store;
use hourglass_core::sync::{self, ConnectionState, SyncConfig, SyncHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What a stub relay answers on one path: the head, then `body` and, if
/// `endless`, `filler` again and again up to [`MOST_WRITTEN`] bytes.
#[derive(Clone)]
struct Answer {
    head: String,
    body: Vec<u8>,
    filler: Option<Vec<u8>>,
}

/// A stub relay never writes more than this on one connection.
const MOST_WRITTEN: usize = 256 * 1024 * 1024;

/// Serves `answer(path)` to at most 50 connections; returns its address
/// and the most bytes it managed to write on one connection.
async fn stub_relay(
    answer: impl Fn(&str) -> Answer + Send + Sync + 'static,
) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let most = Arc::new(AtomicUsize::new(0));
    let answer = Arc::new(answer);
    let written = Arc::clone(&most);
    tokio::spawn(async move {
        for _ in 0..50 {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let answer = Arc::clone(&answer);
            let written = Arc::clone(&written);
            tokio::spawn(async move {
                let n = serve(socket, &*answer).await;
                written.fetch_max(n, Ordering::SeqCst);
            });
        }
    });
    (addr, most)
}

async fn serve(mut socket: TcpStream, answer: &(dyn Fn(&str) -> Answer + Send + Sync)) -> usize {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        match socket.read(&mut buf).await {
            Ok(0) | Err(_) => return 0,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let a = answer(&path);
    let mut written = 0;
    if socket.write_all(a.head.as_bytes()).await.is_err()
        || socket.write_all(&a.body).await.is_err()
    {
        return written;
    }
    written += a.body.len();
    if let Some(filler) = a.filler {
        while written < MOST_WRITTEN {
            if socket.write_all(&filler).await.is_err() {
                return written;
            }
            written += filler.len();
        }
    }
    let _ = socket.shutdown().await;
    written
}

/// The most bytes written on one connection, once one has ended.
async fn served(written: &AtomicUsize) -> usize {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while written.load(Ordering::SeqCst) == 0 {
        assert!(std::time::Instant::now() < deadline, "no connection ended");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    written.load(Ordering::SeqCst)
}

fn ok_head(content_type: &str) -> String {
    format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\nconnection: close\r\n\r\n")
}

fn engine(addr: SocketAddr, dir: &tempfile::TempDir) -> SyncHandle {
    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let mut config = SyncConfig::new(format!("http://{addr}"), "hgr_agent_token");
    config.max_page_bytes = 64 * 1024;
    config.max_line_bytes = 64 * 1024;
    config.backoff.initial = Duration::from_millis(50);
    config.backoff.max = Duration::from_millis(200);
    sync::spawn(store, config)
}

/// The error of the first failed attempt.
async fn first_error(engine: &SyncHandle) -> String {
    let mut state = engine.watch_state();
    let failed = tokio::time::timeout(
        Duration::from_secs(20),
        state.wait_for(|s| matches!(s, ConnectionState::Reconnecting { .. })),
    )
    .await
    .expect("the attempt fails")
    .unwrap()
    .clone();
    match failed {
        ConnectionState::Reconnecting { error, .. } => error,
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_past_the_limit_is_refused_as_it_arrives() {
    let (addr, written) = stub_relay(|_| Answer {
        head: ok_head("application/json"),
        body: br#"{"events":["#.to_vec(),
        filler: Some(vec![b' '; 64 * 1024]),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(addr, &dir);
    let error = first_error(&engine).await;
    assert!(error.contains("a page larger than 65536 bytes"), "{error}");
    engine.shutdown().await;
    let written = served(&written).await;
    assert!(
        written < MOST_WRITTEN / 4,
        "the client stopped reading early; the server wrote {written} bytes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_announced_past_the_limit_is_refused_before_its_body() {
    let (addr, _) = stub_relay(|_| Answer {
        head: format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            100 * 1024 * 1024
        ),
        body: br#"{"events":["#.to_vec(),
        filler: None,
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(addr, &dir);
    let error = first_error(&engine).await;
    assert!(error.contains("a page larger than 65536 bytes"), "{error}");
    engine.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_line_past_the_limit_is_refused_as_it_arrives() {
    let (addr, written) = stub_relay(|path| {
        if path.starts_with("/v1/stream") {
            Answer {
                head: ok_head("text/event-stream"),
                body: b"id: 1\ndata: {\"seq\":1,".to_vec(),
                filler: Some(vec![b'x'; 64 * 1024]),
            }
        } else {
            let page = br#"{"events":[],"head":0,"has_more":false}"#.to_vec();
            Answer {
                head: format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    page.len()
                ),
                body: page,
                filler: None,
            }
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(addr, &dir);
    let error = first_error(&engine).await;
    assert!(
        error.contains("a stream line longer than 65536 bytes"),
        "{error}"
    );
    engine.shutdown().await;
    let written = served(&written).await;
    assert!(
        written < MOST_WRITTEN / 4,
        "the client stopped reading early; the server wrote {written} bytes"
    );
}
