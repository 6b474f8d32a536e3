//! The desktop app's benchmark: a profile with 10,000 conversations and
//! 1,000,000 messages, the real window driven over WebDriver.
//!
//! Run it under a display and a session bus, with the release app built by
//! the Tauri CLI (`npx --prefix ui tauri build --no-bundle`):
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!   cargo run --release --features tauri/custom-protocol --example app-bench
//! ```
//!
//! What it measures, over `--launches` launches (3 by default) of the app on
//! the same seeded profile:
//!
//! - **seeding**: writing the profile through the core store API, in
//!   transactions of 20,000 messages;
//! - **cold start**: from just before the driver and the app are started
//!   until the first conversation row is rendered (the inbox is interactive);
//! - **opening a 5,000-message chat**: from the click on "Long Chat Lina"
//!   until its newest message bubble is rendered (the UI reads the newest
//!   page of a chat and renders the bubbles in view), timed twice: from
//!   just before the driver is asked to click, and from the click in the
//!   page, which leaves out the driver's round trip;
//! - **memory at rest**: `Pss` (from `/proc/<pid>/smaps_rollup`) and
//!   `VmRSS` of the app process and of its WebKit child processes after 5 s
//!   without input, with the inbox shown and again with the long chat open;
//! - **the floor**: a hello-world Tauri window (`floor-window`, built beside
//!   this benchmark) started directly and measured the same way, as it is
//!   and with the single-document cache model; the app's PSS is reported
//!   above that floor;
//! - **cold start without the driver**: the app started directly
//!   [`DIRECT_LAUNCHES`] times, from just before the process starts until
//!   its "inbox interactive" log mark arrives (p50 and p95), and its PSS at
//!   rest with the inbox shown.
//!
//! "Rendered" is the next animation frame after the element entered the
//! DOM, timed in the page with the wall clock the benchmark uses too.
//!
//! The app binary is `HOURGLASS_APP_BINARY` when set, else `hourglass` in
//! the release folder beside this example's own folder
//! (`$CARGO_TARGET_DIR/release/hourglass`); the floor window is
//! `HOURGLASS_FLOOR_BINARY` when set. Every wait is bounded, and a
//! watchdog ends the run (and the app it started) after `--timeout` seconds.
//! The last line of the output holds every figure as `key=value`.

use hourglass_core::inbox::{ConversationId, Direction};
use hourglass_core::store::{NewContact, NewMessage, Store};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

#[macro_use]
#[path = "common.rs"]
mod common;

// The harness wraps its binary path in `PathBuf::from`, which is a no-op on
// the `PathBuf` the `env!` macro of `common` gives.
#[path = "direct.rs"]
mod direct;
#[allow(dead_code, clippy::useless_conversion)]
#[path = "../e2e/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../e2e/seed.rs"]
mod seed;

use common::{
    AWAIT_RENDERED, Args, Memory, PROFILE, PerProcess, Res, at_rest, bench_main, cpu_model,
    descendants, loadavg, wait_gone, wall_ms,
};
use harness::App;

const CONVERSATIONS: usize = 10_000;
const MESSAGES: usize = 1_000_000;
const LONG_CHAT: &str = "Long Chat Lina";
const LONG_CHAT_MESSAGES: usize = 5_000;
const BATCH: usize = 20_000;
/// The most bubbles the UI has rendered for an open chat (before the list
/// was virtualised, the newest 500; now those in view).
const UI_PAGE: usize = 500;
/// Seconds between two seeded messages: 1,000,000 of them span a year.
const STEP_S: i64 = 30;
/// The longest any one timed wait in the page may last.
const PAGE_WAIT_MS: u64 = 25_000;
const MIB: f64 = 1024.0 * 1024.0;
/// How many times the app is started without the driver.
const DIRECT_LAUNCHES: usize = 10;

fn main() {
    bench_main("app-bench", "--launches", 3, 20, run);
}
async fn run(a: Args) -> Res<()> {
    println!(
        "machine: {} cores, {}; load average before: {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        loadavg()
    );
    let binary = harness::app_binary();
    if !binary.exists() {
        return Err(format!(
            "the app binary {} does not exist: build it with `npx --prefix ui tauri build --no-bundle` or set HOURGLASS_APP_BINARY",
            binary.display()
        ));
    }
    println!("app binary: {}", binary.display());

    let data = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let _ = PROFILE.set(data.path().to_owned());
    let seeded = seed_profile(data.path())?;
    let db = data.path().join(hourglass_core::store::FILE_NAME);
    let db_mib = std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / MIB);
    println!(
        "seed: {CONVERSATIONS} conversations, {MESSAGES} messages ({LONG_CHAT}: {LONG_CHAT_MESSAGES}) in {:.1} s = {:.0} messages/s, {} transactions of up to {BATCH}; database {db_mib:.0} MiB",
        seeded.seconds,
        MESSAGES as f64 / seeded.seconds,
        MESSAGES.div_ceil(BATCH)
    );

    // The floor, then the app, started directly (no driver).
    let floor = direct::floor_binary();
    if !floor.exists() {
        return Err(format!(
            "the floor window {} does not exist: build the example floor-window with the app, or set HOURGLASS_FLOOR_BINARY",
            floor.display()
        ));
    }
    let scratch = data.path().join("xdg");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("create {}: {e}", scratch.display()))?;
    let mut floors = Vec::new();
    let mut floors_dv = Vec::new();
    for launch in 1..=a.count {
        let (plain, plain_kinds) = direct::launch_floor(&floor, &[], &scratch)?;
        let (dv, _) = direct::launch_floor(&floor, &["--document-viewer"], &scratch)?;
        println!(
            "floor {launch}: {}; with the document-viewer cache model: {}",
            plain.describe(),
            dv.describe()
        );
        if launch == 1 {
            print!("{plain_kinds}");
        }
        floors.push(plain);
        floors_dv.push(dv);
    }
    let mut interactive = Vec::new();
    let mut app_marks = Vec::new();
    let mut mem_direct = Vec::new();
    for launch in 1..=DIRECT_LAUNCHES {
        let r = direct::launch_app(&binary, data.path(), &scratch, launch == 1)?;
        println!(
            "direct launch {launch}: inbox interactive {:.0} ms after exec (the app's own mark: {}; before it: {}); at rest: {}",
            r.interactive_ms,
            r.app_mark_ms
                .map_or_else(|| "not logged".to_owned(), |ms| format!("{ms:.0} ms")),
            if r.timeline.is_empty() {
                "no marks"
            } else {
                &r.timeline
            },
            r.memory.describe()
        );
        if let Some(kinds) = &r.by_kind {
            print!("{kinds}");
        }
        interactive.push(r.interactive_ms);
        app_marks.extend(r.app_mark_ms);
        mem_direct.push(r.memory);
    }

    let mut cold = Vec::new();
    let mut open = Vec::new();
    let mut open_page = Vec::new();
    let mut mem_inbox = Vec::new();
    let mut mem_chat = Vec::new();
    for launch in 1..=a.count {
        let r = one_launch(data.path(), &seeded, launch == 1).await?;
        println!(
            "launch {launch}: cold start {:.0} ms (WebDriver session open after {:.0} ms{}); {} rows shown; open {LONG_CHAT} {:.0} ms, {:.0} ms from the click in the page ({} bubbles); at rest, inbox: {}; chat open: {}",
            r.cold_ms,
            r.session_ms,
            if r.already_rendered {
                ", rows already there: an upper bound"
            } else {
                ""
            },
            r.rows,
            r.open_ms,
            r.open_page_ms,
            r.bubbles,
            r.mem_inbox.describe(),
            r.mem_chat.describe()
        );
        cold.push(r.cold_ms);
        open.push(r.open_ms);
        open_page.push(r.open_page_ms);
        mem_inbox.push(r.mem_inbox);
        mem_chat.push(r.mem_chat);
    }
    for v in [
        &mut cold,
        &mut open,
        &mut open_page,
        &mut interactive,
        &mut app_marks,
    ] {
        v.sort_by(f64::total_cmp);
    }
    let median = |v: &[f64]| v.get((v.len() - 1) / 2).copied().unwrap_or(f64::NAN);
    let max = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
    // The median over launches of one figure of one process kind.
    let pick = |v: &[Memory], kind: fn(&Memory) -> PerProcess, f: fn(&PerProcess) -> f64| {
        let mut x: Vec<f64> = v.iter().map(|m| f(&kind(m))).collect();
        x.sort_by(f64::total_cmp);
        median(&x)
    };
    let rss = |m: &Memory| m.rss;
    let pss = |m: &Memory| m.pss;
    println!();
    println!(
        "| app, {CONVERSATIONS} conversations / {MESSAGES} messages | launches | p50 | p95 | max |"
    );
    println!("|---|---|---|---|---|");
    println!(
        "| cold start without the driver: exec → \"inbox interactive\" log mark (ms) | {DIRECT_LAUNCHES} | {:.0} | {:.0} | {:.0} |",
        median(&interactive),
        direct::quantile(&interactive, 0.95),
        max(&interactive)
    );
    if !app_marks.is_empty() {
        println!(
            "| the app's own start mark → interactive mark (ms) | {} | {:.0} | {:.0} | {:.0} |",
            app_marks.len(),
            median(&app_marks),
            direct::quantile(&app_marks, 0.95),
            max(&app_marks)
        );
    }
    println!(
        "| cold start with the driver, to the first conversation row (ms) | {} | {:.0} | | {:.0} |",
        a.count,
        median(&cold),
        max(&cold)
    );
    println!(
        "| open the {LONG_CHAT_MESSAGES}-message chat to its newest bubble, from asking the driver to click (ms) | {} | {:.0} | | {:.0} |",
        a.count,
        median(&open),
        max(&open)
    );
    println!(
        "| open the {LONG_CHAT_MESSAGES}-message chat to its newest bubble, from the click in the page (ms) | {} | {:.0} | | {:.0} |",
        a.count,
        median(&open_page),
        max(&open_page)
    );
    println!();
    println!(
        "| memory at rest (MiB, median of launches) | PSS app | PSS WebKitWebProcess | PSS WebKitNetworkProcess | **PSS all** | above the floor | RSS all |"
    );
    println!("|---|---|---|---|---|---|---|");
    let floor_pss = pick(&floors, pss, PerProcess::total);
    for (name, v) in [
        ("floor: hello-world Tauri window, direct", &floors),
        (
            "floor with the document-viewer cache model, direct",
            &floors_dv,
        ),
        ("Hourglass, inbox shown, direct", &mem_direct),
        ("Hourglass, inbox shown, under the driver", &mem_inbox),
        (
            "Hourglass, 5,000-message chat open, under the driver",
            &mem_chat,
        ),
    ] {
        let all = pick(v, pss, PerProcess::total);
        println!(
            "| {name} | {:.0} | {:.0} | {:.0} | **{all:.0}** | {:+.0} | {:.0} |",
            pick(v, pss, |p| p.app),
            pick(v, pss, |p| p.web),
            pick(v, pss, |p| p.network),
            all - floor_pss,
            pick(v, rss, PerProcess::total)
        );
    }
    println!("load average after: {}", loadavg());
    println!(
        "app-bench result: seed_s={:.1} interactive_ms_p50={:.0} interactive_ms_p95={:.0} app_mark_ms_p50={:.0} cold_start_ms_p50={:.0} cold_start_ms_max={:.0} open_chat_ms_p50={:.0} open_chat_ms_max={:.0} open_chat_page_ms_p50={:.0} open_chat_page_ms_max={:.0} pss_floor_mib={floor_pss:.0} pss_floor_dv_mib={:.0} pss_inbox_mib={:.0} pss_inbox_driver_mib={:.0} pss_chat_mib={:.0} pss_inbox_above_floor_mib={:.0} pss_chat_above_floor_mib={:.0} rss_app_mib={:.0} rss_web_mib={:.0} rss_network_mib={:.0} rss_chat_app_mib={:.0} rss_chat_web_mib={:.0} launches={} direct_launches={DIRECT_LAUNCHES}",
        seeded.seconds,
        median(&interactive),
        direct::quantile(&interactive, 0.95),
        median(&app_marks),
        median(&cold),
        max(&cold),
        median(&open),
        max(&open),
        median(&open_page),
        max(&open_page),
        pick(&floors_dv, pss, PerProcess::total),
        pick(&mem_direct, pss, PerProcess::total),
        pick(&mem_inbox, pss, PerProcess::total),
        pick(&mem_chat, pss, PerProcess::total),
        pick(&mem_direct, pss, PerProcess::total) - floor_pss,
        pick(&mem_chat, pss, PerProcess::total) - floor_pss,
        pick(&mem_inbox, rss, |p| p.app),
        pick(&mem_inbox, rss, |p| p.web),
        pick(&mem_inbox, rss, |p| p.network),
        pick(&mem_chat, rss, |p| p.app),
        pick(&mem_chat, rss, |p| p.web),
        a.count
    );
    Ok(())
}

struct Seeded {
    seconds: f64,
    /// The wamid of the long chat's newest message (the newest of all).
    newest_wamid: String,
}

/// Writes the profile through the core store API, the way the sync engine
/// does: contacts and conversations first, then the messages in time order,
/// interleaved across conversations as they would arrive.
fn seed_profile(dir: &Path) -> Res<Seeded> {
    let started = Instant::now();
    let mut store = Store::open_in_dir(dir).map_err(|e| format!("open the store: {e}"))?;
    let conversations: Vec<ConversationId> = store
        .write(|w| {
            (0..CONVERSATIONS)
                .map(|i| {
                    let name = if i == 0 {
                        LONG_CHAT.to_owned()
                    } else {
                        format!("Customer {i:05}")
                    };
                    let contact = w.upsert_contact(&NewContact {
                        phone: Some(format!("4477009{i:05}")),
                        user_id: None,
                        name: Some(name),
                        username: None,
                    })?;
                    w.conversation_for(contact, seed::PHONE_NUMBER_ID)
                })
                .collect()
        })
        .map_err(|e| format!("seed the conversations: {e}"))?;

    // Which conversation each message goes to: the long chat 5,000 times,
    // the others 99 or 100 times each, shuffled; the newest is the long
    // chat's, so it tops the list.
    let others = CONVERSATIONS - 1;
    let rest = MESSAGES - LONG_CHAT_MESSAGES;
    let mut order: Vec<u32> = Vec::with_capacity(MESSAGES);
    order.extend(std::iter::repeat_n(0u32, LONG_CHAT_MESSAGES));
    for c in 1..CONVERSATIONS {
        let n = rest / others + usize::from(c - 1 < rest % others);
        order.extend(std::iter::repeat_n(c as u32, n));
    }
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for i in (1..order.len()).rev() {
        order.swap(i, (rng.next() % (i as u64 + 1)) as usize);
    }
    if let Some(last_lina) = order.iter().rposition(|&c| c == 0) {
        let end = order.len() - 1;
        order.swap(last_lina, end);
    }

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs() as i64;
    let first_at = now - MESSAGES as i64 * STEP_S;
    for (b, chunk) in order.chunks(BATCH).enumerate() {
        store
            .write(|w| {
                for (j, &c) in chunk.iter().enumerate() {
                    let k = b * BATCH + j;
                    let inbound = !rng.next().is_multiple_of(3);
                    let body = if inbound {
                        format!(
                            "Hello, a question about order #{} (message {k})",
                            k * 7919 % 100_000
                        )
                    } else {
                        format!(
                            "Thanks for writing! Order #{} ships tomorrow. (message {k})",
                            k * 7919 % 100_000
                        )
                    };
                    w.insert_message(&NewMessage {
                        wamid: format!("wamid.bench.{k}").into(),
                        conversation_id: conversations[c as usize],
                        direction: if inbound {
                            Direction::Inbound
                        } else {
                            Direction::Outbound
                        },
                        kind: "text".into(),
                        body,
                        payload: None,
                        sent_at: first_at + k as i64 * STEP_S,
                        status: None,
                        reply_to_wamid: None,
                    })?;
                }
                Ok(())
            })
            .map_err(|e| format!("seed messages, batch {b}: {e}"))?;
    }
    let (messages, long): (i64, i64) = store
        .with_connection(|c| {
            Ok(c.query_row(
                "SELECT (SELECT COUNT(*) FROM messages),
                        (SELECT COUNT(*) FROM messages WHERE conversation_id = ?1)",
                [conversations[0]],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .map_err(|e| format!("count the seeded messages: {e}"))?;
    drop(store);
    if messages as usize != MESSAGES || long as usize != LONG_CHAT_MESSAGES {
        return Err(format!(
            "seeded {messages} messages ({long} in {LONG_CHAT}), expected {MESSAGES} ({LONG_CHAT_MESSAGES})"
        ));
    }
    Ok(Seeded {
        seconds: started.elapsed().as_secs_f64(),
        newest_wamid: format!("wamid.bench.{}", MESSAGES - 1),
    })
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

struct Launch {
    cold_ms: f64,
    session_ms: f64,
    already_rendered: bool,
    rows: u64,
    open_ms: f64,
    /// From the click in the page, without the driver's round trip.
    open_page_ms: f64,
    bubbles: u64,
    mem_inbox: Memory,
    mem_chat: Memory,
}

/// In the page: resolves with the wall-clock time (ms) of the first
/// animation frame after `selector` matched, and whether it matched at once.
const WAIT_RENDERED: &str = r#"
const [selector, limitMs] = arguments;
window.__hourglassBench = new Promise((resolve) => {
  let settled = false;
  const finish = (already) => {
    if (settled) return;
    settled = true;
    const domAt = Date.now();
    let framed = false;
    const frame = () => {
      if (framed) return;
      framed = true;
      resolve({ ok: true, already, domAt, at: Date.now(),
                count: document.querySelectorAll(selector).length });
    };
    requestAnimationFrame(frame);
    setTimeout(frame, 1000);
  };
  if (document.querySelector(selector)) { finish(true); return; }
  const observer = new MutationObserver(() => {
    if (document.querySelector(selector)) { observer.disconnect(); finish(false); }
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(() => {
    observer.disconnect();
    if (!settled) { settled = true; resolve({ ok: false }); }
  }, limitMs);
});
return true;
"#;

async fn arm(app: &App, selector: &str) -> Res<()> {
    let armed = tokio::time::timeout(
        Duration::from_secs(10),
        app.client.execute(
            WAIT_RENDERED,
            vec![selector.into(), serde_json::Value::from(PAGE_WAIT_MS)],
        ),
    )
    .await
    .map_err(|_| format!("the page did not answer within 10 s (waiting for {selector})"))?
    .map_err(|e| format!("install the wait for {selector}: {e}"))?;
    if armed != serde_json::Value::Bool(true) {
        return Err(format!(
            "installing the wait for {selector} answered {armed}"
        ));
    }
    Ok(())
}

/// Waits for the promise [`arm`] set up; answers (wall-clock ms, already
/// there, how many matched).
async fn rendered(app: &App, what: &str) -> Res<(f64, bool, u64)> {
    let v = tokio::time::timeout(
        Duration::from_millis(PAGE_WAIT_MS + 5_000),
        app.client.execute_async(AWAIT_RENDERED, vec![]),
    )
    .await
    .map_err(|_| format!("{what}: no answer from the page"))?
    .map_err(|e| format!("{what}: {e}"))?;
    if v.get("ok") != Some(&serde_json::Value::Bool(true)) {
        let shot = app.screenshot("bench-timeout").await;
        return Err(format!(
            "{what} did not happen within {PAGE_WAIT_MS} ms ({v}); screenshot at {}",
            shot.display()
        ));
    }
    let at = v.get("at").and_then(serde_json::Value::as_f64);
    let already = v.get("already").and_then(serde_json::Value::as_bool);
    let count = v.get("count").and_then(serde_json::Value::as_u64);
    match (at, already, count) {
        (Some(at), Some(already), Some(count)) => Ok((at, already, count)),
        _ => Err(format!("{what}: unexpected answer {v}")),
    }
}

async fn one_launch(data: &Path, seeded: &Seeded, first: bool) -> Res<Launch> {
    let before = wall_ms();
    let app = App::launch(data, &[]).await;
    let session_ms = wall_ms() - before;
    let row = harness::testid("conversation-item");
    // The session may open while the window is still loading its page; a
    // wait installed in a page that is then replaced is tried again.
    let mut attempt = 0;
    let (shown_at, already_rendered, rows) = loop {
        attempt += 1;
        let seen = match arm(&app, &row).await {
            Ok(()) => rendered(&app, "the first conversation row").await,
            Err(e) => Err(e),
        };
        match seen {
            Ok(seen) => break seen,
            Err(e) if attempt < 5 => {
                eprintln!("waiting for the inbox, attempt {attempt}: {e}; trying again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e),
        }
    };
    let cold_ms = shown_at - before;

    let (app_pid, mem_inbox) = at_rest().await?;
    if first {
        let shot = app.screenshot("bench-inbox").await;
        println!("screenshot of the inbox: {}", shot.display());
    }

    let bubble = format!(
        "{}[data-wamid=\"{}\"]",
        harness::testid("message-bubble"),
        seeded.newest_wamid
    );
    arm(&app, &bubble).await?;
    let clicked_at = wall_ms();
    let Some(page_clicked_at) = app.click_conversation_at(LONG_CHAT).await else {
        let shot = app.screenshot("bench-no-long-chat").await;
        return Err(format!(
            "{LONG_CHAT} is not in the list; screenshot at {}",
            shot.display()
        ));
    };
    let (open_at, _, _) = rendered(&app, "the long chat's newest message").await?;
    let open_ms = open_at - clicked_at;
    let open_page_ms = open_at - page_clicked_at;
    let bubbles = app.all_testid("message-bubble").await.len() as u64;
    if bubbles == 0 || bubbles > UI_PAGE as u64 {
        return Err(format!(
            "the long chat shows {bubbles} bubbles, expected 1 to {UI_PAGE}"
        ));
    }
    let (_, mem_chat) = at_rest().await?;
    if first {
        print!(
            "with the long chat open:\n{}",
            common::describe_by_kind(app_pid)?
        );
        let shot = app.screenshot("bench-long-chat").await;
        println!("screenshot of the long chat: {}", shot.display());
    }
    let family = descendants(app_pid);
    app.close().await;
    // The app's WebKit processes go with it; check, boundedly.
    wait_gone(&family).await?;
    Ok(Launch {
        cold_ms,
        session_ms,
        already_rendered,
        rows,
        open_ms,
        open_page_ms,
        bubbles,
        mem_inbox,
        mem_chat,
    })
}
