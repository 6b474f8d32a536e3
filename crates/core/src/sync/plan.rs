//! The pure half of applying relay events: [`plan`] turns events into
//! [`Op`]s without touching the store, so every webhook shape can be tested
//! without a database.

use crate::inbox::{ContactCard, Direction, MediaInfo, MessageContent};
use crate::store::{FlagRecord, NewContact, StatusRecord, TemplateRecord};
use hourglass_protocol::{Event, EventKind, MalformedPayload};
use hourglass_whatsapp::webhook::{
    self, Interactive, Media, MessageContent as Wa, MessageUpdate, StatusUpdate, Update,
};
use serde::Deserialize;
use serde_json::Value;

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
    Preference {
        wa_id: String,
        category: String,
        value: String,
        detail: Option<String>,
        at: Option<i64>,
    },
    Flag(FlagRecord),
    Agent {
        agent: Option<String>,
        dedupe_key: String,
        payload: String,
        received_at_ms: i64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedMessage {
    pub wamid: String,
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
    pub reply_to_wamid: Option<String>,
    pub referral: Option<String>,
    pub biz_opaque_callback_data: Option<String>,
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
        plan_event(event, &mut out);
    }
    out
}

fn flag(event: &Event, kind: &str, reason: impl Into<String>) -> Planned {
    Planned {
        seq: event.seq,
        op: Op::Flag(FlagRecord {
            seq: event.seq,
            kind: kind.to_owned(),
            reason: reason.into(),
            payload: event.payload.to_string(),
            received_at_ms: event.received_at_ms,
        }),
    }
}

fn plan_event(event: &Event, out: &mut Vec<Planned>) {
    let seq = event.seq;
    match event.kind {
        EventKind::Malformed => {
            let reason = MalformedPayload::deserialize(&event.payload)
                .map(|p| p.error)
                .unwrap_or_else(|_| "malformed body".to_owned());
            out.push(flag(event, "malformed", reason));
        }
        EventKind::Agent => {
            out.push(Planned {
                seq,
                op: Op::Agent {
                    agent: event.agent.clone(),
                    dedupe_key: event.dedupe_key.clone(),
                    payload: event.payload.to_string(),
                    received_at_ms: event.received_at_ms,
                },
            });
            if event.payload.get("type").and_then(Value::as_str) == Some("outbound") {
                match outbound(&event.payload, event.received_at_ms / 1000) {
                    Ok(m) => out.push(Planned {
                        seq,
                        op: Op::Message(Box::new(m)),
                    }),
                    Err(reason) => out.push(flag(event, "unapplied", reason)),
                }
            }
        }
        EventKind::Webhook => match webhook::parse_value(&event.payload) {
            Err(e) => out.push(flag(event, "malformed", e.to_string())),
            Ok(updates) if updates.is_empty() => {
                out.push(flag(event, "other", "the envelope holds no update"));
            }
            Ok(updates) => {
                for update in updates {
                    plan_update(event, update, out);
                }
            }
        },
    }
}

fn plan_update(event: &Event, update: Update, out: &mut Vec<Planned>) {
    let seq = event.seq;
    let mut push = |op| out.push(Planned { seq, op });
    match update {
        Update::Message(m) => match message_op(*m, raw_message(&event.payload)) {
            Some(op) => push(op),
            None => out.push(flag(
                event,
                "other",
                "a message without sender or timestamp",
            )),
        },
        Update::Status(s) => push(Op::Status(status_record(&s, seq))),
        Update::TemplateStatus(t) => push(Op::Template(TemplateRecord {
            waba_id: t.waba_id,
            template_id: t.message_template_id,
            name: t.message_template_name,
            language: t.message_template_language,
            event: t.event,
            reason: t.reason,
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
        wamid: st.id.0.clone(),
        status: st.status.as_str().to_owned(),
        at: st.timestamp.0,
        recipient_id: st.recipient_id.clone(),
        biz_opaque_callback_data: st.biz_opaque_callback_data.clone(),
        pricing_category: st.pricing.as_ref().and_then(|p| p.category.clone()),
        pricing_model: st.pricing.as_ref().and_then(|p| p.pricing_model.clone()),
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

/// The message JSON inside a single-update envelope.
fn raw_message(envelope: &Value) -> Option<String> {
    envelope
        .pointer("/entry/0/changes/0/value/messages/0")
        .map(Value::to_string)
}

fn message_op(m: MessageUpdate, raw: Option<String>) -> Option<Op> {
    let MessageUpdate {
        metadata,
        contact,
        message,
        ..
    } = m;
    let at = message.timestamp.0;
    let wamid = message.id.0.clone();
    let phone = message
        .from
        .clone()
        .or_else(|| contact.as_ref().and_then(|c| c.wa_id.clone()));
    let user_id = message
        .from_user_id
        .clone()
        .or_else(|| contact.as_ref().and_then(|c| c.user_id.clone()));
    let name = contact
        .as_ref()
        .and_then(|c| c.profile.as_ref())
        .and_then(|p| p.name.clone());
    let who = NewContact {
        phone,
        user_id,
        name,
    };
    let has_identity = who.phone.is_some() || who.user_id.is_some();
    let phone_number_id = metadata.phone_number_id.0;
    match message.content {
        Wa::Reaction(r) => {
            return Some(Op::Reaction {
                target_wamid: r.message_id.0,
                direction: Direction::Inbound,
                emoji: r.emoji,
                at,
                wamid,
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
    let (kind, mut body, content) = render(&message.content);
    if let (MessageContent::Unsupported { .. }, Some(err)) = (&content, message.errors.first())
        && let Some(title) = err.title.as_deref().or(err.message.as_deref())
    {
        body = format!("{body} ({title})");
    }
    let payload = raw;
    Some(Op::Message(Box::new(PlannedMessage {
        wamid,
        direction: Direction::Inbound,
        contact: who,
        phone_number_id,
        kind,
        body,
        content,
        payload,
        sent_at: at,
        status: None,
        reply_to_wamid: message.context.and_then(|c| c.id).map(|w| w.0),
        referral: message
            .referral
            .and_then(|r| serde_json::to_string(&r).ok()),
        biz_opaque_callback_data: None,
    })))
}

fn media_info(kind: &str, m: &Media) -> MediaInfo {
    MediaInfo {
        kind: kind.to_owned(),
        id: m.id.clone(),
        mime_type: m.mime_type.clone(),
        sha256: m.sha256.clone(),
        caption: m.caption.clone().filter(|c| !c.is_empty()),
        filename: m.filename.clone(),
        voice: m.voice,
        animated: m.animated,
        local_path: None,
    }
}

fn media_body(info: &MediaInfo) -> String {
    if let Some(c) = &info.caption {
        return c.clone();
    }
    match info.kind.as_str() {
        "image" => "📷 Photo".to_owned(),
        "video" => "🎥 Video".to_owned(),
        "audio" if info.voice => "🎤 Voice message".to_owned(),
        "audio" => "🎵 Audio".to_owned(),
        "sticker" => "Sticker".to_owned(),
        _ => format!(
            "📄 {}",
            info.filename
                .clone()
                .unwrap_or_else(|| "Document".to_owned())
        ),
    }
}

/// A Google Maps link for coordinates (opens in any browser).
pub fn map_url(latitude: f64, longitude: f64) -> String {
    format!("https://www.google.com/maps/search/?api=1&query={latitude},{longitude}")
}

/// `(type, one-line body, typed content)` of a message's content.
pub fn render(content: &Wa) -> (String, String, MessageContent) {
    let media = |kind: &str, m: &Media| {
        let info = media_info(kind, m);
        (
            kind.to_owned(),
            media_body(&info),
            MessageContent::Media(info),
        )
    };
    match content {
        Wa::Text(t) => (
            "text".into(),
            t.body.clone(),
            MessageContent::Text {
                body: t.body.clone(),
            },
        ),
        Wa::Image(m) => media("image", m),
        Wa::Video(m) => media("video", m),
        Wa::Document(m) => media("document", m),
        Wa::Sticker(m) => media("sticker", m),
        Wa::Audio(m) => media("audio", m),
        Wa::Location(l) => {
            let label = l
                .name
                .clone()
                .or_else(|| l.address.clone())
                .unwrap_or_else(|| format!("{:.5}, {:.5}", l.latitude, l.longitude));
            (
                "location".into(),
                format!("📍 {label}"),
                MessageContent::Location {
                    latitude: l.latitude,
                    longitude: l.longitude,
                    name: l.name.clone(),
                    address: l.address.clone(),
                    url: l.url.clone(),
                    map_url: map_url(l.latitude, l.longitude),
                },
            )
        }
        Wa::Contacts(cards) => {
            let cards: Vec<ContactCard> = cards
                .iter()
                .map(|c| ContactCard {
                    name: c
                        .name
                        .as_ref()
                        .and_then(|n| {
                            n.formatted_name.clone().or_else(|| {
                                let parts: Vec<&str> = [&n.first_name, &n.last_name]
                                    .iter()
                                    .filter_map(|p| p.as_deref())
                                    .collect();
                                (!parts.is_empty()).then(|| parts.join(" "))
                            })
                        })
                        .unwrap_or_else(|| "Contact".to_owned()),
                    phones: c.phones.iter().filter_map(|p| p.phone.clone()).collect(),
                    emails: c.emails.iter().filter_map(|e| e.email.clone()).collect(),
                    organization: c.org.as_ref().and_then(|o| o.company.clone()),
                })
                .collect();
            let body = match cards.as_slice() {
                [] => "👤 Contact".to_owned(),
                [one] => format!("👤 {}", one.name),
                [first, rest @ ..] => format!("👤 {} and {} more", first.name, rest.len()),
            };
            ("contacts".into(), body, MessageContent::Contacts { cards })
        }
        Wa::Button(b) => (
            "button".into(),
            b.text.clone(),
            MessageContent::Reply {
                source: "button".into(),
                id: b.payload.clone(),
                title: b.text.clone(),
                description: None,
            },
        ),
        Wa::Interactive(i) => match i {
            Interactive::ButtonReply { id, title } => (
                "interactive".into(),
                title.clone(),
                MessageContent::Reply {
                    source: "button_reply".into(),
                    id: Some(id.clone()),
                    title: title.clone(),
                    description: None,
                },
            ),
            Interactive::ListReply {
                id,
                title,
                description,
            } => (
                "interactive".into(),
                title.clone(),
                MessageContent::Reply {
                    source: "list_reply".into(),
                    id: Some(id.clone()),
                    title: title.clone(),
                    description: description.clone(),
                },
            ),
            Interactive::NfmReply { name, body, .. } => {
                let title = body
                    .clone()
                    .or_else(|| name.clone())
                    .unwrap_or_else(|| "Form sent".to_owned());
                (
                    "interactive".into(),
                    title.clone(),
                    MessageContent::Reply {
                        source: "nfm_reply".into(),
                        id: None,
                        title,
                        description: None,
                    },
                )
            }
            Interactive::Unknown { kind, .. } => (
                "interactive".into(),
                format!("Unsupported interactive reply ({kind})"),
                MessageContent::Unknown {
                    kind: format!("interactive:{kind}"),
                },
            ),
        },
        Wa::Order(o) => {
            let items = u32::try_from(o.product_items.len()).unwrap_or(u32::MAX);
            (
                "order".into(),
                format!("🛒 Order ({items} items)"),
                MessageContent::Order {
                    text: o.text.clone(),
                    items,
                },
            )
        }
        Wa::System(s) => {
            let body = s.body.clone().unwrap_or_else(|| "System message".into());
            (
                "system".into(),
                body.clone(),
                MessageContent::System { body },
            )
        }
        Wa::RequestWelcome => (
            "request_welcome".into(),
            "Opened the chat".into(),
            MessageContent::System {
                body: "Opened the chat".into(),
            },
        ),
        Wa::Unsupported { kind } => (
            "unsupported".into(),
            match kind {
                Some(k) => format!("Unsupported message ({k})"),
                None => "Unsupported message".into(),
            },
            MessageContent::Unsupported { kind: kind.clone() },
        ),
        // Reactions, edits and revokes are handled before rendering; should
        // one be nested (an edit of a reaction), show it as unknown.
        Wa::Reaction(_) | Wa::Edit(_) | Wa::Revoke(_) => (
            "unknown".into(),
            "Unknown message".into(),
            MessageContent::Unknown {
                kind: "nested".into(),
            },
        ),
        Wa::Unknown { kind, .. } => (
            kind.clone(),
            format!("Unknown message type ({kind})"),
            MessageContent::Unknown { kind: kind.clone() },
        ),
    }
}

/// `{"type": "outbound", …}` published by an agent's app after Meta accepted
/// a send. Fields: `wamid`, `to` (number or user id), `phone_number_id`,
/// optional `kind` (default `text`), `body`, `sent_at` (Unix seconds),
/// `status` (e.g. `accepted`), `reply_to`, `biz_opaque_callback_data`.
#[derive(Debug, Deserialize)]
struct OutboundRecord {
    wamid: String,
    to: String,
    phone_number_id: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    sent_at: Option<i64>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    reply_to: Option<String>,
    #[serde(default)]
    biz_opaque_callback_data: Option<String>,
    #[serde(default)]
    to_user_id: Option<String>,
}

fn outbound(payload: &Value, received_at: i64) -> Result<PlannedMessage, String> {
    let r = OutboundRecord::deserialize(payload)
        .map_err(|e| format!("an outbound record this version cannot read: {e}"))?;
    let body = r.body.unwrap_or_default();
    let kind = r.kind.unwrap_or_else(|| "text".to_owned());
    let content = if kind == "text" {
        MessageContent::Text { body: body.clone() }
    } else {
        MessageContent::Unknown { kind: kind.clone() }
    };
    let looks_like_number = r.to.chars().any(|c| c.is_ascii_digit())
        && r.to
            .chars()
            .all(|c| c.is_ascii_digit() || "+ -()".contains(c));
    Ok(PlannedMessage {
        wamid: r.wamid,
        direction: Direction::Outbound,
        contact: NewContact {
            phone: looks_like_number.then(|| r.to.clone()),
            user_id: r
                .to_user_id
                .or_else(|| (!looks_like_number).then(|| r.to.clone())),
            name: None,
        },
        phone_number_id: r.phone_number_id,
        kind,
        body,
        content,
        payload: Some(payload.to_string()),
        sent_at: r.sent_at.unwrap_or(received_at),
        status: r.status,
        reply_to_wamid: r.reply_to,
        referral: None,
        biz_opaque_callback_data: r.biz_opaque_callback_data,
    })
}

#[cfg(test)]
mod tests;
