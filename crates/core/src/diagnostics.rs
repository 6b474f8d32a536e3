//! The app's log, and "Copy diagnostics".
//!
//! Everything the app logs goes to standard error and, once the shell knows
//! the platform's log folder, to `hourglass.<date>.log` there (Linux:
//! `~/.local/share/app.hourglass.desktop/logs`, macOS:
//! `~/Library/Logs/app.hourglass.desktop`, Windows:
//! `%LOCALAPPDATA%\app.hourglass.desktop\logs`), or in `logs/` of the profile
//! folder when `HOURGLASS_DATA_DIR` names one. A new file starts each day and
//! the last [`KEEP_FILES`] are kept. `HOURGLASS_LOG` sets the level (`info`
//! by default; `debug`, or a filter such as `hourglass_core=debug`).
//!
//! No secret is ever logged: tokens are `Secret`s whose `Debug` and
//! `Display` print `[redacted]`, and nothing formats their text. Diagnostics
//! ([`Facts::report`]) add facts about the app to the end of the current log,
//! and replace the session's own tokens should one be found there anyway.

use crate::outbox::WorkerState;
use crate::problem::ErrorCode;
use crate::secrets::Secret;
use crate::sync::ConnectionState;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tracing_appender::rolling::{RollingFileAppender, RollingWriter, Rotation};
use tracing_subscriber::fmt::MakeWriter;

/// How many daily files are kept.
pub const KEEP_FILES: usize = 7;
/// The log files' names: `hourglass.<date>.log`.
const PREFIX: &str = "hourglass";
const SUFFIX: &str = "log";
/// How much of the newest log the diagnostics carry.
pub const DIAGNOSTIC_LINES: usize = 300;
/// The environment variable holding the log filter.
pub const LOG_ENV: &str = "HOURGLASS_LOG";

/// The log file, once the app knows where it goes. Until then (and when the
/// folder cannot be written) lines go to standard error only.
#[derive(Clone, Default)]
pub struct LogFile {
    file: Arc<OnceLock<(RollingFileAppender, PathBuf)>>,
}

impl std::fmt::Debug for LogFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogFile").field("dir", &self.dir()).finish()
    }
}

/// Where one log line goes.
pub enum LogWriter<'a> {
    File(RollingWriter<'a>),
    Nowhere,
}

impl Write for LogWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            LogWriter::File(w) => w.write(buf),
            LogWriter::Nowhere => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            LogWriter::File(w) => w.flush(),
            LogWriter::Nowhere => Ok(()),
        }
    }
}

impl<'a> MakeWriter<'a> for LogFile {
    type Writer = LogWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        match self.file.get() {
            Some((appender, _)) => LogWriter::File(appender.make_writer()),
            None => LogWriter::Nowhere,
        }
    }
}

impl LogFile {
    /// The folder the log goes to, once set.
    pub fn dir(&self) -> Option<&Path> {
        self.file.get().map(|(_, dir)| dir.as_path())
    }

    /// Starts writing to `dir` (created if missing); the first call wins.
    pub fn open(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(PREFIX)
            .filename_suffix(SUFFIX)
            .max_log_files(KEEP_FILES)
            .build(dir)
            .map_err(|e| e.to_string())?;
        let _ = self.file.set((appender, dir.to_owned()));
        Ok(())
    }

    /// [`LogFile::open`], then logs the start (version, time since the start
    /// mark, folder), or why there is no file.
    pub fn open_logged(&self, dir: Result<PathBuf, String>, version: &str) {
        match dir.and_then(|dir| self.open(&dir).map(|()| dir)) {
            Ok(dir) => tracing::info!(
                version,
                since_start_ms = since_start_ms(),
                "Hourglass starting; log folder {}",
                dir.display()
            ),
            Err(err) => tracing::warn!("no log file, logging to standard error only: {err}"),
        }
    }
}

/// When this process started running Rust code: the start mark.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Milliseconds since the start mark (0 before it is set).
pub fn since_start_ms() -> u64 {
    STARTED.get().map_or(0, |t| {
        u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
    })
}

/// Sets the start mark, starts logging to standard error (and to the file
/// once it is opened) and logs the mark. A second call only returns a new,
/// unused [`LogFile`].
pub fn init() -> LogFile {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    STARTED.get_or_init(Instant::now);
    let file = LogFile::default();
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_env(LOG_ENV)
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let to_file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(file.clone())
        .with_filter(filter());
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(to_file)
        .try_init();
    tracing::info!(
        pid = std::process::id(),
        "start mark: the process is running"
    );
    file
}

/// The newest log file in `dir`.
pub fn newest_log(dir: &Path) -> Option<PathBuf> {
    let mut logs: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(PREFIX) && name.ends_with(SUFFIX)
        })
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    logs.sort();
    logs.pop().map(|(_, path)| path)
}

/// The last `n` lines of `text`.
fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[lines.len().saturating_sub(n)..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// A URL without any `user:password@`.
fn without_credentials(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{scheme}://{host}{path}")
        }
        None => url.to_owned(),
    }
}

/// Replaces `secrets`, should any have reached the text.
fn scrub(mut text: String, secrets: &[Secret]) -> String {
    for secret in secrets {
        let secret = secret.expose();
        if secret.len() >= 8 && text.contains(secret) {
            text = text.replace(secret, "[redacted]");
        }
    }
    text
}

/// What the diagnostics say about the app; the shell gathers them.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The app's version.
    pub version: String,
    /// The window toolkit's version.
    pub toolkit: String,
    /// The package it was installed from (`deb`, `appimage`, …), if any.
    pub installed_from: Option<String>,
    /// The session's mode, as its `Debug` prints it (`Demo`, `Connected`).
    pub mode: String,
    pub connection: Option<ConnectionState>,
    pub sending: Option<WorkerState>,
    pub problem: Option<ErrorCode>,
    pub relay_url: Option<String>,
    pub profile_dir: PathBuf,
    pub log_dir: Option<PathBuf>,
    /// The session's tokens: replaced should any be in the text.
    pub secrets: Vec<Secret>,
}

impl Facts {
    /// What a support person needs to see what state the app is in:
    /// versions, platform, session, settings, and the end of the log. No
    /// secrets.
    pub fn report(&self) -> String {
        let mut lines = vec![
            format!(
                "Hourglass {} ({} build), tauri {}",
                self.version,
                if cfg!(debug_assertions) {
                    "debug"
                } else {
                    "release"
                },
                self.toolkit
            ),
            format!(
                "Platform: {} {}, installed from: {}",
                std::env::consts::OS,
                std::env::consts::ARCH,
                self.installed_from.as_deref().unwrap_or("no package")
            ),
            format!("Session: {}", self.mode),
        ];
        if let Some(connection) = &self.connection {
            lines.push(format!("Relay connection: {connection:?}"));
        }
        if let Some(sending) = &self.sending {
            lines.push(format!("Sending: {sending:?}"));
        }
        if let Some(problem) = &self.problem {
            lines.push(format!("Problem: {problem}"));
        }
        if let Some(relay) = &self.relay_url {
            lines.push(format!("Relay: {}", without_credentials(relay)));
        }
        lines.push(format!("Profile folder: {}", self.profile_dir.display()));
        if let Some(dir) = &self.log_dir {
            lines.push(format!("Log folder: {}", dir.display()));
        }
        let mut out = lines.join("\n");
        out.push('\n');
        if let Some(newest) = self.log_dir.as_deref().and_then(newest_log) {
            let text = std::fs::read(&newest).unwrap_or_default();
            out.push_str(&format!(
                "\n--- the last {DIAGNOSTIC_LINES} lines of {} ---\n",
                newest.display()
            ));
            out.push_str(&tail(&String::from_utf8_lossy(&text), DIAGNOSTIC_LINES));
        }
        scrub(out, &self.secrets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_takes_the_last_lines() {
        assert_eq!(tail("a\nb\nc\n", 2), "b\nc\n");
        assert_eq!(tail("a\nb\nc", 2), "b\nc\n");
        assert_eq!(tail("a\nb\nc\n", 10), "a\nb\nc\n");
        assert_eq!(tail("", 3), "");
    }

    #[test]
    fn credentials_leave_urls() {
        assert_eq!(
            without_credentials("https://agent:s3cret@relay.example.com/x"),
            "https://relay.example.com/x"
        );
        assert_eq!(
            without_credentials("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080"
        );
    }

    fn secret(text: &str) -> Secret {
        Secret::new(text)
    }

    /// A log folder written through [`LogFile`] (the real appender), with
    /// `lines` in today's file.
    fn log_folder(lines: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("logs");
        let file = LogFile::default();
        file.open(&logs).unwrap();
        assert_eq!(file.dir(), Some(logs.as_path()));
        let mut writer = file.make_writer();
        for line in lines {
            writeln!(writer, "{line}").unwrap();
        }
        writer.flush().unwrap();
        (dir, logs)
    }

    #[test]
    fn the_log_file_is_named_by_day_in_its_folder() {
        let (_dir, logs) = log_folder(&["one line"]);
        let newest = newest_log(&logs).unwrap();
        let name = newest.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("hourglass.") && name.ends_with(".log"),
            "{name}"
        );
        assert_eq!(std::fs::read_to_string(newest).unwrap(), "one line\n");
        // Anything else in the folder is not a log.
        std::fs::write(logs.join("notes.txt"), "x").unwrap();
        assert!(newest_log(&logs).unwrap().ends_with(name));
        assert_eq!(newest_log(&logs.join("missing")), None);
    }

    #[test]
    fn a_log_file_not_opened_writes_nowhere() {
        let file = LogFile::default();
        assert_eq!(file.dir(), None);
        assert!(matches!(file.make_writer(), LogWriter::Nowhere));
        assert_eq!(file.make_writer().write(b"lost").unwrap(), 4);
    }

    #[test]
    fn the_report_carries_the_facts_and_the_end_of_the_log_and_no_secret() {
        let token = "EAAG-access-token-1234567890";
        let relay_token = "relay-token-abcdefgh";
        let mut lines: Vec<String> = (0..400).map(|i| format!("line {i}")).collect();
        lines.push(format!("a careless line with {token} in it"));
        lines.push(format!("and {relay_token}, twice: {relay_token}"));
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (dir, logs) = log_folder(&refs);
        let facts = Facts {
            version: "1.2.3".into(),
            toolkit: "2.0.0".into(),
            installed_from: Some("deb".into()),
            mode: "Connected".into(),
            connection: None,
            sending: None,
            problem: Some(ErrorCode::KeychainUnavailable),
            relay_url: Some("https://agent:pa55word@relay.example.com/team".into()),
            profile_dir: dir.path().to_owned(),
            log_dir: Some(logs.clone()),
            secrets: vec![secret(token), secret(relay_token), secret("short")],
        };
        let report = facts.report();
        assert!(report.starts_with("Hourglass 1.2.3 ("), "{report}");
        for expected in [
            "tauri 2.0.0",
            "installed from: deb",
            "Session: Connected",
            "Problem: keychain_unavailable",
            "Relay: https://relay.example.com/team",
            &format!("Log folder: {}", logs.display()),
            &format!("--- the last {DIAGNOSTIC_LINES} lines of"),
            "line 399",
            "[redacted]",
        ] {
            assert!(report.contains(expected), "{expected:?} missing: {report}");
        }
        // Only the end of the log: its last 300 of 402 lines.
        assert!(!report.contains("line 101\n"), "{report}");
        assert!(report.contains("line 102\n"), "{report}");
        // Grep for every secret: none is in the text.
        for secret in [token, relay_token, "pa55word"] {
            assert!(!report.contains(secret), "{secret} leaked: {report}");
        }
    }

    #[test]
    fn without_a_log_folder_the_report_has_the_facts_only() {
        let report = Facts {
            version: "1.0.0".into(),
            mode: "Unconfigured".into(),
            ..Facts::default()
        }
        .report();
        assert!(report.contains("installed from: no package"), "{report}");
        assert!(report.contains("Session: Unconfigured"), "{report}");
        assert!(!report.contains("Log folder"), "{report}");
    }
}
