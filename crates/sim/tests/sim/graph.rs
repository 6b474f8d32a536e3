//! The fake Graph API answers like Meta's.

use std::collections::HashSet;

use hourglass_sim::{Inbound, Sim};
use hourglass_whatsapp::GRAPH_API_VERSION as V;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::receiver::{TOKEN, config, http, pair, send, send_raw};

const TO: &str = "+34612345678";

fn template(name: &str, lang: &str, components: Value) -> Value {
    json!({"messaging_product": "whatsapp", "to": TO, "type": "template",
           "template": {"name": name, "language": {"code": lang}, "components": components}})
}

fn order_update_components(body: Vec<&str>) -> Value {
    let body: Vec<Value> = body
        .into_iter()
        .map(|t| json!({"type": "text", "text": t}))
        .collect();
    json!([
        {"type": "header", "parameters": [{"type": "text", "text": "SKB-4CP"}]},
        {"type": "body", "parameters": body},
        {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "SKB-4CP"}]}
    ])
}

/// Asserts Meta's envelope exactly, with any non-empty `fbtrace_id`.
fn assert_envelope(answer: &(u16, Value), code: i64, message: &str, details: &str) {
    let (status, body) = answer;
    assert_eq!(*status, 400, "{body}");
    let trace = body["error"]["fbtrace_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!trace.is_empty(), "{body}");
    assert_eq!(
        body,
        &json!({"error": {"message": message, "type": "OAuthException", "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": trace}})
    );
}

#[tokio::test]
async fn each_template_error_is_metas_envelope() {
    let sim = Sim::start(config()).await.unwrap();

    let missing = send(&sim, &template("order_status", "en_US", json!([]))).await;
    assert_envelope(
        &missing,
        132001,
        "(#132001) Template name does not exist in the translation",
        "template name (order_status) does not exist in en_US",
    );
    let wrong_language = send(
        &sim,
        &template(
            "order_update",
            "de",
            order_update_components(vec!["a", "b", "c"]),
        ),
    )
    .await;
    assert_envelope(
        &wrong_language,
        132001,
        "(#132001) Template name does not exist in the translation",
        "template name (order_update) does not exist in de",
    );
    let rejected = send(
        &sim,
        &template(
            "crypto_giveaway",
            "en_US",
            json!([{"type": "body", "parameters": [{"type": "text", "text": "Jo"}]}]),
        ),
    )
    .await;
    assert_envelope(
        &rejected,
        132001,
        "(#132001) Template name does not exist in the translation",
        "template name (crypto_giveaway) does not exist in en_US",
    );
    let paused = send(
        &sim,
        &template("winback_offer", "en_US", json!([{"type": "body", "parameters": [{"type": "text", "text": "Jo"}, {"type": "text", "text": "25%"}]}])),
    )
    .await;
    assert_eq!(paused.1["error"]["code"], 132015, "{}", paused.1);
    assert_eq!(paused.1["error"]["message"], "(#132015) Template is Paused");

    let too_few = send(
        &sim,
        &template(
            "order_update",
            "en_US",
            order_update_components(vec!["Jessica", "SKB-4CP"]),
        ),
    )
    .await;
    assert_envelope(
        &too_few,
        132000,
        "(#132000) Number of parameters does not match the expected number of params",
        "body: number of localizable_params (2) does not match the expected number of params (3)",
    );
    let no_button = send(
        &sim,
        &template(
            "order_update",
            "ru",
            json!([
                {"type": "header", "parameters": [{"type": "text", "text": "SKB-4CP"}]},
                {"type": "body", "parameters": [{"type": "text", "text": "Олег"}, {"type": "text", "text": "SKB"}, {"type": "text", "text": "пятницы"}]}
            ]),
        ),
    )
    .await;
    assert_envelope(
        &no_button,
        132000,
        "(#132000) Number of parameters does not match the expected number of params",
        "button at index 0: number of localizable_params (0) does not match the expected number of params (1)",
    );
    let text_for_image = send(
        &sim,
        &template(
            "new_arrivals",
            "es",
            json!([
                {"type": "header", "parameters": [{"type": "text", "text": "foto"}]},
                {"type": "body", "parameters": [{"type": "text", "text": "Lucía"}]}
            ]),
        ),
    )
    .await;
    assert_envelope(
        &text_for_image,
        132012,
        "(#132012) Parameter format does not match format in the created template",
        "header: Format mismatch, expected IMAGE, received TEXT",
    );
    let positional_for_named = send(
        &sim,
        &template(
            "appointment_reminder",
            "en_US",
            json!([{"type": "body", "parameters": [
                {"type": "text", "text": "Jo"}, {"type": "text", "text": "May 12"}, {"type": "text", "text": "10:30"}]}]),
        ),
    )
    .await;
    assert_eq!(positional_for_named.1["error"]["code"], 132012);

    // None of the refused sends was accepted; a correct one is.
    assert!(sim.sent().is_empty());
    let named = send(
        &sim,
        &template(
            "appointment_reminder",
            "en_US",
            json!([{"type": "body", "parameters": [
                {"type": "text", "parameter_name": "time", "text": "10:30"},
                {"type": "text", "parameter_name": "first_name", "text": "Jo"},
                {"type": "text", "parameter_name": "date", "text": "May 12"}]}]),
        ),
    )
    .await;
    assert_eq!(named.0, 200, "{}", named.1);
    assert_eq!(named.1["messages"][0]["message_status"], "accepted");
    assert_eq!(sim.sent().len(), 1);
    sim.shutdown().await;
}

async fn get_json(url: &str) -> (u16, Value) {
    let r = http().get(url).bearer_auth(TOKEN).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn paging_returns_every_template_exactly_once() {
    let sim = Sim::start(config()).await.unwrap();
    let expected: HashSet<(String, String)> = hourglass_sim::catalog::templates()
        .into_iter()
        .map(|e| (e.template.name, e.template.language))
        .collect();
    assert!(expected.len() > 10);
    for limit in [1, 2, 3, 7, 25, 100] {
        let mut url = Some(format!(
            "{}/{V}/{}/message_templates?limit={limit}",
            sim.graph_base_url(),
            sim.config().waba_id
        ));
        let mut seen = Vec::new();
        let mut pages = 0;
        while let Some(u) = url.take() {
            pages += 1;
            assert!(pages <= 100, "paging does not end");
            let (status, page) = get_json(&u).await;
            assert_eq!(status, 200, "{page}");
            let data = page["data"].as_array().unwrap();
            assert!(data.len() <= limit);
            for t in data {
                seen.push((
                    t["name"].as_str().unwrap().to_owned(),
                    t["language"].as_str().unwrap().to_owned(),
                ));
            }
            url = page["paging"]["next"].as_str().map(str::to_owned);
        }
        let unique: HashSet<_> = seen.iter().cloned().collect();
        assert_eq!(
            unique.len(),
            seen.len(),
            "a template came twice at limit {limit}"
        );
        assert_eq!(unique, expected, "limit {limit}");
    }

    let (_, approved) = get_json(&format!(
        "{}/{V}/{}/message_templates?status=APPROVED&limit=100",
        sim.graph_base_url(),
        sim.config().waba_id
    ))
    .await;
    let statuses: HashSet<&str> = approved["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, HashSet::from(["APPROVED"]));
    assert_eq!(
        approved["data"].as_array().unwrap().len(),
        expected.len() - 2
    );

    let (status, bad) = get_json(&format!(
        "{}/{V}/{}/message_templates?limit=0",
        sim.graph_base_url(),
        sim.config().waba_id
    ))
    .await;
    assert_eq!((status, bad["error"]["code"].as_i64()), (400, Some(100)));
    sim.shutdown().await;
}

#[tokio::test]
async fn token_path_and_recipient_are_checked() {
    let sim = Sim::start(config()).await.unwrap();
    let url = format!(
        "{}/{V}/{}/messages",
        sim.graph_base_url(),
        sim.config().phone_number_id
    );
    let text =
        json!({"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "Hi"}});

    let none = http().post(&url).json(&text).send().await.unwrap();
    assert_eq!(none.status().as_u16(), 401);
    let body: Value = none.json().await.unwrap();
    assert_eq!(body["error"]["code"], 190);
    let wrong = http()
        .post(&url)
        .bearer_auth("nope")
        .json(&text)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status().as_u16(), 401);

    for to in ["hello", "+1", "12345", "+34 612 34", "wamid.X"] {
        let mut m = text.clone();
        m["to"] = json!(to);
        let (status, body) = send(&sim, &m).await;
        assert_eq!(
            (status, body["error"]["code"].as_i64()),
            (400, Some(131009)),
            "{to}: {body}"
        );
        assert_eq!(
            body["error"]["message"],
            "(#131009) Parameter value is not valid"
        );
    }
    // Meta normalises formatting; all of these reach the same wa_id.
    for to in ["+34 612 34 56 78", "34612345678", "+34-612-345-678"] {
        let mut m = text.clone();
        m["to"] = json!(to);
        let (status, body) = send(&sim, &m).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["contacts"][0],
            json!({"input": to, "wa_id": "34612345678"})
        );
    }

    let other_number = format!("{}/{V}/999/messages", sim.graph_base_url());
    let r = http()
        .post(other_number)
        .bearer_auth(TOKEN)
        .json(&text)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        (
            body["error"]["code"].as_i64(),
            body["error"]["error_subcode"].as_i64()
        ),
        (Some(100), Some(33))
    );

    let old = format!(
        "{}/latest/{}/messages",
        sim.graph_base_url(),
        sim.config().phone_number_id
    );
    let r = http()
        .post(old)
        .bearer_auth(TOKEN)
        .json(&text)
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], 2500);

    for bad in [
        "{",
        r#"{"messaging_product":"whatsapp","to":"+34612345678","type":"fax"}"#,
        r#"{"messaging_product":"sms","to":"+34612345678","type":"text","text":{"body":"x"}}"#,
    ] {
        let (status, body) = send_raw(&sim, bad).await;
        assert_eq!(
            (status, body["error"]["code"].as_i64()),
            (400, Some(100)),
            "{bad}: {body}"
        );
    }
    let (status, body) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "x".repeat(4097)}}),
    )
    .await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(100)));
    sim.shutdown().await;
}

#[tokio::test]
async fn accepted_requests_are_logged_byte_for_byte() {
    let sim = Sim::start(config()).await.unwrap();
    sim.inbound(Inbound::text(TO, "Hola")).await.unwrap();
    // Odd key order and spacing: the log must keep them.
    let raw = r#"{ "to":"+34612345678", "type":"text","messaging_product":"whatsapp",
        "context": {"message_id": "wamid.QUOTED"}, "text": {"body": "¿Qué tal? 👋", "preview_url": false},
        "biz_opaque_callback_data": "outbox-42" }"#;
    let (status, reply) = send_raw(&sim, raw).await;
    assert_eq!(status, 200, "{reply}");
    let wamid = reply["messages"][0]["id"].as_str().unwrap().to_owned();
    assert!(wamid.starts_with("wamid."));
    assert_eq!(
        reply,
        json!({"messaging_product": "whatsapp",
               "contacts": [{"input": "+34612345678", "wa_id": "34612345678"}],
               "messages": [{"id": wamid}]})
    );

    let r = http()
        .get(format!("{}/_sim/sent", sim.base_url()))
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["seq"], 1);
    assert_eq!(list[0]["wamid"], wamid.as_str());
    assert_eq!(
        list[0]["path"],
        format!("/{V}/{}/messages", sim.config().phone_number_id)
    );
    assert_eq!(
        list[0]["phone_number_id"],
        sim.config().phone_number_id.as_str()
    );
    assert!(text.contains(raw.trim()), "the exact body is not in {text}");
    assert_eq!(sim.sent()[0].body.get(), raw.trim());

    let cleared = http()
        .delete(format!("{}/_sim/sent", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status().as_u16(), 204);
    assert!(sim.sent().is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn media_is_described_then_downloaded_with_the_token() {
    let (sim, relay) = pair(config()).await;
    let msg: Inbound =
        serde_json::from_value(json!({"from": TO, "image": {"caption": "roto"}})).unwrap();
    let receipt = sim.inbound_delivered(msg).await.unwrap();
    assert_eq!(receipt.delivered, Some(true));
    let webhook = relay.message(&receipt.id).unwrap();
    assert_eq!(webhook["type"], "image");
    assert_eq!(webhook["image"]["caption"], "roto");
    let media_id = webhook["image"]["id"].as_str().unwrap();

    let (status, info) = get_json(&format!("{}/{V}/{media_id}", sim.graph_base_url())).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["id"], media_id);
    assert_eq!(info["messaging_product"], "whatsapp");
    assert_eq!(info["mime_type"], webhook["image"]["mime_type"]);
    let url = info["url"].as_str().unwrap();

    let anonymous = http().get(url).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    let file = http().get(url).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(file.status().as_u16(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");
    let bytes = file.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    assert_eq!(info["file_size"], bytes.len());
    assert_eq!(info["sha256"], hex::encode(Sha256::digest(&bytes)));

    let (status, missing) = get_json(&format!("{}/{V}/4242", sim.graph_base_url())).await;
    assert_eq!(
        (status, missing["error"]["code"].as_i64()),
        (400, Some(100))
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn media_ids_expire_and_downloads_can_be_made_to_fail() {
    let sim = Sim::start(config()).await.unwrap();
    let describe = |id: String| {
        let url = format!("{}/{V}/{id}", sim.graph_base_url());
        async move { get_json(&url).await }
    };
    // A voice note is a real Ogg-Opus file.
    let voice: Inbound =
        serde_json::from_value(json!({"from": TO, "audio": {"voice": true}})).unwrap();
    let voice_id = sim.inbound(voice).await.unwrap().media_id.unwrap();
    let (status, info) = describe(voice_id.clone()).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["mime_type"], "audio/ogg; codecs=opus");

    // Download faults answer 500 until cleared, and are counted apart.
    let url = info["url"].as_str().unwrap().to_owned();
    let r = http()
        .post(format!("{}/_sim/media/faults", sim.base_url()))
        .json(&json!({"count": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let get = || http().get(&url).bearer_auth(TOKEN).send();
    assert_eq!(get().await.unwrap().status().as_u16(), 500);
    let r = http()
        .delete(format!("{}/_sim/media/faults", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let file = get().await.unwrap();
    assert_eq!(file.status().as_u16(), 200);
    assert!(file.bytes().await.unwrap().starts_with(b"OggS"));
    assert_eq!(sim.stats().media_downloads, 1);

    // Expired through the control API: Meta's "does not exist" error, and
    // the old download URL stops working too.
    let r = http()
        .post(format!("{}/_sim/media/{voice_id}/expire", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let (status, gone) = describe(voice_id).await;
    assert_eq!(
        (
            status,
            gone["error"]["code"].as_i64(),
            gone["error"]["error_subcode"].as_i64()
        ),
        (400, Some(100), Some(33)),
        "{gone}"
    );
    assert_eq!(get().await.unwrap().status().as_u16(), 404);

    // A photo sent 31 days ago is past Meta's ~30 days.
    let old: Inbound = serde_json::from_value(json!({
        "from": TO, "image": {"caption": "old"},
        "timestamp": chrono_free_now() - 31 * 24 * 3600
    }))
    .unwrap();
    let old_id = sim.inbound(old).await.unwrap().media_id.unwrap();
    assert_eq!(describe(old_id).await.0, 400);
    sim.shutdown().await;
}

/// A multipart body as Meta's upload takes it, built by hand so the test
/// sees exactly the bytes on the wire.
/// One multipart part: its name, an optional (file name, type), its bytes.
type Part = (&'static str, Option<(&'static str, &'static str)>, Vec<u8>);

fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = "hourglass-test-boundary";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some((filename, mime)) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn uploads_are_checked_like_metas_and_then_served() {
    let sim = Sim::start(config()).await.unwrap();
    let cfg = sim.config().clone();
    let url = format!("{}/{V}/{}/media", sim.graph_base_url(), cfg.phone_number_id);
    let upload = |parts: Vec<Part>| {
        let url = url.clone();
        async move {
            let (ct, body) = multipart(&parts);
            let r = http()
                .post(url)
                .bearer_auth(TOKEN)
                .header("content-type", ct)
                .body(body)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let png = b"\x89PNG\r\n\x1a\nnot really".to_vec();
    let (status, ok) = upload(vec![
        ("messaging_product", None, b"whatsapp".to_vec()),
        ("type", None, b"image/png".to_vec()),
        ("file", Some(("shot.png", "image/png")), png.clone()),
    ])
    .await;
    assert_eq!(status, 200, "{ok}");
    let id = ok["id"].as_str().unwrap().to_owned();
    assert_eq!(sim.stats().media_uploads, 1);
    let logged = sim.sent();
    assert_eq!(logged.len(), 1);
    assert!(logged[0].path.ends_with("/media"));
    assert_eq!(logged[0].json()["id"], id.as_str());
    // The uploaded file is described and served like a customer's.
    let (status, info) = get_json(&format!("{}/{V}/{id}", sim.graph_base_url())).await;
    assert_eq!(
        (status, info["mime_type"].as_str()),
        (200, Some("image/png"))
    );
    assert_eq!(info["sha256"], hex::encode(Sha256::digest(&png)));

    // Meta's validation: no messaging_product or file is 100; a format or a
    // size the kind does not take is 131053.
    let (status, e) = upload(vec![("file", Some(("a.png", "image/png")), png.clone())]).await;
    assert_eq!(
        (status, e["error"]["code"].as_i64()),
        (400, Some(100)),
        "{e}"
    );
    let (status, e) = upload(vec![("messaging_product", None, b"whatsapp".to_vec())]).await;
    assert_eq!(
        (status, e["error"]["code"].as_i64()),
        (400, Some(100)),
        "{e}"
    );
    let (status, e) = upload(vec![
        ("messaging_product", None, b"whatsapp".to_vec()),
        ("type", None, b"image/png".to_vec()),
        (
            "file",
            Some(("big.png", "image/png")),
            vec![0u8; 5 * 1024 * 1024 + 1],
        ),
    ])
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_i64()),
        (400, Some(131053)),
        "{e}"
    );
    assert!(
        e["error"]["error_data"]["details"]
            .as_str()
            .unwrap()
            .contains("at most"),
        "{e}"
    );
    let (status, e) = upload(vec![
        ("messaging_product", None, b"whatsapp".to_vec()),
        ("type", None, b"image/webp".to_vec()),
        (
            "file",
            Some(("s.webp", "image/webp")),
            vec![0u8; 600 * 1024],
        ),
    ])
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_i64()),
        (400, Some(131053)),
        "{e}"
    );
    // No token: 190, as everywhere.
    let anonymous = http().post(&url).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(sim.stats().media_uploads, 1);
    sim.shutdown().await;
}

fn chrono_free_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn mark_as_read_knows_which_messages_arrived() {
    let sim = Sim::start(config()).await.unwrap();
    let receipt = sim.inbound(Inbound::text(TO, "Hola")).await.unwrap();
    let (status, body) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "status": "read", "message_id": receipt.id}),
    )
    .await;
    assert_eq!((status, body), (200, json!({"success": true})));
    let (status, body) = send(
        &sim,
        &json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.UNKNOWN"}),
    )
    .await;
    assert_eq!((status, body["error"]["code"].as_i64()), (400, Some(100)));
    assert_eq!(sim.sent().len(), 1);
    assert_eq!(sim.sent()[0].wamid, None);
    sim.shutdown().await;
}

#[tokio::test]
async fn injected_faults_answer_the_next_sends() {
    let sim = Sim::start(config()).await.unwrap();
    let r = http()
        .post(format!("{}/_sim/faults", sim.base_url()))
        .json(&json!({"code": 130429, "count": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    sim.inject_faults(131000, 1);
    let text = json!({"messaging_product": "whatsapp", "to": TO, "type": "template",
        "template": {"name": "hello_world", "language": {"code": "en_US"}}});
    let (status, body) = send(&sim, &text).await;
    assert_eq!(
        (status, body["error"]["code"].as_i64()),
        (429, Some(130429))
    );
    let (status, body) = send(&sim, &text).await;
    assert_eq!(
        (status, body["error"]["code"].as_i64()),
        (500, Some(131000))
    );
    let (status, _) = send(&sim, &text).await;
    assert_eq!(status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn graph_versions_23_to_26_are_answered_and_others_refused_like_meta() {
    let sim = Sim::start(config()).await.unwrap();
    let text =
        json!({"messaging_product": "whatsapp", "to": TO, "type": "text", "text": {"body": "Hi"}});
    let post = |version: &str| {
        let url = format!(
            "{}/{version}/{}/messages",
            sim.graph_base_url(),
            sim.config().phone_number_id
        );
        http().post(url).bearer_auth(TOKEN).json(&text).send()
    };
    for version in ["v23.0", "v24.0", "v25.0", "v26.0", V] {
        let answer = post(version).await.unwrap();
        assert_eq!(answer.status().as_u16(), 200, "{version}");
    }
    for version in ["v22.0", "v27.0"] {
        let answer = post(version).await.unwrap();
        assert_eq!(answer.status().as_u16(), 400, "{version}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"]["code"], 2635, "{version}: {body}");
        assert_eq!(body["error"]["type"], "OAuthException");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(version)),
            "{body}"
        );
    }
    sim.shutdown().await;
}
