//! The Hourglass desktop shell: command glue between `hourglass-core` and a
//! Tauri window. Every rule and every I/O decision is in the core, tested
//! without a window. The profile directory is `HOURGLASS_DATA_DIR` when set,
//! else the platform's app-data directory.

#[macro_use]
mod error;
mod attachments;
mod commands;
mod connect;
mod contacts;
mod desktop;
mod health;
mod launch;
mod lead_links;
mod logging;
mod media;
mod notifications;
mod outreach;
mod reports;
mod state;
mod team;
mod template_picker;
mod updater;
mod webview;

use hourglass_core::launch::{DEMO_ENV, LaunchArgs};
use tauri::Manager;

/// Starts the desktop app; returns when the last window has closed.
pub fn run() {
    let log_file = logging::init();

    let result = tauri::Builder::default()
        // First: a second launch hands its arguments over and exits here,
        // before anything else opens.
        .plugin(launch::single_instance_plugin())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(desktop::window_state_plugin())
        .plugin(desktop::autostart_plugin())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .register_asynchronous_uri_scheme_protocol(media::SCHEME, |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(media::serve(&app, &request));
            });
        })
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .on_window_event(desktop::on_window_event)
        .on_page_load(|_, payload| logging::page_load_mark(payload.event()))
        .setup(move |app| {
            logging::open_file(app.handle(), &log_file);
            app.manage(log_file.clone());
            webview::set_up(app);
            let state = state::open(app.handle(), &state::data_dir(app.handle())?);
            app.manage(desktop::Desktop::load(&state));
            app.manage(state);
            state::forward_events(app.handle());
            #[cfg(target_os = "macos")]
            launch::listen_for_opened_urls(app.handle());
            #[cfg(target_os = "linux")]
            if tauri::utils::platform::bundle_type()
                == Some(tauri::utils::config::BundleType::AppImage)
            {
                // Packages register hourglass:// when installed; an AppImage
                // registers itself (for the user) when it runs.
                use tauri_plugin_deep_link::DeepLinkExt as _;
                if let Err(err) = app.deep_link().register_all() {
                    tracing::warn!("cannot register hourglass:// links: {err}");
                }
            }
            updater::manage(app.handle());
            // The tray and the update check wait for the first screen.
            let later = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(desktop::AFTER_START).await;
                desktop::after_first_screen(&later);
            });
            let args = LaunchArgs::parse(std::env::args().skip(1));
            let demo = args.wants_demo(std::env::var(DEMO_ENV).ok().as_deref());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                handle.state::<state::AppState>().start(demo).await;
                // Links given to this launch, once the session it restores
                // (if any) runs.
                launch::follow(&handle, args.links);
            });
            tracing::info!(
                since_start_ms = logging::since_start_ms(),
                "the shell is set up"
            );
            Ok(())
        })
        .invoke_handler(handler! {
            commands::{list_conversations, list_messages, search, mark_conversation_read},
            commands::{inbox_shown, get_session, start_demo, send_text, retry_send, discard_send},
            commands::{get_preference, set_preference, set_window_language},
            attachments::{stage_attachment, discard_attachment, send_attachment},
            attachments::{upload_header_media},
            media::{fetch_media, save_media, save_media_as, open_media},
            template_picker::{service_cost, list_templates, preview_template, send_template},
            template_picker::{sync_templates},
            health::{get_account_health, dismiss_health_alerts, refresh_account_health, take_over},
            outreach::{check_new_number, find_contacts, start_conversation},
            lead_links::{create_lead_link, save_lead_qr},
            connect::{test_connection, connect, get_connection, forget_token, disconnect},
            contacts::{get_contact, list_contact_fields, save_contact_field, remove_contact_field},
            contacts::{set_contact_name, set_contact_value, record_opt_in, set_blocked},
            team::{get_conversation_team, assign_conversation, add_note, set_label},
            team::{set_conversation_status, list_statuses, list_assignees, list_labels},
            team::{list_agents, list_canned, save_canned, delete_canned, set_presence},
            team::{get_presence, check_collision},
            reports::{get_report, save_report_csv},
            launch::{take_launch_notice},
            desktop::{get_desktop_settings, set_desktop_settings, set_tray_texts},
            logging::{diagnostics, copy_diagnostics},
            updater::{check_for_updates, pending_update, install_update},
        })
        .build(tauri::generate_context!());
    let app = match result {
        Ok(app) => app,
        Err(err) => {
            tracing::error!("Hourglass could not start: {err}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            tauri::async_runtime::block_on(handle.state::<state::AppState>().stop());
        }
    });
}
