//! Contact panel commands (`hourglass_core::contacts`). Like every team
//! action, a change is published to the relay's log and shows here once the
//! sync engine applied it; the command waits briefly for that.

use crate::error::{Ctx, Id, Reply};
use crate::state::AppState;
use hourglass_core::contacts::{self, ContactAction, ContactField, ContactFieldKind, ContactPanel};
use hourglass_core::store::Store;

/// Checks the action `f` makes against this desktop's store, publishes it
/// and waits until it is applied here; then the conversation's contact card.
async fn act_on(
    cx: &AppState,
    conversation: Id,
    f: impl FnOnce(&mut Store) -> hourglass_core::Result<ContactAction>,
) -> Reply<ContactPanel> {
    let action = cx.with_store(f)?;
    cx.session()?.act_on_contact(action).await?;
    cx.with_store(|s| s.contact_panel(conversation))
}

/// Publishes a change to the fields and waits for it; then the fields.
async fn act_on_fields(cx: &AppState, action: ContactAction) -> Reply<Vec<ContactField>> {
    cx.session()?.act_on_contact(action).await?;
    cx.with_store(|s| s.contact_fields())
}

commands! {
    fn get_contact(cx: Ctx<'_>, conversation_id: Id) -> ContactPanel =
        cx.with_store(|s| s.contact_panel(conversation_id));
    fn list_contact_fields(cx: Ctx<'_>) -> Vec<ContactField> =
        cx.with_store(|s| s.contact_fields());
    fn save_contact_field(
        cx: Ctx<'_>,
        id: Option<String>,
        label: String,
        kind: ContactFieldKind,
        options: Vec<String>,
    ) -> Vec<ContactField> =
        act_on_fields(&cx, ContactAction::save_field(id, label, kind, options)).await;
    fn remove_contact_field(cx: Ctx<'_>, id: String) -> Vec<ContactField> =
        act_on_fields(&cx, ContactAction::RemoveField { id }).await;

    fn set_contact_name(cx: Ctx<'_>, conversation_id: Id, name: Option<String>) -> ContactPanel =
        act_on(&cx, conversation_id, |s| ContactAction::rename(s, conversation_id, name)).await;
    fn set_contact_value(cx: Ctx<'_>, conversation_id: Id, field_id: String, value: Option<String>)
        -> ContactPanel = act_on(&cx, conversation_id, |s| {
        ContactAction::set_value(s, conversation_id, field_id, value)
    }).await;
    fn record_opt_in(cx: Ctx<'_>, conversation_id: Id, source: String) -> ContactPanel =
        act_on(&cx, conversation_id, |s| ContactAction::opt_in(s, conversation_id, source)).await;
    /// Blocks or unblocks the customer through the Cloud API, then tells the team.
    fn set_blocked(cx: Ctx<'_>, conversation_id: Id, blocked: bool) -> ContactPanel = {
        let conversation = cx.with_store(|s| s.conversation_key(conversation_id))?;
        let action = contacts::block(cx.graph(), conversation, blocked).await?;
        act_on(&cx, conversation_id, |_| Ok(action)).await
    };
}
