//! Tauri commands: thin calls into the core. Names are `verb_noun`.

use crate::error::IpcError;
use crate::state::{AppState, SessionInfo};
use hourglass_core::inbox::{ConversationId, ConversationSummary, Message};
use tauri::{AppHandle, State};

const MAX_LIMIT: u32 = 10_000;

#[tauri::command]
pub async fn list_conversations(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<Vec<ConversationSummary>, IpcError> {
    state.with_store(|s| s.list_conversations(limit.min(MAX_LIMIT)))
}

#[tauri::command]
pub async fn list_messages(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    limit: u32,
) -> Result<Vec<Message>, IpcError> {
    state.with_store(|s| s.list_messages(conversation_id, limit.min(MAX_LIMIT)))
}

#[tauri::command]
pub async fn get_session(state: State<'_, AppState>) -> Result<SessionInfo, IpcError> {
    Ok(state.session_info())
}

#[tauri::command]
pub async fn start_demo(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SessionInfo, IpcError> {
    crate::session::start_demo(&app).await?;
    Ok(state.session_info())
}
