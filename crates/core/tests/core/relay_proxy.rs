//! The relay client's one proxy policy, against a real forward proxy and a
//! real relay, both on loopback.
//!
//! The proxy here is a small HTTP/1.1 forward proxy (absolute-form requests
//! and `CONNECT`) that notes every request passing through it. Every host
//! name it is asked for is this computer, so a relay address that the
//! policy does not take for loopback still reaches the local relay.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use hourglass_core::problem::ErrorCode;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::connection::{self, ConnectionSettings, Credentials, TestTargets};
use hourglass_core::relay::{Probe, ProxyPolicy, RelayClient, RelayOptions};
use hourglass_core::secrets::Secret;
use hourglass_core::store::Store;
use hourglass_core::sync::{self, ConnectionState, SharedStore, SyncConfig};
use hourglass_core::team::TeamAction;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const SECRET: &str = "relay-proxy-secret";

/// The environment variables of the child run of
/// [`system_policy_child`].
const CHILD_RELAY: &str = "HOURGLASS_TEST_PROXY_CHILD_RELAY";
const CHILD_TOKEN: &str = "HOURGLASS_TEST_PROXY_CHILD_TOKEN";

/// Every name the proxy is asked for resolves here.
const REMOTE_NAME: &str = "relay.hourglass.test";

/// A forward proxy on loopback; `seen` holds each request's method and
/// target (`GET http://host:port/path`, `CONNECT host:port`).
struct ForwardProxy {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ForwardProxy {
    async fn start() -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                tokio::spawn(async move {
                    let _ = forward(client, log).await;
                });
            }
        });
        ForwardProxy { addr, seen, task }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    /// Requests whose line starts with `prefix`.
    fn count(&self, prefix: &str) -> usize {
        self.seen().iter().filter(|r| r.starts_with(prefix)).count()
    }
}

impl Drop for ForwardProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One client connection: one request, forwarded with `Connection: close`
/// so that every request on the way is seen here (none rides a kept-alive
/// tunnel unseen).
async fn forward(client: TcpStream, seen: Arc<Mutex<Vec<String>>>) -> std::io::Result<()> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_owned());
    let mut reader = BufReader::new(client);
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        let n = tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut line))
            .await
            .map_err(|_| bad("a silent client"))??;
        if n == 0 || head.len() > 100 {
            return Err(bad("an incomplete request head"));
        }
        if line == "\r\n" {
            break;
        }
        head.push(line);
    }
    let request_line = head.first().ok_or_else(|| bad("no request line"))?.clone();
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("a malformed request line"));
    };
    seen.lock().unwrap().push(format!("{method} {target}"));
    if method == "CONNECT" {
        let port = target
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse::<u16>().ok());
        let mut upstream =
            TcpStream::connect(("127.0.0.1", port.ok_or_else(|| bad("no port"))?)).await?;
        let mut client = reader.into_inner();
        client
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    let url = reqwest::Url::parse(target).map_err(|_| bad("not an absolute-form target"))?;
    let port = url.port_or_known_default().ok_or_else(|| bad("no port"))?;
    let mut upstream = TcpStream::connect(("127.0.0.1", port)).await?;
    let mut out = format!("{method} {}", url.path());
    if let Some(query) = url.query() {
        out.push('?');
        out.push_str(query);
    }
    out.push_str(&format!(" {version}\r\n"));
    for header in &head[1..] {
        let name = header.split(':').next().unwrap_or("").to_ascii_lowercase();
        if !["connection", "proxy-connection", "keep-alive"].contains(&name.as_str()) {
            out.push_str(header);
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    upstream.write_all(out.as_bytes()).await?;
    upstream.write_all(reader.buffer()).await?;
    let mut client = reader.into_inner();
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// Polls `done` every 20 ms for up to 10 s.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn canned(id: &str) -> serde_json::Value {
    TeamAction::Canned {
        id: id.to_owned(),
        title: format!("Title {id}"),
        body: format!("Body {id}"),
    }
    .payload()
}

fn canned_ids(store: &SharedStore) -> Vec<String> {
    let store = store.lock().unwrap();
    let mut ids: Vec<String> = store
        .canned_responses()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort();
    ids
}

fn settings(relay_url: &str) -> ConnectionSettings {
    ConnectionSettings {
        relay_url: relay_url.to_owned(),
        phone_number_id: "106540352242922".to_owned(),
        waba_id: "102290129340398".to_owned(),
    }
}

/// Only the relay is tested: with no access token the Graph checks fail
/// without a request.
fn relay_only(relay_token: &str) -> Credentials {
    Credentials {
        relay_token: Secret::new(relay_token),
        access_token: Secret::new(""),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_publishing_and_the_connection_test_all_go_through_the_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let url = relay.url();
    let proxy = ForwardProxy::start().await;
    let via = ProxyPolicy::Via(proxy.url());

    // Publishing, agents, presence.
    let client = RelayClient::with_options(
        &url,
        Secret::new(token.clone()),
        RelayOptions {
            proxy: via.clone(),
            ..RelayOptions::default()
        },
    )
    .unwrap();
    client
        .publish("catch-up", canned("catch-up"))
        .await
        .unwrap();
    assert_eq!(client.me().await.unwrap(), "ana");
    let presence = client
        .presence(&hourglass_protocol::PresenceQuery::default())
        .await
        .unwrap();
    assert!(presence.entries.is_empty());
    assert_eq!(proxy.count(&format!("POST {url}/v1/events")), 1);
    assert_eq!(proxy.count(&format!("GET {url}/v1/agents")), 1);
    assert_eq!(proxy.count(&format!("GET {url}/v1/presence")), 1);

    // Sync on the same client, as the desktop runs it: the event published
    // before it starts comes with the catch-up, the next one on the live
    // stream.
    let store: SharedStore = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let mut config = SyncConfig::new(url.clone(), token.clone());
    config.backoff.initial = Duration::from_millis(20);
    config.backoff.max = Duration::from_millis(200);
    let engine = sync::spawn_with(Arc::clone(&store), config.clone(), client.clone());
    eventually("the catch-up", || canned_ids(&store) == ["catch-up"]).await;
    eventually("the live stream", || {
        matches!(engine.state(), ConnectionState::Connected { .. })
    })
    .await;
    assert_eq!(
        proxy.count(&format!("GET {url}/v1/events?after=0&limit=")),
        1
    );
    assert_eq!(proxy.count(&format!("GET {url}/v1/stream?after=1")), 1);
    client.publish("live", canned("live")).await.unwrap();
    eventually("the live event", || {
        canned_ids(&store) == ["catch-up", "live"]
    })
    .await;
    engine.shutdown().await;

    // An engine with a client of its own takes the proxy from its config.
    let other: SharedStore = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("other-desktop")).unwrap(),
    ));
    config.proxy = via.clone();
    let engine = sync::spawn(Arc::clone(&other), config);
    eventually("the other catch-up", || {
        canned_ids(&other) == ["catch-up", "live"]
            && matches!(engine.state(), ConnectionState::Connected { .. })
    })
    .await;
    engine.shutdown().await;
    assert_eq!(
        proxy.count(&format!("GET {url}/v1/events?after=0&limit=")),
        2
    );
    assert_eq!(proxy.count(&format!("GET {url}/v1/stream?after=2")), 1);

    // Test connection.
    let targets = TestTargets {
        graph_base_url: "http://127.0.0.1:9".to_owned(),
        timeout: Duration::from_secs(5),
        relay_proxy: via.clone(),
    };
    let report = connection::test(&settings(&url), &relay_only(&token), &targets).await;
    assert!(report.checks[0].ok, "{:?}", report.checks[0]);
    assert_eq!(
        proxy.count(&format!("GET {url}/v1/events?after=0&limit=1")),
        1
    );

    // An https relay is reached through a CONNECT tunnel; the relay here
    // speaks plain HTTP, so the handshake fails as a TLS failure.
    let https = url.replace("http://", "https://");
    let report = connection::test(&settings(&https), &relay_only(&token), &targets).await;
    assert_eq!(
        report.checks[0].code,
        Some(ErrorCode::RelayTls),
        "{:?}",
        report.checks[0]
    );
    let authority = https.trim_start_matches("https://");
    assert_eq!(proxy.count(&format!("CONNECT {authority}")), 1);

    // Nothing else reached the relay through the proxy, and the same client
    // told Direct never touches it.
    let before = proxy.seen().len();
    let direct = RelayClient::with_options(
        &url,
        Secret::new(token.clone()),
        RelayOptions {
            proxy: ProxyPolicy::Direct,
            ..RelayOptions::default()
        },
    )
    .unwrap();
    assert_eq!(direct.probe().await, Probe::Accepted);
    assert_eq!(proxy.seen().len(), before, "{:?}", proxy.seen());
    relay.shutdown().await.unwrap();
}

/// The system policy in a process of its own, whose environment names the
/// proxy (environment variables are read per process, and setting them in
/// this one would race the other tests).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_system_policy_bypasses_the_proxy_for_loopback_only() {
    let dir = tempfile::tempdir().unwrap();
    let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
    let proxy = ForwardProxy::start().await;
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "relay_proxy::system_policy_child",
            "--nocapture",
        ])
        .env(CHILD_RELAY, relay.url())
        .env(CHILD_TOKEN, &token)
        .env("HTTP_PROXY", proxy.url())
        .env("http_proxy", proxy.url())
        .env("HTTPS_PROXY", proxy.url())
        .env("https_proxy", proxy.url())
        .env("ALL_PROXY", proxy.url())
        .env("all_proxy", proxy.url())
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the child run took more than 60 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let output = child.wait_with_output().unwrap();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(status.success(), "{printed}");
    assert!(printed.contains("1 passed"), "{printed}");
    let port = relay.addr().port();
    let remote = format!("http://{REMOTE_NAME}:{port}/");
    let seen = proxy.seen();
    assert!(
        seen.iter().all(|r| r.starts_with(&format!("GET {remote}"))),
        "only the remote name went through the proxy: {seen:?}"
    );
    assert_eq!(
        proxy.count(&format!("GET {remote}v1/events?after=0&limit=1")),
        1,
        "{seen:?}"
    );
    relay.shutdown().await.unwrap();
}

/// Run by [`the_system_policy_bypasses_the_proxy_for_loopback_only`] with
/// the proxy in its environment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run in a child process by the_system_policy_bypasses_the_proxy_for_loopback_only"]
async fn system_policy_child() {
    let url = std::env::var(CHILD_RELAY).unwrap();
    let token = std::env::var(CHILD_TOKEN).unwrap();
    let dir = tempfile::tempdir().unwrap();

    // A loopback relay, as the app reaches it: publishing, sync, Test connection.
    let client = RelayClient::new(&url, Secret::new(token.clone())).unwrap();
    client.publish("child", canned("child")).await.unwrap();
    let store: SharedStore = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("desktop")).unwrap(),
    ));
    let engine = sync::spawn(
        Arc::clone(&store),
        SyncConfig::new(url.clone(), token.clone()),
    );
    eventually("the sync", || {
        canned_ids(&store) == ["child"]
            && matches!(engine.state(), ConnectionState::Connected { .. })
    })
    .await;
    engine.shutdown().await;
    let targets = TestTargets {
        graph_base_url: "http://127.0.0.1:9".to_owned(),
        timeout: Duration::from_secs(5),
        ..TestTargets::default()
    };
    let report = connection::test(&settings(&url), &relay_only(&token), &targets).await;
    assert!(report.checks[0].ok, "{:?}", report.checks[0]);

    // The same relay under a name that is not loopback goes through the
    // system proxy (which knows the name).
    let remote = url.replace("127.0.0.1", REMOTE_NAME);
    assert_ne!(remote, url);
    let client = RelayClient::new(&remote, Secret::new(token)).unwrap();
    assert_eq!(client.probe().await, Probe::Accepted);
}
