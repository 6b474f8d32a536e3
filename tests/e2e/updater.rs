//! Signed updates against a loopback update server.
//!
//! Each test makes a throwaway key pair and a signed release with the Tauri
//! CLI, serves `latest.json` and the package from `127.0.0.1`, and points the
//! app (a debug build) at them with `HOURGLASS_UPDATE_ENDPOINT` and
//! `HOURGLASS_UPDATE_PUBKEY`. Nothing is installed: the binary under test is
//! not a package, and the app refuses to replace it.

use crate::harness::{App, repo_root, text};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::{Arc, Mutex};

const SIGNATURE_REFUSED: &str =
    "The downloaded update is not signed by Hourglass and was refused. Nothing was installed.";
const PACKAGE: &str = "Hourglass_0.2.0_amd64.deb";

/// Runs the Tauri CLI from `ui/`'s node_modules.
fn tauri_cli(args: &[&str]) -> String {
    let out = std::process::Command::new("npx")
        .arg("--prefix")
        .arg(repo_root().join("ui"))
        .arg("tauri")
        .args(args)
        .env("TAURI_SIGNING_PRIVATE_KEY_PASSWORD", "")
        .env_remove("TAURI_SIGNING_PRIVATE_KEY")
        .env_remove("TAURI_SIGNING_PRIVATE_KEY_PATH")
        .output()
        .expect("run the Tauri CLI (npm ci in ui/)");
    assert!(
        out.status.success(),
        "tauri {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A release of `version` signed with a fresh key: the package bytes, its
/// signature and the public key the app must trust.
struct Release {
    _dir: tempfile::TempDir,
    version: &'static str,
    package: Vec<u8>,
    signature: String,
    pubkey: String,
}

fn signed_release(version: &'static str) -> Release {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("update.key");
    let key_arg = key.to_str().unwrap();
    tauri_cli(&["signer", "generate", "--ci", "-p", "", "-w", key_arg, "-f"]);
    let pubkey = std::fs::read_to_string(dir.path().join("update.key.pub")).unwrap();

    // Any bytes do: the check verifies the signature. They are deliberately
    // not a real .deb (no `debian-binary` member), so even a binary patched as
    // a .deb by `tauri build --bundles deb` could never hand them to dpkg.
    let package: Vec<u8> = format!("!<arch>\nHourglass {version} test package\n")
        .into_bytes()
        .into_iter()
        .cycle()
        .take(64 * 1024)
        .collect();
    let file = dir.path().join(PACKAGE);
    std::fs::write(&file, &package).unwrap();
    tauri_cli(&[
        "signer",
        "sign",
        "-f",
        key_arg,
        "-p",
        "",
        "--app-version",
        version,
        file.to_str().unwrap(),
    ]);
    let signature = std::fs::read_to_string(dir.path().join(format!("{PACKAGE}.sig"))).unwrap();
    Release {
        _dir: dir,
        version,
        package,
        signature,
        pubkey: pubkey.trim().to_owned(),
    }
}

/// What the update server answers, and the paths it was asked for.
struct Served {
    manifest: serde_json::Value,
    package: Vec<u8>,
    requests: Mutex<Vec<String>>,
}

impl Served {
    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

async fn manifest(
    State(served): State<Arc<Served>>,
    Path((target, arch, current)): Path<(String, String, String)>,
) -> Response {
    served
        .requests
        .lock()
        .unwrap()
        .push(format!("/{target}/{arch}/{current}"));
    axum::Json(served.manifest.clone()).into_response()
}

async fn package(State(served): State<Arc<Served>>, Path(name): Path<String>) -> Response {
    served
        .requests
        .lock()
        .unwrap()
        .push(format!("/download/{name}"));
    if name != PACKAGE {
        return StatusCode::NOT_FOUND.into_response();
    }
    served.package.clone().into_response()
}

/// Serves `latest.json` announcing `release` (as `announced`) and the package
/// bytes `package` on a loopback port; returns the endpoint URL for the app.
async fn update_server(
    release: &Release,
    announced: &str,
    package_bytes: Vec<u8>,
) -> (String, Arc<Served>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(Served {
        manifest: serde_json::json!({
            "version": announced,
            "notes": "Faster search and a calmer inbox.",
            "pub_date": "2026-01-15T09:00:00Z",
            "platforms": {
                "linux-x86_64": {
                    "signature": release.signature,
                    "url": format!("{base}/download/{PACKAGE}"),
                }
            }
        }),
        package: package_bytes,
        requests: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/{target}/{arch}/{current}", get(manifest))
        .route("/download/{name}", get(package))
        .with_state(served.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (
        format!("{base}/{{{{target}}}}/{{{{arch}}}}/{{{{current_version}}}}"),
        served,
    )
}

async fn launch(endpoint: &str, pubkey: &str) -> (tempfile::TempDir, App) {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(
        data.path(),
        &[
            ("HOURGLASS_UPDATE_ENDPOINT", endpoint),
            ("HOURGLASS_UPDATE_PUBKEY", pubkey),
        ],
    )
    .await;
    (data, app)
}

/// Clicks "Check for updates" and waits for a final status.
async fn check(app: &App) -> (String, Option<String>) {
    app.click_testid("update-check").await;
    app.eventually("an update status", || async {
        let status = app.all_testid("update-status").await.into_iter().next()?;
        let shown = text(&status).await;
        if shown.is_empty() || shown.starts_with("Checking") {
            return None;
        }
        let code = status.attr("data-code").await.unwrap();
        Some((shown, code))
    })
    .await
}

/// Asks the shell directly whether it holds an update for installing.
async fn pending_update(app: &App) -> serde_json::Value {
    app.client
        .execute_async(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__.invoke('pending_update').then(done, (e) => done({ error: e }));",
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_signed_newer_version_is_found_and_verified() {
    let release = signed_release("0.2.0");
    let (endpoint, served) =
        update_server(&release, release.version, release.package.clone()).await;
    let (_data, app) = launch(&endpoint, &release.pubkey).await;

    // The quiet check on start downloads, verifies and raises the banner.
    let banner = app.wait_testid("update-banner").await;
    assert_eq!(
        text(&banner).await.lines().next().unwrap(),
        "Hourglass 0.2.0 is ready to install"
    );
    app.screenshot("updater-banner").await;
    let requests = served.requests();
    assert_eq!(
        requests[0], "/linux/x86_64/0.1.0",
        "the endpoint gets target, arch and current version"
    );
    assert!(requests.contains(&format!("/download/{PACKAGE}")));

    let (status, code) = check(&app).await;
    assert_eq!(status, "Hourglass 0.2.0 is available and verified");
    assert_eq!(code, None);
    assert_eq!(
        pending_update(&app).await["version"],
        "0.2.0",
        "the verified bytes are held for installing"
    );
    app.screenshot("updater-available").await;

    // This binary is not a package, so installing is refused before anything
    // is touched.
    let binary = std::fs::read(crate::harness::app_binary()).unwrap();
    app.click_testid("update-install").await;
    let refusal = app
        .eventually("the install refusal", || async {
            let status = app.all_testid("update-status").await.into_iter().next()?;
            (status.attr("data-code").await.unwrap().as_deref() == Some("update_not_packaged"))
                .then_some(status)
        })
        .await;
    let refused = text(&refusal).await;
    assert!(
        refused.contains("not installed from a package"),
        "{refused} (was the binary patched by a bundling `tauri build`? rebuild it with --no-bundle)"
    );
    assert_eq!(std::fs::read(crate::harness::app_binary()).unwrap(), binary);
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_tampered_update_is_refused() {
    let release = signed_release("0.2.0");
    let mut tampered = release.package.clone();
    tampered[100] ^= 0x01;
    let (endpoint, served) = update_server(&release, release.version, tampered).await;
    let (_data, app) = launch(&endpoint, &release.pubkey).await;

    let (status, code) = check(&app).await;
    assert_eq!(status, SIGNATURE_REFUSED);
    assert_eq!(code.as_deref(), Some("update_signature_invalid"));
    assert!(
        served.requests().contains(&format!("/download/{PACKAGE}")),
        "the package was downloaded and then refused"
    );
    assert!(
        app.all_testid("update-install").await.is_empty(),
        "no install offered"
    );
    assert!(app.all_testid("update-banner").await.is_empty());
    assert_eq!(
        pending_update(&app).await,
        serde_json::Value::Null,
        "nothing held for installing"
    );
    app.screenshot("updater-tampered").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn the_same_version_is_up_to_date() {
    let release = signed_release("0.1.0");
    let (endpoint, served) =
        update_server(&release, release.version, release.package.clone()).await;
    let (_data, app) = launch(&endpoint, &release.pubkey).await;

    let (status, code) = check(&app).await;
    assert_eq!(status, "Hourglass 0.1.0 is up to date");
    assert_eq!(code, None);
    let requests = served.requests();
    assert!(requests.contains(&"/linux/x86_64/0.1.0".to_owned()));
    assert!(
        !requests.iter().any(|r| r.starts_with("/download/")),
        "nothing is downloaded when there is no newer version: {requests:?}"
    );
    assert!(app.all_testid("update-install").await.is_empty());
    assert!(app.all_testid("update-banner").await.is_empty());
    app.screenshot("updater-up-to-date").await;
    app.close().await;
}
