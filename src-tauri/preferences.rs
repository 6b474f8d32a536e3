//! The agent's preferences: the partner-code pattern that attributes leads
//! and the rate table cost estimates use. They belong to the profile (see
//! `hourglass_core::session::Profile`), which checks them before saving.

use crate::error::Ctx;
use hourglass_core::cost::RateTable;
use hourglass_core::session::LeadPatternView;

commands! {
    fn get_lead_pattern(cx: Ctx<'_>) -> LeadPatternView = cx.profile().lead_pattern();
    /// `null` goes back to the default.
    fn set_lead_pattern(cx: Ctx<'_>, pattern: Option<String>) -> LeadPatternView = {
        let session = cx.running().map(|s| s.store());
        cx.profile().set_lead_pattern(pattern.as_deref(), session.as_ref())
    };
    fn get_rate_table(cx: Ctx<'_>) -> RateTable = cx.with_profile_store(|s| s.rate_table());
    /// `null` restores the published rates.
    fn set_rate_table(cx: Ctx<'_>, table: Option<RateTable>) -> RateTable = {
        let session = cx.running().map(|s| s.store());
        cx.profile().set_rate_table(table.as_ref(), session.as_ref())
    };
}
