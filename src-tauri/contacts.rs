//! Contact panel commands: the team's name for a customer, custom fields
//! and their values, marketing opt-in, blocking.
//!
//! Like every team action, a change is published to the relay's log and
//! shows here once the sync engine applied it (`hourglass_core::contacts`);
//! the command waits briefly for that. Blocking calls the Cloud API first
//! and publishes only what Meta did.

use crate::error::IpcError;
use crate::state::AppState;
use hourglass_core::contacts::{ContactAction, ContactField, ContactFieldKind, ContactPanel};
use hourglass_core::inbox::ConversationId;
use hourglass_core::problem::ErrorCode;
use tauri::State;

/// Checks `action` against this desktop's store, publishes it and waits
/// until it is applied here.
async fn act(state: &AppState, action: ContactAction) -> Result<(), IpcError> {
    state.session()?.act_on_contact(action).await
}

fn card(state: &AppState, conversation: ConversationId) -> Result<ContactPanel, IpcError> {
    state.with_store(|s| s.contact_panel(conversation))
}

fn customer_of(state: &AppState, conversation: ConversationId) -> Result<String, IpcError> {
    state.with_store(|s| s.conversation_key(conversation).map(|k| k.customer))
}

#[tauri::command]
pub async fn get_contact(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ContactPanel, IpcError> {
    card(&state, conversation_id)
}

#[tauri::command]
pub async fn list_contact_fields(
    state: State<'_, AppState>,
) -> Result<Vec<ContactField>, IpcError> {
    state.with_store(|s| s.contact_fields())
}

/// Defines a field (`id` absent) or renames/changes one.
#[tauri::command]
pub async fn save_contact_field(
    state: State<'_, AppState>,
    id: Option<String>,
    label: String,
    kind: ContactFieldKind,
    options: Vec<String>,
) -> Result<Vec<ContactField>, IpcError> {
    let id = id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    act(
        &state,
        ContactAction::DefineField {
            id,
            label,
            kind: kind.into(),
            options,
        },
    )
    .await?;
    state.with_store(|s| s.contact_fields())
}

#[tauri::command]
pub async fn remove_contact_field(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<ContactField>, IpcError> {
    act(&state, ContactAction::RemoveField { id }).await?;
    state.with_store(|s| s.contact_fields())
}

/// The team's name for the customer; `None` or blank goes back to the
/// WhatsApp profile name.
#[tauri::command]
pub async fn set_contact_name(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    name: Option<String>,
) -> Result<ContactPanel, IpcError> {
    let customer = customer_of(&state, conversation_id)?;
    let name = name.filter(|n| !n.trim().is_empty());
    act(&state, ContactAction::Name { customer, name }).await?;
    card(&state, conversation_id)
}

/// A custom field's value; `None` or blank clears it.
#[tauri::command]
pub async fn set_contact_value(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    field_id: String,
    value: Option<String>,
) -> Result<ContactPanel, IpcError> {
    let customer = customer_of(&state, conversation_id)?;
    let value = value.filter(|v| !v.trim().is_empty());
    act(
        &state,
        ContactAction::Value {
            customer,
            field: field_id,
            value,
        },
    )
    .await?;
    card(&state, conversation_id)
}

/// Records that the customer agreed to marketing messages, and where.
#[tauri::command]
pub async fn record_opt_in(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    source: String,
) -> Result<ContactPanel, IpcError> {
    let customer = customer_of(&state, conversation_id)?;
    act(&state, ContactAction::OptIn { customer, source }).await?;
    card(&state, conversation_id)
}

/// Blocks or unblocks the customer on the conversation's number through
/// the Cloud API, then tells the team.
#[tauri::command]
pub async fn set_blocked(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    blocked: bool,
) -> Result<ContactPanel, IpcError> {
    let conversation = state.with_store(|s| s.conversation_key(conversation_id))?;
    let graph = state
        .graph()
        .ok_or_else(|| {
            IpcError::new(
                ErrorCode::NotConnected,
                "Blocking needs a connection to the WhatsApp Cloud API. Connect a number or start the demo.",
            )
        })?;
    if graph.config().phone_number_id != conversation.phone_number_id {
        return Err(IpcError::new(
            ErrorCode::OtherNumber,
            "This conversation is on another business number than the one connected here, so it cannot be blocked from this desktop.",
        ));
    }
    graph
        .block_user(&conversation.customer, blocked)
        .await
        .map_err(|e| IpcError::from(hourglass_core::Error::Graph(e)))?;
    act(
        &state,
        ContactAction::Block {
            conversation,
            blocked,
        },
    )
    .await?;
    card(&state, conversation_id)
}
