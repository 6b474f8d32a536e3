//! Tauri commands: thin calls into the core. Names are `verb_noun`.

use crate::error::IpcError;
use crate::state::{AppState, SessionInfo};
use hourglass_core::inbox::{ConversationId, ConversationSummary};
use hourglass_core::notification::{Language, NotificationSettings};
use hourglass_core::outbox::{self, OutboxHandle, OutboxId, Queued};
use hourglass_core::problem::ErrorCode;
use hourglass_core::receipt::ReceiptOutcome;
use hourglass_core::search::{Limits, SearchResults};
use hourglass_core::store::{MessagePage, PageAt};
use std::sync::Arc;
use tauri::{AppHandle, State};

const MAX_LIMIT: u32 = 10_000;

#[tauri::command]
pub async fn list_conversations(
    state: State<'_, AppState>,
    limit: u32,
) -> Result<Vec<ConversationSummary>, IpcError> {
    state.with_store(|s| s.list_conversations(limit.min(MAX_LIMIT)))
}

/// The window rendered its first conversations: a mark in the log, once per
/// run, that the bundled UI loaded, reached the store and shows the inbox
/// (the package check waits for it). It is the "inbox interactive" mark:
/// `since_start_ms` counts from the start mark (`logging::init`), and the
/// app benchmark times it from the moment it started the process.
#[tauri::command]
pub async fn inbox_shown(conversations: u32) -> Result<(), IpcError> {
    static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !SHOWN.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::info!(
            conversations,
            since_start_ms = crate::logging::since_start_ms(),
            "the window shows the inbox (inbox interactive)"
        );
    }
    Ok(())
}

/// A page of up to `limit` messages of a conversation: the newest, those
/// before or after a message already shown, or those around a search hit.
#[tauri::command]
pub async fn list_messages(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    limit: u32,
    at: PageAt,
) -> Result<MessagePage, IpcError> {
    state.with_store(|s| s.message_page(conversation_id, at, limit.min(MAX_LIMIT)))
}

/// Messages, private notes and contacts matching what the agent typed.
#[tauri::command]
pub async fn search(state: State<'_, AppState>, query: String) -> Result<SearchResults, IpcError> {
    state.with_store(|s| s.search(&query, Limits::default()))
}

#[tauri::command]
pub async fn get_session(state: State<'_, AppState>) -> Result<SessionInfo, IpcError> {
    Ok(state.session_info())
}

#[tauri::command]
pub async fn start_demo(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<SessionInfo, IpcError> {
    crate::session::start_demo(&app).await?;
    Ok(state.session_info())
}

/// The agent is looking at the conversation: unread goes to 0 and Meta is
/// told the newest customer message was read (blue ticks for the customer).
/// Telling Meta happens in the background, each receipt once, retried with
/// back-off and dropped on a permanent refusal; a failure there is logged
/// and does not keep the conversation unread here.
#[tauri::command]
pub async fn mark_conversation_read(
    app: AppHandle,
    state: State<'_, AppState>,
    conversation_id: ConversationId,
) -> Result<ConversationSummary, IpcError> {
    let (newest_inbound, conversation) = state.with_store(|s| {
        let wamid = s.write(|w| w.mark_conversation_read(conversation_id))?;
        Ok((wamid, s.conversation(conversation_id)?))
    })?;
    crate::session::refresh_unread(&app);
    let graph = state.with_session(|s| s.graph.clone());
    if let (Some(wamid), Some(graph)) = (newest_inbound, graph) {
        let receipts = Arc::clone(&state.receipts);
        tauri::async_runtime::spawn(async move {
            match receipts.mark(&graph, &wamid).await {
                ReceiptOutcome::Refused { error, .. } => tracing::warn!(
                    code = %error.code(),
                    "WhatsApp refused the read receipt; not asking again: {error}"
                ),
                ReceiptOutcome::GaveUp { attempts, error } => tracing::warn!(
                    code = %error.code(),
                    attempts,
                    "could not tell WhatsApp the chat was read: {error}"
                ),
                ReceiptOutcome::Marked { .. } | ReceiptOutcome::Skipped => {}
            }
        });
    }
    Ok(conversation)
}

/// Queues free text for the conversation. The core refuses it with
/// `window_closed` when the 24-hour window has closed, before anything is
/// sent; the bubble (with a clock) is returned at once.
#[tauri::command]
pub async fn send_text(
    state: State<'_, AppState>,
    conversation_id: ConversationId,
    body: String,
    reply_to: Option<String>,
) -> Result<Queued, IpcError> {
    let now = chrono::Utc::now().timestamp_millis();
    let queued = state.with_store(|s| {
        outbox::enqueue_text(s, conversation_id, &body, reply_to.as_deref(), now)
    })?;
    state.with_session(|s| s.outbox.as_ref().map(OutboxHandle::wake));
    Ok(queued)
}

/// Sends again a message that failed before reaching WhatsApp, or one
/// WhatsApp never confirmed ("Send again").
#[tauri::command]
pub async fn retry_send(
    app: AppHandle,
    state: State<'_, AppState>,
    outbox_id: String,
) -> Result<(), IpcError> {
    let now = chrono::Utc::now().timestamp_millis();
    let message = state.with_store(|s| outbox::retry(s, &OutboxId(outbox_id), now))?;
    // The bubble shows its clock at once, not the question it answered.
    if let Some(message) = message {
        crate::session::emit_outbox_change(&app, message);
    }
    state.with_session(|s| s.outbox.as_ref().map(OutboxHandle::wake));
    Ok(())
}

/// Does not send again a message WhatsApp never confirmed.
#[tauri::command]
pub async fn discard_send(
    app: AppHandle,
    state: State<'_, AppState>,
    outbox_id: String,
) -> Result<(), IpcError> {
    let message = state.with_store(|s| outbox::discard(s, &OutboxId(outbox_id)))?;
    if let Some(message) = message {
        crate::session::emit_outbox_change(&app, message);
    }
    Ok(())
}

#[tauri::command]
pub async fn get_notification_settings(
    state: State<'_, AppState>,
) -> Result<NotificationSettings, IpcError> {
    Ok(state
        .with_profile_store(|s| s.setting(crate::notifications::SETTINGS_KEY))?
        .unwrap_or_default())
}

/// Saves the settings in the profile and applies them at once.
#[tauri::command]
pub async fn set_notification_settings(
    app: AppHandle,
    settings: NotificationSettings,
) -> Result<NotificationSettings, IpcError> {
    crate::notifications::apply_settings(&app, settings)
}

/// The window's language now (chosen or the system's): notifications are
/// worded in it.
#[tauri::command]
pub async fn set_window_language(
    notifier: State<'_, crate::notifications::Notifier>,
    language: Language,
) -> Result<(), IpcError> {
    notifier.set_language(language);
    Ok(())
}

/// The store setting holding the window's language.
pub const LANGUAGE_KEY: &str = "language";
/// The languages the window is translated into.
const LANGUAGES: [&str; 3] = ["en", "ru", "es"];

/// The language the agent chose, if any (else the window follows the system).
#[tauri::command]
pub async fn get_language_preference(
    state: State<'_, AppState>,
) -> Result<Option<String>, IpcError> {
    let lang: Option<String> = state.with_profile_store(|s| s.setting(LANGUAGE_KEY))?;
    Ok(lang.filter(|l| LANGUAGES.contains(&l.as_str())))
}

#[tauri::command]
pub async fn set_language_preference(
    state: State<'_, AppState>,
    language: String,
) -> Result<(), IpcError> {
    if !LANGUAGES.contains(&language.as_str()) {
        return Err(IpcError::new(
            ErrorCode::UnknownLanguage,
            format!("Hourglass is not translated into \"{language}\"."),
        ));
    }
    state.with_profile_store(|s| s.set_setting(LANGUAGE_KEY, &language))
}
