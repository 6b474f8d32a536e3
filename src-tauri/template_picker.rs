//! Commands behind the template picker: the synced approved templates, a
//! live preview as the agent fills the variables, and sending through the
//! outbox; and what a free-form reply costs. Validation, preview and cost
//! are the core's.

use crate::error::{Ctx, Id, Reply};
use hourglass_core::outbox::Queued;
use hourglass_core::service_cost::{self, ServiceCost};
use hourglass_core::templates::{
    self, TemplateFilter, TemplateKey, TemplateOption, TemplatePreview, TemplateValue,
};

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[tauri::command]
pub async fn list_templates(cx: Ctx<'_>, filter: TemplateFilter) -> Reply<Vec<TemplateOption>> {
    cx.with_store(|s| templates::list(s, &filter, &s.rate_table()?, now_ms()))
}

#[tauri::command]
pub async fn preview_template(
    cx: Ctx<'_>,
    key: TemplateKey,
    values: Vec<TemplateValue>,
) -> Reply<TemplatePreview> {
    cx.with_store(|s| templates::preview(s, &key, &values))
}

#[tauri::command]
pub async fn send_template(
    cx: Ctx<'_>,
    conversation_id: Id,
    key: TemplateKey,
    values: Vec<TemplateValue>,
) -> Reply<Queued> {
    cx.send_template(conversation_id, &key, &values)
}

/// Reads the account's templates from WhatsApp now (the picker's Refresh).
#[tauri::command]
pub async fn sync_templates(cx: Ctx<'_>) -> Reply<templates::SyncedTemplates> {
    cx.session()?.sync_templates().await
}

/// What the next free-form reply in a conversation costs (the rate table's
/// service rate past its monthly allowance).
#[tauri::command]
pub async fn service_cost(cx: Ctx<'_>, conversation_id: Id) -> Reply<ServiceCost> {
    cx.with_store(|s| {
        service_cost::next_reply(s, conversation_id, &s.rate_table()?, chrono::Utc::now())
    })
}
