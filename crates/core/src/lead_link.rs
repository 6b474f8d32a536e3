//! Lead links: `wa.me` links that open a chat with the business number and a
//! prefilled first message carrying a partner's code, and their QR codes.
//!
//! A partner hands customers the link (or prints the QR); the customer's
//! first message then carries `Code: ABC123`, which [`crate::lead`] finds and
//! shows as the lead's source.
//!
//! The link is `https://wa.me/<digits>?text=<text>`, the text percent-encoded
//! in full except RFC 3986's unreserved characters (so spaces are `%20`, not
//! `+`, which WhatsApp would show literally).

use crate::problem::{ErrorCode, Params, params};
use std::io::Cursor;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use qrcode::{EcLevel, QrCode};
use serde::Serialize;
use ts_rs::TS;

use crate::lead::LeadCodePattern;
use crate::phone::E164;

/// The prefilled text when the partner does not choose another; the default
/// [`LeadCodePattern`] recognises it.
pub const DEFAULT_TEMPLATE: &str = "Code: {code}";
/// Where the partner code goes in a template.
pub const CODE_PLACEHOLDER: &str = "{code}";
/// The longest partner code.
pub const MAX_CODE_CHARS: usize = 32;
/// The longest prefilled text, so the QR stays easy to scan.
pub const MAX_TEXT_CHARS: usize = 300;

/// Everything but RFC 3986's unreserved characters is encoded.
const TEXT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A `wa.me` link with a prefilled partner code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LeadLink {
    /// The business number in E.164, e.g. `+16505551234`.
    business_number: String,
    code: String,
    /// The prefilled first message, e.g. `Code: ABC123`.
    text: String,
    /// `https://wa.me/16505551234?text=Code%3A%20ABC123`
    url: String,
}

impl LeadLink {
    /// Builds the link for `partner_code` on `business_number` (any common
    /// writing of it), with `template`'s `{code}` replaced by the code.
    pub fn new(
        business_number: &str,
        partner_code: &str,
        template: &str,
    ) -> Result<LeadLink, LeadLinkError> {
        let number = E164::parse(business_number).map_err(|e| LeadLinkError::InvalidNumber {
            input: business_number.to_owned(),
            reason: e.to_string(),
        })?;
        let code = partner_code.trim();
        validate_code(code)?;
        if !template.contains(CODE_PLACEHOLDER) {
            return Err(LeadLinkError::TemplateWithoutCode {
                template: template.to_owned(),
            });
        }
        let text = template.replace(CODE_PLACEHOLDER, code).trim().to_owned();
        let chars = text.chars().count();
        if chars > MAX_TEXT_CHARS {
            return Err(LeadLinkError::TextTooLong { chars });
        }
        let url = format!(
            "https://wa.me/{}?text={}",
            number.digits(),
            utf8_percent_encode(&text, TEXT)
        );
        Ok(LeadLink {
            business_number: number.as_str().to_owned(),
            code: code.to_owned(),
            text,
            url,
        })
    }

    /// With [`DEFAULT_TEMPLATE`].
    pub fn with_default_template(
        business_number: &str,
        partner_code: &str,
    ) -> Result<LeadLink, LeadLinkError> {
        Self::new(business_number, partner_code, DEFAULT_TEMPLATE)
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn business_number(&self) -> &str {
        &self.business_number
    }

    /// Whether `pattern` finds exactly this link's code in its text, i.e.
    /// whether the leads it brings will be attributed. The UI warns when not.
    pub fn detected_by(&self, pattern: &LeadCodePattern) -> bool {
        pattern.find(&self.text).as_deref() == Some(self.code.as_str())
    }

    /// The QR code of the URL as a PNG, black on white with the standard
    /// quiet zone, at least `min_pixels` wide (it is a whole number of pixels
    /// per module, so it may be a little larger).
    pub fn qr_png(&self, min_pixels: u32) -> Result<Vec<u8>, LeadLinkError> {
        let image = self
            .qr()?
            .render::<image::Luma<u8>>()
            .quiet_zone(true)
            .min_dimensions(min_pixels, min_pixels)
            .build();
        let mut png = Cursor::new(Vec::new());
        image
            .write_to(&mut png, image::ImageFormat::Png)
            .map_err(|e| LeadLinkError::Png {
                reason: e.to_string(),
            })?;
        Ok(png.into_inner())
    }

    /// The QR code of the URL as a standalone SVG document (one path of
    /// dark modules on a white rectangle), at least `min_size` units wide.
    pub fn qr_svg(&self, min_size: u32) -> Result<String, LeadLinkError> {
        Ok(self
            .qr()?
            .render::<qrcode::render::svg::Color<'_>>()
            .quiet_zone(true)
            .min_dimensions(min_size, min_size)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build())
    }

    fn qr(&self) -> Result<QrCode, LeadLinkError> {
        // Medium error correction: survives some print damage and stays small.
        QrCode::with_error_correction_level(self.url.as_bytes(), EcLevel::M).map_err(|e| {
            LeadLinkError::Qr {
                reason: e.to_string(),
            }
        })
    }
}

/// A partner code is 1 to [`MAX_CODE_CHARS`] ASCII letters, digits, `-` or
/// `_`: what survives every keyboard, URL and the default pattern.
pub fn validate_code(code: &str) -> Result<(), LeadLinkError> {
    let invalid = |reason: String| LeadLinkError::InvalidCode {
        code: code.to_owned(),
        reason,
    };
    if code.is_empty() {
        return Err(invalid("it is empty".to_owned()));
    }
    let chars = code.chars().count();
    if chars > MAX_CODE_CHARS {
        return Err(invalid(format!(
            "it has {chars} characters; the most is {MAX_CODE_CHARS}"
        )));
    }
    if let Some(bad) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(invalid(format!(
            "{bad:?} is not allowed; use only letters A–Z, digits, - and _"
        )));
    }
    Ok(())
}

/// A lead link that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeadLinkError {
    #[error("The business number {input:?} is not a phone number: {reason}")]
    InvalidNumber { input: String, reason: String },
    #[error("The partner code {code:?} cannot be used: {reason}")]
    InvalidCode { code: String, reason: String },
    #[error(
        "The message template {template:?} has no {{code}}; put {{code}} where the partner \
         code goes, e.g. \"Code: {{code}}\""
    )]
    TemplateWithoutCode { template: String },
    #[error(
        "The prefilled message has {chars} characters; keep it to {MAX_TEXT_CHARS} so the QR \
         code stays easy to scan"
    )]
    TextTooLong { chars: usize },
    #[error("Could not make the QR code: {reason}")]
    Qr { reason: String },
    #[error("Could not write the QR code as PNG: {reason}")]
    Png { reason: String },
}

impl LeadLinkError {
    /// A stable identifier the UI words.
    pub fn code(&self) -> ErrorCode {
        match self {
            LeadLinkError::InvalidNumber { .. } => ErrorCode::LeadLinkNumber,
            LeadLinkError::InvalidCode { .. } => ErrorCode::LeadLinkCode,
            LeadLinkError::TemplateWithoutCode { .. } => ErrorCode::LeadLinkTemplate,
            LeadLinkError::TextTooLong { .. } => ErrorCode::LeadLinkTextTooLong,
            LeadLinkError::Qr { .. } => ErrorCode::LeadLinkQr,
            LeadLinkError::Png { .. } => ErrorCode::LeadLinkPng,
        }
    }

    /// The values the window's wording fills in.
    pub fn params(&self) -> Params {
        match self {
            LeadLinkError::InvalidNumber { input, reason } => {
                params([("input", input.clone()), ("detail", reason.clone())])
            }
            LeadLinkError::InvalidCode { code, reason } => {
                params([("input", code.clone()), ("detail", reason.clone())])
            }
            LeadLinkError::TemplateWithoutCode { template } => {
                params([("input", template.clone())])
            }
            LeadLinkError::TextTooLong { chars } => params([
                ("chars", chars.to_string()),
                ("max", MAX_TEXT_CHARS.to_string()),
            ]),
            LeadLinkError::Qr { reason } | LeadLinkError::Png { reason } => {
                params([("detail", reason.clone())])
            }
        }
    }
}
