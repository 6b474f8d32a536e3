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

    /// The number a username-only customer has but hides: a UK mobile
    /// number (`+44 7400 xxxxxx`) derived from the username, so the same
    /// username is always the same customer.
    pub fn hidden_for(username: &str) -> Option<Self> {
        // FNV-1a: stable across runs and platforms, unlike std's hasher.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in username.to_lowercase().bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Self::parse(&format!("+447400{:06}", hash % 1_000_000))
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
    fn a_username_has_one_hidden_number() {
        let a = Recipient::hidden_for("maria.g").expect("a valid number");
        assert_eq!(Recipient::hidden_for("Maria.G"), Some(a.clone()));
        assert!(a.wa_id.starts_with("447400"), "{}", a.wa_id);
        assert_eq!(a.country, "GB");
        assert_ne!(Recipient::hidden_for("tom").unwrap(), a);
        assert!(!a.is_unreachable());
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
