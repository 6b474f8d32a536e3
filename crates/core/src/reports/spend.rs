//! Template sends and spend (part of [`super::report`]): from the sends the
//! store keeps with the other figures (migration 0022), one row per send,
//! or by a pass over the range's messages, the reference the kept sends
//! are tested against. Both are tallied by [`tally`]; the customer's
//! country and the template's category are read when the report runs.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, params};

use super::{Period, Scope, Spend, SpendRow, figures};
use crate::cost::{self, PricingCategory, RateTable};
use crate::error::Result;
use hourglass_whatsapp::template::TemplateCategory;

/// One send as the spend report reads it.
struct SendRow {
    phone: String,
    meta_category: Option<String>,
    billable: Option<bool>,
    sender: Option<String>,
    template_category: Option<String>,
    window_open: bool,
}

fn send_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SendRow> {
    Ok(SendRow {
        phone: r.get(0)?,
        meta_category: r.get(1)?,
        billable: r.get(2)?,
        sender: r.get(3)?,
        template_category: r.get(4)?,
        window_open: r.get(5)?,
    })
}

/// From the kept sends: one indexed row per send of the range.
pub(super) fn of(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
    rates: &RateTable,
) -> Result<Spend> {
    figures::catch_up(conn)?;
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(ct.phone_e164, ''), s.pricing_category, s.billable, s.sender,
                t.category, s.window_open
         FROM report_sends s INDEXED BY report_sends_by_time
         JOIN conversations cv ON cv.id = s.conversation_id
         JOIN contacts ct ON ct.id = cv.contact_id
         LEFT JOIN templates t ON t.name = s.template_name AND t.language = s.template_language
         WHERE s.sent_at >= ?1 AND s.sent_at < ?2",
    )?;
    let rows = stmt.query_map(params![period.start, period.end], send_row)?;
    tally(rows, scope, rates)
}

/// By one pass over the range's messages, with a look at the customer's
/// window for each send.
pub(super) fn by_pass(
    conn: &Connection,
    period: &Period,
    scope: &Scope,
    rates: &RateTable,
) -> Result<Spend> {
    // The window was open when the send went out if the customer wrote in
    // the 24 hours before it: what the picker's estimate looked at.
    let mut stmt = conn.prepare_cached(
        "SELECT COALESCE(ct.phone_e164, ''), m.pricing_category, m.billable, m.sent_by,
                t.category,
                EXISTS (SELECT 1 FROM messages i
                        WHERE i.conversation_id = m.conversation_id
                          AND i.direction = 'inbound'
                          AND i.sent_at > m.sent_at - 86400 AND i.sent_at <= m.sent_at)
         FROM messages m INDEXED BY messages_billable_by_time
         JOIN conversations cv ON cv.id = m.conversation_id
         JOIN contacts ct ON ct.id = cv.contact_id
         LEFT JOIN outbox o ON o.message_id = m.id
         LEFT JOIN templates t
                ON t.name = json_extract(o.request, '$.template.name')
               AND t.language = json_extract(o.request, '$.template.language.code')
         WHERE m.sent_at >= ?1 AND m.sent_at < ?2
           AND (m.kind = 'template' OR m.billable = 1)
           AND m.direction = 'outbound' AND COALESCE(m.status, '') <> 'failed'",
    )?;
    let rows = stmt.query_map(params![period.start, period.end], send_row)?;
    tally(rows, scope, rates)
}

/// Meta's name of a pricing category, as the rate table prices it.
/// Categories Meta may add are priced as marketing, the dearest, as the
/// estimates do.
fn priced_as(meta: &str) -> PricingCategory {
    match meta {
        "utility" => PricingCategory::Utility,
        "authentication" | "authentication_international" => PricingCategory::Authentication,
        "service" | "referral_conversion" => PricingCategory::Service,
        _ => PricingCategory::Marketing,
    }
}

fn category_name(c: PricingCategory) -> &'static str {
    match c {
        PricingCategory::Marketing => "marketing",
        PricingCategory::Utility => "utility",
        PricingCategory::Authentication => "authentication",
        PricingCategory::Service => "service",
    }
}

/// Groups the sends by category and country, priced with the rate table.
fn tally(
    rows: impl Iterator<Item = rusqlite::Result<SendRow>>,
    scope: &Scope,
    rates: &RateTable,
) -> Result<Spend> {
    let mut countries: HashMap<String, String> = HashMap::new();
    let mut groups: BTreeMap<(String, String), SpendRow> = BTreeMap::new();
    for row in rows {
        let SendRow {
            phone,
            meta_category,
            billable,
            sender,
            template_category,
            window_open,
        } = row?;
        if !scope.sent(sender.as_deref()) {
            continue;
        }
        let country = countries
            .entry(phone)
            .or_insert_with_key(|phone| cost::calling_code_of(phone).unwrap_or_default())
            .clone();
        let estimated_category = template_category
            .as_deref()
            .map(|c| {
                PricingCategory::of(
                    serde_json::from_value(serde_json::Value::String(c.to_owned()))
                        .unwrap_or(TemplateCategory::Unknown),
                )
            })
            .or_else(|| meta_category.as_deref().map(priced_as))
            .unwrap_or(PricingCategory::Marketing);
        let category = meta_category
            .clone()
            .unwrap_or_else(|| category_name(estimated_category).to_owned());
        let code = (!country.is_empty()).then_some(country.as_str());
        let estimate = cost::estimate_in(estimated_category, code, window_open, rates);
        let charged = match billable {
            Some(true) => {
                let meta = priced_as(meta_category.as_deref().unwrap_or(""));
                Some(cost::estimate_in(meta, code, false, rates).amount)
            }
            _ => None,
        };
        let row = groups
            .entry((category.clone(), country.clone()))
            .or_insert_with(|| empty_row(category, country));
        row.sends += 1;
        row.billable += u32::from(billable == Some(true));
        row.awaiting_pricing += u32::from(billable.is_none());
        row.spend += charged.unwrap_or(0.0);
        row.estimated_billable += u32::from(!estimate.free);
        row.estimate += estimate.amount;
    }
    let rows: Vec<SpendRow> = groups.into_values().collect();
    let mut total = empty_row(String::new(), String::new());
    for r in &rows {
        total.sends += r.sends;
        total.billable += r.billable;
        total.awaiting_pricing += r.awaiting_pricing;
        total.spend += r.spend;
        total.estimated_billable += r.estimated_billable;
        total.estimate += r.estimate;
    }
    Ok(Spend {
        currency: rates.currency.clone(),
        rows,
        total,
    })
}

fn empty_row(category: String, country: String) -> SpendRow {
    SpendRow {
        category,
        country,
        sends: 0,
        billable: 0,
        awaiting_pricing: 0,
        spend: 0.0,
        estimated_billable: 0,
        estimate: 0.0,
    }
}
