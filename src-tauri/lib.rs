//! The Hourglass desktop shell: wires `hourglass-core` to a Tauri window.
//!
//! Only glue lives here — opening the profile, registering commands,
//! forwarding events. Every rule and every I/O decision is in the core, which
//! is tested without a window.
//!
//! The profile directory is `HOURGLASS_DATA_DIR` when set (tests and side by
//! side profiles), else the platform's app-data directory.

mod commands;
mod error;
mod state;

use state::AppState;
use tauri::Manager;

/// Starts the desktop app; returns when the last window has closed.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HOURGLASS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let result = tauri::Builder::default()
        .setup(|app| {
            let dir = state::data_dir(app.handle())?;
            app.manage(AppState::open(&dir));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::list_conversations,
            commands::list_messages,
        ])
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!("Hourglass stopped: {err}");
        std::process::exit(1);
    }
}
