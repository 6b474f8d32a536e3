//! A stand-in for the relay: records every webhook POST, checks its
//! signature against the app secret over the exact bytes, and can be told to
//! answer 500 for a while.

use hourglass_whatsapp::GRAPH_API_VERSION as V;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hourglass_sim::{Sim, SimConfig, SimHandle};
use hourglass_whatsapp::signature;
use serde_json::Value;

pub const SECRET: &str = "test-app-secret";
pub const TOKEN: &str = "test-access-token";

#[derive(Debug, Clone)]
pub struct Post {
    pub body: Vec<u8>,
    pub json: Value,
    /// What the stand-in answered.
    pub status: u16,
}

#[derive(Default)]
struct Log {
    posts: Vec<Post>,
    fail_next: u32,
    bad_signatures: u32,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    log: Arc<Mutex<Log>>,
}

async fn webhook(
    State(log): State<Arc<Mutex<Log>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = headers.get(signature::HEADER).and_then(|v| v.to_str().ok());
    let mut log = log.lock().unwrap();
    if signature::verify(SECRET.as_bytes(), &body, header).is_err() {
        log.bad_signatures += 1;
        return StatusCode::FORBIDDEN;
    }
    let status = if log.fail_next > 0 {
        log.fail_next -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    };
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    log.posts.push(Post {
        body: body.to_vec(),
        json,
        status: status.as_u16(),
    });
    status
}

impl Receiver {
    pub async fn start() -> Self {
        let log = Arc::new(Mutex::new(Log::default()));
        let app = Router::new()
            .route("/webhook", post(webhook))
            .with_state(log.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { url, log }
    }

    /// The next `n` well-signed POSTs are answered 500.
    pub fn fail_next(&self, n: u32) {
        self.log.lock().unwrap().fail_next = n;
    }

    pub fn posts(&self) -> Vec<Post> {
        self.log.lock().unwrap().posts.clone()
    }

    pub fn bad_signatures(&self) -> u32 {
        self.log.lock().unwrap().bad_signatures
    }

    /// Items under `value.<key>` ("messages" or "statuses") of every POST
    /// answered 200, across all entries and changes, duplicates included.
    pub fn items(&self, key: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for post in self.posts().iter().filter(|p| p.status == 200) {
            for entry in post.json["entry"].as_array().into_iter().flatten() {
                for change in entry["changes"].as_array().into_iter().flatten() {
                    for item in change["value"][key].as_array().into_iter().flatten() {
                        out.push(item.clone());
                    }
                }
            }
        }
        out
    }

    pub fn statuses_of(&self, wamid: &str) -> Vec<Value> {
        self.items("statuses")
            .into_iter()
            .filter(|s| s["id"] == wamid)
            .collect()
    }

    pub fn message(&self, wamid: &str) -> Option<Value> {
        self.items("messages")
            .into_iter()
            .find(|m| m["id"] == wamid)
    }

    /// Polls until `done` holds; false after 10 s. Bounds the test, never
    /// asserts on timing.
    pub async fn wait_for(&self, done: impl Fn(&Self) -> bool) -> bool {
        for _ in 0..1_000 {
            if done(self) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }
}

/// Fast timings, the test secret and token.
pub fn config() -> SimConfig {
    SimConfig {
        app_secret: SECRET.to_owned(),
        access_token: TOKEN.to_owned(),
        ..SimConfig::fast()
    }
}

/// A relay stand-in and a simulator posting to it.
pub async fn pair(config: SimConfig) -> (SimHandle, Receiver) {
    let receiver = Receiver::start().await;
    let sim = Sim::start(config.with_relay(receiver.url.clone()))
        .await
        .unwrap();
    (sim, receiver)
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// POSTs a message body to the fake Graph API; returns status and JSON.
pub async fn send(sim: &SimHandle, body: &Value) -> (u16, Value) {
    send_raw(sim, &serde_json::to_string(body).unwrap()).await
}

pub async fn send_raw(sim: &SimHandle, body: &str) -> (u16, Value) {
    let url = format!(
        "{}/{V}/{}/messages",
        sim.graph_base_url(),
        sim.config().phone_number_id
    );
    let r = http()
        .post(url)
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Unix seconds now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}
