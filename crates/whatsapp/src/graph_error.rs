//! Meta's Graph error envelope, and what each error code means for an inbox.
//!
//! A synchronous failure of a Cloud API call answers with
//! `{"error":{"message":"(#132000) …","type":"OAuthException","code":132000,
//! "error_subcode":…,"error_data":{"messaging_product":"whatsapp","details":"…"},
//! "fbtrace_id":"…"}}`. The same codes also arrive later inside `failed` status
//! webhooks (`errors[{code, title, message, error_data{details}}]`).
//!
//! [`ErrorCode`] names the codes Hourglass reacts to; [`classify`] turns any
//! code, known or not, into an [`ErrorClass`] that says what the inbox does next,
//! and [`explain`] gives the sentence an agent reads under a failed bubble. Codes
//! Meta adds later land in [`ErrorClass::Unknown`], which is handled like a
//! permanent failure so nothing is resent blindly.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `{"error": {...}}`, the body of every failed Graph API call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphErrorEnvelope {
    pub error: GraphError,
}

/// The object inside the envelope. Unknown fields Meta adds are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphError {
    /// `(#<code>) <summary>` for most codes; free text for token errors.
    pub message: String,
    /// Almost always `OAuthException`.
    #[serde(rename = "type", default)]
    pub kind: String,
    pub code: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_subcode: Option<i64>,
    /// Boxed so `Result<_, GraphError>` stays small.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_data: Option<Box<ErrorData>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbtrace_id: Option<String>,
}

/// `error_data`: the one place Meta says *which* parameter was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_product: Option<String>,
    #[serde(default)]
    pub details: String,
}

impl GraphError {
    /// The error Meta answers for `code`, with `details` in `error_data`, as
    /// the Cloud API words it (`(#132001) Template name does not exist in the
    /// translation`). Token errors carry no `(#190)` prefix, like Meta's.
    pub fn new(code: ErrorCode, details: impl Into<String>) -> Self {
        let message = match code {
            ErrorCode::AccessTokenInvalid => code.summary().to_owned(),
            _ => format!("(#{}) {}", code.code(), code.summary()),
        };
        Self {
            message,
            kind: "OAuthException".to_owned(),
            code: code.code(),
            error_subcode: None,
            error_data: Some(Box::new(ErrorData {
                messaging_product: Some("whatsapp".to_owned()),
                details: details.into(),
            })),
            fbtrace_id: None,
        }
    }

    pub fn with_subcode(mut self, subcode: i64) -> Self {
        self.error_subcode = Some(subcode);
        self
    }

    pub fn with_fbtrace_id(mut self, id: impl Into<String>) -> Self {
        self.fbtrace_id = Some(id.into());
        self
    }

    /// Wraps it as `{"error": …}`.
    pub fn into_envelope(self) -> GraphErrorEnvelope {
        GraphErrorEnvelope { error: self }
    }

    /// `error_data.details`, or the message when Meta sent no details.
    pub fn details(&self) -> &str {
        match &self.error_data {
            Some(data) if !data.details.is_empty() => &data.details,
            _ => &self.message,
        }
    }

    /// The code as a known [`ErrorCode`], if it is one.
    pub fn known_code(&self) -> Option<ErrorCode> {
        ErrorCode::from_code(self.code)
    }

    pub fn class(&self) -> ErrorClass {
        classify(self.code)
    }

    /// The HTTP status Meta answers this error with: 401 for token errors,
    /// 429 for throughput limits, 400 for the rest.
    pub fn http_status(&self) -> u16 {
        match self.known_code() {
            Some(ErrorCode::AccessTokenInvalid) => 401,
            Some(ErrorCode::ThroughputLimit | ErrorCode::AppRateLimit) => 429,
            Some(
                ErrorCode::ApiUnknown
                | ErrorCode::ApiService
                | ErrorCode::SomethingWentWrong
                | ErrorCode::ServiceUnavailable
                | ErrorCode::AccountInMaintenance,
            ) => 500,
            _ => 400,
        }
    }
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.details())
    }
}

impl std::error::Error for GraphError {}

/// Error codes of the Cloud API that Hourglass tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// 1: API unknown error.
    ApiUnknown,
    /// 2: API service temporarily unavailable.
    ApiService,
    /// 4: too many calls for the app.
    AppRateLimit,
    /// 100: invalid parameter.
    InvalidParameter,
    /// 190: access token expired, revoked or unparseable.
    AccessTokenInvalid,
    /// 368: temporarily blocked for policy violations.
    TemporarilyBlocked,
    /// 80007: rate limit of the WhatsApp Business Account.
    WabaRateLimit,
    /// 130429: throughput limit of the phone number.
    ThroughputLimit,
    /// 131000: something went wrong.
    SomethingWentWrong,
    /// 131008: a required parameter is missing.
    RequiredParameterMissing,
    /// 131009: a parameter value is not valid.
    ParameterValueInvalid,
    /// 131016: service unavailable.
    ServiceUnavailable,
    /// 131026: the message could not be delivered.
    Undeliverable,
    /// 131031: the business account is locked.
    AccountLocked,
    /// 131042: payment problem on the business account.
    PaymentIssue,
    /// 131047: more than 24 h since the customer last wrote.
    ReEngagement,
    /// 131048: spam rate limit.
    SpamRateLimit,
    /// 131049: marketing message held back for ecosystem health.
    MarketingNotDelivered,
    /// 131050: the user stopped marketing messages.
    MarketingOptedOut,
    /// 131051: unsupported message type.
    UnsupportedMessageType,
    /// 131056: too many messages to the same user.
    PairRateLimit,
    /// 131057: the business account is in maintenance.
    AccountInMaintenance,
    /// 131062: the business-scoped user id a send named (`recipient`) is
    /// not one WhatsApp knows for this business (for instance, the customer
    /// changed their number and got a new one).
    UserIdInvalid,
    /// 132000: template parameter count mismatch.
    TemplateParamCount,
    /// 132001: no such template in that language (or not sendable).
    TemplateMissing,
    /// 132005: the filled-in template text is too long.
    TemplateTextTooLong,
    /// 132007: the template content breaks WhatsApp policy.
    TemplatePolicy,
    /// 132012: a parameter's kind or format does not match the template.
    TemplateParamFormat,
    /// 132015: the template is paused for low quality.
    TemplatePaused,
    /// 132016: the template is disabled.
    TemplateDisabled,
    /// 132018: a parameter holds new lines, tabs or too many spaces.
    TemplateParamInvalid,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 31] = [
        Self::ApiUnknown,
        Self::ApiService,
        Self::AppRateLimit,
        Self::InvalidParameter,
        Self::AccessTokenInvalid,
        Self::TemporarilyBlocked,
        Self::WabaRateLimit,
        Self::ThroughputLimit,
        Self::SomethingWentWrong,
        Self::RequiredParameterMissing,
        Self::ParameterValueInvalid,
        Self::ServiceUnavailable,
        Self::Undeliverable,
        Self::AccountLocked,
        Self::PaymentIssue,
        Self::ReEngagement,
        Self::SpamRateLimit,
        Self::MarketingNotDelivered,
        Self::MarketingOptedOut,
        Self::UnsupportedMessageType,
        Self::PairRateLimit,
        Self::AccountInMaintenance,
        Self::UserIdInvalid,
        Self::TemplateParamCount,
        Self::TemplateMissing,
        Self::TemplateTextTooLong,
        Self::TemplatePolicy,
        Self::TemplateParamFormat,
        Self::TemplatePaused,
        Self::TemplateDisabled,
        Self::TemplateParamInvalid,
    ];

    /// The numeric code on the wire.
    pub fn code(self) -> i64 {
        match self {
            Self::ApiUnknown => 1,
            Self::ApiService => 2,
            Self::AppRateLimit => 4,
            Self::InvalidParameter => 100,
            Self::AccessTokenInvalid => 190,
            Self::TemporarilyBlocked => 368,
            Self::WabaRateLimit => 80007,
            Self::ThroughputLimit => 130429,
            Self::SomethingWentWrong => 131000,
            Self::RequiredParameterMissing => 131008,
            Self::ParameterValueInvalid => 131009,
            Self::ServiceUnavailable => 131016,
            Self::Undeliverable => 131026,
            Self::AccountLocked => 131031,
            Self::PaymentIssue => 131042,
            Self::ReEngagement => 131047,
            Self::SpamRateLimit => 131048,
            Self::MarketingNotDelivered => 131049,
            Self::MarketingOptedOut => 131050,
            Self::UnsupportedMessageType => 131051,
            Self::PairRateLimit => 131056,
            Self::AccountInMaintenance => 131057,
            Self::UserIdInvalid => 131062,
            Self::TemplateParamCount => 132000,
            Self::TemplateMissing => 132001,
            Self::TemplateTextTooLong => 132005,
            Self::TemplatePolicy => 132007,
            Self::TemplateParamFormat => 132012,
            Self::TemplatePaused => 132015,
            Self::TemplateDisabled => 132016,
            Self::TemplateParamInvalid => 132018,
        }
    }

    pub fn from_code(code: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Meta's own wording, used after `(#code)` in synchronous errors.
    pub fn summary(self) -> &'static str {
        match self {
            Self::ApiUnknown => "An unknown error occurred",
            Self::ApiService => "Service temporarily unavailable",
            Self::AppRateLimit => "Application request limit reached",
            Self::InvalidParameter => "Invalid parameter",
            Self::AccessTokenInvalid => "Invalid OAuth access token - Cannot parse access token",
            Self::TemporarilyBlocked => "Temporarily blocked for policies violations",
            Self::WabaRateLimit => "Rate limit issues",
            Self::ThroughputLimit => "Rate limit hit",
            Self::SomethingWentWrong => "Something went wrong",
            Self::RequiredParameterMissing => "Required parameter is missing",
            Self::ParameterValueInvalid => "Parameter value is not valid",
            Self::ServiceUnavailable => "Service unavailable",
            Self::Undeliverable => "Message undeliverable",
            Self::AccountLocked => "Access denied",
            Self::PaymentIssue => "Business eligibility payment issue",
            Self::ReEngagement => "Re-engagement message",
            Self::SpamRateLimit => "Spam rate limit hit",
            Self::MarketingNotDelivered => {
                "This message was not delivered to maintain healthy ecosystem engagement."
            }
            Self::MarketingOptedOut => "User has stopped receiving marketing messages",
            Self::UnsupportedMessageType => "Message type unknown",
            Self::PairRateLimit => "(Business Account, Consumer Account) pair rate limit hit",
            Self::AccountInMaintenance => "Business Account is in maintenance mode",
            Self::UserIdInvalid => "Business-scoped user ID is not valid",
            Self::TemplateParamCount => {
                "Number of parameters does not match the expected number of params"
            }
            Self::TemplateMissing => "Template name does not exist in the translation",
            Self::TemplateTextTooLong => "Translated text too long",
            Self::TemplatePolicy => "Template Format Character Policy Violated",
            Self::TemplateParamFormat => {
                "Parameter format does not match format in the created template"
            }
            Self::TemplatePaused => "Template is Paused",
            Self::TemplateDisabled => "Template is Disabled",
            Self::TemplateParamInvalid => "There was an issue with the parameters in your template",
        }
    }

    /// The `title` Meta puts in `errors[]` of a `failed` status webhook.
    pub fn title(self) -> &'static str {
        match self {
            Self::ReEngagement => "Re-engagement message",
            Self::Undeliverable => "Message undeliverable",
            Self::UnsupportedMessageType => "Message type unknown",
            _ => self.summary(),
        }
    }

    pub fn class(self) -> ErrorClass {
        classify(self.code())
    }
}

/// What the inbox does about an error. One class per row of the error table in
/// `docs/cloud-api.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Meta-side hiccup: retry at once, then after 30 s, then ask a human.
    Transient,
    /// 130429: the number's throughput is exhausted; back off for all chats.
    NumberRateLimit,
    /// 131056: too many messages to this one customer; queue and back off.
    PairRateLimit,
    /// 131047: the 24 h window is closed; only a template can go out.
    WindowClosed,
    /// 131026: the customer cannot receive it; final.
    Undeliverable,
    /// 131049: a marketing template was held back; do not retry within 24 h.
    MarketingHeldBack,
    /// 131050: the customer stopped marketing messages; record the opt-out.
    MarketingOptOut,
    /// 131051: the message type is not supported.
    Unsupported,
    /// 132xxx: the template or its parameters are wrong; validate, resync.
    Template(TemplateFault),
    /// 190: the access token no longer works; stop sending, ask for a new one.
    TokenInvalid,
    /// 100, 131008, 131009: our request is wrong; a bug, never retried.
    BadRequest,
    /// 4, 80007, 131048, 131031, 368, 131042: the account is limited; stop
    /// and tell the admin.
    AccountRestricted,
    /// A code this version does not know; treated as a permanent failure.
    Unknown,
}

/// Which template problem a 132xxx code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateFault {
    ParamCount,
    Missing,
    TextTooLong,
    Policy,
    ParamFormat,
    Paused,
    Disabled,
    ParamInvalid,
}

/// How an outbox should treat a failed send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetryAdvice {
    /// Retry at once, then after a pause, then give up to a human.
    RetrySoon,
    /// Wait and retry only sends to the same recipient.
    BackOffRecipient,
    /// Wait and retry every send from this number.
    BackOffNumber,
    /// Sending again cannot help.
    Never,
}

impl ErrorClass {
    pub fn retry(self) -> RetryAdvice {
        match self {
            Self::Transient => RetryAdvice::RetrySoon,
            Self::PairRateLimit => RetryAdvice::BackOffRecipient,
            Self::NumberRateLimit => RetryAdvice::BackOffNumber,
            _ => RetryAdvice::Never,
        }
    }

    /// The template picker is the way out (window closed, or the template
    /// sent was not acceptable).
    pub fn offers_template_picker(self) -> bool {
        matches!(self, Self::WindowClosed | Self::Template(_))
    }

    /// Template data on this desktop is stale and should be synced again.
    pub fn needs_template_resync(self) -> bool {
        matches!(
            self,
            Self::Template(
                TemplateFault::Missing
                    | TemplateFault::Paused
                    | TemplateFault::Disabled
                    | TemplateFault::ParamCount
                    | TemplateFault::ParamFormat
            )
        )
    }
}

/// Classifies any Graph or webhook error code.
pub fn classify(code: i64) -> ErrorClass {
    let Some(known) = ErrorCode::from_code(code) else {
        return ErrorClass::Unknown;
    };
    use ErrorCode as C;
    match known {
        C::ApiUnknown
        | C::ApiService
        | C::SomethingWentWrong
        | C::ServiceUnavailable
        | C::AccountInMaintenance => ErrorClass::Transient,
        C::ThroughputLimit => ErrorClass::NumberRateLimit,
        C::PairRateLimit => ErrorClass::PairRateLimit,
        C::ReEngagement => ErrorClass::WindowClosed,
        C::Undeliverable | C::UserIdInvalid => ErrorClass::Undeliverable,
        C::MarketingNotDelivered => ErrorClass::MarketingHeldBack,
        C::MarketingOptedOut => ErrorClass::MarketingOptOut,
        C::UnsupportedMessageType => ErrorClass::Unsupported,
        C::TemplateParamCount => ErrorClass::Template(TemplateFault::ParamCount),
        C::TemplateMissing => ErrorClass::Template(TemplateFault::Missing),
        C::TemplateTextTooLong => ErrorClass::Template(TemplateFault::TextTooLong),
        C::TemplatePolicy => ErrorClass::Template(TemplateFault::Policy),
        C::TemplateParamFormat => ErrorClass::Template(TemplateFault::ParamFormat),
        C::TemplatePaused => ErrorClass::Template(TemplateFault::Paused),
        C::TemplateDisabled => ErrorClass::Template(TemplateFault::Disabled),
        C::TemplateParamInvalid => ErrorClass::Template(TemplateFault::ParamInvalid),
        C::AccessTokenInvalid => ErrorClass::TokenInvalid,
        C::InvalidParameter | C::RequiredParameterMissing | C::ParameterValueInvalid => {
            ErrorClass::BadRequest
        }
        C::AppRateLimit
        | C::WabaRateLimit
        | C::SpamRateLimit
        | C::AccountLocked
        | C::TemporarilyBlocked
        | C::PaymentIssue => ErrorClass::AccountRestricted,
    }
}

/// Why WhatsApp refused a message, grouped as the agent needs to know it.
/// The window words each kind in its own language (the type is shared with
/// it); [`Refusal::text`] is the English sentence for everything else.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[ts(export)]
pub enum Refusal {
    WindowClosed,
    Undeliverable,
    UnsupportedType,
    PairRateLimit,
    ThroughputLimit,
    MarketingHeldBack,
    MarketingOptedOut,
    Temporary,
    Maintenance,
    TemplateParamCount,
    TemplateMissing,
    TemplateTooLong,
    TemplatePolicy,
    TemplateParamFormat,
    TemplatePaused,
    TemplateDisabled,
    TemplateParamInvalid,
    TokenInvalid,
    Malformed,
    /// A parameter error whose details name the recipient: the number is
    /// not a valid WhatsApp number (often 131009 with `to` in the details).
    InvalidRecipient,
    /// 131062: WhatsApp does not know the business-scoped user id the
    /// message was addressed to.
    UserIdUnknown,
    AccountRestricted,
    Unknown,
}

impl Refusal {
    /// The kind of refusal Meta's `code` means.
    pub fn of(code: i64) -> Refusal {
        use ErrorCode as C;
        let Some(code) = ErrorCode::from_code(code) else {
            return Refusal::Unknown;
        };
        match code {
            C::ReEngagement => Refusal::WindowClosed,
            C::Undeliverable => Refusal::Undeliverable,
            C::UserIdInvalid => Refusal::UserIdUnknown,
            C::UnsupportedMessageType => Refusal::UnsupportedType,
            C::PairRateLimit => Refusal::PairRateLimit,
            C::ThroughputLimit => Refusal::ThroughputLimit,
            C::MarketingNotDelivered => Refusal::MarketingHeldBack,
            C::MarketingOptedOut => Refusal::MarketingOptedOut,
            C::ApiUnknown | C::ApiService | C::SomethingWentWrong | C::ServiceUnavailable => {
                Refusal::Temporary
            }
            C::AccountInMaintenance => Refusal::Maintenance,
            C::TemplateParamCount => Refusal::TemplateParamCount,
            C::TemplateMissing => Refusal::TemplateMissing,
            C::TemplateTextTooLong => Refusal::TemplateTooLong,
            C::TemplatePolicy => Refusal::TemplatePolicy,
            C::TemplateParamFormat => Refusal::TemplateParamFormat,
            C::TemplatePaused => Refusal::TemplatePaused,
            C::TemplateDisabled => Refusal::TemplateDisabled,
            C::TemplateParamInvalid => Refusal::TemplateParamInvalid,
            C::AccessTokenInvalid => Refusal::TokenInvalid,
            C::InvalidParameter | C::RequiredParameterMissing | C::ParameterValueInvalid => {
                Refusal::Malformed
            }
            C::AppRateLimit
            | C::WabaRateLimit
            | C::SpamRateLimit
            | C::AccountLocked
            | C::TemporarilyBlocked
            | C::PaymentIssue => Refusal::AccountRestricted,
        }
    }

    /// The kind of refusal Meta's `code` means, read together with Meta's
    /// `details`: the parameter codes (100, 131008, 131009) are our bug only
    /// when the details do not point at the recipient's number.
    pub fn of_error(code: i64, details: Option<&str>) -> Refusal {
        let refusal = Refusal::of(code);
        if refusal == Refusal::Malformed && details.is_some_and(names_recipient) {
            return Refusal::InvalidRecipient;
        }
        refusal
    }

    /// Its name as serialised (`window_closed`), the window's key for it.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// One plain English sentence for the agent.
    pub fn text(self) -> &'static str {
        match self {
            Refusal::WindowClosed => {
                "The customer last wrote more than 24 hours ago. Send an approved template to reopen the conversation."
            }
            Refusal::Undeliverable => {
                "WhatsApp could not deliver this message: the number may not use WhatsApp, the app may be outdated, or the customer has not accepted the latest terms."
            }
            Refusal::UnsupportedType => "This kind of message is not supported by WhatsApp.",
            Refusal::PairRateLimit => {
                "Too many messages to this customer in a short time. Hourglass will retry in a moment."
            }
            Refusal::ThroughputLimit => {
                "Your number is sending faster than WhatsApp allows. Hourglass will retry shortly."
            }
            Refusal::MarketingHeldBack => {
                "WhatsApp held back this marketing message to protect the customer's experience. Do not resend it today."
            }
            Refusal::MarketingOptedOut => {
                "The customer has stopped marketing messages from your business."
            }
            Refusal::Temporary => "WhatsApp had a temporary problem. Try again.",
            Refusal::Maintenance => {
                "The WhatsApp business account is in maintenance. Try again in a few minutes."
            }
            Refusal::TemplateParamCount => {
                "The template got the wrong number of values. Fill in every field of the template."
            }
            Refusal::TemplateMissing => {
                "This template does not exist in that language or is not approved. Refresh the templates and pick another."
            }
            Refusal::TemplateTooLong => {
                "With these values the template text is too long. Shorten the values."
            }
            Refusal::TemplatePolicy => {
                "WhatsApp rejected the template content for breaking its policy."
            }
            Refusal::TemplateParamFormat => {
                "A template value has the wrong kind (for example text where an image is expected)."
            }
            Refusal::TemplatePaused => {
                "This template is paused by WhatsApp because of low quality. Pick another template."
            }
            Refusal::TemplateDisabled => {
                "This template is disabled by WhatsApp. Pick another template."
            }
            Refusal::TemplateParamInvalid => {
                "A template value contains line breaks, tabs or more than four spaces in a row. Remove them."
            }
            Refusal::TokenInvalid => {
                "The WhatsApp access token has expired or was revoked. Ask an admin for a new token in Settings."
            }
            Refusal::Malformed => {
                "WhatsApp refused the request as malformed. This is a bug in Hourglass; please report it."
            }
            Refusal::InvalidRecipient => {
                "The customer's phone number is not a valid WhatsApp number. Check the number."
            }
            Refusal::UserIdUnknown => {
                "WhatsApp no longer knows this customer's user id (they may have changed their number). Wait for the customer to write again; their next message brings the new id."
            }
            Refusal::AccountRestricted => {
                "The WhatsApp business account is limited or restricted. Tell your admin; sending is paused."
            }
            Refusal::Unknown => {
                "WhatsApp refused this message for a reason Hourglass does not know yet."
            }
        }
    }
}

/// Whether Meta's details of a parameter error point at the recipient
/// (`Param to is not a valid WhatsApp phone number`, `Recipient phone number
/// not valid`, `Invalid wa_id`).
fn names_recipient(details: &str) -> bool {
    let d = details.to_lowercase();
    [
        "recipient",
        "phone number",
        "param to ",
        "parameter to ",
        "wa_id",
        "`to`",
        "\"to\"",
    ]
    .iter()
    .any(|needle| d.contains(needle))
}

/// One plain sentence for the agent, shown under a failed message.
pub fn explain(code: i64) -> &'static str {
    Refusal::of(code).text()
}

/// [`explain`] read with Meta's `details` ([`Refusal::of_error`]).
pub fn explain_error(code: i64, details: &str) -> &'static str {
    Refusal::of_error(code, Some(details)).text()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_round_trips_in_metas_shape() {
        let raw = r#"{"error":{"message":"(#132000) Number of parameters does not match the expected number of params","type":"OAuthException","code":132000,"error_data":{"messaging_product":"whatsapp","details":"body: number of localizable_params (1) does not match the expected number of params (2)"},"fbtrace_id":"AbC123"}}"#;
        let env: GraphErrorEnvelope = serde_json::from_str(raw).unwrap();
        assert_eq!(env.error.code, 132000);
        assert_eq!(env.error.known_code(), Some(ErrorCode::TemplateParamCount));
        assert!(env.error.details().starts_with("body: number"));
        assert_eq!(serde_json::to_string(&env).unwrap(), raw);
    }

    #[test]
    fn new_errors_are_worded_like_meta() {
        let e = GraphError::new(
            ErrorCode::TemplateMissing,
            "template name (x) does not exist in en_US",
        )
        .with_fbtrace_id("T");
        assert_eq!(
            e.message,
            "(#132001) Template name does not exist in the translation"
        );
        assert_eq!(e.kind, "OAuthException");
        assert_eq!(e.http_status(), 400);
        let token = GraphError::new(ErrorCode::AccessTokenInvalid, "");
        assert!(!token.message.starts_with("(#"));
        assert_eq!(token.http_status(), 401);
    }

    #[test]
    fn unknown_fields_and_missing_optionals_are_tolerated() {
        let raw = r#"{"error":{"message":"x","code":131000,"is_transient":true}}"#;
        let env: GraphErrorEnvelope = serde_json::from_str(raw).unwrap();
        assert_eq!(env.error.class(), ErrorClass::Transient);
        assert_eq!(env.error.details(), "x");
    }

    #[test]
    fn classification_follows_the_table() {
        assert_eq!(classify(131047), ErrorClass::WindowClosed);
        assert_eq!(classify(131026), ErrorClass::Undeliverable);
        assert_eq!(classify(130429).retry(), RetryAdvice::BackOffNumber);
        assert_eq!(classify(131056).retry(), RetryAdvice::BackOffRecipient);
        assert_eq!(classify(131000).retry(), RetryAdvice::RetrySoon);
        assert_eq!(classify(131057).retry(), RetryAdvice::RetrySoon);
        assert_eq!(classify(190), ErrorClass::TokenInvalid);
        for code in [100, 131008, 131009] {
            assert_eq!(classify(code), ErrorClass::BadRequest);
        }
        for code in [4, 80007, 131048, 131031, 368, 131042] {
            assert_eq!(classify(code), ErrorClass::AccountRestricted, "{code}");
        }
        assert_eq!(
            classify(132015),
            ErrorClass::Template(TemplateFault::Paused)
        );
        assert!(classify(131047).offers_template_picker());
        assert!(classify(132001).needs_template_resync());
        assert_eq!(classify(999_999), ErrorClass::Unknown);
        assert_eq!(classify(999_999).retry(), RetryAdvice::Never);
    }

    #[test]
    fn a_parameter_error_about_the_recipient_is_not_called_a_bug() {
        for details in [
            "Param to is not a valid WhatsApp phone number: \"+1\"",
            "Recipient phone number not valid",
            "Invalid parameter `to`",
        ] {
            assert_eq!(
                Refusal::of_error(131009, Some(details)),
                Refusal::InvalidRecipient,
                "{details}"
            );
            assert!(!explain_error(131009, details).contains("bug"));
        }
        // Other parameter errors stay our bug; other codes keep their kind.
        assert_eq!(
            Refusal::of_error(131009, Some("Parameter value is not valid: text.body")),
            Refusal::Malformed
        );
        assert_eq!(Refusal::of_error(131009, None), Refusal::Malformed);
        assert_eq!(
            Refusal::of_error(131026, Some("recipient phone number")),
            Refusal::Undeliverable
        );
        assert_eq!(Refusal::of_error(999_999, Some("to")), Refusal::Unknown);
        // 131062 names a business-scoped user id: never a bug of ours.
        assert_eq!(
            Refusal::of_error(131062, Some("recipient US.1 is not valid")),
            Refusal::UserIdUnknown
        );
        assert_eq!(classify(131062), ErrorClass::Undeliverable);
        assert_eq!(classify(131062).retry(), RetryAdvice::Never);
    }

    #[test]
    fn every_code_round_trips_and_is_explained() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), Some(code));
            assert_ne!(classify(code.code()), ErrorClass::Unknown);
            assert_ne!(explain(code.code()), explain(-1), "{code:?}");
        }
    }
}
