//! Meta's media kinds and their limits: which formats each kind takes and
//! how large a file may be, for uploads the desktop checks before sending,
//! the simulator's validation, and the cap on what the desktop downloads.
//!
//! | kind | formats | size limit |
//! |---|---|---|
//! | image | JPEG, PNG | 5 MB |
//! | video | MP4, 3GPP | 16 MB |
//! | audio | AAC, AMR, MP3, M4A, OGG-Opus | 16 MB |
//! | document | any | 100 MB |
//! | sticker | WebP | 100 KB static, 500 KB animated |
//!
//! A megabyte here is 1024 × 1024 bytes: Meta does not say which it means,
//! and the larger reading never refuses a file Meta would take.

use serde::{Deserialize, Serialize};

const KB: u64 = 1024;
const MB: u64 = 1024 * 1024;

/// A WhatsApp media message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Document,
    Sticker,
}

/// Why a file cannot be sent as a kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaRefusal {
    #[error("{kind} messages take {formats}, not {mime_type}")]
    Format {
        kind: &'static str,
        formats: &'static str,
        mime_type: String,
    },
    #[error("{kind} files may be at most {limit} bytes; this one has {size}")]
    TooLarge {
        kind: &'static str,
        limit: u64,
        size: u64,
    },
}

impl MediaKind {
    pub const ALL: [MediaKind; 5] = [
        MediaKind::Image,
        MediaKind::Video,
        MediaKind::Audio,
        MediaKind::Document,
        MediaKind::Sticker,
    ];

    /// Meta's name: the message `type`.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }

    pub fn parse(kind: &str) -> Option<MediaKind> {
        MediaKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// The largest file of this kind; for stickers, an animated one.
    pub fn max_bytes(self) -> u64 {
        match self {
            MediaKind::Image => 5 * MB,
            MediaKind::Video | MediaKind::Audio => 16 * MB,
            MediaKind::Document => 100 * MB,
            MediaKind::Sticker => 500 * KB,
        }
    }

    /// The largest file of this kind, knowing whether a sticker is animated.
    pub fn max_bytes_for(self, animated: bool) -> u64 {
        match self {
            MediaKind::Sticker if !animated => 100 * KB,
            other => other.max_bytes(),
        }
    }

    /// The MIME types (without parameters) this kind accepts; empty: any.
    pub fn formats(self) -> &'static [&'static str] {
        match self {
            MediaKind::Image => &["image/jpeg", "image/png"],
            MediaKind::Video => &["video/mp4", "video/3gpp"],
            MediaKind::Audio => &[
                "audio/aac",
                "audio/amr",
                "audio/mpeg",
                "audio/mp4",
                "audio/ogg",
            ],
            MediaKind::Document => &[],
            MediaKind::Sticker => &["image/webp"],
        }
    }

    fn formats_in_words(self) -> &'static str {
        match self {
            MediaKind::Image => "JPEG or PNG",
            MediaKind::Video => "MP4 or 3GPP",
            MediaKind::Audio => "AAC, AMR, MP3, M4A or OGG-Opus",
            MediaKind::Document => "any file",
            MediaKind::Sticker => "WebP",
        }
    }

    /// Whether `mime_type` (parameters such as `; codecs=opus` ignored) is
    /// one of this kind's formats.
    pub fn accepts(self, mime_type: &str) -> bool {
        let formats = self.formats();
        formats.is_empty() || formats.contains(&essence(mime_type).as_str())
    }

    /// Checks a file against this kind's formats and size.
    pub fn check(self, mime_type: &str, size: u64, animated: bool) -> Result<(), MediaRefusal> {
        if !self.accepts(mime_type) {
            return Err(MediaRefusal::Format {
                kind: self.as_str(),
                formats: self.formats_in_words(),
                mime_type: mime_type.to_owned(),
            });
        }
        let limit = self.max_bytes_for(animated);
        if size > limit {
            return Err(MediaRefusal::TooLarge {
                kind: self.as_str(),
                limit,
                size,
            });
        }
        Ok(())
    }

    /// The kind a file of this MIME type is sent as: an image, video or
    /// audio format as that kind, anything else as a document. Stickers are
    /// never chosen for an agent's file: WhatsApp shows a WebP photo as a
    /// sticker only when asked to.
    pub fn for_upload(mime_type: &str) -> MediaKind {
        [MediaKind::Image, MediaKind::Video, MediaKind::Audio]
            .into_iter()
            .find(|k| k.accepts(mime_type))
            .unwrap_or(MediaKind::Document)
    }
}

/// `type/subtype` in lower case, without parameters.
pub fn essence(mime_type: &str) -> String {
    mime_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_table() {
        assert!(MediaKind::Image.check("image/jpeg", 5 * MB, false).is_ok());
        assert!(matches!(
            MediaKind::Image.check("image/png", 5 * MB + 1, false),
            Err(MediaRefusal::TooLarge { limit, .. }) if limit == 5 * MB
        ));
        assert!(matches!(
            MediaKind::Image.check("image/gif", 10, false),
            Err(MediaRefusal::Format { .. })
        ));
        assert!(
            MediaKind::Audio
                .check("audio/ogg; codecs=opus", 1, false)
                .is_ok()
        );
        assert!(MediaKind::Video.check("video/3gpp", 16 * MB, false).is_ok());
        assert!(
            MediaKind::Document
                .check("application/x-anything", 100 * MB, false)
                .is_ok()
        );
        assert!(
            MediaKind::Document
                .check("application/pdf", 100 * MB + 1, false)
                .is_err()
        );
        assert!(
            MediaKind::Sticker
                .check("image/webp", 101 * KB, false)
                .is_err()
        );
        assert!(
            MediaKind::Sticker
                .check("image/webp", 101 * KB, true)
                .is_ok()
        );
    }

    #[test]
    fn uploads_pick_their_kind() {
        assert_eq!(MediaKind::for_upload("IMAGE/PNG"), MediaKind::Image);
        assert_eq!(MediaKind::for_upload("audio/mpeg"), MediaKind::Audio);
        assert_eq!(MediaKind::for_upload("video/mp4"), MediaKind::Video);
        assert_eq!(MediaKind::for_upload("image/gif"), MediaKind::Document);
        assert_eq!(
            MediaKind::for_upload("application/pdf"),
            MediaKind::Document
        );
        for k in MediaKind::ALL {
            assert_eq!(MediaKind::parse(k.as_str()), Some(k));
        }
    }
}
