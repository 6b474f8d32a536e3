//! Team commands: assignment, private notes, labels, conversation status,
//! canned responses, presence and the collision check before sending. The
//! work, and waiting to see one's own action applied, is the core's
//! (`hourglass_core::session`).

use crate::error::{Ctx, Id};
use hourglass_core::presence::{Collision, ConversationPresence as Presence};
use hourglass_core::session::ConversationTeam as Team;
use hourglass_core::session::{ConversationAssignee, ConversationLabel, TeamAgents};
use hourglass_core::status::{self, ConversationStatusRow};
use hourglass_core::team::CannedResponse;
use hourglass_protocol::{PresenceState, team::ConversationStatus};

commands! {
    fn get_conversation_team(cx: Ctx<'_>, conversation_id: Id) -> Team =
        cx.with_store(|s| Team::of(s, conversation_id));
    fn assign_conversation(cx: Ctx<'_>, conversation_id: Id, assignee: Option<String>) -> Team =
        cx.session()?.assign(conversation_id, assignee).await;
    fn add_note(cx: Ctx<'_>, conversation_id: Id, body: String) -> Team =
        cx.session()?.add_note(conversation_id, body).await;
    fn set_label(cx: Ctx<'_>, conversation_id: Id, label: String, on: bool) -> Team =
        cx.session()?.set_label(conversation_id, &label, on).await;
    /// `snooze_until` (Unix seconds) only with a snooze, which without it
    /// lasts until the customer writes.
    fn set_conversation_status(
        cx: Ctx<'_>,
        conversation_id: Id,
        status: ConversationStatus,
        snooze_until: Option<i64>,
    ) -> Team = cx.session()?.set_status(conversation_id, status, snooze_until).await;

    fn list_statuses(cx: Ctx<'_>) -> Vec<ConversationStatusRow> =
        cx.with_store(|s| status::statuses(s));
    fn list_assignees(cx: Ctx<'_>) -> Vec<ConversationAssignee> =
        cx.with_store(|s| ConversationAssignee::all(s));
    fn list_labels(cx: Ctx<'_>) -> Vec<ConversationLabel> =
        cx.with_store(|s| ConversationLabel::all(s));
    fn list_agents(cx: Ctx<'_>) -> TeamAgents = cx.session()?.agents().await;

    fn list_canned(cx: Ctx<'_>) -> Vec<CannedResponse> = cx.with_store(|s| s.canned_responses());
    /// Creates a canned response (`id` absent) or changes one.
    fn save_canned(cx: Ctx<'_>, id: Option<String>, title: String, body: String)
        -> Vec<CannedResponse> = cx.session()?.save_canned(id, title, body).await;
    fn delete_canned(cx: Ctx<'_>, id: String) -> Vec<CannedResponse> =
        cx.session()?.delete_canned(id).await;

    fn set_presence(cx: Ctx<'_>, conversation_id: Id, presence: PresenceState) -> Presence =
        cx.session()?.set_presence(conversation_id, presence).await;
    fn get_presence(cx: Ctx<'_>, conversation_id: Id) -> Presence =
        cx.session()?.presence(conversation_id).await;
    /// Nothing to warn about without a relay.
    fn check_collision(cx: Ctx<'_>, conversation_id: Id) -> Vec<Collision> = match cx.running() {
        Some(session) => {
            let now_ms = chrono::Utc::now().timestamp_millis();
            session.collisions(conversation_id, now_ms).await
        }
        None => Ok(Vec::new()),
    };
}
