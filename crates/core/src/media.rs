//! Photos, voice notes, videos, documents and stickers customers send:
//! fetched from the Graph API when the window shows them, checked, and kept
//! in a content-addressed cache in the profile.
//!
//! Promises:
//! - **Nothing is fetched unless asked.** The sync engine stores a media
//!   message with its id and never downloads; [`MediaFetcher::fetch`] runs
//!   when the window shows the bubble, so catching up on months of history
//!   costs no bandwidth.
//! - **Every file is checked** before it is kept: it comes only from the
//!   configured Graph host ([`crate::graph`]), is no larger than Meta allows
//!   for its kind (`hourglass_whatsapp::media`), and matches the `sha256`
//!   the webhook carried (Meta sends it base64; hex is accepted too) as well
//!   as the one `GET /{media-id}` announced.
//! - **The cache is content-addressed**: a file is named by its SHA-256, so
//!   the window asks for a hash and can name nothing else
//!   ([`MediaCache::read`] refuses anything but 64 hex digits). Its index is
//!   a SQLite table beside the files; it is bounded by a size limit
//!   ([`DEFAULT_CACHE_LIMIT`], 2 GB) and evicts the least recently used
//!   files first. A file written but not indexed (a crash between the two)
//!   is removed when the cache opens.
//! - **Three outcomes** ([`MediaStatus`]): available; unavailable, when Meta
//!   no longer serves the id (after about 30 days), remembered so Meta is
//!   not asked again; failed, with whether trying again may help (a network
//!   error may, a file over the limit will not). A failure is not
//!   remembered: the next request tries again.
//! - One download per media id at a time: two bubbles showing the same file,
//!   or a quick scroll back and forth, share one request.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use hourglass_whatsapp::graph_error::RetryAdvice;
use hourglass_whatsapp::media::MediaKind;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub mod files;
pub mod serve;

use crate::graph::{GraphClient, GraphError};
use crate::inbox::MediaInfo;
use crate::problem::{ErrorCode, Params};

/// The cache's size limit unless configured otherwise: 2 GB.
pub const DEFAULT_CACHE_LIMIT: u64 = 2 * 1024 * 1024 * 1024;

/// What the window can show for a media message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum MediaStatus {
    /// In the cache, served to the window by its hash.
    Available {
        hash: String,
        mime_type: String,
        #[ts(type = "number")]
        size: u64,
    },
    /// Meta no longer serves this media id.
    Unavailable,
    /// The download failed; `retryable` says whether trying again may help.
    Failed {
        code: ErrorCode,
        #[ts(type = "Record<string, string>")]
        params: Params,
        message: String,
        retryable: bool,
    },
}

/// Why the cache could not read or write.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("The media cache in {dir} cannot be used: {source}")]
    Io { dir: String, source: std::io::Error },
    #[error("The media cache's index cannot be used: {0}")]
    Index(#[from] rusqlite::Error),
    #[error("The file is no longer in the media cache")]
    NotCached,
    #[error("Could not write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

impl CacheError {
    pub fn code(&self) -> ErrorCode {
        match self {
            CacheError::Io { .. } => ErrorCode::MediaCacheIo,
            CacheError::Index(_) => ErrorCode::MediaCacheIndex,
            CacheError::NotCached => ErrorCode::MediaNotCached,
            CacheError::Write { .. } => ErrorCode::SaveFailed,
        }
    }
}

/// A file read from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFile {
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

/// The content-addressed store of media files, with its SQLite index.
pub struct MediaCache {
    dir: PathBuf,
    limit: u64,
    index: Mutex<Connection>,
}

impl std::fmt::Debug for MediaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaCache")
            .field("dir", &self.dir)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

const INDEX_FILE: &str = "index.sqlite3";

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS files (
        hash TEXT PRIMARY KEY,
        mime_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        -- Larger is more recent: a counter, so two uses in one millisecond
        -- still have an order.
        last_used INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS files_by_use ON files (last_used);
    CREATE TABLE IF NOT EXISTS media (
        media_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('available', 'unavailable')),
        hash TEXT
    );";

impl MediaCache {
    /// Opens (or creates) the cache in `dir`, holding at most `limit` bytes.
    pub fn open(dir: &Path, limit: u64) -> Result<Self, CacheError> {
        let io = |source| CacheError::Io {
            dir: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let conn = Connection::open(dir.join(INDEX_FILE))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.execute_batch(SCHEMA)?;
        let cache = MediaCache {
            dir: dir.to_owned(),
            limit,
            index: Mutex::new(conn),
        };
        cache.remove_strays()?;
        Ok(cache)
    }

    /// The size limit in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    fn index(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.index
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn path_of(&self, hash: &str) -> PathBuf {
        self.dir.join(&hash[..2]).join(hash)
    }

    fn io(&self, source: std::io::Error) -> CacheError {
        CacheError::Io {
            dir: self.dir.display().to_string(),
            source,
        }
    }

    /// Files on disk the index does not know (written before a crash), and
    /// unfinished temporary files, are removed.
    fn remove_strays(&self) -> Result<(), CacheError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|e| self.io(e))?;
        let index = self.index();
        let mut known = index.prepare("SELECT 1 FROM files WHERE hash = ?1")?;
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".part") {
                let _ = std::fs::remove_file(&path);
                continue;
            }
            if name.len() != 2 || !path.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(&path).map_err(|e| self.io(e))?.flatten() {
                let hash = file.file_name().to_string_lossy().into_owned();
                if !known.exists([&hash])? {
                    let _ = std::fs::remove_file(file.path());
                }
            }
        }
        Ok(())
    }

    /// Keeps `bytes` and returns their hash; evicts the least recently used
    /// files until the cache is within its limit again (the new file stays,
    /// even alone over the limit, until the next one arrives).
    pub fn put(&self, bytes: &[u8], mime_type: &str) -> Result<String, CacheError> {
        let hash = hex::encode(Sha256::digest(bytes));
        let path = self.path_of(&hash);
        if !path.exists() {
            let parent = path.parent().unwrap_or(&self.dir);
            std::fs::create_dir_all(parent).map_err(|e| self.io(e))?;
            // Written aside, flushed, then renamed: a crash leaves either
            // nothing or the whole file.
            let mut part = tempfile::Builder::new()
                .suffix(".part")
                .tempfile_in(&self.dir)
                .map_err(|e| self.io(e))?;
            part.write_all(bytes).map_err(|e| self.io(e))?;
            part.as_file().sync_all().map_err(|e| self.io(e))?;
            part.persist(&path).map_err(|e| self.io(e.error))?;
        }
        let evicted = {
            let mut index = self.index();
            let tx = index.transaction()?;
            tx.execute(
                "INSERT INTO files (hash, mime_type, size, last_used)
                 VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(last_used), 0) + 1 FROM files))
                 ON CONFLICT (hash) DO UPDATE SET last_used = excluded.last_used",
                params![hash, mime_type, bytes.len() as i64],
            )?;
            let evicted = evict(&tx, self.limit, &hash)?;
            tx.commit()?;
            evicted
        };
        for old in evicted {
            let _ = std::fs::remove_file(self.path_of(&old));
        }
        Ok(hash)
    }

    /// The file with this hash, marked as just used; `None` if the cache
    /// does not hold it or `hash` is not a SHA-256 in hex.
    pub fn read(&self, hash: &str) -> Result<Option<CachedFile>, CacheError> {
        if !is_hash(hash) {
            return Ok(None);
        }
        let Some(mime_type) = self.touch(hash)? else {
            return Ok(None);
        };
        match std::fs::read(self.path_of(hash)) {
            Ok(bytes) => Ok(Some(CachedFile { mime_type, bytes })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Removed behind our back: forget it, so it is fetched again.
                self.forget(hash)?;
                Ok(None)
            }
            Err(e) => Err(self.io(e)),
        }
    }

    /// Whether the cache holds this hash (without marking it used).
    pub fn contains(&self, hash: &str) -> Result<bool, CacheError> {
        if !is_hash(hash) {
            return Ok(false);
        }
        Ok(self
            .index()
            .prepare_cached("SELECT 1 FROM files WHERE hash = ?1")?
            .exists([hash])?
            && self.path_of(hash).exists())
    }

    /// A file held under this hash (a file the agent sent is kept under
    /// its SHA-256 before Meta knows it), without marking it used.
    pub fn held(&self, hash: &str) -> Result<Option<MediaStatus>, CacheError> {
        if !is_hash(hash) {
            return Ok(None);
        }
        let row: Option<(String, i64)> = self
            .index()
            .prepare_cached("SELECT mime_type, size FROM files WHERE hash = ?1")?
            .query_row([hash], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row
            .filter(|_| self.path_of(hash).exists())
            .map(|(mime_type, size)| MediaStatus::Available {
                hash: hash.to_owned(),
                mime_type,
                size: size.max(0) as u64,
            }))
    }

    /// Total bytes held.
    pub fn size(&self) -> Result<u64, CacheError> {
        let total: i64 =
            self.index()
                .query_row("SELECT COALESCE(SUM(size), 0) FROM files", [], |r| r.get(0))?;
        Ok(total.max(0) as u64)
    }

    fn touch(&self, hash: &str) -> Result<Option<String>, CacheError> {
        let index = self.index();
        let mime: Option<String> = index
            .prepare_cached("SELECT mime_type FROM files WHERE hash = ?1")?
            .query_row([hash], |r| r.get(0))
            .optional()?;
        if mime.is_some() {
            index
                .prepare_cached(
                    "UPDATE files SET last_used = (SELECT MAX(last_used) + 1 FROM files)
                     WHERE hash = ?1",
                )?
                .execute([hash])?;
        }
        Ok(mime)
    }

    fn forget(&self, hash: &str) -> Result<(), CacheError> {
        let index = self.index();
        index.execute("DELETE FROM files WHERE hash = ?1", [hash])?;
        index.execute("DELETE FROM media WHERE hash = ?1", [hash])?;
        Ok(())
    }

    /// What is known of a media id: available (with a hash still held),
    /// unavailable, or nothing.
    fn known(&self, media_id: &str) -> Result<Option<MediaStatus>, CacheError> {
        // state, hash, and the file's type and size when it is still held.
        type Row = (String, Option<String>, Option<String>, Option<i64>);
        let row: Option<Row> = self
            .index()
            .prepare_cached(
                "SELECT m.state, m.hash, f.mime_type, f.size
                 FROM media m LEFT JOIN files f ON f.hash = m.hash WHERE m.media_id = ?1",
            )?
            .query_row([media_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        Ok(match row {
            Some((state, _, _, _)) if state == "unavailable" => Some(MediaStatus::Unavailable),
            Some((_, Some(hash), Some(mime_type), Some(size))) if self.path_of(&hash).exists() => {
                Some(MediaStatus::Available {
                    hash,
                    mime_type,
                    size: size.max(0) as u64,
                })
            }
            _ => None,
        })
    }

    fn remember(&self, media_id: &str, status: &MediaStatus) -> Result<(), CacheError> {
        let (state, hash) = match status {
            MediaStatus::Available { hash, .. } => ("available", Some(hash.as_str())),
            MediaStatus::Unavailable => ("unavailable", None),
            MediaStatus::Failed { .. } => return Ok(()),
        };
        self.index().execute(
            "INSERT INTO media (media_id, state, hash) VALUES (?1, ?2, ?3)
             ON CONFLICT (media_id) DO UPDATE SET state = excluded.state, hash = excluded.hash",
            params![media_id, state, hash],
        )?;
        Ok(())
    }
}

/// The setting holding the cache's size limit in bytes (absent: 2 GB).
pub const CACHE_LIMIT_SETTING: &str = "media.cache_limit_bytes";

/// A copy of a cached file for the system's default app to open: under its
/// plain name (the app is chosen by it) in `dir/<hash>/`, made once and
/// reused after. `None` when the cache does not hold the hash.
pub fn copy_for_opening(
    cache: &MediaCache,
    hash: &str,
    dir: &Path,
    suggested: &str,
) -> Result<Option<PathBuf>, CacheError> {
    if !is_hash(hash) {
        return Ok(None);
    }
    let folder = dir.join(hash);
    let existing = folder.join(plain_file_name(suggested));
    if existing.is_file() && cache.contains(hash)? {
        return Ok(Some(existing));
    }
    save_copy(cache, hash, &folder, suggested)
}

/// Copies a cached file into `dir` under `suggested` (a customer's file
/// name, reduced to a plain name), never replacing a file already there:
/// `invoice.pdf`, then `invoice (1).pdf`, … Returns where it went.
pub fn save_copy(
    cache: &MediaCache,
    hash: &str,
    dir: &Path,
    suggested: &str,
) -> Result<Option<PathBuf>, CacheError> {
    let Some(file) = cache.read(hash)? else {
        return Ok(None);
    };
    let name = plain_file_name(suggested);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_owned(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    std::fs::create_dir_all(dir).map_err(|e| cache.io(e))?;
    for n in 0..1_000 {
        let candidate = if n == 0 {
            dir.join(&name)
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut out) => {
                out.write_all(&file.bytes).map_err(|e| cache.io(e))?;
                return Ok(Some(candidate));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(cache.io(e)),
        }
    }
    Err(cache.io(std::io::Error::other("too many files with this name")))
}

/// Copies a cached file to exactly `path`, a place the user chose in the
/// system's save dialog. That dialog has already asked before replacing a
/// file there, so one that exists is replaced, in one step: the bytes go to
/// a temporary file beside it, which then takes its place, so a failed copy
/// never leaves half a file nor loses the one that was there. A folder at
/// `path` is never replaced.
pub fn save_to(cache: &MediaCache, hash: &str, path: &Path) -> Result<(), CacheError> {
    let file = cache.read(hash)?.ok_or(CacheError::NotCached)?;
    let write_error = |source: std::io::Error| CacheError::Write {
        path: path.display().to_string(),
        source,
    };
    if path.is_dir() {
        return Err(write_error(std::io::Error::other("it is a folder")));
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut part = tempfile::Builder::new()
        .prefix(".hourglass-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(write_error)?;
    part.write_all(&file.bytes).map_err(write_error)?;
    part.as_file().sync_all().map_err(write_error)?;
    // A temporary file is private to its owner; the saved copy is an
    // ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        part.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(write_error)?;
    }
    part.persist(path).map_err(|e| write_error(e.error))?;
    Ok(())
}

/// A file name with no directory part, no control or reserved characters,
/// not hidden, at most 120 characters; `file` when nothing is left.
pub fn plain_file_name(suggested: &str) -> String {
    let last = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !"<>:\"|?*".contains(*c))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

/// The type the window is given for a cached file: images WhatsApp sends
/// (JPEG, PNG, WebP), audio and video as themselves; anything else as an
/// opaque `application/octet-stream`, so a customer's HTML or SVG
/// "document" is never rendered.
pub fn served_type(mime_type: &str) -> &str {
    let essence = hourglass_whatsapp::media::essence(mime_type);
    let inline = ["image/jpeg", "image/png", "image/webp"].contains(&essence.as_str())
        || essence.starts_with("audio/")
        || essence.starts_with("video/");
    if inline {
        mime_type
    } else {
        "application/octet-stream"
    }
}

/// The bytes a `Range` header asks for in a file of `len` bytes, as an
/// inclusive `(first, last)`: `None` for no header or one this does not
/// serve (several ranges, a unit other than bytes: the whole file is sent),
/// `Some(Err(()))` for a range outside the file (416). The window's media
/// player reads audio and video by ranges.
#[allow(clippy::result_unit_err)]
pub fn byte_range(header: Option<&str>, len: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = header?.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        // The last n bytes.
        let n: u64 = last.parse().ok()?;
        if n == 0 || len == 0 {
            return Some(Err(()));
        }
        (len.saturating_sub(n), len - 1)
    } else {
        let first: u64 = first.parse().ok()?;
        let last = if last.is_empty() {
            len.saturating_sub(1)
        } else {
            last.parse::<u64>().ok()?.min(len.saturating_sub(1))
        };
        if first >= len || last < first {
            return Some(Err(()));
        }
        (first, last)
    };
    Some(Ok(range))
}

/// Deletes the least recently used index rows (never `keep`) until the
/// total is within `limit`; returns the hashes whose files must go.
fn evict(tx: &Connection, limit: u64, keep: &str) -> rusqlite::Result<Vec<String>> {
    let mut total: i64 =
        tx.query_row("SELECT COALESCE(SUM(size), 0) FROM files", [], |r| r.get(0))?;
    let mut gone = Vec::new();
    let mut oldest =
        tx.prepare("SELECT hash, size FROM files WHERE hash != ?1 ORDER BY last_used ASC")?;
    let mut rows = oldest.query([keep])?;
    while total > limit as i64 {
        let Some(row) = rows.next()? else { break };
        let (hash, size): (String, i64) = (row.get(0)?, row.get(1)?);
        total -= size;
        gone.push(hash);
    }
    drop(rows);
    for hash in &gone {
        tx.execute("DELETE FROM files WHERE hash = ?1", [hash])?;
        tx.execute("DELETE FROM media WHERE hash = ?1", [hash])?;
    }
    Ok(gone)
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A `sha256` as webhooks carry it (base64) or as `GET /{media-id}` does
/// (hex), as raw digest bytes.
fn digest_of(announced: &str) -> Option<Vec<u8>> {
    let s = announced.trim();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return hex::decode(s).ok();
    }
    let engines = [
        base64::engine::general_purpose::STANDARD,
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    engines
        .iter()
        .find_map(|e| e.decode(s).ok())
        .filter(|d| d.len() == 32)
}

/// Whether `bytes` match a `sha256` announced for them. A value that is no
/// SHA-256 in either encoding matches nothing.
pub fn sha256_matches(bytes: &[u8], announced: &str) -> bool {
    digest_of(announced).is_some_and(|d| d.as_slice() == Sha256::digest(bytes).as_slice())
}

/// Downloads media on demand into a [`MediaCache`].
pub struct MediaFetcher {
    graph: Arc<GraphClient>,
    cache: Arc<MediaCache>,
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl std::fmt::Debug for MediaFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MediaFetcher")
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl MediaFetcher {
    pub fn new(graph: Arc<GraphClient>, cache: Arc<MediaCache>) -> Self {
        MediaFetcher {
            graph,
            cache,
            in_flight: Mutex::default(),
        }
    }

    pub fn cache(&self) -> &Arc<MediaCache> {
        &self.cache
    }

    /// The file of a media message: from the cache, else from the Graph
    /// API (checked, then kept).
    pub async fn fetch(&self, media: &MediaInfo) -> MediaStatus {
        let Some(kind) = MediaKind::parse(&media.kind) else {
            return failed(
                ErrorCode::MediaUnknownKind,
                "This kind of file cannot be shown.",
                false,
            );
        };
        if let Some(known) = self.known(&media.id) {
            return known;
        }
        // A file this desktop sent was kept when it was attached.
        if let Some(hash) = media.sha256.as_deref()
            && let Ok(Some(held)) = self.cache.held(hash)
        {
            return held;
        }
        if media.id.is_empty() {
            return failed(
                ErrorCode::MediaNotUploaded,
                "The file is still being sent.",
                true,
            );
        }
        let gate = {
            let mut map = self
                .in_flight
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            map.entry(media.id.clone()).or_default().clone()
        };
        let status = {
            let _turn = gate.lock().await;
            // Whoever held the turn before may have fetched it.
            match self.known(&media.id) {
                Some(known) => known,
                None => {
                    let status = self.download(media, kind).await;
                    if let Err(e) = self.cache.remember(&media.id, &status) {
                        tracing::warn!(error = %e, "media state not kept");
                    }
                    status
                }
            }
        };
        let mut map = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if Arc::strong_count(&gate) <= 2 {
            map.remove(&media.id);
        }
        status
    }

    fn known(&self, media_id: &str) -> Option<MediaStatus> {
        match self.cache.known(media_id) {
            Ok(known) => known,
            Err(e) => {
                tracing::warn!(error = %e, "media cache index unreadable");
                None
            }
        }
    }

    async fn download(&self, media: &MediaInfo, kind: MediaKind) -> MediaStatus {
        let info = match self.graph.media_info(&media.id).await {
            Ok(info) => info,
            // Meta answers an expired media id as one that never existed.
            Err(e) if e.code() == ErrorCode::GraphUnknownObject => return MediaStatus::Unavailable,
            Err(e) => return from_graph(&e),
        };
        let limit = kind.max_bytes_for(media.animated);
        let bytes = match self.graph.download_media_capped(&info, limit).await {
            Ok(bytes) => bytes,
            Err(e) => return from_graph(&e),
        };
        if let Some(announced) = media.sha256.as_deref()
            && !sha256_matches(&bytes, announced)
        {
            tracing::warn!(media_id = %media.id, "media checksum differs from the webhook's");
            return failed(
                ErrorCode::MediaChecksum,
                "The file arrived damaged (its checksum does not match). Try again.",
                true,
            );
        }
        let mime_type = if info.mime_type.trim().is_empty() {
            media
                .mime_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".to_owned())
        } else {
            info.mime_type.clone()
        };
        match self.cache.put(&bytes, &mime_type) {
            Ok(hash) => MediaStatus::Available {
                hash,
                mime_type,
                size: bytes.len() as u64,
            },
            Err(e) => failed(e.code(), &e.to_string(), true),
        }
    }
}

fn failed(code: ErrorCode, message: &str, retryable: bool) -> MediaStatus {
    MediaStatus::Failed {
        code,
        params: Params::new(),
        message: message.to_owned(),
        retryable,
    }
}

fn from_graph(e: &GraphError) -> MediaStatus {
    let retryable = match e {
        GraphError::MediaTooLarge { .. } => false,
        // A download URL that stopped answering, a refused token: asking
        // again gets a fresh URL, or works once the token is replaced.
        GraphError::Http { .. } | GraphError::Transport { .. } => true,
        other => {
            other.retry() != RetryAdvice::Never || other.code() == ErrorCode::GraphTokenInvalid
        }
    };
    MediaStatus::Failed {
        code: e.code(),
        params: e.params(),
        message: e.to_string(),
        retryable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(limit: u64) -> (tempfile::TempDir, MediaCache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = MediaCache::open(&dir.path().join("media"), limit).unwrap();
        (dir, cache)
    }

    #[test]
    fn files_are_named_by_their_hash_and_read_back() {
        let (_dir, c) = cache(1_000);
        let hash = c.put(b"hello", "text/plain").unwrap();
        assert_eq!(hash, hex::encode(Sha256::digest(b"hello")));
        let file = c.read(&hash).unwrap().unwrap();
        assert_eq!(
            (file.mime_type.as_str(), file.bytes.as_slice()),
            ("text/plain", &b"hello"[..])
        );
        // Only hashes reach the disk.
        for bad in ["../index.sqlite3", "", &hash.to_uppercase(), &hash[..63]] {
            assert_eq!(c.read(bad).unwrap(), None, "{bad}");
        }
        assert_eq!(c.size().unwrap(), 5);
    }

    #[test]
    fn the_least_recently_used_files_go_first() {
        let (_dir, c) = cache(25);
        let a = c.put(&[b'a'; 10], "x/a").unwrap();
        let b = c.put(&[b'b'; 10], "x/b").unwrap();
        // Reading a makes b the least recently used.
        assert!(c.read(&a).unwrap().is_some());
        let d = c.put(&[b'd'; 10], "x/d").unwrap();
        assert!(c.contains(&a).unwrap());
        assert!(!c.contains(&b).unwrap());
        assert!(!c.path_of(&b).exists(), "the evicted file is deleted");
        assert!(c.contains(&d).unwrap());
        assert_eq!(c.size().unwrap(), 20);
        // A file alone over the limit stays until the next one.
        let big = c.put(&[b'z'; 30], "x/z").unwrap();
        assert!(c.contains(&big).unwrap());
        assert_eq!(c.size().unwrap(), 30);
    }

    #[test]
    fn a_file_written_but_not_indexed_is_removed_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        let kept = {
            let c = MediaCache::open(&media, 1_000).unwrap();
            c.put(b"kept", "x/y").unwrap()
        };
        let stray = hex::encode(Sha256::digest(b"stray"));
        std::fs::create_dir_all(media.join(&stray[..2])).unwrap();
        std::fs::write(media.join(&stray[..2]).join(&stray), b"stray").unwrap();
        std::fs::write(media.join("x.part"), b"half").unwrap();
        let c = MediaCache::open(&media, 1_000).unwrap();
        assert!(c.contains(&kept).unwrap());
        assert!(!media.join(&stray[..2]).join(&stray).exists());
        assert!(!media.join("x.part").exists());
    }

    #[test]
    fn saved_copies_never_replace_a_file_nor_leave_their_folder() {
        let (dir, c) = cache(1_000);
        let hash = c.put(b"%PDF", "application/pdf").unwrap();
        let out = dir.path().join("Downloads");
        let first = save_copy(&c, &hash, &out, "../../etc/invoice.pdf")
            .unwrap()
            .unwrap();
        assert_eq!(first, out.join("invoice.pdf"));
        let second = save_copy(&c, &hash, &out, "invoice.pdf").unwrap().unwrap();
        assert_eq!(second, out.join("invoice (1).pdf"));
        assert_eq!(std::fs::read(&second).unwrap(), b"%PDF");
        assert_eq!(plain_file_name("..\\.hidden"), "hidden");
        assert_eq!(plain_file_name("a<b>|c?.txt"), "abc.txt");
        assert_eq!(plain_file_name(""), "file");
        assert_eq!(save_copy(&c, &"0".repeat(64), &out, "x").unwrap(), None);
        // Opening uses one copy per file, under its own name.
        let open = dir.path().join("open");
        let a = copy_for_opening(&c, &hash, &open, "../invoice.pdf")
            .unwrap()
            .unwrap();
        let b = copy_for_opening(&c, &hash, &open, "invoice.pdf")
            .unwrap()
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(a, open.join(&hash).join("invoice.pdf"));
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&first).unwrap());
        assert_eq!(copy_for_opening(&c, "../x", &open, "x").unwrap(), None);
    }

    #[test]
    fn saving_as_writes_exactly_the_chosen_path_and_replaces_what_the_dialog_confirmed() {
        let (dir, c) = cache(1_000);
        let hash = c.put(b"%PDF-1.7 invoice", "application/pdf").unwrap();
        let out = dir.path().join("Chosen");
        std::fs::create_dir_all(&out).unwrap();
        // The chosen name is kept as it is, even one unlike the suggestion.
        let chosen = out.join("my invoice copy");
        save_to(&c, &hash, &chosen).unwrap();
        assert_eq!(std::fs::read(&chosen).unwrap(), b"%PDF-1.7 invoice");
        // A file already there was confirmed in the dialog: it is replaced,
        // and no temporary file is left beside it.
        let existing = out.join("old.pdf");
        std::fs::write(&existing, b"an older, longer file than the new one").unwrap();
        save_to(&c, &hash, &existing).unwrap();
        assert_eq!(std::fs::read(&existing).unwrap(), b"%PDF-1.7 invoice");
        let mut names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["my invoice copy", "old.pdf"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&existing).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn saving_as_refuses_a_missing_entry_a_folder_and_a_missing_folder() {
        let (dir, c) = cache(1_000);
        let hash = c.put(b"%PDF", "application/pdf").unwrap();
        // Not in the cache (or not a hash at all): nothing is written.
        let target = dir.path().join("absent.pdf");
        for missing in ["0".repeat(64), "../x".to_owned()] {
            let err = save_to(&c, &missing, &target).unwrap_err();
            assert!(matches!(err, CacheError::NotCached), "{err}");
            assert_eq!(err.code(), ErrorCode::MediaNotCached);
        }
        assert!(!target.exists());
        // A folder at the path stays a folder, with what it held.
        let folder = dir.path().join("Folder");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("kept.txt"), b"kept").unwrap();
        let err = save_to(&c, &hash, &folder).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SaveFailed);
        assert!(err.to_string().contains("Folder"), "{err}");
        assert_eq!(std::fs::read(folder.join("kept.txt")).unwrap(), b"kept");
        // A folder that does not exist is a clear error.
        let nowhere = dir.path().join("no-such-folder").join("x.pdf");
        let err = save_to(&c, &hash, &nowhere).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SaveFailed);
        assert!(!nowhere.exists());
    }

    #[test]
    fn only_media_is_served_as_itself() {
        assert_eq!(served_type("image/png"), "image/png");
        assert_eq!(
            served_type("audio/ogg; codecs=opus"),
            "audio/ogg; codecs=opus"
        );
        assert_eq!(served_type("video/mp4"), "video/mp4");
        for risky in ["text/html", "image/svg+xml", "application/pdf", ""] {
            assert_eq!(served_type(risky), "application/octet-stream", "{risky}");
        }
    }

    #[test]
    fn byte_ranges_as_media_players_ask() {
        assert_eq!(byte_range(None, 100), None);
        assert_eq!(byte_range(Some("bytes=0-"), 100), Some(Ok((0, 99))));
        assert_eq!(byte_range(Some("bytes=10-19"), 100), Some(Ok((10, 19))));
        assert_eq!(byte_range(Some("bytes=90-500"), 100), Some(Ok((90, 99))));
        assert_eq!(byte_range(Some("bytes=-10"), 100), Some(Ok((90, 99))));
        assert_eq!(byte_range(Some("bytes=100-"), 100), Some(Err(())));
        assert_eq!(byte_range(Some("bytes=5-2"), 100), Some(Err(())));
        assert_eq!(byte_range(Some("bytes=0-1,5-6"), 100), None);
        assert_eq!(byte_range(Some("items=0-1"), 100), None);
    }

    #[test]
    fn checksums_in_either_encoding() {
        let digest = Sha256::digest(b"file");
        let b64 = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(sha256_matches(b"file", &b64));
        assert!(sha256_matches(b"file", &hex::encode(digest)));
        assert!(!sha256_matches(b"other", &b64));
        assert!(!sha256_matches(b"file", "not a checksum"));
        assert!(!sha256_matches(b"file", ""));
    }
}
