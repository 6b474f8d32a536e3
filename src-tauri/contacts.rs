//! Contact panel commands (`hourglass_core::contacts`). Like every team
//! action, a change is published to the relay's log and shows here once the
//! sync engine applied it; the command waits briefly for that.

use crate::{error::IpcError, state::AppState};
use hourglass_core::contacts::{self, ContactAction, ContactField, ContactFieldKind, ContactPanel};
use hourglass_core::{inbox::ConversationId, store::Store};
use tauri::State;

type Res<T> = Result<T, IpcError>;

/// Checks `action` against this desktop's store, publishes it and waits
/// until it is applied here.
async fn act(state: &AppState, action: ContactAction) -> Res<()> {
    state.session()?.act_on_contact(action).await
}

/// [`act`] on the action `f` makes; then the conversation's contact card.
async fn act_on(
    state: &AppState,
    conversation: ConversationId,
    f: impl FnOnce(&mut Store) -> hourglass_core::Result<ContactAction>,
) -> Res<ContactPanel> {
    act(state, state.with_store(f)?).await?;
    state.with_store(|s| s.contact_panel(conversation))
}

#[tauri::command]
pub async fn get_contact(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Res<ContactPanel> {
    state.with_store(|s| s.contact_panel(conversation_id))
}

#[tauri::command]
pub async fn list_contact_fields(state: State<'_, AppState>) -> Res<Vec<ContactField>> {
    state.with_store(|s| s.contact_fields())
}

#[tauri::command]
pub async fn save_contact_field(
    state: State<'_, AppState>,
    id: Option<String>,
    label: String,
    kind: ContactFieldKind,
    options: Vec<String>,
) -> Res<Vec<ContactField>> {
    act(&state, ContactAction::save_field(id, label, kind, options)).await?;
    state.with_store(|s| s.contact_fields())
}

#[tauri::command]
pub async fn remove_contact_field(
    state: State<'_, AppState>,
    id: String,
) -> Res<Vec<ContactField>> {
    act(&state, ContactAction::RemoveField { id }).await?;
    state.with_store(|s| s.contact_fields())
}

#[tauri::command]
pub async fn set_contact_name(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    name: Option<String>,
) -> Res<ContactPanel> {
    act_on(&state, conversation_id, |s| {
        ContactAction::rename(s, conversation_id, name)
    })
    .await
}

#[tauri::command]
pub async fn set_contact_value(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    field_id: String,
    value: Option<String>,
) -> Res<ContactPanel> {
    act_on(&state, conversation_id, |s| {
        ContactAction::set_value(s, conversation_id, field_id, value)
    })
    .await
}

#[tauri::command]
pub async fn record_opt_in(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    source: String,
) -> Res<ContactPanel> {
    act_on(&state, conversation_id, |s| {
        ContactAction::opt_in(s, conversation_id, source)
    })
    .await
}

/// Blocks or unblocks the customer through the Cloud API, then tells the team.
#[tauri::command]
pub async fn set_blocked(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    blocked: bool,
) -> Res<ContactPanel> {
    let conversation = state.with_store(|s| s.conversation_key(conversation_id))?;
    let graph = state.graph();
    act(&state, contacts::block(graph, conversation, blocked).await?).await?;
    state.with_store(|s| s.contact_panel(conversation_id))
}
