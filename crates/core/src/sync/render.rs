//! How a message reads in the store: the one-line body that previews,
//! notifications and search use, and the typed content the window draws.
//! Kept apart from [`super::plan`], which decides what a webhook changes,
//! so the wording can change without touching the planner.

use crate::inbox::{ContactCard, MediaInfo, MessageContent};
use hourglass_whatsapp::webhook::{
    CallPermissionResponse, Interactive, MEDIA_PLACEHOLDER, Media, MessageContent as Wa,
};

/// The stored one-line text of a call (previews and search); the window
/// words the line itself in its language.
pub(crate) fn call_body(missed: bool, duration: Option<i64>) -> String {
    match (missed, duration) {
        (true, _) | (false, None) => "📞 Missed call".to_owned(),
        (false, Some(d)) => format!("📞 Call, {}:{:02}", d / 60, d % 60),
    }
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

pub(crate) fn media_body(info: &MediaInfo) -> String {
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
            Interactive::CallPermissionReply(reply) => {
                let response = match &reply.response {
                    CallPermissionResponse::Accept => "accept".to_owned(),
                    CallPermissionResponse::Reject => "reject".to_owned(),
                    CallPermissionResponse::Other(other) => other.clone(),
                };
                let body = match reply.response {
                    CallPermissionResponse::Accept => "📞 The customer allowed calls",
                    CallPermissionResponse::Reject => "📞 The customer declined calls",
                    CallPermissionResponse::Other(_) => "📞 The customer answered a call request",
                };
                (
                    "interactive".into(),
                    body.to_owned(),
                    MessageContent::CallPermission {
                        response,
                        permanent: reply.is_permanent,
                        expires_at: reply.expiration_timestamp.filter(|_| !reply.is_permanent),
                    },
                )
            }
            // Without its `type` (Meta left the body out) it is just an
            // interactive message, not one of an empty kind.
            Interactive::Unknown { kind, .. } if kind.is_empty() => (
                "interactive".into(),
                "Unsupported interactive reply".to_owned(),
                MessageContent::Unknown {
                    kind: "interactive".to_owned(),
                },
            ),
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
        Wa::Unknown { kind, .. } if kind == MEDIA_PLACEHOLDER => (
            kind.clone(),
            "Media from the WhatsApp Business app".into(),
            MessageContent::MediaPlaceholder,
        ),
        Wa::Unknown { kind, .. } => (
            kind.clone(),
            format!("Unknown message type ({kind})"),
            MessageContent::Unknown { kind: kind.clone() },
        ),
    }
}
