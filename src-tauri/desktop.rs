//! The tray, closing to it, starting at login and the window's state,
//! through Tauri and its plugins; what is kept and decided is
//! `hourglass_core::desktop`.

use crate::error::Ctx;
use crate::{state::AppState, webview::show_window};
use hourglass_core::desktop::{self, Closing, DesktopSettings, Stored, TrayAction, TrayTexts};
use std::sync::Mutex;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::{AppHandle, Manager, State, Wry};
use tauri_plugin_autostart::ManagerExt as _;

/// The desktop state the shell keeps: what closing does, and the tray's
/// items (to re-word them and tick Do not disturb).
pub struct Desktop {
    closing: Closing,
    tray: Mutex<Option<TrayItems>>,
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
        }
    }

    /// Ticks Do not disturb in the tray as the settings say.
    pub fn show_dnd(&self, on: bool) {
        if let Some((_, dnd, _)) = self.tray.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = dnd.set_checked(on);
        }
    }
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
pub fn create_tray(app: &tauri::App, dnd: bool) -> tauri::Result<()> {
    let (texts, [open, dnd_id, quit]) = (TrayTexts::default(), TrayAction::ALL.map(TrayAction::id));
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
    let desktop = app.state::<Desktop>();
    *desktop.tray.lock().unwrap_or_else(|p| p.into_inner()) = Some((open, dnd, quit));
    desktop.closing.tray_created();
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
    /// The window's words for the tray menu, in its language.
    fn set_tray_texts(desktop: State<'_, Desktop>, texts: TrayTexts) -> () = {
        let tray = desktop.tray.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((open, dnd, quit)) = tray.as_ref() {
            let set = open.set_text(&texts.open);
            let set = set.and_then(|()| dnd.set_text(&texts.do_not_disturb));
            set.and_then(|()| quit.set_text(&texts.quit)).map_err(desktop::tray_failed)?;
        }
        Ok(())
    };
}
