//! The notification service: one task that feeds the [`NotificationPolicy`]
//! what the sync engine filed, sends batches when they are due, and shows
//! the result on a [`NotificationSink`]; and the watch on my chats, which
//! learns this agent's name on the relay and asks the store for window
//! reminders every minute.
//!
//! The shell only spawns the futures returned here and passes inbox changes,
//! settings and the window's language on.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{
    AssignedChat, Language, Notification, NotificationPolicy, NotificationSettings,
    NotificationSink, WindowReminder,
};
use crate::relay::RelayClient;
use crate::store::SharedStore;
use crate::sync::{InboxChange, IncomingMessage};

/// How long before a window closes its reminder is due.
pub const REMINDER_LEAD_SECS: i64 = 60 * 60;
/// How often the store is asked for due reminders.
pub const REMINDER_PERIOD: Duration = Duration::from_secs(60);

enum Input {
    Change {
        incoming: Vec<IncomingMessage>,
        assigned: Vec<AssignedChat>,
    },
    Settings(NotificationSettings),
    Language(Language),
    Me(Option<String>),
    Reminders(Vec<WindowReminder>),
}

/// Hands inbox changes, settings, the language and this agent's name to the
/// notification task. Cheap to clone; the task ends when every handle is
/// dropped.
#[derive(Clone)]
pub struct Notifier {
    tx: mpsc::UnboundedSender<Input>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier").finish_non_exhaustive()
    }
}

impl Notifier {
    /// A handle and the task to spawn (on any tokio runtime).
    pub fn new(
        sink: Arc<dyn NotificationSink>,
        policy: NotificationPolicy,
    ) -> (Notifier, impl Future<Output = ()> + Send + 'static) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Notifier { tx }, run(rx, sink, policy))
    }

    /// Messages and assignments just filed (the sync engine's inbox change).
    pub fn push_change(&self, change: &InboxChange) {
        if change.incoming.is_empty() && change.assigned.is_empty() {
            return;
        }
        self.send(Input::Change {
            incoming: change.incoming.clone(),
            assigned: change.assigned.clone(),
        });
    }

    pub fn set_settings(&self, settings: NotificationSettings) {
        self.send(Input::Settings(settings));
    }

    /// The window's language; notifications are worded in it from now on.
    pub fn set_language(&self, language: Language) {
        self.send(Input::Language(language));
    }

    /// Whose chats are "mine" from now on (`None`: not known yet, so none).
    pub fn set_me(&self, me: Option<String>) {
        self.send(Input::Me(me));
    }

    fn send(&self, input: Input) {
        // The task ends only when every handle is gone.
        let _ = self.tx.send(input);
    }
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<Input>,
    sink: Arc<dyn NotificationSink>,
    mut policy: NotificationPolicy,
) {
    let mut me: Option<String> = None;
    loop {
        let wait = policy
            .next_flush_at()
            .map(|at| Duration::from_millis(u64::try_from(at - now_ms()).unwrap_or(0)));
        let out = tokio::select! {
            next = rx.recv() => match next {
                Some(Input::Change { incoming, assigned }) => {
                    let now = now_ms();
                    let mut out = policy.assigned(&assigned, me.as_deref(), now);
                    for m in incoming {
                        out.extend(policy.push(m.to_notification(me.as_deref()), now));
                    }
                    out
                }
                Some(Input::Reminders(due)) => policy.reminders(&due, now_ms()),
                Some(Input::Me(name)) => {
                    me = name;
                    Vec::new()
                }
                Some(Input::Settings(settings)) => {
                    policy.set_settings(settings);
                    Vec::new()
                }
                Some(Input::Language(language)) => {
                    policy.set_language(language);
                    Vec::new()
                }
                None => break,
            },
            () = tokio::time::sleep(wait.unwrap_or_default()), if wait.is_some() => {
                policy.flush(now_ms())
            }
        };
        show(&sink, out);
    }
    show(&sink, policy.flush_now());
}

fn show(sink: &Arc<dyn NotificationSink>, notifications: Vec<Notification>) {
    for n in notifications {
        let sink = sink.clone();
        // A native sink waits on a D-Bus round trip: keep it off the async threads.
        tokio::task::spawn_blocking(move || {
            if let Err(err) = sink.send(&n) {
                tracing::warn!(code = %err.code(), "{err}");
            }
        });
    }
}

/// Watches this agent's chats for the session: learns the agent's name on
/// the relay (retrying with back-off; until it is known no chat is mine) and
/// passes it to `notifier`, then hands it the window reminders the store
/// finds due every `period`. Runs until the task is aborted (when the
/// session stops).
pub async fn watch_my_chats(
    relay: RelayClient,
    store: SharedStore,
    notifier: Notifier,
    period: Duration,
) {
    notifier.set_me(None);
    let mut wait = Duration::from_secs(1);
    let me = loop {
        match relay.me().await {
            Ok(me) => break me,
            Err(err) => tracing::debug!("this agent's name on the relay: {err}"),
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(60));
    };
    notifier.set_me(Some(me.clone()));
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = now_ms() / 1000;
        let due = store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .due_window_reminders(&me, now, REMINDER_LEAD_SECS);
        match due {
            Ok(due) if !due.is_empty() => notifier.send(Input::Reminders(due)),
            Ok(_) => {}
            Err(err) => tracing::warn!("window reminders: {err}"),
        }
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
