//! Team commands: assignment, private notes, labels, conversation status,
//! canned responses, presence and the collision check before sending. The
//! work, and waiting to see one's own action applied, is the core's
//! (`hourglass_core::session`).

use crate::error::{Ctx, Id, Reply};
use hourglass_core::presence::{Collision, ConversationPresence as Presence};
use hourglass_core::session::ConversationTeam as Team;
use hourglass_core::session::{ConversationAssignee, ConversationLabel, TeamAgents};
use hourglass_core::status::{self, ConversationStatusRow};
use hourglass_core::team::CannedResponse;
use hourglass_protocol::{PresenceState, team::ConversationStatus};

#[tauri::command]
pub async fn get_conversation_team(cx: Ctx<'_>, conversation_id: Id) -> Reply<Team> {
    cx.with_store(|s| Team::of(s, conversation_id))
}

#[tauri::command]
pub async fn assign_conversation(
    cx: Ctx<'_>,
    conversation_id: Id,
    assignee: Option<String>,
) -> Reply<Team> {
    cx.session()?.assign(conversation_id, assignee).await
}

#[tauri::command]
pub async fn add_note(cx: Ctx<'_>, conversation_id: Id, body: String) -> Reply<Team> {
    cx.session()?.add_note(conversation_id, body).await
}

#[tauri::command]
pub async fn set_label(cx: Ctx<'_>, conversation_id: Id, label: String, on: bool) -> Reply<Team> {
    let session = cx.session()?;
    session.set_label(conversation_id, &label, on).await
}

/// `snooze_until` (Unix seconds) only with a snooze, which without it lasts
/// until the customer writes.
#[tauri::command]
pub async fn set_conversation_status(
    cx: Ctx<'_>,
    conversation_id: Id,
    status: ConversationStatus,
    snooze_until: Option<i64>,
) -> Reply<Team> {
    let s = cx.session()?;
    s.set_status(conversation_id, status, snooze_until).await
}

/// The status of every conversation that is not plainly open.
#[tauri::command]
pub async fn list_statuses(cx: Ctx<'_>) -> Reply<Vec<ConversationStatusRow>> {
    cx.with_store(|s| status::statuses(s))
}

#[tauri::command]
pub async fn list_assignees(cx: Ctx<'_>) -> Reply<Vec<ConversationAssignee>> {
    cx.with_store(|s| ConversationAssignee::all(s))
}

/// Every labelled conversation, for the label filter.
#[tauri::command]
pub async fn list_labels(cx: Ctx<'_>) -> Reply<Vec<ConversationLabel>> {
    cx.with_store(|s| ConversationLabel::all(s))
}

#[tauri::command]
pub async fn list_agents(cx: Ctx<'_>) -> Reply<TeamAgents> {
    cx.session()?.agents().await
}

#[tauri::command]
pub async fn list_canned(cx: Ctx<'_>) -> Reply<Vec<CannedResponse>> {
    cx.with_store(|s| s.canned_responses())
}

/// Creates a canned response (`id` absent) or changes one.
#[tauri::command]
pub async fn save_canned(
    cx: Ctx<'_>,
    id: Option<String>,
    title: String,
    body: String,
) -> Reply<Vec<CannedResponse>> {
    cx.session()?.save_canned(id, title, body).await
}

#[tauri::command]
pub async fn delete_canned(cx: Ctx<'_>, id: String) -> Reply<Vec<CannedResponse>> {
    cx.session()?.delete_canned(id).await
}

/// What this agent is doing in a conversation (`viewing`, `typing`,
/// `left`); answers who else is there.
#[tauri::command]
pub async fn set_presence(
    cx: Ctx<'_>,
    conversation_id: Id,
    presence: PresenceState,
) -> Reply<Presence> {
    cx.session()?.set_presence(conversation_id, presence).await
}

#[tauri::command]
pub async fn get_presence(cx: Ctx<'_>, conversation_id: Id) -> Reply<Presence> {
    cx.session()?.presence(conversation_id).await
}

#[tauri::command]
pub async fn get_typing_indicator(cx: Ctx<'_>) -> Reply<bool> {
    cx.with_profile_store(|s| s.typing_indicator_on())
}

#[tauri::command]
pub async fn set_typing_indicator(cx: Ctx<'_>, on: bool) -> Reply<bool> {
    cx.save_preference(hourglass_core::typing::SETTING_KEY, Some(&on))?;
    Ok(on)
}

/// Before sending: another agent typing here, or one who sent to this
/// customer in the last minute (nothing without a relay).
#[tauri::command]
pub async fn check_collision(cx: Ctx<'_>, conversation_id: Id) -> Reply<Vec<Collision>> {
    let Some(session) = cx.running() else {
        return Ok(Vec::new());
    };
    let now_ms = chrono::Utc::now().timestamp_millis();
    session.collisions(conversation_id, now_ms).await
}
