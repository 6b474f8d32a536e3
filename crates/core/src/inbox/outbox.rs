//! The outbox's nouns as the inbox shows them: a send's id and state, what
//! its bubble needs beyond the message, and why a file cannot be sent. The
//! store reads and writes them; the outbox workflow (`crate::outbox`)
//! decides them.

use hourglass_whatsapp::graph_error::Refusal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Our id of a send: a UUID, sent to Meta as `biz_opaque_callback_data`
/// and to the relay as the idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(transparent)]
#[ts(export)]
pub struct OutboxId(pub String);

impl OutboxId {
    pub(crate) fn new() -> Self {
        OutboxId(uuid::Uuid::new_v4().to_string())
    }
}

impl std::fmt::Display for OutboxId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Where a send stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OutboxState {
    /// Waiting its turn (or a retry time): a clock.
    Queued,
    /// Handed to Meta, answer pending or lost: a clock.
    Sending,
    /// Meta accepted it; the message status shows the ticks from here.
    Accepted,
    /// Final: shown failed with the reason.
    Failed,
    /// Retries are used up; the agent decides (Retry).
    NeedsHuman,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Accepted => "accepted",
            OutboxState::Failed => "failed",
            OutboxState::NeedsHuman => "needs_human",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxState> {
        Some(match s {
            "queued" => OutboxState::Queued,
            "sending" => OutboxState::Sending,
            "accepted" => OutboxState::Accepted,
            "failed" => OutboxState::Failed,
            "needs_human" => OutboxState::NeedsHuman,
            _ => return None,
        })
    }
}

/// What the bubble of a message sent from this desktop needs beyond the
/// message: the clock, the failure in plain words, the actions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxInfo {
    pub id: OutboxId,
    pub state: OutboxState,
    /// Show "Send a template instead" (window closed, template refused).
    pub offer_templates: bool,
    /// Show "Retry": the send failed before reaching WhatsApp.
    pub can_retry: bool,
    /// Why it failed or waits, in plain words.
    pub reason: Option<String>,
    /// When WhatsApp refused it: what that means, for the window to word in
    /// its language (`reason` is the same in English).
    pub refusal: Option<Refusal>,
    /// WhatsApp never confirmed the send: the agent is asked, or declined.
    pub unconfirmed: Option<Unconfirmed>,
}

/// A send whose answer from WhatsApp was lost and whose status never came
/// while the sync was caught up: it may or may not have reached the
/// customer, so only the agent can decide to send it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Unconfirmed {
    /// "WhatsApp did not confirm this message. Send again?"
    Ask,
    /// The agent chose not to send it again.
    Discarded,
}

/// `error_title` of a row that asks the agent ([`Unconfirmed::Ask`]).
pub(crate) const UNCONFIRMED_TITLE: &str = "unconfirmed";
/// `error_title` of a row the agent discarded ([`Unconfirmed::Discarded`]).
pub(crate) const DISCARDED_TITLE: &str = "unconfirmed_discarded";

impl OutboxInfo {
    pub(crate) fn from_parts(
        id: String,
        state: &str,
        offer_templates: bool,
        has_wamid: bool,
        error_code: Option<i64>,
        error_title: Option<&str>,
        error_detail: Option<String>,
    ) -> OutboxInfo {
        let state = OutboxState::parse(state).unwrap_or(OutboxState::NeedsHuman);
        let unconfirmed = match (state, error_title) {
            (OutboxState::NeedsHuman, Some(UNCONFIRMED_TITLE)) => Some(Unconfirmed::Ask),
            (OutboxState::Failed, Some(DISCARDED_TITLE)) => Some(Unconfirmed::Discarded),
            _ => None,
        };
        let refusal = match (state, error_code) {
            (OutboxState::Accepted, _) | (_, None) => None,
            (_, Some(code)) => Some(Refusal::of_error(code, error_detail.as_deref())),
        };
        let reason = match (state, refusal) {
            (OutboxState::Accepted, _) => None,
            // A refusal Hourglass cannot word is told in Meta's own words,
            // never replaced by "a reason Hourglass does not know".
            (_, Some(Refusal::Unknown)) => Some(
                meta_words(error_title, error_detail.as_deref())
                    .unwrap_or_else(|| Refusal::Unknown.text().to_owned()),
            ),
            (_, Some(refusal)) => Some(refusal.text().to_owned()),
            (_, None) => error_detail,
        };
        let refusal = refusal.filter(|r| *r != Refusal::Unknown);
        OutboxInfo {
            id: OutboxId(id),
            can_retry: matches!(state, OutboxState::Failed | OutboxState::NeedsHuman)
                && !has_wamid
                && !offer_templates
                && unconfirmed.is_none(),
            state,
            offer_templates,
            reason,
            refusal,
            unconfirmed,
        }
    }
}

/// Meta's own words for an error: its details, else its title (as the
/// bubble words a failure it has no sentence for).
fn meta_words(title: Option<&str>, detail: Option<&str>) -> Option<String> {
    let title = title
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != UNCONFIRMED_TITLE && *t != DISCARDED_TITLE);
    let detail = detail.map(str::trim).filter(|d| !d.is_empty());
    detail.or(title).map(str::to_owned)
}

/// Why a file cannot be sent, for the window to word in its language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[ts(export)]
pub enum AttachmentRefusal {
    /// The file holds no bytes.
    Empty,
    /// The kind the file's bytes say it is takes other formats.
    Format { kind: String, mime_type: String },
    /// Larger than Meta takes for its kind.
    TooLarge {
        kind: String,
        #[ts(type = "number")]
        limit: u64,
        #[ts(type = "number")]
        size: u64,
    },
}

impl AttachmentRefusal {
    /// The values the window's wording of a refusal fills in.
    pub fn params(&self) -> crate::problem::Params {
        let mb = |bytes: u64| format!("{:.1}", bytes as f64 / 1_048_576.0);
        match self {
            AttachmentRefusal::Empty => crate::problem::Params::new(),
            AttachmentRefusal::Format { kind, mime_type } => {
                crate::problem::params([("kind", kind.clone()), ("mime_type", mime_type.clone())])
            }
            AttachmentRefusal::TooLarge { kind, limit, size } => crate::problem::params([
                ("kind", kind.clone()),
                ("size_mb", mb(*size)),
                ("limit_mb", mb(*limit)),
            ]),
        }
    }
}

impl std::fmt::Display for AttachmentRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttachmentRefusal::Empty => f.write_str("it is empty"),
            AttachmentRefusal::Format { kind, mime_type } => {
                write!(f, "WhatsApp does not take {mime_type} as {kind}")
            }
            AttachmentRefusal::TooLarge { kind, limit, size } => write!(
                f,
                "it has {size} bytes and WhatsApp takes {kind} files of at most {limit} bytes"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(code: i64, title: Option<&str>, detail: Option<&str>) -> OutboxInfo {
        OutboxInfo::from_parts(
            "o1".to_owned(),
            "failed",
            false,
            true,
            Some(code),
            title,
            detail.map(str::to_owned),
        )
    }

    #[test]
    fn an_unknown_refusal_is_told_in_metas_words() {
        let both = failed(135_999, Some("New limit"), Some("Limit reached"));
        assert_eq!(both.refusal, None);
        assert_eq!(both.reason.as_deref(), Some("Limit reached"));
        let title = failed(135_999, Some("New limit"), None);
        assert_eq!(title.reason.as_deref(), Some("New limit"));
        // Hourglass's own markers are not Meta's words.
        let none = failed(135_999, Some(UNCONFIRMED_TITLE), Some("  "));
        assert_eq!(none.reason.as_deref(), Some(Refusal::Unknown.text()));
        // A refusal Hourglass knows keeps its sentence.
        let known = failed(131_047, Some("Re-engagement message"), Some("x"));
        assert_eq!(known.refusal, Some(Refusal::WindowClosed));
        assert_eq!(known.reason.as_deref(), Some(Refusal::WindowClosed.text()));
    }
}
