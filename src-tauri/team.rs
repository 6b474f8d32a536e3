//! Team commands: assignment, private notes, labels, conversation status,
//! canned responses, presence and the collision check before sending.
//!
//! An action is published to the relay's log and shows in this window the
//! way it shows in everyone else's: when the sync engine has applied it
//! (`hourglass_core::team`). The command waits, briefly, until this
//! desktop's store has caught up with the action, so the agent sees their
//! own change at once; if the stream lags, it arrives a moment later.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::inbox::{ConversationId, Handover};
use hourglass_core::presence::{self, Collision, ConversationPresence};
use hourglass_core::problem::ErrorCode;
use hourglass_core::relay::{RelayClient, RelayError};
use hourglass_core::status::{self, ConversationStatusRow, StatusChange};
use hourglass_core::team::{self, CannedResponse, ConversationKey, Note, TeamAction, TeamError};
use hourglass_core::typing::TypingDecision;
use hourglass_protocol::team::ConversationStatus;
use hourglass_protocol::{PresenceQuery, PresenceState, PresenceUpdate};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tauri::State;
use ts_rs::TS;

/// How long an action waits to see itself applied locally.
const READ_OWN_WRITE: Duration = Duration::from_secs(5);

/// A conversation's team state, as the chat header and timeline show it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConversationTeam {
    pub key: ConversationKey,
    pub assignee: Option<String>,
    pub notes: Vec<Note>,
    pub labels: Vec<String>,
    /// Every status change, in log order; the last is in force (none: open).
    pub status: Vec<StatusChange>,
    /// Passings between Meta's AI agent and the team, oldest first.
    pub handovers: Vec<Handover>,
}

/// The team, for assignment menus.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct TeamAgents {
    /// This agent's name on the relay, once known.
    pub me: Option<String>,
    pub agents: Vec<String>,
}

/// Who owns a conversation (unassigned ones are not listed).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConversationAssignee {
    pub conversation_id: ConversationId,
    pub assignee: String,
}

pub(crate) fn team_error(e: TeamError) -> IpcError {
    IpcError {
        code: e.code(),
        params: e.params(),
        message: e.to_string(),
    }
}

fn not_connected() -> IpcError {
    IpcError::new(
        ErrorCode::NotConnected,
        "Team actions need a connection to the team's relay. Connect a number or start the demo.",
    )
}

pub(crate) fn publisher(state: &AppState) -> Result<(Arc<RelayClient>, String), IpcError> {
    state
        .with_session(|s| Some((s.publisher.clone()?, s.relay_url.clone()?)))
        .ok_or_else(not_connected)
}

fn team_of(state: &AppState, conversation: ConversationId) -> Result<ConversationTeam, IpcError> {
    state.with_store(|s| {
        let key = s.conversation_key(conversation)?;
        Ok(ConversationTeam {
            assignee: s.assignment(&key)?.and_then(|a| a.assignee),
            notes: s.notes(&key)?,
            labels: s.labels(&key)?,
            status: s.status_history(&key)?,
            handovers: s.handovers(conversation)?,
            key,
        })
    })
}

/// Publishes `action` and waits until this desktop has applied it.
async fn act(state: &AppState, action: TeamAction) -> Result<(), IpcError> {
    let (relay, cursor_key) = publisher(state)?;
    let key = uuid::Uuid::new_v4().to_string();
    let seq = team::publish_at(&action, &relay, &key)
        .await
        .map_err(team_error)?;
    await_applied(state, &cursor_key, seq).await
}

/// Waits, briefly, until this desktop's store applied log position `seq`.
pub(crate) async fn await_applied(
    state: &AppState,
    cursor_key: &str,
    seq: u64,
) -> Result<(), IpcError> {
    let started = Instant::now();
    while started.elapsed() < READ_OWN_WRITE {
        if state.with_store(|s| s.sync_cursor(cursor_key))? >= seq {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tracing::info!(
        seq,
        "a team action is on the relay but not applied here yet"
    );
    Ok(())
}

fn key_of(state: &AppState, conversation: ConversationId) -> Result<ConversationKey, IpcError> {
    state.with_store(|s| s.conversation_key(conversation))
}

#[tauri::command]
pub async fn get_conversation_team(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ConversationTeam, IpcError> {
    team_of(&state, conversation_id)
}

#[tauri::command]
pub async fn assign_conversation(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    assignee: Option<String>,
) -> Result<ConversationTeam, IpcError> {
    let conversation = key_of(&state, conversation_id)?;
    act(
        &state,
        TeamAction::Assign {
            conversation,
            assignee,
        },
    )
    .await?;
    team_of(&state, conversation_id)
}

#[tauri::command]
pub async fn add_note(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    body: String,
) -> Result<ConversationTeam, IpcError> {
    let conversation = key_of(&state, conversation_id)?;
    act(
        &state,
        TeamAction::Note {
            id: uuid::Uuid::new_v4().to_string(),
            conversation,
            body,
        },
    )
    .await?;
    team_of(&state, conversation_id)
}

#[tauri::command]
pub async fn set_label(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    label: String,
    on: bool,
) -> Result<ConversationTeam, IpcError> {
    let conversation = key_of(&state, conversation_id)?;
    act(
        &state,
        TeamAction::Label {
            conversation,
            label: label.trim().to_owned(),
            on,
        },
    )
    .await?;
    team_of(&state, conversation_id)
}

/// Sets a conversation's status; `snooze_until` (Unix seconds) only with
/// a snooze, which without it lasts until the customer writes.
#[tauri::command]
pub async fn set_conversation_status(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    status: ConversationStatus,
    snooze_until: Option<i64>,
) -> Result<ConversationTeam, IpcError> {
    status::check_snooze(snooze_until, chrono::Utc::now().timestamp())?;
    let conversation = key_of(&state, conversation_id)?;
    act(
        &state,
        TeamAction::Status {
            conversation,
            status,
            snooze_until,
        },
    )
    .await?;
    team_of(&state, conversation_id)
}

/// The status of every conversation that is not plainly open.
#[tauri::command]
pub async fn list_statuses(
    state: State<'_, AppState>,
) -> Result<Vec<ConversationStatusRow>, IpcError> {
    state.with_store(|s| status::statuses(s))
}

#[tauri::command]
pub async fn list_assignees(
    state: State<'_, AppState>,
) -> Result<Vec<ConversationAssignee>, IpcError> {
    let rows = state.with_store(|s| team::assignees(s))?;
    Ok(rows
        .into_iter()
        .map(|(conversation_id, assignee)| ConversationAssignee {
            conversation_id,
            assignee,
        })
        .collect())
}

/// A label on a conversation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConversationLabel {
    pub conversation_id: ConversationId,
    pub label: String,
}

/// Every labelled conversation, for the label filter.
#[tauri::command]
pub async fn list_labels(state: State<'_, AppState>) -> Result<Vec<ConversationLabel>, IpcError> {
    let rows = state.with_store(|s| team::labelled(s))?;
    Ok(rows
        .into_iter()
        .map(|(conversation_id, label)| ConversationLabel {
            conversation_id,
            label,
        })
        .collect())
}

#[tauri::command]
pub async fn list_agents(state: State<'_, AppState>) -> Result<TeamAgents, IpcError> {
    let (relay, _) = publisher(&state)?;
    let agents = relay.agents().await.map_err(|e| {
        let detail = team::publish_detail(&e);
        IpcError::with_detail(
            ErrorCode::RelayUnavailable,
            &detail,
            format!("The team's relay did not list the agents ({detail}). Check the connection and try again."),
        )
    })?;
    Ok(TeamAgents {
        me: agents.iter().find(|a| a.me).map(|a| a.name.clone()),
        agents: agents.into_iter().map(|a| a.name).collect(),
    })
}

#[tauri::command]
pub async fn list_canned(state: State<'_, AppState>) -> Result<Vec<CannedResponse>, IpcError> {
    state.with_store(|s| s.canned_responses())
}

/// Creates a canned response (`id` absent) or changes one.
#[tauri::command]
pub async fn save_canned(
    state: State<'_, AppState>,
    id: Option<String>,
    title: String,
    body: String,
) -> Result<Vec<CannedResponse>, IpcError> {
    let id = id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    act(&state, TeamAction::Canned { id, title, body }).await?;
    state.with_store(|s| s.canned_responses())
}

#[tauri::command]
pub async fn delete_canned(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<CannedResponse>, IpcError> {
    act(&state, TeamAction::CannedDeleted { id }).await?;
    state.with_store(|s| s.canned_responses())
}

/// What this agent is doing in a conversation (`viewing`, `typing`,
/// `left`), told to the relay; answers who else is there now. Presence is
/// best effort: without a relay connection it fails and the window shows
/// no one.
#[tauri::command]
pub async fn set_presence(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    presence: PresenceState,
) -> Result<ConversationPresence, IpcError> {
    if presence == PresenceState::Typing {
        typing_indicator(&state, conversation_id);
    }
    let (relay, _) = publisher(&state)?;
    let key = key_of(&state, conversation_id)?;
    let update = PresenceUpdate {
        customer: key.customer,
        phone_number_id: key.phone_number_id,
        state: presence,
    };
    let (list, me) = tokio::join!(relay.set_presence(&update), relay.me());
    let list = list.map_err(presence_error)?;
    Ok(ConversationPresence::of_others(
        &list.entries,
        &me.map_err(presence_error)?,
    ))
}

/// Shows the customer Meta's typing indicator when the core says so (in
/// the background; best effort, a failure is only logged).
fn typing_indicator(state: &AppState, conversation: ConversationId) {
    let now = chrono::Utc::now().timestamp();
    let decided = state.with_store(|s| state.typing.decide(s, conversation, now));
    let Some(graph) = state.with_session(|s| s.graph.clone()) else {
        return;
    };
    match decided {
        Ok(TypingDecision::Send(wamid)) => {
            tauri::async_runtime::spawn(async move {
                if let Err(err) = graph.typing(&wamid).await {
                    tracing::debug!(code = %err.code(), "typing indicator: {err}");
                }
            });
        }
        Ok(_) => {}
        Err(err) => tracing::debug!("typing indicator: {}", err.message),
    }
}

#[tauri::command]
pub async fn get_typing_indicator(state: State<'_, AppState>) -> Result<bool, IpcError> {
    state.with_profile_store(|s| s.typing_indicator_on())
}

#[tauri::command]
pub async fn set_typing_indicator(state: State<'_, AppState>, on: bool) -> Result<bool, IpcError> {
    crate::preferences::save(&state, hourglass_core::typing::SETTING_KEY, Some(&on))?;
    Ok(on)
}

/// Who else is viewing or typing in a conversation.
#[tauri::command]
pub async fn get_presence(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ConversationPresence, IpcError> {
    let (relay, _) = publisher(&state)?;
    let key = key_of(&state, conversation_id)?;
    let query = PresenceQuery {
        customer: Some(key.customer),
        phone_number_id: Some(key.phone_number_id),
    };
    let (list, me) = tokio::join!(relay.presence(&query), relay.me());
    let list = list.map_err(presence_error)?;
    Ok(ConversationPresence::of_others(
        &list.entries,
        &me.map_err(presence_error)?,
    ))
}

/// Before sending: is another agent typing here, or did one send to this
/// customer in the last minute? Asked of the relay (typing) and of this
/// desktop's store (sends, which every desktop syncs). When the relay
/// cannot be asked, the store's answer alone is given; when this agent's
/// name is unknown, there is nothing to compare with and no warning.
#[tauri::command]
pub async fn check_collision(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<Vec<Collision>, IpcError> {
    let Ok((relay, _)) = publisher(&state) else {
        return Ok(Vec::new());
    };
    let Ok(me) = relay.me().await else {
        return Ok(Vec::new());
    };
    let key = key_of(&state, conversation_id)?;
    let query = PresenceQuery {
        customer: Some(key.customer),
        phone_number_id: Some(key.phone_number_id),
    };
    let others = match relay.presence(&query).await {
        Ok(list) => ConversationPresence::of_others(&list.entries, &me),
        Err(e) => {
            tracing::info!(error = %e, "presence unavailable for the collision check");
            ConversationPresence::default()
        }
    };
    let now_ms = chrono::Utc::now().timestamp_millis();
    state.with_store(|s| presence::collisions(s, conversation_id, &me, &others, now_ms))
}

fn presence_error(e: RelayError) -> IpcError {
    let detail = team::publish_detail(&e);
    IpcError::with_detail(
        ErrorCode::RelayUnavailable,
        &detail,
        format!("The team's relay did not answer about presence ({detail})."),
    )
}
