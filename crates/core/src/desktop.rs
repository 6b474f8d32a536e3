//! The desktop conventions of an app kept open all day: the tray menu
//! (Open, Do not disturb, Quit), closing to the tray, starting at login,
//! and the window's size and position kept between runs. The shell makes
//! the tray and calls the plugins; what is kept and decided is here.
//!
//! - **Window state**: size, position and maximised state are saved on close
//!   and restored on start; visibility is not kept (a window closed to the
//!   tray opens visible next time). The file is in the platform's config
//!   folder, or in the profile folder when `HOURGLASS_DATA_DIR` names one
//!   ([`window_state_file`]).
//! - **Start at login**: the system's own entry (an XDG autostart entry on
//!   Linux, a launch agent on macOS, the Run key on Windows) is the setting:
//!   nothing is kept beside it that could disagree.
//! - **Close to tray**: a setting in the profile ([`SETTINGS_KEY`]); when
//!   on, closing the window hides it and the app keeps running in the tray.
//!   Off by default, so closing quits as it does everywhere else; Quit in
//!   the tray always quits.
//!
//! The tray's words come from the window ([`TrayTexts`]), in its language;
//! until the window sends them they are English.

use crate::notification::NotificationSettings;
use crate::problem::{ErrorCode, Problem};
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

/// Where the close-to-tray setting is kept in the profile's store.
pub const SETTINGS_KEY: &str = "desktop_settings";

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stored {
    pub close_to_tray: bool,
}

/// The tray menu's words, in the window's language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
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

/// What an item of the tray menu does, by the item's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrayAction {
    Open,
    DoNotDisturb,
    Quit,
}

impl TrayAction {
    pub const ALL: [TrayAction; 3] = [TrayAction::Open, TrayAction::DoNotDisturb, TrayAction::Quit];

    /// The menu item's id.
    pub fn id(self) -> &'static str {
        match self {
            TrayAction::Open => "tray-open",
            TrayAction::DoNotDisturb => "tray-dnd",
            TrayAction::Quit => "tray-quit",
        }
    }

    pub fn from_id(id: &str) -> Option<TrayAction> {
        TrayAction::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// What closing the main window does.
#[derive(Debug, Default)]
pub struct Closing {
    close_to_tray: AtomicBool,
    /// There is a tray to come back from.
    tray: AtomicBool,
    /// Quit was asked for: closing must not be turned into hiding.
    quitting: AtomicBool,
}

impl Closing {
    /// As the profile's store says (off when it cannot be read).
    pub fn load(profile: &Store) -> Closing {
        let stored: Stored = profile
            .setting(SETTINGS_KEY)
            .ok()
            .flatten()
            .unwrap_or_default();
        let closing = Closing::default();
        closing.set_close_to_tray(stored.close_to_tray);
        closing
    }

    pub fn close_to_tray(&self) -> bool {
        self.close_to_tray.load(Ordering::Relaxed)
    }

    pub fn set_close_to_tray(&self, on: bool) {
        self.close_to_tray.store(on, Ordering::Relaxed);
    }

    /// The tray icon exists.
    pub fn tray_created(&self) {
        self.tray.store(true, Ordering::Relaxed);
    }

    /// Quit was asked for.
    pub fn quit(&self) {
        self.quitting.store(true, Ordering::Relaxed);
    }

    /// Whether closing the main window should hide it instead: close to
    /// tray is on, there is a tray, and nobody asked to quit.
    pub fn hides_on_close(&self) -> bool {
        self.close_to_tray()
            && self.tray.load(Ordering::Relaxed)
            && !self.quitting.load(Ordering::Relaxed)
    }
}

/// The system's entry that starts Hourglass at login (the autostart
/// plugin in the shell).
pub trait LoginEntry {
    fn is_enabled(&self) -> Result<bool, String>;
    fn set_enabled(&self, on: bool) -> Result<(), String>;
}

/// The settings the window shows. An entry that cannot be read is reported
/// as off; turning it on then says why it cannot be written.
pub fn settings(entry: &impl LoginEntry, closing: &Closing) -> DesktopSettings {
    DesktopSettings {
        start_at_login: entry.is_enabled().unwrap_or(false),
        close_to_tray: closing.close_to_tray(),
    }
}

/// Applies the window's `settings`: the login entry is changed only when it
/// differs, close to tray is kept through `save` (the profile) and applied.
/// Returns the settings as they now are.
pub fn apply<E: From<crate::Error>>(
    entry: &impl LoginEntry,
    closing: &Closing,
    settings: DesktopSettings,
    save: impl FnOnce(&Stored) -> Result<(), E>,
) -> Result<DesktopSettings, E> {
    if entry.is_enabled().unwrap_or(false) != settings.start_at_login {
        entry
            .set_enabled(settings.start_at_login)
            .map_err(|e| E::from(autostart_failed(e)))?;
        tracing::info!(on = settings.start_at_login, "start at login changed");
    }
    save(&Stored {
        close_to_tray: settings.close_to_tray,
    })?;
    closing.set_close_to_tray(settings.close_to_tray);
    Ok(DesktopSettings {
        start_at_login: entry
            .is_enabled()
            .map_err(|e| E::from(autostart_failed(e)))?,
        close_to_tray: settings.close_to_tray,
    })
}

/// The notification settings with Do not disturb flipped, from the
/// profile's store where they are kept under `key`: what the tray's item
/// saves. Returns the current ones too (shown again when saving fails).
pub fn toggled_dnd(profile: &Store, key: &str) -> (NotificationSettings, NotificationSettings) {
    let current: NotificationSettings = profile.setting(key).ok().flatten().unwrap_or_default();
    let next = NotificationSettings {
        do_not_disturb: !current.do_not_disturb,
        ..current
    };
    (current, next)
}

/// The window-state file for a profile named with `HOURGLASS_DATA_DIR`
/// (`explicit`): `window-state.json` in it, absolute (an absolute name
/// replaces the config folder it is joined to). `None`: the default place.
pub fn window_state_file(explicit: Option<PathBuf>) -> Option<String> {
    let file = explicit?.join("window-state.json");
    let file = std::path::absolute(&file).unwrap_or(file);
    Some(file.to_string_lossy().into_owned())
}

/// The login entry could not be read or written.
pub fn autostart_failed(e: impl std::fmt::Display) -> crate::Error {
    Problem::with_detail(ErrorCode::AutostartFailed, &e, e.to_string()).into()
}

/// The tray menu could not be re-worded.
pub fn tray_failed(e: impl std::fmt::Display) -> crate::Error {
    Problem::with_detail(ErrorCode::TrayFailed, &e, e.to_string()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_hides_only_with_the_setting_a_tray_and_no_quit() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        let closing = Closing::load(&store);
        assert!(!closing.close_to_tray(), "off by default");
        store
            .set_setting(
                SETTINGS_KEY,
                &Stored {
                    close_to_tray: true,
                },
            )
            .unwrap();
        let closing = Closing::load(&store);
        assert!(closing.close_to_tray());
        assert!(!closing.hides_on_close(), "no tray to come back from");
        closing.tray_created();
        assert!(closing.hides_on_close());
        closing.quit();
        assert!(!closing.hides_on_close(), "Quit always quits");
    }

    /// A login entry in memory; `broken` refuses every call.
    #[derive(Default)]
    struct Entry {
        on: std::sync::Mutex<bool>,
        writes: std::sync::atomic::AtomicUsize,
        broken: bool,
    }

    impl LoginEntry for Entry {
        fn is_enabled(&self) -> Result<bool, String> {
            if self.broken {
                return Err("no autostart folder".into());
            }
            Ok(*self.on.lock().unwrap())
        }

        fn set_enabled(&self, on: bool) -> Result<(), String> {
            self.is_enabled()?;
            self.writes.fetch_add(1, Ordering::Relaxed);
            *self.on.lock().unwrap() = on;
            Ok(())
        }
    }

    #[test]
    fn settings_change_the_login_entry_only_when_they_differ_and_keep_close_to_tray() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        let (entry, closing) = (Entry::default(), Closing::default());
        let wanted = DesktopSettings {
            start_at_login: true,
            close_to_tray: true,
        };
        let save = |s: &mut Store, stored: &Stored| s.set_setting(SETTINGS_KEY, stored);
        let now = apply(&entry, &closing, wanted, |st| save(&mut store, st)).unwrap();
        assert_eq!(now, wanted);
        assert_eq!(settings(&entry, &closing), wanted);
        assert!(Closing::load(&store).close_to_tray(), "kept in the profile");
        apply(&entry, &closing, wanted, |st| save(&mut store, st)).unwrap();
        assert_eq!(
            entry.writes.load(Ordering::Relaxed),
            1,
            "unchanged: not written"
        );

        let broken = Entry {
            broken: true,
            ..Entry::default()
        };
        assert!(
            !settings(&broken, &closing).start_at_login,
            "unreadable: off"
        );
        let err = apply(&broken, &closing, wanted, |st| save(&mut store, st)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::AutostartFailed);
        assert_eq!(err.params()["detail"], "no autostart folder");
        // Leaving it off needs no entry: close to tray still applies.
        let off = DesktopSettings {
            start_at_login: false,
            close_to_tray: false,
        };
        let err = apply(&broken, &closing, off, |st| save(&mut store, st)).unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::AutostartFailed,
            "the entry is read back"
        );
        assert!(!closing.close_to_tray());
    }

    #[test]
    fn the_trays_dnd_flips_the_saved_settings() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        let (current, next) = toggled_dnd(&store, "notifications");
        assert!(!current.do_not_disturb && next.do_not_disturb);
        store.set_setting("notifications", &next).unwrap();
        let (current, next) = toggled_dnd(&store, "notifications");
        assert!(current.do_not_disturb && !next.do_not_disturb);
        assert_eq!(
            NotificationSettings {
                do_not_disturb: true,
                ..next
            },
            current
        );
    }

    #[test]
    fn menu_ids_name_their_actions_and_files_their_profile() {
        for action in TrayAction::ALL {
            assert_eq!(TrayAction::from_id(action.id()), Some(action));
        }
        assert_eq!(TrayAction::from_id("other"), None);
        assert_eq!(window_state_file(None), None);
        let file = window_state_file(Some("profile".into())).unwrap();
        assert!(file.ends_with("window-state.json") && std::path::Path::new(&file).is_absolute());
        assert_eq!(
            autostart_failed("denied").code(),
            ErrorCode::AutostartFailed
        );
        assert_eq!(tray_failed("gone").params()["detail"], "gone");
    }
}
