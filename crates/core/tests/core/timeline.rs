//! The timeline tells the truth: what a webhook says about a message only
//! shows on the bubble it really belongs to, and failures keep Meta's words.

#![allow(clippy::unwrap_used)]

use hourglass_core::inbox::{Direction, MessageContent};
use hourglass_core::outbox;
use hourglass_core::store::{STATUS_ON_INBOUND, Store};
use hourglass_core::sync::apply_events;
use hourglass_protocol::{Event, EventKind};
use hourglass_whatsapp::graph_error::Refusal;
use serde_json::{Value, json};

const RELAY: &str = "http://relay";

fn webhook(seq: u64, value: Value) -> Event {
    let mut value = value;
    value["messaging_product"] = json!("whatsapp");
    value["metadata"] = json!({ "display_phone_number": "15550783881", "phone_number_id": "pn" });
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: None,
        payload: json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": value }]}]
        }),
    }
}

fn inbound_text(seq: u64, wamid: &str, at: i64, body: &str) -> Event {
    webhook(
        seq,
        json!({
            "contacts": [{"profile": {"name": "Sheena"}, "wa_id": "16505551234"}],
            "messages": [{"from": "16505551234", "id": wamid, "timestamp": at.to_string(),
                          "type": "text", "text": {"body": body}}]
        }),
    )
}

fn failed_status(seq: u64, wamid: &str, code: i64) -> Event {
    webhook(
        seq,
        json!({
            "statuses": [{"id": wamid, "status": "failed", "timestamp": "200",
                          "recipient_id": "16505551234",
                          "errors": [{"code": code, "title": "Rate limit hit",
                                      "message": "Rate limit hit",
                                      "error_data": {"details": "Too many messages"}}]}]
        }),
    )
}

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in_dir(dir.path()).unwrap();
    (dir, store)
}

fn flags(store: &Store, kind: &str) -> Vec<String> {
    store
        .with_connection(|c| {
            let mut stmt = c.prepare("SELECT reason FROM flagged_events WHERE kind = ?1")?;
            let rows = stmt
                .query_map([kind], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap()
}

#[test]
fn a_status_naming_a_customer_message_is_flagged_and_not_shown() {
    let (_d, mut store) = open();
    apply_events(
        &mut store,
        RELAY,
        &[inbound_text(1, "wamid.in", 100, "my parcel?")],
    )
    .unwrap();
    let change = apply_events(&mut store, RELAY, &[failed_status(2, "wamid.in", 130472)]).unwrap();
    let m = store.message_by_wamid("wamid.in").unwrap().unwrap();
    assert_eq!(m.direction, Direction::Inbound);
    assert_eq!(
        m.status, None,
        "the customer's bubble has no delivery state"
    );
    assert!(m.failure.is_none(), "and no failure: {:?}", m.failure);
    assert!(
        !change.messages.contains(&m.id),
        "the window is not told the bubble changed"
    );
    let kept = flags(&store, STATUS_ON_INBOUND);
    assert_eq!(kept.len(), 1, "the status is kept flagged");
    assert!(kept[0].contains("wamid.in"), "{}", kept[0]);
}

#[test]
fn a_status_waiting_for_a_message_that_turns_out_inbound_is_flagged() {
    let (_d, mut store) = open();
    // The status arrives first and waits for its message.
    apply_events(&mut store, RELAY, &[failed_status(1, "wamid.in", 130472)]).unwrap();
    assert!(flags(&store, STATUS_ON_INBOUND).is_empty());
    apply_events(
        &mut store,
        RELAY,
        &[inbound_text(2, "wamid.in", 100, "hello")],
    )
    .unwrap();
    let m = store.message_by_wamid("wamid.in").unwrap().unwrap();
    assert_eq!(m.status, None);
    assert!(m.failure.is_none());
    assert_eq!(flags(&store, STATUS_ON_INBOUND).len(), 1);
}

fn now_s() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A failed status for the send `callback` (an outbox id), as Meta words it.
fn refused(seq: u64, wamid: &str, callback: &str, code: i64, title: &str, details: &str) -> Event {
    webhook(
        seq,
        json!({
            "statuses": [{"id": wamid, "status": "failed", "timestamp": now_s().to_string(),
                          "recipient_id": "16505551234", "biz_opaque_callback_data": callback,
                          "errors": [{"code": code, "title": title, "message": title,
                                      "error_data": {"details": details}}]}]
        }),
    )
}

/// A customer who wrote a minute ago, and a reply queued to them.
fn queued_reply(store: &mut Store) -> hourglass_core::outbox::Queued {
    let at = now_s() - 60;
    apply_events(store, RELAY, &[inbound_text(1, "wamid.in", at, "hello")]).unwrap();
    let conv = store
        .message_by_wamid("wamid.in")
        .unwrap()
        .unwrap()
        .conversation_id;
    outbox::enqueue_text(store, conv, "We are on it", None, now_s() * 1000).unwrap()
}

#[test]
fn a_refusal_hourglass_cannot_word_keeps_metas_words() {
    let (_d, mut store) = open();
    let queued = queued_reply(&mut store);
    let id = queued.outbox_id.clone();
    apply_events(
        &mut store,
        RELAY,
        &[refused(
            2,
            "wamid.out",
            &id.0,
            135_999,
            "Brand new limit",
            "The business has reached a limit introduced this week",
        )],
    )
    .unwrap();
    let info = outbox::info(&store, &id).unwrap();
    assert_eq!(
        info.refusal, None,
        "no kind the window would word over Meta's"
    );
    assert_eq!(
        info.reason.as_deref(),
        Some("The business has reached a limit introduced this week"),
        "Meta's words, not \"a reason Hourglass does not know\""
    );
    let m = store.message(queued.message.id).unwrap();
    let failure = m.failure.unwrap();
    assert_eq!(failure.code, Some(135_999));
    assert_eq!(
        failure.detail.as_deref(),
        Some("The business has reached a limit introduced this week")
    );
}

#[test]
fn an_invalid_recipient_is_not_called_a_bug() {
    let (_d, mut store) = open();
    let queued = queued_reply(&mut store);
    let id = queued.outbox_id.clone();
    apply_events(
        &mut store,
        RELAY,
        &[refused(
            2,
            "wamid.out",
            &id.0,
            131_009,
            "Parameter value is not valid",
            "Recipient phone number is not a valid WhatsApp phone number",
        )],
    )
    .unwrap();
    let info = outbox::info(&store, &id).unwrap();
    assert_eq!(info.refusal, Some(Refusal::InvalidRecipient));
    let reason = info.reason.unwrap();
    assert!(!reason.contains("bug"), "{reason}");
    assert!(reason.contains("not a valid WhatsApp number"), "{reason}");
    let m = store.message(queued.message.id).unwrap();
    assert_eq!(
        m.failure.unwrap().refusal,
        Some(Refusal::InvalidRecipient),
        "the bubble's failure reads the same"
    );
}

fn inbound(seq: u64, message: Value) -> Event {
    webhook(
        seq,
        json!({
            "contacts": [{"profile": {"name": "Sheena"}, "wa_id": "16505551234"}],
            "messages": [message]
        }),
    )
}

#[test]
fn a_call_permission_reply_shows_the_customers_answer() {
    let (_d, mut store) = open();
    let reply = |id: &str, answer: Value| {
        json!({"from": "16505551234", "id": id, "timestamp": "100", "type": "interactive",
               "interactive": {"type": "call_permission_reply", "call_permission_reply": answer}})
    };
    apply_events(
        &mut store,
        RELAY,
        &[
            inbound(
                1,
                reply(
                    "wamid.yes",
                    json!({"response": "accept", "is_permanent": false,
                           "expiration_timestamp": 1_750_604_800, "response_source": "user_action"}),
                ),
            ),
            inbound(
                2,
                reply(
                    "wamid.no",
                    json!({"response": "reject", "response_source": "user_action"}),
                ),
            ),
        ],
    )
    .unwrap();
    let yes = store.message_by_wamid("wamid.yes").unwrap().unwrap();
    assert_eq!(
        yes.content,
        MessageContent::CallPermission {
            response: "accept".into(),
            permanent: false,
            expires_at: Some(1_750_604_800),
        }
    );
    assert!(yes.body.contains("allowed calls"), "{}", yes.body);
    let no = store.message_by_wamid("wamid.no").unwrap().unwrap();
    assert!(matches!(
        no.content,
        MessageContent::CallPermission { ref response, expires_at: None, .. } if response == "reject"
    ));
    assert!(no.body.contains("declined calls"), "{}", no.body);
}

#[test]
fn an_interactive_message_without_body_shows_metas_error() {
    let (_d, mut store) = open();
    apply_events(
        &mut store,
        RELAY,
        &[inbound(
            1,
            json!({"from": "16505551234", "id": "wamid.x", "timestamp": "100", "type": "interactive",
                   "errors": [{"code": 131051, "title": "Message type unknown",
                               "message": "Message type unknown",
                               "error_data": {"details": "Message type is currently not supported."}}]}),
        )],
    )
    .unwrap();
    let m = store.message_by_wamid("wamid.x").unwrap().unwrap();
    assert_eq!(
        m.content,
        MessageContent::MetaError {
            code: Some(131051),
            title: Some("Message type unknown".into()),
            detail: Some("Message type is currently not supported.".into()),
            refusal: Some(hourglass_whatsapp::graph_error::Refusal::UnsupportedType),
        }
    );
    assert_eq!(
        m.body,
        "Message type unknown: Message type is currently not supported."
    );
    // Without Meta's errors it is an interactive message, never one of an
    // empty kind.
    apply_events(
        &mut store,
        RELAY,
        &[inbound(
            2,
            json!({"from": "16505551234", "id": "wamid.y", "timestamp": "101", "type": "interactive"}),
        )],
    )
    .unwrap();
    let m = store.message_by_wamid("wamid.y").unwrap().unwrap();
    assert_eq!(
        m.content,
        MessageContent::Unknown {
            kind: "interactive".into()
        }
    );
}

#[test]
fn a_customer_message_stored_with_a_status_earlier_shows_none() {
    let (_d, mut store) = open();
    apply_events(
        &mut store,
        RELAY,
        &[inbound_text(1, "wamid.in", 100, "hello")],
    )
    .unwrap();
    // What an earlier version wrote when it applied such a status.
    store
        .with_connection(|c| {
            c.execute(
                "UPDATE messages SET status = 'failed', error_code = 130472,
                     error_title = 'User''s number is part of an experiment'
                 WHERE wamid = 'wamid.in'",
                [],
            )?;
            Ok(())
        })
        .unwrap();
    let m = store.message_by_wamid("wamid.in").unwrap().unwrap();
    assert_eq!(m.status, None);
    assert!(m.failure.is_none());
}

mod receipts {
    use hourglass_core::graph::{GraphClient, GraphConfig};
    use hourglass_core::receipt::{ReadReceipts, ReceiptOutcome, ReceiptPolicy};
    use hourglass_core::secrets::Secret;
    use hourglass_sim::{Inbound, Sim, SimConfig, SimHandle};
    use std::time::{Duration, Instant};

    fn client(sim: &SimHandle) -> GraphClient {
        let config = GraphConfig::new(&sim.config().phone_number_id, &sim.config().waba_id)
            .with_base_url(sim.graph_base_url());
        GraphClient::new(config, Secret::new(&sim.config().access_token)).unwrap()
    }

    fn quick(max_attempts: u32) -> ReceiptPolicy {
        ReceiptPolicy {
            first_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(50),
            max_attempts,
        }
    }

    #[tokio::test]
    async fn a_receipt_backs_off_stops_on_a_refusal_and_is_never_sent_twice() {
        let sim = Sim::start(SimConfig::fast()).await.unwrap();
        let graph = client(&sim);
        let hello = sim
            .inbound(Inbound::text("+34612345678", "Hola"))
            .await
            .unwrap();

        // Meta's hiccups and a rate limit pass: retried, with pauses.
        let receipts = ReadReceipts::new(quick(5));
        sim.inject_faults(131_000, 2);
        sim.inject_faults(130_429, 1);
        let started = Instant::now();
        let outcome = receipts.mark(&graph, &hello.id).await;
        assert!(
            matches!(outcome, ReceiptOutcome::Marked { attempts: 4 }),
            "{outcome:?}"
        );
        // 20 + 40 + 50 ms of pauses: backed off, not hammered.
        assert!(started.elapsed() >= Duration::from_millis(110));
        // Asked again (a live update, a focus): Meta is not called again.
        sim.inject_faults(131_000, 1);
        assert!(matches!(
            receipts.mark(&graph, &hello.id).await,
            ReceiptOutcome::Skipped
        ));
        let untouched = graph.mark_read(&hello.id).await.unwrap_err();
        assert_eq!(
            untouched.meta_code(),
            Some(131_000),
            "the fault still waits"
        );

        // A permanent refusal (a 400 that is no rate limit) stops at once,
        // and the same receipt is not tried again.
        let receipts = ReadReceipts::new(quick(5));
        let outcome = receipts.mark(&graph, "wamid.never-received").await;
        assert!(
            matches!(outcome, ReceiptOutcome::Refused { attempts: 1, .. }),
            "{outcome:?}"
        );
        assert!(matches!(
            receipts.mark(&graph, "wamid.never-received").await,
            ReceiptOutcome::Skipped
        ));
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn a_receipt_gives_up_after_the_last_attempt_and_may_be_asked_again() {
        let sim = Sim::start(SimConfig::fast()).await.unwrap();
        let graph = client(&sim);
        let hello = sim
            .inbound(Inbound::text("+34612345678", "Hola"))
            .await
            .unwrap();
        let receipts = ReadReceipts::new(quick(3));
        sim.inject_faults(131_000, 4);
        let outcome = receipts.mark(&graph, &hello.id).await;
        assert!(
            matches!(outcome, ReceiptOutcome::GaveUp { attempts: 3, .. }),
            "{outcome:?}"
        );
        // One fault is left: the next ask retries once and gets through.
        let outcome = receipts.mark(&graph, &hello.id).await;
        assert!(
            matches!(outcome, ReceiptOutcome::Marked { attempts: 2 }),
            "{outcome:?}"
        );
        sim.shutdown().await;
    }
}
