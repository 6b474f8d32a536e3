//! The customer-service window and the free entry point, as pure functions of
//! Meta's timestamps and `now` (all Unix seconds).
//!
//! This is the one statement of these rules: the desktop core refuses free
//! text with it, the simulator fails and prices sends with it, and the UI's
//! countdown (`ui/src/lib/window/`) is held to the same cases by the shared
//! vectors in `crates/whatsapp/tests/vectors/window.json`.
//!
//! - The **customer-service window** opens when the customer writes *or
//!   calls* and lasts 24 hours from their *last* message or call
//!   ([`window_start`]), measured with Meta's `timestamp` of it, never with
//!   the time it reached us. While it is open any
//!   message may be sent; once closed only an approved template.
//! - It is **closing** during its last hour (strictly less than 3600 s left),
//!   so agents see it coming.
//! - A **free entry point** applies to customers who arrived from a
//!   click-to-WhatsApp ad: if the business replies within 24 hours of the
//!   customer's ad message, a 72-hour window opens from that reply in which
//!   every message is free. It runs independently of the 24-hour window.
//!
//! Decisions where Meta's documentation is silent:
//! - A timestamp in the future (the customer's or our clock is off) is taken
//!   at face value: the window closes 24 h after it. Meta decides with its own
//!   clock, and under-promising would hide a window that is really open; the
//!   remaining time is reported as is and the UI caps what it displays.
//! - The boundary is exclusive: exactly 24:00:00 after the last message the
//!   window is closed; 23:59:59 after, it is open.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How long the customer-service window stays open after the customer's last message.
pub const SERVICE_WINDOW_SECS: i64 = 24 * 3600;
/// Remaining time under which an open window counts as closing.
pub const CLOSING_SOON_SECS: i64 = 3600;
/// How long a free entry point lasts from the business's first reply.
pub const FREE_ENTRY_POINT_SECS: i64 = 72 * 3600;
/// How long after an ad message the business may reply to open a free entry point.
pub const FREE_ENTRY_POINT_REPLY_SECS: i64 = 24 * 3600;

/// Where a conversation's customer-service window stands at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum ServiceWindow {
    /// The customer has never written: only a template can start the chat.
    NeverOpened,
    /// Open with more than an hour left.
    Open {
        #[ts(type = "number")]
        closes_at: i64,
    },
    /// Open with less than an hour left.
    Closing {
        #[ts(type = "number")]
        closes_at: i64,
    },
    /// Closed; only templates may be sent until the customer writes again.
    Closed {
        #[ts(type = "number")]
        closed_at: i64,
    },
}

impl ServiceWindow {
    /// Free text may be sent.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ServiceWindow::Open { .. } | ServiceWindow::Closing { .. }
        )
    }

    /// Seconds until it closes (0 when closed or never opened).
    pub fn remaining(self, now: i64) -> i64 {
        match self {
            ServiceWindow::Open { closes_at } | ServiceWindow::Closing { closes_at } => {
                (closes_at - now).max(0)
            }
            ServiceWindow::NeverOpened | ServiceWindow::Closed { .. } => 0,
        }
    }
}

/// When the customer last reached out: the later of their last message and
/// their last call (answered or missed), each as Meta timed it. This is the
/// `last_inbound_at` that [`service_window`] measures from.
pub fn window_start(last_message_at: Option<i64>, last_call_at: Option<i64>) -> Option<i64> {
    match (last_message_at, last_call_at) {
        (Some(m), Some(c)) => Some(m.max(c)),
        (one, None) | (None, one) => one,
    }
}

/// The customer-service window given the Meta timestamp of the customer's
/// last message or call (`None` when they never wrote nor called).
pub fn service_window(last_inbound_at: Option<i64>, now: i64) -> ServiceWindow {
    let Some(last) = last_inbound_at else {
        return ServiceWindow::NeverOpened;
    };
    let closes_at = last.saturating_add(SERVICE_WINDOW_SECS);
    let left = closes_at.saturating_sub(now);
    if left <= 0 {
        ServiceWindow::Closed {
            closed_at: closes_at,
        }
    } else if left < CLOSING_SOON_SECS {
        ServiceWindow::Closing { closes_at }
    } else {
        ServiceWindow::Open { closes_at }
    }
}

/// The free-entry-point state of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum FreeEntryPoint {
    /// The customer did not come from a click-to-WhatsApp ad.
    NotApplicable,
    /// An ad lead not answered yet: replying before `reply_by` opens 72 free hours.
    Available {
        #[ts(type = "number")]
        reply_by: i64,
    },
    /// Every message is free until `until`.
    Open {
        #[ts(type = "number")]
        until: i64,
    },
    /// It was open and has ended.
    Ended {
        #[ts(type = "number")]
        ended_at: i64,
    },
    /// The business did not reply within 24 h of the ad message.
    Missed,
}

/// The free entry point of an ad lead.
///
/// `ad_message_at` is Meta's timestamp of the customer's message that carried
/// the referral; `first_reply_at` that of the business's first message after
/// it (its `sent` time as Meta reports it, or our send time until then).
pub fn free_entry_point(
    ad_message_at: Option<i64>,
    first_reply_at: Option<i64>,
    now: i64,
) -> FreeEntryPoint {
    let Some(ad_at) = ad_message_at else {
        return FreeEntryPoint::NotApplicable;
    };
    let reply_by = ad_at.saturating_add(FREE_ENTRY_POINT_REPLY_SECS);
    match first_reply_at {
        Some(reply) if reply >= ad_at && reply < reply_by => {
            let until = reply.saturating_add(FREE_ENTRY_POINT_SECS);
            if now < until {
                FreeEntryPoint::Open { until }
            } else {
                FreeEntryPoint::Ended { ended_at: until }
            }
        }
        // A reply earlier than the ad message belongs to an older chat and
        // does not count; a late one opened nothing.
        Some(reply) if reply >= reply_by => FreeEntryPoint::Missed,
        _ if now < reply_by => FreeEntryPoint::Available { reply_by },
        _ => FreeEntryPoint::Missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_750_000_000;
    const H: i64 = 3600;

    #[test]
    fn one_second_before_24_hours_is_open_and_24_hours_is_closed() {
        let last_second = service_window(Some(T), T + 24 * H - 1);
        assert!(last_second.is_open());
        assert_eq!(
            last_second,
            ServiceWindow::Closing {
                closes_at: T + 24 * H
            }
        );
        assert_eq!(last_second.remaining(T + 24 * H - 1), 1);

        let at_24h = service_window(Some(T), T + 24 * H);
        assert!(!at_24h.is_open());
        assert_eq!(
            at_24h,
            ServiceWindow::Closed {
                closed_at: T + 24 * H
            }
        );
        assert_eq!(at_24h.remaining(T + 24 * H), 0);
    }

    #[test]
    fn closing_is_the_last_hour_exclusive() {
        assert_eq!(
            service_window(Some(T), T + 23 * H),
            ServiceWindow::Open {
                closes_at: T + 24 * H
            },
            "exactly one hour left is still open"
        );
        assert_eq!(
            service_window(Some(T), T + 23 * H + 1),
            ServiceWindow::Closing {
                closes_at: T + 24 * H
            }
        );
        assert_eq!(
            service_window(Some(T), T),
            ServiceWindow::Open {
                closes_at: T + 24 * H
            }
        );
    }

    #[test]
    fn a_new_customer_message_reopens_the_window() {
        let now = T + 30 * H;
        assert!(!service_window(Some(T), now).is_open());
        let reopened = service_window(Some(T + 29 * H), now);
        assert_eq!(
            reopened,
            ServiceWindow::Open {
                closes_at: T + 53 * H
            }
        );
        assert_eq!(reopened.remaining(now), 23 * H);
    }

    #[test]
    fn a_call_opens_the_window_as_a_message_does() {
        assert_eq!(window_start(None, None), None);
        assert_eq!(window_start(Some(T), None), Some(T));
        assert_eq!(window_start(None, Some(T)), Some(T));
        assert_eq!(window_start(Some(T), Some(T + H)), Some(T + H));
        assert_eq!(window_start(Some(T + H), Some(T)), Some(T + H));
        let now = T + 30 * H;
        let called = service_window(window_start(Some(T), Some(T + 29 * H)), now);
        assert_eq!(
            called,
            ServiceWindow::Open {
                closes_at: T + 53 * H
            }
        );
    }

    #[test]
    fn never_written_means_template_only() {
        let w = service_window(None, T);
        assert_eq!(w, ServiceWindow::NeverOpened);
        assert!(!w.is_open());
        assert_eq!(w.remaining(T), 0);
    }

    #[test]
    fn back_dated_and_future_timestamps() {
        // A message back-dated three days: long closed.
        assert_eq!(
            service_window(Some(T - 72 * H), T),
            ServiceWindow::Closed {
                closed_at: T - 48 * H
            }
        );
        // A timestamp ten minutes ahead of our clock: open, closing 24 h after it.
        let ahead = service_window(Some(T + 600), T);
        assert_eq!(
            ahead,
            ServiceWindow::Open {
                closes_at: T + 600 + 24 * H
            }
        );
        assert_eq!(ahead.remaining(T), 24 * H + 600);
        // Absurd values do not overflow.
        assert!(service_window(Some(i64::MAX), T).is_open());
        assert!(!service_window(Some(i64::MIN), T).is_open());
    }

    #[test]
    fn free_entry_point_opens_only_on_a_reply_within_24_hours() {
        assert_eq!(
            free_entry_point(None, Some(T), T),
            FreeEntryPoint::NotApplicable
        );
        assert_eq!(
            free_entry_point(Some(T), None, T + H),
            FreeEntryPoint::Available {
                reply_by: T + 24 * H
            }
        );
        assert_eq!(
            free_entry_point(Some(T), None, T + 24 * H),
            FreeEntryPoint::Missed
        );
        let reply = T + 24 * H - 1;
        assert_eq!(
            free_entry_point(Some(T), Some(reply), reply),
            FreeEntryPoint::Open {
                until: reply + 72 * H
            }
        );
        assert_eq!(
            free_entry_point(Some(T), Some(reply), reply + 72 * H - 1),
            FreeEntryPoint::Open {
                until: reply + 72 * H
            }
        );
        assert_eq!(
            free_entry_point(Some(T), Some(reply), reply + 72 * H),
            FreeEntryPoint::Ended {
                ended_at: reply + 72 * H
            }
        );
        assert_eq!(
            free_entry_point(Some(T), Some(T + 24 * H), T + 25 * H),
            FreeEntryPoint::Missed,
            "a reply at exactly 24 h is too late"
        );
        // A reply from before the ad message is an older chat: still available.
        assert_eq!(
            free_entry_point(Some(T), Some(T - H), T + H),
            FreeEntryPoint::Available {
                reply_by: T + 24 * H
            }
        );
    }
}
