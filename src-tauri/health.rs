//! Commands behind the account-health panel and banner, and taking a
//! conversation over from Meta's business AI agent. The rules, and reading
//! the rating in the background, are the core's (`hourglass_core::health`,
//! `hourglass_core::session`).

use crate::error::{Ctx, Id};
use hourglass_core::health::{self, AccountHealth};
use hourglass_core::inbox::ConversationSummary;

commands! {
    fn get_account_health(cx: Ctx<'_>) -> AccountHealth = cx.with_store(|s| health::read(s));
    /// Hides the banner's changes up to `through`.
    fn dismiss_health_alerts(cx: Ctx<'_>, through: i64) -> AccountHealth =
        cx.with_store(|s| health::dismiss(s, through).and_then(|()| health::read(s)));
    /// Reads the number's rating and tier from WhatsApp now (the panel's Refresh).
    fn refresh_account_health(cx: Ctx<'_>) -> AccountHealth = {
        cx.session()?.refresh_health_now().await?;
        cx.with_store(|s| health::read(s))
    };
    /// Answers the updated row (its owner is this app), or Meta's refusal.
    fn take_over(cx: Ctx<'_>, conversation_id: Id) -> ConversationSummary =
        cx.session()?.take_over(conversation_id).await;
}
