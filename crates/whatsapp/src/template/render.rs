//! The message the customer would see: values substituted into the template.

use super::*;

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
