//! Desktop conventions in the real window, under a real window manager
//! (openbox, started by each test on the test display): one instance per
//! profile, a second launch bringing the window back with its arguments,
//! `hourglass://` links, close to tray, start at login, and the window's
//! size kept between runs.

use crate::demo::wait_demo_inbox;
use crate::harness::{App, WAIT, app_binary, text};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A window manager on the test display for one test, so minimising,
/// focus and closing a window work as on a desktop.
struct WindowManager(Child);

impl WindowManager {
    fn start() -> WindowManager {
        let child = Command::new("openbox")
            .args(["--sm-disable"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start openbox (scripts/setup.sh installs it)");
        let started = Instant::now();
        while !Command::new("wmctrl")
            .arg("-m")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(started.elapsed() < WAIT, "openbox did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        WindowManager(child)
    }
}

impl Drop for WindowManager {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run {cmd}: {e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The app's X window on screen (its title starts with "Hourglass"); call
/// while it is shown.
fn hourglass_window() -> String {
    let found = run(
        "xdotool",
        &["search", "--onlyvisible", "--name", "^Hourglass"],
    );
    let mut windows = found.lines();
    let window = windows
        .next()
        .unwrap_or_else(|| panic!("no Hourglass window on screen"))
        .to_owned();
    assert!(
        windows.next().is_none(),
        "more than one Hourglass window: {found}"
    );
    window
}

fn visible(window: &str) -> bool {
    run("xwininfo", &["-id", window]).contains("Map State: IsViewable")
}

fn active_is(window: &str) -> bool {
    let active = run("xdotool", &["getactivewindow"]);
    !active.is_empty() && active == window
}

/// How many app processes run on the profile `data`.
fn instances(data: &Path) -> usize {
    app_pids(data).len()
}

/// The process ids of the app processes running on the profile `data`.
pub fn app_pids(data: &Path) -> Vec<u32> {
    let binary = std::fs::canonicalize(app_binary()).unwrap();
    let marker = format!("HOURGLASS_DATA_DIR={}", data.display());
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let dir = e.path();
            std::fs::read_link(dir.join("exe")).is_ok_and(|exe| exe == binary)
                && std::fs::read(dir.join("environ"))
                    .is_ok_and(|env| env.split(|b| *b == 0).any(|var| var == marker.as_bytes()))
        })
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect()
}

/// Starts the app binary on `data` directly, as a desktop or a browser
/// would (not through the driver), and waits for it to end.
async fn second_launch(data: &Path, env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(app_binary());
    cmd.args(args)
        .env("HOURGLASS_DATA_DIR", data)
        .env("NO_AT_BRIDGE", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("start a second instance");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("a second launch did not hand over and exit within 30 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.wait_with_output().unwrap()
}

async fn wait_until(what: &str, app: &App, check: impl Fn() -> bool) {
    app.eventually(what, || async { check().then_some(()) })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_second_launch_brings_the_window_back_and_hands_over_its_arguments() {
    let _wm = WindowManager::start();
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    wait_demo_inbox(&app).await;
    let demo = data.path().join("demo");
    let endpoints = std::fs::read_to_string(demo.join("endpoints.json")).unwrap();
    let relay_db = std::fs::metadata(demo.join("relay.db")).unwrap();
    let window = hourglass_window();
    assert_eq!(instances(data.path()), 1);

    // Minimised, the window is off the screen...
    run("xdotool", &["windowminimize", &window]);
    wait_until("the window minimised", &app, || !visible(&window)).await;

    // ...and a second launch with --demo and a link brings it back, focused,
    // with the link's conversation open. The second process exits at once.
    let started = Instant::now();
    let second = second_launch(
        data.path(),
        &[],
        &[
            "--demo",
            "hourglass://open?phone=%2B34%20699%2000%2001%2011",
        ],
    )
    .await;
    assert!(second.status.success(), "{second:?}");
    assert!(started.elapsed() < Duration::from_secs(15));
    wait_until("the window back on screen", &app, || visible(&window)).await;
    wait_until("the window focused", &app, || active_is(&window)).await;
    let title = app
        .eventually("the linked conversation open", || async {
            let titles = app.texts_of("chat-title").await;
            titles.into_iter().find(|t| t.contains("699"))
        })
        .await;
    assert!(title.replace(' ', "").contains("+34699000111"), "{title}");
    app.screenshot("desktop-second-launch-link").await;

    // One app, and the running demo untouched: same endpoints, same relay log.
    assert_eq!(instances(data.path()), 1);
    assert_eq!(
        std::fs::read_to_string(demo.join("endpoints.json")).unwrap(),
        endpoints
    );
    {
        use std::os::unix::fs::MetadataExt as _;
        let now = std::fs::metadata(demo.join("relay.db")).unwrap();
        assert_eq!(
            (now.dev(), now.ino()),
            (relay_db.dev(), relay_db.ino()),
            "the demo's relay log was replaced"
        );
    }
    assert!(app.all_testid("conversation-item").await.len() >= 10);

    // A bad link is refused with words, and the app goes on.
    let bad = second_launch(data.path(), &[], &["hourglass://open?phone=call-me"]).await;
    assert!(bad.status.success());
    let banner = app.wait_testid("launch-problem").await;
    assert_eq!(
        banner.attr("data-code").await.unwrap().as_deref(),
        Some("link_phone_invalid")
    );
    assert!(
        text(&banner).await.contains("is not a phone number"),
        "{}",
        text(&banner).await
    );
    app.screenshot("desktop-bad-link").await;
    assert_eq!(instances(data.path()), 1);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_link_at_first_launch_waits_for_the_inbox_it_opens_in() {
    let _wm = WindowManager::start();
    let data = tempfile::tempdir().unwrap();
    // Links as the desktop passes them: the demo starts, then the number
    // opens in its inbox.
    let app = App::launch_with(
        data.path(),
        &[],
        None,
        &["hourglass://demo", "hourglass://open?phone=+4915112345678"],
    )
    .await;
    app.wait_testid("demo-badge").await;
    let title = app
        .eventually("the linked conversation open", || async {
            app.texts_of("chat-title")
                .await
                .into_iter()
                .find(|t| t.contains("151"))
        })
        .await;
    assert!(title.replace(' ', "").contains("+4915112345678"), "{title}");
    app.screenshot("desktop-first-launch-link").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn close_to_tray_start_at_login_and_the_window_size_kept() {
    let _wm = WindowManager::start();
    let data = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let home_str = home.path().to_str().unwrap();
    let env = [("HOME", home_str), ("XDG_CONFIG_HOME", "")];
    let env: Vec<(&str, &str)> = env.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let app = App::launch(data.path(), &env).await;
    app.click_testid("open-settings").await;
    app.wait_testid("settings-desktop").await;

    // Start at login writes the autostart entry, and takes it away.
    let entry = home.path().join(".config/autostart/Hourglass.desktop");
    let login = app.wait_testid("setting-start-at-login").await;
    app.click(&login).await;
    wait_until("the autostart entry", &app, || entry.is_file()).await;
    app.eventually("start at login shown on", || async {
        (login.prop("checked").await.ok()?.as_deref() == Some("true")).then_some(())
    })
    .await;
    let desktop_file = std::fs::read_to_string(&entry).unwrap();
    assert!(desktop_file.contains("--autostart"), "{desktop_file}");
    app.click_testid("setting-start-at-login").await;
    wait_until("the autostart entry gone", &app, || !entry.exists()).await;

    // Close to tray: closing hides the window and the app goes on.
    app.click_testid("setting-close-to-tray").await;
    let checked = app.wait_testid("setting-close-to-tray").await;
    app.eventually("close to tray on", || async {
        (checked.prop("checked").await.ok()?.as_deref() == Some("true")).then_some(())
    })
    .await;
    let window = hourglass_window();
    run("wmctrl", &["-i", "-c", &window]);
    wait_until("the window hidden", &app, || !visible(&window)).await;
    assert_eq!(instances(data.path()), 1, "closing to the tray quit");
    // A second launch brings it back.
    let second = second_launch(data.path(), &env, &[]).await;
    assert!(second.status.success());
    wait_until("the window back", &app, || visible(&window)).await;

    // Off again; a new size; closing now quits, and the size is kept.
    app.click_testid("setting-close-to-tray").await;
    app.eventually("close to tray off", || async {
        (checked.prop("checked").await.ok()?.as_deref() == Some("false")).then_some(())
    })
    .await;
    run("xdotool", &["windowsize", &window, "900", "640"]);
    wait_until("the new size", &app, || {
        run("xdotool", &["getwindowgeometry", &window]).contains("900x640")
    })
    .await;
    run("wmctrl", &["-i", "-c", &window]);
    let started = Instant::now();
    while instances(data.path()) > 0 {
        assert!(started.elapsed() < WAIT, "closing the window did not quit");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(app);
    let saved = std::fs::read_to_string(data.path().join("window-state.json")).unwrap();
    assert!(saved.contains("900"), "{saved}");

    let app = App::launch(data.path(), &env).await;
    app.wait_testid("open-settings").await;
    let window = hourglass_window();
    wait_until("the size restored", &app, || {
        run("xdotool", &["getwindowgeometry", &window]).contains("900x640")
    })
    .await;
    app.close().await;
}
