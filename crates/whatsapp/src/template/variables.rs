//! The variables a template needs, and the `template` object a send carries.

use super::*;

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

pub(super) enum Piece<'a> {
    Literal(&'a str),
    Var(VarName),
}

pub(super) fn scan(text: &str) -> Vec<Piece<'_>> {
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

pub(super) fn parse_var(inner: &str) -> Option<VarName> {
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

pub(super) fn substitute(text: &str, value: impl Fn(&VarName) -> Option<String>) -> String {
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
pub(super) fn ordered(text: &str) -> Vec<VarName> {
    let mut vars = placeholders(text);
    if vars.iter().all(|v| matches!(v, VarName::Positional(_))) {
        vars.sort();
    }
    vars
}

impl Template {
    pub(super) fn header_text_vars(&self) -> Vec<VarName> {
        match self.header() {
            Some(Header {
                format: HeaderFormat::Text,
                text: Some(text),
                ..
            }) => ordered(text),
            _ => Vec::new(),
        }
    }

    pub(super) fn header_media(&self) -> Option<HeaderFormat> {
        self.header()
            .map(|h| h.format)
            .filter(|f| !matches!(f, HeaderFormat::Text | HeaderFormat::Unknown))
    }

    pub(super) fn body_vars(&self) -> Vec<VarName> {
        self.body().map(|b| ordered(&b.text)).unwrap_or_default()
    }

    /// The value kind the button at `index` takes, if it takes one.
    pub(super) fn button_value(&self, index: usize) -> Option<ValueKind> {
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

pub(super) fn media_param(format: HeaderFormat, value: &str) -> Parameter {
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

pub(super) fn example_for<'a>(
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
pub(super) fn suffix_example(url: &str, full_example: &str) -> String {
    let prefix = url.split("{{").next().unwrap_or_default();
    full_example
        .strip_prefix(prefix)
        .unwrap_or(full_example)
        .to_owned()
}
