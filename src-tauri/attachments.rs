//! Files the agent sends: the window hands over the bytes of a file it
//! picked, dropped or pasted (never a path), the core checks them against
//! Meta's limits and keeps them in the profile, then queues the send. The
//! rules are in `hourglass_core::outbox`.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::Error;
use hourglass_core::inbox::ConversationId;
use hourglass_core::outbox::{
    self, AttachmentRefusal, MAX_ATTACHMENT_BYTES, Queued, StagedAttachment,
};
use hourglass_core::problem::ErrorCode;
use tauri::State;
use tauri::ipc::{InvokeBody, Request};

/// What became of a file the agent attached.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum AttachmentCheck {
    /// Kept in the profile until sent.
    Staged { attachment: StagedAttachment },
    /// WhatsApp would not take it; nothing was kept or uploaded.
    Refused { refusal: AttachmentRefusal },
}

/// Checks a file (the raw request body) and keeps it until sent. A file
/// WhatsApp would not take is answered with the reason, and nothing is
/// kept.
#[tauri::command]
pub async fn stage_attachment(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<AttachmentCheck, IpcError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::new(
            ErrorCode::AttachmentInvalid,
            "The file did not arrive as bytes.",
        ));
    };
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Ok(AttachmentCheck::Refused {
            refusal: AttachmentRefusal::TooLarge {
                kind: "document".to_owned(),
                limit: MAX_ATTACHMENT_BYTES,
                size: bytes.len() as u64,
            },
        });
    }
    let store = state.store()?;
    let staged = outbox::stage(&store.lock().unwrap_or_else(|p| p.into_inner()), bytes);
    let staged = match staged {
        Ok(staged) => staged,
        Err(Error::AttachmentRefused(refusal)) => return Ok(AttachmentCheck::Refused { refusal }),
        Err(e) => return Err(e.into()),
    };
    // The bubble shows the file from the cache while it uploads.
    if let Some(fetcher) = state.media()
        && let Err(e) = fetcher.cache().put(bytes, &staged.mime_type)
    {
        tracing::warn!(error = %e, "an attached file is not shown until sent");
    }
    Ok(AttachmentCheck::Staged { attachment: staged })
}

/// Queues a staged file with its caption; refused with `window_closed`
/// like text when the 24-hour window has closed.
#[tauri::command]
pub async fn send_attachment(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    token: String,
    filename: String,
    caption: Option<String>,
) -> Result<Queued, IpcError> {
    let now = chrono::Utc::now().timestamp_millis();
    let queued = state.with_store(|s| {
        outbox::enqueue_media(
            s,
            conversation_id,
            &token,
            &filename,
            caption.as_deref(),
            now,
        )
    })?;
    state.wake_outbox();
    Ok(queued)
}

/// The agent dropped an attached file: its staged copy goes unless a queued
/// message needs it.
#[tauri::command]
pub async fn discard_attachment(state: State<'_, AppState>, token: String) -> Result<(), IpcError> {
    state.with_store(|s| outbox::discard_staged(s, &token))
}

/// What became of a file for a template's media header.
#[derive(Debug, Clone, serde::Serialize, ts_rs::TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum HeaderUpload {
    /// Uploaded: the template names it by this id.
    Uploaded { media_id: String },
    /// WhatsApp would not take it for this header; nothing was uploaded.
    Refused { refusal: AttachmentRefusal },
}

/// Uploads a file (the raw request body) for a template's media header;
/// the `Header-Kind` request header says which (`image`, `video`,
/// `document`).
#[tauri::command]
pub async fn upload_header_media(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<HeaderUpload, IpcError> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::new(
            ErrorCode::AttachmentInvalid,
            "The file did not arrive as bytes.",
        ));
    };
    let kind = request
        .headers()
        .get("Header-Kind")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Ok(HeaderUpload::Refused {
            refusal: AttachmentRefusal::TooLarge {
                kind,
                limit: MAX_ATTACHMENT_BYTES,
                size: bytes.len() as u64,
            },
        });
    }
    let graph = state.graph().ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotConnected,
            "Connect a WhatsApp number (or try the demo) to send files.",
        )
    })?;
    match outbox::upload_header(&graph, bytes.clone(), &kind).await {
        Ok(media_id) => Ok(HeaderUpload::Uploaded { media_id }),
        Err(Error::AttachmentRefused(refusal)) => Ok(HeaderUpload::Refused { refusal }),
        Err(e) => Err(e.into()),
    }
}
