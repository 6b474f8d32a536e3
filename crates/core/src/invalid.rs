//! Why an agent's input was refused (`text_invalid`, `contact_invalid`,
//! `report_range_invalid`), typed so the window words the reason in its
//! own language. The English of [`Invalid`]'s `Display` is for logs and the
//! fallback; the window reads the reason's name ([`InvalidReason`], a
//! `Record` per language in `ui/src/lib/i18n/reasons*.ts`) and its values.

use serde::Serialize;
use ts_rs::TS;

use crate::problem::Params;

/// One reason, with the values its wording needs.
#[derive(Debug, Clone, PartialEq, Eq, strum::EnumDiscriminants)]
#[strum_discriminants(
    name(InvalidReason),
    derive(Serialize, TS, strum::IntoStaticStr, strum::EnumIter),
    serde(rename_all = "snake_case"),
    strum(serialize_all = "snake_case"),
    ts(export)
)]
pub enum Invalid {
    // What is sent to a customer.
    /// The message is empty.
    Empty,
    /// The text is longer than WhatsApp takes.
    TooLong {
        chars: usize,
        max: usize,
    },
    /// A file's caption is longer than WhatsApp takes.
    CaptionTooLong {
        chars: usize,
        max: usize,
    },
    // The team's notes, labels, canned responses and statuses.
    NoteLength {
        max: usize,
    },
    LabelLength {
        max: usize,
    },
    CannedTitleLength {
        max: usize,
    },
    CannedBodyLength {
        max: usize,
    },
    NoAssignee,
    WakeOnlyWhenSnoozed,
    NoSnoozeEnd,
    // Contacts and their fields.
    NameLength {
        max: usize,
    },
    FieldExists {
        label: String,
    },
    TooManyFields {
        max: usize,
    },
    FieldGone,
    ConsentSource {
        max: usize,
    },
    FieldNameLength {
        max: usize,
    },
    OptionCount {
        max: usize,
    },
    OptionLength {
        max: usize,
    },
    OptionTwice {
        option: String,
    },
    ValueTooLong {
        label: String,
        max: usize,
    },
    NotANumber {
        label: String,
        value: String,
    },
    NotADate {
        label: String,
        value: String,
    },
    NotAChoice {
        label: String,
        options: String,
    },
    // A report's range.
    FirstDayNotADate {
        value: String,
    },
    LastDayNotADate {
        value: String,
    },
    LastBeforeFirst {
        first: String,
        last: String,
    },
    TooManyDays {
        days: i64,
        max: i64,
    },
    NotATimeZone {
        minutes: i32,
    },
    NotATable {
        table: String,
    },
}

impl Invalid {
    /// The reason's name, as the window looks it up.
    pub fn reason(&self) -> &'static str {
        InvalidReason::from(self).into()
    }

    /// The values the reason's wording fills in.
    fn values(&self) -> Vec<(&'static str, String)> {
        use Invalid::*;
        match self {
            Empty | NoAssignee | WakeOnlyWhenSnoozed | NoSnoozeEnd | FieldGone => vec![],
            TooLong { chars, max } | CaptionTooLong { chars, max } => {
                vec![("chars", chars.to_string()), ("max", max.to_string())]
            }
            NoteLength { max }
            | LabelLength { max }
            | CannedTitleLength { max }
            | CannedBodyLength { max }
            | NameLength { max }
            | TooManyFields { max }
            | ConsentSource { max }
            | FieldNameLength { max }
            | OptionCount { max }
            | OptionLength { max } => vec![("max", max.to_string())],
            FieldExists { label } => vec![("label", label.clone())],
            OptionTwice { option } => vec![("option", option.clone())],
            ValueTooLong { label, max } => {
                vec![("label", label.clone()), ("max", max.to_string())]
            }
            NotANumber { label, value } | NotADate { label, value } => {
                vec![("label", label.clone()), ("value", value.clone())]
            }
            NotAChoice { label, options } => {
                vec![("label", label.clone()), ("options", options.clone())]
            }
            FirstDayNotADate { value } | LastDayNotADate { value } => {
                vec![("value", value.clone())]
            }
            LastBeforeFirst { first, last } => {
                vec![("first", first.clone()), ("last", last.clone())]
            }
            TooManyDays { days, max } => vec![("days", days.to_string()), ("max", max.to_string())],
            NotATimeZone { minutes } => vec![("minutes", minutes.to_string())],
            NotATable { table } => vec![("table", table.clone())],
        }
    }

    /// What the window's wording needs: `reason`, its values, and `detail`,
    /// the English, for a window that does not know the reason yet.
    pub fn params(&self) -> Params {
        let mut p: Params = self
            .values()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        p.insert("reason".to_owned(), self.reason().to_owned());
        p.insert("detail".to_owned(), self.to_string());
        p
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Invalid::*;
        match self {
            Empty => write!(f, "it is empty"),
            TooLong { chars, max } => {
                write!(f, "it has {chars} characters and WhatsApp allows {max}")
            }
            CaptionTooLong { chars, max } => write!(
                f,
                "the caption has {chars} characters and WhatsApp allows {max}"
            ),
            NoteLength { max } => write!(f, "A note has 1 to {max} characters."),
            LabelLength { max } => write!(
                f,
                "A label has 1 to {max} characters, without spaces at either end."
            ),
            CannedTitleLength { max } => write!(
                f,
                "A canned response needs a title of up to {max} characters."
            ),
            CannedBodyLength { max } => write!(f, "A canned response has 1 to {max} characters."),
            NoAssignee => write!(f, "Choose an agent to assign to."),
            WakeOnlyWhenSnoozed => write!(f, "Only a snoozed conversation has a time to wake up."),
            NoSnoozeEnd => write!(f, "Choose when the snooze ends."),
            NameLength { max } => write!(f, "A name has 1 to {max} characters."),
            FieldExists { label } => {
                write!(
                    f,
                    "There is already a field called \u{201c}{label}\u{201d}."
                )
            }
            TooManyFields { max } => write!(f, "A team has up to {max} fields."),
            FieldGone => write!(f, "That field no longer exists."),
            ConsentSource { max } => {
                write!(f, "Say where the customer agreed (1 to {max} characters).")
            }
            FieldNameLength { max } => write!(f, "A field's name has 1 to {max} characters."),
            OptionCount { max } => write!(f, "A choice field has 1 to {max} options."),
            OptionLength { max } => write!(f, "Each option has 1 to {max} characters."),
            OptionTwice { option } => {
                write!(f, "The option \u{201c}{option}\u{201d} is there twice.")
            }
            ValueTooLong { label, max } => write!(f, "{label}: up to {max} characters."),
            NotANumber { label, value } => write!(
                f,
                "{label}: \u{201c}{value}\u{201d} is not a number (for example 42 or 3.5)."
            ),
            NotADate { label, value } => write!(
                f,
                "{label}: \u{201c}{value}\u{201d} is not a date (YYYY-MM-DD)."
            ),
            NotAChoice { label, options } => write!(f, "{label}: choose one of {options}."),
            FirstDayNotADate { value } => {
                write!(f, "the first date {value:?} is not a date like 2026-03-31")
            }
            LastDayNotADate { value } => {
                write!(f, "the last date {value:?} is not a date like 2026-03-31")
            }
            LastBeforeFirst { first, last } => {
                write!(f, "the last day, {last}, comes before the first, {first}")
            }
            TooManyDays { days, max } => {
                write!(f, "{days} days is more than a report covers ({max})")
            }
            NotATimeZone { minutes } => {
                write!(f, "a UTC offset of {minutes} minutes is not a time zone")
            }
            NotATable { table } => write!(f, "{table:?} is not the name of a report table"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_carries_its_name_values_and_english() {
        let p = Invalid::ValueTooLong {
            label: "Order".into(),
            max: 200,
        }
        .params();
        assert_eq!(p["reason"], "value_too_long");
        assert_eq!(p["label"], "Order");
        assert_eq!(p["max"], "200");
        assert_eq!(p["detail"], "Order: up to 200 characters.");
        assert_eq!(Invalid::Empty.params()["reason"], "empty");
    }

    #[test]
    fn reason_names_are_spelt_alike_for_serde_and_strum() {
        use strum::IntoEnumIterator;
        for r in InvalidReason::iter() {
            let serde = serde_json::to_value(r).unwrap();
            let name: &'static str = r.into();
            assert_eq!(serde, serde_json::Value::String(name.to_owned()));
        }
    }
}
