//! Launches without the WebDriver: the app started the way a person starts
//! it, timed from the moment the benchmark starts the process to the
//! "inbox interactive" mark in the app's log, and the hello-world floor
//! window (`floor-window`) started the same way. Both are then left alone
//! for [`REST`] and their memory is read with [`memory`].
//!
//! Each process runs in a process group of its own; the benchmark ends it by
//! that group (SIGTERM, then SIGKILL after a bounded wait) and waits until
//! the whole family, WebKit processes included, is gone.

use crate::common::{self, Memory, REST, Res};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The app logs this once the first conversations are on screen (the
/// `inbox_shown` command); it has done so since before the start mark.
pub const INTERACTIVE_MARK: &str = "the window shows the inbox";
/// The longest a launch may take to reach its mark.
const START_LIMIT: Duration = Duration::from_secs(30);

/// One launch of the app without the driver.
pub struct AppLaunch {
    /// From just before the process was started to the moment its
    /// interactive mark reached the benchmark (ms).
    pub interactive_ms: f64,
    /// What the app itself logged: from its start mark to the interactive
    /// mark (ms); `None` for a build that does not log it.
    pub app_mark_ms: Option<f64>,
    /// The app's start-up marks before the interactive one, as it logged
    /// them: "window created 298, …" (ms since its start mark).
    pub timeline: String,
    pub memory: Memory,
    /// What each process's PSS is made of, when asked for.
    pub by_kind: Option<String>,
}

/// The floor window: `HOURGLASS_FLOOR_BINARY`, else `floor-window` beside
/// this benchmark.
pub fn floor_binary() -> PathBuf {
    std::env::var_os("HOURGLASS_FLOOR_BINARY")
        .map(PathBuf::from)
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            Some(exe.parent()?.join("floor-window"))
        })
        .unwrap_or_else(|| PathBuf::from("floor-window"))
}

/// A started process, ended with its whole group when dropped.
struct Group {
    child: Child,
}

impl Group {
    fn spawn(
        binary: &Path,
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> Res<(Group, mpsc::Receiver<String>)> {
        let mut cmd = Command::new(binary);
        cmd.args(args)
            .env("NO_AT_BRIDGE", "1")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .process_group(0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("start {}: {e}", binary.display()))?;
        let (tx, rx) = mpsc::channel();
        if let Some(stderr) = child.stderr.take() {
            // Reads until the process closes its end, so the pipe never
            // fills and blocks the app's logging.
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    let _ = tx.send(line);
                }
            });
        }
        Ok((Group { child }, rx))
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Ends the group and waits (boundedly) until the process and every
    /// descendant of it is gone.
    fn end(mut self) -> Res<()> {
        let family = common::descendants(self.pid());
        let group = format!("-{}", self.pid());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let by = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < by {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        wait_gone(&family)
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .status();
            let _ = self.child.wait();
        }
    }
}

fn wait_gone(family: &[u32]) -> Res<()> {
    let by = Instant::now() + Duration::from_secs(10);
    while family
        .iter()
        .any(|pid| Path::new(&format!("/proc/{pid}")).exists())
    {
        if Instant::now() > by {
            return Err(format!(
                "processes of a closed window are still running: {family:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

/// Starts the app on the profile `data`, waits for its interactive mark,
/// leaves it at rest, reads its memory and ends it. Its WebKit data and
/// cache go to `scratch`, as the floor's do.
pub fn launch_app(binary: &Path, data: &Path, scratch: &Path, profile: bool) -> Res<AppLaunch> {
    let started = Instant::now();
    let (group, lines) = Group::spawn(
        binary,
        &[],
        &[
            ("HOURGLASS_DATA_DIR", data),
            ("XDG_DATA_HOME", scratch),
            ("XDG_CACHE_HOME", scratch),
        ],
    )?;
    let mut tail = Vec::new();
    let mut timeline = Vec::new();
    let mark = loop {
        let left = START_LIMIT.saturating_sub(started.elapsed());
        match lines.recv_timeout(left) {
            Ok(line) if line.contains(INTERACTIVE_MARK) => break line,
            Ok(line) => {
                if let Some(step) = timeline_step(&line) {
                    timeline.push(step);
                }
                tail.push(line);
                if tail.len() > 20 {
                    tail.remove(0);
                }
            }
            Err(_) => {
                let _ = group.end();
                return Err(format!(
                    "the app logged no \"{INTERACTIVE_MARK}\" within {} s; its last lines:\n{}",
                    START_LIMIT.as_secs(),
                    tail.join("\n")
                ));
            }
        }
    };
    let interactive_ms = started.elapsed().as_secs_f64() * 1e3;
    let app_mark_ms = field(&mark, "since_start_ms");
    std::thread::sleep(REST);
    let memory = common::memory(group.pid());
    let by_kind = profile.then(|| common::describe_by_kind(group.pid()));
    group.end()?;
    Ok(AppLaunch {
        interactive_ms,
        app_mark_ms,
        timeline: timeline.join(", "),
        memory: memory?,
        by_kind: by_kind.transpose()?,
    })
}

/// Starts the floor window (with `args`), waits until its web process runs,
/// leaves it at rest, reads its memory (and what it is made of) and ends it.
pub fn launch_floor(binary: &Path, args: &[&str], scratch: &Path) -> Res<(Memory, String)> {
    // Its WebKit data and cache go to a scratch folder, not the home folder.
    let (group, _lines) = Group::spawn(
        binary,
        args,
        &[("XDG_DATA_HOME", scratch), ("XDG_CACHE_HOME", scratch)],
    )?;
    let started = Instant::now();
    loop {
        if common::memory(group.pid()).is_ok() {
            break;
        }
        if started.elapsed() > START_LIMIT {
            let _ = group.end();
            return Err(format!(
                "the floor window {} started no WebKit process within {} s",
                binary.display(),
                START_LIMIT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(REST);
    let memory = common::memory(group.pid());
    let by_kind = common::describe_by_kind(group.pid());
    group.end()?;
    Ok((memory?, by_kind?))
}

/// The app's start-up marks, by the words of their log lines, and what the
/// timeline calls them.
const STEPS: [(&str, &str); 5] = [
    ("Hourglass starting", "window created"),
    ("the shell is set up", "setup done"),
    ("the page starts loading", "page loading"),
    ("the page is loaded", "page loaded"),
    ("asks for its first list", "first list asked"),
];

/// The log line with the page's own marks (ms since it started loading).
const PAGE_MARKS: &str = "the page's own start-up marks";

/// "page loaded 566" for a start-up mark's log line (`since_start_ms=566`),
/// with the query's time for the first list ("took 12"); the page's own
/// marks as "page: script run 190, …".
fn timeline_step(line: &str) -> Option<String> {
    if line.contains(PAGE_MARKS) {
        let line = plain(line);
        let at = line.find("marks=")? + "marks=".len();
        return Some(format!("[page: {}]", line[at..].trim()));
    }
    let (_, name) = STEPS.iter().find(|(words, _)| line.contains(words))?;
    let at = field(line, "since_start_ms")?;
    Some(match field(line, "took_ms") {
        Some(took) => format!("{name} {at:.0} (took {took:.0})"),
        None => format!("{name} {at:.0}"),
    })
}

/// The number after `name=` in a log line (`since_start_ms=412`), colours
/// (ANSI escapes) left out.
pub fn field(line: &str, name: &str) -> Option<f64> {
    let line = plain(line);
    let key = format!("{name}=");
    let at = line.find(&key)? + key.len();
    let digits: String = line[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
}

/// A log line without its colours (ANSI escapes).
fn plain(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // "ESC [ … m": skip to the letter that ends it.
            for e in chars.by_ref() {
                if e.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}

/// The `q`-quantile (0..=1) of sorted `v`, nearest rank.
pub fn quantile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let rank = (q * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}
