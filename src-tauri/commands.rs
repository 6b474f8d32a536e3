//! The inbox, the chat and sending: thin calls into the core. Names are
//! `verb_noun`.

use crate::desktop::Desktop;
use crate::error::{Ctx, Id};
use crate::state::SessionInfo;
use hourglass_core::inbox::ConversationSummary as Summary;
use hourglass_core::notification::Language;
use hourglass_core::outbox::{OutboxId, Queued};
use hourglass_core::search::{Limits, SearchResults};
use hourglass_core::session::{Preference, PreferenceChange, PreferenceKey};
use hourglass_core::store::{MessagePage, PageAt};
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::State;

const MAX_LIMIT: u32 = 10_000;

/// The page's start-up marks by name, in ms since it started loading, in
/// the order it took them (see [`inbox_shown`]); at most a few.
type PageMarks = Vec<(String, f64)>;

/// Whether the window showed the inbox yet (see [`inbox_shown`]).
static SHOWN: AtomicBool = AtomicBool::new(false);
/// Whether the window asked for the conversation list yet (a start-up mark).
static LISTED: AtomicBool = AtomicBool::new(false);

commands! {
    fn list_conversations(cx: Ctx<'_>, limit: u32) -> Vec<Summary> = {
        let asked_ms = crate::logging::since_start_ms();
        let listed = cx.with_store(|s| s.list_conversations(limit.min(MAX_LIMIT)));
        if !LISTED.swap(true, Ordering::Relaxed) {
            let took_ms = crate::logging::since_start_ms().saturating_sub(asked_ms);
            tracing::info!(since_start_ms = asked_ms, took_ms, limit, "the window asks for its first list");
        }
        listed
    };
    fn list_messages(cx: Ctx<'_>, conversation_id: Id, limit: u32, at: PageAt) -> MessagePage =
        cx.with_store(|s| s.message_page(conversation_id, at, limit.min(MAX_LIMIT)));
    fn search(cx: Ctx<'_>, query: String) -> SearchResults =
        cx.with_store(|s| s.search(&query, Limits::default()));
    fn mark_conversation_read(cx: Ctx<'_>, conversation_id: Id) -> Summary =
        cx.mark_read(conversation_id);

    /// The "inbox interactive" mark in the log, once per run: the package
    /// check and the app benchmark wait for it (`since_start_ms` counts from
    /// `logging::init`).
    /// What the first screen does not need starts as soon as the list is
    /// shown, empty or not; the mark waits for the first rows. `page` holds
    /// the page's own start-up marks (ms since it started loading), logged
    /// beside it.
    fn inbox_shown(app: tauri::AppHandle, conversations: u32, page: Option<PageMarks>) -> () = {
        if conversations > 0 && !SHOWN.swap(true, Ordering::Relaxed) {
            let since_start_ms = crate::logging::since_start_ms();
            if let Some(page) = page.filter(|p| !p.is_empty()) {
                let marks = page.iter().map(|(name, ms)| format!("{name} {ms:.0}")).collect::<Vec<_>>();
                tracing::info!(marks = %marks.join(", "), "the page's own start-up marks");
            }
            let mark = "the window shows the inbox (inbox interactive)";
            tracing::info!(conversations, since_start_ms, "{mark}");
        }
        crate::desktop::after_first_screen(&app);
        Ok(())
    };

    fn get_session(cx: Ctx<'_>) -> SessionInfo = Ok(cx.session_info());
    fn start_demo(cx: Ctx<'_>) -> SessionInfo = {
        cx.start_demo(hourglass_core::launch::demo_folder()).await?;
        Ok(cx.session_info())
    };

    fn send_text(cx: Ctx<'_>, conversation_id: Id, body: String, reply_to: Option<String>)
        -> Queued = cx.send_text(conversation_id, &body, reply_to.as_deref());
    fn retry_send(cx: Ctx<'_>, outbox_id: String) -> () = cx.retry_send(&OutboxId(outbox_id));
    fn discard_send(cx: Ctx<'_>, outbox_id: String) -> () = cx.discard_send(&OutboxId(outbox_id));

    fn get_preference(cx: Ctx<'_>, key: PreferenceKey) -> Preference =
        cx.preference(key, sys_locale::get_locale());
    /// Notification settings are applied at once, the tray's Do not disturb too.
    fn set_preference(cx: Ctx<'_>, desktop: State<'_, Desktop>, change: PreferenceChange)
        -> Preference = {
        let now = cx.set_preference(change, sys_locale::get_locale())?;
        if let Preference::Notifications(settings) = &now {
            desktop.show_dnd(settings.do_not_disturb);
        }
        Ok(now)
    };
    /// The language the window shows now (chosen or the system's), for notifications.
    fn set_window_language(cx: Ctx<'_>, language: Language) -> () = {
        cx.notifier().set_language(language);
        Ok(())
    };
}
