//! Tauri commands: thin calls into the core. Names are `verb_noun`.

use crate::error::{Ctx, Id, Reply};
use crate::notifications::{Notifier, SETTINGS_KEY};
use crate::state::SessionInfo;
use hourglass_core::inbox::ConversationSummary as Summary;
use hourglass_core::notification::{Language, NotificationSettings};
use hourglass_core::outbox::{OutboxId, Queued};
use hourglass_core::search::{Limits, SearchResults};
use hourglass_core::store::{MessagePage, PageAt};
use tauri::{AppHandle, State};

const MAX_LIMIT: u32 = 10_000;

#[tauri::command]
pub async fn list_conversations(cx: Ctx<'_>, limit: u32) -> Reply<Vec<Summary>> {
    cx.with_store(|s| s.list_conversations(limit.min(MAX_LIMIT)))
}

/// The window shows its first conversations: the "inbox interactive" mark in
/// the log, once per run (the package check and the app benchmark wait for
/// it; `since_start_ms` counts from `logging::init`).
#[tauri::command]
pub async fn inbox_shown(conversations: u32) -> Reply<()> {
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

/// A page of up to `limit` messages: the newest, those before or after one
/// shown, or those around a search hit.
#[tauri::command]
pub async fn list_messages(
    cx: Ctx<'_>,
    conversation_id: Id,
    limit: u32,
    at: PageAt,
) -> Reply<MessagePage> {
    cx.with_store(|s| s.message_page(conversation_id, at, limit.min(MAX_LIMIT)))
}

/// Messages, private notes and contacts matching what the agent typed.
#[tauri::command]
pub async fn search(cx: Ctx<'_>, query: String) -> Reply<SearchResults> {
    cx.with_store(|s| s.search(&query, Limits::default()))
}

#[tauri::command]
pub async fn get_session(cx: Ctx<'_>) -> Reply<SessionInfo> {
    Ok(cx.session_info())
}

#[tauri::command]
pub async fn start_demo(app: AppHandle, cx: Ctx<'_>) -> Reply<SessionInfo> {
    crate::launch::start_demo(&app).await?;
    Ok(cx.session_info())
}

#[tauri::command]
pub async fn mark_conversation_read(cx: Ctx<'_>, conversation_id: Id) -> Reply<Summary> {
    cx.mark_read(conversation_id)
}

#[tauri::command]
pub async fn send_text(
    cx: Ctx<'_>,
    conversation_id: Id,
    body: String,
    reply_to: Option<String>,
) -> Reply<Queued> {
    cx.send_text(conversation_id, &body, reply_to.as_deref())
}

#[tauri::command]
pub async fn retry_send(cx: Ctx<'_>, outbox_id: String) -> Reply<()> {
    cx.retry_send(&OutboxId(outbox_id))
}

#[tauri::command]
pub async fn discard_send(cx: Ctx<'_>, outbox_id: String) -> Reply<()> {
    cx.discard_send(&OutboxId(outbox_id))
}

#[tauri::command]
pub async fn get_notification_settings(cx: Ctx<'_>) -> Reply<NotificationSettings> {
    Ok(cx
        .with_profile_store(|s| s.setting(SETTINGS_KEY))?
        .unwrap_or_default())
}

/// Saves the settings in the profile and applies them at once.
#[tauri::command]
pub async fn set_notification_settings(
    app: AppHandle,
    settings: NotificationSettings,
) -> Reply<NotificationSettings> {
    crate::desktop::apply_settings(&app, settings)
}

/// The window's language now (chosen or the system's): notifications are worded in it.
#[tauri::command]
pub async fn set_window_language(notifier: State<'_, Notifier>, language: Language) -> Reply<()> {
    notifier.set_language(language);
    Ok(())
}

/// The language the agent chose, if any (else the window follows the system).
#[tauri::command]
pub async fn get_language_preference(cx: Ctx<'_>) -> Reply<Option<String>> {
    cx.profile().language()
}

#[tauri::command]
pub async fn set_language_preference(cx: Ctx<'_>, language: String) -> Reply<()> {
    cx.profile().set_language(&language)
}
