//! Launches the real app under tauri-driver and talks WebDriver to it.

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long any single wait in a test may last before it fails.
pub const WAIT: Duration = Duration::from_secs(20);

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The app binary under test: `HOURGLASS_APP_BINARY`, else the one cargo
/// built for this test run (which must have the `tauri/custom-protocol`
/// feature, as the Tauri CLI's build has, or the window would look for a dev
/// server instead of the bundled UI).
pub fn app_binary() -> PathBuf {
    std::env::var_os("HOURGLASS_APP_BINARY")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_hourglass")))
}

pub fn artifacts_dir() -> PathBuf {
    let dir = repo_root().join("tests").join("artifacts").join("e2e");
    std::fs::create_dir_all(&dir).expect("create the screenshot folder");
    dir
}

/// Two distinct free loopback ports: both listeners are held until both
/// ports are known, so the driver's port and WebKitWebDriver's can never be
/// the same one.
fn two_free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    (
        a.local_addr().expect("local addr").port(),
        b.local_addr().expect("local addr").port(),
    )
}

/// A running app window and the driver that started it.
pub struct App {
    pub client: Client,
    driver: Child,
}

impl App {
    /// Starts the app on `data_dir` with extra environment variables.
    pub async fn launch(data_dir: &Path, env: &[(&str, &str)]) -> App {
        Self::launch_logged(data_dir, env, None).await
    }

    /// As [`App::launch`], with the driver's and the app's output appended
    /// to `log` when given (so a test can read what the app logged).
    pub async fn launch_logged(data_dir: &Path, env: &[(&str, &str)], log: Option<&Path>) -> App {
        Self::launch_with(data_dir, env, log, &[]).await
    }

    /// As [`App::launch_logged`], with command-line arguments for the app.
    pub async fn launch_with(
        data_dir: &Path,
        env: &[(&str, &str)],
        log: Option<&Path>,
        args: &[&str],
    ) -> App {
        let binary = app_binary();
        assert!(
            binary.exists(),
            "the app binary {} does not exist: build it with `npx --prefix ui tauri build --debug --no-bundle`",
            binary.display()
        );
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": binary, "args": args }),
        );
        // tauri-driver may accept connections a moment before WebKitWebDriver
        // behind it is ready and then drop the first request; a few tries
        // cover that. A driver that still cannot open a session is ended and
        // a fresh one started on other ports.
        let mut launches = 0;
        loop {
            launches += 1;
            let mut driver = Self::start_driver(data_dir, env, log).await;
            let port = driver.1;
            let url = format!("http://127.0.0.1:{port}");
            let mut last_error = String::new();
            for attempt in 1..=3 {
                let mut builder =
                    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
                builder.capabilities(caps.clone());
                let session = tokio::time::timeout(Duration::from_secs(60), builder.connect(&url))
                    .await
                    .expect("the WebDriver session did not open within 60 s");
                match session {
                    Ok(client) => {
                        return App {
                            client,
                            driver: driver.0,
                        };
                    }
                    Err(err) => {
                        eprintln!(
                            "WebDriver session attempt {attempt} of driver {launches} failed ({err}); retrying"
                        );
                        last_error = err.to_string();
                        tokio::time::sleep(Duration::from_millis(500 * attempt)).await;
                    }
                }
            }
            end_group(&mut driver.0);
            assert!(
                launches < 3,
                "open a WebDriver session on the app: {last_error}"
            );
        }
    }

    /// Starts tauri-driver in its own process group on two fresh ports and
    /// waits until it listens; returns the child and its WebDriver port.
    async fn start_driver(
        data_dir: &Path,
        env: &[(&str, &str)],
        log: Option<&Path>,
    ) -> (Child, u16) {
        let (port, native_port) = two_free_ports();
        let mut cmd =
            Command::new(std::env::var_os("TAURI_DRIVER").unwrap_or_else(|| "tauri-driver".into()));
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .env("HOURGLASS_DATA_DIR", data_dir)
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(match log {
            Some(path) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .expect("open the app log")
                .into(),
            None => Stdio::inherit(),
        })
        // Its own process group, so the driver, WebKitWebDriver and the app
        // all go when the test ends.
        .process_group(0);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut driver = cmd
            .spawn()
            .expect("start tauri-driver (cargo install tauri-driver --locked)");
        record_group(driver.id());
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("tauri-driver exited early: {status}");
            }
            assert!(
                started.elapsed() < WAIT,
                "tauri-driver did not start listening"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (driver, port)
    }

    /// Waits until an element with `data-testid=<id>` exists.
    pub async fn wait_testid(&self, id: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&testid(id)))
            .await
            .map_err(|e| e.to_string());
        match found {
            Ok(el) => el,
            Err(e) => {
                let shot = self.screenshot(&format!("missing-{id}")).await;
                panic!(
                    "no element [data-testid={id}] appeared ({e}); screenshot at {}",
                    shot.display()
                )
            }
        }
    }

    /// Clicks an element through the DOM. A WebDriver pointer click aims at
    /// coordinates taken a moment earlier and misses when the layout shifts
    /// in between (a list that grows live, a banner that appears); the DOM
    /// click reaches the element's own handler wherever it has moved.
    pub async fn click(&self, el: &Element) {
        let target = serde_json::to_value(el).expect("an element reference");
        self.client
            .execute(
                "const el = arguments[0]; el.scrollIntoView({ block: 'nearest' }); el.click();",
                vec![target],
            )
            .await
            .expect("click an element");
    }

    /// Waits for `data-testid=<id>` and clicks it (see [`App::click`]).
    pub async fn click_testid(&self, id: &str) {
        let el = self.wait_testid(id).await;
        self.click(&el).await;
    }

    /// Every `data-testid=<id>` element. WebKitWebDriver can report a
    /// stale element while a live list re-renders under the query; the
    /// query is then asked again (a few times, then it fails).
    pub async fn all_testid(&self, id: &str) -> Vec<Element> {
        let mut attempt = 0;
        loop {
            match self.client.find_all(Locator::Css(&testid(id))).await {
                Ok(found) => return found,
                Err(e) if attempt < 5 && e.is_stale_element_reference() => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => panic!("query elements: {e:?}"),
            }
        }
    }

    /// The rendered texts of every `data-testid=<id>` element, read in one
    /// step so a list that changes live cannot go stale halfway.
    pub async fn texts_of(&self, id: &str) -> Vec<String> {
        let script = format!(
            "return [...document.querySelectorAll('{}')].map(e => e.innerText)",
            testid(id)
        );
        let value = self
            .client
            .execute(&script, vec![])
            .await
            .expect("read texts");
        serde_json::from_value(value).expect("a list of strings")
    }

    /// Clicks the conversation whose name is exactly `name`, found and
    /// clicked in one step (the list may reorder live). False if absent.
    pub async fn click_conversation(&self, name: &str) -> bool {
        self.click_conversation_at(name).await.is_some()
    }

    /// Clicks the conversation row named `name`; answers the page's wall
    /// clock (ms) just before the click, or `None` when no such row is drawn.
    pub async fn click_conversation_at(&self, name: &str) -> Option<f64> {
        let script = "const [name] = arguments;
            const item = [...document.querySelectorAll('[data-testid=conversation-item]')]
              .find(i => i.querySelector('[data-testid=conversation-name]')?.innerText === name);
            if (!item) return null;
            const at = Date.now();
            item.click();
            return at;";
        self.client
            .execute(script, vec![serde_json::Value::from(name)])
            .await
            .expect("click a conversation")
            .as_f64()
    }

    /// Opens a chat whose 24-hour window has closed. The demo's closed chats
    /// are its oldest, and the list draws only the rows in view, so the list
    /// is scrolled down until one is drawn (on a busy machine they may also
    /// still be on their way into the list).
    pub async fn open_closed_chat(&self) {
        self.eventually("a chat whose window has closed", || async {
            let clicked = self
                .client
                .execute(
                    "const row = [...document.querySelectorAll('[data-testid=conversation-item]')]
                       .find(i => i.querySelector('[data-testid=window-countdown]')?.dataset.state === 'closed');
                     if (!row) {
                       const list = document.querySelector('[data-testid=conversation-list]')?.parentElement;
                       if (list) list.scrollTop = list.scrollHeight;
                       return false;
                     }
                     row.click(); return true;",
                    vec![],
                )
                .await
                .ok()?;
            (clicked == serde_json::Value::Bool(true)).then_some(())
        })
        .await;
    }

    /// Polls `check` until it returns `Some`, failing after [`WAIT`].
    pub async fn eventually<T, F, Fut>(&self, what: &str, check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        self.eventually_for(what, WAIT, check).await
    }

    /// Polls `check` until it returns `Some`, failing after `limit`.
    pub async fn eventually_for<T, F, Fut>(&self, what: &str, limit: Duration, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(v) = check().await {
                return v;
            }
            if started.elapsed() > limit {
                let shot = self.screenshot("timeout").await;
                panic!(
                    "timed out waiting for {what}; screenshot at {}",
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a PNG of the window under `tests/artifacts/e2e/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // Let the last DOM change reach the screen before capturing it.
        let _ = self
            .client
            .execute_async(
                "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
                vec![],
            )
            .await;
        // Without accelerated compositing (WebKit's fallback where OpenGL is
        // missing), WebKit's automation answers a screenshot only after the
        // page's next paint, and a settled page would never answer: the page
        // is repainted (an opacity step nobody can see) until the shot is
        // taken.
        let _ = self
            .client
            .execute(
                "window.__hourglassShot = setInterval(() => {
                   const s = document.documentElement.style;
                   s.opacity = s.opacity === '0.999' ? '' : '0.999';
                 }, 50);",
                vec![],
            )
            .await;
        let png = tokio::time::timeout(Duration::from_secs(60), self.client.screenshot())
            .await
            .expect("the screenshot was not taken within 60 s")
            .expect("take a screenshot");
        let _ = self
            .client
            .execute(
                "clearInterval(window.__hourglassShot); document.documentElement.style.opacity = '';",
                vec![],
            )
            .await;
        assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }

    pub async fn close(self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.client.clone().close()).await;
        // Dropping kills the process group.
    }
}

impl Drop for App {
    fn drop(&mut self) {
        end_group(&mut self.driver);
    }
}

/// Ends the process group a driver leads (the driver, WebKitWebDriver and the
/// app): TERM, up to 3 s to go, then KILL.
fn end_group(driver: &mut Child) {
    let group = format!("-{}", driver.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if matches!(driver.try_wait(), Ok(Some(_))) {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = driver.wait();
}

/// Appends a driver's process group to the file named by
/// `HOURGLASS_E2E_GROUPS`, so the script that ran the tests can end exactly
/// the groups they started if a test is killed before its `Drop` runs.
fn record_group(pgid: u32) {
    use std::io::Write as _;
    let Some(path) = std::env::var_os("HOURGLASS_E2E_GROUPS") else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{pgid}");
    }
}

pub fn testid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// The rendered text of an element (`innerText`). WebKitWebDriver's own
/// "get element text" answers an empty string inside buttons.
pub async fn text(e: &Element) -> String {
    e.prop("innerText")
        .await
        .expect("read innerText")
        .unwrap_or_default()
}

/// The rendered texts of elements.
pub async fn texts(elements: &[Element]) -> Vec<String> {
    let mut out = Vec::with_capacity(elements.len());
    for e in elements {
        out.push(text(e).await);
    }
    out
}
