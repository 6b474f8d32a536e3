//! Why a Cloud API call failed, in words an agent can act on.

use crate::problem::{ErrorCode, Params, params};
use hourglass_whatsapp::graph_error::{
    ErrorClass, GraphErrorEnvelope, Refusal, RetryAdvice, explain_error,
};

/// How the network failed before Meta could answer. Each kind gets its own
/// message because each has a different fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportKind {
    /// No connection: refused, unreachable, or the host name did not resolve.
    Connect,
    /// Connected (or trying to) but no answer in time.
    Timeout,
    /// The secure connection failed: certificate, protocol, or a proxy that
    /// intercepts HTTPS.
    Tls,
    /// The connection broke while the request or answer was in flight.
    Other,
}

/// A failed Graph API call. `code()` is stable; `Display` never contains the
/// access token (messages are built from the host name and Meta's own error
/// text only, never from a URL, since Meta's paging URLs carry the token in
/// their query).
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// Meta answered with its error envelope.
    #[error("{}", api_message(envelope))]
    Api {
        envelope: GraphErrorEnvelope,
        /// What the inbox should do about it, from
        /// [`hourglass_whatsapp::graph_error::classify`].
        class: ErrorClass,
        /// The HTTP status of the answer.
        status: u16,
    },
    #[error("{}", transport_message(*kind, host, detail))]
    Transport {
        kind: TransportKind,
        host: String,
        detail: String,
    },
    /// A failure status without Meta's envelope (a proxy's error page, an
    /// expired media URL).
    #[error(
        "{host} answered HTTP {status} to {what}. Try again; if it keeps happening, \
         check the Graph API address in Settings → Connection and any proxy in between."
    )]
    Http {
        what: &'static str,
        host: String,
        status: u16,
    },
    /// A success status with a body that is not what Meta documents.
    #[error(
        "The answer to {what} was not what the WhatsApp Cloud API sends ({detail}). \
         Check the Graph API address in Settings → Connection; if it is right, update Hourglass."
    )]
    Decode { what: &'static str, detail: String },
    /// A URL from an answer (paging, media) would have received the token
    /// in the clear or on another site.
    #[error(
        "Hourglass refused to send the access token to {host} for {what}, which is not the Graph API \
         and not a secure (https) address. Check the Graph API address in Settings → Connection."
    )]
    ForeignUrl { what: &'static str, host: String },
    /// The downloaded file differs from what `GET /{media-id}` described.
    #[error(
        "The media file {media_id} arrived damaged (its size or checksum does not match). Download it again."
    )]
    MediaMismatch { media_id: String },
    /// The file is larger than its kind allows.
    #[error(
        "The media file {media_id} is larger than WhatsApp allows for its kind ({limit} bytes), so Hourglass did not download it."
    )]
    MediaTooLarge { media_id: String, limit: u64 },
    #[error(
        "The Graph API address {url:?} is not usable ({reason}). Fix it in Settings → Connection."
    )]
    BadBaseUrl { url: String, reason: String },
    #[error(
        "The access token contains characters that cannot be sent. Paste the token again in Settings → Connection."
    )]
    BadToken,
}

impl GraphError {
    /// A stable identifier the UI words.
    pub fn code(&self) -> ErrorCode {
        match self {
            GraphError::Api {
                class, envelope, ..
            } => match class {
                ErrorClass::Transient => ErrorCode::GraphTransient,
                ErrorClass::NumberRateLimit => ErrorCode::GraphNumberRateLimit,
                ErrorClass::PairRateLimit => ErrorCode::GraphPairRateLimit,
                ErrorClass::WindowClosed => ErrorCode::GraphWindowClosed,
                ErrorClass::Undeliverable => ErrorCode::GraphUndeliverable,
                ErrorClass::MarketingHeldBack => ErrorCode::GraphMarketingHeldBack,
                ErrorClass::MarketingOptOut => ErrorCode::GraphMarketingOptOut,
                ErrorClass::Unsupported => ErrorCode::GraphUnsupported,
                ErrorClass::Template(_) => ErrorCode::GraphTemplate,
                ErrorClass::TokenInvalid => ErrorCode::GraphTokenInvalid,
                ErrorClass::BadRequest if is_unknown_object(envelope) => {
                    ErrorCode::GraphUnknownObject
                }
                ErrorClass::BadRequest => ErrorCode::GraphBadRequest,
                ErrorClass::AccountRestricted => ErrorCode::GraphAccountRestricted,
                ErrorClass::Unknown => ErrorCode::GraphUnknownError,
            },
            GraphError::Transport { kind, .. } => match kind {
                TransportKind::Connect => ErrorCode::GraphConnect,
                TransportKind::Timeout => ErrorCode::GraphTimeout,
                TransportKind::Tls => ErrorCode::GraphTls,
                TransportKind::Other => ErrorCode::GraphTransport,
            },
            GraphError::Http { .. } => ErrorCode::GraphHttp,
            GraphError::Decode { .. } => ErrorCode::GraphDecode,
            GraphError::ForeignUrl { .. } => ErrorCode::GraphForeignUrl,
            GraphError::MediaMismatch { .. } => ErrorCode::GraphMediaMismatch,
            GraphError::MediaTooLarge { .. } => ErrorCode::GraphMediaTooLarge,
            GraphError::BadBaseUrl { .. } => ErrorCode::GraphBadBaseUrl,
            GraphError::BadToken => ErrorCode::GraphBadToken,
        }
    }

    /// The values the window's wording of [`GraphError::code`] fills in:
    /// Meta's code and its own words (`detail`), the host, the status.
    pub fn params(&self) -> Params {
        match self {
            GraphError::Api { envelope, .. } => {
                let e = &envelope.error;
                let mut out = params([
                    ("meta_code", e.code.to_string()),
                    ("detail", e.details().to_owned()),
                ]);
                // Meta's words are English; the kind of refusal is worded
                // by the window (Meta's words stay for a code it does not know).
                let refusal = Refusal::of_error(e.code, Some(e.details()));
                if refusal != Refusal::Unknown {
                    out.insert("refusal".to_owned(), refusal.key().to_owned());
                }
                out
            }
            GraphError::Transport { host, detail, .. } => {
                params([("host", host.clone()), ("detail", detail.clone())])
            }
            GraphError::Http { host, status, .. } => {
                params([("host", host.clone()), ("status", status.to_string())])
            }
            GraphError::Decode { detail, .. } => params([("detail", detail.clone())]),
            GraphError::ForeignUrl { host, .. } => params([("host", host.clone())]),
            GraphError::MediaMismatch { media_id } => params([("media_id", media_id.clone())]),
            GraphError::MediaTooLarge { media_id, limit } => params([
                ("media_id", media_id.clone()),
                ("limit_mb", format!("{:.1}", *limit as f64 / 1_048_576.0)),
            ]),
            GraphError::BadBaseUrl { url, reason } => {
                params([("url", url.clone()), ("detail", reason.clone())])
            }
            GraphError::BadToken => Params::new(),
        }
    }

    /// Meta's error class, when Meta answered with one.
    pub fn class(&self) -> Option<ErrorClass> {
        match self {
            GraphError::Api { class, .. } => Some(*class),
            _ => None,
        }
    }

    /// Meta's numeric error code, when Meta answered with one.
    pub fn meta_code(&self) -> Option<i64> {
        match self {
            GraphError::Api { envelope, .. } => Some(envelope.error.code),
            _ => None,
        }
    }

    /// Whether sending again may help. A send that timed out may still have
    /// been accepted: the outbox recognises it by `biz_opaque_callback_data`
    /// in the status webhook rather than trusting this alone.
    pub fn retry(&self) -> RetryAdvice {
        match self {
            GraphError::Api { class, .. } => class.retry(),
            GraphError::Transport {
                kind: TransportKind::Connect | TransportKind::Timeout | TransportKind::Other,
                ..
            } => RetryAdvice::RetrySoon,
            GraphError::Http { status, .. } if *status >= 500 || *status == 429 => {
                RetryAdvice::RetrySoon
            }
            GraphError::MediaMismatch { .. } => RetryAdvice::RetrySoon,
            _ => RetryAdvice::Never,
        }
    }
}

/// Code 100 with subcode 33: the id is wrong or the token cannot see it,
/// which in practice means a mistyped id in the connection settings.
fn is_unknown_object(envelope: &GraphErrorEnvelope) -> bool {
    envelope.error.code == 100 && envelope.error.error_subcode == Some(33)
}

fn api_message(envelope: &GraphErrorEnvelope) -> String {
    let e = &envelope.error;
    match e.class() {
        ErrorClass::TokenInvalid => "The access token has expired or was revoked (190). \
             Create a new token in Meta Business Settings → System users and paste it in Settings → Connection."
            .to_owned(),
        _ if is_unknown_object(envelope) => format!(
            "WhatsApp does not know an ID in this request, or the access token may not use it (100/33: {}). \
             Check the phone number ID and WhatsApp Business Account ID in Settings → Connection, \
             and that the token's system user was given access to them.",
            e.message
        ),
        _ => format!(
            "{} (WhatsApp error {}: {})",
            explain_error(e.code, e.details()),
            e.code,
            e.details()
        ),
    }
}

fn transport_message(kind: TransportKind, host: &str, detail: &str) -> String {
    match kind {
        TransportKind::Connect => format!(
            "Could not connect to {host} ({detail}). Check the internet connection, any proxy or firewall, \
             and the Graph API address in Settings → Connection, then try again."
        ),
        TransportKind::Timeout => format!(
            "{host} did not answer in time. Try again; if it keeps happening, check the network connection."
        ),
        TransportKind::Tls => format!(
            "The secure connection to {host} failed ({detail}). Check that the computer's date and time are right \
             and that no proxy or antivirus intercepts HTTPS, then try again."
        ),
        TransportKind::Other => {
            format!("The connection to {host} broke off ({detail}). Try again.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hourglass_whatsapp::graph_error::{ErrorCode as Meta, GraphError as MetaError, classify};

    fn api(code: i64, details: &str) -> GraphError {
        let envelope = match Meta::from_code(code) {
            Some(known) => MetaError::new(known, details).into_envelope(),
            None => {
                let raw = format!(
                    r#"{{"error":{{"message":"x","code":{code},"error_data":{{"details":"{details}"}}}}}}"#
                );
                serde_json::from_str(&raw).unwrap()
            }
        };
        GraphError::Api {
            envelope,
            class: classify(code),
            status: 400,
        }
    }

    #[test]
    fn a_known_refusal_is_named_for_the_window_and_metas_words_stay_beside_it() {
        let undeliverable = api(131026, "Message undeliverable").params();
        assert_eq!(undeliverable["refusal"], "undeliverable");
        assert_eq!(undeliverable["meta_code"], "131026");
        assert_eq!(undeliverable["detail"], "Message undeliverable");
        // A parameter error that names the number is the customer's number,
        // not a bug.
        let recipient = api(
            131009,
            "Parameter value is not valid: recipient phone number",
        );
        assert_eq!(recipient.params()["refusal"], "invalid_recipient");
        // A code Hourglass does not know: only Meta's words.
        let unknown = api(199_999, "Something new").params();
        assert_eq!(unknown.get("refusal"), None);
        assert_eq!(unknown["detail"], "Something new");
    }
}
