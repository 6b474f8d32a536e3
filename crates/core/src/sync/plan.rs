//! The pure half of applying relay events: [`plan`] turns events into
//! [`Op`]s without touching the store, so every webhook shape can be tested
//! without a database.
//!
//! Catch-up pages are planned straight from the relay's JSON
//! ([`plan_page`]): each payload stays a borrowed slice of the page, and the
//! common event, a single-message envelope, is typed without building a
//! JSON tree of the envelope or copying it. Anything else takes the general
//! path ([`webhook::parse_value`]), so both give the same ops.

use super::render::{call_body, media_body, render};
use crate::inbox::{Direction, HandledBy, MediaInfo, MessageContent, Wamid};
use crate::store::health::number_digits;
use crate::store::{
    AccountRecord, FlagRecord, NewContact, PhoneQualityRecord, StatusRecord,
    TemplateCategoryRecord, TemplateRecord,
};
use hourglass_protocol::team::{AgentEvent, OutboundRecord};
use hourglass_protocol::{Event, EventKind, MalformedPayload};
use hourglass_whatsapp::graph_error::Refusal;
use hourglass_whatsapp::webhook::{
    self, CallDirection, CallOutcome, CallUpdate, Contact, HandoverUpdate, HistoryUpdate, Message,
    MessageContent as Wa, Metadata, StatusUpdate, ThreadOwner, Update,
};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// One change to make to the store, from one relay event.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A message to file (inbound from a webhook, or outbound published by
    /// an agent's app).
    Message(Box<PlannedMessage>),
    Status(StatusRecord),
    Reaction {
        target_wamid: String,
        direction: Direction,
        /// `None` removes the reaction.
        emoji: Option<String>,
        at: i64,
        wamid: String,
        /// Who reacted, so they are a contact with a conversation.
        contact: Option<NewContact>,
        phone_number_id: Option<String>,
    },
    Edit {
        target_wamid: String,
        body: String,
        content: MessageContent,
        at: i64,
    },
    Revoke {
        target_wamid: String,
        at: i64,
    },
    Template(TemplateRecord),
    /// The number's quality flag or messaging limit changed.
    PhoneQuality(PhoneQualityRecord),
    /// An event of the business account.
    Account(AccountRecord),
    /// A template moved, or will move, to another category.
    TemplateCategory(TemplateCategoryRecord),
    Preference {
        wa_id: String,
        category: String,
        value: String,
        detail: Option<String>,
        at: Option<i64>,
    },
    Flag(FlagRecord),
    /// A message of the WhatsApp Business app's history: filed without a
    /// notification, without counting as unread and without reopening the
    /// conversation. The media that follows a placeholder (`media_follow_up`)
    /// fills the placeholder in.
    History {
        message: Box<PlannedMessage>,
        media_follow_up: bool,
    },
    /// A contact of the WhatsApp Business app's address book: added or
    /// edited (`name`), or removed (`None`).
    AddressBook {
        /// E.164 with `+`.
        customer: String,
        name: Option<String>,
        at: Option<i64>,
    },
    /// Meta's `user_changed_user_id`: the customer once `previous` is now
    /// `user_id`; `message` (the system line) follows under the new id.
    UserIdChanged {
        previous: String,
        user_id: String,
        message: Box<PlannedMessage>,
    },
    /// Who answers a conversation now: Meta's AI agent or this app.
    Owner {
        contact: NewContact,
        phone_number_id: String,
        owner: ThreadOwner,
        /// Meta timestamp of the event that says so.
        at: i64,
        /// A `messaging_handovers` event, shown as a line in the chat (a
        /// standby message only implies the owner).
        handover: bool,
    },
    Agent {
        agent: Option<String>,
        dedupe_key: String,
        payload: String,
        received_at_ms: i64,
    },
    /// A team event to apply (never [`AgentEvent::Outbound`], which plans
    /// to a [`Op::Message`]). Follows the event's [`Op::Agent`].
    Team {
        /// Who published it.
        agent: Option<String>,
        /// When the relay took it (Unix ms).
        at_ms: i64,
        event: AgentEvent,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMessage {
    pub wamid: Wamid,
    pub direction: Direction,
    pub contact: NewContact,
    pub phone_number_id: String,
    pub kind: String,
    pub body: String,
    pub content: MessageContent,
    /// Meta's message JSON.
    pub payload: Option<String>,
    pub sent_at: i64,
    pub status: Option<String>,
    pub reply_to_wamid: Option<Wamid>,
    pub referral: Option<String>,
    pub biz_opaque_callback_data: Option<String>,
    /// The agent who sent it: set for an `outbound` agent event.
    pub sent_by: Option<String>,
    /// Meta's AI agent (`standby` field) or the WhatsApp Business app
    /// handled it.
    pub handled_by: Option<HandledBy>,
}

/// An op and the event it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub seq: u64,
    pub op: Op,
}

/// What to do for each event, in log order. Never fails: what cannot be
/// understood becomes a [`Op::Flag`] holding the event whole.
pub fn plan(events: &[Event]) -> Vec<Planned> {
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        plan_event(
            &EventRef {
                seq: event.seq,
                kind: event.kind,
                dedupe_key: &event.dedupe_key,
                received_at_ms: event.received_at_ms,
                agent: event.agent.as_deref(),
                payload: Payload::Value(&event.payload),
            },
            &mut out,
        );
    }
    out
}

/// A page of `GET /v1/events`, planned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlannedPage {
    pub planned: Vec<Planned>,
    /// How many events the page held.
    pub events: usize,
    /// The last event's `seq`; `None` for an empty page.
    pub last: Option<u64>,
    pub head: u64,
    pub has_more: bool,
}

/// Decodes a page of `GET /v1/events` ([`hourglass_protocol::EventPage`]
/// JSON) and plans its events, as [`plan`] would plan the decoded page,
/// without building a JSON tree for each payload first. Fails only when the
/// page itself is not a page.
pub fn plan_page(json: &[u8]) -> serde_json::Result<PlannedPage> {
    let page: WirePage<'_> = serde_json::from_slice(json)?;
    let mut planned = Vec::with_capacity(page.events.len());
    for e in &page.events {
        plan_event(
            &EventRef {
                seq: e.seq,
                kind: e.kind,
                dedupe_key: &e.dedupe_key,
                received_at_ms: e.received_at_ms,
                agent: e.agent.as_deref(),
                payload: Payload::Raw(e.payload),
            },
            &mut planned,
        );
    }
    Ok(PlannedPage {
        planned,
        events: page.events.len(),
        last: page.events.last().map(|e| e.seq),
        head: page.head,
        has_more: page.has_more,
    })
}

/// [`hourglass_protocol::EventPage`] with every payload left as JSON text
/// borrowed from the page.
#[derive(Deserialize)]
struct WirePage<'a> {
    #[serde(borrow)]
    events: Vec<WireEvent<'a>>,
    head: u64,
    has_more: bool,
}

/// [`Event`] with its payload left as JSON text.
#[derive(Deserialize)]
struct WireEvent<'a> {
    seq: u64,
    kind: EventKind,
    #[serde(borrow)]
    dedupe_key: Cow<'a, str>,
    received_at_ms: i64,
    #[serde(default, borrow)]
    agent: Option<Cow<'a, str>>,
    #[serde(borrow)]
    payload: &'a RawValue,
}

/// One event as the planner reads it.
struct EventRef<'a> {
    seq: u64,
    kind: EventKind,
    dedupe_key: &'a str,
    received_at_ms: i64,
    agent: Option<&'a str>,
    payload: Payload<'a>,
}

#[derive(Clone, Copy)]
enum Payload<'a> {
    Value(&'a Value),
    /// JSON text as the relay sent it.
    Raw(&'a RawValue),
}

impl Payload<'_> {
    /// The payload as one line of JSON, as it is kept in flagged events.
    fn text(self) -> String {
        match self {
            Payload::Value(v) => v.to_string(),
            // Re-serialised like a decoded payload, so both paths keep the same text.
            Payload::Raw(r) => serde_json::from_str::<Value>(r.get())
                .map_or_else(|_| r.get().to_owned(), |v| v.to_string()),
        }
    }
}

fn flag(event: &EventRef<'_>, kind: &str, reason: impl Into<String>) -> Planned {
    Planned {
        seq: event.seq,
        op: Op::Flag(FlagRecord {
            seq: event.seq,
            kind: kind.to_owned(),
            reason: reason.into(),
            payload: event.payload.text(),
            received_at_ms: event.received_at_ms,
        }),
    }
}

/// Plans one event. A panic while planning it (a bug, whatever the input)
/// costs only that event: it is kept flagged `panicked` and the sync goes on.
fn plan_event(event: &EventRef<'_>, out: &mut Vec<Planned>) {
    let before = out.len();
    let planned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        plan_one(event, out);
    }));
    if let Err(panic) = planned {
        out.truncate(before);
        let reason = format!("planning it failed: {}", super::panic_message(&*panic));
        tracing::error!(seq = event.seq, %reason, "event kept flagged");
        out.push(flag(event, super::PANICKED, reason));
    }
}

fn plan_one(event: &EventRef<'_>, out: &mut Vec<Planned>) {
    if event.kind == EventKind::Webhook {
        let single = match event.payload {
            Payload::Value(v) => single_message(v),
            Payload::Raw(r) => single_message_raw(r),
        };
        if let Some(single) = single {
            push_message(event, single, out);
            return;
        }
    }
    match event.payload {
        Payload::Value(v) => plan_value(event, v, out),
        Payload::Raw(r) => match serde_json::from_str::<Value>(r.get()) {
            Ok(v) => plan_value(event, &v, out),
            // Valid JSON the tree cannot hold (nested too deep): kept, not lost.
            Err(e) => out.push(flag(
                event,
                "malformed",
                format!("the payload cannot be read: {e}"),
            )),
        },
    }
}

/// The general path: any event, its payload decoded.
fn plan_value(event: &EventRef<'_>, payload: &Value, out: &mut Vec<Planned>) {
    let seq = event.seq;
    match event.kind {
        EventKind::Malformed => {
            let reason = MalformedPayload::deserialize(payload)
                .map(|p| p.error)
                .unwrap_or_else(|_| "malformed body".to_owned());
            out.push(flag(event, "malformed", reason));
        }
        EventKind::Agent => {
            out.push(Planned {
                seq,
                op: Op::Agent {
                    agent: event.agent.map(str::to_owned),
                    dedupe_key: event.dedupe_key.to_owned(),
                    payload: payload.to_string(),
                    received_at_ms: event.received_at_ms,
                },
            });
            match AgentEvent::from_payload(payload) {
                Ok(AgentEvent::Outbound(record)) => {
                    match outbound(record, payload, event.received_at_ms / 1000, event.agent) {
                        Ok(m) => out.push(Planned {
                            seq,
                            op: Op::Message(Box::new(m)),
                        }),
                        Err(reason) => out.push(flag(event, "unapplied", reason)),
                    }
                }
                Ok(team) => match usable(&team) {
                    Ok(()) => out.push(Planned {
                        seq,
                        op: Op::Team {
                            agent: event.agent.map(str::to_owned),
                            at_ms: event.received_at_ms,
                            event: team,
                        },
                    }),
                    Err(reason) => out.push(flag(event, "unapplied", reason)),
                },
                Err(reason) => out.push(flag(event, "unapplied", reason)),
            }
        }
        EventKind::Webhook => match webhook::parse_value(payload) {
            Err(e) => out.push(flag(event, "malformed", e.to_string())),
            Ok(updates) if updates.is_empty() => {
                out.push(flag(event, "other", "the envelope holds no update"));
            }
            Ok(updates) => {
                for update in updates {
                    plan_update(event, payload, update, out);
                }
            }
        },
    }
}

/// The one message of a single-message envelope, typed.
struct SingleMessage {
    metadata: Metadata,
    contact: Option<Contact>,
    message: Message,
    /// The message JSON.
    raw: String,
}

fn push_message(event: &EventRef<'_>, single: SingleMessage, out: &mut Vec<Planned>) {
    let SingleMessage {
        metadata,
        contact,
        message,
        raw,
    } = single;
    match message_op(metadata, contact, message, Some(raw)) {
        Some(op) => out.push(Planned { seq: event.seq, op }),
        None => out.push(flag(
            event,
            "other",
            "a message without sender or timestamp",
        )),
    }
}

/// The fast path for the common event: an envelope of one entry with one
/// `messages` change holding exactly one message (and no status or error).
/// [`webhook::parse_value`] would split it into that same single update and
/// type it with the same calls made here, on the same values; any other
/// shape, and anything that does not type cleanly, returns `None` and goes
/// the general way.
fn single_message(payload: &Value) -> Option<SingleMessage> {
    let [entry] = payload.get("entry")?.as_array()?.as_slice() else {
        return None;
    };
    let [change] = entry.as_object()?.get("changes")?.as_array()?.as_slice() else {
        return None;
    };
    if change.get("field")?.as_str()? != webhook::FIELD_MESSAGES {
        return None;
    }
    let value = change.get("value")?.as_object()?;
    let [message] = value.get("messages")?.as_array()?.as_slice() else {
        return None;
    };
    for k in ["statuses", "errors"] {
        match value.get(k) {
            None => {}
            Some(Value::Array(a)) if a.is_empty() => {}
            Some(_) => return None,
        }
    }
    let typed = Message::from_value(message).ok()?;
    let metadata = Metadata::deserialize(value.get("metadata")?).ok()?;
    let contacts: Vec<Contact> = match value.get("contacts").and_then(Value::as_array) {
        None => Vec::new(),
        Some(a) => a
            .iter()
            .map(|c| Contact::deserialize(c).ok())
            .collect::<Option<_>>()?,
    };
    Some(SingleMessage {
        metadata,
        contact: pick_contact(contacts, &typed),
        message: typed,
        raw: json_text(message),
    })
}

/// [`single_message`] reading the relay's JSON text in one pass: only the
/// message itself becomes a JSON tree (its typing needs one); the envelope
/// around it is read into the few fields that matter. Stricter than the
/// tree (a repeated field, an array where an object belongs, any field that
/// does not read cleanly all fall back to the general path), so it never
/// types what the general path would type differently.
fn single_message_raw(payload: &RawValue) -> Option<SingleMessage> {
    let MapOnly(envelope) = serde_json::from_str::<MapOnly<RawEnvelope<'_>>>(payload.get()).ok()?;
    let [MapOnly(entry)] = <[_; 1]>::try_from(envelope.entry).ok()?;
    let [MapOnly(change)] = <[_; 1]>::try_from(entry.changes).ok()?;
    if change.field != webhook::FIELD_MESSAGES {
        return None;
    }
    let MapOnly(value) = change.value;
    let [message] = <[Value; 1]>::try_from(value.messages?).ok()?;
    if !value.statuses.unwrap_or_default().is_empty()
        || !value.errors.unwrap_or_default().is_empty()
    {
        return None;
    }
    let typed = Message::from_value(&message).ok()?;
    let metadata = value.metadata?;
    // Contacts that are not an array are no contacts, as on the general path.
    let contacts: Vec<Contact> = match value
        .contacts
        .map(|c| serde_json::from_str::<Vec<&RawValue>>(c.get()))
    {
        None | Some(Err(_)) => Vec::new(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|c| serde_json::from_str(c.get()).ok())
            .collect::<Option<_>>()?,
    };
    Some(SingleMessage {
        metadata,
        contact: pick_contact(contacts, &typed),
        message: typed,
        raw: json_text(&message),
    })
}

/// The parts of a webhook envelope the fast path reads; other fields are
/// skipped unread.
#[derive(Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow)]
    entry: Vec<MapOnly<RawEntry<'a>>>,
}

#[derive(Deserialize)]
struct RawEntry<'a> {
    #[serde(borrow)]
    changes: Vec<MapOnly<RawChange<'a>>>,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    #[serde(borrow)]
    field: Cow<'a, str>,
    #[serde(borrow)]
    value: MapOnly<RawChangeValue<'a>>,
}

#[derive(Deserialize)]
struct RawChangeValue<'a> {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default, borrow)]
    contacts: Option<&'a RawValue>,
    #[serde(default)]
    messages: Option<Vec<Value>>,
    #[serde(default, borrow)]
    statuses: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow)]
    errors: Option<Vec<&'a RawValue>>,
}

/// `value` as one line of JSON, as [`Value::to_string`] writes it but
/// straight into a byte buffer rather than through `fmt`.
fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

/// The contact that sent the message: the first whose `wa_id` or `user_id`
/// matches it, else the only one (as the webhook parser picks it).
fn pick_contact(contacts: Vec<Contact>, message: &Message) -> Option<Contact> {
    let matches = |c: &Contact| {
        (c.wa_id.is_some() && c.wa_id == message.from)
            || (c.user_id.is_some() && c.user_id == message.from_user_id)
    };
    let only = contacts.len() == 1;
    let mut first = None;
    for c in contacts {
        if matches(&c) {
            return Some(c);
        }
        first.get_or_insert(c);
    }
    first.filter(|_| only)
}

/// `T` read only from a JSON object: a derived struct would also take an
/// array, which the general path reads as something else.
struct MapOnly<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for MapOnly<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Fields<T> {
            type Value = MapOnly<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<MapOnly<T>, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(MapOnly)
            }
        }
        d.deserialize_map(Fields(std::marker::PhantomData))
    }
}

fn plan_update(event: &EventRef<'_>, payload: &Value, update: Update, out: &mut Vec<Planned>) {
    let seq = event.seq;
    // Meta's time when the update has none of its own.
    let received_at = event.received_at_ms / 1000;
    let mut push = |op| out.push(Planned { seq, op });
    match update {
        Update::Message(m) => {
            let m = *m;
            let standby = m.standby;
            match message_op(m.metadata, m.contact, m.message, raw_message(payload)) {
                Some(Op::Message(mut planned)) if standby => {
                    // Meta's AI agent answers this chat: the message is kept,
                    // marked, and the conversation's owner follows.
                    planned.handled_by = Some(HandledBy::AiAgent);
                    let owner = Op::Owner {
                        contact: planned.contact.clone(),
                        phone_number_id: planned.phone_number_id.clone(),
                        owner: ThreadOwner::AiAgent,
                        at: planned.sent_at,
                        handover: false,
                    };
                    push(Op::Message(planned));
                    push(owner);
                }
                Some(op) => push(op),
                None => out.push(flag(
                    event,
                    "other",
                    "a message without sender or timestamp",
                )),
            }
        }
        Update::Status(s) => push(Op::Status(status_record(&s, seq))),
        Update::TemplateStatus(t) => push(Op::Template(TemplateRecord {
            reason: t.reason().map(str::to_owned),
            detail: t.detail().map(str::to_owned),
            recommendation: t.recommendation().map(str::to_owned),
            title: t.title().map(str::to_owned),
            at: t.time.unwrap_or(received_at),
            waba_id: t.waba_id,
            template_id: t.message_template_id,
            name: t.message_template_name,
            language: t.message_template_language,
            event: t.event,
            category: t.message_template_category,
            seq,
        })),
        Update::PhoneQuality(q) => match q.display_phone_number.as_deref().map(number_digits) {
            Some(number) if !number.is_empty() => push(Op::PhoneQuality(PhoneQualityRecord {
                number,
                limit: q.limit().map(str::to_owned),
                old_limit: q.old_limit.clone(),
                event: q.event,
                at: q.time.unwrap_or(received_at),
                seq,
            })),
            _ => out.push(flag(event, "other", "a quality update without the number")),
        },
        Update::Account(a) => push(Op::Account(AccountRecord {
            detail: a.detail().map(str::to_owned),
            event: a.event,
            at: a.time.unwrap_or(received_at),
            seq,
        })),
        Update::TemplateCategory(c) => push(Op::TemplateCategory(TemplateCategoryRecord {
            impending: c.is_impending(),
            from_category: c.from_category().map(str::to_owned),
            to_category: c.to_category().map(str::to_owned),
            effective_at: c.category_update_timestamp,
            at: c.time.unwrap_or(received_at),
            template_id: c.message_template_id,
            name: c.message_template_name,
            language: c.message_template_language,
            seq,
        })),
        Update::UserPreferences(p) => {
            let fallback_wa = p.contacts.first().and_then(|c| c.wa_id.clone());
            for pref in p.user_preferences {
                let Some(wa_id) = pref.wa_id.clone().or_else(|| fallback_wa.clone()) else {
                    continue;
                };
                push(Op::Preference {
                    wa_id,
                    category: pref
                        .category
                        .unwrap_or_else(|| "marketing_messages".to_owned()),
                    value: pref.value,
                    detail: pref.detail,
                    at: pref.timestamp.map(|t| t.0),
                });
            }
        }
        Update::Echo(e) => match echo_op(*e, raw_echo(payload)) {
            Some(op) => push(op),
            None => out.push(flag(event, "other", "an echo without its customer")),
        },
        Update::Call(c) => match call_op(*c) {
            CallOp::Filed(op) => push(*op),
            // Ringing: the call is filed once it ends.
            CallOp::NotYet => {}
            CallOp::Unusable(reason) => out.push(flag(event, "other", reason)),
        },
        Update::History(h) => match history_op(*h, raw_history(payload)) {
            Some(op) => push(op),
            None => out.push(flag(
                event,
                "other",
                "a history message without its customer",
            )),
        },
        Update::ContactSync(sync) => {
            for item in sync.state_sync {
                let Some(contact) = item.contact.filter(|_| item.kind == "contact") else {
                    continue;
                };
                let Some(customer) = contact.phone_number.as_deref().and_then(e164) else {
                    continue;
                };
                let name = (item.action != "remove")
                    .then(|| contact.full_name.or(contact.first_name))
                    .flatten()
                    .filter(|n| !n.trim().is_empty());
                push(Op::AddressBook {
                    customer,
                    name,
                    at: item.metadata.and_then(|m| m.timestamp).map(|t| t.0),
                });
            }
        }
        Update::Handover(h) => match handover_op(*h, event.received_at_ms / 1000) {
            Ok(op) => push(op),
            Err(reason) => out.push(flag(event, "other", reason)),
        },
        Update::Error(e) => {
            let reason = format!(
                "Meta reported error {}: {}",
                e.error.code,
                e.error
                    .title
                    .as_deref()
                    .or(e.error.message.as_deref())
                    .unwrap_or("")
            );
            out.push(flag(event, "error", reason));
        }
        Update::Other(o) => {
            let reason = o.reason.unwrap_or_else(|| {
                format!(
                    "an update of field {:?} this version does not handle",
                    o.field.as_deref().unwrap_or("?")
                )
            });
            out.push(flag(event, "other", reason));
        }
    }
}

fn status_record(s: &StatusUpdate, seq: u64) -> StatusRecord {
    let st = &s.status;
    let err = st.errors.first();
    StatusRecord {
        wamid: st.id.clone(),
        status: st.status.clone(),
        at: st.timestamp.0,
        recipient_id: st.recipient_id.clone(),
        biz_opaque_callback_data: st.biz_opaque_callback_data.clone(),
        pricing_category: st.pricing.as_ref().and_then(|p| p.category.clone()),
        pricing_model: st.pricing.as_ref().and_then(|p| p.pricing_model.clone()),
        pricing_type: st.pricing.as_ref().and_then(|p| p.kind.clone()),
        billable: st.pricing.as_ref().and_then(|p| p.billable),
        error_code: err.map(|e| e.code),
        error_title: err.and_then(|e| e.title.clone().or_else(|| e.message.clone())),
        error_detail: err.and_then(|e| {
            e.error_data
                .as_ref()
                .and_then(|d| d.details.clone())
                .or_else(|| e.message.clone())
        }),
        seq,
    }
}

/// `(previous, new)` of a `user_changed_user_id` system message: the new id
/// is `system.user_id`; the old one `system.previous_user_id`, else the
/// sender's `from_user_id` when it differs.
fn user_id_change(
    sys: &hourglass_whatsapp::webhook::System,
    from_user_id: Option<&str>,
) -> Option<(String, String)> {
    if sys.kind.as_deref() != Some("user_changed_user_id") {
        return None;
    }
    let present = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let new = present(sys.user_id.as_deref())?;
    let previous = present(sys.previous_user_id.as_deref())
        .or_else(|| present(from_user_id))
        .filter(|p| *p != new)?;
    Some((previous, new))
}

/// The message JSON inside a single-update envelope.
fn raw_message(envelope: &Value) -> Option<String> {
    envelope
        .pointer("/entry/0/changes/0/value/messages/0")
        .map(Value::to_string)
}

fn message_op(
    metadata: Metadata,
    contact: Option<Contact>,
    message: Message,
    raw: Option<String>,
) -> Option<Op> {
    let Message {
        id,
        from,
        from_user_id,
        timestamp,
        context,
        referral,
        errors,
        content,
    } = message;
    let at = timestamp.0;
    let wamid = id;
    let (wa_id, contact_user_id, profile) = match contact {
        Some(c) => (c.wa_id, c.user_id, c.profile.unwrap_or_default()),
        None => (None, None, Default::default()),
    };
    let who = NewContact {
        phone: from.or(wa_id),
        user_id: from_user_id.or(contact_user_id),
        name: profile.name,
        username: profile.username,
    };
    let has_identity = who.phone.is_some() || who.user_id.is_some();
    let phone_number_id = metadata.phone_number_id.0;
    // A changed user id: the system line files under the new id, after the
    // contact has taken it.
    let change = match &content {
        Wa::System(sys) => user_id_change(sys, who.user_id.as_deref()),
        _ => None,
    };
    let mut who = who;
    if let Some((_, new)) = &change {
        who.user_id = Some(new.clone());
    }
    let has_identity = has_identity || change.is_some();
    match content {
        Wa::Reaction(r) => {
            return Some(Op::Reaction {
                target_wamid: r.message_id.0,
                direction: Direction::Inbound,
                emoji: r.emoji,
                at,
                wamid: wamid.0,
                contact: has_identity.then_some(who),
                phone_number_id: Some(phone_number_id),
            });
        }
        Wa::Edit(e) => {
            let (_, body, content) = render(&e.content);
            return Some(Op::Edit {
                target_wamid: e.original_message_id.0,
                body,
                content,
                at,
            });
        }
        Wa::Revoke(r) => {
            return Some(Op::Revoke {
                target_wamid: r.original_message_id.0,
                at,
            });
        }
        _ => {}
    }
    if !has_identity {
        return None;
    }
    let (kind, mut body, mut content) = render(&content);
    if let (MessageContent::Unsupported { .. }, Some(err)) = (&content, errors.first())
        && let Some(title) = err.title.as_deref().or(err.message.as_deref())
    {
        body = format!("{body} ({title})");
    }
    // Content Hourglass cannot read that Meta explains (an interactive
    // message without its body, …): Meta's reason says more than the kind.
    if let (MessageContent::Unknown { .. }, Some(err)) = (&content, errors.first()) {
        let title = err.title.clone().or_else(|| err.message.clone());
        let detail = err.error_data.as_ref().and_then(|d| d.details.clone());
        body = match (&title, &detail) {
            (Some(t), Some(d)) if t != d => format!("{t}: {d}"),
            (Some(one), _) | (None, Some(one)) => one.clone(),
            (None, None) => format!("WhatsApp error {}", err.code),
        };
        let refusal =
            Some(Refusal::of_error(err.code, detail.as_deref())).filter(|r| *r != Refusal::Unknown);
        content = MessageContent::MetaError {
            code: Some(err.code),
            title,
            detail,
            refusal,
        };
    }
    let message = Box::new(PlannedMessage {
        wamid,
        direction: Direction::Inbound,
        contact: who,
        phone_number_id,
        kind,
        body,
        content,
        payload: raw,
        sent_at: at,
        status: None,
        reply_to_wamid: context.and_then(|c| c.id),
        referral: referral.and_then(|r| serde_json::to_string(&r).ok()),
        biz_opaque_callback_data: None,
        sent_by: None,
        handled_by: None,
    });
    Some(match change {
        Some((previous, user_id)) => Op::UserIdChanged {
            previous,
            user_id,
            message,
        },
        None => Op::Message(message),
    })
}

/// The echo JSON inside a single-update envelope.
fn raw_echo(envelope: &Value) -> Option<String> {
    envelope
        .pointer("/entry/0/changes/0/value/message_echoes/0")
        .map(Value::to_string)
}

/// The message JSON of a history envelope: a thread's message, or the media
/// that follows a placeholder.
fn raw_history(envelope: &Value) -> Option<String> {
    let value = envelope.pointer("/entry/0/changes/0/value")?;
    value
        .pointer("/history/0/threads/0/messages/0")
        .or_else(|| value.pointer("/messages/0"))
        .map(Value::to_string)
}

/// A number as the team tables name customers: E.164 with `+`.
fn e164(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then(|| format!("+{digits}"))
}

/// A message of the WhatsApp Business app's history, filed as the customer's
/// or as the business's (sent from the phone app).
fn history_op(h: HistoryUpdate, raw: Option<String>) -> Option<Op> {
    let customer = h.customer?;
    let (kind, body, content) = render(&h.message.content);
    let status = h.status.as_deref().and_then(|s| match s {
        "error" => Some("failed".to_owned()),
        "pending" => None,
        other => Some(other.to_owned()),
    });
    let message = PlannedMessage {
        wamid: h.message.id,
        direction: if h.from_business {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        contact: NewContact {
            phone: Some(customer),
            user_id: None,
            name: None,
            username: None,
        },
        phone_number_id: h.metadata.phone_number_id.0,
        kind,
        body,
        content,
        payload: raw,
        sent_at: h.message.timestamp.0,
        status: if h.from_business { status } else { None },
        reply_to_wamid: h.message.context.and_then(|c| c.id),
        referral: None,
        biz_opaque_callback_data: None,
        sent_by: None,
        handled_by: h.from_business.then_some(HandledBy::BusinessApp),
    };
    Some(Op::History {
        message: Box::new(message),
        media_follow_up: h.media_follow_up,
    })
}

/// A message the business side sent without this app, filed as outbound.
/// On `standby` it is Meta's AI agent's reply, marked as such.
fn echo_op(e: webhook::EchoUpdate, raw: Option<String>) -> Option<Op> {
    let phone = e.to?;
    let (kind, body, content) = render(&e.message.content);
    Some(Op::Message(Box::new(PlannedMessage {
        wamid: e.message.id,
        direction: Direction::Outbound,
        contact: NewContact {
            phone: Some(phone),
            user_id: None,
            name: None,
            username: None,
        },
        phone_number_id: e.metadata.phone_number_id.0,
        kind,
        body,
        content,
        payload: raw,
        sent_at: e.message.timestamp.0,
        status: Some("sent".to_owned()),
        reply_to_wamid: e.message.context.and_then(|c| c.id),
        referral: None,
        biz_opaque_callback_data: None,
        sent_by: None,
        handled_by: if e.business_app {
            Some(HandledBy::BusinessApp)
        } else {
            e.standby.then_some(HandledBy::AiAgent)
        },
    })))
}

enum CallOp {
    Filed(Box<Op>),
    NotYet,
    Unusable(String),
}

/// A call becomes a line of the timeline when it ends: a message of kind
/// `call` whose id is the call's `wacid`. A customer's call is inbound, so
/// it opens the service window and counts as unread like a message.
fn call_op(c: CallUpdate) -> CallOp {
    let CallUpdate {
        metadata,
        contact,
        call,
        ..
    } = c;
    let Some(outcome) = call.outcome() else {
        return CallOp::NotYet;
    };
    let from_customer = call.direction == CallDirection::UserInitiated;
    let (wa_id, user_id, name) = match contact {
        Some(c) => (c.wa_id, c.user_id, c.profile.and_then(|p| p.name)),
        None => (None, None, None),
    };
    let who = NewContact {
        phone: call.customer().map(str::to_owned).or(wa_id),
        user_id,
        name,
        username: None,
    };
    if who.phone.is_none() && who.user_id.is_none() {
        return CallOp::Unusable("a call without the customer's number".to_owned());
    }
    let (missed, duration) = match outcome {
        CallOutcome::Missed => (true, None),
        CallOutcome::Answered { duration } => (false, Some(duration)),
    };
    let content = MessageContent::Call {
        missed,
        duration,
        from_customer,
    };
    CallOp::Filed(Box::new(Op::Message(Box::new(PlannedMessage {
        wamid: Wamid(call.id.clone()),
        direction: if from_customer {
            Direction::Inbound
        } else {
            Direction::Outbound
        },
        contact: who,
        phone_number_id: metadata.phone_number_id.0,
        kind: "call".to_owned(),
        body: call_body(missed, duration),
        content,
        payload: None,
        sent_at: call.started_at(),
        status: None,
        reply_to_wamid: None,
        referral: None,
        biz_opaque_callback_data: None,
        sent_by: None,
        handled_by: None,
    }))))
}

/// `received_at` (Unix seconds) stands in for Meta's time when the event
/// carries none.
fn handover_op(h: HandoverUpdate, received_at: i64) -> Result<Op, String> {
    let phone_number_id = h
        .metadata
        .map(|m| m.phone_number_id.0)
        .ok_or("a handover without the business number")?;
    let at = h.timestamp.map_or(received_at, |t| t.0);
    Ok(Op::Owner {
        contact: NewContact {
            phone: h.wa_id,
            user_id: h.user_id,
            name: None,
            username: None,
        },
        phone_number_id,
        owner: h.owner,
        at,
        handover: true,
    })
}

/// A message an agent's app sent ([`AgentEvent::Outbound`]), as this
/// desktop files it.
fn outbound(
    r: OutboundRecord,
    raw: &Value,
    received_at: i64,
    agent: Option<&str>,
) -> Result<PlannedMessage, String> {
    let mut body = r.body.unwrap_or_default();
    let kind = r.kind.unwrap_or_else(|| "text".to_owned());
    // A template shows its rendered text, as on the desktop that sent it; a
    // file shows as a customer's does, fetched by its media id.
    let content = match (kind.as_str(), r.media) {
        ("text" | "template", _) => MessageContent::Text { body: body.clone() },
        (_, Some(m)) => {
            let m = *m;
            let info = MediaInfo {
                kind: kind.clone(),
                id: m.id,
                mime_type: m.mime_type,
                sha256: None,
                caption: m.caption.filter(|c| !c.is_empty()),
                filename: m.filename,
                voice: false,
                animated: false,
                local_path: None,
            };
            if body.is_empty() {
                body = media_body(&info);
            }
            MessageContent::Media(info)
        }
        _ => MessageContent::Unknown { kind: kind.clone() },
    };
    let looks_like_number = r.to.chars().any(|c| c.is_ascii_digit())
        && r.to
            .chars()
            .all(|c| c.is_ascii_digit() || "+ -()".contains(c));
    Ok(PlannedMessage {
        wamid: Wamid(r.wamid),
        direction: Direction::Outbound,
        contact: NewContact {
            phone: looks_like_number.then(|| r.to.clone()),
            user_id: r
                .to_user_id
                .or_else(|| (!looks_like_number).then(|| r.to.clone())),
            name: None,
            username: None,
        },
        phone_number_id: r.phone_number_id,
        kind,
        body,
        content,
        payload: Some(raw.to_string()),
        sent_at: r.sent_at.unwrap_or(received_at),
        status: r.status,
        reply_to_wamid: r.reply_to.map(Wamid),
        referral: None,
        biz_opaque_callback_data: r.biz_opaque_callback_data,
        sent_by: agent.map(str::to_owned),
        handled_by: None,
    })
}

#[cfg(test)]
mod tests;

/// The longest label, in characters (as [`crate::team::MAX_LABEL`] checks
/// before publishing).
fn usable(event: &AgentEvent) -> Result<(), String> {
    match event {
        AgentEvent::Label { label, .. }
            if label.is_empty() || label.chars().count() > crate::team::MAX_LABEL =>
        {
            Err(format!(
                "a label of {} characters (1 to {} are kept)",
                label.chars().count(),
                crate::team::MAX_LABEL
            ))
        }
        _ => Ok(()),
    }
}
