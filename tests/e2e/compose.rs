//! The composer follows the 24-hour window: free text goes out through the
//! outbox while it is open (exactly one request at WhatsApp), and a closed
//! chat has no free-text box at all.

use crate::demo::wait_sent;
use crate::harness::App;
use std::time::Duration;

/// A new customer writes through the simulator; waits for them in the list
/// and opens their chat. Returns the wamid of their message.
pub async fn open_new_customer(app: &App, sim: &str, from: &str, name: &str, text: &str) -> String {
    let reply = reqwest::Client::new()
        .post(format!("{sim}/_sim/inbound"))
        .json(&serde_json::json!({ "from": from, "name": name, "text": text }))
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success());
    let wamid = reply.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Queued behind the demo's own webhooks, which come at the scenario's
    // pace: on a busy machine that takes a while (see `wait_demo_inbox`).
    let limit = std::time::Duration::from_secs(90);
    app.eventually_for(&format!("{name} in the list"), limit, || async {
        app.texts_of("conversation-name")
            .await
            .iter()
            .any(|n| n == name)
            .then_some(())
    })
    .await;
    assert!(app.click_conversation(name).await);
    wamid
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn free_text_in_an_open_chat_reaches_whatsapp_once_and_a_closed_chat_offers_only_templates() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    let her_wamid =
        open_new_customer(&app, &sim, "+33612345678", "Olga Send", "Is it in stock?").await;
    // Reply to her question: the quote shows above the text box.
    app.click_testid("message-reply-action").await;
    app.wait_testid("composer-reply").await;
    let input = app.wait_testid("composer-input").await;
    let text = "Yes! Size 38 is in stock.";
    input.send_keys(text).await.unwrap();
    input.send_keys("\u{E007}").await.unwrap(); // Enter

    // Exactly one text request at WhatsApp, with our outbox id attached.
    let to_olga = |b: &serde_json::Value| {
        b["type"] == "text" && b["to"].as_str().is_some_and(|t| t.ends_with("33612345678"))
    };
    wait_sent(&sim, "the text", to_olga).await;
    // Give a duplicate the time to show up before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sent = wait_sent(&sim, "the text", to_olga).await;
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let body = &sent[0];
    assert_eq!(body["messaging_product"], "whatsapp");
    assert_eq!(body["text"]["body"], text);
    assert_eq!(
        body["context"]["message_id"],
        her_wamid.as_str(),
        "sent as a reply"
    );
    assert!(
        body["biz_opaque_callback_data"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{body}"
    );

    // The bubble follows Meta's statuses.
    app.eventually("the bubble to be delivered or read", || async {
        let states = app
            .client
            .execute(
                "return [...document.querySelectorAll('[data-testid=message-status]')].map(e => e.dataset.status)",
                vec![],
            )
            .await
            .ok()?;
        let states: Vec<String> = serde_json::from_value(states).ok()?;
        states
            .iter()
            .any(|s| s == "delivered" || s == "read")
            .then_some(())
    })
    .await;
    app.screenshot("compose-sent").await;

    // A chat whose window closed has no free-text box, only the explanation.
    app.open_closed_chat().await;
    app.wait_testid("composer-closed").await;
    assert!(app.all_testid("composer-input").await.is_empty());
    app.screenshot("compose-closed").await;

    // The picker: choose order_update (en_US), fill every variable, check
    // the preview, send, and find exactly that template request at WhatsApp.
    let closed_to: String = serde_json::from_value(
        app.client
            .execute(
                "return document.querySelector('[data-testid=chat-header] .chat-subtitle')?.innerText ?? ''",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    app.click_testid("template-picker-open").await;
    app.wait_testid("template-picker").await;
    app.wait_testid("template-search")
        .await
        .send_keys("order_update")
        .await
        .unwrap();
    let option = app
        .eventually("the order_update option", || async {
            app.client
                .find(fantoccini::Locator::Css(
                    "[data-testid=template-option][data-name=order_update][data-language=en_US]",
                ))
                .await
                .ok()
        })
        .await;
    app.click(&option).await;
    for (slot, value) in [
        ("header:1", "SKB-4CP"),
        ("body:1", "Jessica"),
        ("body:2", "SKB-4CP"),
        ("body:3", "Friday"),
        ("button:0", "SKB-4CP"),
    ] {
        app.client
            .find(fantoccini::Locator::Css(&format!(
                "[data-testid=template-variable][data-slot=\"{slot}\"]"
            )))
            .await
            .unwrap_or_else(|e| panic!("no field for {slot}: {e}"))
            .send_keys(value)
            .await
            .unwrap();
    }
    app.eventually("the filled preview", || async {
        let preview = app.texts_of("template-preview").await.into_iter().next()?;
        (preview.contains("Order SKB-4CP")
            && preview.contains(
                "Hi Jessica, your order SKB-4CP has shipped. It should arrive by Friday.",
            ))
        .then_some(())
    })
    .await;
    app.screenshot("template-picker").await;
    app.click_testid("template-send").await;

    let request = wait_sent(&sim, "the template", |b| {
        b["type"] == "template" && b["template"]["name"] == "order_update"
    })
    .await
    .remove(0);
    let digits: String = closed_to.chars().filter(char::is_ascii_digit).collect();
    assert!(
        request["to"].as_str().unwrap().ends_with(&digits),
        "{request} to {closed_to}"
    );
    let template = &request["template"];
    assert_eq!(template["language"]["code"], "en_US");
    let components = template["components"].as_array().unwrap();
    let texts_of = |kind: &str| -> Vec<String> {
        components
            .iter()
            .filter(|c| c["type"] == kind)
            .flat_map(|c| c["parameters"].as_array().unwrap().iter())
            .map(|p| p["text"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(texts_of("header"), ["SKB-4CP"]);
    assert_eq!(texts_of("body"), ["Jessica", "SKB-4CP", "Friday"]);
    let button = components.iter().find(|c| c["type"] == "button").unwrap();
    assert_eq!(button["sub_type"], "url");
    assert_eq!(button["index"], "0");
    assert_eq!(button["parameters"][0]["text"], "SKB-4CP");
    app.close().await;
}

#[tokio::test]
#[ignore = "drives the real window: run by scripts/test.sh under Xvfb"]
async fn an_expired_token_pauses_sending_and_says_so() {
    let data = tempfile::tempdir().unwrap();
    let app = App::launch(data.path(), &[("HOURGLASS_DEMO", "1")]).await;
    let sim = crate::demo::simulator_url(data.path()).await;
    let http = reqwest::Client::new();
    let hello = open_new_customer(&app, &sim, "+33698765432", "Token Tom", "Hello?").await;
    // Opening the chat tells WhatsApp it was read; let that go first.
    wait_sent(&sim, "the mark-as-read", |b| {
        b["message_id"] == hello.as_str()
    })
    .await;
    // Writing shows Tom the typing indicator (once per 20 s); let it go
    // first, so the fault below meets the send.
    let input = app.wait_testid("composer-input").await;
    input.send_keys("Hi Tom").await.unwrap();
    wait_sent(&sim, "the typing indicator", |b| {
        b["typing_indicator"]["type"] == "text" && b["message_id"] == hello.as_str()
    })
    .await;
    // WhatsApp will answer the next send with 190 (token expired).
    let fault = http
        .post(format!("{sim}/_sim/faults"))
        .json(&serde_json::json!({ "code": 190, "count": 1 }))
        .send()
        .await
        .unwrap();
    assert!(fault.status().is_success());
    input.send_keys("\u{E007}").await.unwrap();
    let banner = app.wait_testid("sending-stopped").await;
    let said = crate::harness::text(&banner).await;
    assert!(said.contains("Sending is paused"), "{said}");
    assert!(
        said.contains("190") || said.to_lowercase().contains("token"),
        "{said}"
    );
    // The message waits, shown as not yet sent.
    let states = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=message-status]')].map(e => e.dataset.status)",
            vec![],
        )
        .await
        .unwrap();
    let states: Vec<String> = serde_json::from_value(states).unwrap();
    assert!(
        states
            .iter()
            .all(|s| s != "sent" && s != "delivered" && s != "read"),
        "{states:?}"
    );
    app.screenshot("sending-paused").await;
    app.close().await;
}
