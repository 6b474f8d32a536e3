//! Media in the window: the `hgmedia` URI scheme, which serves cache entries
//! by content hash and nothing else, and the commands that fetch and save
//! them. The rules (what is fetched, checked, kept, evicted) are in
//! `hourglass_core::media`.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::inbox::{MessageContent, MessageId};
use hourglass_core::media::{self, MediaCache, MediaStatus};
use hourglass_core::problem::ErrorCode;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::http::{Request, Response, StatusCode, header};
use tauri::{AppHandle, Manager, Runtime, State};

/// The scheme: `hgmedia://localhost/<sha256>` (on Windows
/// `http://hgmedia.localhost/<sha256>`).
pub const SCHEME: &str = "hgmedia";

/// The file of a media message, fetched from the Graph API the first time
/// the window shows it.
#[tauri::command]
pub async fn fetch_media(
    state: State<'_, AppState>,
    message_id: MessageId,
) -> Result<MediaStatus, IpcError> {
    let message = state.with_store(|s| s.message(message_id))?;
    let MessageContent::Media(info) = message.content else {
        return Err(IpcError::new(
            ErrorCode::MediaNotMedia,
            "This message holds no file.",
        ));
    };
    let Some(fetcher) = state.media() else {
        return Err(IpcError::new(
            ErrorCode::MediaOffline,
            "Files can be downloaded once a WhatsApp number is connected.",
        ));
    };
    Ok(fetcher.fetch(&info).await)
}

/// Saves a copy of a cached file in the Downloads folder; returns its path.
#[tauri::command]
pub async fn save_media(
    app: AppHandle,
    state: State<'_, AppState>,
    hash: String,
    filename: String,
) -> Result<String, IpcError> {
    let cache = current_cache(&state).ok_or_else(not_cached)?;
    let dir = downloads_dir(&app)?;
    match media::save_copy(&cache, &hash, &dir, &filename) {
        Ok(Some(path)) => Ok(path.display().to_string()),
        Ok(None) => Err(not_cached()),
        Err(e) => Err(cache_problem(e)),
    }
}

/// Saves a copy of a cached file where the user chooses in the system's
/// save dialog, which suggests the file's own name. The window sends only
/// the hash and that name; the path comes from the dialog. Returns where
/// it went, or `None` when the dialog was cancelled (nothing is written).
#[tauri::command]
pub async fn save_media_as(
    app: AppHandle,
    state: State<'_, AppState>,
    hash: String,
    filename: String,
) -> Result<Option<String>, IpcError> {
    let cache = current_cache(&state).ok_or_else(not_cached)?;
    // Asked first, so a file gone from the cache is said before the dialog.
    if !cache.contains(&hash).map_err(cache_problem)? {
        return Err(not_cached());
    }
    let Some(path) = chosen_path(&app, &media::plain_file_name(&filename)).await? else {
        return Ok(None);
    };
    media::save_to(&cache, &hash, &path).map_err(cache_problem)?;
    Ok(Some(path.display().to_string()))
}

/// Test-only: when set, "Save as…" writes to this path instead of asking
/// in the system's save dialog (native dialogs cannot be driven in the
/// end-to-end tests).
const TEST_SAVE_AS_PATH: &str = "HOURGLASS_TEST_SAVE_AS_PATH";

/// The path chosen in the save dialog for a file suggested as `name`;
/// `None` when cancelled. The dialog asks before replacing a file.
async fn chosen_path(app: &AppHandle, name: &str) -> Result<Option<PathBuf>, IpcError> {
    use tauri_plugin_dialog::DialogExt;
    if let Some(path) = std::env::var_os(TEST_SAVE_AS_PATH) {
        return Ok(Some(path.into()));
    }
    let mut dialog = app.dialog().file().set_file_name(name);
    if let Some((_, ext)) = name.rsplit_once('.').filter(|(stem, _)| !stem.is_empty()) {
        dialog = dialog.add_filter(ext.to_uppercase(), &[ext]);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |path| {
        let _ = tx.send(path);
    });
    let Ok(Some(path)) = rx.await else {
        return Ok(None);
    };
    path.into_path().map(Some).map_err(|e| {
        IpcError::with_detail(
            ErrorCode::SaveFailed,
            &e,
            format!("The save dialog chose no file on this computer: {e}"),
        )
    })
}

fn cache_problem(e: media::CacheError) -> IpcError {
    IpcError::with_detail(e.code(), &e, e.to_string())
}

/// Opens a cached file with the system's default app, through a copy under
/// its real name in the profile (the window names the file by its hash;
/// no path comes from it). Returns the copy's path.
#[tauri::command]
pub async fn open_media(
    app: AppHandle,
    state: State<'_, AppState>,
    hash: String,
    filename: String,
) -> Result<String, IpcError> {
    use tauri_plugin_opener::OpenerExt;
    let cache = current_cache(&state).ok_or_else(not_cached)?;
    let dir = state
        .with_store(|s| Ok(s.path().parent().map(|p| p.join(OPENED_DIR))))?
        .ok_or_else(not_cached)?;
    let path = match media::copy_for_opening(&cache, &hash, &dir, &filename) {
        Ok(Some(path)) => path,
        Ok(None) => return Err(not_cached()),
        Err(e) => return Err(IpcError::new(e.code(), e.to_string())),
    };
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            IpcError::with_detail(
                ErrorCode::MediaOpenFailed,
                &e,
                format!("No app on this computer opened the file: {e}"),
            )
        })?;
    Ok(path.display().to_string())
}

/// Where copies opened with the system's apps are kept, in the profile.
const OPENED_DIR: &str = "opened-media";

fn not_cached() -> IpcError {
    IpcError::new(
        ErrorCode::MediaNotCached,
        "This file is no longer on this computer. Show the message again to download it.",
    )
}

/// `HOURGLASS_DOWNLOAD_DIR` when set (tests), else the platform's Downloads
/// folder, else `Downloads` in the home folder.
fn downloads_dir(app: &AppHandle) -> Result<std::path::PathBuf, IpcError> {
    if let Some(dir) = std::env::var_os("HOURGLASS_DOWNLOAD_DIR") {
        return Ok(dir.into());
    }
    let paths = app.path();
    paths
        .download_dir()
        .or_else(|_| paths.home_dir().map(|h| h.join("Downloads")))
        .map_err(|e| {
            IpcError::with_detail(
                ErrorCode::MediaNoDownloads,
                &e,
                format!("No Downloads folder: {e}"),
            )
        })
}

fn current_cache(state: &AppState) -> Option<Arc<MediaCache>> {
    state.media().map(|m| Arc::clone(m.cache()))
}

/// Answers `hgmedia://localhost/<hash>` from the cache. Images, audio and
/// video are served with their type; anything else as an opaque download
/// in a sandbox, so a customer's HTML or SVG "document" never runs.
pub fn serve<R: Runtime>(app: &AppHandle<R>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let hash = request.uri().path().trim_start_matches('/');
    let state = app.state::<AppState>();
    let file = current_cache(&state).and_then(|c| c.read(hash).ok().flatten());
    let Some(file) = file else {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Vec::new())
            .unwrap_or_default();
    };
    let content_type = media::served_type(&file.mime_type);
    let len = file.bytes.len() as u64;
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok());
    let mut builder = Response::builder()
        .header(header::CONTENT_TYPE, content_type)
        .header(header::ACCEPT_RANGES, "bytes")
        // The window's own origin differs from the scheme's; its media
        // player loads with CORS checks.
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .header("X-Content-Type-Options", "nosniff")
        // Named by content: it never changes.
        .header(
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        );
    if content_type == "application/octet-stream" {
        builder = builder.header(header::CONTENT_SECURITY_POLICY, "sandbox");
    }
    // The media player reads audio and video by byte ranges.
    let response = match media::byte_range(range, len) {
        None => builder
            .status(StatusCode::OK)
            .header(header::CONTENT_LENGTH, len)
            .body(file.bytes),
        Some(Ok((first, last))) => {
            let part = file
                .bytes
                .get(first as usize..=last as usize)
                .unwrap_or_default()
                .to_vec();
            builder
                .status(StatusCode::PARTIAL_CONTENT)
                .header(header::CONTENT_RANGE, format!("bytes {first}-{last}/{len}"))
                .header(header::CONTENT_LENGTH, part.len())
                .body(part)
        }
        Some(Err(())) => builder
            .status(StatusCode::RANGE_NOT_SATISFIABLE)
            .header(header::CONTENT_RANGE, format!("bytes */{len}"))
            .body(Vec::new()),
    };
    response.unwrap_or_default()
}
