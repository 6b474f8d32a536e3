//! The tray menu on the real session bus: the app's indicator exports its
//! menu over D-Bus (`com.canonical.dbusmenu`), which is what a desktop's
//! panel shows and clicks. The test finds the app's menu by the app's
//! process id, reads it and clicks its items as a panel would.

use crate::desktop::app_pids;
use crate::harness::{App, WAIT};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// `gdbus` on the test's session bus; its printed answer.
fn gdbus(args: &[&str]) -> Result<String, String> {
    let out = Command::new("gdbus")
        .args(args)
        .output()
        .map_err(|e| format!("run gdbus: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// Calls `method` of the object at `path` of `dest` on the session bus.
fn call(dest: &str, path: &str, method: &str, args: &[&str]) -> Result<String, String> {
    let mut all = vec![
        "call",
        "--session",
        "--dest",
        dest,
        "--object-path",
        path,
        "--method",
        method,
    ];
    all.extend_from_slice(args);
    gdbus(&all)
}

/// Calls a method of the bus itself.
fn bus_call(method: &str, args: &[&str]) -> Result<String, String> {
    call(
        "org.freedesktop.DBus",
        "/org/freedesktop/DBus",
        method,
        args,
    )
}

/// The words between single quotes in a gdbus answer.
fn quoted(answer: &str) -> Vec<String> {
    answer
        .split('\'')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// The app's tray menu: its bus name and the object path of its menu.
#[derive(Debug)]
struct TrayMenu {
    dest: String,
    path: String,
}

impl TrayMenu {
    /// Finds the menu the indicator of the app on `data` exports, once
    /// there (the tray is created after the first screen).
    async fn find(data: &Path) -> TrayMenu {
        let started = Instant::now();
        loop {
            if let Some(menu) = Self::look(data) {
                return menu;
            }
            assert!(
                started.elapsed() < WAIT,
                "the app exported no tray menu on the session bus"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn look(data: &Path) -> Option<TrayMenu> {
        let pids = app_pids(data);
        let names = bus_call("org.freedesktop.DBus.ListNames", &[]).ok()?;
        for name in quoted(&names).into_iter().filter(|n| n.starts_with(':')) {
            let Ok(pid) = bus_call("org.freedesktop.DBus.GetConnectionUnixProcessID", &[&name])
            else {
                continue;
            };
            // `(uint32 1234,)`: the last number.
            let pid: Option<u32> = pid
                .split(|c: char| !c.is_ascii_digit())
                .rfind(|s| !s.is_empty())
                .and_then(|s| s.parse().ok());
            if !pid.is_some_and(|p| pids.contains(&p)) {
                continue;
            }
            // The app has more than one connection; not each serves `/`.
            let Ok(tree) = gdbus(&[
                "introspect",
                "--session",
                "--dest",
                &name,
                "--object-path",
                "/",
                "--recurse",
            ]) else {
                continue;
            };
            let mut path = None;
            for line in tree.lines().map(str::trim) {
                if let Some(node) = line.strip_prefix("node ") {
                    path = Some(node.trim_end_matches('{').trim().to_owned());
                }
                if line.contains("interface com.canonical.dbusmenu") {
                    return Some(TrayMenu {
                        dest: name,
                        path: path?,
                    });
                }
            }
        }
        None
    }

    fn call(&self, method: &str, args: &[&str]) -> String {
        let method = format!("com.canonical.dbusmenu.{method}");
        call(&self.dest, &self.path, &method, args)
            .unwrap_or_else(|e| panic!("{method} on the tray menu: {e}"))
    }

    /// The menu's items: id, label and, for a check item, whether it is ticked.
    fn items(&self) -> Vec<Item> {
        let layout = self.call("GetLayout", &["0", "int32 -1", "[]"]);
        // Each item reads `(id, {'label': <'…'>, 'toggle-state': <n>, …}, [])`.
        layout
            .split("<(")
            .skip(1)
            .filter_map(|item| {
                let id: i32 = item.split(',').next()?.trim().parse().ok()?;
                let label = item
                    .split("'label': <'")
                    .nth(1)?
                    .split("'>")
                    .next()?
                    .replace('_', "");
                let ticked = item
                    .split("'toggle-state': <")
                    .nth(1)
                    .and_then(|s| s.split('>').next())
                    .map(|s| s.trim() == "1");
                Some(Item { id, label, ticked })
            })
            .collect()
    }

    fn item(&self, label: &str) -> Item {
        let items = self.items();
        items
            .iter()
            .find(|i| i.label == label)
            .cloned()
            .unwrap_or_else(|| panic!("no “{label}” in the tray menu: {items:?}"))
    }

    /// Clicks an item, as a panel does.
    fn click(&self, item: &Item) {
        let id = item.id.to_string();
        self.call("Event", &[&id, "clicked", "<int32 0>", "uint32 0"]);
    }
}

#[derive(Debug, Clone)]
struct Item {
    id: i32,
    label: String,
    ticked: Option<bool>,
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn do_not_disturb_from_the_tray_reaches_the_window_and_back() {
    let data = tempfile::tempdir().unwrap();
    let env = [("HOURGLASS_DEMO", "1"), ("LANG", "en_US.UTF-8")];
    let app = App::launch(data.path(), &env).await;
    crate::demo::wait_demo_inbox(&app).await;
    let menu = TrayMenu::find(data.path()).await;
    let labels: Vec<String> = menu.items().into_iter().map(|i| i.label).collect();
    assert_eq!(
        labels,
        ["Open Hourglass", "Do not disturb", "Quit Hourglass"],
        "{menu:?}"
    );
    assert_eq!(menu.item("Do not disturb").ticked, Some(false));

    // The window's notification settings show what the tray does.
    app.click_testid("open-notification-settings").await;
    let dnd = app.wait_testid("setting-dnd").await;
    assert!(!dnd.is_selected().await.unwrap());
    menu.click(&menu.item("Do not disturb"));
    app.eventually("do not disturb on in the window", || async {
        dnd.is_selected().await.ok()?.then_some(())
    })
    .await;
    app.eventually("do not disturb ticked in the tray", || async {
        (menu.item("Do not disturb").ticked == Some(true)).then_some(())
    })
    .await;

    // And the other way: the window's toggle unticks the tray's item.
    app.click(&dnd).await;
    app.eventually("do not disturb unticked in the tray", || async {
        (menu.item("Do not disturb").ticked == Some(false)).then_some(())
    })
    .await;
    assert!(!dnd.is_selected().await.unwrap());

    // The menu speaks the window's language.
    app.click_testid("open-settings").await;
    app.wait_testid("settings-language")
        .await
        .select_by_value("es")
        .await
        .unwrap();
    app.eventually("the tray menu in Spanish", || async {
        let labels: Vec<String> = menu.items().into_iter().map(|i| i.label).collect();
        (labels == ["Abrir Hourglass", "No molestar", "Salir de Hourglass"]).then_some(())
    })
    .await;

    // Quit from the tray ends the app.
    let quit = menu.items().pop().unwrap();
    menu.click(&quit);
    let started = Instant::now();
    while !app_pids(data.path()).is_empty() {
        assert!(
            started.elapsed() < WAIT,
            "Quit in the tray did not end the app"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(app);
}
