//! The check Meta applies to a template send, with the error it answers.

use super::*;

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
    pub(super) fn new(code: ErrorCode, details: impl Into<String>) -> Self {
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

pub(super) fn missing(name: &str, language: &str) -> TemplateSendError {
    TemplateSendError::new(
        ErrorCode::TemplateMissing,
        format!("template name ({name}) does not exist in {language}"),
    )
}

pub(super) fn count(
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

pub(super) fn count_error(label: &str, given: usize, expected: usize) -> TemplateSendError {
    TemplateSendError::new(
        ErrorCode::TemplateParamCount,
        format!(
            "{label}: number of localizable_params ({given}) does not match the expected number of params ({expected})"
        ),
    )
}

pub(super) fn format_error(label: &str, expected: &str, received: &str) -> TemplateSendError {
    TemplateSendError::new(
        ErrorCode::TemplateParamFormat,
        format!(
            "{label}: Format mismatch, expected {expected}, received {}",
            received.to_uppercase()
        ),
    )
}

pub(super) fn media_name(format: HeaderFormat) -> &'static str {
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
pub(super) fn text_params(
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
