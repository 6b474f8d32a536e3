//! What the app benchmarks share: the app binary beside the benchmark,
//! the watchdog that ends a run that hangs, wall-clock time, and the
//! memory of the app and its WebKit processes read from /proc: resident
//! (`VmRSS`, which counts a shared library in every process that maps it)
//! and proportional (`Pss`, which shares each page out among the processes
//! that map it, so the sum over processes counts GTK and WebKit once).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub type Res<T> = Result<T, String>;

// Cargo tells integration tests where the app binary is
// (`CARGO_BIN_EXE_hourglass`), but not examples; the shared harness asks for
// it, so a benchmark answers with the release binary beside its own folder.
macro_rules! env {
    ("CARGO_BIN_EXE_hourglass") => {
        $crate::common::default_app_binary()
    };
    ($($arg:tt)*) => {
        ::std::env!($($arg)*)
    };
}

pub fn default_app_binary() -> PathBuf {
    // target/release/examples/<bench> -> target/release/hourglass
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.join("hourglass")))
        .unwrap_or_else(|| PathBuf::from("hourglass"))
}

/// The seeded profile, for the watchdog to remove.
pub static PROFILE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Ends the run after `limit`, killing the process groups this process
/// started (tauri-driver and everything under it) and removing the seeded
/// profile, so nothing can hang or stay behind. `name` prefixes the message.
pub fn watchdog(name: &'static str, limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!(
            "{name}: FAILED: still running after {} s; stopping",
            limit.as_secs()
        );
        let me = std::process::id();
        for p in processes().values().filter(|p| p.ppid == me) {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", p.pgrp)])
                .status();
        }
        if let Some(dir) = PROFILE.get() {
            let _ = std::fs::remove_dir_all(dir);
        }
        std::process::exit(3);
    });
}

pub fn wall_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

/// After the app closed: waits (at most 10 s) until every process of
/// `family` is gone.
pub async fn wait_gone(family: &[u32]) -> Res<()> {
    let gone_by = Instant::now() + Duration::from_secs(10);
    while family
        .iter()
        .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
    {
        if Instant::now() > gone_by {
            return Err(format!(
                "processes of the closed app are still running: {family:?}"
            ));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

/// In the page: waits for the promise a benchmark's script left in
/// `window.__hourglassBench` and answers what it resolved with.
pub const AWAIT_RENDERED: &str = r#"
const done = arguments[arguments.length - 1];
if (!window.__hourglassBench) {
  done({ ok: false, error: "no wait installed in this page" });
} else {
  window.__hourglassBench.then(done, (e) => done({ ok: false, error: String(e) }));
}
"#;

pub const REST: Duration = Duration::from_secs(5);

/// One figure (MiB) for the app and for each kind of WebKit process.
#[derive(Clone, Copy, Default)]
pub struct PerProcess {
    pub app: f64,
    pub web: f64,
    pub network: f64,
    pub other: f64,
}

impl PerProcess {
    pub fn total(&self) -> f64 {
        self.app + self.web + self.network + self.other
    }

    pub fn describe(&self) -> String {
        format!(
            "app {:.0} MiB, WebKitWebProcess {:.0} MiB, WebKitNetworkProcess {:.0} MiB{}",
            self.app,
            self.web,
            self.network,
            if self.other > 0.0 {
                format!(", other WebKit {:.0} MiB", self.other)
            } else {
                String::new()
            }
        )
    }
}

/// The memory of a window's process tree, read at one moment.
#[derive(Clone, Copy, Default)]
pub struct Memory {
    /// `VmRSS` from `/proc/<pid>/status`.
    pub rss: PerProcess,
    /// `Pss` from `/proc/<pid>/smaps_rollup`.
    pub pss: PerProcess,
}

impl Memory {
    pub fn describe(&self) -> String {
        format!(
            "PSS {:.0} MiB ({}); RSS {}",
            self.pss.total(),
            self.pss.describe(),
            self.rss.describe()
        )
    }
}

/// Waits [`REST`] without touching the window, then reads the memory of
/// the app (this process's descendant named `hourglass`) and its WebKit
/// children.
pub async fn at_rest() -> Res<(u32, Memory)> {
    tokio::time::sleep(REST).await;
    let app_pid =
        find_descendant("hourglass").ok_or("the app process was not found under tauri-driver")?;
    Ok((app_pid, memory(app_pid)?))
}

/// The first descendant of this process whose name is `comm` (as /proc
/// shows it: at most 15 characters).
pub fn find_descendant(comm: &str) -> Option<u32> {
    let all = processes();
    descendants_in(&all, std::process::id())
        .into_iter()
        .find(|pid| all.get(pid).is_some_and(|p| p.comm == comm))
}

/// The memory of `app_pid` and of the WebKit processes under it; an error
/// when it has none (the window did not start its web process).
pub fn memory(app_pid: u32) -> Res<Memory> {
    let all = processes();
    let mut m = Memory {
        rss: PerProcess {
            app: vm_rss_mib(app_pid)?,
            ..PerProcess::default()
        },
        pss: PerProcess {
            app: pss_mib(app_pid)?,
            ..PerProcess::default()
        },
    };
    let mut webkit = 0;
    for pid in descendants_in(&all, app_pid) {
        let Some(p) = all.get(&pid) else { continue };
        if !p.comm.starts_with("WebKit") {
            continue;
        }
        webkit += 1;
        let (rss, pss) = (vm_rss_mib(pid)?, pss_mib(pid)?);
        let (r, s) = match p.comm.as_str() {
            // /proc truncates names to 15 characters.
            c if "WebKitWebProcess".starts_with(c) => (&mut m.rss.web, &mut m.pss.web),
            c if "WebKitNetworkProcess".starts_with(c) => (&mut m.rss.network, &mut m.pss.network),
            _ => (&mut m.rss.other, &mut m.pss.other),
        };
        *r += rss;
        *s += pss;
    }
    if webkit == 0 {
        return Err(format!(
            "no WebKit process found under the app (pid {app_pid})"
        ));
    }
    Ok(m)
}

pub struct Proc {
    pub ppid: u32,
    pub pgrp: u32,
    pub comm: String,
}

/// Every process in /proc: pid -> (parent, process group, name).
pub fn processes() -> HashMap<u32, Proc> {
    let mut out = HashMap::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for entry in dir.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parens.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_owned();
        let mut rest = stat[close + 1..].split_whitespace().skip(1);
        let (Some(ppid), Some(pgrp)) = (
            rest.next().and_then(|s| s.parse().ok()),
            rest.next().and_then(|s| s.parse().ok()),
        ) else {
            continue;
        };
        out.insert(pid, Proc { ppid, pgrp, comm });
    }
    out
}

pub fn descendants_in(all: &HashMap<u32, Proc>, root: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut frontier = vec![root];
    // Bounded: a process tree has fewer levels than there are processes.
    for _ in 0..all.len() {
        let Some(parent) = frontier.pop() else { break };
        for (&pid, p) in all {
            if p.ppid == parent && !found.contains(&pid) {
                found.push(pid);
                frontier.push(pid);
            }
        }
    }
    found
}

pub fn descendants(root: u32) -> Vec<u32> {
    let mut v = descendants_in(&processes(), root);
    v.push(root);
    v
}

pub fn vm_rss_mib(pid: u32) -> Res<f64> {
    kib_field(pid, "status", "VmRSS:").map(|kb| kb / 1024.0)
}

/// The proportional set size: each resident page divided by the number of
/// processes that map it.
pub fn pss_mib(pid: u32) -> Res<f64> {
    kib_field(pid, "smaps_rollup", "Pss:").map(|kb| kb / 1024.0)
}

/// The `key` line (e.g. `VmRSS:`) of `/proc/<pid>/<file>`, in kB.
fn kib_field(pid: u32, file: &str, key: &str) -> Res<f64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .map_err(|e| format!("read /proc/{pid}/{file}: {e}"))?;
    parse_kib(&text, key).ok_or_else(|| format!("no {key} in /proc/{pid}/{file}"))
}

/// The value in kB of the first line starting with `key` (`Pss:   1234 kB`).
pub fn parse_kib(text: &str, key: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

/// A benchmark's command line: how many times to measure (`--<count>`,
/// clamped to 1..=`max`) and the watchdog's limit (`--timeout S`, at
/// least 60 s, 600 by default).
pub struct Args {
    pub count: usize,
    pub timeout_s: u64,
}

fn args(count_flag: &str, default_count: usize, max_count: u64) -> Res<Args> {
    let mut a = Args {
        count: default_count,
        timeout_s: 600,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = |name: &str| -> Res<u64> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match flag.as_str() {
            "--timeout" => a.timeout_s = value("--timeout")?.max(60),
            f if f == count_flag => a.count = value(count_flag)?.clamp(1, max_count) as usize,
            other => {
                return Err(format!(
                    "unknown flag {other} ({count_flag} N, --timeout S)"
                ));
            }
        }
    }
    Ok(a)
}

/// A benchmark's `main`: reads its arguments, arms the watchdog and runs
/// `run` on a two-thread runtime; any failure ends the process non-zero
/// with the benchmark's `name` in front of the reason.
pub fn bench_main<F, Fut>(
    name: &'static str,
    count_flag: &str,
    default_count: usize,
    max_count: u64,
    run: F,
) where
    F: FnOnce(Args) -> Fut,
    Fut: std::future::Future<Output = Res<()>>,
{
    let a = match args(count_flag, default_count, max_count) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{name}: {e}");
            std::process::exit(2);
        }
    };
    watchdog(name, Duration::from_secs(a.timeout_s));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{name}: tokio runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(a)) {
        eprintln!("{name}: FAILED: {e}");
        std::process::exit(1);
    }
}

/// What a process's proportional memory is made of: `Pss` of
/// `/proc/<pid>/smaps` summed by the kind of each mapping (MiB), largest
/// first.
pub fn pss_by_kind(pid: u32) -> Res<Vec<(&'static str, f64)>> {
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps"))
        .map_err(|e| format!("read /proc/{pid}/smaps: {e}"))?;
    Ok(sum_by_kind(&smaps))
}

/// [`pss_by_kind`] of the text of a smaps file.
pub fn sum_by_kind(smaps: &str) -> Vec<(&'static str, f64)> {
    let mut sums: Vec<(&'static str, f64)> = Vec::new();
    let mut kind = mapping_kind("");
    for line in smaps.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let is_range =
            |t: &str| t.contains('-') && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if tokens.len() >= 5 && is_range(tokens[0]) {
            // "start-end perms offset dev inode [path]"
            kind = mapping_kind(&tokens[5..].join(" "));
        } else if let Some(kb) = parse_kib(line, "Pss:") {
            match sums.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, sum)) => *sum += kb / 1024.0,
                None => sums.push((kind, kb / 1024.0)),
            }
        }
    }
    sums.sort_by(|a, b| b.1.total_cmp(&a.1));
    sums
}

fn mapping_kind(path: &str) -> &'static str {
    match path {
        "" | "[heap]" => "anonymous (JS heap, malloc, caches)",
        p if p.starts_with("[stack") => "stacks",
        p if p.starts_with('[') => "kernel ([vdso], [vvar])",
        p if p.starts_with("/dev/dri") || p.contains("drm") => "GPU buffers",
        p if p.starts_with("/memfd:") || p.starts_with("/dev/shm") || p.starts_with("/SYSV") => {
            "shared memory (memfd, shm)"
        }
        p if p.contains(".so") => "libraries",
        _ => "other files",
    }
}

/// [`pss_by_kind`] of the app and of each WebKit process under it, one
/// line each (`WebKitWebProcess 1234: anonymous … 120.3 MiB, libraries …`).
pub fn describe_by_kind(app_pid: u32) -> Res<String> {
    let all = processes();
    let mut pids = vec![app_pid];
    pids.extend(
        descendants_in(&all, app_pid)
            .into_iter()
            .filter(|pid| all.get(pid).is_some_and(|p| p.comm.starts_with("WebKit"))),
    );
    let mut out = String::new();
    for pid in pids {
        let name = all.get(&pid).map_or("?", |p| p.comm.as_str());
        let kinds: Vec<String> = pss_by_kind(pid)?
            .into_iter()
            .filter(|(_, mib)| *mib >= 0.05)
            .map(|(kind, mib)| format!("{kind} {mib:.1}"))
            .collect();
        out.push_str(&format!(
            "  {name} {pid}, PSS in MiB: {}\n",
            kinds.join(", ")
        ));
    }
    Ok(out)
}
