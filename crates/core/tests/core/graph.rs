//! The Cloud API client against the real simulator over loopback HTTP: every
//! call, template paging, Meta's errors typed, and each way the network can
//! fail.

#![allow(clippy::unwrap_used)]

use hourglass_core::problem::ErrorCode;
use std::collections::HashSet;
use std::time::Duration;

use hourglass_core::graph::{
    API_VERSION, GraphClient, GraphConfig, GraphError, SendOptions, TransportKind,
};
use hourglass_core::secrets::Secret;
use hourglass_sim::{Inbound, Sim, SimConfig, SimHandle};
use hourglass_whatsapp::graph_error::{ErrorClass, RetryAdvice, TemplateFault};
use hourglass_whatsapp::send::{Parameter, SendComponent, TemplatePayload};
use serde_json::{Value, json};

const CUSTOMER: &str = "+34612345678";

fn config_for(sim: &SimHandle) -> GraphConfig {
    GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
        .with_base_url(sim.graph_base_url())
}

fn client(sim: &SimHandle) -> GraphClient {
    GraphClient::new(config_for(sim), Secret::new(&sim.config().access_token)).unwrap()
}

/// `GET /_sim/sent` as any HTTP client sees it.
async fn sent_over_http(sim: &SimHandle) -> Vec<Value> {
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let answer = http
        .get(format!("{}/_sim/sent", sim.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    answer.json().await.unwrap()
}

fn appointment_reminder() -> TemplatePayload {
    TemplatePayload::new("appointment_reminder", "en_US").component(SendComponent::body(vec![
        Parameter::named_text("first_name", "Jo"),
        Parameter::named_text("date", "May 12"),
        Parameter::named_text("time", "10:30"),
    ]))
}

#[tokio::test]
async fn every_call_succeeds_and_sends_exactly_metas_json() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let graph = client(&sim);

    let phone = graph.check_phone_number().await.unwrap();
    assert_eq!(phone.id, sim.config().phone_number_id);
    assert_eq!(
        phone.display_phone_number.as_deref(),
        Some(format!("+{}", sim.config().display_phone_number).as_str())
    );
    assert!(graph.check_waba().await.unwrap().has_templates);

    let hello = sim.inbound(Inbound::text(CUSTOMER, "Hola")).await.unwrap();
    let text = graph
        .send_text(
            CUSTOMER,
            "Hi! How can we help?",
            &SendOptions {
                reply_to: Some(hello.id.clone()),
                callback_data: Some("outbox-1".to_owned()),
            },
        )
        .await
        .unwrap();
    let text_wamid = text.wamid().unwrap().to_owned();
    assert_eq!(text.contacts[0].input, CUSTOMER);
    assert_eq!(text.contacts[0].wa_id, "34612345678");

    let template = graph
        .send_template(CUSTOMER, appointment_reminder(), &SendOptions::default())
        .await
        .unwrap();
    assert_eq!(
        template.messages[0].message_status.as_deref(),
        Some("accepted")
    );
    graph.mark_read(&hello.id).await.unwrap();

    let sent = sent_over_http(&sim).await;
    let path = format!("/{API_VERSION}/{}/messages", sim.config().phone_number_id);
    assert_eq!(sent.len(), 3, "{sent:#?}");
    for request in &sent {
        assert_eq!(request["method"], "POST");
        assert_eq!(request["path"], path.as_str());
    }
    assert_eq!(sent[0]["wamid"], text_wamid.as_str());
    assert_eq!(
        sent[0]["body"],
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": CUSTOMER,
               "context": {"message_id": hello.id}, "biz_opaque_callback_data": "outbox-1",
               "type": "text", "text": {"preview_url": false, "body": "Hi! How can we help?"}})
    );
    assert_eq!(sent[1]["wamid"], template.wamid().unwrap());
    assert_eq!(
        sent[1]["body"],
        json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": CUSTOMER,
               "type": "template", "template": {"name": "appointment_reminder", "language": {"code": "en_US"},
               "components": [{"type": "body", "parameters": [
                   {"type": "text", "parameter_name": "first_name", "text": "Jo"},
                   {"type": "text", "parameter_name": "date", "text": "May 12"},
                   {"type": "text", "parameter_name": "time", "text": "10:30"}]}]}})
    );
    assert_eq!(
        sent[2]["body"],
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": hello.id})
    );
    assert!(sent[2].get("wamid").is_none());
    sim.shutdown().await;
}

#[tokio::test]
async fn template_paging_returns_every_template_exactly_once() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let catalog = hourglass_sim::catalog::templates();
    let expected: HashSet<(String, String)> = catalog
        .iter()
        .map(|e| (e.template.name.clone(), e.template.language.clone()))
        .collect();
    assert!(expected.len() > 10);
    for page_size in [1, 3, 7, 100] {
        let mut config = config_for(&sim);
        config.template_page_size = page_size;
        let graph = GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap();
        let listing = graph.list_templates().await.unwrap();
        let keys: Vec<(String, String)> = listing
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.language.clone()))
            .collect();
        assert_eq!(keys.len(), catalog.len(), "page size {page_size}");
        assert_eq!(keys.iter().cloned().collect::<HashSet<_>>(), expected);
        assert!(listing.unreadable.is_empty(), "{:?}", listing.unreadable);
        assert_eq!(
            listing.pages,
            catalog.len().div_ceil(page_size as usize),
            "page size {page_size}"
        );
        // Meta's order is kept.
        let catalog_order: Vec<(String, String)> = catalog
            .iter()
            .map(|e| (e.template.name.clone(), e.template.language.clone()))
            .collect();
        assert_eq!(keys, catalog_order);
    }
    sim.shutdown().await;
}

fn api_parts(error: &GraphError) -> (i64, ErrorClass, u16) {
    match error {
        GraphError::Api {
            envelope,
            class,
            status,
        } => (envelope.error.code, *class, *status),
        other => panic!("expected Meta's error envelope, got {other:?}"),
    }
}

#[tokio::test]
async fn template_errors_come_back_typed() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let graph = client(&sim);
    let none = SendOptions::default();

    let missing = graph
        .send_template(
            CUSTOMER,
            TemplatePayload::new("order_status", "en_US"),
            &none,
        )
        .await
        .unwrap_err();
    assert_eq!(
        api_parts(&missing),
        (132001, ErrorClass::Template(TemplateFault::Missing), 400)
    );
    assert_eq!(missing.code(), ErrorCode::GraphTemplate);
    assert!(missing.to_string().contains("132001"), "{missing}");
    assert!(
        missing
            .to_string()
            .contains("template name (order_status) does not exist in en_US"),
        "{missing}"
    );

    let too_few = graph
        .send_template(
            CUSTOMER,
            TemplatePayload::new("appointment_reminder", "en_US").component(SendComponent::body(
                vec![Parameter::named_text("first_name", "Jo")],
            )),
            &none,
        )
        .await
        .unwrap_err();
    assert_eq!(
        api_parts(&too_few),
        (132000, ErrorClass::Template(TemplateFault::ParamCount), 400)
    );

    let positional_for_named = graph
        .send_template(
            CUSTOMER,
            TemplatePayload::new("appointment_reminder", "en_US").component(SendComponent::body(
                vec![
                    Parameter::text("Jo"),
                    Parameter::text("May 12"),
                    Parameter::text("10:30"),
                ],
            )),
            &none,
        )
        .await
        .unwrap_err();
    assert_eq!(
        api_parts(&positional_for_named),
        (
            132012,
            ErrorClass::Template(TemplateFault::ParamFormat),
            400
        )
    );
    assert!(
        positional_for_named
            .class()
            .unwrap()
            .needs_template_resync()
    );
    assert_eq!(positional_for_named.retry(), RetryAdvice::Never);
    assert!(sim.sent().is_empty(), "nothing refused was accepted");
    sim.shutdown().await;
}

#[tokio::test]
async fn injected_rate_limits_advise_back_off() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let graph = client(&sim);
    sim.inbound(Inbound::text(CUSTOMER, "Hola")).await.unwrap();
    sim.inject_faults(131056, 1);
    sim.inject_faults(131000, 1);
    let pair = graph
        .send_text(CUSTOMER, "one", &SendOptions::default())
        .await
        .unwrap_err();
    assert_eq!(pair.class(), Some(ErrorClass::PairRateLimit));
    assert_eq!(pair.retry(), RetryAdvice::BackOffRecipient);
    let transient = graph
        .send_text(CUSTOMER, "two", &SendOptions::default())
        .await
        .unwrap_err();
    assert_eq!(transient.code(), ErrorCode::GraphTransient);
    assert_eq!(transient.retry(), RetryAdvice::RetrySoon);
    graph
        .send_text(CUSTOMER, "three", &SendOptions::default())
        .await
        .unwrap();
    sim.shutdown().await;
}

#[tokio::test]
async fn a_wrong_token_is_190_token_invalid() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let wrong = "EAAG-revoked-token-0123456789";
    let graph = GraphClient::new(config_for(&sim), Secret::new(wrong)).unwrap();

    for error in [
        graph.check_phone_number().await.unwrap_err(),
        graph.check_waba().await.map(|_| ()).unwrap_err(),
        graph.list_templates().await.map(|_| ()).unwrap_err(),
        graph
            .send_text(CUSTOMER, "hi", &SendOptions::default())
            .await
            .map(|_| ())
            .unwrap_err(),
    ] {
        let (code, class, status) = api_parts(&error);
        assert_eq!((code, class, status), (190, ErrorClass::TokenInvalid, 401));
        assert_eq!(error.code(), ErrorCode::GraphTokenInvalid);
        assert_eq!(
            error.to_string(),
            "The access token has expired or was revoked (190). Create a new token in Meta \
             Business Settings → System users and paste it in Settings → Connection."
        );
        assert!(!format!("{error:?}").contains(wrong));
    }
    assert!(!format!("{graph:?}").contains(wrong));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_wrong_phone_number_id_points_at_the_settings() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let mut config = config_for(&sim);
    config.phone_number_id = "999999999".to_owned();
    let graph = GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap();
    let error = graph.check_phone_number().await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::GraphUnknownObject);
    assert!(
        error.to_string().contains("Check the phone number ID"),
        "{error}"
    );
    sim.shutdown().await;
}

fn transport_kind(error: &GraphError) -> TransportKind {
    match error {
        GraphError::Transport { kind, .. } => *kind,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_closed_port_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let graph = GraphClient::new(
        GraphConfig::new("1", "2").with_base_url(format!("http://127.0.0.1:{port}")),
        Secret::new("EAAG-closed-port"),
    )
    .unwrap();
    let error = graph.check_phone_number().await.unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::Connect, "{error:?}");
    assert_eq!(error.code(), ErrorCode::GraphConnect);
    assert_eq!(error.retry(), RetryAdvice::RetrySoon);
    let text = error.to_string();
    assert!(
        text.starts_with(&format!("Could not connect to 127.0.0.1:{port}")),
        "{text}"
    );
    assert!(
        !text.contains(&format!("/{API_VERSION}")),
        "no URL in messages: {text}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_is_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts connections and holds them open without a word.
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let mut config = GraphConfig::new("1", "2").with_base_url(format!("http://{addr}"));
    config.request_timeout = Duration::from_millis(300);
    let graph = GraphClient::new(config, Secret::new("EAAG-silent")).unwrap();
    let error = graph.check_waba().await.unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::Timeout, "{error:?}");
    assert_eq!(error.code(), ErrorCode::GraphTimeout);
    silent.abort();
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_tls_error() {
    let sim = Sim::start(SimConfig::fast()).await.unwrap();
    let config = config_for(&sim).with_base_url(format!("https://{}", sim.local_addr()));
    let graph = GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap();
    let error = graph.check_phone_number().await.unwrap_err();
    assert_eq!(transport_kind(&error), TransportKind::Tls, "{error:?}");
    assert_eq!(error.code(), ErrorCode::GraphTls);
    assert_eq!(error.retry(), RetryAdvice::Never);
    assert!(error.to_string().contains("secure connection"), "{error}");
    sim.shutdown().await;
}

/// The media id a customer's image got, read back through a real relay the
/// way the desktop learns it.
async fn customer_image(sim: &SimHandle, relay_url: &str, agent_token: &str) -> String {
    let receipt = sim
        .inbound_delivered(
            serde_json::from_value(json!({"from": CUSTOMER, "image": {"caption": "broken part"}}))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(receipt.delivered, Some(true));
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let page: hourglass_protocol::EventPage = http
        .get(format!("{relay_url}/v1/events"))
        .bearer_auth(agent_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    page.events
        .iter()
        .map(|e| &e.payload["entry"][0]["changes"][0]["value"]["messages"][0])
        .find(|m| m["id"] == receipt.id.as_str())
        .and_then(|m| m["image"]["id"].as_str())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn media_is_described_then_downloaded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let relay = hourglass_relay::Relay::open(hourglass_relay::Config::new(
        dir.path().join("relay.db"),
        "media-app-secret",
        "media-verify",
    ))
    .unwrap();
    let agent = relay.add_agent("ana").unwrap();
    let relay = relay.start("127.0.0.1:0").await.unwrap();
    let sim = Sim::start(SimConfig {
        app_secret: "media-app-secret".to_owned(),
        ..SimConfig::fast().with_relay(relay.url())
    })
    .await
    .unwrap();
    let graph = client(&sim);
    let media_id = customer_image(&sim, &relay.url(), agent.expose()).await;

    let media = graph.fetch_media(&media_id).await.unwrap();
    assert_eq!(media.info.id, media_id);
    assert_eq!(media.info.mime_type, "image/png");
    assert!(media.bytes.starts_with(b"\x89PNG"));
    assert_eq!(media.info.file_size, Some(media.bytes.len() as u64));

    // A URL older than five minutes no longer works, as with Meta.
    let mut stale = media.info.clone();
    let issued = stale
        .url
        .split("ext=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap()
        .to_owned();
    let old = issued.parse::<i64>().unwrap() - 301;
    stale.url = stale
        .url
        .replace(&format!("ext={issued}"), &format!("ext={old}"));
    let expired = graph.download_media(&stale).await.unwrap_err();
    assert!(
        matches!(expired, GraphError::Http { status: 404, .. }),
        "{expired:?}"
    );

    // A file that does not match its description is refused.
    let mut wrong = media.info.clone();
    wrong.sha256 = Some("00".repeat(32));
    let mismatch = graph.download_media(&wrong).await.unwrap_err();
    assert_eq!(mismatch.code(), ErrorCode::GraphMediaMismatch);

    // The token is never sent to another host over plain http.
    let mut foreign = media.info.clone();
    foreign.url = "http://media.example/file".to_owned();
    assert_eq!(
        graph.download_media(&foreign).await.unwrap_err().code(),
        ErrorCode::GraphForeignUrl
    );

    let unknown = graph.media_info("4242").await.unwrap_err();
    assert_eq!(unknown.meta_code(), Some(100));
    sim.shutdown().await;
    relay.shutdown().await.unwrap();
}
