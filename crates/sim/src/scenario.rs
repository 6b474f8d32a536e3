//! Scripted scenarios: sets of customer messages that put an inbox in a
//! known state, run by `POST /_sim/scenario/<name>` or
//! [`crate::SimHandle::run_scenario`].
//!
//! | name | what happens |
//! |---|---|
//! | `inbox` | ~30 conversations written over the last three days: windows with hours left, some closing (< 1 h), six already closed; a few ad and partner-code leads, photos, documents, voice notes, videos, a location |
//! | `lead-stream` | in the background, a new lead every `timing.lead_interval` (ad referral, partner code, or a plain first message, in turn), until stopped or `timing.max_leads` |
//! | `demo` | `inbox`, `username`, `routing`, then `lead-stream`: what demo mode shows |
//! | `new-leads` | three leads now: one from an ad, one with `Code: ABC123`-style text, one plain |
//! | `closed-window` | one customer who last wrote 25 h ago, one 23.5 h ago (closing) |
//! | `routing` | a customer Meta's AI agent is answering (a message on `standby`), a customer's missed call, and a customer the business answered from the WhatsApp Business app (its history with a photo placeholder, its name in the app's address book, and an echo) |
//! | `username` | a customer who hides their number, last seen four days ago: known by business-scoped user id and `@jamie.rivers` only |
//! | `rich` | one customer sends every message kind: media, location, contacts, voice note, sticker, a reply, a reaction and its removal, a button tap, an unsupported message |
//!
//! `POST /_sim/scenario/stop` stops background scenarios.

use std::sync::Arc;

use rand::Rng;
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::coexistence::{AddressBookAction, HistoryAuthor, HistoryItem};
use crate::customer::{
    self, AudioSpec, ButtonSpec, Content, Inbound, Language, LocationSpec, MediaSpec, ReactionSpec,
    ReferralSpec, SharedContact, UnsupportedSpec,
};
use crate::routing::{CallSpec, Routed, RoutedInbound};
use crate::state::{InboundError, SimState, now_unix};

/// Every scenario name, for listings and errors.
pub const NAMES: [&str; 7] = [
    "inbox",
    "lead-stream",
    "demo",
    "new-leads",
    "closed-window",
    "rich",
    "routing",
];

/// What a scenario did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioReport {
    pub scenario: String,
    /// wa_ids of the customers who wrote, in order of first appearance.
    pub customers: Vec<String>,
    /// Messages queued now (background messages not counted).
    pub messages: usize,
    /// A background task keeps adding messages.
    pub background: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error(
        "no scenario named {0:?}; known: inbox, lead-stream, demo, new-leads, closed-window, rich"
    )]
    Unknown(String),
    #[error("no valid phone number could be drawn for a customer")]
    NoNumber,
    #[error(transparent)]
    Inbound(#[from] InboundError),
}

pub(crate) async fn run(
    state: &Arc<SimState>,
    name: &str,
) -> Result<ScenarioReport, ScenarioError> {
    let mut report = ScenarioReport {
        scenario: name.to_owned(),
        customers: Vec::new(),
        messages: 0,
        background: false,
    };
    match name {
        "inbox" => inbox(state, &mut report).await?,
        "lead-stream" => lead_stream(state, &mut report),
        "demo" => {
            inbox(state, &mut report).await?;
            // Before `routing`: demo mode gives its newest two customers to a
            // colleague and back, by number.
            username_only(state, &mut report).await?;
            routing(state, &mut report).await?;
            lead_stream(state, &mut report);
        }
        "routing" => routing(state, &mut report).await?,
        "username" => username_only(state, &mut report).await?,
        "new-leads" => {
            for kind in 0..3 {
                let lang = Language::ALL[kind % 3];
                let msg = lead(state, kind, lang, None)?;
                send(state, &mut report, msg).await?;
            }
        }
        "closed-window" => {
            let now = now_unix();
            for (hours, lang) in [(25.0, Language::En), (23.5, Language::Es)] {
                let mut msg = fresh(state, lang)?;
                msg.content = Content::Text(customer::random_opener(&mut state.lock().rng, lang));
                msg.timestamp = Some(now - (hours * 3600.0) as i64);
                send(state, &mut report, msg).await?;
            }
        }
        "rich" => rich(state, &mut report).await?,
        other => return Err(ScenarioError::Unknown(other.to_owned())),
    }
    Ok(report)
}

/// A customer Meta's AI agent is answering, a customer's missed call, and a
/// customer answered from the WhatsApp Business app (its history, its name in
/// the app's address book, and an echo).
async fn routing(state: &SimState, report: &mut ScenarioReport) -> Result<(), ScenarioError> {
    let routed = |msg: Inbound, what: Routed| RoutedInbound {
        from: msg.from,
        name: msg.name,
        timestamp: None,
        what,
    };
    let with_ai = routed(
        fresh(state, Language::Es)?,
        Routed::Standby("¡Hola! ¿Hacen envíos a Canarias?".to_owned()),
    );
    let caller = routed(
        fresh(state, Language::En)?,
        Routed::Call(CallSpec::default()),
    );
    // A customer the business used to answer from the WhatsApp Business
    // app: the app's history, then a reply sent from the phone.
    let phone_app = fresh(state, Language::Es)?;
    let item = |by, body: &str| HistoryItem {
        by,
        body: Some(body.to_owned()),
        media: false,
        timestamp: None,
    };
    let history = routed(
        phone_app.clone(),
        Routed::History(vec![
            item(HistoryAuthor::Customer, "Hola, ¿tenéis la mesa en roble?"),
            item(HistoryAuthor::Business, "Sí, te mando una foto"),
            HistoryItem {
                by: HistoryAuthor::Business,
                body: None,
                media: true,
                timestamp: None,
            },
            item(HistoryAuthor::Customer, "¡Perfecta! La quiero"),
        ]),
    );
    let saved = routed(
        phone_app.clone(),
        Routed::AddressBook(AddressBookAction::Add),
    );
    let echo = routed(
        phone_app,
        Routed::Echo("Ya la tienes reservada, puedes pasar a recogerla".to_owned()),
    );
    // The AI agent's customer and the caller last: demo mode hands the
    // two newest customers to its colleague.
    for inbound in [history, saved, echo, with_ai, caller] {
        let receipt = state.receive_routed(inbound, false).await?;
        if !report.customers.contains(&receipt.wa_id) {
            report.customers.push(receipt.wa_id.clone());
        }
        report.messages += 1;
    }
    Ok(())
}

/// A customer who hides their number behind a username: the webhook names
/// them by business-scoped user id and `@username` only. They wrote four
/// days ago, so the demo shows a template going to them by user id, and
/// their row sits below the `inbox` scenario's.
async fn username_only(state: &SimState, report: &mut ScenarioReport) -> Result<(), ScenarioError> {
    let mut msg = Inbound::text("", "Hi! Is the blue jacket still available in size M?");
    msg.username = Some("jamie.rivers".to_owned());
    msg.timestamp = Some(now_unix() - 4 * 24 * 3600);
    send(state, report, msg).await?;
    Ok(())
}

/// Stops every background scenario.
pub(crate) fn stop(state: &SimState) {
    for task in state.lock().scenario_tasks.drain(..) {
        task.abort();
    }
}

async fn send(
    state: &SimState,
    report: &mut ScenarioReport,
    msg: Inbound,
) -> Result<String, ScenarioError> {
    let receipt = state.receive(msg, false).await?;
    if !report.customers.contains(&receipt.wa_id) {
        report.customers.push(receipt.wa_id.clone());
    }
    report.messages += 1;
    Ok(receipt.id)
}

/// A new customer with a fresh number and a name in `lang`.
fn fresh(state: &SimState, lang: Language) -> Result<Inbound, ScenarioError> {
    let mut inner = state.lock();
    let mut number = None;
    for _ in 0..16 {
        if let Some(r) = customer::random_number(&mut inner.rng, lang)
            && !inner.customers.contains_key(&r.wa_id)
        {
            number = Some(r);
            break;
        }
    }
    let number = number.ok_or(ScenarioError::NoNumber)?;
    let name = customer::random_name(&mut inner.rng, lang);
    Ok(Inbound::text(format!("+{}", number.wa_id), "").named(name))
}

/// A first message: 0 from an ad, 1 with a partner code, 2 plain.
fn lead(
    state: &SimState,
    kind: usize,
    lang: Language,
    timestamp: Option<i64>,
) -> Result<Inbound, ScenarioError> {
    let mut msg = fresh(state, lang)?;
    msg.timestamp = timestamp;
    let mut inner = state.lock();
    match kind % 3 {
        0 => {
            msg.content = Content::Text(customer::ad_message(lang));
            msg.referral = Some(ReferralSpec::Stock(true));
        }
        1 => msg.content = Content::Text(customer::code_message(&mut inner.rng, lang)),
        _ => msg.content = Content::Text(customer::random_opener(&mut inner.rng, lang)),
    }
    Ok(msg)
}

/// Hours since each demo conversation's last message: six closed, four
/// closing, twenty open.
const LAST_MESSAGE_AGE_HOURS: [f64; 30] = [
    25.0, 26.5, 30.0, 41.0, 52.0, 75.0, // closed
    23.1, 23.5, 23.8, 23.95, // closing: 54, 30, 12 and 3 minutes left
    0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0,
    18.0, 20.0, 22.0,
];

async fn inbox(state: &SimState, report: &mut ScenarioReport) -> Result<(), ScenarioError> {
    let now = now_unix();
    let mut messages: Vec<Inbound> = Vec::new();
    for (i, hours) in LAST_MESSAGE_AGE_HOURS.iter().enumerate() {
        let lang = [Language::En, Language::Ru, Language::Es, Language::En][i % 4];
        let last = now - (hours * 3600.0) as i64;
        let count = 1 + i % 3;
        let (gaps, kinds): (Vec<i64>, Vec<u32>) = {
            let mut inner = state.lock();
            let gaps = (0..count)
                .map(|_| inner.rng.random_range(120..900))
                .collect();
            let kinds = (0..count).map(|_| inner.rng.random_range(0..10)).collect();
            (gaps, kinds)
        };
        // The first message of every seventh conversation comes from an ad,
        // of every fifth carries a partner code.
        let first = if i % 7 == 3 {
            lead(state, 0, lang, None)?
        } else if i % 5 == 2 {
            lead(state, 1, lang, None)?
        } else {
            lead(state, 2, lang, None)?
        };
        let mut ts = last - gaps.iter().skip(1).sum::<i64>();
        for (j, kind) in kinds.iter().enumerate() {
            let mut msg = if j == 0 {
                first.clone()
            } else {
                let mut m = first.clone();
                m.referral = None;
                m.content = follow_up_content(state, lang, *kind);
                m
            };
            msg.timestamp = Some(ts);
            messages.push(msg);
            ts += gaps.get(j + 1).copied().unwrap_or(0);
        }
    }
    messages.sort_by_key(|m| m.timestamp);
    for msg in messages {
        send(state, report, msg).await?;
    }
    Ok(())
}

fn follow_up_content(state: &SimState, lang: Language, roll: u32) -> Content {
    let mut inner = state.lock();
    match roll {
        0 => Content::Image(MediaSpec {
            caption: Some(
                match lang {
                    Language::En => "This is the one I mean",
                    Language::Ru => "Вот эта",
                    Language::Es => "Esta es la que digo",
                }
                .to_owned(),
            ),
            filename: None,
        }),
        1 => Content::Document(MediaSpec {
            caption: None,
            filename: Some("receipt.pdf".to_owned()),
        }),
        2 => Content::Location(LocationSpec {
            latitude: 40.4168,
            longitude: -3.7038,
            name: Some("Puerta del Sol".to_owned()),
            address: Some("Plaza de la Puerta del Sol, Madrid".to_owned()),
        }),
        3 => Content::Audio(AudioSpec { voice: true }),
        4 => Content::Video(MediaSpec {
            caption: Some(
                match lang {
                    Language::En => "It makes this noise",
                    Language::Ru => "Вот такой звук",
                    Language::Es => "Hace este ruido",
                }
                .to_owned(),
            ),
            filename: None,
        }),
        _ => Content::Text(customer::random_follow_up(&mut inner.rng, lang)),
    }
}

fn lead_stream(state: &Arc<SimState>, report: &mut ScenarioReport) {
    report.background = true;
    let worker = state.clone();
    let task = tokio::spawn(async move {
        let timing = worker.config.timing.clone();
        let mut order: Vec<usize> = (0..3).collect();
        for n in 0..timing.max_leads as usize {
            if !worker.sleep(worker.jittered(timing.lead_interval)).await {
                return;
            }
            if n % 3 == 0 {
                order.shuffle(&mut worker.lock().rng);
            }
            let lang = Language::ALL[(n / 3 + n) % 3];
            let msg = match lead(&worker, order[n % 3], lang, None) {
                Ok(m) => m,
                Err(e) => {
                    tracing::warn!(error = %e, "lead stream stopped");
                    return;
                }
            };
            if let Err(e) = worker.receive(msg, false).await {
                tracing::debug!(error = %e, "lead stream stopped");
                return;
            }
        }
    });
    state.lock().scenario_tasks.push(task);
}

async fn rich(state: &SimState, report: &mut ScenarioReport) -> Result<(), ScenarioError> {
    let base = fresh(state, Language::En)?;
    let with = |content: Content| Inbound {
        content,
        ..base.clone()
    };
    let first = send(
        state,
        report,
        with(Content::Text(
            "Hi! I have a few questions about my order 📦".into(),
        )),
    )
    .await?;
    send(
        state,
        report,
        with(Content::Image(MediaSpec {
            caption: Some("The box arrived damaged".into()),
            filename: None,
        })),
    )
    .await?;
    send(
        state,
        report,
        with(Content::Document(MediaSpec {
            caption: Some("My receipt".into()),
            filename: Some("receipt-2041.pdf".into()),
        })),
    )
    .await?;
    send(
        state,
        report,
        with(Content::Location(LocationSpec {
            latitude: 37.4848,
            longitude: -122.1484,
            name: Some("Home".into()),
            address: Some("1 Hacker Way, Menlo Park, CA".into()),
        })),
    )
    .await?;
    send(
        state,
        report,
        with(Content::Contacts(vec![SharedContact {
            name: "Jessica Park".into(),
            phone: "+14155552671".into(),
        }])),
    )
    .await?;
    send(
        state,
        report,
        with(Content::Audio(AudioSpec { voice: true })),
    )
    .await?;
    send(state, report, with(Content::Sticker(MediaSpec::default()))).await?;
    let mut reply = with(Content::Text(
        "To be clear, this is about the first message".into(),
    ));
    reply.reply_to = Some(first.clone());
    send(state, report, reply).await?;
    let react = |emoji: Option<&str>| {
        with(Content::Reaction(ReactionSpec {
            message_id: first.clone(),
            emoji: emoji.map(str::to_owned),
        }))
    };
    send(state, report, react(Some("👍"))).await?;
    send(state, report, react(None)).await?;
    send(
        state,
        report,
        with(Content::Button(ButtonSpec {
            text: "Confirm".into(),
            payload: None,
        })),
    )
    .await?;
    send(
        state,
        report,
        with(Content::Unsupported(UnsupportedSpec {
            kind: Some("poll".into()),
        })),
    )
    .await?;
    Ok(())
}
