//! Commands behind the template picker: the synced approved templates, a
//! live preview as the agent fills the variables, and sending through the
//! outbox; and what a free-form reply costs. Validation, preview and cost
//! are the core's.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::inbox::ConversationId;
use hourglass_core::outbox::{self, OutboxHandle, Queued};
use hourglass_core::problem::ErrorCode;
use hourglass_core::service_cost::{self, ServiceCost};
use hourglass_core::templates::{
    self, TemplateFilter, TemplateKey, TemplateOption, TemplatePreview, TemplateValue,
};
use tauri::State;

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[tauri::command]
pub async fn list_templates(
    state: State<'_, AppState>,
    filter: TemplateFilter,
) -> Result<Vec<TemplateOption>, IpcError> {
    state.with_store(|s| templates::list(s, &filter, &s.rate_table()?, now_ms()))
}

#[tauri::command]
pub async fn preview_template(
    state: State<'_, AppState>,
    key: TemplateKey,
    values: Vec<TemplateValue>,
) -> Result<TemplatePreview, IpcError> {
    state.with_store(|s| templates::preview(s, &key, &values))
}

#[tauri::command]
pub async fn send_template(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    key: TemplateKey,
    values: Vec<TemplateValue>,
) -> Result<Queued, IpcError> {
    let queued = state
        .with_store(|s| outbox::enqueue_template(s, conversation_id, &key, &values, now_ms()))?;
    state.with_session(|s| s.outbox.as_ref().map(OutboxHandle::wake));
    Ok(queued)
}

/// Reads the account's templates from WhatsApp now (the picker's Refresh).
#[tauri::command]
pub async fn sync_templates(
    state: State<'_, AppState>,
) -> Result<templates::SyncedTemplates, IpcError> {
    let (store, graph) = state
        .with_session(|s| Some((s.store.as_ref().ok()?.clone(), s.graph.clone()?)))
        .ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotConnected,
                "Connect a WhatsApp number (or try the demo) to read its templates.",
            )
        })?;
    templates::sync(&store, &graph, now_ms())
        .await
        .map_err(IpcError::from)
}

/// What the next free-form reply in a conversation costs (the rate table's
/// service rate past its monthly allowance).
#[tauri::command]
pub async fn service_cost(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ServiceCost, IpcError> {
    state.with_store(|s| {
        service_cost::next_reply(s, conversation_id, &s.rate_table()?, chrono::Utc::now())
    })
}
