//! Leads: a contact whose first message just arrived, and where it came from.
//!
//! Whether a contact is new is the store's business (its first inbound message
//! created it). This module only answers *where the lead came from*:
//!
//! - a click-to-WhatsApp **referral** Meta attached to the first message (an ad
//!   or a post, with its headline, source URL and click id), or
//! - a **partner code** the customer's prefilled first message carries, as the
//!   links of [`crate::lead_link`] prefill it (`Code: ABC123`).
//!
//! Decisions taken here:
//! - A referral wins over a partner code found in the same message: Meta's
//!   attribution cannot be typed by hand, a code can.
//! - A referral whose fields are all empty says nothing and counts as absent.
//! - Meta documents `source_type` as `ad` or `post`; any other or missing value
//!   is taken as `ad`, the kind that opens the free entry point.
//! - The code is kept exactly as the customer's message has it (no case
//!   folding), so the agent sees what the partner handed out.
//! - A lead with neither referral nor code is still a lead; it has no source.

use crate::problem::{ErrorCode, Params, params};
use std::fmt;

use hourglass_whatsapp::webhook::Referral;
use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether a click-to-WhatsApp referral came from an ad or from a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReferralSourceType {
    Ad,
    Post,
}

/// Where a lead came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LeadSource {
    /// A click-to-WhatsApp ad or post (Meta's `referral`).
    Ad {
        source_type: ReferralSourceType,
        /// The ad's headline, shown as the source in the list and header.
        headline: Option<String>,
        body: Option<String>,
        /// The ad or post the customer clicked; the headline links to it.
        source_url: Option<String>,
        /// Meta's id of the ad or post.
        source_id: Option<String>,
        /// Click-to-WhatsApp click id; absent for Status-ad placements.
        ctwa_clid: Option<String>,
        /// The ad's image or video (or its thumbnail).
        media_url: Option<String>,
    },
    /// A partner code the first message carried, e.g. `ABC123`.
    PartnerCode { code: String },
}

impl LeadSource {
    /// Builds the source from Meta's referral; `None` when it carries nothing.
    pub fn from_referral(referral: &Referral) -> Option<LeadSource> {
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let headline = clean(&referral.headline);
        let body = clean(&referral.body);
        let source_url = clean(&referral.source_url);
        let source_id = clean(&referral.source_id);
        let ctwa_clid = clean(&referral.ctwa_clid);
        let media_url = clean(&referral.image_url)
            .or_else(|| clean(&referral.video_url))
            .or_else(|| clean(&referral.thumbnail_url));
        if [
            &headline,
            &body,
            &source_url,
            &source_id,
            &ctwa_clid,
            &media_url,
        ]
        .iter()
        .all(|f| f.is_none())
        {
            return None;
        }
        let source_type = match referral.source_type.as_deref().map(str::trim) {
            Some(t) if t.eq_ignore_ascii_case("post") => ReferralSourceType::Post,
            _ => ReferralSourceType::Ad,
        };
        Some(LeadSource::Ad {
            source_type,
            headline,
            body,
            source_url,
            source_id,
            ctwa_clid,
            media_url,
        })
    }
}

/// Finds the source of a lead from its first message.
///
/// `first_message_text` is the text of the first message (or a media
/// caption); `referral` is Meta's referral on that message, if any.
pub fn detect(
    first_message_text: Option<&str>,
    referral: Option<&Referral>,
    pattern: &LeadCodePattern,
) -> Option<LeadSource> {
    if let Some(source) = referral.and_then(LeadSource::from_referral) {
        return Some(source);
    }
    let code = pattern.find(first_message_text?)?;
    Some(LeadSource::PartnerCode { code })
}

/// The pattern that finds a partner code in a first message: a regular
/// expression with exactly one capture group, the code.
#[derive(Clone)]
pub struct LeadCodePattern {
    regex: Regex,
}

impl LeadCodePattern {
    /// Recognises `Code: ABC123`, `Код: ABC123` and `Código: ABC123` (also
    /// `Codigo`), in any case, with optional spaces around the colon, not as
    /// the tail of a longer word (`Promocode:` is not a code). The code is 1 to
    /// 32 ASCII letters, digits, `-` or `_`, the form [`crate::lead_link`]
    /// accepts.
    pub const DEFAULT: &'static str = r"(?i)(?:^|[^\p{L}\p{N}_])(?:code|código|codigo|код)\s*:\s*([A-Za-z0-9_-]{1,32})(?:$|[^A-Za-z0-9_-])";

    /// Compiles a pattern. It must be a valid regular expression with exactly
    /// one capture group; `(?i)` etc. may be used for flags.
    pub fn new(pattern: &str) -> Result<LeadCodePattern, LeadCodePatternError> {
        if pattern.trim().is_empty() {
            return Err(LeadCodePatternError::Empty);
        }
        let regex = Regex::new(pattern).map_err(|e| LeadCodePatternError::Invalid {
            pattern: pattern.to_owned(),
            reason: e.to_string(),
        })?;
        let groups = regex.captures_len() - 1;
        if groups != 1 {
            return Err(LeadCodePatternError::CaptureGroups {
                pattern: pattern.to_owned(),
                found: groups,
            });
        }
        Ok(LeadCodePattern { regex })
    }

    pub fn as_str(&self) -> &str {
        self.regex.as_str()
    }

    /// The first code in `text`, trimmed; `None` if there is none or the
    /// group captured only white space.
    pub fn find(&self, text: &str) -> Option<String> {
        self.regex.captures_iter(text).find_map(|c| {
            let code = c.get(1)?.as_str().trim();
            (!code.is_empty()).then(|| code.to_owned())
        })
    }
}

impl Default for LeadCodePattern {
    fn default() -> Self {
        LeadCodePattern {
            regex: Regex::new(Self::DEFAULT).expect("the default lead code pattern compiles"),
        }
    }
}

impl fmt::Debug for LeadCodePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LeadCodePattern")
            .field(&self.regex.as_str())
            .finish()
    }
}

impl PartialEq for LeadCodePattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

/// A partner-code pattern that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeadCodePatternError {
    #[error(
        "The partner code pattern is empty. Enter a regular expression such as (?i)code:\\s*(\\w+)"
    )]
    Empty,
    #[error("The partner code pattern {pattern:?} is not a valid regular expression: {reason}")]
    Invalid { pattern: String, reason: String },
    #[error(
        "The partner code pattern {pattern:?} has {found} capture groups; it needs exactly one, \
         around the code, e.g. (?i)code:\\s*(\\w+). Use (?:…) for any other group."
    )]
    CaptureGroups { pattern: String, found: usize },
}

impl LeadCodePatternError {
    /// A stable identifier the UI words.
    pub fn code(&self) -> ErrorCode {
        match self {
            LeadCodePatternError::Empty => ErrorCode::LeadPatternEmpty,
            LeadCodePatternError::Invalid { .. } => ErrorCode::LeadPatternInvalid,
            LeadCodePatternError::CaptureGroups { .. } => ErrorCode::LeadPatternGroups,
        }
    }

    /// The values the window's wording fills in.
    pub fn params(&self) -> Params {
        match self {
            LeadCodePatternError::Empty => Params::new(),
            LeadCodePatternError::Invalid { pattern, reason } => {
                params([("input", pattern.clone()), ("detail", reason.clone())])
            }
            LeadCodePatternError::CaptureGroups { pattern, found } => {
                params([("input", pattern.clone()), ("found", found.to_string())])
            }
        }
    }
}

#[cfg(test)]
mod tests;
