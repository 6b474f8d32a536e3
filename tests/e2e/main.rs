//! End-to-end tests of the real Hourglass window.
//!
//! Each test launches the app binary built by the Tauri CLI
//! (`tauri build --debug --no-bundle`) through `tauri-driver` and
//! WebKitWebDriver, with its own temporary data directory, and drives it over
//! WebDriver. They need a display (Xvfb) and a session bus, so they are
//! ignored by a plain `cargo test`; `scripts/test.sh` runs them with
//! `--ignored` under `xvfb-run` and `dbus-run-session`. Screenshots land in
//! `tests/artifacts/e2e/` (git-ignored).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod attachments;
mod calls;
mod coexistence;
mod compose;
mod connect;
mod contacts;
mod demo;
mod desktop;
mod harness;
mod health;
mod inbox;
mod keyboard;
mod keyring;
mod lead_links;
mod leads;
mod long_chat;
mod media;
mod new_conversation;
mod notifications;
mod presence;
mod reports;
mod search;
mod seed;
mod settings;
mod status;
mod team;
mod tray;
mod typing;
mod updater;
mod usernames;
mod window;
