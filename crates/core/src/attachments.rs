//! What the window's file commands answer: the window hands over the bytes
//! of a file it picked, dropped or pasted (never a path); they are checked
//! against Meta's limits and kept in the profile until sent
//! ([`crate::outbox`]), or uploaded for a template's media header. A file
//! WhatsApp would not take is an answer, not an error: nothing was kept or
//! uploaded, and the window says why.

use crate::graph::GraphClient;
use crate::inbox::ConversationId;
use crate::media::MediaCache;
use crate::outbox::{self, AttachmentRefusal, MAX_ATTACHMENT_BYTES, Queued, StagedAttachment};
use crate::problem::{ErrorCode, Problem};
use crate::store::Store;
use crate::{Error, Result};
use serde::Serialize;
use std::sync::Arc;
use ts_rs::TS;

/// What became of a file the agent attached.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum AttachmentCheck {
    /// Kept in the profile until sent.
    Staged { attachment: StagedAttachment },
    /// WhatsApp would not take it; nothing was kept or uploaded.
    Refused { refusal: AttachmentRefusal },
}

/// What became of a file for a template's media header.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum HeaderUpload {
    /// Uploaded: the template names it by this id.
    Uploaded { media_id: String },
    /// WhatsApp would not take it for this header; nothing was uploaded.
    Refused { refusal: AttachmentRefusal },
}

/// The request carried no bytes (a file must arrive as the raw body).
pub fn not_bytes() -> Error {
    Problem::new(
        ErrorCode::AttachmentInvalid,
        "The file did not arrive as bytes.",
    )
    .into()
}

fn too_large(kind: &str, bytes: &[u8]) -> Option<AttachmentRefusal> {
    (bytes.len() as u64 > MAX_ATTACHMENT_BYTES).then(|| AttachmentRefusal::TooLarge {
        kind: kind.to_owned(),
        limit: MAX_ATTACHMENT_BYTES,
        size: bytes.len() as u64,
    })
}

/// Checks a file and keeps it in the profile until sent. A staged file is
/// also put in the media `cache` (when the session has one), so its bubble
/// shows it while it uploads.
pub fn stage(store: &Store, cache: Option<&MediaCache>, bytes: &[u8]) -> Result<AttachmentCheck> {
    if let Some(refusal) = too_large("document", bytes) {
        return Ok(AttachmentCheck::Refused { refusal });
    }
    let staged = match outbox::stage(store, bytes) {
        Ok(staged) => staged,
        Err(Error::AttachmentRefused(refusal)) => return Ok(AttachmentCheck::Refused { refusal }),
        Err(e) => return Err(e),
    };
    if let Some(Err(e)) = cache.map(|c| c.put(bytes, &staged.mime_type)) {
        tracing::warn!(error = %e, "an attached file is not shown until sent");
    }
    Ok(AttachmentCheck::Staged { attachment: staged })
}

/// Queues a staged file with its caption, now; refused with
/// `window_closed` like text when the 24-hour window has closed.
pub fn send(
    store: &mut Store,
    conversation: ConversationId,
    token: &str,
    filename: &str,
    caption: Option<&str>,
) -> Result<Queued> {
    let now = chrono::Utc::now().timestamp_millis();
    outbox::enqueue_media(store, conversation, token, filename, caption, now)
}

/// Uploads a file for a template's media header of `kind` (`image`,
/// `video`, `document`) through `graph` (absent without a session).
pub async fn upload_header(
    graph: Option<Arc<GraphClient>>,
    bytes: &[u8],
    kind: &str,
) -> Result<HeaderUpload> {
    if let Some(refusal) = too_large(kind, bytes) {
        return Ok(HeaderUpload::Refused { refusal });
    }
    let graph = graph.ok_or_else(|| {
        Problem::new(
            ErrorCode::NotConnected,
            "Connect a WhatsApp number (or try the demo) to send files.",
        )
    })?;
    match outbox::upload_header(&graph, bytes.to_vec(), kind).await {
        Ok(media_id) => Ok(HeaderUpload::Uploaded { media_id }),
        Err(Error::AttachmentRefused(refusal)) => Ok(HeaderUpload::Refused { refusal }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn a_file_is_staged_and_shown_or_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_in_dir(dir.path()).unwrap();
        let cache = MediaCache::open(&dir.path().join("media"), 1 << 20).unwrap();
        let AttachmentCheck::Staged { attachment } = stage(&store, Some(&cache), PNG).unwrap()
        else {
            panic!("a PNG is staged");
        };
        assert_eq!(attachment.mime_type, "image/png");
        assert!(cache.held(&attachment.token).unwrap().is_some());
        let empty = stage(&store, None, b"").unwrap();
        assert!(matches!(
            empty,
            AttachmentCheck::Refused {
                refusal: AttachmentRefusal::Empty
            }
        ));
        let big = vec![0u8; MAX_ATTACHMENT_BYTES as usize + 1];
        let AttachmentCheck::Refused { refusal } = stage(&store, None, &big).unwrap() else {
            panic!("too large");
        };
        assert!(
            matches!(refusal, AttachmentRefusal::TooLarge { ref kind, .. } if kind == "document")
        );
    }

    #[tokio::test]
    async fn a_header_needs_a_session_and_a_file_within_the_limit() {
        let err = upload_header(None, PNG, "image").await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotConnected);
        let big = vec![0u8; MAX_ATTACHMENT_BYTES as usize + 1];
        let HeaderUpload::Refused { refusal } = upload_header(None, &big, "video").await.unwrap()
        else {
            panic!("too large");
        };
        assert!(matches!(refusal, AttachmentRefusal::TooLarge { ref kind, .. } if kind == "video"));
        assert_eq!(not_bytes().code(), ErrorCode::AttachmentInvalid);
    }
}
