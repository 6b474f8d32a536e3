//! Message templates: the model `GET /{waba-id}/message_templates` returns,
//! the variables a template needs, the check Meta applies to a template send,
//! and the message the customer would see.
//!
//! One set of rules serves the simulator (which answers a bad send with the
//! Graph error Meta would) and the desktop's template picker (which refuses to
//! send what Meta would refuse, and previews the result):
//!
//! 1. [`Template::variables`] lists every value to fill in, as a [`Slot`]:
//!    header text variables, a media header, body variables (positional
//!    `{{1}}` or named `{{first_name}}`) and button values (a URL button's
//!    `{{1}}` suffix, an OTP code, a coupon code).
//! 2. [`Template::build_payload`] turns filled-in values into the `template`
//!    object of a send, in the template's parameter format.
//! 3. [`validate`] checks a send against the template and returns the Meta
//!    error that applies (see below).
//! 4. [`render`] substitutes values into header, body, footer and buttons;
//!    unfilled variables stay visible as `{{name}}`. [`preview`] is
//!    validate-then-render.
//!
//! Checks, in the order they are made (the first failure is reported):
//! - name and language must match, or 132001 (`template name (x) does not
//!   exist in en_US`); a PAUSED template gives 132015, DISABLED 132016, any
//!   other status but APPROVED (PENDING, REJECTED, …) 132001 because Meta does
//!   not know a sendable translation of it;
//! - for header, body and each button: the number of parameters must equal the
//!   number of variables, or 132000 (`body: number of localizable_params (1)
//!   does not match the expected number of params (2)`); a button index the
//!   template lacks is 131009;
//! - each parameter must be of the kind the slot takes (text for text
//!   variables, the header's media kind, `payload` for quick replies, …), and
//!   named templates need `parameter_name`s that are exactly the template's
//!   names while positional templates must not send any, or 132012;
//! - text values may not be empty (131008) nor hold new lines, tabs or more than
//!   four spaces in a row (132018);
//! - the filled-in header may not exceed 60 characters and the body 1024, or
//!   132005.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::graph_error::{ErrorCode, GraphError};
use crate::send::{
    MediaBody, Parameter, ParameterValue, SendComponent, SendComponentKind, TemplatePayload,
};

/// Longest filled-in text header Meta sends.
pub const MAX_HEADER_CHARS: usize = 60;
/// Longest filled-in body Meta sends.
pub const MAX_BODY_CHARS: usize = 1024;

/// One template in one language, as listed by the Graph API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    #[serde(default)]
    pub id: String,
    pub name: String,
    /// `en_US`, `ru`, `es`, …; with `name` the template's key.
    pub language: String,
    pub status: TemplateStatus,
    pub category: TemplateCategory,
    /// Absent on older templates, which are positional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter_format: Option<ParameterFormat>,
    #[serde(default)]
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TemplateStatus {
    Approved,
    Pending,
    Rejected,
    Paused,
    Disabled,
    InAppeal,
    PendingDeletion,
    Deleted,
    LimitExceeded,
    /// A status this version does not know; never sendable.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TemplateCategory {
    Marketing,
    Utility,
    Authentication,
    #[serde(other)]
    Unknown,
}

impl TemplateCategory {
    /// The lowercase name status webhooks use in `pricing.category`.
    pub fn pricing_name(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::Utility => "utility",
            Self::Authentication => "authentication",
            Self::Unknown => "marketing",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ParameterFormat {
    Positional,
    Named,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Component {
    Header(Header),
    Body(Body),
    Footer(Footer),
    Buttons(Buttons),
    /// A component kind this version does not know; ignored.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: HeaderFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HeaderFormat {
    Text,
    Image,
    Video,
    Document,
    Location,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Example>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Footer {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Buttons {
    pub buttons: Vec<Button>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Button {
    QuickReply {
        text: String,
    },
    /// `url` may end in `{{1}}`, filled by the send's button parameter.
    Url {
        text: String,
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        example: Option<Vec<String>>,
    },
    PhoneNumber {
        text: String,
        phone_number: String,
    },
    /// A marketing coupon; the code is sent as a `coupon_code` parameter.
    CopyCode {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        example: Option<String>,
    },
    /// An authentication button in creation form; the code is sent like a
    /// URL button suffix.
    Otp {
        otp_type: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    #[serde(other)]
    Unknown,
}

/// Sample values Meta keeps with a template.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Example {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_text: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_text_named_params: Option<Vec<NamedExample>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_handle: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text: Option<Vec<Vec<String>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_text_named_params: Option<Vec<NamedExample>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedExample {
    pub param_name: String,
    pub example: String,
}

/// A variable's name inside `{{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VarName {
    Positional(u32),
    Named(String),
}

impl std::fmt::Display for VarName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Positional(n) => write!(f, "{{{{{n}}}}}"),
            Self::Named(s) => write!(f, "{{{{{s}}}}}"),
        }
    }
}

/// Where a value goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "slot", rename_all = "snake_case")]
pub enum Slot {
    HeaderText {
        var: VarName,
    },
    /// The image, video, document or location of a media header.
    HeaderMedia,
    Body {
        var: VarName,
    },
    /// The one value of the button at `index`: URL suffix, OTP code or coupon.
    Button {
        index: u32,
    },
}

/// What kind of value a slot takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    Text,
    /// An image, video or document (link or media id), or a location.
    Media(HeaderFormat),
    /// A URL button's suffix, or an OTP code sent the same way.
    UrlSuffix,
    CouponCode,
}

/// One value a template needs before it can be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variable {
    pub slot: Slot,
    pub kind: ValueKind,
    /// Meta's sample value, handy as a placeholder in a form.
    pub example: Option<String>,
}

/// Why a template send would be refused, with the code Meta answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} (#{}): {details}", code.summary(), code.code())]
pub struct TemplateSendError {
    pub code: ErrorCode,
    /// Meta-style `error_data.details`, e.g. `body: number of localizable_params
    /// (1) does not match the expected number of params (2)`.
    pub details: String,
}

impl TemplateSendError {
    fn new(code: ErrorCode, details: impl Into<String>) -> Self {
        Self {
            code,
            details: details.into(),
        }
    }

    /// The Graph error Meta answers with.
    pub fn to_graph_error(&self) -> GraphError {
        GraphError::new(self.code, self.details.clone())
    }
}

/// The variables in `text`, each once, in order of first appearance.
/// `{{1}}` is positional, `{{first_name}}` (lowercase letters, digits and
/// underscores, starting with a letter or underscore) is named; anything else
/// between braces is literal text.
pub fn placeholders(text: &str) -> Vec<VarName> {
    let mut out: Vec<VarName> = Vec::new();
    for piece in scan(text) {
        if let Piece::Var(v) = piece
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

enum Piece<'a> {
    Literal(&'a str),
    Var(VarName),
}

fn scan(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            break;
        };
        match parse_var(&after[..close]) {
            Some(var) => {
                if open > 0 {
                    pieces.push(Piece::Literal(&rest[..open]));
                }
                pieces.push(Piece::Var(var));
                rest = &after[close + 2..];
            }
            None => {
                // Not a variable: keep one brace literally, so `{{{1}}}` still
                // finds the variable that starts at the next brace.
                pieces.push(Piece::Literal(&rest[..open + 1]));
                rest = &rest[open + 1..];
            }
        }
    }
    if !rest.is_empty() {
        pieces.push(Piece::Literal(rest));
    }
    pieces
}

fn parse_var(inner: &str) -> Option<VarName> {
    let inner = inner.trim();
    if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
        return inner
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .map(VarName::Positional);
    }
    let mut bytes = inner.bytes();
    let first = bytes.next()?;
    let head_ok = first.is_ascii_lowercase() || first == b'_';
    let tail_ok = bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    (head_ok && tail_ok).then(|| VarName::Named(inner.to_owned()))
}

fn substitute(text: &str, value: impl Fn(&VarName) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    for piece in scan(text) {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Var(v) => match value(&v) {
                Some(s) => out.push_str(&s),
                None => out.push_str(&v.to_string()),
            },
        }
    }
    out
}

/// Variables of one text in the order their parameters are sent: by number
/// for positional ones, by first appearance for named ones.
fn ordered(text: &str) -> Vec<VarName> {
    let mut vars = placeholders(text);
    if vars.iter().all(|v| matches!(v, VarName::Positional(_))) {
        vars.sort();
    }
    vars
}

impl Template {
    /// `(name, language)`, the key templates are stored and sent by.
    pub fn key(&self) -> (&str, &str) {
        (&self.name, &self.language)
    }

    pub fn is_sendable(&self) -> bool {
        self.status == TemplateStatus::Approved
    }

    /// The declared parameter format, or the one the body's variables imply
    /// when Meta left it out.
    pub fn format(&self) -> ParameterFormat {
        if let Some(f) = self.parameter_format {
            return f;
        }
        let named = self
            .body()
            .map(|b| placeholders(&b.text))
            .unwrap_or_default()
            .iter()
            .any(|v| matches!(v, VarName::Named(_)));
        if named {
            ParameterFormat::Named
        } else {
            ParameterFormat::Positional
        }
    }

    pub fn header(&self) -> Option<&Header> {
        self.components.iter().find_map(|c| match c {
            Component::Header(h) => Some(h),
            _ => None,
        })
    }

    pub fn body(&self) -> Option<&Body> {
        self.components.iter().find_map(|c| match c {
            Component::Body(b) => Some(b),
            _ => None,
        })
    }

    pub fn footer(&self) -> Option<&Footer> {
        self.components.iter().find_map(|c| match c {
            Component::Footer(f) => Some(f),
            _ => None,
        })
    }

    pub fn buttons(&self) -> &[Button] {
        self.components
            .iter()
            .find_map(|c| match c {
                Component::Buttons(b) => Some(b.buttons.as_slice()),
                _ => None,
            })
            .unwrap_or(&[])
    }

    fn header_text_vars(&self) -> Vec<VarName> {
        match self.header() {
            Some(Header {
                format: HeaderFormat::Text,
                text: Some(text),
                ..
            }) => ordered(text),
            _ => Vec::new(),
        }
    }

    fn header_media(&self) -> Option<HeaderFormat> {
        self.header()
            .map(|h| h.format)
            .filter(|f| !matches!(f, HeaderFormat::Text | HeaderFormat::Unknown))
    }

    fn body_vars(&self) -> Vec<VarName> {
        self.body().map(|b| ordered(&b.text)).unwrap_or_default()
    }

    /// The value kind the button at `index` takes, if it takes one.
    fn button_value(&self, index: usize) -> Option<ValueKind> {
        match self.buttons().get(index)? {
            Button::Url { url, .. } if !placeholders(url).is_empty() => Some(ValueKind::UrlSuffix),
            Button::Otp { .. } => Some(ValueKind::UrlSuffix),
            Button::CopyCode { .. } => Some(ValueKind::CouponCode),
            _ => None,
        }
    }

    /// Every value the template needs, in form order: header, body, buttons.
    pub fn variables(&self) -> Vec<Variable> {
        let mut out = Vec::new();
        let header = self.header();
        for var in self.header_text_vars() {
            let example = header.and_then(|h| h.example.as_ref()).and_then(|e| {
                example_for(
                    &var,
                    e.header_text.as_deref().map(|v| v.iter()),
                    e.header_text_named_params.as_deref(),
                    &self.header_text_vars(),
                )
            });
            out.push(Variable {
                slot: Slot::HeaderText { var },
                kind: ValueKind::Text,
                example,
            });
        }
        if let Some(format) = self.header_media() {
            let example = header
                .and_then(|h| h.example.as_ref())
                .and_then(|e| e.header_handle.as_ref())
                .and_then(|h| h.first().cloned());
            out.push(Variable {
                slot: Slot::HeaderMedia,
                kind: ValueKind::Media(format),
                example,
            });
        }
        let body_vars = self.body_vars();
        let body_example = self.body().and_then(|b| b.example.as_ref());
        for var in &body_vars {
            let example = body_example.and_then(|e| {
                example_for(
                    var,
                    e.body_text
                        .as_ref()
                        .and_then(|rows| rows.first())
                        .map(|r| r.iter()),
                    e.body_text_named_params.as_deref(),
                    &body_vars,
                )
            });
            out.push(Variable {
                slot: Slot::Body { var: var.clone() },
                kind: ValueKind::Text,
                example,
            });
        }
        for (i, button) in self.buttons().iter().enumerate() {
            let Some(kind) = self.button_value(i) else {
                continue;
            };
            let example = match button {
                Button::Url {
                    url,
                    example: Some(ex),
                    ..
                } => ex.first().map(|full| suffix_example(url, full)),
                Button::CopyCode { example } => example.clone(),
                _ => None,
            };
            out.push(Variable {
                slot: Slot::Button { index: i as u32 },
                kind,
                example,
            });
        }
        out
    }

    /// The `template` object of a send carrying `values`, in this template's
    /// parameter format. Slots without a value are left out, so [`validate`]
    /// reports them; text is sent as given (validation checks it).
    /// A media value that starts with `http://` or `https://` is sent as a
    /// `link`, anything else as an uploaded media `id`.
    pub fn build_payload(&self, values: &BTreeMap<Slot, String>) -> TemplatePayload {
        let named = self.format() == ParameterFormat::Named;
        let text_param = |var: &VarName, text: &str| match (named, var) {
            (true, VarName::Named(name)) => Parameter::named_text(name.clone(), text),
            _ => Parameter::text(text),
        };
        let mut payload = TemplatePayload::new(&self.name, &self.language);

        let mut header = Vec::new();
        for var in self.header_text_vars() {
            if let Some(v) = values.get(&Slot::HeaderText { var: var.clone() }) {
                header.push(text_param(&var, v));
            }
        }
        if let (Some(format), Some(v)) = (self.header_media(), values.get(&Slot::HeaderMedia)) {
            header.push(media_param(format, v));
        }
        if !header.is_empty() {
            payload = payload.component(SendComponent::header(header));
        }

        let body: Vec<Parameter> = self
            .body_vars()
            .into_iter()
            .filter_map(|var| {
                values
                    .get(&Slot::Body { var: var.clone() })
                    .map(|v| text_param(&var, v))
            })
            .collect();
        if !body.is_empty() {
            payload = payload.component(SendComponent::body(body));
        }

        for i in 0..self.buttons().len() {
            let index = i as u32;
            let (Some(kind), Some(v)) = (self.button_value(i), values.get(&Slot::Button { index }))
            else {
                continue;
            };
            let component = match kind {
                ValueKind::CouponCode => SendComponent {
                    kind: SendComponentKind::Button,
                    sub_type: Some("copy_code".to_owned()),
                    index: Some(index),
                    parameters: vec![Parameter {
                        parameter_name: None,
                        value: ParameterValue::CouponCode {
                            coupon_code: v.clone(),
                        },
                    }],
                },
                _ => SendComponent::url_button(index, v.clone()),
            };
            payload = payload.component(component);
        }
        payload
    }
}

fn media_param(format: HeaderFormat, value: &str) -> Parameter {
    let media = if value.starts_with("http://") || value.starts_with("https://") {
        MediaBody {
            link: Some(value.to_owned()),
            ..MediaBody::default()
        }
    } else {
        MediaBody {
            id: Some(value.to_owned()),
            ..MediaBody::default()
        }
    };
    let value = match format {
        HeaderFormat::Video => ParameterValue::Video { video: media },
        HeaderFormat::Document => ParameterValue::Document { document: media },
        _ => ParameterValue::Image { image: media },
    };
    Parameter {
        parameter_name: None,
        value,
    }
}

fn example_for<'a>(
    var: &VarName,
    positional: Option<impl Iterator<Item = &'a String>>,
    named: Option<&[NamedExample]>,
    order: &[VarName],
) -> Option<String> {
    match var {
        VarName::Named(name) => named?
            .iter()
            .find(|e| &e.param_name == name)
            .map(|e| e.example.clone()),
        VarName::Positional(_) => {
            let pos = order.iter().position(|v| v == var)?;
            positional?.nth(pos).cloned()
        }
    }
}

/// `https://x/track/{{1}}` with example `https://x/track/SKB` gives `SKB`.
fn suffix_example(url: &str, full_example: &str) -> String {
    let prefix = url.split("{{").next().unwrap_or_default();
    full_example
        .strip_prefix(prefix)
        .unwrap_or(full_example)
        .to_owned()
}

/// The message as the customer sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub header: Option<PreviewHeader>,
    pub body: String,
    pub footer: Option<String>,
    pub buttons: Vec<PreviewButton>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PreviewHeader {
    Text {
        text: String,
    },
    /// The link or media id given, if any.
    Media {
        format: HeaderFormat,
        source: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewButton {
    pub kind: PreviewButtonKind,
    /// The label on the button.
    pub text: String,
    /// Where a URL button leads, suffix filled in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// The code a copy-code or OTP button copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PreviewButtonKind {
    QuickReply,
    Url,
    PhoneNumber,
    CopyCode,
    Otp,
    Other,
}

/// Fills `values` into the template. Never fails: a variable without a value
/// is shown as `{{name}}`, so a picker can preview while the agent types.
pub fn render(template: &Template, values: &BTreeMap<Slot, String>) -> Preview {
    let header = template.header().and_then(|h| match h.format {
        HeaderFormat::Text => h.text.as_ref().map(|t| PreviewHeader::Text {
            text: substitute(t, |v| {
                values.get(&Slot::HeaderText { var: v.clone() }).cloned()
            }),
        }),
        HeaderFormat::Unknown => None,
        format => Some(PreviewHeader::Media {
            format,
            source: values.get(&Slot::HeaderMedia).cloned(),
        }),
    });
    let body = template
        .body()
        .map(|b| {
            substitute(&b.text, |v| {
                values.get(&Slot::Body { var: v.clone() }).cloned()
            })
        })
        .unwrap_or_default();
    let footer = template.footer().map(|f| f.text.clone());
    let buttons = template
        .buttons()
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let value = values.get(&Slot::Button { index: i as u32 });
            let mut out = PreviewButton {
                kind: PreviewButtonKind::Other,
                text: String::new(),
                url: None,
                phone_number: None,
                code: None,
            };
            match b {
                Button::QuickReply { text } => {
                    out.kind = PreviewButtonKind::QuickReply;
                    out.text = text.clone();
                }
                Button::Url { text, url, .. } => {
                    out.kind = PreviewButtonKind::Url;
                    out.text = text.clone();
                    out.url = Some(substitute(url, |_| value.cloned()));
                    if url.contains("otp_type=") {
                        out.code = value.cloned();
                    }
                }
                Button::PhoneNumber { text, phone_number } => {
                    out.kind = PreviewButtonKind::PhoneNumber;
                    out.text = text.clone();
                    out.phone_number = Some(phone_number.clone());
                }
                Button::CopyCode { .. } => {
                    out.kind = PreviewButtonKind::CopyCode;
                    out.text = "Copy offer code".to_owned();
                    out.code = value.cloned();
                }
                Button::Otp { text, .. } => {
                    out.kind = PreviewButtonKind::Otp;
                    out.text = text.clone().unwrap_or_else(|| "Copy code".to_owned());
                    out.code = value.cloned();
                }
                Button::Unknown => {}
            }
            out
        })
        .collect();
    Preview {
        header,
        body,
        footer,
        buttons,
    }
}

/// [`validate`], then [`render`] with the values the send carries.
pub fn preview(template: &Template, send: &TemplatePayload) -> Result<Preview, TemplateSendError> {
    let values = validate(template, send)?;
    Ok(render(template, &values))
}

/// Checks a template send as Meta would (see the module docs for the order
/// and the codes) and returns the values it carries, by slot.
pub fn validate(
    template: &Template,
    send: &TemplatePayload,
) -> Result<BTreeMap<Slot, String>, TemplateSendError> {
    if send.name != template.name || send.language.code != template.language {
        return Err(missing(&send.name, &send.language.code));
    }
    match template.status {
        TemplateStatus::Approved => {}
        TemplateStatus::Paused => {
            return Err(TemplateSendError::new(
                ErrorCode::TemplatePaused,
                format!(
                    "Template {} ({}) is paused due to low quality so it cannot be sent in a template message",
                    template.name, template.language
                ),
            ));
        }
        TemplateStatus::Disabled => {
            return Err(TemplateSendError::new(
                ErrorCode::TemplateDisabled,
                format!(
                    "Template {} ({}) is disabled so it cannot be sent in a template message",
                    template.name, template.language
                ),
            ));
        }
        _ => return Err(missing(&send.name, &send.language.code)),
    }

    let mut header: Option<&SendComponent> = None;
    let mut body: Option<&SendComponent> = None;
    let mut buttons: BTreeMap<u32, &SendComponent> = BTreeMap::new();
    for c in &send.components {
        let (slot, label) = match c.kind {
            SendComponentKind::Header => (&mut header, "header"),
            SendComponentKind::Body => (&mut body, "body"),
            SendComponentKind::Button => {
                let Some(index) = c.index else {
                    return Err(TemplateSendError::new(
                        ErrorCode::RequiredParameterMissing,
                        "button: the index parameter is required",
                    ));
                };
                if template.buttons().get(index as usize).is_none() {
                    return Err(TemplateSendError::new(
                        ErrorCode::ParameterValueInvalid,
                        format!("button at index {index} does not exist in the template"),
                    ));
                }
                if buttons.insert(index, c).is_some() {
                    return Err(TemplateSendError::new(
                        ErrorCode::ParameterValueInvalid,
                        format!("button at index {index} is given more than once"),
                    ));
                }
                continue;
            }
        };
        if slot.replace(c).is_some() {
            return Err(TemplateSendError::new(
                ErrorCode::ParameterValueInvalid,
                format!("{label}: component is given more than once"),
            ));
        }
    }

    // Counts first, for every component, so the coarser mistake is reported.
    let header_vars = template.header_text_vars();
    let header_media = template.header_media();
    let header_expected = header_vars.len() + usize::from(header_media.is_some());
    let body_vars = template.body_vars();
    count("header", header, header_expected)?;
    count("body", body, body_vars.len())?;
    for (i, _) in template.buttons().iter().enumerate() {
        let index = i as u32;
        let given = buttons.get(&index).copied();
        let expected = usize::from(template.button_value(i).is_some());
        // Quick replies may carry an optional payload.
        let optional = matches!(template.buttons()[i], Button::QuickReply { .. });
        let n = given.map_or(0, |c| c.parameters.len());
        if !(n == expected || optional && n <= 1) {
            return Err(count_error(
                &format!("button at index {index}"),
                n,
                expected,
            ));
        }
    }

    let named = template.format() == ParameterFormat::Named;
    let mut values = BTreeMap::new();

    if let Some(c) = header {
        if let Some(format) = header_media {
            let p = &c.parameters[0];
            let ok = matches!(
                (format, &p.value),
                (HeaderFormat::Image, ParameterValue::Image { .. })
                    | (HeaderFormat::Video, ParameterValue::Video { .. })
                    | (HeaderFormat::Document, ParameterValue::Document { .. })
                    | (HeaderFormat::Location, ParameterValue::Location { .. })
            );
            if !ok {
                return Err(format_error("header", media_name(format), p.value.kind()));
            }
            let source = match &p.value {
                ParameterValue::Image { image: m }
                | ParameterValue::Video { video: m }
                | ParameterValue::Document { document: m } => m.link.clone().or(m.id.clone()),
                ParameterValue::Location { location } => {
                    Some(format!("{},{}", location.latitude, location.longitude))
                }
                _ => None,
            };
            let Some(source) = source.filter(|s| !s.trim().is_empty()) else {
                return Err(TemplateSendError::new(
                    ErrorCode::RequiredParameterMissing,
                    format!("header: {} requires an id or a link", p.value.kind()),
                ));
            };
            values.insert(Slot::HeaderMedia, source);
        } else {
            let texts = text_params("header", &c.parameters, &header_vars, named, false)?;
            for (var, text) in texts {
                values.insert(Slot::HeaderText { var }, text);
            }
        }
    }
    if let Some(c) = body {
        for (var, text) in text_params("body", &c.parameters, &body_vars, named, true)? {
            values.insert(Slot::Body { var }, text);
        }
    }
    for (index, c) in &buttons {
        let label = format!("button at index {index}");
        let tb = &template.buttons()[*index as usize];
        let expected_sub = match tb {
            Button::QuickReply { .. } => "quick_reply",
            Button::Url { .. } | Button::Otp { .. } => "url",
            Button::CopyCode { .. } => "copy_code",
            Button::PhoneNumber { .. } => "phone_number",
            Button::Unknown => continue,
        };
        let given_sub = c.sub_type.as_deref().unwrap_or_default();
        if given_sub != expected_sub {
            return Err(format_error(
                &label,
                &expected_sub.to_uppercase(),
                &given_sub.to_uppercase(),
            ));
        }
        let Some(p) = c.parameters.first() else {
            continue;
        };
        let text = match (tb, &p.value) {
            (Button::QuickReply { .. }, ParameterValue::Payload { payload }) => {
                // A payload is echoed back on tap, never shown; not a slot.
                let _ = payload;
                continue;
            }
            (Button::CopyCode { .. }, ParameterValue::CouponCode { coupon_code }) => coupon_code,
            (Button::Url { .. } | Button::Otp { .. }, ParameterValue::Text { text }) => text,
            (_, other) => {
                let expected = match tb {
                    Button::QuickReply { .. } => "PAYLOAD",
                    Button::CopyCode { .. } => "COUPON_CODE",
                    _ => "TEXT",
                };
                return Err(format_error(&label, expected, &other.kind().to_uppercase()));
            }
        };
        if text.trim().is_empty() {
            return Err(TemplateSendError::new(
                ErrorCode::RequiredParameterMissing,
                format!("{label}: parameter text is empty"),
            ));
        }
        values.insert(Slot::Button { index: *index }, text.clone());
    }

    let rendered = render(template, &values);
    if let Some(PreviewHeader::Text { text }) = &rendered.header {
        let n = text.chars().count();
        if n > MAX_HEADER_CHARS {
            return Err(TemplateSendError::new(
                ErrorCode::TemplateTextTooLong,
                format!(
                    "header: text length ({n}) exceeds the maximum of {MAX_HEADER_CHARS} characters"
                ),
            ));
        }
    }
    let n = rendered.body.chars().count();
    if n > MAX_BODY_CHARS {
        return Err(TemplateSendError::new(
            ErrorCode::TemplateTextTooLong,
            format!("body: text length ({n}) exceeds the maximum of {MAX_BODY_CHARS} characters"),
        ));
    }
    Ok(values)
}

fn missing(name: &str, language: &str) -> TemplateSendError {
    TemplateSendError::new(
        ErrorCode::TemplateMissing,
        format!("template name ({name}) does not exist in {language}"),
    )
}

fn count(
    label: &str,
    given: Option<&SendComponent>,
    expected: usize,
) -> Result<(), TemplateSendError> {
    let n = given.map_or(0, |c| c.parameters.len());
    if n == expected {
        Ok(())
    } else {
        Err(count_error(label, n, expected))
    }
}

fn count_error(label: &str, given: usize, expected: usize) -> TemplateSendError {
    TemplateSendError::new(
        ErrorCode::TemplateParamCount,
        format!(
            "{label}: number of localizable_params ({given}) does not match the expected number of params ({expected})"
        ),
    )
}

fn format_error(label: &str, expected: &str, received: &str) -> TemplateSendError {
    TemplateSendError::new(
        ErrorCode::TemplateParamFormat,
        format!(
            "{label}: Format mismatch, expected {expected}, received {}",
            received.to_uppercase()
        ),
    )
}

fn media_name(format: HeaderFormat) -> &'static str {
    match format {
        HeaderFormat::Text => "TEXT",
        HeaderFormat::Image => "IMAGE",
        HeaderFormat::Video => "VIDEO",
        HeaderFormat::Document => "DOCUMENT",
        HeaderFormat::Location => "LOCATION",
        HeaderFormat::Unknown => "UNKNOWN",
    }
}

/// Matches text parameters to variables: by `parameter_name` in named
/// templates, by position otherwise. The count was checked before.
fn text_params(
    label: &str,
    params: &[Parameter],
    vars: &[VarName],
    named: bool,
    allow_rich: bool,
) -> Result<Vec<(VarName, String)>, TemplateSendError> {
    let mut out = Vec::with_capacity(params.len());
    let mut seen = BTreeSet::new();
    for (i, p) in params.iter().enumerate() {
        let text = match &p.value {
            ParameterValue::Text { text } => text.as_str(),
            ParameterValue::Currency { .. } | ParameterValue::DateTime { .. } if allow_rich => {
                p.value.display_text().unwrap_or_default()
            }
            other => return Err(format_error(label, "TEXT", other.kind())),
        };
        let var = match (named, &p.parameter_name) {
            (true, Some(name)) => {
                let var = VarName::Named(name.clone());
                if !vars.contains(&var) {
                    return Err(TemplateSendError::new(
                        ErrorCode::TemplateParamFormat,
                        format!(
                            "{label}: parameter_name ({name}) is not a parameter of the template"
                        ),
                    ));
                }
                if !seen.insert(var.clone()) {
                    return Err(TemplateSendError::new(
                        ErrorCode::TemplateParamFormat,
                        format!("{label}: parameter_name ({name}) is given more than once"),
                    ));
                }
                var
            }
            (true, None) => {
                return Err(TemplateSendError::new(
                    ErrorCode::TemplateParamFormat,
                    format!(
                        "{label}: parameter_name is required for every parameter of a NAMED template"
                    ),
                ));
            }
            (false, Some(name)) => {
                return Err(TemplateSendError::new(
                    ErrorCode::TemplateParamFormat,
                    format!("{label}: parameter_name ({name}) given for a POSITIONAL template"),
                ));
            }
            (false, None) => vars[i].clone(),
        };
        if text.trim().is_empty() {
            return Err(TemplateSendError::new(
                ErrorCode::RequiredParameterMissing,
                format!("{label}: parameter {var} is empty"),
            ));
        }
        if text.contains(['\n', '\t']) || text.contains("     ") {
            return Err(TemplateSendError::new(
                ErrorCode::TemplateParamInvalid,
                format!(
                    "{label}: Param text cannot have new-line/tab characters or more than 4 consecutive spaces ({var})"
                ),
            ));
        }
        out.push((var, text.to_owned()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
