//! Tauri commands: thin calls into the core. Names are `verb_noun`.

use crate::error::{Ctx, Id};
use crate::notifications::{Notifier, SETTINGS_KEY};
use crate::state::SessionInfo;
use hourglass_core::inbox::ConversationSummary as Summary;
use hourglass_core::notification::{Language, NotificationSettings};
use hourglass_core::outbox::{OutboxId, Queued};
use hourglass_core::search::{Limits, SearchResults};
use hourglass_core::store::{MessagePage, PageAt};
use tauri::{AppHandle, State};

const MAX_LIMIT: u32 = 10_000;

commands! {
    fn list_conversations(cx: Ctx<'_>, limit: u32) -> Vec<Summary> {
        cx.with_store(|s| s.list_conversations(limit.min(MAX_LIMIT)))
    }

    /// The window shows its first conversations: the "inbox interactive"
    /// mark in the log, once per run (the package check and the app
    /// benchmark wait for it; `since_start_ms` counts from `logging::init`).
    fn inbox_shown(conversations: u32) -> () {
        static SHOWN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        if !SHOWN.swap(true, std::sync::atomic::Ordering::Relaxed) {
            let since_start_ms = crate::logging::since_start_ms();
            let mark = "the window shows the inbox (inbox interactive)";
            tracing::info!(conversations, since_start_ms, "{mark}");
        }
        Ok(())
    }

    /// A page of up to `limit` messages: the newest, those before or after
    /// one shown, or those around a search hit.
    fn list_messages(cx: Ctx<'_>, conversation_id: Id, limit: u32, at: PageAt) -> MessagePage {
        cx.with_store(|s| s.message_page(conversation_id, at, limit.min(MAX_LIMIT)))
    }

    /// Messages, private notes and contacts matching what the agent typed.
    fn search(cx: Ctx<'_>, query: String) -> SearchResults {
        cx.with_store(|s| s.search(&query, Limits::default()))
    }

    fn get_session(cx: Ctx<'_>) -> SessionInfo { Ok(cx.session_info()) }
    fn start_demo(app: AppHandle, cx: Ctx<'_>) -> SessionInfo {
        crate::launch::start_demo(&app).await?;
        Ok(cx.session_info())
    }

    fn mark_conversation_read(cx: Ctx<'_>, conversation_id: Id) -> Summary {
        cx.mark_read(conversation_id)
    }

    fn send_text(cx: Ctx<'_>, conversation_id: Id, body: String, reply_to: Option<String>)
        -> Queued {
        cx.send_text(conversation_id, &body, reply_to.as_deref())
    }

    fn retry_send(cx: Ctx<'_>, outbox_id: String) -> () { cx.retry_send(&OutboxId(outbox_id)) }
    fn discard_send(cx: Ctx<'_>, outbox_id: String) -> () { cx.discard_send(&OutboxId(outbox_id)) }

    fn get_notification_settings(cx: Ctx<'_>) -> NotificationSettings {
        Ok(cx.with_profile_store(|s| s.setting(SETTINGS_KEY))?.unwrap_or_default())
    }

    /// Saves the settings in the profile and applies them at once.
    fn set_notification_settings(app: AppHandle, settings: NotificationSettings)
        -> NotificationSettings { crate::desktop::apply_settings(&app, settings) }

    /// The window's language now (chosen or the system's): notifications
    /// are worded in it.
    fn set_window_language(notifier: State<'_, Notifier>, language: Language) -> () {
        notifier.set_language(language);
        Ok(())
    }

    /// The language the agent chose, if any (else the window follows the system).
    fn get_language_preference(cx: Ctx<'_>) -> Option<String> { cx.profile().language() }

    fn set_language_preference(cx: Ctx<'_>, language: String) -> () {
        cx.profile().set_language(&language)
    }
}
