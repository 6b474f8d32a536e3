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

impl From<LeadLinkError> for crate::Error {
    fn from(err: LeadLinkError) -> Self {
        crate::problem::Problem {
            code: err.code(),
            params: err.params(),
            message: err.to_string(),
        }
        .into()
    }
}

/// Side of the QR preview and of the exported PNG, in pixels (at least).
pub const QR_PIXELS: u32 = 512;

/// A link as the lead-links screen shows it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LeadLinkView {
    pub link: LeadLink,
    /// The QR code as an SVG document, shown as an image (never inlined as markup).
    pub svg: String,
}

/// The file a QR code is saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum QrFormat {
    Png,
    Svg,
}

/// The link for `code` on the session's business number (absent without a
/// session), with `template` unless it is blank.
pub fn for_session(
    number: Option<String>,
    code: &str,
    template: Option<&str>,
) -> crate::Result<LeadLink> {
    let number = number.ok_or_else(|| {
        crate::problem::Problem::new(
            ErrorCode::NoBusinessNumber,
            "Connect a WhatsApp number (or try the demo) to make links for it.",
        )
    })?;
    Ok(match template {
        Some(t) if !t.trim().is_empty() => LeadLink::new(&number, code, t)?,
        _ => LeadLink::with_default_template(&number, code)?,
    })
}

/// The link and its QR code, for the screen.
pub fn view(
    number: Option<String>,
    code: &str,
    template: Option<&str>,
) -> crate::Result<LeadLinkView> {
    let link = for_session(number, code, template)?;
    let svg = link.qr_svg(QR_PIXELS)?;
    Ok(LeadLinkView { link, svg })
}

/// Writes the link's QR code to `dir` (the Downloads folder, else the home
/// folder; `Err` names why there is none) as `hourglass-lead-<code>.<ext>`
/// and returns its path.
pub fn save_qr(
    link: &LeadLink,
    format: QrFormat,
    dir: Result<std::path::PathBuf, String>,
) -> crate::Result<String> {
    use crate::problem::Problem;
    let dir = dir.map_err(|e| {
        Problem::with_detail(
            ErrorCode::SaveFailed,
            &e,
            format!("No folder to save into: {e}"),
        )
    })?;
    let (bytes, ext) = match format {
        QrFormat::Png => (link.qr_png(QR_PIXELS)?, "png"),
        QrFormat::Svg => (link.qr_svg(QR_PIXELS)?.into_bytes(), "svg"),
    };
    let path = dir.join(format!("hourglass-lead-{}.{ext}", link.code()));
    std::fs::write(&path, bytes).map_err(|e| {
        Problem::with_detail(
            ErrorCode::SaveFailed,
            &e,
            format!("Could not save {}: {e}", path.display()),
        )
    })?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod session_tests {
    use super::*;

    #[test]
    fn a_link_needs_the_sessions_number() {
        let err = view(None, "P1", None).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NoBusinessNumber);
        let err = view(Some("+34 612 345 678".into()), "bad code!", None).unwrap_err();
        assert_eq!(err.code(), ErrorCode::LeadLinkCode);
        assert_eq!(err.params()["input"], "bad code!");
    }

    #[test]
    fn a_blank_template_is_the_default_and_the_qr_is_svg() {
        let number = Some("+34612345678".to_owned());
        let plain = view(number.clone(), "P1", Some("  ")).unwrap();
        let default = view(number.clone(), "P1", None).unwrap();
        assert_eq!(plain.link.url(), default.link.url());
        assert!(plain.svg.contains("<svg"), "{}", plain.svg);
        let own = view(number, "P1", Some("Hi, code {code}")).unwrap();
        assert!(
            own.link.text().contains("Hi, code P1"),
            "{}",
            own.link.text()
        );
    }

    #[test]
    fn qr_codes_are_saved_by_code_and_format() {
        let dir = tempfile::tempdir().unwrap();
        let link = for_session(Some("+34612345678".into()), "P7", None).unwrap();
        let png = save_qr(&link, QrFormat::Png, Ok(dir.path().to_owned())).unwrap();
        assert!(png.ends_with("hourglass-lead-P7.png"), "{png}");
        assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
        let svg = save_qr(&link, QrFormat::Svg, Ok(dir.path().to_owned())).unwrap();
        assert!(std::fs::read_to_string(svg).unwrap().contains("<svg"));
        let err = save_qr(&link, QrFormat::Png, Err("no home".into())).unwrap_err();
        assert_eq!(
            (err.code(), err.params()["detail"].as_str()),
            (ErrorCode::SaveFailed, "no home")
        );
        let err = save_qr(&link, QrFormat::Png, Ok(dir.path().join("missing"))).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SaveFailed);
    }
}
