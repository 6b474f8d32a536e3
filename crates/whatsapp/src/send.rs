//! Bodies of `POST /{version}/{phone-number-id}/messages` and its success reply.
//!
//! [`MessagesRequest`] is everything that endpoint accepts here: an
//! [`OutboundMessage`] (text, template, reaction, image, document) or a
//! [`MarkRead`]. Builders produce exactly the JSON Meta documents; the same
//! types deserialise what a client sent, which is how the simulator checks
//! requests. Fields are optional on the way in wherever Meta tolerates their
//! absence (`recipient_type`, `preview_url`), and omitted on the way out when
//! unset, so a built request serialises to the minimal documented form.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The only value Meta accepts in `messaging_product`.
pub const MESSAGING_PRODUCT: &str = "whatsapp";

/// Meta's limit on `biz_opaque_callback_data`, in bytes.
pub const MAX_CALLBACK_DATA: usize = 512;

/// Meta's limit on a text message body, in characters.
pub const MAX_TEXT_BODY: usize = 4096;

/// Any body the messages endpoint accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessagesRequest {
    /// Tried first: a mark-as-read carries `status` and no `to`.
    MarkRead(MarkRead),
    Message(Box<OutboundMessage>),
}

impl MessagesRequest {
    /// Parses a request body. Unlike plain untagged deserialisation, the error
    /// names the field that is wrong: a body with `status` is read as a
    /// mark-as-read, any other as a message.
    pub fn from_slice(body: &[u8]) -> Result<Self, serde_json::Error> {
        let value: serde_json::Value = serde_json::from_slice(body)?;
        if value.get("status").is_some() {
            serde_json::from_value(value).map(Self::MarkRead)
        } else {
            serde_json::from_value(value).map(|m| Self::Message(Box::new(m)))
        }
    }
}

/// `{"messaging_product":"whatsapp","status":"read","message_id":"wamid…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    pub messaging_product: String,
    /// Always `read`.
    pub status: ReadStatus,
    pub message_id: String,
    /// `{"type":"text"}` also shows a typing indicator to the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typing_indicator: Option<TypingIndicator>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadStatus {
    Read,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypingIndicator {
    #[serde(rename = "type")]
    pub kind: String,
}

impl MarkRead {
    pub fn new(message_id: impl Into<String>) -> Self {
        Self {
            messaging_product: MESSAGING_PRODUCT.to_owned(),
            status: ReadStatus::Read,
            message_id: message_id.into(),
            typing_indicator: None,
        }
    }
}

/// A message to one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboundMessage {
    pub messaging_product: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_type: Option<String>,
    /// The customer's number, E.164 with or without `+`; Meta normalises it.
    /// Absent for a customer known only by their business-scoped user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The customer's business-scoped user id (`US.1349…`), sent instead of
    /// `to` when Hourglass has no number for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Makes the message a reply to an earlier one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ReplyContext>,
    /// Echoed back in every status webhook of this message; Hourglass puts
    /// its outbox id here so a send whose HTTP reply was lost is recognised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_opaque_callback_data: Option<String>,
    #[serde(flatten)]
    pub body: OutboundBody,
}

/// `context` of a reply: the wamid being answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyContext {
    pub message_id: String,
}

/// The `type` and its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OutboundBody {
    Text { text: TextBody },
    Template { template: TemplatePayload },
    Reaction { reaction: ReactionBody },
    Image { image: MediaBody },
    Video { video: MediaBody },
    Audio { audio: MediaBody },
    Document { document: MediaBody },
    Sticker { sticker: MediaBody },
}

impl OutboundBody {
    /// A media message of `kind` (`MediaKind::as_str`).
    pub fn media(kind: crate::media::MediaKind, media: MediaBody) -> Self {
        use crate::media::MediaKind;
        match kind {
            MediaKind::Image => Self::Image { image: media },
            MediaKind::Video => Self::Video { video: media },
            MediaKind::Audio => Self::Audio { audio: media },
            MediaKind::Document => Self::Document { document: media },
            MediaKind::Sticker => Self::Sticker { sticker: media },
        }
    }

    /// The media of a media message.
    pub fn media_body(&self) -> Option<&MediaBody> {
        match self {
            Self::Image { image: m }
            | Self::Video { video: m }
            | Self::Audio { audio: m }
            | Self::Document { document: m }
            | Self::Sticker { sticker: m } => Some(m),
            Self::Text { .. } | Self::Template { .. } | Self::Reaction { .. } => None,
        }
    }

    /// The media of a media message, to fill in (the uploaded id).
    pub fn media_body_mut(&mut self) -> Option<&mut MediaBody> {
        match self {
            Self::Image { image: m }
            | Self::Video { video: m }
            | Self::Audio { audio: m }
            | Self::Document { document: m }
            | Self::Sticker { sticker: m } => Some(m),
            Self::Text { .. } | Self::Template { .. } | Self::Reaction { .. } => None,
        }
    }

    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Template { .. } => "template",
            Self::Reaction { .. } => "reaction",
            Self::Image { .. } => "image",
            Self::Video { .. } => "video",
            Self::Audio { .. } => "audio",
            Self::Document { .. } => "document",
            Self::Sticker { .. } => "sticker",
        }
    }

    /// Only templates may be sent outside the 24 h customer-service window.
    pub fn needs_open_window(&self) -> bool {
        !matches!(self, Self::Template { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_url: Option<bool>,
    pub body: String,
}

/// `{message_id, emoji}`; an empty `emoji` removes the reaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionBody {
    pub message_id: String,
    pub emoji: String,
}

/// Media by uploaded `id` or public `link` (exactly one of them).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MediaBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
}

/// `template` of a template send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplatePayload {
    pub name: String,
    pub language: TemplateLanguage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<SendComponent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateLanguage {
    /// `en_US`, `ru`, `es`, …: must match the template's `language` exactly.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

/// One `components[]` entry of a template send.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendComponent {
    #[serde(rename = "type")]
    pub kind: SendComponentKind,
    /// For buttons: `url`, `quick_reply`, `copy_code`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<String>,
    /// For buttons: the button's position in the template. Meta documents it
    /// as a string and accepts a number, so both are read; a string is written.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "index_out",
        deserialize_with = "index_in"
    )]
    pub index: Option<u32>,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendComponentKind {
    Header,
    Body,
    Button,
}

impl SendComponent {
    pub fn header(parameters: Vec<Parameter>) -> Self {
        Self {
            kind: SendComponentKind::Header,
            sub_type: None,
            index: None,
            parameters,
        }
    }

    pub fn body(parameters: Vec<Parameter>) -> Self {
        Self {
            kind: SendComponentKind::Body,
            sub_type: None,
            index: None,
            parameters,
        }
    }

    /// The suffix appended to a URL button's `{{1}}`.
    pub fn url_button(index: u32, suffix: impl Into<String>) -> Self {
        Self {
            kind: SendComponentKind::Button,
            sub_type: Some("url".to_owned()),
            index: Some(index),
            parameters: vec![Parameter::text(suffix)],
        }
    }

    /// The payload a quick-reply button returns when tapped.
    pub fn quick_reply_button(index: u32, payload: impl Into<String>) -> Self {
        Self {
            kind: SendComponentKind::Button,
            sub_type: Some("quick_reply".to_owned()),
            index: Some(index),
            parameters: vec![Parameter {
                parameter_name: None,
                value: ParameterValue::Payload {
                    payload: payload.into(),
                },
            }],
        }
    }
}

fn index_out<S: Serializer>(index: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
    match index {
        Some(i) => s.serialize_str(&i.to_string()),
        None => s.serialize_none(),
    }
}

fn index_in<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Index {
        Number(u32),
        Text(String),
    }
    match Option::<Index>::deserialize(d)? {
        None => Ok(None),
        Some(Index::Number(n)) => Ok(Some(n)),
        Some(Index::Text(s)) => {
            s.trim().parse().map(Some).map_err(|_| {
                serde::de::Error::custom(format!("button index {s:?} is not a number"))
            })
        }
    }
}

/// One `parameters[]` entry. Named templates put the variable's name in
/// `parameter_name`; positional ones leave it out and rely on order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parameter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_name: Option<String>,
    #[serde(flatten)]
    pub value: ParameterValue,
}

impl Parameter {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            parameter_name: None,
            value: ParameterValue::Text { text: text.into() },
        }
    }

    pub fn named_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            parameter_name: Some(name.into()),
            value: ParameterValue::Text { text: text.into() },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParameterValue {
    Text { text: String },
    Currency { currency: CurrencyValue },
    DateTime { date_time: DateTimeValue },
    Image { image: MediaBody },
    Video { video: MediaBody },
    Document { document: MediaBody },
    Location { location: LocationValue },
    Payload { payload: String },
    CouponCode { coupon_code: String },
}

impl ParameterValue {
    /// The wire `type`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Currency { .. } => "currency",
            Self::DateTime { .. } => "date_time",
            Self::Image { .. } => "image",
            Self::Video { .. } => "video",
            Self::Document { .. } => "document",
            Self::Location { .. } => "location",
            Self::Payload { .. } => "payload",
            Self::CouponCode { .. } => "coupon_code",
        }
    }

    /// What the customer reads in place of the variable, for text-like values.
    pub fn display_text(&self) -> Option<&str> {
        match self {
            Self::Text { text } => Some(text),
            Self::Currency { currency } => Some(&currency.fallback_value),
            Self::DateTime { date_time } => Some(&date_time.fallback_value),
            Self::Payload { payload } => Some(payload),
            Self::CouponCode { coupon_code } => Some(coupon_code),
            Self::Image { .. }
            | Self::Video { .. }
            | Self::Document { .. }
            | Self::Location { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyValue {
    pub fallback_value: String,
    pub code: String,
    pub amount_1000: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateTimeValue {
    pub fallback_value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocationValue {
    pub latitude: f64,
    pub longitude: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// Who a message goes to: a number (`to`) or, for a customer who hides it
/// behind a username, their business-scoped user id (`recipient`). A
/// customer with both is addressed by number, as Meta routes it first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Addressee {
    Phone(String),
    UserId(String),
}

impl Addressee {
    /// The number when there is one, else the user id; `None` when both are
    /// absent or empty.
    pub fn of(phone: Option<&str>, user_id: Option<&str>) -> Option<Addressee> {
        fn present(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        present(phone)
            .map(|p| Addressee::Phone(p.to_owned()))
            .or_else(|| present(user_id).map(|u| Addressee::UserId(u.to_owned())))
    }

    /// The number or the user id, as written in the request.
    pub fn as_str(&self) -> &str {
        match self {
            Addressee::Phone(s) | Addressee::UserId(s) => s,
        }
    }
}

impl From<&str> for Addressee {
    /// A bare string is a number, as `to` always was.
    fn from(phone: &str) -> Self {
        Addressee::Phone(phone.to_owned())
    }
}

impl From<String> for Addressee {
    fn from(phone: String) -> Self {
        Addressee::Phone(phone)
    }
}

impl From<&String> for Addressee {
    fn from(phone: &String) -> Self {
        Addressee::Phone(phone.clone())
    }
}

impl From<&Addressee> for Addressee {
    fn from(a: &Addressee) -> Self {
        a.clone()
    }
}

impl OutboundMessage {
    fn new(to: impl Into<Addressee>, body: OutboundBody) -> Self {
        let (to, recipient) = match to.into() {
            Addressee::Phone(p) => (Some(p), None),
            Addressee::UserId(u) => (None, Some(u)),
        };
        Self {
            messaging_product: MESSAGING_PRODUCT.to_owned(),
            recipient_type: Some("individual".to_owned()),
            to,
            recipient,
            context: None,
            biz_opaque_callback_data: None,
            body,
        }
    }

    /// A text message; links are not previewed.
    pub fn text(to: impl Into<Addressee>, body: impl Into<String>) -> Self {
        Self::new(
            to,
            OutboundBody::Text {
                text: TextBody {
                    preview_url: Some(false),
                    body: body.into(),
                },
            },
        )
    }

    pub fn template(to: impl Into<Addressee>, template: TemplatePayload) -> Self {
        Self::new(to, OutboundBody::Template { template })
    }

    /// A media message by uploaded id or link.
    pub fn media(
        to: impl Into<Addressee>,
        kind: crate::media::MediaKind,
        media: MediaBody,
    ) -> Self {
        Self::new(to, OutboundBody::media(kind, media))
    }

    /// A reaction to `message_id`; an empty emoji removes it.
    pub fn reaction(
        to: impl Into<Addressee>,
        message_id: impl Into<String>,
        emoji: impl Into<String>,
    ) -> Self {
        Self::new(
            to,
            OutboundBody::Reaction {
                reaction: ReactionBody {
                    message_id: message_id.into(),
                    emoji: emoji.into(),
                },
            },
        )
    }

    /// Who the request names: the number when `to` is set, else the user
    /// id of `recipient`; `None` when neither is.
    pub fn addressee(&self) -> Option<Addressee> {
        Addressee::of(self.to.as_deref(), self.recipient.as_deref())
    }

    /// Makes this a reply to `wamid`.
    pub fn reply_to(mut self, wamid: impl Into<String>) -> Self {
        self.context = Some(ReplyContext {
            message_id: wamid.into(),
        });
        self
    }

    /// Sets `biz_opaque_callback_data`, echoed in every status webhook.
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.biz_opaque_callback_data = Some(data.into());
        self
    }
}

impl TemplatePayload {
    pub fn new(name: impl Into<String>, language: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            language: TemplateLanguage {
                code: language.into(),
                policy: None,
            },
            components: Vec::new(),
        }
    }

    pub fn component(mut self, component: SendComponent) -> Self {
        self.components.push(component);
        self
    }
}

/// Success reply of the messages endpoint: **accepted**, not delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendResponse {
    pub messaging_product: String,
    pub contacts: Vec<SendContact>,
    pub messages: Vec<SentMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendContact {
    /// `to` (or `recipient`) exactly as sent.
    pub input: String,
    /// The WhatsApp id Meta resolved it to (digits, no `+`); empty when the
    /// send named a business-scoped user id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub wa_id: String,
    /// The business-scoped user id, when the send named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentMessage {
    pub id: String,
    /// `accepted` (or `held_for_quality_assessment`) on template sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_status: Option<String>,
}

impl SendResponse {
    /// The wamid of the accepted message.
    pub fn wamid(&self) -> Option<&str> {
        self.messages.first().map(|m| m.id.as_str())
    }
}

/// Reply to a mark-as-read: `{"success":true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessResponse {
    pub success: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_reply_serialises_to_the_documented_form() {
        let msg = OutboundMessage::text("+16505551234", "Hi")
            .reply_to("wamid.ABC")
            .callback_data("outbox-7");
        assert_eq!(
            serde_json::to_value(&msg).unwrap(),
            json!({"messaging_product":"whatsapp","recipient_type":"individual","to":"+16505551234",
                   "context":{"message_id":"wamid.ABC"},"biz_opaque_callback_data":"outbox-7",
                   "type":"text","text":{"preview_url":false,"body":"Hi"}})
        );
    }

    #[test]
    fn a_customer_known_by_user_id_is_named_with_recipient_not_to() {
        let text = OutboundMessage::text(Addressee::UserId("US.13491208655302741918".into()), "Hi");
        assert_eq!(
            serde_json::to_value(&text).unwrap(),
            json!({"messaging_product":"whatsapp","recipient_type":"individual",
                   "recipient":"US.13491208655302741918",
                   "type":"text","text":{"preview_url":false,"body":"Hi"}})
        );
        let template = OutboundMessage::template(
            Addressee::UserId("US.1".into()),
            TemplatePayload::new("order_update", "en_US"),
        );
        let v = serde_json::to_value(&template).unwrap();
        assert_eq!(v["recipient"], "US.1");
        assert!(v.get("to").is_none(), "{v}");
        let media = OutboundMessage::media(
            Addressee::UserId("US.1".into()),
            crate::media::MediaKind::Image,
            MediaBody {
                id: Some("55".into()),
                ..MediaBody::default()
            },
        );
        let v = serde_json::to_value(&media).unwrap();
        assert_eq!((v["recipient"].as_str(), v.get("to")), (Some("US.1"), None));
        // Read back, the request names the same customer.
        let back: OutboundMessage = serde_json::from_value(v).unwrap();
        assert_eq!(back.addressee(), Some(Addressee::UserId("US.1".into())));
    }

    #[test]
    fn a_customer_with_a_number_keeps_to() {
        let a = Addressee::of(Some("+34612345678"), Some("ES.1")).unwrap();
        assert_eq!(a, Addressee::Phone("+34612345678".into()));
        let v = serde_json::to_value(OutboundMessage::text(&a, "Hola")).unwrap();
        assert_eq!(
            (v["to"].as_str(), v.get("recipient")),
            (Some("+34612345678"), None)
        );
        assert_eq!(
            Addressee::of(Some(" "), Some("ES.1")),
            Some(Addressee::UserId("ES.1".into()))
        );
        assert_eq!(Addressee::of(None, Some("")), None);
        // A body naming nobody has no addressee.
        let nobody: OutboundMessage = serde_json::from_value(
            json!({"messaging_product":"whatsapp","type":"text","text":{"body":"x"}}),
        )
        .unwrap();
        assert_eq!(nobody.addressee(), None);
    }

    #[test]
    fn template_send_matches_the_documented_example() {
        let doc = json!({ "messaging_product": "whatsapp", "to": "+16505551234", "type": "template",
          "template": { "name": "order_update", "language": { "code": "en_US" },
            "components": [
              { "type": "header", "parameters": [ { "type": "text", "text": "SKB-4CP" } ] },
              { "type": "body", "parameters": [ { "type": "text", "text": "Jessica" },
                                                { "type": "text", "parameter_name": "order_number", "text": "SKB-4CP" } ] },
              { "type": "button", "sub_type": "url", "index": "0", "parameters": [ { "type": "text", "text": "?id=123" } ] } ] } });
        let parsed: MessagesRequest = serde_json::from_value(doc.clone()).unwrap();
        let MessagesRequest::Message(msg) = &parsed else {
            panic!("parsed as {parsed:?}")
        };
        let OutboundBody::Template { template } = &msg.body else {
            panic!("not a template")
        };
        assert_eq!(template.components[2].index, Some(0));
        assert_eq!(
            template.components[1].parameters[1]
                .parameter_name
                .as_deref(),
            Some("order_number")
        );

        let mut built = OutboundMessage::template(
            "+16505551234",
            TemplatePayload::new("order_update", "en_US")
                .component(SendComponent::header(vec![Parameter::text("SKB-4CP")]))
                .component(SendComponent::body(vec![
                    Parameter::text("Jessica"),
                    Parameter::named_text("order_number", "SKB-4CP"),
                ]))
                .component(SendComponent::url_button(0, "?id=123")),
        );
        built.recipient_type = None;
        assert_eq!(serde_json::to_value(&built).unwrap(), doc);
    }

    #[test]
    fn numeric_button_index_is_accepted() {
        let c: SendComponent = serde_json::from_value(
            json!({"type":"button","sub_type":"url","index":1,"parameters":[]}),
        )
        .unwrap();
        assert_eq!(c.index, Some(1));
        assert!(
            serde_json::from_value::<SendComponent>(json!({"type":"button","index":"x"})).is_err()
        );
    }

    #[test]
    fn mark_read_is_told_apart_from_messages() {
        let read: MessagesRequest = serde_json::from_value(
            json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.X"}),
        )
        .unwrap();
        assert_eq!(read, MessagesRequest::MarkRead(MarkRead::new("wamid.X")));
        let text: MessagesRequest = serde_json::from_value(
            json!({"messaging_product":"whatsapp","to":"1","type":"text","text":{"body":"a"}}),
        )
        .unwrap();
        assert!(matches!(text, MessagesRequest::Message(_)));
        assert!(
            serde_json::from_value::<MessagesRequest>(
                json!({"messaging_product":"whatsapp","to":"1","type":"hologram"})
            )
            .is_err()
        );
    }

    #[test]
    fn currency_and_media_parameters() {
        let p: Parameter = serde_json::from_value(json!({"type":"currency","currency":
            {"fallback_value":"$10.99","code":"USD","amount_1000":10990}}))
        .unwrap();
        assert_eq!(p.value.display_text(), Some("$10.99"));
        let img: Parameter =
            serde_json::from_value(json!({"type":"image","image":{"link":"https://x/y.png"}}))
                .unwrap();
        assert_eq!(img.value.kind(), "image");
        assert_eq!(img.value.display_text(), None);
    }

    #[test]
    fn success_reply_parses() {
        let r: SendResponse = serde_json::from_value(json!({"messaging_product":"whatsapp",
            "contacts":[{"input":"+16505551234","wa_id":"16505551234"}],
            "messages":[{"id":"wamid.HBgL","message_status":"accepted"}]}))
        .unwrap();
        assert_eq!(r.wamid(), Some("wamid.HBgL"));
    }
}
