//! The media benchmark: a chat of 200 customer photos in the real window,
//! driven over WebDriver, in demo mode (the app runs the Cloud API simulator
//! and the relay on loopback).
//!
//! Run it under a display and a session bus, with the release app built by
//! the Tauri CLI (`npx --prefix ui tauri build --no-bundle`):
//!
//! ```sh
//! xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
//!   cargo run --release --features tauri/custom-protocol --example media-bench
//! ```
//!
//! Each of `--rounds` rounds (3 by default) starts the app on a new profile
//! and posts 200 photos from one customer to the simulator's
//! `/_sim/inbound`: each goes webhook → relay → desktop store as Meta's
//! would, and its bytes (a PNG the simulator generates per media id) are
//! fetched only when its bubble comes into view. It then measures:
//!
//! - **RSS with the chat closed**: `VmRSS` of the app and its WebKit
//!   processes after 5 s without input, the inbox shown and no chat open;
//! - **first image**: from the click on the photo chat until the first
//!   `message-image` in the visible part of the chat has a non-zero
//!   `naturalWidth` (its pixels were fetched and decoded);
//! - **RSS with the chat open** (newest photos in view), and again after
//!   scrolling to the top of the chat one screen at a time (at most
//!   [`SCROLL_STEPS`] steps), with how many photos were fetched by then;
//! - **RSS after a second pass**: scrolled back to the newest photo and up
//!   to the top again. Memory that kept every photo ever shown would grow
//!   again; memory bounded by the web engine's caches stays put.
//!
//! `HOURGLASS_BENCH_PHOTOS` sets another number of photos (1 to 1,000), to
//! compare a chat twice as long; `HOURGLASS_BENCH_PASSES` the passes through
//! the chat (2 to 10, 2 by default), with RSS after each one past the
//! second, to see whether memory levels off over a long session.
//!
//! Every wait is bounded, and a watchdog ends the run (and the app it
//! started) after `--timeout` seconds. The last line of the output holds
//! every figure as `key=value`.

use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

#[macro_use]
#[path = "common.rs"]
mod common;

// The harness wraps its binary path in `PathBuf::from`, which is a no-op on
// the `PathBuf` the `env!` macro of `common` gives.
#[allow(dead_code, clippy::useless_conversion)]
#[path = "../e2e/harness.rs"]
mod harness;

use common::{
    AWAIT_RENDERED, Args, Memory, PROFILE, PerProcess, Res, at_rest, bench_main, cpu_model,
    descendants, loadavg, wait_gone, wall_ms,
};
use harness::App;

/// Photos in the chat: 200, or `HOURGLASS_BENCH_PHOTOS` (1 to 1,000).
fn photos() -> usize {
    count_from_env("HOURGLASS_BENCH_PHOTOS", 1..=1000, 200)
}
/// Passes up to the chat's top: 2, or `HOURGLASS_BENCH_PASSES` (2 to 10).
fn passes() -> usize {
    count_from_env("HOURGLASS_BENCH_PASSES", 2..=10, 2)
}

/// The number in the environment variable `name` when it is in `range`,
/// else `default`.
fn count_from_env(name: &str, range: std::ops::RangeInclusive<usize>, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| range.contains(n))
        .unwrap_or(default)
}
const CHAT: &str = "Photo Chat Pia";
const FROM: &str = "+351912349200";
/// The most screens scrolled on the way to either end of the chat.
const SCROLL_STEPS: usize = 400;
/// The pause after each screen scrolled, for the photos it shows to load.
const SCROLL_PAUSE: Duration = Duration::from_millis(250);
/// The longest any one timed wait in the page may last.
const PAGE_WAIT_MS: u64 = 25_000;
/// How long the photos may take to reach the desktop store.
const ARRIVAL: Duration = Duration::from_secs(120);

fn main() {
    bench_main("media-bench", "--rounds", 3, 10, run);
}

/// Picks one of a round's memory readings.
type Phase = fn(&Round) -> PerProcess;

struct Round {
    seed_s: f64,
    first_image_ms: f64,
    loaded_at_open: u64,
    steps: usize,
    loaded_at_top: u64,
    closed: Memory,
    open: Memory,
    scrolled: Memory,
    /// After scrolling back to the newest photo and up to the top again.
    second: Memory,
    /// After each further pass (the third and on).
    later: Vec<Memory>,
}

async fn run(a: Args) -> Res<()> {
    let photos = photos();
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
    let profiles = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let _ = PROFILE.set(profiles.path().to_owned());

    let mut rounds = Vec::new();
    for round in 1..=a.count {
        let dir = profiles.path().join(format!("round-{round}"));
        std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        let r = one_round(&dir, round == 1, photos).await?;
        println!(
            "round {round}: {photos} photos posted in {:.1} s; first image {:.0} ms after the click ({} of {photos} fetched at open); top reached in {} steps ({} fetched); memory, chat closed: {}; open: {}; scrolled to the top: {}; after a second pass: {}",
            r.seed_s,
            r.first_image_ms,
            r.loaded_at_open,
            r.steps,
            r.loaded_at_top,
            r.closed.describe(),
            r.open.describe(),
            r.scrolled.describe(),
            r.second.describe()
        );
        for (i, m) in r.later.iter().enumerate() {
            println!("round {round}: after pass {}: {}", i + 3, m.describe());
        }
        rounds.push(r);
    }

    let median = |f: fn(&Round) -> f64| {
        let mut v: Vec<f64> = rounds.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v.get((v.len() - 1) / 2).copied().unwrap_or(f64::NAN)
    };
    let max = |f: fn(&Round) -> f64| rounds.iter().map(f).fold(f64::NAN, f64::max);
    println!();
    println!("| {photos}-photo chat, {} rounds | p50 | max |", a.count);
    println!("|---|---|---|");
    println!(
        "| click → first visible image decoded (ms) | {:.0} | {:.0} |",
        median(|r| r.first_image_ms),
        max(|r| r.first_image_ms)
    );
    println!(
        "| photos fetched when the chat opened | {:.0} | {:.0} |",
        median(|r| r.loaded_at_open as f64),
        max(|r| r.loaded_at_open as f64)
    );
    println!(
        "| photos fetched after scrolling to the top | {:.0} | {:.0} |",
        median(|r| r.loaded_at_top as f64),
        max(|r| r.loaded_at_top as f64)
    );
    println!();
    println!(
        "| RSS at rest (MiB, median of rounds) | app | WebKitWebProcess | WebKitNetworkProcess | all |"
    );
    println!("|---|---|---|---|---|");
    let phases: [(&str, Phase); 4] = [
        ("inbox shown, no chat open", |r| r.closed.rss),
        ("photo chat open (newest in view)", |r| r.open.rss),
        ("scrolled to the chat's top", |r| r.scrolled.rss),
        ("back to the newest and up to the top again", |r| {
            r.second.rss
        }),
    ];
    let mut result = String::new();
    for (i, (name, phase)) in phases.iter().enumerate() {
        let pick = |f: fn(&PerProcess) -> f64| {
            let mut v: Vec<f64> = rounds.iter().map(|r| f(&phase(r))).collect();
            v.sort_by(f64::total_cmp);
            v.get((v.len() - 1) / 2).copied().unwrap_or(f64::NAN)
        };
        let (app, web, net, all) = (
            pick(|r| r.app),
            pick(|r| r.web),
            pick(|r| r.network),
            pick(PerProcess::total),
        );
        println!("| {name} | {app:.0} | {web:.0} | {net:.0} | {all:.0} |");
        let key = ["closed", "open", "top", "second"][i];
        result.push_str(&format!(
            " rss_{key}_app_mib={app:.0} rss_{key}_web_mib={web:.0} rss_{key}_all_mib={all:.0}"
        ));
    }
    for pass in 3..=passes() {
        let mut v: Vec<f64> = rounds
            .iter()
            .filter_map(|r| r.later.get(pass - 3).map(|m| m.rss.web))
            .collect();
        v.sort_by(f64::total_cmp);
        if let Some(web) = v.get((v.len().max(1) - 1) / 2) {
            println!("| after pass {pass} | | {web:.0} | | |");
            result.push_str(&format!(" rss_pass{pass}_web_mib={web:.0}"));
        }
    }
    println!("load average after: {}", loadavg());
    println!(
        "media-bench result: first_image_ms_p50={:.0} first_image_ms_max={:.0} fetched_at_open={:.0} fetched_at_top={:.0}{result} photos={photos} rounds={}",
        median(|r| r.first_image_ms),
        max(|r| r.first_image_ms),
        median(|r| r.loaded_at_open as f64),
        median(|r| r.loaded_at_top as f64),
        a.count
    );
    Ok(())
}

async fn one_round(dir: &Path, first: bool, photos: usize) -> Res<Round> {
    let app = App::launch(dir, &[("HOURGLASS_DEMO", "1")]).await;
    let sim = simulator_url(dir).await?;
    wait_for(&app, "the demo inbox", Duration::from_secs(90), || async {
        Ok((app.all_testid("conversation-item").await.len() >= 10).then_some(()))
    })
    .await?;

    // The photos, oldest first, each through the simulator's webhook.
    let started = Instant::now();
    let http = reqwest::Client::new();
    for i in 1..=photos {
        let reply = http
            .post(format!("{sim}/_sim/inbound"))
            .json(&json!({
                "from": FROM,
                "name": CHAT,
                "image": {"caption": format!("Bench photo {i} of {photos}")},
            }))
            .send()
            .await
            .map_err(|e| format!("post photo {i}: {e}"))?;
        if !reply.status().is_success() {
            return Err(format!(
                "the simulator refused photo {i}: {}",
                reply.status()
            ));
        }
    }
    let seed_s = started.elapsed().as_secs_f64();
    // Delivered in order: the newest photo in the row's preview means all
    // of them are in the store.
    let newest = format!("{photos} of {photos}");
    wait_for(&app, "the photos in the store", ARRIVAL, || async {
        Ok(app
            .texts_of("conversation-preview")
            .await
            .iter()
            .any(|p| p.contains(&newest))
            .then_some(()))
    })
    .await?;

    let (app_pid, closed) = at_rest().await?;

    arm_first_image(&app).await?;
    let clicked_at = wall_ms();
    if !app.click_conversation(CHAT).await {
        let shot = app.screenshot("bench-no-photo-chat").await;
        return Err(format!(
            "{CHAT} is not in the list; screenshot at {}",
            shot.display()
        ));
    }
    let first_image_ms = first_image(&app).await? - clicked_at;
    let bubbles = app.all_testid("message-bubble").await.len();
    // All of them, or (a virtualised list) those in view.
    if bubbles == 0 || bubbles > photos {
        return Err(format!(
            "the photo chat shows {bubbles} bubbles, expected 1 to {photos}"
        ));
    }
    let (_, open) = at_rest().await?;
    let loaded_at_open = loaded_images(&app).await?;
    if first {
        let shot = app.screenshot("bench-photo-chat").await;
        println!("screenshot of the photo chat: {}", shot.display());
    }

    let steps = scroll_to_end(&app, Toward::Oldest, first).await?;
    let (_, scrolled) = at_rest().await?;
    let loaded_at_top = loaded_images(&app).await?;
    if first {
        let shot = app.screenshot("bench-photo-chat-top").await;
        println!("screenshot of the photo chat's top: {}", shot.display());
        print!(
            "scrolled to the top:\n{}",
            common::describe_by_kind(app_pid)?
        );
    }
    // Memory that grows with every photo ever shown would grow again here;
    // memory bounded by WebKit's caches stays where the first pass left it.
    scroll_to_end(&app, Toward::Newest, false).await?;
    scroll_to_end(&app, Toward::Oldest, false).await?;
    let (_, second) = at_rest().await?;
    let mut later = Vec::new();
    for _ in 3..=passes() {
        scroll_to_end(&app, Toward::Newest, false).await?;
        scroll_to_end(&app, Toward::Oldest, false).await?;
        later.push(at_rest().await?.1);
    }

    let family = descendants(app_pid);
    app.close().await;
    wait_gone(&family).await?;
    Ok(Round {
        seed_s,
        first_image_ms,
        loaded_at_open,
        steps,
        loaded_at_top,
        closed,
        open,
        scrolled,
        second,
        later,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Toward {
    Oldest,
    Newest,
}

/// Scrolls the message list one screen at a time, [`SCROLL_PAUSE`] apart,
/// until the chat's own end: a paged list says with `data-older` and
/// `data-newer` that it holds messages still to read beyond what it shows.
/// Returns the screens scrolled.
async fn scroll_to_end(app: &App, toward: Toward, verbose: bool) -> Res<usize> {
    let script = match toward {
        Toward::Oldest => {
            "const l = document.querySelector('[data-testid=message-list]');
             l.scrollTop = Math.max(0, l.scrollTop - l.clientHeight);
             return [l.scrollTop <= 0 && l.dataset.older !== 'true', l.scrollTop];"
        }
        Toward::Newest => {
            "const l = document.querySelector('[data-testid=message-list]');
             l.scrollTop = Math.min(l.scrollHeight, l.scrollTop + l.clientHeight);
             const end = l.scrollTop + l.clientHeight >= l.scrollHeight - 2;
             return [end && l.dataset.newer !== 'true', l.scrollTop];"
        }
    };
    for step in 1..=SCROLL_STEPS {
        let place = js(app, script).await?;
        let at = place[1]
            .as_f64()
            .ok_or("the message list did not answer its scroll position")?;
        tokio::time::sleep(SCROLL_PAUSE).await;
        if verbose && step % 10 == 0 {
            println!("scrolled {step} screens: {at:.0} px from the top");
        }
        if place[0] == Value::Bool(true) {
            return Ok(step);
        }
    }
    let end = match toward {
        Toward::Oldest => "top",
        Toward::Newest => "newest message",
    };
    Err(format!(
        "the chat's {end} was not reached in {SCROLL_STEPS} screens"
    ))
}

/// The simulator's address, from the demo's `endpoints.json`.
async fn simulator_url(dir: &Path) -> Res<String> {
    let file = dir.join("demo").join("endpoints.json");
    let by = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(raw) = std::fs::read_to_string(&file) {
            let v: Value =
                serde_json::from_str(&raw).map_err(|e| format!("{}: {e}", file.display()))?;
            return v["simulator"]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("no simulator in {raw}"));
        }
        if Instant::now() > by {
            return Err("the demo did not start within 30 s".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Polls `check` until it answers something, at most `limit`.
async fn wait_for<T, F, Fut>(app: &App, what: &str, limit: Duration, mut check: F) -> Res<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Res<Option<T>>>,
{
    let by = Instant::now() + limit;
    loop {
        if let Some(v) = check().await? {
            return Ok(v);
        }
        if Instant::now() > by {
            let shot = app.screenshot("bench-timeout").await;
            return Err(format!(
                "{what}: not within {} s; screenshot at {}",
                limit.as_secs(),
                shot.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn js(app: &App, script: &str) -> Res<Value> {
    tokio::time::timeout(Duration::from_secs(10), app.client.execute(script, vec![]))
        .await
        .map_err(|_| "the page did not answer within 10 s".to_owned())?
        .map_err(|e| format!("script in the page: {e}"))
}

/// How many photos in the chat have their pixels.
async fn loaded_images(app: &App) -> Res<u64> {
    js(
        app,
        "return [...document.querySelectorAll('[data-testid=message-image]')]
           .filter((i) => i.complete && i.naturalWidth > 0).length",
    )
    .await?
    .as_u64()
    .ok_or_else(|| "the page did not count its images".to_owned())
}

/// In the page: resolves with the wall-clock time (ms) of the first
/// animation frame at which a photo inside the visible part of the message
/// list has its pixels.
const WAIT_FIRST_IMAGE: &str = r#"
const [limitMs] = arguments;
window.__hourglassBench = new Promise((resolve) => {
  const started = Date.now();
  const visible = (img) => {
    const list = document.querySelector('[data-testid=message-list]');
    if (!list) return false;
    const a = img.getBoundingClientRect();
    const b = list.getBoundingClientRect();
    return a.height > 0 && a.bottom > b.top && a.top < b.bottom;
  };
  const check = () => {
    const shown = [...document.querySelectorAll('[data-testid=message-image]')]
      .some((i) => i.complete && i.naturalWidth > 0 && visible(i));
    if (shown) { resolve({ ok: true, at: Date.now() }); return; }
    if (Date.now() - started > limitMs) { resolve({ ok: false }); return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
});
return true;
"#;

async fn arm_first_image(app: &App) -> Res<()> {
    let armed = tokio::time::timeout(
        Duration::from_secs(10),
        app.client
            .execute(WAIT_FIRST_IMAGE, vec![Value::from(PAGE_WAIT_MS)]),
    )
    .await
    .map_err(|_| "the page did not answer within 10 s (arming the image wait)".to_owned())?
    .map_err(|e| format!("install the image wait: {e}"))?;
    if armed != Value::Bool(true) {
        return Err(format!("installing the image wait answered {armed}"));
    }
    Ok(())
}

/// The wall-clock time the armed wait saw the first image.
async fn first_image(app: &App) -> Res<f64> {
    let v = tokio::time::timeout(
        Duration::from_millis(PAGE_WAIT_MS + 5_000),
        app.client.execute_async(AWAIT_RENDERED, vec![]),
    )
    .await
    .map_err(|_| "the first image: no answer from the page".to_owned())?
    .map_err(|e| format!("the first image: {e}"))?;
    if v.get("ok") != Some(&Value::Bool(true)) {
        let shot = app.screenshot("bench-timeout").await;
        return Err(format!(
            "no image showed within {PAGE_WAIT_MS} ms ({v}); screenshot at {}",
            shot.display()
        ));
    }
    v.get("at")
        .and_then(Value::as_f64)
        .ok_or_else(|| format!("the first image: unexpected answer {v}"))
}
