//! What happens to a message after the fake Graph API accepted it: the
//! status webhooks Meta would send (`sent`, `delivered`, `read`, or `failed`),
//! with pricing, and sometimes the customer's answer.

use std::sync::Arc;

use hourglass_whatsapp::graph_error::ErrorCode;
use hourglass_whatsapp::send::OutboundBody;
use hourglass_whatsapp::template::TemplateCategory;
use hourglass_whatsapp::window::FreeEntryPoint;
use rand::Rng;
use serde_json::{Value, json};

use crate::customer::{self, Content, Customer, Inbound, Language, ReactionSpec};
use crate::envelope::Update;
use crate::state::{SimState, now_unix};

/// How an accepted message ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Reaches the phone; statuses carry this pricing block.
    Delivered { pricing: Value },
    /// Fails by webhook with this code.
    Failed(ErrorCode),
}

/// An accepted message and what will become of it.
#[derive(Debug, Clone)]
pub(crate) struct Accepted {
    pub wamid: String,
    pub wa_id: String,
    /// Set when the send named the customer by user id (`recipient`): the
    /// statuses and the customer's reply then hide the number.
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub callback_data: Option<String>,
    pub outcome: Outcome,
    pub language: Language,
}

/// Decides the outcome of a send to `customer` at `now`, updating the
/// free-entry-point window as Meta would. Call with the state lock held.
pub(crate) fn decide(
    customer: &mut Customer,
    unreachable: bool,
    body: &OutboundBody,
    category: Option<TemplateCategory>,
    now: i64,
) -> Outcome {
    if unreachable {
        return Outcome::Failed(ErrorCode::Undeliverable);
    }
    let open = customer.window_open(now);
    if body.needs_open_window() && !open {
        return Outcome::Failed(ErrorCode::ReEngagement);
    }
    // A reply to an ad lead within 24 h of the ad message opens a 72 h
    // window in which everything is free.
    customer.replied(now);
    let free_entry = matches!(customer.free_entry_point(now), FreeEntryPoint::Open { .. });
    let (billable, kind, cat) = if free_entry {
        (false, "free_entry_point", "referral_conversion")
    } else {
        match category {
            None => (false, "free_customer_service", "service"),
            Some(TemplateCategory::Utility) if open => (false, "free_customer_service", "utility"),
            Some(c) => (true, "regular", c.pricing_name()),
        }
    };
    Outcome::Delivered {
        pricing: json!({"billable": billable, "pricing_model": "PMP", "type": kind, "category": cat}),
    }
}

fn status(accepted: &Accepted, status: &str) -> Value {
    let mut v = json!({
        "id": accepted.wamid,
        "status": status,
        "timestamp": now_unix().to_string(),
    });
    let Some(obj) = v.as_object_mut() else {
        return v;
    };
    match &accepted.user_id {
        Some(user_id) => obj.insert("recipient_user_id".into(), json!(user_id)),
        None => obj.insert("recipient_id".into(), json!(accepted.wa_id)),
    };
    if let Some(data) = &accepted.callback_data {
        obj.insert("biz_opaque_callback_data".into(), json!(data));
    }
    match &accepted.outcome {
        Outcome::Delivered { pricing } => {
            obj.insert("pricing".into(), pricing.clone());
        }
        Outcome::Failed(code) => {
            obj.insert(
                "errors".into(),
                json!([{
                    "code": code.code(),
                    "title": code.title(),
                    "message": code.title(),
                    "error_data": {"details": failure_details(*code)},
                }]),
            );
        }
    }
    v
}

fn failure_details(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::ReEngagement => {
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number."
        }
        ErrorCode::Undeliverable => "Message Undeliverable.",
        other => other.summary(),
    }
}

/// Plays out the statuses (and maybe a reply) in a background task that
/// stops at shutdown.
pub(crate) fn spawn(state: Arc<SimState>, accepted: Accepted) {
    tokio::spawn(async move {
        let timing = state.config.timing.clone();
        if !state.sleep(state.jittered(timing.sent)).await {
            return;
        }
        if let Outcome::Failed(_) = accepted.outcome {
            state
                .enqueue(Update::Status(status(&accepted, "failed")), None)
                .await;
            return;
        }
        state
            .enqueue(Update::Status(status(&accepted, "sent")), None)
            .await;
        if !state.sleep(state.jittered(timing.delivered)).await {
            return;
        }
        state
            .enqueue(Update::Status(status(&accepted, "delivered")), None)
            .await;
        if !state.chance(timing.read_probability) {
            return;
        }
        if !state.sleep(state.jittered(timing.read)).await {
            return;
        }
        state
            .enqueue(Update::Status(status(&accepted, "read")), None)
            .await;
        if !state.chance(timing.reply_probability) {
            return;
        }
        if !state.sleep(state.jittered(timing.reply_delay)).await {
            return;
        }
        let (content, reply_to) = {
            let mut inner = state.lock();
            let roll: f64 = inner.rng.random();
            if roll < 0.2 {
                let emoji = ["👍", "🙏", "❤️", "😂"][inner.rng.random_range(0..4)];
                let reaction = ReactionSpec {
                    message_id: accepted.wamid.clone(),
                    emoji: Some(emoji.to_owned()),
                };
                (Content::Reaction(reaction), None)
            } else {
                let text = customer::random_reply(&mut inner.rng, accepted.language);
                let quote = (roll < 0.5).then(|| accepted.wamid.clone());
                (Content::Text(text), quote)
            }
        };
        let inbound = Inbound {
            from: accepted.wa_id.clone(),
            username: accepted.username.clone(),
            hide_number: Some(accepted.user_id.is_some()),
            name: None,
            timestamp: None,
            reply_to,
            referral: None,
            content,
        };
        if let Err(e) = state.receive(inbound, false).await {
            tracing::debug!(error = %e, "simulated reply not sent");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_whatsapp::send::{OutboundMessage, TemplatePayload};
    use hourglass_whatsapp::window::FREE_ENTRY_POINT_SECS;

    fn customer(last: Option<i64>) -> Customer {
        Customer {
            wa_id: "34612345678".into(),
            name: "L".into(),
            user_id: "ES.1".into(),
            username: None,
            language: Language::Es,
            last_inbound: last,
            referral_at: None,
            first_reply_at: None,
        }
    }

    fn text() -> OutboundBody {
        OutboundMessage::text("1", "hi").body
    }

    fn template() -> OutboundBody {
        OutboundMessage::template("1", TemplatePayload::new("t", "es")).body
    }

    fn pricing(o: &Outcome) -> &Value {
        match o {
            Outcome::Delivered { pricing } => pricing,
            Outcome::Failed(c) => panic!("failed with {c:?}"),
        }
    }

    #[test]
    fn free_text_needs_an_open_window() {
        let now = 1_000_000;
        let mut open = customer(Some(now - 3600));
        let o = decide(&mut open, false, &text(), None, now);
        assert_eq!(pricing(&o)["category"], "service");
        assert_eq!(pricing(&o)["billable"], false);
        let mut closed = customer(Some(now - 25 * 3600));
        assert_eq!(
            decide(&mut closed, false, &text(), None, now),
            Outcome::Failed(ErrorCode::ReEngagement)
        );
        let mut never = customer(None);
        assert_eq!(
            decide(&mut never, false, &text(), None, now),
            Outcome::Failed(ErrorCode::ReEngagement)
        );
        assert_eq!(
            decide(
                &mut open,
                true,
                &template(),
                Some(TemplateCategory::Utility),
                now
            ),
            Outcome::Failed(ErrorCode::Undeliverable)
        );
    }

    #[test]
    fn templates_are_priced_by_category_and_window() {
        let now = 1_000_000;
        let mut closed = customer(Some(now - 25 * 3600));
        let m = decide(
            &mut closed,
            false,
            &template(),
            Some(TemplateCategory::Marketing),
            now,
        );
        assert_eq!(
            pricing(&m),
            &json!({"billable": true, "pricing_model": "PMP", "type": "regular", "category": "marketing"})
        );
        let u = decide(
            &mut closed,
            false,
            &template(),
            Some(TemplateCategory::Utility),
            now,
        );
        assert_eq!(pricing(&u)["billable"], true);
        let mut open = customer(Some(now - 60));
        let u = decide(
            &mut open,
            false,
            &template(),
            Some(TemplateCategory::Utility),
            now,
        );
        assert_eq!(pricing(&u)["type"], "free_customer_service");
    }

    #[test]
    fn replying_to_an_ad_lead_opens_the_free_entry_point() {
        let now = 1_000_000;
        let mut lead = customer(Some(now - 600));
        lead.referral_at = Some(now - 600);
        let o = decide(&mut lead, false, &text(), None, now);
        assert_eq!(pricing(&o)["type"], "free_entry_point");
        assert_eq!(lead.first_reply_at, Some(now));
        assert_eq!(
            lead.free_entry_point(now),
            FreeEntryPoint::Open {
                until: now + FREE_ENTRY_POINT_SECS
            }
        );
        // Two days later the window is closed but templates stay free.
        let later = now + 48 * 3600;
        let o = decide(
            &mut lead,
            false,
            &template(),
            Some(TemplateCategory::Marketing),
            later,
        );
        assert_eq!(pricing(&o)["category"], "referral_conversion");
        // 72 h after the reply it has ended and templates are billed again.
        let o = decide(
            &mut lead,
            false,
            &template(),
            Some(TemplateCategory::Marketing),
            now + FREE_ENTRY_POINT_SECS,
        );
        assert_eq!(pricing(&o)["type"], "regular");
        assert_eq!(pricing(&o)["billable"], true);
    }

    #[test]
    fn a_first_reply_a_day_after_the_ad_message_opens_nothing() {
        let now = 1_000_000;
        // The ad message is 25 h old, but the customer wrote again since, so
        // the service window is open: free text goes out, at no discount.
        let mut lead = customer(Some(now - 600));
        lead.referral_at = Some(now - 25 * 3600);
        let o = decide(&mut lead, false, &text(), None, now);
        assert_eq!(pricing(&o)["type"], "free_customer_service");
        assert_eq!(lead.free_entry_point(now), FreeEntryPoint::Missed);
        let o = decide(
            &mut lead,
            false,
            &template(),
            Some(TemplateCategory::Marketing),
            now + 60,
        );
        assert_eq!(pricing(&o)["billable"], true);
    }

    #[test]
    fn a_refused_send_is_not_the_reply_and_a_new_ad_message_starts_over() {
        let now = 1_000_000;
        let mut lead = customer(Some(now - 25 * 3600));
        lead.referral_at = Some(now - 25 * 3600);
        assert_eq!(
            decide(&mut lead, false, &text(), None, now),
            Outcome::Failed(ErrorCode::ReEngagement)
        );
        assert_eq!(lead.first_reply_at, None);
        // The customer taps another ad; the next reply opens a free entry point.
        lead.last_inbound = Some(now + 10);
        lead.referral_at = Some(now + 10);
        let o = decide(&mut lead, false, &text(), None, now + 20);
        assert_eq!(pricing(&o)["type"], "free_entry_point");
        assert_eq!(lead.first_reply_at, Some(now + 20));
    }
}
