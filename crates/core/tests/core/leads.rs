//! Leads through the real pipeline: the Cloud API simulator posts signed
//! webhooks to a real relay on loopback, the sync engine files them in a
//! real SQLite store, and the lead attribution, the `incoming` list of each
//! inbox change and the notification policy fed from it are checked.

#![allow(clippy::unwrap_used)]

use crate::support::lab;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hourglass_core::inbox::{ConversationSummary, LeadInfo};
use hourglass_core::lead::{LeadCodePattern, LeadSource, ReferralSourceType};
use hourglass_core::notification::{NotificationKind, NotificationPolicy};
use hourglass_core::store::Store;
use hourglass_core::sync::{
    self, ConnectionState, IncomingMessage, SyncConfig, SyncUpdate, apply_events,
};
use hourglass_core::window::{FREE_ENTRY_POINT_SECS, FreeEntryPoint};
use hourglass_protocol::{Event, EventKind, PublishRequest};
use hourglass_relay::RunningRelay;
use hourglass_sim::{Inbound, Referral, ReferralSpec, SimHandle};
use serde_json::json;
use std::sync::atomic::AtomicU64;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

const SECRET: &str = "leads-test-secret";
/// A fixed Meta time, so window rules are checked at exact moments.
const T: i64 = 1_750_000_000;
const H: i64 = 3600;

struct Harness {
    dir: tempfile::TempDir,
    relay: RunningRelay,
    token: String,
    sim: SimHandle,
    http: reqwest::Client,
}

impl Harness {
    async fn start() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let (relay, token) = lab::start_relay(dir.path(), SECRET).await;
        let sim = lab::start_sim(&relay, SECRET).await;
        Harness {
            dir,
            relay,
            token,
            sim,
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.relay.addr())
    }

    /// A connection to the desktop store; several may be open at once.
    fn open_store(&self) -> Arc<Mutex<Store>> {
        let dir = self.dir.path().join("desktop");
        Arc::new(Mutex::new(Store::open_in_dir(&dir).unwrap()))
    }

    fn config(&self) -> SyncConfig {
        let mut c = SyncConfig::new(self.url(), &self.token);
        c.backoff.initial = Duration::from_millis(20);
        c.backoff.max = Duration::from_millis(200);
        c
    }

    /// A customer's message, once the relay has it on disk.
    async fn customer(&self, message: Inbound) -> String {
        let r = self.sim.inbound_delivered(message).await.unwrap();
        assert_eq!(r.delivered, Some(true));
        r.id
    }

    /// What an agent's app publishes after Meta accepted a send.
    async fn outbound(&self, wamid: &str, to: &str, body: &str, sent_at: i64) {
        let res = self
            .http
            .post(format!("{}/v1/events", self.url()))
            .bearer_auth(&self.token)
            .json(&PublishRequest {
                idempotency_key: format!("out:{wamid}"),
                payload: json!({
                    "type": "outbound", "wamid": wamid, "to": to,
                    "phone_number_id": self.sim.config().phone_number_id,
                    "body": body, "sent_at": sent_at, "status": "accepted"
                }),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }

    async fn shutdown(self) {
        self.sim.shutdown().await;
        self.relay.shutdown().await.unwrap();
    }
}

fn count(store: &Arc<Mutex<Store>>, sql: &str) -> i64 {
    store
        .lock()
        .unwrap()
        .with_connection(|c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .unwrap()
}

/// The `incoming` items of every inbox change up to the one that brings
/// the store to `cursor` (the number of events the test put in the log).
async fn incoming_until(
    updates: &mut broadcast::Receiver<SyncUpdate>,
    cursor: u64,
) -> Vec<IncomingMessage> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut out = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let update = tokio::time::timeout(left, updates.recv())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for cursor {cursor}"))
            .unwrap();
        if let SyncUpdate::Inbox(change) = update {
            out.extend(change.incoming);
            if change.cursor >= cursor {
                return out;
            }
        }
    }
}

/// A sync engine whose updates are subscribed to before it starts, so no
/// batch can be missed.
struct Engine {
    updates: broadcast::Receiver<SyncUpdate>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Engine {
    fn start(store: &Arc<Mutex<Store>>, config: SyncConfig) -> Engine {
        let (tx, updates) = broadcast::channel(1024);
        let (state, _) = watch::channel(ConnectionState::Connecting);
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(sync::run(
            Arc::clone(store),
            config,
            tx,
            state,
            stop_rx,
            Arc::new(AtomicU64::new(0)),
        ));
        Engine {
            updates,
            stop,
            task,
        }
    }

    async fn incoming_until(&mut self, cursor: u64) -> Vec<IncomingMessage> {
        incoming_until(&mut self.updates, cursor).await
    }

    async fn shutdown(self) {
        let _ = self.stop.send(true);
        self.task.await.unwrap();
    }
}

fn by_wamid(store: &Arc<Mutex<Store>>, wamid: &str) -> ConversationSummary {
    let s = store.lock().unwrap();
    let m = s.message_by_wamid(wamid).unwrap().unwrap();
    s.conversation(m.conversation_id).unwrap()
}

fn item<'a>(
    store: &Arc<Mutex<Store>>,
    items: &'a [IncomingMessage],
    wamid: &str,
) -> &'a IncomingMessage {
    let id = store
        .lock()
        .unwrap()
        .message_by_wamid(wamid)
        .unwrap()
        .unwrap()
        .id;
    let found: Vec<&IncomingMessage> = items.iter().filter(|i| i.message_id == id).collect();
    assert_eq!(found.len(), 1, "{wamid} listed once: {items:?}");
    found[0]
}

fn winter_ad() -> Inbound {
    let mut m = Inbound::text("+14155550101", "Hi! Are these boots still on sale?")
        .named("Ana")
        .at(T);
    m.referral = Some(ReferralSpec::Custom(Referral {
        headline: Some("Winter boots -30%".into()),
        source_url: Some("https://shop.example.com/ads/winter".into()),
        source_id: Some("120210000000000001".into()),
        source_type: Some("ad".into()),
        ctwa_clid: Some("clid-winter-1".into()),
        ..Referral::default()
    }));
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_messages_are_leads_with_their_source_and_nothing_else_is() {
    let h = Harness::start().await;
    let store = h.open_store();
    let mut engine = Engine::start(&store, h.config());

    // A known customer: the business wrote first (a template), then they answer.
    h.outbound(
        "wamid.tpl-1",
        "+447911000003",
        "Your order shipped",
        T - 2 * H,
    )
    .await;
    let known = h
        .customer(Inbound::text("+447911000003", "Thanks! Code: OLD999").named("Kim"))
        .await;
    let ad = h.customer(winter_ad()).await;
    let coded = h
        .customer(
            Inbound::text("+34612000002", "¡Hola! Código: ABC123, quiero información")
                .named("Luis"),
        )
        .await;
    let again = h
        .customer(Inbound::text("+14155550101", "Also, do you ship to Canada?").named("Ana"))
        .await;
    let plain = h
        .customer(Inbound::text("+5511987650004", "Hello, is anyone there?").named("Rui"))
        .await;
    // Six events in the log: the outbound record and five webhooks.
    let items = engine.incoming_until(6).await;

    // Attribution on the conversations.
    let ana = by_wamid(&store, &ad);
    let lead = ana.lead.clone().unwrap();
    assert_eq!(lead.at, T);
    match lead.source.as_ref().unwrap() {
        LeadSource::Ad {
            source_type,
            headline,
            source_url,
            ctwa_clid,
            ..
        } => {
            assert_eq!(*source_type, ReferralSourceType::Ad);
            assert_eq!(headline.as_deref(), Some("Winter boots -30%"));
            assert_eq!(
                source_url.as_deref(),
                Some("https://shop.example.com/ads/winter")
            );
            assert_eq!(ctwa_clid.as_deref(), Some("clid-winter-1"));
        }
        other => panic!("expected an ad lead, got {other:?}"),
    }
    assert_eq!(
        by_wamid(&store, &again).lead,
        Some(lead.clone()),
        "a second message changes nothing"
    );
    let luis = by_wamid(&store, &coded).lead.unwrap();
    assert_eq!(
        luis.source,
        Some(LeadSource::PartnerCode {
            code: "ABC123".into()
        })
    );
    assert_eq!(
        luis.free_entry_point(luis.at),
        FreeEntryPoint::NotApplicable,
        "only an ad opens a free entry point"
    );
    assert_eq!(
        by_wamid(&store, &known).lead,
        None,
        "a known contact is no lead"
    );
    let rui = by_wamid(&store, &plain).lead.unwrap();
    assert_eq!(
        rui.source, None,
        "a lead without referral or code has no source"
    );

    // What the window and the notifications were told.
    assert_eq!(items.len(), 6, "{items:?}");
    let first = item(&store, &items, &ad);
    assert!(first.is_new_contact && !first.from_us);
    assert_eq!(first.lead, lead.source);
    assert_eq!(first.contact, "Ana");
    assert_eq!(first.preview, "Hi! Are these boots still on sale?");
    let second = item(&store, &items, &again);
    assert!(!second.is_new_contact);
    assert_eq!(second.lead, None);
    let code = item(&store, &items, &coded);
    assert!(code.is_new_contact);
    assert_eq!(code.lead, luis.source);
    let kim = item(&store, &items, &known);
    assert!(!kim.is_new_contact, "they had our template first");
    assert_eq!(kim.lead, None);
    let tpl = item(&store, &items, "wamid.tpl-1");
    assert!(tpl.from_us && !tpl.is_new_contact);
    assert!(item(&store, &items, &plain).is_new_contact);

    // Fed straight into the policy: three leads, nothing for our own
    // message, nothing for messages in chats that are not mine.
    let mut policy = NotificationPolicy::new(Default::default());
    for i in &items {
        let _ = policy.push(i.to_notification(None), 1_000);
    }
    let shown = policy.flush_now();
    let mut titles: Vec<&str> = shown.iter().map(|n| n.summary.as_str()).collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        ["New lead: Ana", "New lead: Luis", "New lead: Rui"],
        "{shown:?}"
    );
    assert!(shown.iter().all(|n| n.kind == NotificationKind::Lead));
    let ana_note = shown.iter().find(|n| n.summary == "New lead: Ana").unwrap();
    assert!(
        ana_note.body.contains("Ad: Winter boots -30%"),
        "{ana_note:?}"
    );

    // A second engine on the same store, from the start of the log under
    // another cursor: every event is a replay, nothing is new.
    let second_store = h.open_store();
    let mut config = h.config();
    config.cursor_key = Some("replay-from-zero".into());
    let mut replayer = Engine::start(&second_store, config);
    let items = replayer.incoming_until(6).await;
    assert!(items.is_empty(), "a replay lists nothing: {items:?}");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM messages"), 6);
    assert_eq!(by_wamid(&store, &ad).lead, Some(lead));
    replayer.shutdown().await;
    engine.shutdown().await;
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partner_code_pattern_comes_from_the_settings() {
    let h = Harness::start().await;
    let store = h.open_store();
    {
        let mut s = store.lock().unwrap();
        assert_eq!(s.lead_code_pattern().unwrap(), LeadCodePattern::default());
        let custom = LeadCodePattern::new(r"(?i)\bpromo\s*#\s*([A-Z0-9]+)").unwrap();
        s.set_lead_code_pattern(Some(&custom)).unwrap();
        assert_eq!(s.lead_code_pattern().unwrap(), custom);
    }
    // The window changes the setting on its own connection; the engine's
    // connection reads it when it files a lead.
    let engine_store = h.open_store();
    let mut engine = Engine::start(&engine_store, h.config());
    let promo = h
        .customer(Inbound::text("+14155550111", "hi, promo #SPRING24 please").named("Eva"))
        .await;
    let default_form = h
        .customer(Inbound::text("+14155550112", "Code: ABC123").named("Noa"))
        .await;
    let items = engine.incoming_until(2).await;
    assert_eq!(
        by_wamid(&store, &promo).lead.unwrap().source,
        Some(LeadSource::PartnerCode {
            code: "SPRING24".into()
        })
    );
    let noa = by_wamid(&store, &default_form).lead.unwrap();
    assert_eq!(noa.source, None, "the default form no longer matches");
    assert!(
        items.len() == 2 && items.iter().all(|i| i.is_new_contact),
        "{items:?}"
    );

    // Back to the default: the default form is recognised again.
    store.lock().unwrap().set_lead_code_pattern(None).unwrap();
    assert_eq!(
        store.lock().unwrap().lead_code_pattern().unwrap(),
        LeadCodePattern::default()
    );
    let ru = h
        .customer(Inbound::text("+79161234567", "Здравствуйте! Код: XYZ789").named("Olga"))
        .await;
    engine.incoming_until(3).await;
    assert_eq!(
        by_wamid(&store, &ru).lead.unwrap().source,
        Some(LeadSource::PartnerCode {
            code: "XYZ789".into()
        })
    );
    engine.shutdown().await;
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_reply_opens_the_free_entry_point_of_an_ad_lead() {
    let h = Harness::start().await;
    let store = h.open_store();
    let mut engine = Engine::start(&store, h.config());
    let ad = h.customer(winter_ad()).await;
    engine.incoming_until(1).await;
    let lead: LeadInfo = by_wamid(&store, &ad).lead.unwrap();
    assert!(lead.from_ad());
    assert_eq!(lead.first_reply_at, None);
    assert_eq!(
        lead.free_entry_point(T + 60),
        FreeEntryPoint::Available {
            reply_by: T + 24 * H
        }
    );

    // Two replies; the first one counts.
    h.outbound(
        "wamid.reply-1",
        "+14155550101",
        "Yes, until Sunday!",
        T + 600,
    )
    .await;
    h.outbound("wamid.reply-2", "+14155550101", "Sizes 36 to 46", T + 900)
        .await;
    engine.incoming_until(3).await;
    let lead = by_wamid(&store, &ad).lead.unwrap();
    assert_eq!(lead.first_reply_at, Some(T + 600));
    let until = T + 600 + FREE_ENTRY_POINT_SECS;
    assert_eq!(
        lead.free_entry_point(T + 700),
        FreeEntryPoint::Open { until }
    );
    assert_eq!(
        lead.free_entry_point(until),
        FreeEntryPoint::Ended { ended_at: until }
    );
    engine.shutdown().await;
    h.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leads_that_arrived_while_offline_become_one_summary() {
    let h = Harness::start().await;
    // Twenty new customers write while the app is closed.
    for i in 0..20 {
        h.customer(
            Inbound::text(format!("+1415555{:04}", 2000 + i), "Code: BURST1")
                .named(format!("Lead {i}")),
        )
        .await;
    }
    let store = h.open_store();
    let mut engine = Engine::start(&store, h.config());
    let items = engine.incoming_until(20).await;
    assert_eq!(items.len(), 20);
    assert!(items.iter().all(|i| i.is_new_contact
        && i.lead
            == Some(LeadSource::PartnerCode {
                code: "BURST1".into()
            })));
    let mut policy = NotificationPolicy::new(Default::default());
    for i in items {
        let _ = policy.push(i.to_notification(None), 5_000);
    }
    let shown = policy.flush_now();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].kind, NotificationKind::Summary);
    assert_eq!(shown[0].summary, "20 new leads");
    assert!(shown[0].all_leads);
    let leads = store
        .lock()
        .unwrap()
        .list_conversations(100)
        .unwrap()
        .into_iter()
        .filter(|c| c.lead.is_some())
        .count();
    assert_eq!(leads, 20);
    engine.shutdown().await;
    h.shutdown().await;
}

/// Applies webhook events straight to a store (no network), for the
/// contact-merge case the simulator cannot produce.
fn inbound_event(seq: u64, contact: serde_json::Value, message: serde_json::Value) -> Event {
    Event {
        seq,
        kind: EventKind::Webhook,
        dedupe_key: format!("k{seq}"),
        received_at_ms: 1_000 * seq as i64,
        agent: None,
        payload: json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "waba", "changes": [{ "field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": { "display_phone_number": "15550783881", "phone_number_id": "pn" },
                "contacts": [contact],
                "messages": [message]
            }}]}]
        }),
    }
}

#[test]
fn when_two_contacts_turn_out_to_be_one_person_the_earlier_lead_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_dir(dir.path()).unwrap();
    // Seen first by number with a partner code, then by user id only with
    // an ad, then with both: one person, whose first message was the code.
    let by_number = inbound_event(
        1,
        json!({"wa_id": "16505551234"}),
        json!({"from": "16505551234", "id": "wamid.1", "timestamp": T.to_string(),
               "type": "text", "text": {"body": "Code: EARLY1"}}),
    );
    let by_user = inbound_event(
        2,
        json!({"user_id": "US.77"}),
        json!({"from_user_id": "US.77", "id": "wamid.2", "timestamp": (T + 20).to_string(),
               "type": "text", "text": {"body": "hi"},
               "referral": {"source_type": "ad", "headline": "Spring"}}),
    );
    let both = inbound_event(
        3,
        json!({"wa_id": "16505551234", "user_id": "US.77"}),
        json!({"from": "16505551234", "from_user_id": "US.77", "id": "wamid.3",
               "timestamp": (T + 40).to_string(), "type": "text", "text": {"body": "me"}}),
    );
    let applied = apply_events(&mut store, "relay", &[by_number, by_user, both]).unwrap();
    let new: Vec<bool> = applied.incoming.iter().map(|a| a.is_new_contact).collect();
    assert_eq!(new, [true, true, false]);
    let list = store.list_conversations(10).unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let lead = list[0].lead.clone().unwrap();
    assert_eq!(lead.at, T);
    assert_eq!(
        lead.source,
        Some(LeadSource::PartnerCode {
            code: "EARLY1".into()
        })
    );
}
