//! Files the agent sends: the window hands over the bytes (never a path);
//! `hourglass_core::attachments` checks, keeps and uploads them.

use crate::{error::IpcError, state::AppState};
use hourglass_core::attachments::{self, AttachmentCheck, HeaderUpload};
use hourglass_core::inbox::ConversationId;
use hourglass_core::outbox::{self, Queued};
use tauri::State;
use tauri::ipc::{InvokeBody, Request};

/// The raw request body: the file.
fn bytes<'a>(request: &'a Request<'_>) -> Result<&'a [u8], IpcError> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes),
        _ => Err(attachments::not_bytes().into()),
    }
}

#[tauri::command]
pub async fn stage_attachment(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<AttachmentCheck, IpcError> {
    let (bytes, cache) = (bytes(&request)?, state.media());
    state.with_store(|s| attachments::stage(s, cache.as_ref().map(|m| &**m.cache()), bytes))
}

#[tauri::command]
pub async fn send_attachment(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    token: String,
    filename: String,
    caption: Option<String>,
) -> Result<Queued, IpcError> {
    let queued = state.with_store(|s| {
        attachments::send(s, conversation_id, &token, &filename, caption.as_deref())
    })?;
    state.wake_outbox();
    Ok(queued)
}

#[tauri::command]
pub async fn discard_attachment(state: State<'_, AppState>, token: String) -> Result<(), IpcError> {
    state.with_store(|s| outbox::discard_staged(s, &token))
}

/// Uploads a file for a template's media header; the `Header-Kind` request
/// header says which (`image`, `video`, `document`).
#[tauri::command]
pub async fn upload_header_media(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<HeaderUpload, IpcError> {
    let kind = request
        .headers()
        .get("Header-Kind")
        .and_then(|v| v.to_str().ok());
    let graph = state.graph();
    Ok(attachments::upload_header(graph, bytes(&request)?, kind.unwrap_or_default()).await?)
}
