//! Files the agent sends: checked against Meta's limits by their real type
//! (sniffed from the bytes, never taken from the file name), staged in the
//! profile under their SHA-256 until sent, and queued as media rows.
//!
//! - [`stage`] refuses a file WhatsApp would not take with
//!   [`Error::AttachmentRefused`] before anything is kept or uploaded.
//! - [`enqueue_media`] refuses a closed 24 h window just as text is refused,
//!   and records the outbox row with the staged file's name. The worker
//!   uploads it, commits Meta's media id on the row, then sends; a crash in
//!   between sends without uploading again.
//! - The staged file stays until no unsent row needs it ([`release`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use hourglass_whatsapp::media::{MediaKind, essence};
use hourglass_whatsapp::send::{MediaBody, OutboundMessage};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::{OutboxId, Queued, Recipient, recipient, record_with, require_open_window};
use crate::error::{Error, Result};
use crate::inbox::{AttachmentRefusal, ConversationId, MediaInfo, MessageContent};
use crate::store::Store;

/// The folder of staged files, beside the profile's database.
pub const STAGING_DIR: &str = "outbox-media";

/// The largest file any kind takes (a document): nothing larger is read.
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// The longest caption Meta takes on a media message.
pub const MAX_CAPTION: usize = 1024;

/// A file checked and kept in the profile, ready to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StagedAttachment {
    /// Its SHA-256 in hex: the only name the window knows it by.
    pub token: String,
    /// How it is sent: `image`, `video`, `audio`, `document` or `sticker`.
    pub kind: String,
    /// Its real type, from its bytes.
    pub mime_type: String,
    #[ts(type = "number")]
    pub size: u64,
    pub animated: bool,
}

/// The real type of a file from its first bytes, in the words Meta's
/// upload takes (`audio/ogg` for OGG-Opus, `audio/mp4` for M4A).
pub fn sniff(bytes: &[u8]) -> String {
    let mut info = infer::Infer::new();
    info.add("video/3gpp", "3gp", is_3gpp);
    let Some(found) = info.get(bytes) else {
        return if std::str::from_utf8(bytes).is_ok() {
            "text/plain".to_owned()
        } else {
            "application/octet-stream".to_owned()
        };
    };
    match found.mime_type() {
        "audio/opus" => "audio/ogg".to_owned(),
        "audio/m4a" | "audio/x-m4a" => "audio/mp4".to_owned(),
        other => other.to_owned(),
    }
}

/// An ISO media file whose brand is 3GPP (`ftyp3gp…`).
fn is_3gpp(buf: &[u8]) -> bool {
    buf.len() > 11 && &buf[4..8] == b"ftyp" && &buf[8..11] == b"3gp"
}

/// A WebP with the animation flag of its extended header (`VP8X`).
fn is_animated_webp(buf: &[u8]) -> bool {
    buf.len() > 20 && &buf[12..16] == b"VP8X" && buf[20] & 0x02 != 0
}

/// Checks a file against Meta's table: the kind its bytes make it (WebP is
/// a sticker; images JPEG/PNG; video MP4/3GPP; audio AAC/AMR/MP3/M4A/OGG;
/// anything else a document) and that kind's size limit.
pub fn check(bytes: &[u8]) -> std::result::Result<StagedAttachment, AttachmentRefusal> {
    if bytes.is_empty() {
        return Err(AttachmentRefusal::Empty);
    }
    let mime_type = sniff(bytes);
    let kind = if MediaKind::Sticker.accepts(&mime_type) {
        MediaKind::Sticker
    } else {
        MediaKind::for_upload(&mime_type)
    };
    let animated = kind == MediaKind::Sticker && is_animated_webp(bytes);
    let size = bytes.len() as u64;
    kind.check(&mime_type, size, animated).map_err(|_| {
        let limit = kind.max_bytes_for(animated);
        if size > limit {
            AttachmentRefusal::TooLarge {
                kind: kind.as_str().to_owned(),
                limit,
                size,
            }
        } else {
            AttachmentRefusal::Format {
                kind: kind.as_str().to_owned(),
                mime_type: essence(&mime_type),
            }
        }
    })?;
    Ok(StagedAttachment {
        token: hex::encode(Sha256::digest(bytes)),
        kind: kind.as_str().to_owned(),
        mime_type,
        size,
        animated,
    })
}

/// The staging folder of a store's profile.
pub fn staging_dir(store: &Store) -> PathBuf {
    store
        .path()
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(STAGING_DIR)
}

fn is_token(token: &str) -> bool {
    token.len() == 64
        && token
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The path of a staged file; `None` for anything but a SHA-256 in hex.
pub(crate) fn staged_path(store: &Store, token: &str) -> Option<PathBuf> {
    is_token(token).then(|| staging_dir(store).join(token))
}

/// Checks a file and keeps it in the profile (written aside, flushed, then
/// renamed into place). Refused files are not kept.
pub fn stage(store: &Store, bytes: &[u8]) -> Result<StagedAttachment> {
    let staged = check(bytes).map_err(Error::AttachmentRefused)?;
    let dir = staging_dir(store);
    let path = dir.join(&staged.token);
    if !path.exists() {
        std::fs::create_dir_all(&dir).map_err(Error::AttachmentIo)?;
        let mut part = tempfile::Builder::new()
            .suffix(".part")
            .tempfile_in(&dir)
            .map_err(Error::AttachmentIo)?;
        part.write_all(bytes).map_err(Error::AttachmentIo)?;
        part.as_file().sync_all().map_err(Error::AttachmentIo)?;
        part.persist(&path)
            .map_err(|e| Error::AttachmentIo(e.error))?;
    }
    Ok(staged)
}

/// Reads a staged file back and checks it again.
pub(crate) fn read_staged(store: &Store, token: &str) -> Result<(Vec<u8>, StagedAttachment)> {
    let path = staged_path(store, token).ok_or(Error::AttachmentMissing)?;
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::AttachmentMissing);
        }
        Err(e) => return Err(Error::AttachmentIo(e)),
    };
    let staged = check(&bytes).map_err(Error::AttachmentRefused)?;
    if staged.token != token {
        return Err(Error::AttachmentMissing);
    }
    Ok((bytes, staged))
}

/// Removes a staged file no unsent outbox row needs any more.
pub(crate) fn release(store: &Store, token: &str) -> Result<()> {
    let needed: bool = store.with_connection(|c| {
        Ok(c.query_row(
            "SELECT EXISTS (SELECT 1 FROM outbox WHERE media_file = ?1
                 AND state IN ('queued', 'sending', 'needs_human') AND media_id IS NULL)",
            [token],
            |r| r.get(0),
        )?)
    })?;
    if !needed && let Some(path) = staged_path(store, token) {
        match std::fs::remove_file(path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::AttachmentIo(e)),
        }
    }
    Ok(())
}

/// The agent dropped a file they had attached (Cancel, or a different
/// file): its staged copy goes unless an unsent message still needs it.
pub fn discard_staged(store: &Store, token: &str) -> Result<()> {
    if !is_token(token) {
        return Err(Error::AttachmentMissing);
    }
    release(store, token)
}

/// Removes what attaching left behind: staged files older than `age` that no
/// unsent message needs (a preview the app was closed on), and unfinished
/// `.part` writes. Returns how many files went.
pub fn sweep_staging(store: &Store, age: std::time::Duration) -> Result<usize> {
    let dir = staging_dir(store);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::AttachmentIo(e)),
    };
    let now = std::time::SystemTime::now();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|d| d >= age);
        if !old {
            continue;
        }
        if is_token(&name) {
            let before = entry.path().exists();
            release(store, &name)?;
            removed += usize::from(before && !entry.path().exists());
        } else if name.ends_with(".part") && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Queues a staged file with an optional caption. Refused with
/// `window_closed` like text, and with `attachment_missing` when the file
/// was never staged, before anything is written.
pub fn enqueue_media(
    store: &mut Store,
    conversation: ConversationId,
    token: &str,
    filename: &str,
    caption: Option<&str>,
    now_ms: i64,
) -> Result<Queued> {
    let r: Recipient = recipient(store, conversation)?;
    require_open_window(&r, now_ms)?;
    let (_, staged) = read_staged(store, token)?;
    let kind = MediaKind::parse(&staged.kind).unwrap_or(MediaKind::Document);
    // Meta takes no caption on audio or stickers.
    let caption = caption
        .map(str::trim)
        .filter(|c| !c.is_empty() && !matches!(kind, MediaKind::Audio | MediaKind::Sticker));
    if let Some(caption) = caption {
        let chars = caption.chars().count();
        if chars > MAX_CAPTION {
            return Err(Error::TextInvalid {
                reason: crate::invalid::Invalid::CaptionTooLong {
                    chars,
                    max: MAX_CAPTION,
                },
            });
        }
    }
    // The agent's file name, reduced to a plain name, names the upload; a
    // document also shows it to the customer.
    let upload_name = crate::media::plain_file_name(filename);
    let filename = (kind == MediaKind::Document).then(|| upload_name.clone());
    let id = OutboxId::new();
    // The id is filled in once the upload answers.
    let media = MediaBody {
        id: None,
        link: None,
        caption: caption.map(str::to_owned),
        filename: filename.clone(),
    };
    let message = OutboundMessage::media(&r.to, kind, media).callback_data(id.0.clone());
    let content = MessageContent::Media(MediaInfo {
        kind: kind.as_str().to_owned(),
        id: String::new(),
        mime_type: Some(staged.mime_type.clone()),
        sha256: Some(staged.token.clone()),
        caption: caption.map(str::to_owned),
        filename: filename.clone(),
        voice: false,
        animated: staged.animated,
        local_path: None,
    });
    let body = caption
        .map(str::to_owned)
        .or_else(|| filename.clone())
        .unwrap_or_default();
    record_with(
        store,
        |_| Ok(conversation),
        &super::NewSend {
            id: &id,
            to: r.to.as_str(),
            kind: kind.as_str(),
            message: &message,
            body: &body,
            reply_to: None,
            content: Some(&content),
            media: Some(super::NewMedia {
                file: &staged.token,
                mime_type: &staged.mime_type,
                filename: Some(&upload_name),
            }),
        },
        now_ms,
    )
}

/// Checks a file for a template's media header of `kind` (`image` takes
/// JPEG or PNG up to 5 MB, `video` MP4 or 3GPP, `document` any file) and
/// uploads it at once; the template then names it by the id returned.
/// Refused before anything is uploaded.
pub async fn upload_header(
    graph: &crate::graph::GraphClient,
    bytes: Vec<u8>,
    kind: &str,
) -> Result<String> {
    let kind = MediaKind::parse(kind)
        .filter(|k| matches!(k, MediaKind::Image | MediaKind::Video | MediaKind::Document))
        .ok_or_else(|| Error::NotFound {
            what: format!("a media header of kind {kind:?}"),
        })?;
    if bytes.is_empty() {
        return Err(Error::AttachmentRefused(AttachmentRefusal::Empty));
    }
    let mime_type = sniff(&bytes);
    let size = bytes.len() as u64;
    if !kind.accepts(&mime_type) {
        return Err(Error::AttachmentRefused(AttachmentRefusal::Format {
            kind: kind.as_str().to_owned(),
            mime_type: essence(&mime_type),
        }));
    }
    if size > kind.max_bytes() {
        return Err(Error::AttachmentRefused(AttachmentRefusal::TooLarge {
            kind: kind.as_str().to_owned(),
            limit: kind.max_bytes(),
            size,
        }));
    }
    let name = format!("header.{}", extension(&mime_type));
    let uploaded = graph.upload_media(bytes, &mime_type, &name, None).await?;
    Ok(uploaded.id)
}

/// A file extension for an upload's name when the agent's is not sent.
pub(crate) fn extension(mime_type: &str) -> &'static str {
    match essence(mime_type).as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "video/mp4" => "mp4",
        "video/3gpp" => "3gp",
        "audio/aac" => "aac",
        "audio/amr" => "amr",
        "audio/mpeg" => "mp3",
        "audio/mp4" => "m4a",
        "audio/ogg" => "ogg",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        _ => "bin",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

    #[test]
    fn the_type_comes_from_the_bytes() {
        assert_eq!(sniff(PNG), "image/png");
        assert_eq!(sniff(b"%PDF-1.4\n"), "application/pdf");
        assert_eq!(sniff(b"plain words"), "text/plain");
        assert_eq!(sniff(&[0xff, 0x00, 0xfe, 0x01]), "application/octet-stream");
        let mut gp = b"\0\0\0\x18ftyp3gp4".to_vec();
        gp.extend_from_slice(&[0; 16]);
        assert_eq!(sniff(&gp), "video/3gpp");
    }

    #[test]
    fn metas_limits_apply_to_the_sniffed_kind() {
        let png = check(PNG).unwrap();
        assert_eq!(
            (png.kind.as_str(), png.mime_type.as_str()),
            ("image", "image/png")
        );
        let mut big = PNG.to_vec();
        big.resize(5 * 1024 * 1024 + 1, 0);
        assert_eq!(
            check(&big),
            Err(AttachmentRefusal::TooLarge {
                kind: "image".to_owned(),
                limit: 5 * 1024 * 1024,
                size: 5 * 1024 * 1024 + 1,
            })
        );
        // A PNG named .pdf is still a PNG; a PDF named .png is a document.
        let pdf = check(b"%PDF-1.4\n").unwrap();
        assert_eq!(pdf.kind, "document");
        let mut webp = b"RIFF\0\0\0\0WEBPVP8 ".to_vec();
        webp.resize(101 * 1024, 0);
        assert!(matches!(
            check(&webp),
            Err(AttachmentRefusal::TooLarge { ref kind, limit, .. })
                if kind == "sticker" && limit == 100 * 1024
        ));
        assert_eq!(check(b""), Err(AttachmentRefusal::Empty));
    }
}
