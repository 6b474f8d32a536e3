//! What a free-form reply costs, for the composer: Meta is reported to charge
//! for service messages from October 2026, so the team's rate table has a
//! service rate per country (zero until set) and a monthly number of free
//! service messages ([`cost::service_estimate`]). This counts the month's
//! service messages in the store and prices the next one.

use crate::cost::{self, RateTable};
use crate::error::Result;
use crate::inbox::ConversationId;
use crate::phone::E164;
use crate::store::Store;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use serde::Serialize;
use ts_rs::TS;

/// The price of the next free-form reply in a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ServiceCost {
    /// What it costs past the free allowance; 0 while the team has set no
    /// service rate for the customer's country.
    pub rate: f64,
    pub currency: String,
    /// Free service messages a month (the rate table's).
    pub allowance: u32,
    /// Service messages sent this calendar month (UTC), by the whole team.
    pub used: u32,
    /// The next reply is free: within the allowance, or at a rate of 0.
    pub free: bool,
}

/// The first second of `now`'s calendar month, UTC (Meta bills by month).
fn month_start(now: DateTime<Utc>) -> i64 {
    Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
        .single()
        .map_or(now.timestamp(), |t| t.timestamp())
}

/// The cost of the next free-form reply in `conversation`, at `now`.
pub fn next_reply(
    store: &Store,
    conversation: ConversationId,
    rates: &RateTable,
    now: DateTime<Utc>,
) -> Result<ServiceCost> {
    let since = month_start(now);
    let (used, phone): (i64, Option<String>) = store.with_connection(|c| {
        let used = c
            .prepare_cached(
                "SELECT COUNT(*) FROM messages
                 WHERE sent_at >= ?1 AND direction = 'outbound' AND kind <> 'template'
                   AND handled_by IS NULL AND sent_from IS NULL",
            )?
            .query_row([since], |r| r.get(0))?;
        let phone = c
            .prepare_cached(
                "SELECT ct.phone_e164 FROM conversations cv
                 JOIN contacts ct ON ct.id = cv.contact_id WHERE cv.id = ?1",
            )?
            .query_row([conversation.0], |r| r.get(0))?;
        Ok((used, phone))
    })?;
    let used = u32::try_from(used).unwrap_or(u32::MAX);
    let code = phone
        .as_deref()
        .and_then(|p| E164::parse(p).ok())
        .and_then(|p| cost::calling_code(&p));
    let estimate = cost::service_estimate(code.as_deref(), used, rates);
    let rate = cost::service_estimate(code.as_deref(), u32::MAX, rates).amount;
    Ok(ServiceCost {
        rate,
        currency: estimate.currency,
        allowance: rates.service_free_per_month,
        used,
        free: estimate.free || estimate.amount == 0.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_starts_on_its_first_day_at_midnight_utc() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 21, 30, 0).unwrap();
        assert_eq!(
            month_start(now),
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0)
                .unwrap()
                .timestamp()
        );
    }
}
