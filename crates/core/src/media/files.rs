//! What the window's file commands do with a media message: fetch it,
//! save a copy (to Downloads, or where the save dialog chose), open a copy
//! with the system's default app. The window names a file by its hash and
//! suggests a name; a path never comes from it. The shell adds only the
//! platform's folders, the dialog and the opener.

use super::{CacheError, MediaCache, MediaFetcher, MediaStatus, plain_file_name};
use crate::inbox::{MediaInfo, MessageContent, MessageId};
use crate::problem::{ErrorCode, Problem};
use crate::store::Store;
use crate::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where copies opened with the system's apps are kept, in the profile.
pub const OPENED_DIR: &str = "opened-media";
/// Overrides the Downloads folder (tests).
pub const DOWNLOAD_DIR_ENV: &str = "HOURGLASS_DOWNLOAD_DIR";
/// Test-only: when set, "Save as…" writes to this path instead of asking in
/// the system's save dialog (native dialogs cannot be driven in the
/// end-to-end tests).
pub const TEST_SAVE_AS_PATH: &str = "HOURGLASS_TEST_SAVE_AS_PATH";

fn not_cached() -> Error {
    Problem::new(
        ErrorCode::MediaNotCached,
        "This file is no longer on this computer. Show the message again to download it.",
    )
    .into()
}

fn cache_problem(e: CacheError) -> Error {
    Problem::with_detail(e.code(), &e, e.to_string()).into()
}

/// The file of a media message.
pub fn media_of(store: &Store, message: MessageId) -> Result<MediaInfo> {
    match store.message(message)?.content {
        MessageContent::Media(info) => Ok(info),
        _ => Err(Problem::new(ErrorCode::MediaNotMedia, "This message holds no file.").into()),
    }
}

/// Fetches a media message's file (from the Graph API the first time the
/// window shows it); `fetcher` is absent without a connected number.
pub async fn fetch(fetcher: Option<Arc<MediaFetcher>>, info: &MediaInfo) -> Result<MediaStatus> {
    let fetcher = fetcher.ok_or_else(|| {
        Problem::new(
            ErrorCode::MediaOffline,
            "Files can be downloaded once a WhatsApp number is connected.",
        )
    })?;
    Ok(fetcher.fetch(info).await)
}

/// The session's cache, when it holds `hash`.
pub fn holding(fetcher: Option<Arc<MediaFetcher>>, hash: &str) -> Result<Arc<MediaCache>> {
    let cache = fetcher
        .map(|f| Arc::clone(f.cache()))
        .ok_or_else(not_cached)?;
    if cache.contains(hash).map_err(cache_problem)? {
        Ok(cache)
    } else {
        Err(not_cached())
    }
}

/// The Downloads folder: [`DOWNLOAD_DIR_ENV`] when set, else `platform`
/// (the platform's Downloads folder, else `Downloads` in the home folder).
pub fn downloads_dir(platform: Result<PathBuf, String>) -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(DOWNLOAD_DIR_ENV) {
        return Ok(dir.into());
    }
    platform.map_err(|e| {
        Problem::with_detail(
            ErrorCode::MediaNoDownloads,
            &e,
            format!("No Downloads folder: {e}"),
        )
        .into()
    })
}

/// Saves a copy of a cached file in `downloads` (see [`downloads_dir`])
/// under its plain name, never replacing a file; returns its path.
pub fn save_copy(
    fetcher: Option<Arc<MediaFetcher>>,
    hash: &str,
    filename: &str,
    downloads: Result<PathBuf, String>,
) -> Result<String> {
    let cache = fetcher
        .map(|f| Arc::clone(f.cache()))
        .ok_or_else(not_cached)?;
    let dir = downloads_dir(downloads)?;
    match super::save_copy(&cache, hash, &dir, filename) {
        Ok(Some(path)) => Ok(path.display().to_string()),
        Ok(None) => Err(not_cached()),
        Err(e) => Err(cache_problem(e)),
    }
}

/// The name the save dialog suggests, and the filter for its extension.
pub fn dialog_name(filename: &str) -> (String, Option<String>) {
    let name = plain_file_name(filename);
    let ext = name
        .rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, ext)| ext.to_owned());
    (name, ext)
}

/// Writes a cached file to `path`, chosen in the save dialog (which asked
/// before replacing a file); returns it.
pub fn save_as(cache: &MediaCache, hash: &str, path: &Path) -> Result<String> {
    super::save_to(cache, hash, path).map_err(cache_problem)?;
    Ok(path.display().to_string())
}

/// The save dialog gave something that is not a file on this computer.
pub fn dialog_failed(e: impl std::fmt::Display) -> Error {
    Problem::with_detail(
        ErrorCode::SaveFailed,
        &e,
        format!("The save dialog chose no file on this computer: {e}"),
    )
    .into()
}

/// A copy of a cached file under its real name in the profile (beside the
/// store at `store_path`), for the system's default app to open.
pub fn copy_for_opening(
    fetcher: Option<Arc<MediaFetcher>>,
    store_path: &Path,
    hash: &str,
    filename: &str,
) -> Result<PathBuf> {
    let cache = fetcher
        .map(|f| Arc::clone(f.cache()))
        .ok_or_else(not_cached)?;
    let dir = store_path.parent().ok_or_else(not_cached)?.join(OPENED_DIR);
    match super::copy_for_opening(&cache, hash, &dir, filename) {
        Ok(Some(path)) => Ok(path),
        Ok(None) => Err(not_cached()),
        Err(e) => Err(Problem::new(e.code(), e.to_string()).into()),
    }
}

/// No app on this computer opened the copy.
pub fn open_failed(e: impl std::fmt::Display) -> Error {
    Problem::with_detail(
        ErrorCode::MediaOpenFailed,
        &e,
        format!("No app on this computer opened the file: {e}"),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphClient, GraphConfig};

    fn fetcher(dir: &Path) -> Arc<MediaFetcher> {
        let cache = Arc::new(MediaCache::open(&dir.join("media"), 1 << 20).unwrap());
        let config = GraphConfig::new("1", "2").with_base_url("http://127.0.0.1:9");
        let graph = GraphClient::new(config, crate::secrets::Secret::new("token")).unwrap();
        Arc::new(MediaFetcher::new(Arc::new(graph), cache))
    }

    #[test]
    fn without_a_session_nothing_is_cached() {
        for result in [
            holding(None, "abc").map(|_| ()),
            save_copy(None, "abc", "a.pdf", Ok("/tmp".into())).map(|_| ()),
            copy_for_opening(None, Path::new("/p/store.db"), "abc", "a.pdf").map(|_| ()),
        ] {
            assert_eq!(result.unwrap_err().code(), ErrorCode::MediaNotCached);
        }
    }

    #[test]
    fn copies_go_to_downloads_and_beside_the_store_never_replacing() {
        let dir = tempfile::tempdir().unwrap();
        let fetcher = fetcher(dir.path());
        let hash = fetcher
            .cache()
            .put(b"%PDF-1.7 invoice", "application/pdf")
            .unwrap();
        let downloads = dir.path().join("Downloads");
        let save = || {
            save_copy(
                Some(fetcher.clone()),
                &hash,
                "../invoice.pdf",
                Ok(downloads.clone()),
            )
        };
        assert_eq!(
            save().unwrap(),
            downloads.join("invoice.pdf").display().to_string()
        );
        assert_eq!(
            save().unwrap(),
            downloads.join("invoice (1).pdf").display().to_string()
        );
        let err = save_copy(Some(fetcher.clone()), &hash, "x", Err("no home".into()));
        if std::env::var_os(DOWNLOAD_DIR_ENV).is_none() {
            let err = err.unwrap_err();
            assert_eq!(err.code(), ErrorCode::MediaNoDownloads);
            assert_eq!(err.params()["detail"], "no home");
        }
        let store = dir.path().join("profile").join("hourglass.db");
        let opened = copy_for_opening(Some(fetcher.clone()), &store, &hash, "invoice.pdf").unwrap();
        assert_eq!(
            opened,
            dir.path()
                .join("profile")
                .join(OPENED_DIR)
                .join(&hash)
                .join("invoice.pdf")
        );
        assert_eq!(std::fs::read(&opened).unwrap(), b"%PDF-1.7 invoice");
        let gone = copy_for_opening(Some(fetcher.clone()), &store, &"0".repeat(64), "a.pdf");
        assert_eq!(gone.unwrap_err().code(), ErrorCode::MediaNotCached);
    }

    #[test]
    fn save_as_writes_where_the_dialog_chose() {
        let dir = tempfile::tempdir().unwrap();
        let fetcher = fetcher(dir.path());
        let hash = fetcher.cache().put(b"bytes", "application/pdf").unwrap();
        assert_eq!(
            holding(Some(fetcher.clone()), &"1".repeat(64))
                .unwrap_err()
                .code(),
            ErrorCode::MediaNotCached
        );
        let cache = holding(Some(fetcher), &hash).unwrap();
        let path = dir.path().join("chosen.pdf");
        std::fs::write(&path, b"old").unwrap();
        assert_eq!(
            save_as(&cache, &hash, &path).unwrap(),
            path.display().to_string()
        );
        assert_eq!(std::fs::read(&path).unwrap(), b"bytes");
        let folder = save_as(&cache, &hash, dir.path()).unwrap_err();
        assert_eq!(folder.code(), ErrorCode::SaveFailed);
    }

    #[test]
    fn the_dialog_suggests_a_plain_name_and_its_type() {
        assert_eq!(
            dialog_name("a/b/report.PDF"),
            ("report.PDF".into(), Some("PDF".into()))
        );
        assert_eq!(dialog_name(".bashrc"), ("bashrc".into(), None));
        assert_eq!(dialog_name("notes"), ("notes".into(), None));
    }

    #[test]
    fn a_message_without_a_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let err = media_of(&store, MessageId(1)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
    }
}
