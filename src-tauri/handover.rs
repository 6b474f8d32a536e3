//! Taking a conversation over from Meta's business AI agent.

use hourglass_core::handover;
use hourglass_core::inbox::{ConversationId, ConversationSummary};
use hourglass_core::problem::ErrorCode;
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;

/// Asks Meta to hand the conversation to this app; answers the updated row
/// (its owner is this app), or Meta's refusal with the owner unchanged.
#[tauri::command]
pub async fn take_over(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ConversationSummary, IpcError> {
    let store = state.with_session(|s| s.store.clone())?;
    let graph = state.with_session(|s| s.graph.clone()).ok_or_else(|| {
        IpcError::new(
            ErrorCode::NotConnected,
            "Connect a WhatsApp number to take conversations over.",
        )
    })?;
    let now = chrono::Utc::now().timestamp();
    Ok(handover::take_over(&graph, &store, conversation_id, now).await?)
}
