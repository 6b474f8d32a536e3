//! The tray, closing to it, starting at login and the window's state,
//! through Tauri and its plugins; what is kept and decided is
//! `hourglass_core::desktop`.

use crate::error::Ctx;
use crate::{state::AppState, webview::show_window};
use hourglass_core::desktop::{self, Closing, DesktopSettings, Stored, TrayAction, TrayTexts};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::{AppHandle, Manager, State, Wry};
use tauri_plugin_autostart::ManagerExt as _;

/// The desktop state the shell keeps: what closing does, and the tray's
/// items (to re-word them and tick Do not disturb).
pub struct Desktop {
    closing: Closing,
    tray: Mutex<Tray>,
    /// Whether the work after the first screen has started (once per run).
    after_first_screen: AtomicBool,
}

/// The tray: its words (the window's, as last told) and, once it is
/// created, its items.
#[derive(Default)]
struct Tray {
    texts: TrayTexts,
    items: Option<TrayItems>,
}

/// Open, Do not disturb, Quit.
type TrayItems = (MenuItem<Wry>, CheckMenuItem<Wry>, MenuItem<Wry>);

impl Desktop {
    /// Reads the settings from the profile; call once from `setup`.
    pub fn load(state: &AppState) -> Desktop {
        let closing = state
            .with_profile_store(|s| Ok(Closing::load(s)))
            .unwrap_or_default();
        Desktop {
            closing,
            tray: Mutex::default(),
            after_first_screen: AtomicBool::new(false),
        }
    }

    fn tray(&self) -> std::sync::MutexGuard<'_, Tray> {
        self.tray.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Ticks Do not disturb in the tray as the settings say.
    pub fn show_dnd(&self, on: bool) {
        if let Some((_, dnd, _)) = self.tray().items.as_ref() {
            let _ = dnd.set_checked(on);
        }
    }
}

/// How long after `setup` the work the first screen does not need starts at
/// the latest: a profile without conversations never shows a row.
pub const AFTER_START: std::time::Duration = std::time::Duration::from_secs(2);

/// Starts what the first screen does not need, once: the tray icon and the
/// quiet update check. Called when the window shows the inbox, and
/// [`AFTER_START`] after `setup` (whichever comes first), so that they do
/// not hold up the main thread while the page loads.
pub fn after_first_screen(app: &AppHandle) {
    let desktop = app.state::<Desktop>();
    if desktop.after_first_screen.swap(true, Ordering::Relaxed) {
        return;
    }
    let since_start_ms = crate::logging::since_start_ms();
    tracing::info!(
        since_start_ms,
        "after the first screen: tray and update check"
    );
    let handle = app.clone();
    let created = app.run_on_main_thread(move || {
        let dnd = handle.state::<AppState>().profile().notification_settings();
        if let Err(err) = create_tray(&handle, dnd.do_not_disturb) {
            tracing::warn!("no tray icon: {err}");
        }
    });
    if let Err(err) = created {
        tracing::warn!("no tray icon: {err}");
    }
    crate::updater::check_quietly(app);
}

/// The window-state plugin: size, position, maximised; not visibility.
pub fn window_state_plugin() -> tauri::plugin::TauriPlugin<Wry> {
    use tauri_plugin_window_state::{Builder, StateFlags};
    let builder = Builder::new().with_state_flags(StateFlags::all() - StateFlags::VISIBLE);
    match desktop::window_state_file(crate::state::explicit_data_dir()) {
        Some(file) => builder.with_filename(file).build(),
        None => builder.build(),
    }
}

/// The autostart plugin; a login start passes `--autostart`.
pub fn autostart_plugin() -> tauri::plugin::TauriPlugin<Wry> {
    let builder = tauri_plugin_autostart::Builder::new().arg("--autostart");
    #[cfg(target_os = "macos")]
    let builder = builder.macos_launcher(tauri_plugin_autostart::MacosLauncher::LaunchAgent);
    builder.build()
}

/// The tray icon: a left click brings the window back; its menu on the right
/// button (on Linux the indicator always shows the menu).
fn create_tray(app: &AppHandle, dnd: bool) -> tauri::Result<()> {
    let desktop = app.state::<Desktop>();
    let texts = desktop.tray().texts.clone();
    let [open, dnd_id, quit] = TrayAction::ALL.map(TrayAction::id);
    let open = MenuItem::with_id(app, open, &texts.open, true, None::<&str>)?;
    let dnd = CheckMenuItem::with_id(app, dnd_id, &texts.do_not_disturb, true, dnd, None::<&str>)?;
    let quit = MenuItem::with_id(app, quit, &texts.quit, true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[&open, &dnd, &PredefinedMenuItem::separator(app)?, &quit],
    )?;
    let mut tray = tauri::tray::TrayIconBuilder::with_id(crate::notifications::TRAY_ID)
        .tooltip("Hourglass")
        .menu(&menu)
        .show_menu_on_left_click(false);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.on_tray_icon_event(|tray, event| {
        use tauri::tray::{MouseButton::Left, MouseButtonState::Up, TrayIconEvent::Click};
        if let Click {
            button: Left,
            button_state: Up,
            ..
        } = event
        {
            show_window(tray.app_handle());
        }
    })
    .on_menu_event(
        |app, event| match TrayAction::from_id(event.id().as_ref()) {
            Some(TrayAction::Open) => show_window(app),
            Some(TrayAction::DoNotDisturb) => {
                // Saved like the window's own toggle, and the window told.
                let now = app.state::<AppState>().toggle_do_not_disturb();
                app.state::<Desktop>().show_dnd(now.do_not_disturb);
            }
            Some(TrayAction::Quit) => {
                app.state::<Desktop>().closing.quit();
                app.exit(0);
            }
            None => {}
        },
    )
    .build(app)?;
    let mut tray = desktop.tray();
    // The window's words may have come while the tray was being built.
    if tray.texts != texts {
        set_texts(&(open.clone(), dnd.clone(), quit.clone()), &tray.texts)?;
    }
    tray.items = Some((open, dnd, quit));
    drop(tray);
    desktop.closing.tray_created();
    // The unread total may have been shown before the tray was there.
    let unread = crate::notifications::last_unread();
    if unread > 0 {
        crate::notifications::show_unread(app, unread);
    }
    Ok(())
}

/// What closing the main window does: hides it when close-to-tray is on.
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::CloseRequested { api, .. } = event
        && window.label() == "main"
        && window.state::<Desktop>().closing.hides_on_close()
    {
        api.prevent_close();
        let _ = window.hide();
        tracing::info!("window closed to the tray");
    }
}

/// The autostart plugin's login entry.
struct Login<'a>(&'a tauri_plugin_autostart::AutoLaunchManager);

impl desktop::LoginEntry for Login<'_> {
    fn is_enabled(&self) -> Result<bool, String> {
        self.0.is_enabled().map_err(|e| e.to_string())
    }

    fn set_enabled(&self, on: bool) -> Result<(), String> {
        let set = if on {
            self.0.enable()
        } else {
            self.0.disable()
        };
        set.map_err(|e| e.to_string())
    }
}

commands! {
    fn get_desktop_settings(app: AppHandle, desktop: State<'_, Desktop>) -> DesktopSettings =
        Ok(desktop::settings(&Login(&app.autolaunch()), &desktop.closing));
    fn set_desktop_settings(
        app: AppHandle,
        cx: Ctx<'_>,
        desktop: State<'_, Desktop>,
        settings: DesktopSettings,
    ) -> DesktopSettings = {
        let save = |stored: &Stored| cx.save_preference(desktop::SETTINGS_KEY, Some(stored));
        desktop::apply(&Login(&app.autolaunch()), &desktop.closing, settings, save)
    };
    /// The window's words for the tray menu, in its language (kept for the
    /// tray if it is not there yet).
    fn set_tray_texts(desktop: State<'_, Desktop>, texts: TrayTexts) -> () = {
        let mut tray = desktop.tray();
        if let Some(items) = tray.items.as_ref() {
            set_texts(items, &texts).map_err(desktop::tray_failed)?;
        }
        tray.texts = texts;
        Ok(())
    };
}

fn set_texts((open, dnd, quit): &TrayItems, texts: &TrayTexts) -> tauri::Result<()> {
    open.set_text(&texts.open)?;
    dnd.set_text(&texts.do_not_disturb)?;
    quit.set_text(&texts.quit)
}
