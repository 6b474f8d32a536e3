//! What the operating system's notifications say, and when.
//!
//! Two halves, so the rules are testable without a desktop:
//!
//! - [`NotificationPolicy`] is pure: the sync engine feeds it every message it
//!   filed ([`Incoming`]) with the current time, and it answers with the
//!   [`Notification`]s to show. It never reads a clock.
//! - [`NotificationSink`] shows them; [`DesktopNotifier`] is the native one
//!   (notify-rust: D-Bus on Linux, the notification centre on macOS, toasts
//!   on Windows), [`MemorySink`] records them for tests.
//!
//! # Rules
//!
//! - Nothing for our own messages (`from_us`), for a replay of an event the
//!   store already had (`replay`), or while do-not-disturb is on.
//! - A message from a new contact is a lead: shown when "new leads" is on.
//! - Any other message is shown when it is in one of my chats and "new
//!   messages in my chats" is on.
//! - Notifications are held briefly and sent as a batch: a batch is sent once
//!   no message came for [`BurstConfig::quiet_ms`], or
//!   [`BurstConfig::max_delay_ms`] after its first message, whichever is
//!   first. Within a batch, messages of one conversation make one
//!   notification. A batch of more than [`BurstConfig::threshold`]
//!   notifications (e.g. 50 leads filed right after reconnecting) becomes a
//!   single summary ("50 new leads").
//! - Settings are read again when a batch is sent: turning on
//!   do-not-disturb drops what is held.
//!
//! - A colleague's assignment of a conversation to me is shown at once
//!   ("assigned to me" on), unless it is older than [`ASSIGNMENT_NEWS_MS`]
//!   when filed (a long catch-up); many at once fold into one.
//! - A conversation of mine whose customer's last message is unanswered
//!   gets one reminder per window when the window closes within an hour
//!   ("window reminder" on); the store remembers which were given.
//! - A customer's call nobody answered is shown in any chat, mine or not,
//!   when "missed calls" is on, and never folded into a summary: a caller
//!   waits for a call back.
//! - Everything is worded in the window's [`Language`].
//!
//! Catch-up is not a replay: leads that arrived while the app was offline are
//! new to this agent and are shown (as a summary when there are many); only
//! events the store already knew are replays.
//!
//! # Driving it
//!
//! ```
//! use hourglass_core::notification::*;
//! # let incoming = Incoming {
//! #     conversation_id: hourglass_core::inbox::ConversationId(1),
//! #     contact: "Ana".into(), preview: "Hi".into(), lead: None,
//! #     is_new_contact: true, from_us: false, replay: false, mine: false,
//! #     missed_call: false };
//! let mut policy = NotificationPolicy::new(NotificationSettings::default());
//! let sink = MemorySink::default();
//! // For every message the sync engine filed:
//! let out = policy.push(incoming, 1_000);
//! // ...and whenever `next_flush_at` is due (a timer):
//! let out = policy.flush(policy.next_flush_at().unwrap_or(0));
//! for n in &out {
//!     if let Err(e) = sink.send(n) {
//!         tracing::warn!("{e}");
//!     }
//! }
//! ```

use crate::problem::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::inbox::ConversationId;
pub use crate::inbox::{AssignedChat, Incoming, PREVIEW_CHARS, WindowReminder, preview};
use crate::lead::LeadSource;

mod desktop;
mod service;
mod words;

pub use desktop::{ClickHandler, DesktopNotifier};
pub use service::{Notifier, REMINDER_LEAD_SECS, REMINDER_PERIOD, watch_my_chats};
pub use words::Language;

/// The agent's notification settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct NotificationSettings {
    /// Notify when a new contact writes for the first time.
    pub new_leads: bool,
    /// Notify on new customer messages in chats assigned to me.
    pub new_messages_in_my_chats: bool,
    /// Notify when a colleague assigns a conversation to me.
    pub assigned_to_me: bool,
    /// Remind me when a conversation assigned to me has an unanswered
    /// customer message and its 24-hour window closes within an hour.
    pub window_reminder: bool,
    /// Notify when a customer calls and nobody answers, in any chat.
    pub missed_calls: bool,
    /// Show nothing at all (the unread count still grows).
    pub do_not_disturb: bool,
}

impl Default for NotificationSettings {
    fn default() -> Self {
        NotificationSettings {
            new_leads: true,
            new_messages_in_my_chats: true,
            assigned_to_me: true,
            window_reminder: true,
            missed_calls: true,
            do_not_disturb: false,
        }
    }
}

/// What a notification is about; the shell may pick an icon or sound by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NotificationKind {
    /// A new contact's first message.
    Lead,
    /// New messages in one of my chats.
    Message,
    /// Many notifications at once, folded into one.
    Summary,
    /// A colleague assigned a conversation to me (or several, folded).
    Assigned,
    /// A window closes soon on an unanswered customer message in my chat.
    WindowReminder,
    /// A customer called and nobody answered.
    MissedCall,
}

/// An assignment older than this when it is filed (a long catch-up, a new
/// install reading the whole log) is history, not news: no notification.
pub const ASSIGNMENT_NEWS_MS: i64 = 12 * 60 * 60 * 1000;

/// One notification to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notification {
    pub kind: NotificationKind,
    /// The title line (plain text).
    pub summary: String,
    /// The text under it (plain text; a sink escapes it if it must).
    pub body: String,
    /// The chat to open when it is clicked; `None` for a summary, which
    /// opens the window on the inbox (the "Leads" filter when all are leads).
    pub conversation_id: Option<ConversationId>,
    /// For a summary: whether everything in it was a lead.
    #[serde(default)]
    pub all_leads: bool,
}

/// How notifications are batched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BurstConfig {
    /// More notifications than this in one batch become one summary.
    pub threshold: usize,
    /// A batch is sent once no message came for this long.
    pub quiet_ms: i64,
    /// ...or this long after its first message, whichever is first.
    pub max_delay_ms: i64,
}

impl Default for BurstConfig {
    fn default() -> Self {
        BurstConfig {
            threshold: 3,
            quiet_ms: 1_500,
            max_delay_ms: 5_000,
        }
    }
}

/// How many names a summary lists before "and N more".
const SUMMARY_NAMES: usize = 3;

#[derive(Debug, Clone)]
struct Pending {
    conversation_id: ConversationId,
    contact: String,
    /// The first message of a lead, the latest of a chat.
    preview: String,
    lead: Option<LeadSource>,
    is_lead: bool,
    mine: bool,
    missed_call: bool,
    count: usize,
}

/// The pure notification policy. See the module documentation for its rules.
#[derive(Debug, Clone)]
pub struct NotificationPolicy {
    settings: NotificationSettings,
    language: Language,
    burst: BurstConfig,
    pending: Vec<Pending>,
    first_at: i64,
    last_at: i64,
}

impl NotificationPolicy {
    pub fn new(settings: NotificationSettings) -> Self {
        Self::with_burst(settings, BurstConfig::default())
    }

    pub fn with_burst(settings: NotificationSettings, burst: BurstConfig) -> Self {
        NotificationPolicy {
            settings,
            language: Language::default(),
            burst,
            pending: Vec::new(),
            first_at: 0,
            last_at: 0,
        }
    }

    pub fn settings(&self) -> NotificationSettings {
        self.settings
    }

    /// Takes effect for what is held too, when it is sent.
    pub fn set_settings(&mut self, settings: NotificationSettings) {
        self.settings = settings;
    }

    /// Words what is sent from now on (what is held too) in `language`.
    pub fn set_language(&mut self, language: Language) {
        self.language = language;
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The notifications for assignments just filed: those that give a
    /// conversation to `me` (the agent's name on the relay; `None` while it
    /// is not known) by someone else, filed within [`ASSIGNMENT_NEWS_MS`] of
    /// `now_ms`. More than the burst threshold fold into one. Not batched
    /// with messages: an assignment is shown at once.
    pub fn assigned(
        &self,
        assignments: &[AssignedChat],
        me: Option<&str>,
        now_ms: i64,
    ) -> Vec<Notification> {
        let s = self.settings;
        let Some(me) = me else {
            return Vec::new();
        };
        if s.do_not_disturb || !s.assigned_to_me {
            return Vec::new();
        }
        let mut mine: Vec<&AssignedChat> = Vec::new();
        for a in assignments {
            let to_me = a.assignee.as_deref() == Some(me);
            let by_other = a.by.as_deref() != Some(me);
            let news = now_ms - a.at_ms <= ASSIGNMENT_NEWS_MS;
            if to_me && by_other && news {
                // The last assignment of a conversation in the batch is the one in force.
                mine.retain(|m| m.conversation_id != a.conversation_id);
                mine.push(a);
            } else {
                mine.retain(|m| m.conversation_id != a.conversation_id);
            }
        }
        let lang = self.language;
        if mine.len() > self.burst.threshold {
            let names: Vec<&str> = mine.iter().map(|a| a.contact.as_str()).collect();
            let body = name_list(&names, lang);
            return vec![Notification {
                kind: NotificationKind::Assigned,
                summary: lang.assigned_many(mine.len()),
                body,
                conversation_id: None,
                all_leads: false,
            }];
        }
        mine.into_iter()
            .map(|a| {
                let (summary, body) = lang.assigned(&a.contact, a.by.as_deref());
                Notification {
                    kind: NotificationKind::Assigned,
                    summary,
                    body,
                    conversation_id: Some(a.conversation_id),
                    all_leads: false,
                }
            })
            .collect()
    }

    /// The notifications for window reminders due at `now_ms` (Unix ms).
    pub fn reminders(&self, due: &[WindowReminder], now_ms: i64) -> Vec<Notification> {
        let s = self.settings;
        if s.do_not_disturb || !s.window_reminder {
            return Vec::new();
        }
        due.iter()
            .map(|r| {
                // Rounded up: "closes in 0 min" would be wrong while it is open.
                let left_ms = (r.closes_at * 1000 - now_ms).max(0);
                let minutes = (left_ms + 59_999) / 60_000;
                let (summary, body) = self.language.window_closing(&r.contact, minutes);
                Notification {
                    kind: NotificationKind::WindowReminder,
                    summary,
                    body,
                    conversation_id: Some(r.conversation_id),
                    all_leads: false,
                }
            })
            .collect()
    }

    /// Files one message. Returns the notifications due now: those of a batch
    /// whose time had already come (so a caller without a timer still gets
    /// them, late), never the message just pushed.
    pub fn push(&mut self, incoming: Incoming, now_ms: i64) -> Vec<Notification> {
        let out = self.flush(now_ms);
        if !self.wanted(&incoming) {
            return out;
        }
        if self.pending.is_empty() {
            self.first_at = now_ms;
        }
        self.last_at = now_ms;
        let preview = preview(&incoming.preview);
        if let Some(p) = self
            .pending
            .iter_mut()
            .find(|p| p.conversation_id == incoming.conversation_id)
        {
            p.count += 1;
            p.mine |= incoming.mine;
            p.missed_call |= incoming.missed_call;
            if incoming.is_new_contact && !p.is_lead {
                p.is_lead = true;
                p.preview = preview;
            } else if !p.is_lead {
                p.preview = preview;
            }
            if p.lead.is_none() {
                p.lead = incoming.lead;
            }
            p.contact = incoming.contact;
        } else {
            self.pending.push(Pending {
                conversation_id: incoming.conversation_id,
                contact: incoming.contact,
                preview,
                lead: incoming.lead,
                is_lead: incoming.is_new_contact,
                mine: incoming.mine,
                missed_call: incoming.missed_call,
                count: 1,
            });
        }
        out
    }

    /// When the held batch is due, if anything is held. A caller arms a
    /// timer for this time and then calls [`flush`](Self::flush).
    pub fn next_flush_at(&self) -> Option<i64> {
        (!self.pending.is_empty()).then(|| {
            (self.last_at + self.burst.quiet_ms).min(self.first_at + self.burst.max_delay_ms)
        })
    }

    /// Sends the held batch if it is due at `now_ms`.
    pub fn flush(&mut self, now_ms: i64) -> Vec<Notification> {
        match self.next_flush_at() {
            Some(due) if now_ms >= due => self.flush_now(),
            _ => Vec::new(),
        }
    }

    /// Sends whatever is held, due or not (e.g. when the app quits).
    pub fn flush_now(&mut self) -> Vec<Notification> {
        let pending = std::mem::take(&mut self.pending);
        let s = self.settings;
        if s.do_not_disturb {
            return Vec::new();
        }
        let shown: Vec<Pending> = pending
            .into_iter()
            .filter(|p| {
                if p.missed_call && s.missed_calls {
                    true
                } else if p.is_lead {
                    s.new_leads
                } else {
                    p.mine && s.new_messages_in_my_chats
                }
            })
            .collect();
        // A missed call is never folded into a summary: its caller waits
        // for a call back.
        let lang = self.language;
        let (calls, shown): (Vec<Pending>, Vec<Pending>) =
            shown.into_iter().partition(|p| p.missed_call);
        let mut out: Vec<Notification> = calls.into_iter().map(|p| single(p, lang)).collect();
        if shown.len() > self.burst.threshold {
            out.push(summary(&shown, lang));
        } else {
            out.extend(shown.into_iter().map(|p| single(p, lang)));
        }
        out
    }

    fn wanted(&self, m: &Incoming) -> bool {
        let s = self.settings;
        if m.from_us || m.replay || s.do_not_disturb {
            return false;
        }
        if m.missed_call && s.missed_calls {
            return true;
        }
        if m.is_new_contact {
            return s.new_leads;
        }
        // A later message of a lead still held joins it, mine or not.
        let held = self
            .pending
            .iter()
            .any(|p| p.conversation_id == m.conversation_id);
        held || (m.mine && s.new_messages_in_my_chats)
    }
}

fn single(p: Pending, lang: Language) -> Notification {
    if p.missed_call {
        let (summary, body) = lang.missed_call(&p.contact);
        return Notification {
            kind: NotificationKind::MissedCall,
            summary,
            body,
            conversation_id: Some(p.conversation_id),
            all_leads: false,
        };
    }
    if p.is_lead {
        let mut body = p.preview;
        if let Some(source) = &p.lead {
            if !body.is_empty() {
                body.push('\n');
            }
            body.push_str(&lang.lead_source(source));
        }
        Notification {
            kind: NotificationKind::Lead,
            summary: lang.new_lead(&p.contact),
            body,
            conversation_id: Some(p.conversation_id),
            all_leads: false,
        }
    } else {
        let summary = lang.chat(&p.contact, p.count);
        Notification {
            kind: NotificationKind::Message,
            summary,
            body: p.preview,
            conversation_id: Some(p.conversation_id),
            all_leads: false,
        }
    }
}

fn summary(shown: &[Pending], lang: Language) -> Notification {
    let leads = shown.iter().filter(|p| p.is_lead).count();
    let chats = shown.len() - leads;
    let summary = lang.summary(leads, chats);
    // Leads first: they are what a summary is mostly about.
    let names: Vec<&str> = shown
        .iter()
        .filter(|p| p.is_lead)
        .chain(shown.iter().filter(|p| !p.is_lead))
        .map(|p| p.contact.as_str())
        .collect();
    let body = name_list(&names, lang);
    Notification {
        kind: NotificationKind::Summary,
        summary,
        body,
        conversation_id: None,
        all_leads: chats == 0,
    }
}

/// The first [`SUMMARY_NAMES`] names, then "and N more".
fn name_list(names: &[&str], lang: Language) -> String {
    let shown = names.len().min(SUMMARY_NAMES);
    let mut list = names[..shown].join(", ");
    if names.len() > shown {
        list.push_str(&lang.and_more(names.len() - shown));
    }
    list
}

/// Shows notifications. Implementations must not panic; a failure is
/// returned for the caller to log.
pub trait NotificationSink: Send + Sync {
    fn send(&self, notification: &Notification) -> Result<(), SendError>;
}

/// A notification could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(
        "Could not show a desktop notification: {reason}. On Linux this needs a D-Bus session \
         bus with a notification service (any desktop environment has one)."
    )]
    Platform { reason: String },
}

impl SendError {
    /// A stable identifier the UI words.
    pub fn code(&self) -> ErrorCode {
        match self {
            SendError::Platform { .. } => ErrorCode::NotificationFailed,
        }
    }
}

/// A sink that keeps what it was sent; for tests and for a UI that shows
/// notifications itself.
#[derive(Debug, Default)]
pub struct MemorySink {
    sent: std::sync::Mutex<Vec<Notification>>,
}

impl MemorySink {
    pub fn sent(&self) -> Vec<Notification> {
        self.sent.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl NotificationSink for MemorySink {
    fn send(&self, notification: &Notification) -> Result<(), SendError> {
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(notification.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
