//! Who answers a conversation under Meta's conversation routing, and taking
//! it over from Meta's business AI agent.
//!
//! Meta's AI agent may answer a number's customers while Hourglass listens:
//! their messages come on the `standby` field and are filed marked
//! (`handled_by: ai_agent`), and the conversation's owner follows them and
//! the `messaging_handovers` events (`sync::plan`). An agent takes a
//! conversation over with [`take_over`]: `thread_control` with `take`, and
//! once Meta accepts, the owner is this app at once: Meta tells the previous
//! owner, not the one who took it.

use std::sync::{Mutex, PoisonError};

use hourglass_whatsapp::thread_control::ThreadControl;

use crate::error::{Error, Result};
use crate::graph::GraphClient;
use crate::inbox::{ConversationId, ConversationSummary, ThreadOwner};
use crate::store::Store;

/// The `take` request for a conversation's customer: their number, else
/// their business-scoped user id.
pub fn take_request(c: &ConversationSummary) -> Result<ThreadControl> {
    if let Some(phone) = c.contact.phone.as_deref().filter(|p| !p.is_empty()) {
        return Ok(ThreadControl::take(phone.trim_start_matches('+')));
    }
    match c.contact.user_id.as_deref().filter(|u| !u.is_empty()) {
        Some(user) => Ok(ThreadControl::take_user(user)),
        None => Err(Error::ContactWithoutIdentity),
    }
}

/// Asks Meta to hand the conversation to this app; on success records this
/// app as its owner (at `now_s`, Unix seconds) and answers the updated row.
/// A refusal leaves the owner as it was and answers Meta's error.
pub async fn take_over(
    graph: &GraphClient,
    store: &Mutex<Store>,
    conversation: ConversationId,
    now_s: i64,
) -> Result<ConversationSummary> {
    let lock = || store.lock().unwrap_or_else(PoisonError::into_inner);
    let request = take_request(&lock().conversation(conversation)?)?;
    graph.thread_control(&request).await?;
    let mut s = lock();
    s.write(|w| w.set_owner(conversation, ThreadOwner::App, now_s))?;
    s.conversation(conversation)
}
