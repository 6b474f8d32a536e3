//! What the session tells the window: one typed event, carried by one
//! window event name.

use super::SessionInfo;
use crate::inbox::{ConversationId, ConversationSummary, Message, MessageId};
use crate::notification::NotificationSettings;
use crate::outbox::{UploadUpdate, WorkerState};
use crate::store::Store;
use crate::sync::SyncUpdate;
use crate::updates::UpdateCheck;
use serde::Serialize;
use ts_rs::TS;

/// Everything the desktop tells its window, as `{kind, payload}`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
#[ts(export)]
pub enum AppEvent {
    /// The sync engine changed the inbox or its connection.
    SyncUpdate(SyncUpdate),
    /// The window missed updates: reload what it shows.
    Reload,
    /// The session changed (mode, number, a problem).
    SessionChanged(SessionInfo),
    /// A notification was clicked: open this conversation.
    OpenConversation(ConversationId),
    /// How far the upload of a file being sent got.
    UploadProgress(UploadUpdate),
    /// The outbox moved a message along, or the agent decided on it.
    OutboxChange(Box<OutboxChange>),
    /// Whether queued messages are going out.
    SendingState(WorkerState),
    /// A link or a second launch left a notice to take.
    LaunchNotice,
    /// The notification settings changed outside the window (the tray).
    NotificationSettingsChanged(NotificationSettings),
    /// The number's rating was read again.
    AccountHealthChanged,
    /// The unread total changed (title, badge and tray show it).
    UnreadChanged(u32),
    /// The quiet check on start downloaded and verified an update (always
    /// `available`).
    UpdateReady(UpdateCheck),
}

/// What the window gets when the outbox moves a message along.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OutboxChange {
    pub conversation: ConversationSummary,
    pub message: Message,
}

impl OutboxChange {
    /// The message and its conversation as they now are in `store`.
    pub fn of(store: &Store, message: MessageId) -> crate::Result<OutboxChange> {
        let message = store.message(message)?;
        Ok(OutboxChange {
            conversation: store.conversation(message.conversation_id)?,
            message,
        })
    }
}
