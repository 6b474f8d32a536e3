//! Sync benchmark: a real relay and the desktop sync engine in one process,
//! on loopback, with real SQLite files in a temp dir.
//!
//! 1. **Live latency**: signed single-message webhooks POSTed to the relay at
//!    a fixed rate (default 1,000/s for 5 s); latency runs from each
//!    webhook's *scheduled* send time (no coordinated omission) until the
//!    engine reports the message committed in the desktop store.
//! 2. **Catch-up**: a backlog (default 100,000 message events from 1,000
//!    customers, written through the relay's webhook endpoint in batched
//!    envelopes) read by a fresh desktop store from cursor 0.
//!
//! ```sh
//! cargo run --release -p hourglass-core --example sync-bench
//! # options: --rate 1000 --seconds 5 --backlog 100000
//! ```

#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::store::Store;
use hourglass_core::sync::{self, SyncConfig, SyncUpdate};
use hourglass_relay::{Config, Relay};
use hourglass_whatsapp::signature;
use serde_json::{Value, json};
use tokio::sync::Semaphore;

const SECRET: &str = "bench-secret";

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn message(i: u64, customers: u64) -> (Value, Value) {
    let wa = format!("1415555{:04}", i % customers);
    (
        json!({"profile": {"name": format!("Customer {}", i % customers)}, "wa_id": wa}),
        json!({"from": wa, "id": format!("wamid.bench.{i}"), "timestamp": "1750000000",
               "type": "text", "text": {"body": format!("Hello, this is message number {i}")}}),
    )
}

fn envelope(items: Vec<(Value, Value)>) -> Vec<u8> {
    let (contacts, messages): (Vec<Value>, Vec<Value>) = items.into_iter().unzip();
    serde_json::to_vec(&json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": [{ "field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "15550783881", "phone_number_id": "106540352242922" },
            "contacts": contacts,
            "messages": messages
        }}]}]
    }))
    .unwrap()
}

async fn post(http: &reqwest::Client, url: &str, body: Vec<u8>) {
    let sig = signature::sign(SECRET.as_bytes(), &body);
    let res = http
        .post(url)
        .header(signature::HEADER, sig)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let rate = arg("--rate", 1_000);
    let seconds = arg("--seconds", 5);
    let backlog = arg("--backlog", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let relay = Relay::open(Config::new(dir.path().join("relay.db"), SECRET, "v")).unwrap();
    let token = relay.add_agent("bench").unwrap().expose().to_owned();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let url = relay.url();
    let hook = format!("{url}/webhook");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    println!(
        "machine: {} cores; rate {rate}/s for {seconds}s; backlog {backlog}",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );

    // 1. Live latency.
    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("live")).unwrap(),
    ));
    let engine = sync::spawn(Arc::clone(&store), SyncConfig::new(&url, &token));
    let mut state = engine.watch_state();
    state
        .wait_for(|s| matches!(s, sync::ConnectionState::Connected { .. }))
        .await
        .unwrap();
    let mut updates = engine.subscribe();
    let total = rate * seconds;
    let committed: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let collector = {
        let committed = Arc::clone(&committed);
        tokio::spawn(async move {
            let mut batches = 0u64;
            while let Ok(u) = updates.recv().await {
                if let SyncUpdate::Inbox(c) = u {
                    let now = Instant::now();
                    batches += 1;
                    let mut map = committed.lock().unwrap();
                    for m in c.messages {
                        map.entry(m.wamid).or_insert(now);
                    }
                    if map.len() as u64 >= total {
                        return batches;
                    }
                }
            }
            batches
        })
    };
    // A bare SSE reader beside the engine: when the relay's stream delivers
    // each event, to split the latency into relay and desktop parts.
    let streamed: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let probe = {
        let streamed = Arc::clone(&streamed);
        let res = http
            .get(format!("{url}/v1/stream?after={}", engine.cursor()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        tokio::spawn(async move {
            use futures_util::StreamExt;
            let mut events = sse_stream::SseByteStream::new(res.bytes_stream());
            while let Some(Ok(e)) = events.next().await {
                let now = Instant::now();
                let Some(data) = e.data else { continue };
                let e: hourglass_protocol::Event = serde_json::from_str(&data).unwrap();
                if let Some(w) = e.dedupe_key.strip_prefix("msg:") {
                    streamed.lock().unwrap().insert(w.to_owned(), now);
                }
            }
        })
    };
    let start = Instant::now();
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let gate = Arc::new(Semaphore::new(256));
    let mut scheduled: HashMap<String, Instant> = HashMap::with_capacity(total as usize);
    let mut tasks = Vec::with_capacity(total as usize);
    let acks: Arc<Mutex<Vec<f64>>> = Arc::default();
    for i in 0..total {
        let at = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(at.into()).await;
        let body = envelope(vec![message(i, 50)]);
        scheduled.insert(format!("wamid.bench.{i}"), at);
        let permit = Arc::clone(&gate).acquire_owned().await.unwrap();
        let http = http.clone();
        let hook = hook.clone();
        let acks = Arc::clone(&acks);
        tasks.push(tokio::spawn(async move {
            post(&http, &hook, body).await;
            acks.lock().unwrap().push(at.elapsed().as_secs_f64() * 1e3);
            drop(permit);
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let batches = tokio::time::timeout(Duration::from_secs(60), collector)
        .await
        .expect("every message committed within 60 s")
        .unwrap();
    let committed = committed.lock().unwrap().clone();
    let mut lat: Vec<f64> = scheduled
        .iter()
        .filter_map(|(w, at)| {
            committed
                .get(w)
                .map(|c| c.duration_since(*at).as_secs_f64() * 1e3)
        })
        .collect();
    lat.sort_by(f64::total_cmp);
    println!(
        "live: {} messages at {rate}/s -> committed {} in {batches} transactions | webhook-to-committed ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
        total,
        lat.len(),
        percentile(&lat, 0.50),
        percentile(&lat, 0.90),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(f64::NAN)
    );
    probe.abort();
    let streamed = streamed.lock().unwrap().clone();
    let mut relay_part: Vec<f64> = scheduled
        .iter()
        .filter_map(|(w, at)| {
            streamed
                .get(w)
                .map(|c| c.duration_since(*at).as_secs_f64() * 1e3)
        })
        .collect();
    relay_part.sort_by(f64::total_cmp);
    println!(
        "live: of which webhook-to-SSE-event (relay only, a bare reader) ms p50 {:.2} p99 {:.2}",
        percentile(&relay_part, 0.50),
        percentile(&relay_part, 0.99)
    );
    let mut acks = acks.lock().unwrap().clone();
    acks.sort_by(f64::total_cmp);
    println!(
        "live: of which the relay's durable ack (webhook-to-200) ms p50 {:.2} p99 {:.2}",
        percentile(&acks, 0.50),
        percentile(&acks, 0.99)
    );
    engine.shutdown().await;

    // 2. Catch-up. The live phase's events are in the log too; they count.
    let fill = Instant::now();
    let per_post = 1_000u64;
    let mut i = total;
    let end = total + backlog;
    let mut posts = Vec::new();
    let gate = Arc::new(Semaphore::new(8));
    while i < end {
        let n = per_post.min(end - i);
        let body = envelope((i..i + n).map(|k| message(k, 1_000)).collect());
        i += n;
        let permit = Arc::clone(&gate).acquire_owned().await.unwrap();
        let http = http.clone();
        let hook = hook.clone();
        posts.push(tokio::spawn(async move {
            post(&http, &hook, body).await;
            drop(permit);
        }));
    }
    for p in posts {
        p.await.unwrap();
    }
    let head = relay.state().store().head().unwrap();
    println!(
        "backlog: {backlog} events written to the relay in {:.1}s (log head {head})",
        fill.elapsed().as_secs_f64()
    );
    // Its parts alone: reading the pages over HTTP, then applying them
    // without the network.
    let t_fetch = Instant::now();
    let mut pages: Vec<Vec<hourglass_protocol::Event>> = Vec::new();
    let mut after = 0;
    loop {
        let page: hourglass_protocol::EventPage = http
            .get(format!("{url}/v1/events?after={after}&limit=5000"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        after = page.events.last().map_or(after, |e| e.seq);
        let more = page.has_more;
        pages.push(page.events);
        if !more {
            break;
        }
    }
    let fetch_s = t_fetch.elapsed().as_secs_f64();
    let t_plan = Instant::now();
    let planned: usize = pages.iter().map(|p| sync::plan::plan(p).len()).sum();
    println!(
        "parts: planning alone (parse + render, no store) {:.2}s for {planned} ops",
        t_plan.elapsed().as_secs_f64()
    );
    let mut offline = Store::open_in_dir(&dir.path().join("offline")).unwrap();
    let t_apply = Instant::now();
    for page in &pages {
        sync::apply_events(&mut offline, "bench", page).unwrap();
    }
    let apply_s = t_apply.elapsed().as_secs_f64();
    println!(
        "parts: reading all pages over HTTP {fetch_s:.2}s ({:.0} events/s); applying them without HTTP {apply_s:.2}s ({:.0} events/s)",
        head as f64 / fetch_s,
        head as f64 / apply_s
    );
    drop(pages);

    let store = Arc::new(Mutex::new(
        Store::open_in_dir(&dir.path().join("catchup")).unwrap(),
    ));
    let t0 = Instant::now();
    let engine = sync::spawn(Arc::clone(&store), SyncConfig::new(&url, &token));
    while engine.cursor() < head {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let took = t0.elapsed().as_secs_f64();
    engine.shutdown().await;
    let (messages, conversations): (i64, i64) = store
        .lock()
        .unwrap()
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(*) FROM conversations)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap();
    assert_eq!(messages as u64, head, "every event became a message");
    println!(
        "catch-up: {head} events in {took:.2}s = {:.0} events/s ({messages} messages, {conversations} conversations)",
        head as f64 / took
    );
    relay.shutdown().await.unwrap();
}
