//! The app's log, and "Copy diagnostics".
//!
//! Everything the app logs goes to standard error and, once the app is set
//! up, to `hourglass.<date>.log` in the platform's log folder (Linux:
//! `~/.local/share/app.hourglass.desktop/logs`, macOS:
//! `~/Library/Logs/app.hourglass.desktop`, Windows:
//! `%LOCALAPPDATA%\app.hourglass.desktop\logs`), or in `logs/` of the profile
//! folder when `HOURGLASS_DATA_DIR` names one. A new file starts each day and
//! the last [`KEEP_FILES`] are kept. `HOURGLASS_LOG` sets the level
//! (`info` by default; `debug`, or a filter such as `hourglass_core=debug`).
//!
//! No secret is ever logged: tokens are `Secret`s whose `Debug` and
//! `Display` print `[redacted]`, and nothing formats their text. Diagnostics
//! add facts about the app to the end of the current log, and replace the
//! session's own tokens should one be found there anyway.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::problem::ErrorCode;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Instant;
use tauri::{AppHandle, Manager, State};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// How many daily files are kept.
pub const KEEP_FILES: usize = 7;
/// The log files' names: `hourglass.<date>.log`.
const PREFIX: &str = "hourglass";
const SUFFIX: &str = "log";
/// How much of the newest log the diagnostics carry.
const DIAGNOSTIC_LINES: usize = 300;

/// The log file, once the app knows where it goes.
#[derive(Clone, Default)]
pub struct LogFile {
    file: Arc<OnceLock<(RollingFileAppender, PathBuf)>>,
}

pub enum LogWriter<'a> {
    File(tracing_appender::rolling::RollingWriter<'a>),
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

    /// Starts writing to `dir`; the first call wins.
    fn open(&self, dir: &Path) -> Result<(), String> {
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
}

/// When this process started running Rust code: the start mark.
static STARTED: OnceLock<Instant> = OnceLock::new();

/// Milliseconds since the start mark (0 before it is set).
pub fn since_start_ms() -> u64 {
    STARTED.get().map_or(0, |t| {
        u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
    })
}

/// Sets the start mark, starts logging to standard error and logs the
/// mark; the file joins in [`open_file`].
pub fn init() -> LogFile {
    STARTED.get_or_init(Instant::now);
    let file = LogFile::default();
    let filter = || {
        tracing_subscriber::EnvFilter::try_from_env("HOURGLASS_LOG")
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"))
    };
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(filter());
    let to_file = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(file.clone())
        .with_filter(filter());
    use tracing_subscriber::Layer as _;
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

/// The log folder: `logs/` in an explicit profile, else the platform's.
pub fn log_dir(app: &AppHandle) -> tauri::Result<PathBuf> {
    match crate::state::explicit_data_dir() {
        Some(dir) => Ok(dir.join("logs")),
        None => app.path().app_log_dir(),
    }
}

/// Opens the log file in the log folder; call once from `setup`.
pub fn open_file(app: &AppHandle, file: &LogFile) {
    match log_dir(app).map_err(|e| e.to_string()).and_then(|dir| {
        file.open(&dir)?;
        Ok(dir)
    }) {
        Ok(dir) => tracing::info!(
            version = %app.package_info().version,
            since_start_ms = since_start_ms(),
            "Hourglass starting; log folder {}",
            dir.display()
        ),
        Err(err) => tracing::warn!("no log file, logging to standard error only: {err}"),
    }
}

/// The newest log file in `dir`.
fn newest_log(dir: &Path) -> Option<PathBuf> {
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

/// What a support person needs to see what state the app is in: versions,
/// platform, session, settings, and the end of the log. No secrets.
#[tauri::command]
pub async fn diagnostics(
    app: AppHandle,
    state: State<'_, AppState>,
    log: State<'_, LogFile>,
) -> Result<String, IpcError> {
    Ok(build(&app, &state, &log))
}

/// Puts the [`diagnostics`] on the clipboard. The shell copies (not the
/// webview, whose clipboard access ends with the click's user activation
/// while the text is gathered).
#[tauri::command]
pub async fn copy_diagnostics(
    app: AppHandle,
    state: State<'_, AppState>,
    log: State<'_, LogFile>,
) -> Result<(), IpcError> {
    use tauri_plugin_clipboard_manager::ClipboardExt as _;
    let text = build(&app, &state, &log);
    app.clipboard().write_text(text).map_err(|e| {
        tracing::warn!("cannot copy the diagnostics: {e}");
        IpcError::with_detail(ErrorCode::ClipboardFailed, &e, e.to_string())
    })
}

fn build(app: &AppHandle, state: &AppState, log: &LogFile) -> String {
    let mut out = String::new();
    let info = app.package_info();
    let session = state.session_info();
    let push = |out: &mut String, line: String| {
        out.push_str(&line);
        out.push('\n');
    };
    push(
        &mut out,
        format!(
            "Hourglass {} ({} build), tauri {}",
            info.version,
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            tauri::VERSION
        ),
    );
    push(
        &mut out,
        format!(
            "Platform: {} {}, installed from: {}",
            std::env::consts::OS,
            std::env::consts::ARCH,
            tauri::utils::platform::bundle_type().map_or_else(
                || "no package".to_owned(),
                |b| format!("{b:?}").to_lowercase()
            )
        ),
    );
    push(&mut out, format!("Session: {:?}", session.mode));
    if let Some(connection) = &session.connection {
        push(&mut out, format!("Relay connection: {connection:?}"));
    }
    if let Some(sending) = &session.sending {
        push(&mut out, format!("Sending: {sending:?}"));
    }
    if let Some(problem) = &session.problem {
        push(&mut out, format!("Problem: {}", problem.code));
    }
    let relay = state.relay_url();
    if let Some(relay) = relay {
        push(&mut out, format!("Relay: {}", without_credentials(&relay)));
    }
    push(
        &mut out,
        format!("Profile folder: {}", state.profile_dir().display()),
    );
    let dir = log.dir().map(Path::to_owned).or_else(|| log_dir(app).ok());
    let Some(dir) = dir else {
        return scrub(out, state);
    };
    push(&mut out, format!("Log folder: {}", dir.display()));
    if let Some(newest) = newest_log(&dir) {
        let text = std::fs::read(&newest).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        push(
            &mut out,
            format!(
                "\n--- the last {DIAGNOSTIC_LINES} lines of {} ---",
                newest.display()
            ),
        );
        out.push_str(&tail(&text, DIAGNOSTIC_LINES));
    }
    scrub(out, state)
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

/// Replaces the session's tokens, should any have reached the text.
fn scrub(mut text: String, state: &AppState) -> String {
    for secret in state.secrets() {
        let secret = secret.expose();
        if secret.len() >= 8 && text.contains(secret) {
            text = text.replace(secret, "[redacted]");
        }
    }
    text
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
}
