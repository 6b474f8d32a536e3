//! The desktop conventions of an app kept open all day: the tray menu
//! (Open, Do not disturb, Quit), closing to the tray, starting at login, and
//! the window's size and position kept between runs.
//!
//! - **Window state**: `tauri-plugin-window-state` saves size, position and
//!   maximised state on close and restores them on start. Visibility is not
//!   kept (a window closed to the tray opens visible next time). The file is
//!   in the platform's config folder, or in the profile folder when
//!   `HOURGLASS_DATA_DIR` names one.
//! - **Start at login**: `tauri-plugin-autostart` (an XDG autostart entry on
//!   Linux, a launch agent on macOS, the Run key on Windows). The entry itself
//!   is the setting: nothing is kept beside it that could disagree.
//! - **Close to tray**: a setting in the profile; when on, closing the window
//!   hides it and the app keeps running in the tray. Off by default, so
//!   closing quits as it does everywhere else; Quit in the tray always quits.
//!
//! The tray's words come from the window (`set_tray_texts`), in its
//! language; until the window sends them they are English.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::notification::NotificationSettings;
use hourglass_core::problem::ErrorCode;
use hourglass_core::session::AppEvent;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem};
use tauri::{AppHandle, Manager, State, Wry};
use tauri_plugin_autostart::ManagerExt as _;
use ts_rs::TS;

/// Where the close-to-tray setting is kept in the profile's store.
const SETTINGS_KEY: &str = "desktop_settings";

/// The desktop settings the window shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DesktopSettings {
    /// Hourglass starts when the agent logs in.
    pub start_at_login: bool,
    /// Closing the window keeps Hourglass running in the tray.
    pub close_to_tray: bool,
}

/// What is kept in the profile (start at login is the system's entry).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    close_to_tray: bool,
}

/// The tray menu's words, in the window's language.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct TrayTexts {
    pub open: String,
    pub do_not_disturb: String,
    pub quit: String,
}

impl Default for TrayTexts {
    fn default() -> Self {
        TrayTexts {
            open: "Open Hourglass".into(),
            do_not_disturb: "Do not disturb".into(),
            quit: "Quit Hourglass".into(),
        }
    }
}

/// The desktop state the shell keeps.
pub struct Desktop {
    close_to_tray: AtomicBool,
    /// The tray's items, to re-word them and tick Do not disturb.
    tray: Mutex<Option<TrayItems>>,
    /// Quit was asked for: closing must not be turned into hiding.
    quitting: AtomicBool,
}

struct TrayItems {
    open: MenuItem<Wry>,
    dnd: CheckMenuItem<Wry>,
    quit: MenuItem<Wry>,
}

const TRAY_OPEN: &str = "tray-open";
const TRAY_DND: &str = "tray-dnd";
const TRAY_QUIT: &str = "tray-quit";

/// The window-state plugin: size, position, maximised; not visibility.
pub fn window_state_plugin() -> tauri::plugin::TauriPlugin<Wry> {
    use tauri_plugin_window_state::StateFlags;
    let mut builder = tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::all() - StateFlags::VISIBLE);
    if let Some(dir) = crate::state::explicit_data_dir() {
        // An absolute file name replaces the config folder it is joined to.
        let file = std::path::absolute(dir.join("window-state.json"))
            .unwrap_or_else(|_| dir.join("window-state.json"));
        builder = builder.with_filename(file.to_string_lossy());
    }
    builder.build()
}

/// The autostart plugin; a login start passes `--autostart`.
pub fn autostart_plugin() -> tauri::plugin::TauriPlugin<Wry> {
    #[allow(unused_mut)]
    let mut builder = tauri_plugin_autostart::Builder::new().arg("--autostart");
    #[cfg(target_os = "macos")]
    {
        builder = builder.macos_launcher(tauri_plugin_autostart::MacosLauncher::LaunchAgent);
    }
    builder.build()
}

impl Desktop {
    /// Reads the settings from the profile; call once from `setup`.
    pub fn load(state: &AppState) -> Desktop {
        let stored: Stored = state
            .with_profile_store(|s| s.setting(SETTINGS_KEY))
            .ok()
            .flatten()
            .unwrap_or_default();
        Desktop {
            close_to_tray: AtomicBool::new(stored.close_to_tray),
            tray: Mutex::new(None),
            quitting: AtomicBool::new(false),
        }
    }

    /// Whether closing the main window should hide it instead.
    pub fn hides_on_close(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
            && !self.quitting.load(Ordering::Relaxed)
            && self
                .tray
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .is_some()
    }

    /// Ticks Do not disturb in the tray as the settings say.
    pub fn show_dnd(&self, on: bool) {
        if let Some(items) = self.tray.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            let _ = items.dnd.set_checked(on);
        }
    }
}

/// The tray icon: the unread count in its tooltip, a click brings the
/// window back, and its menu.
pub fn create_tray(app: &tauri::App, dnd: bool) -> tauri::Result<()> {
    let texts = TrayTexts::default();
    let open = MenuItem::with_id(app, TRAY_OPEN, &texts.open, true, None::<&str>)?;
    let dnd = CheckMenuItem::with_id(
        app,
        TRAY_DND,
        &texts.do_not_disturb,
        true,
        dnd,
        None::<&str>,
    )?;
    let quit = MenuItem::with_id(app, TRAY_QUIT, &texts.quit, true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&open, &dnd, &separator, &quit])?;
    let mut tray = tauri::tray::TrayIconBuilder::with_id(crate::notifications::TRAY_ID)
        .tooltip("Hourglass")
        .menu(&menu)
        // A left click opens the window; the menu is on the right button
        // (on Linux the indicator always shows the menu).
        .show_menu_on_left_click(false);
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.on_tray_icon_event(|tray, event| {
        if let tauri::tray::TrayIconEvent::Click {
            button: tauri::tray::MouseButton::Left,
            button_state: tauri::tray::MouseButtonState::Up,
            ..
        } = event
        {
            crate::launch::show_window(tray.app_handle());
        }
    })
    .on_menu_event(|app, event| menu_clicked(app, event.id().as_ref()))
    .build(app)?;
    *app.state::<Desktop>()
        .tray
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(TrayItems { open, dnd, quit });
    Ok(())
}

fn menu_clicked(app: &AppHandle, id: &str) {
    match id {
        TRAY_OPEN => crate::launch::show_window(app),
        TRAY_DND => toggle_dnd(app),
        TRAY_QUIT => {
            app.state::<Desktop>()
                .quitting
                .store(true, Ordering::Relaxed);
            app.exit(0);
        }
        _ => {}
    }
}

/// Do not disturb from the tray: saved like the window's own toggle, applied
/// at once, and the window told.
fn toggle_dnd(app: &AppHandle) {
    let state = app.state::<AppState>();
    let current: NotificationSettings = state
        .with_profile_store(|s| s.setting(crate::notifications::SETTINGS_KEY))
        .ok()
        .flatten()
        .unwrap_or_default();
    let next = NotificationSettings {
        do_not_disturb: !current.do_not_disturb,
        ..current
    };
    if let Err(err) = crate::notifications::apply_settings(app, next) {
        tracing::warn!("do not disturb from the tray: {}", err.message);
        app.state::<Desktop>().show_dnd(current.do_not_disturb);
    }
}

/// What closing the main window does: hides it when close-to-tray is on.
pub fn on_window_event(window: &tauri::Window, event: &tauri::WindowEvent) {
    if let tauri::WindowEvent::CloseRequested { api, .. } = event
        && window.label() == "main"
        && window.state::<Desktop>().hides_on_close()
    {
        api.prevent_close();
        let _ = window.hide();
        tracing::info!("window closed to the tray");
    }
}

fn start_at_login(app: &AppHandle) -> Result<bool, IpcError> {
    app.autolaunch()
        .is_enabled()
        .map_err(|e| IpcError::with_detail(ErrorCode::AutostartFailed, &e, e.to_string()))
}

#[tauri::command]
pub async fn get_desktop_settings(
    app: AppHandle,
    desktop: State<'_, Desktop>,
) -> Result<DesktopSettings, IpcError> {
    Ok(DesktopSettings {
        // An entry that cannot be read is reported as off; turning it on
        // then says why it cannot be written.
        start_at_login: start_at_login(&app).unwrap_or(false),
        close_to_tray: desktop.close_to_tray.load(Ordering::Relaxed),
    })
}

#[tauri::command]
pub async fn set_desktop_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    desktop: State<'_, Desktop>,
    settings: DesktopSettings,
) -> Result<DesktopSettings, IpcError> {
    if start_at_login(&app).unwrap_or(false) != settings.start_at_login {
        let autolaunch = app.autolaunch();
        let changed = if settings.start_at_login {
            autolaunch.enable()
        } else {
            autolaunch.disable()
        };
        changed
            .map_err(|e| IpcError::with_detail(ErrorCode::AutostartFailed, &e, e.to_string()))?;
        tracing::info!(on = settings.start_at_login, "start at login changed");
    }
    state.save_preference(
        SETTINGS_KEY,
        Some(&Stored {
            close_to_tray: settings.close_to_tray,
        }),
    )?;
    desktop
        .close_to_tray
        .store(settings.close_to_tray, Ordering::Relaxed);
    Ok(DesktopSettings {
        start_at_login: start_at_login(&app)?,
        close_to_tray: settings.close_to_tray,
    })
}

/// The window's words for the tray menu, in its language.
#[tauri::command]
pub async fn set_tray_texts(desktop: State<'_, Desktop>, texts: TrayTexts) -> Result<(), IpcError> {
    if let Some(items) = desktop
        .tray
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
    {
        let set = items
            .open
            .set_text(&texts.open)
            .and_then(|()| items.dnd.set_text(&texts.do_not_disturb))
            .and_then(|()| items.quit.set_text(&texts.quit));
        set.map_err(|e| IpcError::with_detail(ErrorCode::TrayFailed, &e, e.to_string()))?;
    }
    Ok(())
}

/// Tells the window the notification settings changed (from the tray).
pub fn emit_notification_settings(app: &AppHandle, settings: NotificationSettings) {
    crate::session::emit(app, AppEvent::NotificationSettingsChanged(settings));
}
