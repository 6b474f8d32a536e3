//! Sync benchmark: a real relay and the desktop sync engine in one process,
//! on loopback, with real SQLite files in a temp dir.
//!
//! 1. **Live latency**: signed single-message webhooks POSTed to the relay at
//!    a fixed rate (default 1,000/s for 5 s); latency runs from each
//!    webhook's *scheduled* send time (no coordinated omission) until the
//!    engine reports the message committed in the desktop store.
//! 2. **Catch-up**: a backlog (default 100,000 message events from 1,000
//!    customers, written through the relay's webhook endpoint in batched
//!    envelopes) read by a fresh desktop store from cursor 0, end to end
//!    (`--catchup-runs` times, a fresh store each), and first its parts
//!    alone: the pages over HTTP, decoding + planning them, writing them to
//!    a store (`--rounds` times each; the best round is the least disturbed).
//!    CPU times beside the wall times come from `/proc` (Linux).
//!
//! ```sh
//! cargo run --release -p hourglass-core --example sync-bench
//! # options: --rate 1000 --seconds 5 --backlog 100000 --rounds 3 --catchup-runs 3
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

/// CPU seconds (user + system) this thread, or with `"self"` this whole
/// process, has used, from `/proc` (Linux); `None` elsewhere. Beside wall
/// time it shows what a part costs when other work shares the cores.
fn cpu_s(of: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{of}/stat")).ok()?;
    // Fields after the command name, which is in parentheses.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
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
                        map.entry(m.wamid.0).or_insert(now);
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
    // Its parts alone, each as the engine does it: reading the pages over
    // HTTP (bytes only), decoding and planning them (`plan_page`), and writing
    // the planned pages to a store, each in one transaction with its cursor,
    // then reading back the changed rows for the window (`inbox_change`).
    let page_url = |after: u64| format!("{url}/v1/events?after={after}&limit=5000");
    let mut afters = vec![0u64];
    loop {
        #[derive(serde::Deserialize)]
        struct Seq {
            seq: u64,
        }
        #[derive(serde::Deserialize)]
        struct Light {
            events: Vec<Seq>,
            has_more: bool,
        }
        let after = *afters.last().unwrap();
        let page: Light = http
            .get(page_url(after))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !page.has_more {
            break;
        }
        afters.push(page.events.last().unwrap().seq);
        // Bounded: every page moves the cursor on.
        assert!(afters.len() as u64 <= head + 1, "paging does not end");
    }
    let t_fetch = Instant::now();
    let mut pages = Vec::with_capacity(afters.len());
    for after in &afters {
        let bytes = http
            .get(page_url(*after))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        pages.push(bytes);
    }
    let fetch_s = t_fetch.elapsed().as_secs_f64();
    // Planning and writing run in rounds (a fresh store each) on this
    // thread; the best round is the cost with the least interference from
    // whatever else shares the cores.
    let rounds = arg("--rounds", 3).max(1);
    let cpu = |s: Option<f64>| s.map_or("?".to_owned(), |s| format!("{s:.2}s"));
    let rate = |s: f64| head as f64 / s;
    println!(
        "parts: reading all {} pages over HTTP (bytes only) {fetch_s:.2}s ({:.0} events/s)",
        afters.len(),
        rate(fetch_s)
    );
    let mut best = [f64::INFINITY; 3];
    for round in 1..=rounds {
        let t_plan = Instant::now();
        let cpu_plan = cpu_s("thread-self");
        let planned: Vec<sync::plan::PlannedPage> = pages
            .iter()
            .map(|p| sync::plan::plan_page(p).unwrap())
            .collect();
        let plan_s = t_plan.elapsed().as_secs_f64();
        let cpu_plan = cpu_plan.zip(cpu_s("thread-self")).map(|(a, b)| b - a);
        let ops: usize = planned.iter().map(|p| p.planned.len()).sum();
        let offline_dir = dir.path().join(format!("offline-{round}"));
        let mut offline = Store::open_in_dir(&offline_dir).unwrap();
        // Checkpoints spaced as the engine spaces them during a catch-up.
        offline
            .with_connection(|c| Ok(c.pragma_update(None, "wal_autocheckpoint", 4_096)?))
            .unwrap();
        let (mut write_s, mut read_s) = (0.0, 0.0);
        let cpu_write = cpu_s("thread-self");
        for page in &planned {
            let t = Instant::now();
            let applied =
                sync::apply::apply_planned_events(&mut offline, "bench", &page.planned, page.last)
                    .unwrap();
            write_s += t.elapsed().as_secs_f64();
            let t = Instant::now();
            let change = sync::inbox_change(&offline, &applied, true, 2_000).unwrap();
            read_s += t.elapsed().as_secs_f64();
            assert_eq!(change.new_messages as usize, page.events);
        }
        let cpu_write = cpu_write.zip(cpu_s("thread-self")).map(|(a, b)| b - a);
        drop(planned);
        // Each round's store goes as soon as it is measured (disk space).
        drop(offline);
        std::fs::remove_dir_all(&offline_dir).unwrap();
        println!(
            "parts, round {round}: decoding + planning (no store) {plan_s:.2}s ({:.0} events/s, {ops} ops; CPU {}) | writing to a store {write_s:.2}s ({:.0} events/s) + reading back the changes {read_s:.2}s = {:.2}s ({:.0} events/s; CPU {})",
            rate(plan_s),
            cpu(cpu_plan),
            rate(write_s),
            write_s + read_s,
            rate(write_s + read_s),
            cpu(cpu_write)
        );
        best[0] = best[0].min(plan_s);
        best[1] = best[1].min(write_s);
        best[2] = best[2].min(read_s);
    }
    drop(pages);
    println!(
        "parts, best of {rounds}: decoding + planning {:.2}s ({:.0} events/s); writing {:.2}s ({:.0} events/s); reading back {:.2}s; writing + reading back {:.0} events/s; all on one thread {:.0} events/s",
        best[0],
        rate(best[0]),
        best[1],
        rate(best[1]),
        best[2],
        rate(best[1] + best[2]),
        rate(best[0] + best[1] + best[2])
    );

    // End to end: a fresh store and engine from cursor 0, in runs.
    let runs = arg("--catchup-runs", 3).max(1);
    let mut took_all = Vec::new();
    for run in 1..=runs {
        let store_dir = dir.path().join(format!("catchup-{run}"));
        let store = Arc::new(Mutex::new(Store::open_in_dir(&store_dir).unwrap()));
        let t0 = Instant::now();
        let cpu0 = cpu_s("self");
        let engine = sync::spawn(Arc::clone(&store), SyncConfig::new(&url, &token));
        // Bounded: the whole log within 120 s, or the run fails.
        while engine.cursor() < head {
            assert!(t0.elapsed() < Duration::from_secs(120), "catch-up stalled");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let took = t0.elapsed().as_secs_f64();
        let cpu_all = cpu0.zip(cpu_s("self")).map(|(a, b)| b - a);
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
            "catch-up, run {run}: {head} events in {took:.2}s = {:.0} events/s ({messages} messages, {conversations} conversations); CPU of the whole process (relay included) {}, {} µs per event",
            head as f64 / took,
            cpu(cpu_all),
            cpu_all.map_or("?".to_owned(), |c| format!("{:.1}", c * 1e6 / head as f64))
        );
        took_all.push(took);
        drop(store);
        std::fs::remove_dir_all(&store_dir).unwrap();
    }
    took_all.sort_by(f64::total_cmp);
    println!(
        "catch-up: {} runs, events/s best {:.0}, median {:.0}, worst {:.0}",
        took_all.len(),
        head as f64 / took_all[0],
        head as f64 / took_all[took_all.len() / 2],
        head as f64 / took_all[took_all.len() - 1]
    );
    relay.shutdown().await.unwrap();
}
