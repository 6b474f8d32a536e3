//! Phone numbers in E.164, parsed by the `phonenumber` crate (a port of
//! Google's libphonenumber) rather than by hand.
//!
//! Meta's `wa_id` and `from` carry the number as digits without `+`; agents
//! type numbers with spaces, dashes and a `+`. Both become the same E.164
//! string. Validity against numbering plans is not demanded: Meta already
//! delivered a message from that number, and test numbers such as +1 555 …
//! are not "valid" in the plan yet are real WhatsApp senders.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A phone number in E.164 form, e.g. `+16505551234`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct E164(String);

impl E164 {
    /// Parses a number written with or without `+`, with any punctuation.
    /// Numbers without a country code are read as international (Meta's form).
    pub fn parse(input: &str) -> Result<E164> {
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(Error::InvalidPhone {
                input: input.to_owned(),
                reason: "it has no digits".to_owned(),
            });
        }
        let parsed =
            phonenumber::parse(None, format!("+{digits}")).map_err(|e| Error::InvalidPhone {
                input: input.to_owned(),
                reason: e.to_string(),
            })?;
        Ok(E164(
            parsed.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form Meta uses in `wa_id`: digits only.
    pub fn digits(&self) -> &str {
        self.0.trim_start_matches('+')
    }
}

/// A number an agent typed, as WhatsApp will get it and as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TypedNumber {
    /// `+34612345678`
    pub e164: String,
    /// `+34 612 34 56 78`
    pub international: String,
    /// The number's country (ISO 3166 code), when one owns it.
    pub country: Option<String>,
}

/// Why a typed number cannot be used; the window words each in its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NumberProblem {
    /// Nothing that could be a number.
    NoDigits,
    /// No `+` and no default country: the country code is unknown.
    NeedsCountry,
    /// Digits that do not read as a number at all (too short, too long…).
    Unreadable,
    /// Read, but no such number exists in its country's numbering plan.
    NotInPlan,
}

impl NumberProblem {
    /// In English, for errors and logs (the window words it itself).
    pub fn reason(self) -> &'static str {
        match self {
            NumberProblem::NoDigits => "it has no digits",
            NumberProblem::NeedsCountry => {
                "write the country code with + or choose a default country in Settings"
            }
            NumberProblem::Unreadable => "it is too short or too long",
            NumberProblem::NotInPlan => "no such number exists in its country",
        }
    }
}

/// Reads a number an agent typed. A number written with `+` (or the `00`
/// international prefix) is read as international; any other is read in
/// `default_country` (an ISO 3166 code such as `ES`), and without one the
/// agent must write the country code. Unlike [`E164::parse`] it demands a
/// number that exists in its numbering plan: this number is about to be
/// written to for the first time, so a typo must not reach WhatsApp.
pub fn read_typed(
    input: &str,
    default_country: Option<&str>,
) -> std::result::Result<TypedNumber, NumberProblem> {
    let trimmed = input.trim();
    if !trimmed.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberProblem::NoDigits);
    }
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    let country = match default_country.and_then(country_id) {
        _ if international => None,
        Some(id) => Some(id),
        None => return Err(NumberProblem::NeedsCountry),
    };
    // `00` is the international prefix in most countries; the library
    // reads it only in a country that uses it, so it is written as `+`.
    let text = match trimmed.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => trimmed.to_owned(),
    };
    let parsed = phonenumber::parse(country, &text).map_err(|_| NumberProblem::Unreadable)?;
    if !parsed.is_valid() {
        return Err(NumberProblem::NotInPlan);
    }
    Ok(TypedNumber {
        e164: parsed.format().mode(phonenumber::Mode::E164).to_string(),
        international: parsed
            .format()
            .mode(phonenumber::Mode::International)
            .to_string(),
        country: parsed.country().id().map(|id| id.as_ref().to_owned()),
    })
}

/// The library's id of an ISO 3166 country code, in any letter case.
fn country_id(code: &str) -> Option<phonenumber::country::Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// Whether `code` names a country the numbering plans know (`ES`, `us`).
pub fn is_country(code: &str) -> bool {
    country_id(code).is_some()
}

/// The country of a locale tag (`en-US`, `es_ES.UTF-8`), when it names one
/// with a numbering plan.
pub fn country_of_locale(tag: &str) -> Option<String> {
    let tag = tag.split(['.', '@']).next().unwrap_or("");
    tag.split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
        .filter(|part| is_country(part))
        .map(str::to_ascii_uppercase)
}

/// Every country with a numbering plan, with its calling code, by ISO code.
pub fn countries() -> Vec<(String, u16)> {
    let mut out: Vec<(String, u16)> = phonenumber::metadata::DATABASE
        .iter()
        .filter(|m| is_country(m.id()))
        .map(|m| (m.id().to_owned(), m.country_code()))
        .collect();
    out.sort();
    out.dedup();
    out
}

impl std::fmt::Display for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ErrorCode;

    #[test]
    fn meta_digits_and_typed_forms_agree() {
        let a = E164::parse("16505551234").unwrap();
        let b = E164::parse("+1 (650) 555-1234").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "+16505551234");
        assert_eq!(a.digits(), "16505551234");
    }

    #[test]
    fn other_countries() {
        assert_eq!(
            E164::parse("34 612 34 56 78").unwrap().as_str(),
            "+34612345678"
        );
        assert_eq!(
            E164::parse("+7 912 345-67-89").unwrap().as_str(),
            "+79123456789"
        );
    }

    #[test]
    fn a_national_number_is_read_in_the_default_country() {
        let n = read_typed("612 34 56 78", Some("ES")).unwrap();
        assert_eq!(n.e164, "+34612345678");
        assert_eq!(n.international, "+34 612 34 56 78");
        assert_eq!(n.country.as_deref(), Some("ES"));
        // The trunk prefix (8 in Russia, 0 in the UK) is dropped.
        assert_eq!(
            read_typed("8 (912) 345-67-89", Some("ru")).unwrap().e164,
            "+79123456789"
        );
        assert_eq!(
            read_typed("020 7946 0018", Some("GB")).unwrap().e164,
            "+442079460018"
        );
    }

    #[test]
    fn an_international_number_ignores_the_default_country() {
        for typed in ["+1 650 253 0000", "001 650 253 0000", "+16502530000"] {
            let n = read_typed(typed, Some("ES")).unwrap();
            assert_eq!(n.e164, "+16502530000", "{typed}");
            assert_eq!(n.international, "+1 650-253-0000", "{typed}");
            assert_eq!(n.country.as_deref(), Some("US"), "{typed}");
        }
        assert_eq!(
            read_typed("+34612345678", None).unwrap().e164,
            "+34612345678"
        );
    }

    #[test]
    fn typed_numbers_that_cannot_be_used_say_why() {
        assert_eq!(read_typed("", Some("ES")), Err(NumberProblem::NoDigits));
        assert_eq!(read_typed("Olga", Some("ES")), Err(NumberProblem::NoDigits));
        assert_eq!(
            read_typed("612 34 56 78", None),
            Err(NumberProblem::NeedsCountry)
        );
        // An unknown default country is as good as none.
        assert_eq!(
            read_typed("612 34 56 78", Some("XX")),
            Err(NumberProblem::NeedsCountry)
        );
        assert_eq!(read_typed("+1", None), Err(NumberProblem::Unreadable));
        // Spain has no numbers starting with 1, and +1 555 0100 is fiction.
        assert_eq!(
            read_typed("123 45 67 89", Some("ES")),
            Err(NumberProblem::NotInPlan)
        );
        assert_eq!(
            read_typed("+1 555 0100", None),
            Err(NumberProblem::NotInPlan)
        );
    }

    #[test]
    fn countries_have_calling_codes() {
        let all = countries();
        assert!(all.len() > 200, "{}", all.len());
        assert!(all.contains(&("ES".to_owned(), 34)));
        assert!(all.contains(&("US".to_owned(), 1)));
        assert!(all.iter().all(|(c, _)| c.len() == 2));
        assert!(is_country("es") && !is_country("001") && !is_country("XX"));
    }

    #[test]
    fn a_locale_names_its_country() {
        assert_eq!(country_of_locale("en-US").as_deref(), Some("US"));
        assert_eq!(country_of_locale("es_ES.UTF-8").as_deref(), Some("ES"));
        assert_eq!(country_of_locale("zh-Hant-TW").as_deref(), Some("TW"));
        assert_eq!(country_of_locale("ru").as_deref(), None);
        assert_eq!(country_of_locale("C").as_deref(), None);
        assert_eq!(country_of_locale("en-001").as_deref(), None);
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(
            E164::parse("hello").unwrap_err().code(),
            ErrorCode::InvalidPhone
        );
        assert_eq!(E164::parse("").unwrap_err().code(), ErrorCode::InvalidPhone);
    }
}
