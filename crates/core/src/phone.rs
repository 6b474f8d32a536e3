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
    fn garbage_is_refused() {
        assert_eq!(
            E164::parse("hello").unwrap_err().code(),
            ErrorCode::InvalidPhone
        );
        assert_eq!(E164::parse("").unwrap_err().code(), ErrorCode::InvalidPhone);
    }
}
