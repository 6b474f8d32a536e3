//! What notifications are made of: a message the sync engine just filed,
//! a window about to close on an unanswered customer, and the one line a
//! message shows as. The sync engine and the store make them; the policy
//! (`crate::notification`) decides what to show.

use super::ConversationId;
use crate::lead::LeadSource;

/// How much of a message a notification shows, in characters.
pub const PREVIEW_CHARS: usize = 120;

/// A message the sync engine just filed, as the policy needs to see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    pub conversation_id: ConversationId,
    /// The contact's display name, or their number when there is none.
    pub contact: String,
    /// The message text, caption or a stand-in such as "📷 Photo".
    pub preview: String,
    /// Where the lead came from, when this is a lead and it is known.
    pub lead: Option<LeadSource>,
    /// The contact was created by this message: it is a lead.
    pub is_new_contact: bool,
    /// We sent it (from this app, another agent, or the phone).
    pub from_us: bool,
    /// The store already had this event (a replay of the relay's log).
    pub replay: bool,
    /// The conversation is assigned to this agent.
    pub mine: bool,
    /// A customer's call nobody answered: news whoever the chat belongs to.
    pub missed_call: bool,
}

/// A conversation of mine whose window closes soon with the customer's last
/// message unanswered (see `Store::due_window_reminders`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowReminder {
    pub conversation_id: ConversationId,
    pub contact: String,
    /// When the 24-hour window closes (Unix seconds).
    pub closes_at: i64,
}

/// One line of at most [`PREVIEW_CHARS`] characters: runs of white space
/// (line breaks included) become one space, and a cut ends in `…`.
pub fn preview(text: &str) -> String {
    let mut line = String::with_capacity(text.len().min(PREVIEW_CHARS * 4));
    for word in text.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if line.chars().count() <= PREVIEW_CHARS {
        return line;
    }
    let mut cut: String = line.chars().take(PREVIEW_CHARS - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}
