//! A chat of several thousand messages in the real window: it opens at its
//! newest message with only a screen's worth of bubbles in the DOM, keeps
//! what it holds bounded while the agent scrolls back to the first message,
//! keeps the bubble being read in place as each older page comes in, and
//! reads the newer pages again on the way back down without skipping any.

use crate::harness::App;
use crate::seed::PHONE_NUMBER_ID;
use hourglass_core::inbox::Direction;
use hourglass_core::store::{NewContact, NewMessage, Store};
use serde_json::Value;
use std::time::Duration;

const NAME: &str = "Long Chat Lena";
const MESSAGES: usize = 4_000;
/// The most bubbles the DOM may hold at once: a screen's worth and the
/// overscan, far below the chat's length.
const MAX_BUBBLES: u64 = 60;
/// Messages the window reads at a time (`PAGE_SIZE` in the UI).
const PAGE: usize = 100;
/// The most timeline rows the window may hold in memory (a few pages, with
/// their day separators).
const MAX_HELD: u64 = 500;
/// Screens scrolled at a time on the way to either end, and the most steps.
const SCREENS: f64 = 4.0;
const MAX_STEPS: usize = 300;
/// The most messages the top of the list may move in one step of `SCREENS`
/// screens (about ten messages a screen): more means the list jumped past
/// messages the agent never saw.
const MAX_STEP_MESSAGES: i64 = 60;

fn body(i: usize) -> String {
    match i {
        0 => "The very first message of Lena".to_owned(),
        i if i == MESSAGES - 1 => "The newest message of Lena".to_owned(),
        // Some bubbles are taller than others.
        i if i % 5 == 0 => format!("Message {i}\nwith a second line\nand a third"),
        i => format!("Message {i}"),
    }
}

fn seed(dir: &std::path::Path) {
    let now = chrono::Utc::now().timestamp();
    let mut store = Store::open_in_dir(dir).expect("open the store to seed");
    store
        .write(|w| {
            let contact = w.upsert_contact(&NewContact {
                phone: Some("+34611222333".into()),
                name: Some(NAME.into()),
                ..NewContact::default()
            })?;
            let conv = w.conversation_for(contact, PHONE_NUMBER_ID)?;
            for i in 0..MESSAGES {
                w.insert_message(&NewMessage {
                    wamid: format!("wamid.long.{i}").into(),
                    conversation_id: conv,
                    direction: if i % 4 == 3 {
                        Direction::Outbound
                    } else {
                        Direction::Inbound
                    },
                    kind: "text".into(),
                    body: body(i),
                    payload: None,
                    // Two minutes apart, so the chat spans days and its
                    // pages carry day separators; every tenth pair shares
                    // a second.
                    sent_at: now - 120 * (MESSAGES - i) as i64 + i64::from(i % 10 == 1),
                    status: None,
                    reply_to_wamid: None,
                })?;
            }
            Ok(())
        })
        .expect("seed the store");
}

/// The list's state and the bubbles in the DOM, read in one step.
async fn state(app: &App) -> Value {
    app.client
        .execute(
            "const list = document.querySelector('[data-testid=message-list]');
             if (!list) return null;
             const l = list.getBoundingClientRect();
             const bubbles = [...list.querySelectorAll('[data-testid=message-bubble]')];
             const visible = bubbles.filter(b => {
               const r = b.getBoundingClientRect();
               return r.height > 0 && r.bottom > l.top && r.top < l.bottom;
             });
             const first = visible[0];
             return {
               bubbles: bubbles.length,
               held: Number(list.dataset.held),
               older: list.dataset.older === 'true',
               newer: list.dataset.newer === 'true',
               scrollTop: list.scrollTop,
               atBottom: list.scrollHeight - list.scrollTop - list.clientHeight < 2,
               visible: visible.map(b => b.innerText),
               first: first ? { id: first.dataset.messageId, top: first.getBoundingClientRect().top } : null,
             };",
            vec![],
        )
        .await
        .expect("read the message list")
}

fn shows(state: &Value, needle: &str) -> bool {
    state["visible"].as_array().is_some_and(|v| {
        v.iter()
            .any(|t| t.as_str().is_some_and(|t| t.contains(needle)))
    })
}

/// The number of the first message in view (its place in the chat).
fn first_in_view(state: &Value) -> Option<i64> {
    let text = state["visible"].as_array()?.first()?.as_str()?;
    if text.starts_with("The very first message") {
        return Some(0);
    }
    if text.starts_with("The newest message") {
        return Some(MESSAGES as i64 - 1);
    }
    let digits: String = text
        .strip_prefix("Message ")?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The list moved by at most one step's worth of messages, toward `sign`.
fn moved_by_a_step(before: &Value, after: &Value, sign: i64, when: &str) {
    let (Some(a), Some(b)) = (first_in_view(before), first_in_view(after)) else {
        panic!("{when}: no message in view: {after}");
    };
    let moved = (b - a) * sign;
    assert!(
        (0..=MAX_STEP_MESSAGES).contains(&moved),
        "{when}: the first message in view went from {a} to {b}: {after}"
    );
}

fn bounded(state: &Value, when: &str) {
    let bubbles = state["bubbles"].as_u64().unwrap();
    let held = state["held"].as_u64().unwrap();
    assert!(
        bubbles > 0 && bubbles <= MAX_BUBBLES,
        "{when}: {bubbles} bubbles in the DOM for a chat of {MESSAGES}"
    );
    assert!(
        held <= MAX_HELD,
        "{when}: {held} rows held for a chat of {MESSAGES}"
    );
}

/// Scrolls the list by `screens` (negative: up) and answers the new state.
async fn scroll(app: &App, screens: f64) -> Value {
    app.client
        .execute(
            "const [screens] = arguments;
             const l = document.querySelector('[data-testid=message-list]');
             l.scrollTop = l.scrollTop + screens * l.clientHeight;",
            vec![Value::from(screens)],
        )
        .await
        .expect("scroll the list");
    tokio::time::sleep(Duration::from_millis(120)).await;
    state(app).await
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn long_chat_opens_at_the_newest_and_pages_back_to_the_first() {
    let data = tempfile::tempdir().unwrap();
    seed(data.path());
    let app = App::launch(data.path(), &[]).await;
    app.eventually("her conversation in the list", || async {
        app.click_conversation(NAME).await.then_some(())
    })
    .await;

    // It opens at the newest message, with a screen's worth of bubbles.
    let opened = app
        .eventually("the newest message in view", || async {
            let s = state(&app).await;
            (shows(&s, "The newest message of Lena") && s["atBottom"] == true).then_some(s)
        })
        .await;
    app.screenshot("long-chat-newest").await;
    bounded(&opened, "opened");
    assert_eq!(opened["older"], true, "{opened}");
    assert_eq!(opened["newer"], false, "{opened}");

    // Near the top of what is held, an older page comes in above, and the
    // bubble being read stays where it was on screen.
    // The chat opened with the newest page; scrolled to its top, the first
    // message of that page is what the agent reads when the older page
    // comes in, and it is still there, at the top, once it is in.
    let held_before = opened["held"].as_u64().unwrap();
    app.client
        .execute(
            "document.querySelector('[data-testid=message-list]').scrollTop = 40",
            vec![],
        )
        .await
        .expect("scroll near the top");
    app.eventually("an older page above", || async {
        let s = state(&app).await;
        (s["held"].as_u64()? > held_before).then_some(())
    })
    .await;
    // The scroll position settles within a few frames of the page.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let settled = state(&app).await;
    let top_text = settled["visible"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let reading = format!("Message {}", MESSAGES - PAGE);
    let next = format!("Message {}", MESSAGES - PAGE + 1);
    assert!(
        top_text.starts_with(&reading) || top_text.starts_with(&next),
        "the top of the list jumped when the older page came in: {settled}"
    );
    assert_eq!(settled["older"], true, "{settled}");

    // Up to the very first message, a few screens at a time, bounded all the way.
    let mut steps = 0;
    let mut last = settled;
    let top = loop {
        steps += 1;
        assert!(
            steps <= MAX_STEPS,
            "the first message not reached in {MAX_STEPS} screens"
        );
        let s = scroll(&app, -SCREENS).await;
        let when = format!("scrolling up, screen {steps}");
        bounded(&s, &when);
        moved_by_a_step(&last, &s, -1, &when);
        last = s.clone();
        if shows(&s, "The very first message of Lena") && s["older"] == false {
            break s;
        }
    };
    app.screenshot("long-chat-first").await;
    assert_eq!(top["newer"], true, "the newest pages were let go: {top}");

    // And back down to the newest, the dropped pages read again, each one
    // coming in below what is being read without moving it.
    let mut steps = 0;
    let mut last = top;
    loop {
        steps += 1;
        assert!(
            steps <= MAX_STEPS,
            "the newest message not reached again in {MAX_STEPS} screens"
        );
        let s = scroll(&app, SCREENS).await;
        let when = format!("scrolling down, screen {steps}");
        bounded(&s, &when);
        moved_by_a_step(&last, &s, 1, &when);
        last = s.clone();
        if shows(&s, "The newest message of Lena") && s["newer"] == false {
            break;
        }
    }
    app.close().await;
}
