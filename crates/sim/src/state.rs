//! The simulator's shared state: customers, known messages, media, the log of
//! accepted requests, and the queue of webhooks to post.
//!
//! One `std::sync::Mutex` guards the mutable part; it is never held across an
//! `.await`, so handlers stay short and the lock cannot deadlock a task.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};

use crate::config::SimConfig;
use crate::customer::{self, Content, Customer, Inbound, Language};
use crate::envelope::{Business, Contact, Update};
use crate::ids;
use crate::media::{MediaFile, MediaKind};
use crate::recipient::Recipient;

/// Most messages and media files remembered; the oldest are forgotten first.
const MAX_MESSAGES: usize = 200_000;
const MAX_MEDIA: usize = 10_000;

/// The number as the Graph API describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountState {
    pub quality_rating: String,
    pub messaging_tier: String,
    /// The last entry `time` given to an account webhook.
    #[serde(skip)]
    last_time: i64,
}

impl Default for AccountState {
    fn default() -> Self {
        AccountState {
            quality_rating: "GREEN".to_owned(),
            messaging_tier: "TIER_2K".to_owned(),
            last_time: 0,
        }
    }
}

impl AccountState {
    /// Now, or one second after the last account webhook.
    pub(crate) fn next_time(&mut self) -> i64 {
        self.last_time = now_unix().max(self.last_time + 1);
        self.last_time
    }
}

/// Unix seconds now. The simulator, like Meta, stamps with wall-clock time.
pub(crate) fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// One request the fake Graph API accepted, as `GET /_sim/sent` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SentRequest {
    /// 1, 2, 3, … in order of acceptance.
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub phone_number_id: String,
    /// The wamid given to a message; absent for mark-as-read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wamid: Option<String>,
    /// Unix milliseconds when accepted.
    pub accepted_at_ms: i64,
    /// The request body exactly as received.
    pub body: Box<RawValue>,
}

impl SentRequest {
    /// The body parsed, for assertions.
    pub fn json(&self) -> Value {
        serde_json::from_str(self.body.get()).unwrap_or(Value::Null)
    }
}

/// Who a known wamid belongs to.
#[derive(Debug, Clone)]
pub(crate) struct MessageRecord {
    pub wa_id: String,
    /// Sent by the customer (true) or by the business (false).
    pub inbound: bool,
}

/// Counters of webhook delivery, as `GET /_sim/stats` shows them.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    pub updates: AtomicU64,
    pub posts: AtomicU64,
    pub acknowledged: AtomicU64,
    pub failed_attempts: AtomicU64,
    pub dropped: AtomicU64,
    pub duplicates: AtomicU64,
    pub undeliverable_no_relay: AtomicU64,
    pub media_downloads: AtomicU64,
    pub media_uploads: AtomicU64,
}

/// A point-in-time copy of the delivery counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatsSnapshot {
    /// Updates (messages and statuses) queued for delivery.
    pub updates: u64,
    /// POSTs made, retries and duplicates included.
    pub posts: u64,
    /// POSTs the relay answered 200.
    pub acknowledged: u64,
    /// Attempts that got another status, or no answer.
    pub failed_attempts: u64,
    /// POSTs given up after the last attempt.
    pub dropped: u64,
    /// POSTs made twice on purpose.
    pub duplicates: u64,
    /// Updates generated while no relay URL was set.
    pub no_relay: u64,
    /// Media files served (download URLs answered with the bytes).
    pub media_downloads: u64,
    /// Media files accepted by `POST /{phone-number-id}/media`.
    pub media_uploads: u64,
}

impl Stats {
    pub fn snapshot(&self) -> StatsSnapshot {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        StatsSnapshot {
            updates: get(&self.updates),
            posts: get(&self.posts),
            acknowledged: get(&self.acknowledged),
            failed_attempts: get(&self.failed_attempts),
            dropped: get(&self.dropped),
            duplicates: get(&self.duplicates),
            no_relay: get(&self.undeliverable_no_relay),
            media_downloads: get(&self.media_downloads),
            media_uploads: get(&self.media_uploads),
        }
    }
}

/// An update waiting for its POST; `ack` learns whether the relay took it.
pub(crate) struct Queued {
    pub update: Update,
    pub ack: Option<oneshot::Sender<bool>>,
}

pub(crate) struct Inner {
    pub rng: StdRng,
    pub customers: HashMap<String, Customer>,
    pub sent: VecDeque<SentRequest>,
    pub next_sent_seq: u64,
    pub messages: HashMap<String, MessageRecord>,
    message_order: VecDeque<String>,
    pub media: HashMap<String, MediaFile>,
    media_order: VecDeque<String>,
    /// Graph error codes the next sends answer with (`POST /_sim/faults`).
    pub faults: VecDeque<i64>,
    /// How many of the next media downloads answer HTTP 500
    /// (`POST /_sim/media/faults`).
    pub media_faults: u32,
    pub scenario_tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Customers (wa_id) the business blocked (`POST …/block_users`).
    pub blocked: std::collections::BTreeSet<String>,
    /// Customers (`wa_id`) whose conversation Meta's AI agent answers.
    pub ai_owned: std::collections::HashSet<String>,
    /// The template catalogue; `POST /_sim/template-status` changes it.
    pub templates: Vec<crate::catalog::CatalogEntry>,
    /// The number's health (`POST /_sim/account`).
    pub account: AccountState,
}

impl Inner {
    pub fn remember_message(&mut self, wamid: &str, record: MessageRecord) {
        if self.messages.insert(wamid.to_owned(), record).is_none() {
            self.message_order.push_back(wamid.to_owned());
        }
        while self.message_order.len() > MAX_MESSAGES {
            if let Some(old) = self.message_order.pop_front() {
                self.messages.remove(&old);
            }
        }
    }

    pub fn remember_media(&mut self, id: &str, file: MediaFile) {
        self.media.insert(id.to_owned(), file);
        self.media_order.push_back(id.to_owned());
        while self.media_order.len() > MAX_MEDIA {
            if let Some(old) = self.media_order.pop_front() {
                self.media.remove(&old);
            }
        }
    }

    /// The customer with this number, created (with a made-up or given
    /// name) if new.
    pub fn customer(&mut self, recipient: &Recipient, name: Option<&str>) -> &mut Customer {
        let language = Language::for_country(&recipient.country);
        let made_up = customer::random_name(&mut self.rng, language);
        let c = self
            .customers
            .entry(recipient.wa_id.clone())
            .or_insert_with(|| Customer {
                wa_id: recipient.wa_id.clone(),
                name: name.map_or(made_up, str::to_owned),
                user_id: ids::user_id(&recipient.country, &recipient.wa_id),
                username: None,
                language,
                last_inbound: None,
                referral_at: None,
                first_reply_at: None,
            });
        if let Some(n) = name {
            n.clone_into(&mut c.name);
        }
        c
    }
}

pub(crate) struct SimState {
    pub config: SimConfig,
    pub business: Business,
    pub base_url: String,
    pub relay_url: RwLock<Option<String>>,
    pub http: reqwest::Client,
    pub stats: Stats,
    pub shutdown: watch::Receiver<bool>,
    queue: mpsc::Sender<Queued>,
    inner: Mutex<Inner>,
}

/// What `POST /_sim/inbound` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboundReceipt {
    /// The wamid of the customer's message.
    pub id: String,
    /// The customer's number (kept by the simulator even when the webhook
    /// hides it).
    pub wa_id: String,
    /// The customer's business-scoped user id, as the webhook names them.
    pub user_id: String,
    /// Meta timestamp as put in the webhook (Unix seconds).
    pub timestamp: i64,
    /// The media id of an image, video, audio, document or sticker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    /// Whether the relay answered 200, when the caller waited for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered: Option<bool>,
}

/// Why an inbound message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboundError {
    #[error("`from` is not a valid phone number: {0:?}")]
    BadNumber(String),
    #[error("a message needs `from` (a number) or `username`")]
    NoSender,
    #[error("the simulator is shutting down")]
    ShuttingDown,
    /// The business blocked this customer: WhatsApp does not let them write.
    #[error("the business blocked {0}: WhatsApp does not deliver their messages")]
    Blocked(String),
}

impl SimState {
    pub fn new(
        config: SimConfig,
        base_url: String,
        queue: mpsc::Sender<Queued>,
        shutdown: watch::Receiver<bool>,
    ) -> Result<Arc<Self>, reqwest::Error> {
        let http = reqwest::Client::builder()
            // Webhooks go to loopback or a configured relay, never through a proxy.
            .no_proxy()
            .user_agent("facebookexternalua")
            .timeout(config.delivery.request_timeout)
            .build()?;
        let business = Business {
            waba_id: config.waba_id.clone(),
            display_phone_number: config.display_phone_number.clone(),
            phone_number_id: config.phone_number_id.clone(),
        };
        let inner = Inner {
            rng: StdRng::seed_from_u64(config.seed),
            customers: HashMap::new(),
            sent: VecDeque::new(),
            next_sent_seq: 1,
            messages: HashMap::new(),
            message_order: VecDeque::new(),
            media: HashMap::new(),
            media_order: VecDeque::new(),
            faults: VecDeque::new(),
            media_faults: 0,
            scenario_tasks: Vec::new(),
            blocked: std::collections::BTreeSet::new(),
            ai_owned: std::collections::HashSet::new(),
            templates: crate::catalog::templates(),
            account: AccountState::default(),
        };
        Ok(Arc::new(Self {
            relay_url: RwLock::new(config.relay_url.clone()),
            config,
            business,
            base_url,
            http,
            stats: Stats::default(),
            shutdown,
            queue,
            inner: Mutex::new(inner),
        }))
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep going.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn relay_url(&self) -> Option<String> {
        self.relay_url.read().map_or(None, |r| r.clone())
    }

    pub fn is_shutting_down(&self) -> bool {
        *self.shutdown.borrow()
    }

    /// Stretches `base` by the configured jitter.
    pub fn jittered(&self, base: Duration) -> Duration {
        let jitter = self.config.timing.jitter.max(0.0);
        if jitter == 0.0 {
            return base;
        }
        let factor = 1.0 + self.lock().rng.random_range(0.0..=jitter);
        base.mul_f64(factor)
    }

    pub fn chance(&self, p: f64) -> bool {
        p > 0.0 && (p >= 1.0 || self.lock().rng.random_bool(p))
    }

    /// Sleeps, or returns false at once if the simulator shuts down meanwhile.
    pub async fn sleep(&self, d: Duration) -> bool {
        let mut shutdown = self.shutdown.clone();
        tokio::select! {
            _ = tokio::time::sleep(d) => !self.is_shutting_down(),
            _ = shutdown.wait_for(|down| *down) => false,
        }
    }

    /// Queues an update for the relay. Waits while the queue is full, so a
    /// slow relay slows producers instead of growing memory.
    pub async fn enqueue(&self, update: Update, ack: Option<oneshot::Sender<bool>>) -> bool {
        self.stats.updates.fetch_add(1, Ordering::Relaxed);
        self.queue.send(Queued { update, ack }).await.is_ok()
    }

    /// A customer writes in: records it, and queues the webhook.
    pub async fn receive(
        &self,
        inbound: Inbound,
        wait: bool,
    ) -> Result<InboundReceipt, InboundError> {
        if self.is_shutting_down() {
            return Err(InboundError::ShuttingDown);
        }
        let (recipient, hide_number) = sender(&inbound)?;
        let now = now_unix();
        let timestamp = inbound.timestamp.unwrap_or(now);
        let (contact, message, receipt) = {
            let mut inner = self.lock();
            if inner.blocked.contains(&recipient.wa_id) {
                return Err(InboundError::Blocked(recipient.wa_id));
            }
            let wamid = ids::wamid(&mut inner.rng, &recipient.wa_id);
            let context = inbound.reply_to.as_ref().map(|id| {
                // Quoting a customer's message names its author; anything
                // else was written by the business.
                let from = match inner.messages.get(id) {
                    Some(m) if m.inbound => m.wa_id.clone(),
                    _ => self.business.display_phone_number.clone(),
                };
                json!({"from": from, "id": id})
            });
            let media = self.media_for(&mut inner, &inbound.content, timestamp);
            // A new customer who writes by username only gets no made-up
            // profile name: the inbox knows them by their username.
            let unnamed = hide_number
                && inbound.username.is_some()
                && !inner.customers.contains_key(&recipient.wa_id);
            let name = inbound.name.as_deref().or(unnamed.then_some(""));
            let customer = inner.customer(&recipient, name);
            if let Some(u) = username_of(&inbound) {
                customer.username = Some(u);
            }
            customer.last_inbound = Some(
                customer
                    .last_inbound
                    .map_or(timestamp, |t| t.max(timestamp)),
            );
            let referral = inbound.referral.as_ref().and_then(|r| r.to_json());
            if referral.is_some() {
                customer.referral_at = Some(timestamp);
            }
            let contact = Contact {
                name: customer.name.clone(),
                wa_id: customer.wa_id.clone(),
                user_id: customer.user_id.clone(),
                username: customer.username.clone(),
                hide_number,
            };
            let mut message = json!({
                "from_user_id": contact.user_id,
                "id": wamid,
                "timestamp": timestamp.to_string(),
            });
            if !hide_number {
                message["from"] = json!(recipient.wa_id);
            }
            let (kind, payload, extra) =
                content_json(&inbound.content, media.as_ref(), &recipient.wa_id);
            if let Some(obj) = message.as_object_mut() {
                obj.insert("type".into(), Value::String(kind.to_owned()));
                if let Some(p) = payload {
                    obj.insert(kind.to_owned(), p);
                }
                for (k, v) in extra {
                    obj.insert(k.to_owned(), v);
                }
                if let Some(c) = context {
                    obj.insert("context".into(), c);
                }
                if let Some(r) = referral {
                    obj.insert("referral".into(), r);
                }
            }
            inner.remember_message(
                &wamid,
                MessageRecord {
                    wa_id: recipient.wa_id.clone(),
                    inbound: true,
                },
            );
            let receipt = InboundReceipt {
                id: wamid,
                wa_id: recipient.wa_id.clone(),
                user_id: contact.user_id.clone(),
                timestamp,
                media_id: media.as_ref().map(|(id, _)| id.clone()),
                delivered: None,
            };
            (contact, message, receipt)
        };
        let (tx, rx) = if wait {
            let (tx, rx) = oneshot::channel();
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        if !self.enqueue(Update::Message { contact, message }, tx).await {
            return Err(InboundError::ShuttingDown);
        }
        let mut receipt = receipt;
        if let Some(rx) = rx {
            // Bounded by the delivery policy's attempts; a closed channel
            // (shutdown) counts as not delivered.
            receipt.delivered = Some(rx.await.unwrap_or(false));
        }
        Ok(receipt)
    }

    /// Generates and stores the file a media message refers to.
    fn media_for(
        &self,
        inner: &mut Inner,
        content: &Content,
        timestamp: i64,
    ) -> Option<(String, MediaFile)> {
        let (kind, filename) = match content {
            Content::Image(_) => (MediaKind::Image, None),
            Content::Document(spec) => (
                MediaKind::Document,
                Some(
                    spec.filename
                        .clone()
                        .unwrap_or_else(|| "document.pdf".to_owned()),
                ),
            ),
            Content::Video(_) => (MediaKind::Video, None),
            Content::Audio(_) => (MediaKind::Audio, None),
            Content::Sticker(_) => (MediaKind::Sticker, None),
            _ => return None,
        };
        let id = ids::media_id(&mut inner.rng);
        let seed: u8 = inner.rng.random();
        let file = MediaFile::generate(kind, seed, &id, filename, timestamp);
        inner.remember_media(&id, file.clone());
        Some((id, file))
    }
}

/// The message `type`, its payload, and any extra top-level keys.
fn content_json(
    content: &Content,
    media: Option<&(String, MediaFile)>,
    wa_id: &str,
) -> (&'static str, Option<Value>, Vec<(&'static str, Value)>) {
    let media_obj = |caption: Option<&String>, extra: Option<(&str, Value)>| {
        let mut v = serde_json::Map::new();
        if let Some((id, file)) = media {
            v.insert("mime_type".into(), json!(file.mime_type));
            v.insert("sha256".into(), json!(file.sha256_base64()));
            v.insert("id".into(), json!(id));
        }
        if let Some(c) = caption {
            v.insert("caption".into(), json!(c));
        }
        if let Some((k, val)) = extra {
            v.insert(k.into(), val);
        }
        Value::Object(v)
    };
    match content {
        Content::Text(body) => ("text", Some(json!({"body": body})), vec![]),
        Content::Image(s) => ("image", Some(media_obj(s.caption.as_ref(), None)), vec![]),
        Content::Video(s) => ("video", Some(media_obj(s.caption.as_ref(), None)), vec![]),
        Content::Document(s) => {
            let filename = media
                .and_then(|(_, f)| f.filename.clone())
                .unwrap_or_else(|| "document.pdf".to_owned());
            (
                "document",
                Some(media_obj(
                    s.caption.as_ref(),
                    Some(("filename", json!(filename))),
                )),
                vec![],
            )
        }
        Content::Audio(s) => (
            "audio",
            Some(media_obj(None, Some(("voice", json!(s.voice))))),
            vec![],
        ),
        Content::Sticker(_) => (
            "sticker",
            Some(media_obj(None, Some(("animated", json!(false))))),
            vec![],
        ),
        Content::Location(l) => {
            let mut v = json!({"latitude": l.latitude, "longitude": l.longitude});
            if let Some(obj) = v.as_object_mut() {
                if let Some(n) = &l.name {
                    obj.insert("name".into(), json!(n));
                }
                if let Some(a) = &l.address {
                    obj.insert("address".into(), json!(a));
                }
            }
            ("location", Some(v), vec![])
        }
        Content::Contacts(list) => {
            let cards: Vec<Value> = list
                .iter()
                .map(|c| {
                    let first = c.name.split_whitespace().next().unwrap_or(&c.name);
                    let mut phone = json!({"phone": c.phone, "type": "CELL"});
                    if let (Some(r), Some(obj)) = (Recipient::parse(&c.phone), phone.as_object_mut()) {
                        obj.insert("wa_id".into(), json!(r.wa_id));
                    }
                    json!({"name": {"formatted_name": c.name, "first_name": first}, "phones": [phone]})
                })
                .collect();
            ("contacts", Some(Value::Array(cards)), vec![])
        }
        Content::Reaction(r) => {
            let mut v = json!({"message_id": r.message_id});
            if let (Some(e), Some(obj)) = (&r.emoji, v.as_object_mut()) {
                obj.insert("emoji".into(), json!(e));
            }
            ("reaction", Some(v), vec![])
        }
        Content::Button(b) => (
            "button",
            Some(
                json!({"text": b.text, "payload": b.payload.clone().unwrap_or_else(|| b.text.clone())}),
            ),
            vec![],
        ),
        Content::Unsupported(u) => (
            "unsupported",
            Some(json!({"type": u.kind.clone().unwrap_or_else(|| "poll".to_owned())})),
            vec![(
                "errors",
                json!([{
                    "code": 131051,
                    "title": "Message type unknown",
                    "message": "Message type unknown",
                    "error_data": {"details": format!("Message type is currently not supported. Sender: {wa_id}")}
                }]),
            )],
        ),
    }
}

/// The username `inbound` gives, without a leading `@`.
fn username_of(inbound: &Inbound) -> Option<String> {
    inbound
        .username
        .as_deref()
        .map(|u| u.trim().trim_start_matches('@').to_owned())
        .filter(|u| !u.is_empty())
}

/// Who writes, and whether the webhook hides their number: a customer with
/// only a username has a number of their own that Meta does not share.
fn sender(inbound: &Inbound) -> Result<(Recipient, bool), InboundError> {
    if inbound.from.trim().is_empty() {
        let username = username_of(inbound).ok_or(InboundError::NoSender)?;
        let hidden = Recipient::hidden_for(&username).ok_or(InboundError::NoSender)?;
        return Ok((hidden, inbound.hide_number.unwrap_or(true)));
    }
    let recipient = Recipient::parse(&inbound.from)
        .ok_or_else(|| InboundError::BadNumber(inbound.from.clone()))?;
    Ok((recipient, inbound.hide_number.unwrap_or(false)))
}
