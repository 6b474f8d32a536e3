//! Media in the window: the `hgmedia` scheme and the file commands. The
//! rules are `hourglass_core::media::{serve, files}`.

use crate::error::{Ctx, Reply};
use crate::state::AppState;
use hourglass_core::inbox::MessageId;
use hourglass_core::media::{MediaStatus, files, serve};
use std::{path::PathBuf, sync::Arc};
use tauri::http::{Request, Response, header};
use tauri::{AppHandle, Manager, Runtime};

pub use serve::SCHEME;

commands! {
    fn fetch_media(cx: Ctx<'_>, message_id: MessageId) -> MediaStatus = {
        let info = cx.with_store(|s| files::media_of(s, message_id))?;
        Ok(files::fetch(cx.media(), &info).await?)
    };
    /// Saves a copy in the Downloads folder; returns its path.
    fn save_media(app: AppHandle, cx: Ctx<'_>, hash: String, filename: String) -> String = {
        let paths = app.path();
        let home = || paths.home_dir().map(|h| h.join("Downloads"));
        let platform = paths.download_dir().or_else(|_| home()).map_err(|e| e.to_string());
        Ok(files::save_copy(cx.media(), &hash, &filename, platform)?)
    };
    /// Saves a copy where the user chooses in the system's save dialog;
    /// `None` when it was cancelled.
    fn save_media_as(app: AppHandle, cx: Ctx<'_>, hash: String, filename: String)
        -> Option<String> = {
        // Asked first, so a file gone from the cache is said before the dialog.
        let cache = files::holding(cx.media(), &hash)?;
        let path = match std::env::var_os(files::TEST_SAVE_AS_PATH) {
            Some(path) => path.into(),
            None => match ask_where(&app, &filename).await? {
                Some(path) => path,
                None => return Ok(None),
            },
        };
        Ok(Some(files::save_as(&cache, &hash, &path)?))
    };
    /// Opens a cached file with the system's default app, through a copy
    /// under its real name in the profile; returns the copy's path.
    fn open_media(app: AppHandle, cx: Ctx<'_>, hash: String, filename: String) -> String = {
        use tauri_plugin_opener::OpenerExt;
        let store = cx.with_store(|s| Ok(s.path().to_owned()))?;
        let copy = files::copy_for_opening(cx.media(), &store, &hash, &filename)?;
        let path = copy.display().to_string();
        app.opener().open_path(&path, None::<&str>).map_err(files::open_failed)?;
        Ok(path)
    };
}

/// The system's save dialog, suggesting `filename`; `None` when cancelled.
async fn ask_where(app: &AppHandle, filename: &str) -> Reply<Option<PathBuf>> {
    use tauri_plugin_dialog::DialogExt;
    let (name, ext) = files::dialog_name(filename);
    let mut dialog = app.dialog().file().set_file_name(&name);
    if let Some(ext) = ext {
        dialog = dialog.add_filter(ext.to_uppercase(), &[&ext]);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    dialog.save_file(move |path| drop(tx.send(path)));
    match rx.await {
        Ok(Some(path)) => Ok(Some(path.into_path().map_err(files::dialog_failed)?)),
        _ => Ok(None),
    }
}

/// Answers `hgmedia://localhost/<hash>` from the session's cache.
pub fn serve<R: Runtime>(app: &AppHandle<R>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let cache = app
        .state::<AppState>()
        .media()
        .map(|m| Arc::clone(m.cache()));
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
