//! Inbound messages (`value.messages[]`).
//!
//! The common fields (id, sender, timestamp, context, referral, errors) are
//! read first; the content is then read from the key named by `type`. A type
//! this crate does not know, or a known type whose content has an unexpected
//! shape, becomes [`MessageContent::Unknown`] with the raw message, so the
//! message is still filed (and its window still counted) and shown as
//! "unsupported" instead of vanishing.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{ErrorDetail, Timestamp, Wamid, lenient};

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: Wamid,
    /// The sender's phone number; absent for users who enabled usernames.
    pub from: Option<String>,
    /// Business-scoped user id (`US.…`).
    pub from_user_id: Option<String>,
    pub timestamp: Timestamp,
    pub context: Option<Context>,
    /// Set when the customer came from a click-to-WhatsApp ad or post.
    pub referral: Option<Referral>,
    /// Message-level errors, e.g. 131051 on an `unsupported` message.
    pub errors: Vec<ErrorDetail>,
    pub content: MessageContent,
}

#[derive(Deserialize)]
struct Head {
    id: Wamid,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    from: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    from_user_id: Option<String>,
    timestamp: Timestamp,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    context: Option<Context>,
    #[serde(default)]
    referral: Option<Referral>,
    #[serde(default)]
    errors: Option<Vec<ErrorDetail>>,
}

impl Message {
    /// Reads one element of `value.messages`. Fails only when the common
    /// fields (`id`, `timestamp`) are missing or of the wrong type.
    pub fn from_value(raw: &Value) -> Result<Self, String> {
        let head = Head::deserialize(raw).map_err(|e| format!("message: {e}"))?;
        let kind = head.kind.unwrap_or_default();
        Ok(Message {
            id: head.id,
            from: head.from,
            from_user_id: head.from_user_id,
            timestamp: head.timestamp,
            context: head.context,
            referral: head.referral,
            errors: head.errors.unwrap_or_default(),
            content: MessageContent::from_value(&kind, raw),
        })
    }
}

/// What a message carries, by `type`.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageContent {
    Text(Text),
    Image(Media),
    Video(Media),
    Document(Media),
    Sticker(Media),
    /// `voice: true` marks a voice note.
    Audio(Media),
    Location(Location),
    Contacts(Vec<SharedContact>),
    Interactive(Interactive),
    /// A tap on a template's quick-reply button.
    Button(Button),
    /// `emoji: None` means the customer removed their reaction.
    Reaction(Reaction),
    Order(Order),
    System(System),
    /// The customer opened the chat for the first time; no content.
    RequestWelcome,
    /// Meta could not deliver the content (polls, …): see the message `errors`.
    Unsupported {
        kind: Option<String>,
    },
    Edit(Edit),
    Revoke(Revoke),
    /// A type this crate does not know, or a known one of unexpected shape.
    Unknown {
        kind: String,
        /// Why a known type did not read, if it was a known type.
        reason: Option<String>,
        raw: Value,
    },
}

impl MessageContent {
    /// Reads the content of `raw` (an object with a `type` key and the
    /// payload under the key of that name).
    pub fn from_value(kind: &str, raw: &Value) -> Self {
        let body = raw.get(kind).unwrap_or(&Value::Null);
        let read = || -> Result<MessageContent, serde_json::Error> {
            Ok(match kind {
                "text" => MessageContent::Text(Text::deserialize(body)?),
                "image" => MessageContent::Image(Media::deserialize(body)?),
                "video" => MessageContent::Video(Media::deserialize(body)?),
                "document" => MessageContent::Document(Media::deserialize(body)?),
                "sticker" => MessageContent::Sticker(Media::deserialize(body)?),
                "audio" => MessageContent::Audio(Media::deserialize(body)?),
                "location" => MessageContent::Location(Location::deserialize(body)?),
                "contacts" => MessageContent::Contacts(Vec::<SharedContact>::deserialize(body)?),
                "interactive" => MessageContent::Interactive(Interactive::from_value(body)?),
                "button" => MessageContent::Button(Button::deserialize(body)?),
                "reaction" => MessageContent::Reaction(Reaction::deserialize(body)?),
                "order" => MessageContent::Order(Order::deserialize(body)?),
                "system" => MessageContent::System(System::deserialize(body)?),
                "request_welcome" => MessageContent::RequestWelcome,
                "unsupported" => MessageContent::Unsupported {
                    kind: body.get("type").and_then(Value::as_str).map(str::to_owned),
                },
                "edit" => MessageContent::Edit(Edit::from_value(body)?),
                "revoke" => MessageContent::Revoke(Revoke::deserialize(body)?),
                _ => MessageContent::Unknown {
                    kind: kind.to_owned(),
                    reason: None,
                    raw: raw.clone(),
                },
            })
        };
        read().unwrap_or_else(|e| MessageContent::Unknown {
            kind: kind.to_owned(),
            reason: Some(e.to_string()),
            raw: raw.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub body: String,
}

/// Image, video, document, sticker or audio. Fetch it promptly: media ids
/// from webhooks expire after 7 days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(default)]
    pub mime_type: Option<String>,
    #[serde(default)]
    pub sha256: Option<String>,
    #[serde(default)]
    pub caption: Option<String>,
    /// Documents only.
    #[serde(default)]
    pub filename: Option<String>,
    /// Stickers only.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub animated: bool,
    /// Audio only: a voice note rather than an audio file.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub voice: bool,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    #[serde(deserialize_with = "f64_required")]
    pub latitude: f64,
    #[serde(deserialize_with = "f64_required")]
    pub longitude: f64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

fn f64_required<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    lenient::opt_f64(d)?.ok_or_else(|| serde::de::Error::custom("a number is required"))
}

/// A contact card the customer shared.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContact {
    #[serde(default)]
    pub name: Option<SharedContactName>,
    #[serde(default)]
    pub phones: Vec<SharedContactPhone>,
    #[serde(default)]
    pub emails: Vec<SharedContactEmail>,
    #[serde(default)]
    pub org: Option<SharedContactOrg>,
    #[serde(default)]
    pub urls: Vec<SharedContactUrl>,
    #[serde(default)]
    pub addresses: Vec<SharedContactAddress>,
    #[serde(default)]
    pub birthday: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContactName {
    #[serde(default)]
    pub formatted_name: Option<String>,
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    #[serde(default)]
    pub middle_name: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub suffix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContactPhone {
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub wa_id: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContactEmail {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContactOrg {
    #[serde(default)]
    pub company: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContactUrl {
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SharedContactAddress {
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub zip: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub country_code: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A reply to an interactive message the business sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Interactive {
    ButtonReply {
        id: String,
        title: String,
    },
    ListReply {
        id: String,
        title: String,
        description: Option<String>,
    },
    /// A WhatsApp Flow was completed; `response_json` is the flow's answer as
    /// the string Meta sent.
    NfmReply {
        name: Option<String>,
        body: Option<String>,
        response_json: String,
    },
    /// The customer answered a request to be called on WhatsApp.
    CallPermissionReply(CallPermissionReply),
    Unknown {
        kind: String,
        raw: Value,
    },
}

/// `interactive.call_permission_reply`: whether the customer lets the
/// business call them, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CallPermissionReply {
    pub response: CallPermissionResponse,
    /// The permission does not expire.
    #[serde(default)]
    pub is_permanent: bool,
    /// Unix seconds the permission ends, for a temporary one.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub expiration_timestamp: Option<i64>,
    /// `user_action` or `automatic`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub response_source: Option<String>,
}

/// The customer's answer to a call permission request.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "String")]
pub enum CallPermissionResponse {
    Accept,
    Reject,
    /// An answer this crate does not know, kept by name.
    Other(String),
}

impl From<String> for CallPermissionResponse {
    fn from(s: String) -> Self {
        match s.as_str() {
            "accept" => Self::Accept,
            "reject" => Self::Reject,
            _ => Self::Other(s),
        }
    }
}

impl Interactive {
    fn from_value(body: &Value) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Reply {
            #[serde(deserialize_with = "lenient::string")]
            id: String,
            #[serde(default)]
            title: String,
            #[serde(default)]
            description: Option<String>,
        }
        #[derive(Deserialize)]
        struct Nfm {
            #[serde(default)]
            name: Option<String>,
            #[serde(default)]
            body: Option<String>,
            #[serde(default)]
            response_json: String,
        }
        let kind = body.get("type").and_then(Value::as_str).unwrap_or_default();
        let part = body.get(kind).unwrap_or(&Value::Null);
        Ok(match kind {
            "button_reply" => {
                let r = Reply::deserialize(part)?;
                Interactive::ButtonReply {
                    id: r.id,
                    title: r.title,
                }
            }
            "list_reply" => {
                let r = Reply::deserialize(part)?;
                Interactive::ListReply {
                    id: r.id,
                    title: r.title,
                    description: r.description,
                }
            }
            "nfm_reply" => {
                let n = Nfm::deserialize(part)?;
                Interactive::NfmReply {
                    name: n.name,
                    body: n.body,
                    response_json: n.response_json,
                }
            }
            "call_permission_reply" => {
                Interactive::CallPermissionReply(CallPermissionReply::deserialize(part)?)
            }
            other => Interactive::Unknown {
                kind: other.to_owned(),
                raw: body.clone(),
            },
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub payload: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    /// The message reacted to.
    pub message_id: Wamid,
    /// Absent when the reaction was removed.
    #[serde(default)]
    pub emoji: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub catalog_id: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub product_items: Vec<OrderItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    #[serde(deserialize_with = "lenient::string")]
    pub product_retailer_id: String,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub quantity: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub item_price: Option<f64>,
    #[serde(default)]
    pub currency: Option<String>,
}

/// A change Meta reports about the customer: a new number, a new identity,
/// a new user id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct System {
    #[serde(default)]
    pub body: Option<String>,
    /// `customer_changed_number`, `customer_identity_changed`, `user_changed_user_id`, …
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub wa_id: Option<String>,
    /// Older API versions name the new number this way.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub new_wa_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub previous_user_id: Option<String>,
    #[serde(default)]
    pub identity: Option<String>,
    #[serde(default)]
    pub customer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub original_message_id: Wamid,
    /// The new content; the inner message carries only `type` and its payload.
    pub content: Box<MessageContent>,
}

impl Edit {
    fn from_value(body: &Value) -> Result<Self, serde_json::Error> {
        #[derive(Deserialize)]
        struct Raw {
            original_message_id: Wamid,
        }
        let raw = Raw::deserialize(body)?;
        let inner = body.get("message").unwrap_or(&Value::Null);
        let kind = inner
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Ok(Edit {
            original_message_id: raw.original_message_id,
            content: Box::new(MessageContent::from_value(kind, inner)),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoke {
    pub original_message_id: Wamid,
}

/// `context`: what this message replies to, or that it was forwarded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Context {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub from: Option<String>,
    /// The message replied to.
    #[serde(default)]
    pub id: Option<Wamid>,
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub forwarded: bool,
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub frequently_forwarded: bool,
    #[serde(default)]
    pub referred_product: Option<ReferredProduct>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferredProduct {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub catalog_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub product_retailer_id: Option<String>,
}

/// A click-to-WhatsApp ad or post the customer came from. `ctwa_clid` is
/// absent for Status-ad placements.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Referral {
    #[serde(default)]
    pub source_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub source_id: Option<String>,
    #[serde(default)]
    pub source_type: Option<String>,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub media_type: Option<String>,
    #[serde(default)]
    pub image_url: Option<String>,
    #[serde(default)]
    pub video_url: Option<String>,
    #[serde(default)]
    pub thumbnail_url: Option<String>,
    #[serde(default)]
    pub ctwa_clid: Option<String>,
}
