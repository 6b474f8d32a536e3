//! What a message will cost, estimated before it is sent.
//!
//! Since July 2025 Meta charges per delivered **template**, by category and
//! by the recipient's country calling code; utility templates are free while
//! the customer's 24 h window is open. Free-form (service) messages have been
//! free too; Meta is reported to charge for them from October 2026, so the
//! table has a service rate per country, zero until the team sets one, and a
//! monthly number of free service messages ([`service_estimate`]).
//! [`estimate`] applies exactly those rules to a [`RateTable`].
//!
//! The default table ([`RateTable::default`]) holds a few markets, in EUR,
//! rounded from Meta's published per-message rate card of 2025 (which Meta
//! prices in USD and a few local currencies; the conversion is ours). They are
//! estimates to help an agent choose, not an invoice: rates change every
//! quarter and volume tiers lower them. The table is plain data, serialisable,
//! so Settings can show and edit it; countries it lacks use `other`.

use crate::phone::E164;
use hourglass_whatsapp::template::TemplateCategory;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// How Meta prices a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PricingCategory {
    Marketing,
    Utility,
    Authentication,
    /// Free-form messages inside the 24 h window.
    Service,
}

impl PricingCategory {
    /// The category of a template; one Meta has not told us is priced as
    /// marketing, the dearest, so an estimate never comes out too low.
    pub fn of(c: TemplateCategory) -> PricingCategory {
        match c {
            TemplateCategory::Utility => PricingCategory::Utility,
            TemplateCategory::Authentication => PricingCategory::Authentication,
            TemplateCategory::Marketing | TemplateCategory::Unknown => PricingCategory::Marketing,
        }
    }

    fn name(self) -> &'static str {
        match self {
            PricingCategory::Marketing => "marketing",
            PricingCategory::Utility => "utility",
            PricingCategory::Authentication => "authentication",
            PricingCategory::Service => "service",
        }
    }
}

/// Price per delivered message, per category, in the table's currency.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryRates {
    pub marketing: f64,
    pub utility: f64,
    pub authentication: f64,
    /// Per free-form (service) message; 0 (free) until the team sets it.
    /// Tables saved before it existed read as 0.
    #[serde(default)]
    pub service: f64,
}

/// Rates by country calling code (`"34"` for Spain, `"1"` for the US and
/// Canada), with `other` for the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RateTable {
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
    /// Where the numbers come from, shown next to every estimate.
    pub source: String,
    pub countries: BTreeMap<String, CategoryRates>,
    pub other: CategoryRates,
    /// Service messages each month that cost nothing (0: none).
    #[serde(default)]
    pub service_free_per_month: u32,
}

impl Default for RateTable {
    fn default() -> Self {
        let r = |marketing, utility, authentication| CategoryRates {
            marketing,
            utility,
            authentication,
            service: 0.0,
        };
        let countries = [
            ("1", r(0.0230, 0.0031, 0.0125)),  // United States, Canada
            ("7", r(0.0740, 0.0370, 0.0370)),  // Russia, Kazakhstan
            ("33", r(0.0790, 0.0250, 0.0250)), // France
            ("34", r(0.0510, 0.0170, 0.0170)), // Spain
            ("39", r(0.0570, 0.0250, 0.0250)), // Italy
            ("44", r(0.0490, 0.0200, 0.0200)), // United Kingdom
            ("49", r(0.1260, 0.0510, 0.0510)), // Germany
            ("52", r(0.0280, 0.0078, 0.0078)), // Mexico
            ("55", r(0.0580, 0.0063, 0.0063)), // Brazil
            ("91", r(0.0099, 0.0013, 0.0013)), // India
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        RateTable {
            currency: "EUR".to_owned(),
            source: "Estimate from Meta's published per-message rate card (2025), converted \
                     to EUR and rounded; edit in Settings. Meta's invoice is authoritative."
                .to_owned(),
            countries,
            other: r(0.0560, 0.0070, 0.0070),
            service_free_per_month: 0,
        }
    }
}

impl RateTable {
    /// Why this table cannot be used, in words for the agent; `Ok` when it
    /// can. Rates are finite and not negative, the currency is a three-letter
    /// code, and countries are calling codes (1 to 3 digits).
    pub fn check(&self) -> Result<(), String> {
        let currency = self.currency.trim();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(format!(
                "\"{}\" is not a currency code: use three capital letters such as EUR or USD.",
                self.currency
            ));
        }
        let rows = self
            .countries
            .iter()
            .map(|(code, r)| (format!("+{code}"), code.as_str(), r))
            .chain(std::iter::once((
                "other countries".to_owned(),
                "0",
                &self.other,
            )));
        for (label, code, rates) in rows {
            if code.is_empty() || code.len() > 3 || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "\"{code}\" is not a country calling code: use 1 to 3 digits, such as 34 for Spain."
                ));
            }
            for (what, value) in [
                ("marketing", rates.marketing),
                ("utility", rates.utility),
                ("authentication", rates.authentication),
                ("service", rates.service),
            ] {
                if !value.is_finite() || value < 0.0 {
                    return Err(format!(
                        "The {what} rate for {label} must be a number of zero or more."
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What sending would cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CostEstimate {
    pub category: PricingCategory,
    pub amount: f64,
    pub currency: String,
    pub free: bool,
    /// One sentence: why it is free, or which rate applies.
    pub reason: String,
}

/// The cost of one message of `category` to `recipient` (E.164, any form
/// the phone library reads), given whether the 24 h window is open.
pub fn estimate(
    category: PricingCategory,
    recipient: &str,
    window_open: bool,
    rates: &RateTable,
) -> CostEstimate {
    let code = E164::parse(recipient).ok().and_then(|p| calling_code(&p));
    estimate_in(category, code.as_deref(), window_open, rates)
}

/// [`estimate`] for a recipient whose country calling code (`"34"`) is
/// already known, or `None` when it is not.
pub fn estimate_in(
    category: PricingCategory,
    code: Option<&str>,
    window_open: bool,
    rates: &RateTable,
) -> CostEstimate {
    let free = |reason: &str| CostEstimate {
        category,
        amount: 0.0,
        currency: rates.currency.clone(),
        free: true,
        reason: reason.to_owned(),
    };
    match category {
        PricingCategory::Utility if window_open => {
            return free("Utility templates are free while the customer's 24-hour window is open.");
        }
        _ => {}
    }
    let (where_, table) = match code.and_then(|c| rates.countries.get(c).map(|t| (c, t))) {
        Some((c, t)) => (format!("+{c} numbers"), t),
        None => ("numbers in other countries".to_owned(), &rates.other),
    };
    let amount = match category {
        PricingCategory::Marketing => table.marketing,
        PricingCategory::Utility => table.utility,
        PricingCategory::Authentication => table.authentication,
        PricingCategory::Service => table.service,
    };
    if category == PricingCategory::Service && amount <= 0.0 {
        return free(
            "Free-form messages inside the 24-hour window are free at your rates (set a \
             service rate in Settings once Meta charges for them).",
        );
    }
    if amount <= 0.0 {
        return free(&format!(
            "Meta does not charge {} templates to {where_}.",
            category.name()
        ));
    }
    let what = match category {
        PricingCategory::Service => "free-form message".to_owned(),
        other => format!("{} template", other.name()),
    };
    CostEstimate {
        category,
        amount,
        currency: rates.currency.clone(),
        free: false,
        reason: format!(
            "About {} {amount:.4} per delivered {what} to {where_}.",
            rates.currency
        ),
    }
}

/// A free-form message to a recipient with country calling code `code`,
/// when `sent_this_month` service messages were already sent this month:
/// free within the table's monthly allowance, else priced at its service
/// rate.
pub fn service_estimate(
    code: Option<&str>,
    sent_this_month: u32,
    rates: &RateTable,
) -> CostEstimate {
    let allowance = rates.service_free_per_month;
    if sent_this_month < allowance {
        return CostEstimate {
            category: PricingCategory::Service,
            amount: 0.0,
            currency: rates.currency.clone(),
            free: true,
            reason: format!(
                "Within this month's {allowance} free service messages ({sent_this_month} used)."
            ),
        };
    }
    estimate_in(PricingCategory::Service, code, true, rates)
}

/// The country calling code of a number (`"34"` for Spain).
pub(crate) fn calling_code(phone: &E164) -> Option<String> {
    calling_code_of(phone.as_str())
}

/// The country calling code of a number stored in E.164 form
/// (`"+34612345678"` → `"34"`), without parsing the whole number. Calling
/// codes are a prefix code (no code begins another), so the first of the
/// number's 1-, 2- and 3-digit prefixes that libphonenumber's metadata
/// knows is the code. A report prices thousands of sends; a full parse per
/// send cost it more than the query did.
pub(crate) fn calling_code_of(e164: &str) -> Option<String> {
    let digits = e164.strip_prefix('+').unwrap_or(e164);
    (1..=3)
        .filter_map(|n| digits.get(..n))
        .find(|prefix| {
            !prefix.starts_with('0')
                && prefix.bytes().all(|b| b.is_ascii_digit())
                && prefix
                    .parse::<u16>()
                    .is_ok_and(|code| phonenumber::metadata::DATABASE.by_code(&code).is_some())
        })
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calling_code_of_a_stored_number_is_the_one_a_full_parse_finds() {
        for number in [
            "+16505551234",
            "+15551234567",
            "+34612345678",
            "+79123456789",
            "+77012345678",
            "+4915112345678",
            "+5511987654321",
            "+2348031234567",
            "+97150123456",
            "+35312345678",
            "+8613800138000",
            "+380501234567",
        ] {
            let parsed = phonenumber::parse(None, number)
                .map(|n| n.code().value().to_string())
                .ok();
            assert_eq!(calling_code_of(number), parsed, "{number}");
            assert!(parsed.is_some(), "{number}");
        }
        assert_eq!(calling_code_of(""), None);
        assert_eq!(calling_code_of("+0123"), None);
        assert_eq!(calling_code_of("+"), None);
    }

    #[test]
    fn a_rate_table_is_checked_before_use() {
        assert_eq!(RateTable::default().check(), Ok(()));
        let t = RateTable {
            currency: "euro".into(),
            ..RateTable::default()
        };
        assert!(t.check().unwrap_err().contains("currency code"));
        let mut t = RateTable::default();
        t.countries.insert("+34".into(), t.other);
        assert!(t.check().unwrap_err().contains("calling code"));
        let mut t = RateTable::default();
        t.countries.get_mut("49").unwrap().marketing = f64::NAN;
        assert!(t.check().unwrap_err().contains("marketing rate for +49"));
    }

    #[test]
    fn marketing_to_spain_costs_about_five_cents() {
        let e = estimate(
            PricingCategory::Marketing,
            "+34 612 345 678",
            true,
            &RateTable::default(),
        );
        assert!(!e.free);
        assert_eq!(e.currency, "EUR");
        assert!((e.amount - 0.051).abs() < 1e-9, "{e:?}");
        assert!(e.reason.contains("+34"), "{}", e.reason);
    }

    #[test]
    fn service_and_utility_in_window_are_free() {
        let rates = RateTable::default();
        assert!(estimate(PricingCategory::Service, "+16505551234", false, &rates).free);
        assert!(estimate(PricingCategory::Utility, "+16505551234", true, &rates).free);
        let closed = estimate(PricingCategory::Utility, "+16505551234", false, &rates);
        assert!(!closed.free);
        assert!((closed.amount - 0.0031).abs() < 1e-9);
    }

    #[test]
    fn service_messages_cost_their_rate_past_the_monthly_allowance() {
        let mut rates = RateTable::default();
        // Zero until the team sets it.
        let e = service_estimate(Some("34"), 5_000, &rates);
        assert!(e.free && e.amount == 0.0, "{e:?}");
        rates.countries.get_mut("34").unwrap().service = 0.004;
        rates.service_free_per_month = 1_000;
        let within = service_estimate(Some("34"), 999, &rates);
        assert!(within.free, "{within:?}");
        assert!(within.reason.contains("1000 free"), "{}", within.reason);
        let past = service_estimate(Some("34"), 1_000, &rates);
        assert!(!past.free);
        assert_eq!(past.category, PricingCategory::Service);
        assert!((past.amount - 0.004).abs() < 1e-12);
        assert!(
            past.reason.contains("free-form message to +34"),
            "{}",
            past.reason
        );
        // Other countries keep their own (zero) service rate.
        assert!(service_estimate(Some("49"), 1_000, &rates).free);
        // A negative service rate is refused like any other.
        rates.other.service = -1.0;
        assert!(rates.check().unwrap_err().contains("service rate"));
        // A table saved before service rates existed reads as zero.
        let old = r#"{"currency":"EUR","source":"s","countries":{},
                      "other":{"marketing":1,"utility":1,"authentication":1}}"#;
        let old: RateTable = serde_json::from_str(old).unwrap();
        assert_eq!(old.other.service, 0.0);
        assert_eq!(old.service_free_per_month, 0);
    }

    #[test]
    fn unknown_countries_use_other_and_the_table_is_editable() {
        let mut rates = RateTable::default();
        let e = estimate(
            PricingCategory::Authentication,
            "+81 90 1234 5678",
            false,
            &rates,
        );
        assert!(e.reason.contains("other countries"));
        assert!((e.amount - rates.other.authentication).abs() < 1e-9);
        rates.countries.insert(
            "81".to_owned(),
            CategoryRates {
                marketing: 0.0,
                utility: 0.0,
                authentication: 0.0,
                service: 0.0,
            },
        );
        let json = serde_json::to_string(&rates).unwrap();
        let back: RateTable = serde_json::from_str(&json).unwrap();
        assert!(
            estimate(
                PricingCategory::Authentication,
                "+81 90 1234 5678",
                false,
                &back
            )
            .free
        );
    }
}
