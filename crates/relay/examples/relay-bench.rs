//! Durable webhook throughput and ack latency of the relay, with baselines
//! measured in the same run on the same machine:
//!
//! - raw SQLite inserts with the relay's pragmas (WAL, `synchronous=FULL`),
//!   batched and one fsync per row;
//! - a no-storage axum handler that only verifies the HMAC, under the same
//!   load generator;
//! - the relay at maximum rate and at a fixed 1,000 webhooks/s.
//!
//! Every webhook is a signed single-update envelope with a unique wamid. The
//! load generator is a minimal HTTP/1.1 keep-alive client over loopback (one
//! connection per concurrent sender), light enough to share two cores with
//! the server. Every phase is bounded in count and time.
//!
//! ```text
//! cargo run --release -p hourglass-relay --example relay-bench -- [--concurrency 128] [--requests 100000] [--seconds 10] [--db postgres://…]
//! ```
//!
//! With `--db postgres://user@host/dbname` the relay writes to that
//! PostgreSQL database (best an empty one) instead of a SQLite file; the
//! baselines stay the same.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use hourglass_relay::{Config, Database, Relay, store::WRITER_PRAGMAS};
use hourglass_whatsapp::signature;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "bench-app-secret";

struct Args {
    concurrency: usize,
    requests: usize,
    seconds: u64,
    rate: usize,
    rate_seconds: u64,
    db: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        concurrency: 128,
        requests: 100_000,
        seconds: 10,
        rate: 1_000,
        rate_seconds: 5,
        db: None,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    for pair in argv.chunks(2) {
        if pair[0] == "--db" {
            a.db = pair.get(1).cloned();
            continue;
        }
        let value = pair.get(1).and_then(|v| v.parse::<u64>().ok());
        let Some(v) = value else {
            eprintln!(
                "usage: relay-bench [--concurrency N] [--requests N] [--seconds S] [--rate N] [--rate-seconds S] [--db postgres://…]"
            );
            std::process::exit(2);
        };
        match pair[0].as_str() {
            "--concurrency" => a.concurrency = v as usize,
            "--requests" => a.requests = v as usize,
            "--seconds" => a.seconds = v.min(60),
            "--rate" => a.rate = v as usize,
            "--rate-seconds" => a.rate_seconds = v.min(60),
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        }
    }
    a
}

/// One pre-signed HTTP request per webhook, so signing is not load.
fn requests(prefix: &str, n: usize) -> Vec<Vec<u8>> {
    (0..n)
        .map(|i| {
            let body = format!(
                r#"{{"object":"whatsapp_business_account","entry":[{{"id":"102290129340398","changes":[{{"value":{{"messaging_product":"whatsapp","metadata":{{"display_phone_number":"15550783881","phone_number_id":"106540352242922"}},"contacts":[{{"profile":{{"name":"Sheena Nelson"}},"wa_id":"16505551234"}}],"messages":[{{"from":"16505551234","id":"wamid.{prefix}{i:010}","timestamp":"1749416383","type":"text","text":{{"body":"Hello, I would like to know the status of order SKB-{i}"}}}}]}},"field":"messages"}}]}}]}}"#
            );
            let sig = signature::sign(SECRET.as_bytes(), body.as_bytes());
            let mut req = format!(
                "POST /webhook HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n{}: {sig}\r\ncontent-length: {}\r\n\r\n",
                signature::HEADER,
                body.len()
            )
            .into_bytes();
            req.extend_from_slice(body.as_bytes());
            req
        })
        .collect()
}

/// A keep-alive HTTP/1.1 connection that sends one request at a time.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends `req` and returns the response status.
    async fn send(&mut self, req: &[u8]) -> std::io::Result<u16> {
        self.stream.write_all(req).await?;
        self.buf.clear();
        loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let head = std::str::from_utf8(&self.buf[..end]).map_err(std::io::Error::other)?;
                let status: u16 = head
                    .get(9..12)
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| std::io::Error::other("bad status line"))?;
                let len: usize = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse().ok())?
                    })
                    .unwrap_or(0);
                while self.buf.len() < end + 4 + len {
                    self.read_more().await?;
                }
                return Ok(status);
            }
            self.read_more().await?;
        }
    }

    async fn read_more(&mut self) -> std::io::Result<()> {
        let mut chunk = [0u8; 4096];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("connection closed"));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

struct Outcome {
    ok: usize,
    failed: usize,
    elapsed: Duration,
    latencies_us: Vec<u64>,
}

impl Outcome {
    fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    fn pct(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i] as f64 / 1000.0
    }

    fn line(&self, name: &str) -> String {
        format!(
            "| {name} | {:.0} | {:.2} | {:.2} | {:.2} | {} | {} |",
            self.rate(),
            self.pct(0.50),
            self.pct(0.99),
            self.latencies_us.last().copied().unwrap_or(0) as f64 / 1000.0,
            self.ok,
            self.failed
        )
    }
}

/// Closed loop: `concurrency` connections send as fast as answers come back.
async fn max_rate(
    addr: std::net::SocketAddr,
    reqs: Arc<Vec<Vec<u8>>>,
    concurrency: usize,
    limit: Duration,
) -> Outcome {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + limit;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let reqs = Arc::clone(&reqs);
            let next = Arc::clone(&next);
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut failed = 0;
                let Ok(mut conn) = Conn::open(addr).await else {
                    return (lat, 1);
                };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= reqs.len() || Instant::now() >= deadline {
                        break;
                    }
                    let t = Instant::now();
                    match conn.send(&reqs[i]).await {
                        Ok(200) => lat.push(t.elapsed().as_micros() as u64),
                        Ok(_) => failed += 1,
                        Err(_) => {
                            failed += 1;
                            match Conn::open(addr).await {
                                Ok(c) => conn = c,
                                Err(_) => break,
                            }
                        }
                    }
                }
                (lat, failed)
            })
        })
        .collect();
    collect(workers, start).await
}

/// Open loop at a fixed rate. Latency counts from the scheduled send time
/// when a sender is behind schedule, so a stall is not hidden (no
/// coordinated omission), and from the actual send otherwise, so timer
/// jitter is not charged to the server.
async fn fixed_rate(
    addr: std::net::SocketAddr,
    reqs: Arc<Vec<Vec<u8>>>,
    rate: usize,
    senders: usize,
) -> Outcome {
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let start = Instant::now() + Duration::from_millis(50);
    let workers: Vec<_> = (0..senders)
        .map(|w| {
            let reqs = Arc::clone(&reqs);
            tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut failed = 0;
                let Ok(mut conn) = Conn::open(addr).await else {
                    return (lat, 1);
                };
                let mut last_done = start;
                for i in (w..reqs.len()).step_by(senders) {
                    let scheduled = start + interval * i as u32;
                    tokio::time::sleep_until(scheduled.into()).await;
                    let from = if last_done > scheduled {
                        scheduled
                    } else {
                        Instant::now()
                    };
                    match conn.send(&reqs[i]).await {
                        Ok(200) => lat.push(from.elapsed().as_micros() as u64),
                        _ => failed += 1,
                    }
                    last_done = Instant::now();
                }
                (lat, failed)
            })
        })
        .collect();
    collect(workers, start).await
}

async fn collect(
    workers: Vec<tokio::task::JoinHandle<(Vec<u64>, usize)>>,
    start: Instant,
) -> Outcome {
    let mut latencies_us = Vec::new();
    let mut failed = 0;
    for w in workers {
        if let Ok((lat, f)) = w.await {
            latencies_us.extend(lat);
            failed += f;
        }
    }
    let elapsed = start.elapsed();
    latencies_us.sort_unstable();
    Outcome {
        ok: latencies_us.len(),
        failed,
        elapsed,
        latencies_us,
    }
}

/// The same table and pragmas as the relay's log, written directly.
/// Rows per second, and the commit latencies in microseconds (sorted).
fn raw_sqlite(
    dir: &std::path::Path,
    rows_per_tx: usize,
    max_rows: usize,
    limit: Duration,
) -> (f64, Vec<u64>) {
    let path = dir.join(format!("raw-{rows_per_tx}.db"));
    let mut conn = rusqlite::Connection::open(&path).expect("open raw db");
    conn.execute_batch(WRITER_PRAGMAS).expect("pragmas");
    conn.execute_batch(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE,
                              received_at_ms INTEGER NOT NULL, agent TEXT, payload TEXT NOT NULL)",
    )
    .expect("schema");
    let payload = String::from_utf8_lossy(&requests("raw", 1)[0]).into_owned();
    let payload = &payload[payload.find('{').unwrap_or(0)..];
    let start = Instant::now();
    let mut written = 0;
    let mut commits_us = Vec::new();
    while written < max_rows && start.elapsed() < limit {
        let t = Instant::now();
        let tx = conn.transaction().expect("begin");
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO events (kind, dedupe_key, received_at_ms, agent, payload)
                     VALUES ('webhook', ?1, 0, NULL, ?2) ON CONFLICT (dedupe_key) DO NOTHING RETURNING seq",
                )
                .expect("prepare");
            for _ in 0..rows_per_tx {
                let key = format!("msg:wamid.raw{written:010}");
                let _: Option<i64> = stmt
                    .query_row(rusqlite::params![key, payload], |r| r.get(0))
                    .ok();
                written += 1;
            }
        }
        tx.commit().expect("commit");
        commits_us.push(t.elapsed().as_micros() as u64);
    }
    commits_us.sort_unstable();
    (written as f64 / start.elapsed().as_secs_f64(), commits_us)
}

async fn verify_only(headers: HeaderMap, body: Bytes) -> StatusCode {
    let sig = headers.get(signature::HEADER).and_then(|v| v.to_str().ok());
    match signature::verify(SECRET.as_bytes(), &body, sig) {
        Ok(()) => StatusCode::OK,
        Err(_) => StatusCode::FORBIDDEN,
    }
}

fn machine() -> (usize, String) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    (cores, model)
}

/// Other work on the machine skews every figure; print it beside them.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn main() {
    let a = args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(a));
}

async fn run(a: Args) {
    let (cores, model) = machine();
    println!(
        "machine: {cores} cores, {model}; load average before: {}",
        loadavg()
    );
    println!(
        "load: {} concurrent keep-alive connections, up to {} single-update webhooks or {} s per max-rate phase; {} /s for {} s in the fixed-rate phase",
        a.concurrency, a.requests, a.seconds, a.rate, a.rate_seconds
    );
    let dir = tempfile::tempdir().expect("temp dir");

    // Raw SQLite, same pragmas.
    let batch = a.concurrency.max(1);
    let (raw_batched, batched_us) = tokio::task::block_in_place(|| {
        raw_sqlite(dir.path(), batch, 200_000, Duration::from_secs(5))
    });
    let (raw_single, single_us) =
        tokio::task::block_in_place(|| raw_sqlite(dir.path(), 1, 20_000, Duration::from_secs(3)));
    let ms = |v: &[u64], p: f64| {
        v.get(((v.len().max(1) - 1) as f64 * p).round() as usize)
            .map_or(f64::NAN, |us| *us as f64 / 1000.0)
    };
    println!();
    println!(
        "| raw SQLite insert (WAL, synchronous=FULL) | rows/s | commit p50 ms | commit p99 ms |"
    );
    println!("|---|---|---|---|");
    println!(
        "| {batch} rows per transaction | {raw_batched:.0} | {:.2} | {:.2} |",
        ms(&batched_us, 0.5),
        ms(&batched_us, 0.99)
    );
    println!(
        "| 1 row per transaction (one fsync each) | {raw_single:.0} | {:.2} | {:.2} |",
        ms(&single_us, 0.5),
        ms(&single_us, 0.99)
    );

    let reqs = Arc::new(requests("max", a.requests));
    let limit = Duration::from_secs(a.seconds);

    // No-storage baseline: verify the HMAC, answer 200.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let plain_addr = listener.local_addr().expect("addr");
    let plain = tokio::spawn(async move {
        let app = axum::Router::new().route("/webhook", axum::routing::post(verify_only));
        let _ = axum::serve(listener, app).await;
    });
    let baseline = max_rate(plain_addr, Arc::clone(&reqs), a.concurrency, limit).await;

    // The relay.
    let database = a.db.as_deref().map_or_else(
        || Database::Sqlite(dir.path().join("relay.db")),
        Database::parse,
    );
    let backend = match &database {
        Database::Sqlite(_) => "relay",
        Database::Postgres(_) => "relay on PostgreSQL",
    };
    let relay = Relay::open(Config::new(database, SECRET, "v")).expect("open relay");
    let head_before = relay.state().store().head().unwrap_or(0);
    let running = relay.start("127.0.0.1:0").await.expect("start relay");
    let addr = running.addr();
    // The steady phase runs first, so it measures steady traffic rather than
    // the write-back of the max-rate phase's burst.
    let rate_reqs = Arc::new(requests("rate", a.rate * a.rate_seconds as usize));
    let paced_baseline = fixed_rate(plain_addr, Arc::clone(&rate_reqs), a.rate, 32).await;
    let paced = fixed_rate(addr, rate_reqs, a.rate, 32).await;
    let commits_before = running.state().metrics().commits();
    let durable = max_rate(addr, Arc::clone(&reqs), a.concurrency, limit).await;
    let commits = running.state().metrics().commits() - commits_before;
    let head = running.state().store().head().unwrap_or(0);
    running.shutdown().await.expect("shutdown");
    plain.abort();

    println!();
    println!("| HTTP phase | webhooks/s | p50 ms | p99 ms | max ms | ok | failed |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "{}",
        baseline.line("no-storage axum handler (HMAC only), max rate")
    );
    println!("{}", durable.line(&format!("{backend}, durable, max rate")));
    println!(
        "{}",
        paced_baseline.line(&format!("no-storage handler at {}/s", a.rate))
    );
    println!("{}", paced.line(&format!("{backend} at {}/s", a.rate)));
    println!();
    println!(
        "{backend}: {} events in the log; max-rate phase committed {} webhooks in {} transactions (avg {:.1} per commit)",
        head.saturating_sub(head_before),
        durable.ok,
        commits,
        durable.ok as f64 / commits.max(1) as f64
    );
    println!("load average after: {}", loadavg());
    let expected = (durable.ok + paced.ok) as u64;
    if head.saturating_sub(head_before) != expected {
        println!(
            "WARNING: {expected} webhooks were acknowledged but the log grew by {} events",
            head.saturating_sub(head_before)
        );
    }
}
