//! Commands behind the template picker: the synced approved templates, a
//! live preview as the agent fills the variables, and sending through the
//! outbox; and what a free-form reply costs. Validation, preview and cost
//! are the core's.

use crate::error::{Ctx, Id};
use chrono::Utc;
use hourglass_core::outbox::Queued;
use hourglass_core::service_cost::{self, ServiceCost};
use hourglass_core::templates::{self, SyncedTemplates, TemplateFilter, TemplateKey};
use hourglass_core::templates::{TemplateOption, TemplatePreview, TemplateValue};

commands! {
    fn list_templates(cx: Ctx<'_>, filter: TemplateFilter) -> Vec<TemplateOption> = {
        let now_ms = Utc::now().timestamp_millis();
        cx.with_store(|s| templates::list(s, &filter, &s.rate_table()?, now_ms))
    };
    fn preview_template(cx: Ctx<'_>, key: TemplateKey, values: Vec<TemplateValue>)
        -> TemplatePreview = cx.with_store(|s| templates::preview(s, &key, &values));
    fn send_template(cx: Ctx<'_>, conversation_id: Id, key: TemplateKey, values: Vec<TemplateValue>)
        -> Queued = cx.send_template(conversation_id, &key, &values);
    /// Reads the account's templates from WhatsApp now (the picker's Refresh).
    fn sync_templates(cx: Ctx<'_>) -> SyncedTemplates = cx.session()?.sync_templates().await;
    /// The rate table's service rate past its monthly allowance.
    fn service_cost(cx: Ctx<'_>, conversation_id: Id) -> ServiceCost = {
        let now = Utc::now();
        cx.with_store(|s| service_cost::next_reply(s, conversation_id, &s.rate_table()?, now))
    };
}
