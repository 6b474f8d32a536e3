//! Search in the real window, in demo mode: a word from early in a long
//! chat is found from the keyboard, its hit shows the customer's text as
//! text with the matched word marked, and opening it shows the chat at that
//! message, marked, with a way back to the newest. Part of a number finds
//! the customer.

use crate::harness::{App, text};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NUMBER: &str = "+4917055543219";
const NAME: &str = "Zoe Search";
/// Customer messages in the chat.
const HISTORY: usize = 100;
/// Where in the history the two messages with the searched word are.
const EARLY: usize = 4;
const LATER: usize = 12;
/// A word no demo customer writes.
const WORD: &str = "zebracode4711";
/// Markup a customer could type; it must stay text wherever it shows.
const PAYLOAD: &str = "<img src=x onerror=\"document.title='pwned'\">";

fn body(i: usize) -> String {
    match i {
        EARLY => format!("Order {WORD} arrived broken {PAYLOAD} please help"),
        LATER => format!("Any news on {WORD}? Still waiting"),
        i if i == HISTORY - 1 => "Last one for today, thanks".to_owned(),
        i => format!("Message {i} about my order"),
    }
}

/// Presses and releases each key in turn, wherever the focus is.
async fn press(app: &App, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for &value in keys {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    app.client
        .perform_actions(actions)
        .await
        .expect("press keys");
}

/// Presses Ctrl+`key`.
async fn press_ctrl(app: &App, key: char) {
    let ctrl: char = Key::Control.into();
    let actions = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: ctrl })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: ctrl });
    app.client
        .perform_actions(actions)
        .await
        .expect("press a chord");
}

/// The `data-testid` of the focused element ("" when it has none).
async fn focused(app: &App) -> String {
    let v = app
        .client
        .execute(
            "return document.activeElement?.dataset?.testid ?? ''",
            vec![],
        )
        .await
        .expect("read the focus");
    v.as_str().unwrap_or_default().to_owned()
}

/// Every hit shown, read in one step: kind, conversation, snippet text,
/// the marked words and whether the cursor is on it.
async fn hits(app: &App) -> Vec<Value> {
    let v = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=search-hit]')].map(h => {
               const snippet = h.querySelector('[data-testid=search-snippet]');
               return {
                 id: h.id,
                 kind: h.dataset.kind,
                 conversation: h.dataset.conversationId,
                 snippet: snippet?.innerText ?? '',
                 marks: [...(snippet?.querySelectorAll('mark') ?? [])].map(m => m.innerText),
                 selected: h.getAttribute('aria-selected') === 'true',
               };
             })",
            vec![],
        )
        .await
        .expect("read the hits");
    serde_json::from_value(v).expect("a list of hits")
}

/// The id of the hit under the cursor, as the box names it.
async fn active_descendant(app: &App) -> String {
    app.wait_testid("search-input")
        .await
        .attr("aria-activedescendant")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Where the first bubble whose text holds `needle` sits against the
/// visible part of the message list (null when no bubble holds it).
async fn bubble_place(app: &App, needle: &str) -> Value {
    app.client
        .execute(
            "const [needle] = arguments;
             const list = document.querySelector('[data-testid=message-list]');
             const bubble = [...document.querySelectorAll('[data-testid=message-bubble]')]
               .find(b => b.innerText.includes(needle));
             if (!list || !bubble) return null;
             const l = list.getBoundingClientRect();
             const b = bubble.getBoundingClientRect();
             return {
               id: bubble.dataset.messageId,
               wamid: bubble.dataset.wamid ?? null,
               text: bubble.innerText,
               marked: bubble.classList.contains('search-target'),
               visible: b.height > 0 && b.top >= l.top - 1 && b.bottom <= l.bottom + 1,
               images: bubble.querySelectorAll('img').length,
               bubble: [b.top, b.bottom],
               list: [l.top, l.bottom],
             };",
            vec![Value::from(needle)],
        )
        .await
        .expect("read a bubble's place")
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn search_opening_the_hit() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;

    // A customer with a long history: the searched word is in two early
    // messages, far from the newest. Sent one after another, each a few
    // seconds after the one before (all in the past), so their order is
    // certain.
    let http = reqwest::Client::new();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let first_at = now - 10 - 5 * HISTORY as i64;
    let mut wamids = Vec::with_capacity(HISTORY);
    for i in 0..HISTORY {
        let reply = tokio::time::timeout(
            Duration::from_secs(20),
            http.post(format!("{sim}/_sim/inbound?wait=true"))
                .json(&json!({
                    "from": NUMBER,
                    "name": NAME,
                    "timestamp": first_at + 5 * i as i64,
                    "text": body(i),
                }))
                .send(),
        )
        .await
        .expect("the simulator took a message within 20 s")
        .unwrap();
        assert!(
            reply.status().is_success(),
            "message {i}: {}",
            reply.status()
        );
        let receipt: Value = reply.json().await.unwrap();
        wamids.push(receipt["id"].as_str().unwrap().to_owned());
    }
    let last = body(HISTORY - 1);
    app.eventually_for(
        "the customer in the list with her last message",
        Duration::from_secs(60),
        || async {
            let names = app.texts_of("conversation-name").await;
            let previews = app.texts_of("conversation-preview").await;
            let i = names.iter().position(|n| n == NAME)?;
            (previews.get(i)? == &last).then_some(())
        },
    )
    .await;
    let conversation = app
        .client
        .execute(
            "const [name] = arguments;
             return [...document.querySelectorAll('[data-testid=conversation-item]')]
               .find(i => i.querySelector('[data-testid=conversation-name]')?.innerText === name)
               ?.dataset.conversationId ?? null;",
            vec![Value::from(NAME)],
        )
        .await
        .unwrap();
    let conversation = conversation
        .as_str()
        .expect("her row names its conversation")
        .to_owned();
    assert!(
        !app.all_testid("chat-empty").await.is_empty(),
        "no chat is open yet"
    );

    // `/` goes to the search box; part of the word finds both messages,
    // newest first, the cursor on the first.
    press(&app, &['/']).await;
    app.eventually("the search box to take the focus", || async {
        (focused(&app).await == "search-input").then_some(())
    })
    .await;
    app.client
        .active_element()
        .await
        .unwrap()
        .send_keys("zebrac")
        .await
        .unwrap();
    let found = app
        .eventually("both messages found", || async {
            let found = hits(&app).await;
            (found.len() == 2).then_some(found)
        })
        .await;
    for hit in &found {
        assert_eq!(hit["kind"], "message", "{found:?}");
        assert_eq!(hit["conversation"], conversation.as_str(), "{found:?}");
        assert_eq!(hit["marks"], json!([WORD]), "{found:?}");
    }
    assert!(
        found[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("Any news on"),
        "{found:?}"
    );
    assert!(found[0]["selected"] == true && found[1]["selected"] == false);
    // The markup in her message is shown as the characters she typed.
    assert!(
        found[1]["snippet"].as_str().unwrap().contains(PAYLOAD),
        "{found:?}"
    );
    let images = app
        .client
        .execute(
            "return document.querySelector('[data-testid=search-results]').querySelectorAll('img').length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        images,
        json!(0),
        "no element is made from a customer's text"
    );

    // The arrows move the cursor; the box names the hit under it.
    press(&app, &[Key::Down.into()]).await;
    app.eventually("the cursor on the second hit", || async {
        let found = hits(&app).await;
        (found.len() == 2 && found[1]["selected"] == true && found[0]["selected"] == false)
            .then_some(())
    })
    .await;
    assert_eq!(
        active_descendant(&app).await,
        found[1]["id"].as_str().unwrap()
    );
    press(&app, &[Key::Up.into()]).await;
    app.eventually("the cursor back on the first hit", || async {
        (hits(&app).await.first()?["selected"] == true).then_some(())
    })
    .await;
    press(&app, &[Key::Down.into()]).await;
    app.eventually("the cursor on the second hit again", || async {
        (hits(&app).await.get(1)?["selected"] == true).then_some(())
    })
    .await;
    app.screenshot("search-results").await;

    // Enter opens her chat at the early message: shown, in view, marked.
    // The mark lasts a few seconds; every element that gets it is noted, so
    // a slow check cannot miss it.
    app.client
        .execute(
            "window.__searchTargets = [];
             new MutationObserver(records => {
               for (const r of records) {
                 if (r.target.classList?.contains('search-target')) {
                   window.__searchTargets.push(r.target.dataset.messageId ?? r.target.dataset.noteId ?? '');
                 }
               }
             }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] });",
            vec![],
        )
        .await
        .unwrap();
    press(&app, &[Key::Enter.into()]).await;
    let needle = format!("{WORD} arrived broken");
    let place = app
        .eventually("the early message in view", || async {
            let place = bubble_place(&app, &needle).await;
            (place["visible"] == true).then_some(place)
        })
        .await;
    app.screenshot("search-hit").await;
    assert_eq!(
        text(&app.wait_testid("chat-title").await).await,
        NAME,
        "her chat is open"
    );
    assert_eq!(place["wamid"], wamids[EARLY].as_str(), "{place}");
    assert!(
        place["text"].as_str().unwrap().contains(PAYLOAD),
        "her markup shows as text: {place}"
    );
    assert_eq!(place["images"], 0, "{place}");
    let marked = app
        .client
        .execute("return window.__searchTargets", vec![])
        .await
        .unwrap();
    assert!(
        place["marked"] == true || marked.as_array().unwrap().contains(&place["id"]),
        "the hit's bubble is marked: {place}; marked: {marked}"
    );
    let title = app.client.title().await.unwrap();
    assert_ne!(title, "pwned");
    // The newest message is out of view (or not loaded at all).
    let newest = bubble_place(&app, &last).await;
    assert_ne!(newest["visible"], true, "{newest}");

    // "Show newest" goes back to the end of the chat.
    app.click_testid("show-newest").await;
    app.eventually("the newest message in view", || async {
        let newest = bubble_place(&app, &last).await;
        (newest["visible"] == true).then_some(())
    })
    .await;
    app.eventually("the button gone", || async {
        app.all_testid("show-newest").await.is_empty().then_some(())
    })
    .await;
    app.screenshot("search-newest").await;

    // In the box, Escape clears it and a second one goes to the list;
    // Ctrl+K comes back to the box, and part of her number finds her.
    press_ctrl(&app, 'k').await;
    app.eventually("the search box to take the focus", || async {
        (focused(&app).await == "search-input").then_some(())
    })
    .await;
    press(&app, &[Key::Escape.into()]).await;
    let input = app.wait_testid("search-input").await;
    app.eventually("the box cleared", || async {
        input.prop("value").await.ok()??.is_empty().then_some(())
    })
    .await;
    app.eventually("the list back in place of the hits", || async {
        (app.all_testid("search-results").await.is_empty()
            && !app.all_testid("conversation-item").await.is_empty())
        .then_some(())
    })
    .await;
    press(&app, &[Key::Escape.into()]).await;
    app.eventually("the list to take the focus", || async {
        (focused(&app).await == "conversation-list").then_some(())
    })
    .await;
    press_ctrl(&app, 'k').await;
    app.eventually("the search box to take the focus again", || async {
        (focused(&app).await == "search-input").then_some(())
    })
    .await;
    let digits = &NUMBER[7..12];
    input.send_keys(digits).await.unwrap();
    let contact = app
        .eventually("her as a customer hit", || async {
            hits(&app)
                .await
                .into_iter()
                .find(|h| h["kind"] == "contact" && h["conversation"] == conversation.as_str())
        })
        .await;
    assert_eq!(contact["marks"], json!([digits]), "{contact}");
    app.screenshot("search-contact").await;

    // A click opens it too.
    let opened = app
        .client
        .execute(
            "const [id] = arguments;
             const hit = [...document.querySelectorAll('[data-testid=search-hit][data-kind=contact]')]
               .find(h => h.dataset.conversationId === id);
             hit?.click();
             return hit !== undefined;",
            vec![Value::from(conversation.as_str())],
        )
        .await
        .unwrap();
    assert_eq!(opened, json!(true));
    app.eventually("her chat at the newest message", || async {
        (bubble_place(&app, &last).await["visible"] == true).then_some(())
    })
    .await;
    app.close().await;
}
