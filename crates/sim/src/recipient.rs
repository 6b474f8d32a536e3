//! The `to` of a send, normalised the way Meta does: E.164 with or without
//! `+`, spaces, dashes, dots and parentheses tolerated; anything else, or a
//! number that cannot exist, is refused.

use phonenumber::Mode;

/// A customer's number as Meta resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Digits only, no `+`: the `wa_id`.
    pub wa_id: String,
    /// ISO country code, e.g. `ES`, or `ZZ` when unknown.
    pub country: String,
}

/// Numbers ending in these digits are designated unreachable: sends to them
/// are accepted and then fail with 131026, as for a number not on WhatsApp.
pub const UNREACHABLE_SUFFIX: &str = "0000";

impl Recipient {
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
        if trimmed.is_empty() || !trimmed.chars().all(allowed) {
            return None;
        }
        // Formatting characters carry no meaning once the number is read as
        // international: keep the digits only.
        if trimmed.matches('+').count() > 1 {
            return None;
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        let with_plus = format!("+{digits}");
        let number = phonenumber::parse(None, &with_plus).ok()?;
        if !number.is_valid() {
            return None;
        }
        let e164 = number.format().mode(Mode::E164).to_string();
        let country = number
            .country()
            .id()
            .map_or_else(|| "ZZ".to_owned(), |id| id.as_ref().to_owned());
        Some(Self {
            wa_id: e164.trim_start_matches('+').to_owned(),
            country,
        })
    }

    pub fn is_unreachable(&self) -> bool {
        self.wa_id.ends_with(UNREACHABLE_SUFFIX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_meta_accepts_normalise_to_one_wa_id() {
        for raw in [
            "+34 612 34 56 78",
            "34612345678",
            "+34-612-345-678",
            "(+34) 612.345.678",
        ] {
            let r = Recipient::parse(raw).unwrap_or_else(|| panic!("{raw}"));
            assert_eq!(r.wa_id, "34612345678");
            assert_eq!(r.country, "ES");
        }
        assert_eq!(Recipient::parse("+79123456789").unwrap().country, "RU");
    }

    #[test]
    fn garbage_is_refused() {
        for raw in [
            "",
            "hello",
            "+1-800-FLOWERS",
            "12",
            "+999 1234567",
            "wamid.X",
            "+34 612",
        ] {
            assert_eq!(Recipient::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn unreachable_numbers_are_designated_by_suffix() {
        assert!(Recipient::parse("+34612340000").unwrap().is_unreachable());
        assert!(!Recipient::parse("+34612345678").unwrap().is_unreachable());
    }
}
