//! Presence and the collision warning in the real window. The app runs in
//! demo mode as "you"; a colleague, "ben", is added to the demo relay's
//! agents the way an operator would (`hourglass-relay agent add`) and acts
//! through the relay's API like his own desktop would: he types in the
//! chat "you" has open, then answers the customer. The header must say so,
//! his answer must be shown as his, and "you" must be asked before
//! answering the customer a second time.

use crate::demo::{sim_sent, simulator_url, wait_sent};
use crate::harness::{App, text};
use hourglass_core::relay::RelayClient;
use hourglass_core::secrets::Secret;
use hourglass_protocol::{PresenceState, PresenceUpdate};
use std::path::Path;
use std::time::Duration;

const CUSTOMER: &str = "+4915511223344";

/// Where the demo relay listens, from the app's endpoints file.
fn relay_url(data: &Path) -> String {
    let raw = std::fs::read_to_string(data.join("demo").join("endpoints.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    v["relay"].as_str().unwrap().to_owned()
}

/// Adds `name` to the demo relay's agents, as `hourglass-relay agent add`
/// does on a running relay, and returns their publisher.
fn colleague(data: &Path, relay: &str, name: &str) -> RelayClient {
    let store = hourglass_relay::SqliteStore::open(data.join("demo").join("relay.db")).unwrap();
    let token = hourglass_relay::agent::add(&store, name).unwrap();
    RelayClient::new(relay, Secret::new(token.expose().to_owned())).unwrap()
}

fn presence(state: PresenceState) -> PresenceUpdate {
    PresenceUpdate {
        customer: CUSTOMER.to_owned(),
        phone_number_id: hourglass_sim::SimConfig::default().phone_number_id,
        state,
    }
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn a_colleague_typing_and_answering_is_shown_and_asked_about() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = simulator_url(data.path()).await;
    crate::demo::wait_demo_inbox(&app).await;
    let relay = relay_url(data.path());
    let ben = colleague(data.path(), &relay, "ben");
    assert_eq!(ben.me().await.unwrap(), "ben");

    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": CUSTOMER, "name": "Pia Presence", "text": "Is my order shipped?" }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());
    app.eventually("Pia in the list", || async {
        app.click_conversation("Pia Presence").await.then_some(())
    })
    .await;
    app.eventually("Pia's chat", || async {
        (text(&app.wait_testid("chat-title").await).await == "Pia Presence").then_some(())
    })
    .await;

    // Ben opens the same chat and types: the header says so.
    ben.set_presence(&presence(PresenceState::Viewing))
        .await
        .unwrap();
    ben.set_presence(&presence(PresenceState::Typing))
        .await
        .unwrap();
    app.eventually("ben typing in the header", || async {
        let typing = app.texts_of("presence-typing").await;
        (typing == ["ben is typing…"]).then_some(())
    })
    .await;
    app.screenshot("presence-typing").await;

    // "You" answer while he types: asked first; "Don't send" sends nothing.
    let first = "Yes, it left our warehouse this morning.";
    let composer = app.wait_testid("composer-input").await;
    composer.send_keys(first).await.unwrap();
    ben.set_presence(&presence(PresenceState::Typing))
        .await
        .unwrap();
    composer.send_keys("\u{E007}").await.unwrap(); // Enter
    app.wait_testid("collision-warning").await;
    let reasons = app.texts_of("collision-reason").await;
    assert_eq!(reasons, ["ben is typing to this customer right now."]);
    app.screenshot("presence-collision-typing").await;
    app.click_testid("collision-cancel").await;
    assert_eq!(
        composer.prop("value").await.unwrap().as_deref(),
        Some(first)
    );

    // Ben sends his answer (his desktop publishes it once Meta took it)
    // and goes back to viewing. This desktop syncs it into the chat.
    let wamid = "wamid.ben.presence-e2e";
    ben.publish(
        "ben-outbox-1",
        serde_json::json!({
            "type": "outbound", "wamid": wamid, "to": CUSTOMER,
            "phone_number_id": hourglass_sim::SimConfig::default().phone_number_id,
            "kind": "text", "body": "Hi Pia, Ben here: it ships today.",
            "sent_at": chrono::Utc::now().timestamp(), "status": "accepted"
        }),
    )
    .await
    .unwrap();
    ben.set_presence(&presence(PresenceState::Viewing))
        .await
        .unwrap();
    app.eventually("ben's answer in the chat", || async {
        let bodies = app.texts_of("message-bubble").await;
        bodies.iter().any(|b| b.contains("Ben here")).then_some(())
    })
    .await;
    // His answer is named as his, in the chat and in the list.
    app.eventually("ben named on his answer", || async {
        (app.texts_of("message-sender").await == ["ben"]).then_some(())
    })
    .await;
    app.eventually("ben named in the list", || async {
        let previews = app.texts_of("conversation-preview").await;
        previews
            .iter()
            .any(|p| p == "ben: Hi Pia, Ben here: it ships today.")
            .then_some(())
    })
    .await;
    app.eventually("ben viewing, no longer typing", || async {
        let viewing = app.texts_of("presence-viewing").await;
        let typing = app.texts_of("presence-typing").await;
        (typing.is_empty() && viewing == ["ben viewing"]).then_some(())
    })
    .await;

    // Asked again, now about his answer; "Send anyway" sends it once.
    composer.send_keys("\u{E007}").await.unwrap();
    app.wait_testid("collision-warning").await;
    let reasons = app.texts_of("collision-reason").await;
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(
        reasons[0].starts_with("ben sent this customer a message ")
            && reasons[0].ends_with(" s ago."),
        "{reasons:?}"
    );
    app.screenshot("presence-collision-sent").await;
    let sent_before = sim_sent(&sim).await;
    assert!(
        !sent_before.to_string().contains(first),
        "nothing goes out before the agent decides"
    );
    app.click_testid("collision-send").await;
    wait_sent(&sim, "the reply sent anyway", |b| {
        b["text"]["body"].as_str() == Some(first)
    })
    .await;
    app.eventually("the composer emptied", || async {
        (composer.prop("value").await.ok()?.as_deref() == Some("")).then_some(())
    })
    .await;
    // The list now shows this agent's own reply, not named.
    app.eventually("the own reply in the list", || async {
        let previews = app.texts_of("conversation-preview").await;
        previews
            .iter()
            .any(|p| p == &format!("You: {first}"))
            .then_some(())
    })
    .await;
    // Exactly once, even after a moment.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = wait_sent(&sim, "the reply", |b| {
        b["text"]["body"].as_str() == Some(first)
    })
    .await;
    assert_eq!(sent.len(), 1, "the reply went out once");
    app.close().await;
}

/// The demo's own colleague: she has taken the newest scripted
/// conversation (shown in the list), left a private note in it, and is
/// viewing it, so team work can be tried without a second desktop.
#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn the_demo_has_a_colleague_at_work() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    crate::demo::wait_demo_inbox(&app).await;
    // Found and clicked in one step: the list reorders as leads arrive.
    app.eventually("a conversation assigned to maria", || async {
        let script = "const item = [...document.querySelectorAll('[data-testid=conversation-item]')]
              .find(i => i.querySelector('[data-testid=conversation-assignee]')?.innerText === '→ maria');
            if (!item) return false;
            item.click();
            return true;";
        let clicked = app.client.execute(script, vec![]).await.ok()?;
        (clicked == serde_json::Value::Bool(true)).then_some(())
    })
    .await;
    app.eventually("maria viewing it", || async {
        (app.texts_of("presence-viewing").await == ["maria viewing"]).then_some(())
    })
    .await;
    app.eventually("her note in the timeline", || async {
        let notes = app.texts_of("note").await;
        notes
            .iter()
            .any(|n| n.contains("waiting for the warehouse"))
            .then_some(())
    })
    .await;
    let assignee = app.wait_testid("team-assignee").await;
    assert_eq!(
        assignee.prop("value").await.unwrap().as_deref(),
        Some("maria")
    );
    app.screenshot("demo-colleague").await;
    app.close().await;
}
