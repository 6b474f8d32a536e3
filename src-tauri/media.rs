//! Media in the window: the `hgmedia` scheme and the file commands. The
//! rules are `hourglass_core::media::{serve, files}`.

use crate::{error::IpcError, state::AppState};
use hourglass_core::inbox::MessageId;
use hourglass_core::media::{MediaFetcher, MediaStatus, files, serve};
use std::sync::Arc;
use tauri::http::{Request, Response, header};
use tauri::{AppHandle, Manager, Runtime, State};

pub use serve::SCHEME;

fn media(state: &AppState) -> Option<Arc<MediaFetcher>> {
    state.media()
}

#[tauri::command]
pub async fn fetch_media(state: State<'_, AppState>, message_id: MessageId) -> Res<MediaStatus> {
    let info = state.with_store(|s| files::media_of(s, message_id))?;
    Ok(files::fetch(media(&state), &info).await?)
}

/// Saves a copy in the Downloads folder; returns its path.
#[tauri::command]
pub async fn save_media(
    app: AppHandle,
    state: State<'_, AppState>,
    hash: String,
    filename: String,
) -> Res<String> {
    let paths = app.path();
    let platform = paths
        .download_dir()
        .or_else(|_| paths.home_dir().map(|h| h.join("Downloads")));
    Ok(files::save_copy(
        media(&state),
        &hash,
        &filename,
        platform.map_err(|e| e.to_string()),
    )?)
}

/// Saves a copy where the user chooses in the system's save dialog;
/// `None` when it was cancelled.
#[tauri::command]
pub async fn save_media_as(
    app: AppHandle,
    state: State<'_, AppState>,
    hash: String,
    filename: String,
) -> Res<Option<String>> {
    use tauri_plugin_dialog::DialogExt;
    // Asked first, so a file gone from the cache is said before the dialog.
    let cache = files::holding(media(&state), &hash)?;
    let path = match std::env::var_os(files::TEST_SAVE_AS_PATH) {
        Some(path) => path.into(),
        None => {
            let (name, ext) = files::dialog_name(&filename);
            let mut dialog = app.dialog().file().set_file_name(&name);
            if let Some(ext) = ext {
                dialog = dialog.add_filter(ext.to_uppercase(), &[&ext]);
            }
            if let Some(window) = app.get_webview_window("main") {
                dialog = dialog.set_parent(&window);
            }
            let (tx, rx) = tokio::sync::oneshot::channel();
            dialog.save_file(move |path| drop(tx.send(path)));
            let Ok(Some(path)) = rx.await else {
                return Ok(None);
            };
            path.into_path().map_err(files::dialog_failed)?
        }
    };
    Ok(Some(files::save_as(&cache, &hash, &path)?))
}

/// Opens a cached file with the system's default app, through a copy under
/// its real name in the profile; returns the copy's path.
#[tauri::command]
pub async fn open_media(
    app: AppHandle,
    state: State<'_, AppState>,
    hash: String,
    filename: String,
) -> Res<String> {
    use tauri_plugin_opener::OpenerExt;
    let store = state.with_store(|s| Ok(s.path().to_owned()))?;
    let path = files::copy_for_opening(media(&state), &store, &hash, &filename)?
        .display()
        .to_string();
    app.opener()
        .open_path(&path, None::<&str>)
        .map_err(files::open_failed)?;
    Ok(path)
}

type Res<T> = Result<T, IpcError>;

/// Answers `hgmedia://localhost/<hash>` from the session's cache.
pub fn serve<R: Runtime>(app: &AppHandle<R>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let cache = media(&app.state::<AppState>()).map(|m| Arc::clone(m.cache()));
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok());
    let served = serve::serve(cache.as_deref(), request.uri().path(), range);
    let mut response = Response::builder().status(served.status);
    for (name, value) in served.headers {
        response = response.header(name, value);
    }
    response.body(served.body).unwrap_or_default()
}
