//! Taking a conversation over from Meta's business AI agent.

use crate::error::{Ctx, Id, Reply};
use hourglass_core::inbox::ConversationSummary;

/// Asks Meta to hand the conversation to this app; answers the updated row
/// (its owner is this app), or Meta's refusal with the owner unchanged.
#[tauri::command]
pub async fn take_over(cx: Ctx<'_>, conversation_id: Id) -> Reply<ConversationSummary> {
    cx.session()?.take_over(conversation_id).await
}
