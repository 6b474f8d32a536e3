//! The WhatsApp Cloud API client: every call the desktop makes to Meta's
//! Graph API, with the access token from the keychain as Bearer token.
//!
//! Calls: [`GraphClient::send_text`] and [`GraphClient::send_template`] (or
//! any [`OutboundMessage`] through [`GraphClient::send`]),
//! [`GraphClient::mark_read`], [`GraphClient::list_templates`] (every page),
//! [`GraphClient::media_info`] / [`GraphClient::download_media`], and the
//! connection test pair [`GraphClient::check_phone_number`] /
//! [`GraphClient::check_waba`]. Request and answer bodies are the types of
//! `hourglass_whatsapp`, so the client, the simulator and the relay share one
//! definition of the wire format.
//!
//! Decisions:
//! - **The base URL is configuration** ([`GraphConfig::base_url`]): Meta's
//!   `https://graph.facebook.com` in production, the simulator's loopback
//!   address in demo mode and tests. A loopback base URL bypasses any system
//!   proxy, which could not reach this machine's loopback anyway.
//! - **The token is sent only where it belongs.** Meta's `paging.next` URLs
//!   are followed only when they have the base URL's origin; media download
//!   URLs only from the configured Graph host, or, for Meta's Graph API,
//!   from the one host Meta serves media from ([`META_MEDIA_HOST`], https).
//!   Anything else is refused with
//!   [`GraphError::ForeignUrl`] before a byte is sent. The Authorization
//!   header is marked sensitive so the HTTP stack never logs it.
//! - **Nothing derived from a URL reaches an error or a log line**: Meta puts
//!   `access_token=` in the query of `paging.next`, so transport errors drop
//!   the URL and name only the host, logs carry the path only, and decode
//!   errors are scrubbed of the token.
//! - **Transport failures are told apart** ([`TransportKind`]: connect,
//!   timeout, TLS) because each needs a different fix from the user. A send
//!   that timed out may still have been accepted by Meta; the outbox matches
//!   it later by `biz_opaque_callback_data`.
//! - **One odd template does not fail a sync**: a template this version
//!   cannot type is reported in [`TemplateListing::unreadable`] and left out.
//!   Paging is bounded ([`MAX_TEMPLATE_PAGES`]) and stops if Meta hands back a
//!   page it already served.
//! - **Downloads are checked** against the size and SHA-256 that
//!   `GET /{media-id}` announced, and capped in size while they are read
//!   ([`GraphClient::download_media_capped`]).

mod block;
mod error;
mod object;
mod upload;

use std::collections::HashSet;
use std::time::Duration;

use hourglass_whatsapp::graph_error::{GraphErrorEnvelope, classify};
use hourglass_whatsapp::send::{
    MarkRead, OutboundMessage, SendResponse, TemplatePayload, TypingIndicator,
};
use hourglass_whatsapp::template::Template;
use hourglass_whatsapp::thread_control::ThreadControl;
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::secrets::Secret;

pub use error::{GraphError, TransportKind};
pub use object::{
    Media, MediaInfo, PhoneNumberInfo, TemplateListing, UnreadableTemplate, WabaCheck,
};
use object::{Success, TemplatePage};
pub use upload::{UploadProgress, Uploaded};

/// Meta's Graph API.
pub const META_GRAPH_URL: &str = "https://graph.facebook.com";
/// The Graph API version Hourglass is written against
/// ([`hourglass_whatsapp::GRAPH_API_VERSION`]).
pub const API_VERSION: &str = hourglass_whatsapp::GRAPH_API_VERSION;
/// Templates per page by default; Meta's maximum.
pub const TEMPLATE_PAGE_SIZE: u32 = 100;
/// At 100 a page, far more templates than an account may have.
pub const MAX_TEMPLATE_PAGES: usize = 500;

/// Where and as whom to call the Graph API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphConfig {
    /// Scheme, host and optional path prefix; no version.
    pub base_url: String,
    /// [`API_VERSION`] unless a test says otherwise.
    pub version: String,
    /// The business phone number's id (not the number itself).
    pub phone_number_id: String,
    /// The WhatsApp Business Account id, which owns the templates.
    pub waba_id: String,
    pub connect_timeout: Duration,
    /// Whole-call limit for API calls.
    pub request_timeout: Duration,
    /// Whole-call limit for media downloads (files up to 100 MB).
    pub media_timeout: Duration,
    /// Templates asked for per page, 1 to [`TEMPLATE_PAGE_SIZE`].
    pub template_page_size: u32,
}

impl GraphConfig {
    /// Meta's Graph API for this number and account.
    pub fn new(phone_number_id: impl Into<String>, waba_id: impl Into<String>) -> Self {
        GraphConfig {
            base_url: META_GRAPH_URL.to_owned(),
            version: API_VERSION.to_owned(),
            phone_number_id: phone_number_id.into(),
            waba_id: waba_id.into(),
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            media_timeout: Duration::from_secs(300),
            template_page_size: TEMPLATE_PAGE_SIZE,
        }
    }

    /// Points the client elsewhere: the simulator in demo mode and tests.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }
}

/// Optional parts of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendOptions {
    /// Makes the message a reply to this wamid.
    pub reply_to: Option<String>,
    /// `biz_opaque_callback_data`: echoed in every status webhook of the
    /// message (≤ 512 bytes); Hourglass puts its outbox id here.
    pub callback_data: Option<String>,
}

impl SendOptions {
    fn apply(&self, mut message: OutboundMessage) -> OutboundMessage {
        if let Some(wamid) = &self.reply_to {
            message = message.reply_to(wamid.clone());
        }
        if let Some(data) = &self.callback_data {
            message = message.callback_data(data.clone());
        }
        message
    }
}

/// A Cloud API client for one phone number and business account. Cheap to
/// clone; clones share connections.
#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    base: Url,
    config: GraphConfig,
    token: Secret,
    auth: HeaderValue,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("base_url", &self.base.as_str())
            .field("version", &self.config.version)
            .field("phone_number_id", &self.config.phone_number_id)
            .field("waba_id", &self.config.waba_id)
            .field("token", &self.token)
            .finish()
    }
}

impl GraphClient {
    pub fn new(config: GraphConfig, token: Secret) -> Result<Self, GraphError> {
        let bad = |reason: &str| GraphError::BadBaseUrl {
            url: config.base_url.clone(),
            reason: reason.to_owned(),
        };
        let base = Url::parse(config.base_url.trim()).map_err(|e| bad(&e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
            return Err(bad(
                "it must start with https:// (or http:// for a local simulator)",
            ));
        }
        if base.query().is_some() || !base.username().is_empty() || base.password().is_some() {
            return Err(bad("it may not contain a query or a user name"));
        }
        let bearer = Zeroizing::new(format!("Bearer {}", token.expose().trim()));
        let mut auth = HeaderValue::from_str(&bearer).map_err(|_| GraphError::BadToken)?;
        auth.set_sensitive(true);

        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .user_agent(concat!("Hourglass/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&base) {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| transport(e, &host_of(&base)))?;
        Ok(GraphClient {
            http,
            base,
            config,
            token,
            auth,
        })
    }

    pub fn config(&self) -> &GraphConfig {
        &self.config
    }

    /// Sends any message; the answer means **accepted**, not delivered.
    pub async fn send(&self, message: &OutboundMessage) -> Result<SendResponse, GraphError> {
        let url = self.endpoint(&[&self.config.phone_number_id, "messages"]);
        let request = self.http.post(url.clone()).json(message);
        let response: SendResponse = self.call_json("sending a message", request, &url).await?;
        if response.wamid().is_none() {
            return Err(GraphError::Decode {
                what: "sending a message",
                detail: "the answer holds no message id".to_owned(),
            });
        }
        Ok(response)
    }

    /// Free text (only inside the 24 h window; the caller checks that).
    pub async fn send_text(
        &self,
        to: &str,
        body: &str,
        options: &SendOptions,
    ) -> Result<SendResponse, GraphError> {
        self.send(&options.apply(OutboundMessage::text(to, body)))
            .await
    }

    /// An approved template, built with `hourglass_whatsapp::send` or
    /// `Template::build_payload`.
    pub async fn send_template(
        &self,
        to: &str,
        template: TemplatePayload,
        options: &SendOptions,
    ) -> Result<SendResponse, GraphError> {
        self.send(&options.apply(OutboundMessage::template(to, template)))
            .await
    }

    /// Marks a customer's message (and the ones before it) as read.
    pub async fn mark_read(&self, wamid: &str) -> Result<(), GraphError> {
        self.read_receipt("marking as read", MarkRead::new(wamid))
            .await
    }

    /// Shows the customer a typing indicator (for up to 25 s, or until the
    /// reply arrives) and marks their message `wamid` read.
    pub async fn typing(&self, wamid: &str) -> Result<(), GraphError> {
        let mut read = MarkRead::new(wamid);
        read.typing_indicator = Some(TypingIndicator {
            kind: "text".to_owned(),
        });
        self.read_receipt("showing the typing indicator", read)
            .await
    }

    /// Takes, releases or passes a conversation under Meta's conversation
    /// routing (`POST /{phone-number-id}/thread_control`).
    pub async fn thread_control(&self, body: &ThreadControl) -> Result<(), GraphError> {
        let url = self.endpoint(&[&self.config.phone_number_id, "thread_control"]);
        let request = self.http.post(url.clone()).json(body);
        self.call("taking the conversation over", request, &url)
            .await
            .map(drop)
    }

    async fn read_receipt(&self, what: &'static str, read: MarkRead) -> Result<(), GraphError> {
        let url = self.endpoint(&[&self.config.phone_number_id, "messages"]);
        let request = self.http.post(url.clone()).json(&read);
        let answer: Success = self.call_json(what, request, &url).await?;
        if answer.success {
            Ok(())
        } else {
            Err(GraphError::Decode {
                what,
                detail: "Meta answered success: false".to_owned(),
            })
        }
    }

    /// Every template of the business account, following `paging.next` to
    /// the end.
    pub async fn list_templates(&self) -> Result<TemplateListing, GraphError> {
        const WHAT: &str = "listing templates";
        let mut url = self.endpoint(&[&self.config.waba_id, "message_templates"]);
        url.query_pairs_mut().append_pair(
            "limit",
            &self
                .config
                .template_page_size
                .clamp(1, TEMPLATE_PAGE_SIZE)
                .to_string(),
        );
        let mut listing = TemplateListing::default();
        let mut keys = HashSet::new();
        let mut visited = HashSet::new();
        for _ in 0..MAX_TEMPLATE_PAGES {
            let page: TemplatePage = self
                .call_json(WHAT, self.http.get(url.clone()), &url)
                .await?;
            listing.pages += 1;
            for value in page.data {
                let name = value["name"].as_str().map(str::to_owned);
                let language = value["language"].as_str().map(str::to_owned);
                match serde_json::from_value::<Template>(value) {
                    Ok(t) => {
                        if keys.insert((t.name.clone(), t.language.clone())) {
                            listing.templates.push(t);
                        }
                    }
                    Err(e) => {
                        tracing::warn!(?name, ?language, error = %e, "template left out");
                        listing.unreadable.push(UnreadableTemplate {
                            name,
                            language,
                            reason: self.scrub(&e.to_string()),
                        });
                    }
                }
            }
            let Some(next) = page.paging.and_then(|p| p.next) else {
                return Ok(listing);
            };
            let next = self.follow(WHAT, &next, Follow::SameOrigin)?;
            visited.insert(url.as_str().to_owned());
            if visited.contains(next.as_str()) {
                return Err(GraphError::Decode {
                    what: WHAT,
                    detail: "paging.next points back to a page already read".to_owned(),
                });
            }
            url = next;
        }
        Err(GraphError::Decode {
            what: WHAT,
            detail: format!("more than {MAX_TEMPLATE_PAGES} pages"),
        })
    }

    /// Where to download a media file received in a webhook.
    pub async fn media_info(&self, media_id: &str) -> Result<MediaInfo, GraphError> {
        let url = self.endpoint(&[media_id]);
        self.call_json("describing media", self.http.get(url.clone()), &url)
            .await
    }

    /// The file itself, with the Bearer token. Call right after
    /// [`Self::media_info`]: its URL expires after five minutes.
    pub async fn download_media(&self, info: &MediaInfo) -> Result<Vec<u8>, GraphError> {
        self.download_media_capped(info, MAX_MEDIA_BYTES).await
    }

    /// [`Self::download_media`], refusing a file larger than `max_bytes`:
    /// before asking for it when Meta announced its size, and while reading
    /// it otherwise, so a lying size never fills the memory.
    pub async fn download_media_capped(
        &self,
        info: &MediaInfo,
        max_bytes: u64,
    ) -> Result<Vec<u8>, GraphError> {
        const WHAT: &str = "downloading media";
        if let Some(size) = info.file_size
            && size > max_bytes
        {
            return Err(GraphError::MediaTooLarge {
                media_id: info.id.clone(),
                limit: max_bytes,
            });
        }
        let url = self.follow(WHAT, &info.url, Follow::MediaHost)?;
        let request = self
            .http
            .get(url.clone())
            .timeout(self.config.media_timeout);
        let bytes = self.call_capped(WHAT, request, &url, max_bytes).await?;
        let bytes = match bytes {
            Some(bytes) => bytes,
            None => {
                return Err(GraphError::MediaTooLarge {
                    media_id: info.id.clone(),
                    limit: max_bytes,
                });
            }
        };
        let size_ok = info.file_size.is_none_or(|n| n == bytes.len() as u64);
        let hash_ok = info.sha256.as_deref().is_none_or(|expected| {
            expected.eq_ignore_ascii_case(&hex::encode(Sha256::digest(&bytes)))
        });
        if size_ok && hash_ok {
            Ok(bytes)
        } else {
            Err(GraphError::MediaMismatch {
                media_id: info.id.clone(),
            })
        }
    }

    /// [`Self::media_info`] then [`Self::download_media`].
    pub async fn fetch_media(&self, media_id: &str) -> Result<Media, GraphError> {
        let info = self.media_info(media_id).await?;
        let bytes = self.download_media(&info).await?;
        Ok(Media { info, bytes })
    }

    /// Connection test, part 1: the token works and may use this phone
    /// number id.
    pub async fn check_phone_number(&self) -> Result<PhoneNumberInfo, GraphError> {
        let url = self.endpoint(&[&self.config.phone_number_id]);
        self.call_json(
            "checking the phone number",
            self.http.get(url.clone()),
            &url,
        )
        .await
    }

    /// The number with its quality rating and messaging-limit tier, for the
    /// health panel.
    pub async fn phone_number_health(&self) -> Result<PhoneNumberInfo, GraphError> {
        let mut url = self.endpoint(&[&self.config.phone_number_id]);
        url.query_pairs_mut()
            .append_pair("fields", object::PHONE_HEALTH_FIELDS);
        self.call_json(
            "reading the phone number's quality",
            self.http.get(url.clone()),
            &url,
        )
        .await
    }

    /// Connection test, part 2: the token may read this business account's
    /// templates.
    pub async fn check_waba(&self) -> Result<WabaCheck, GraphError> {
        let mut url = self.endpoint(&[&self.config.waba_id, "message_templates"]);
        url.query_pairs_mut().append_pair("limit", "1");
        let page: TemplatePage = self
            .call_json(
                "checking the business account",
                self.http.get(url.clone()),
                &url,
            )
            .await?;
        Ok(WabaCheck {
            has_templates: !page.data.is_empty(),
        })
    }

    /// `{base}/{version}/{segments…}`, each segment percent-encoded so an id
    /// can never add path components.
    fn endpoint(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .push(&self.config.version)
                .extend(segments);
        }
        url
    }

    /// A URL taken from an answer, if the token may go there.
    fn follow(&self, what: &'static str, raw: &str, rule: Follow) -> Result<Url, GraphError> {
        let url = Url::parse(raw).map_err(|_| GraphError::Decode {
            what,
            detail: "a URL in the answer is not valid".to_owned(),
        })?;
        let same_origin = url.origin() == self.base.origin();
        let allowed = match rule {
            Follow::SameOrigin => same_origin,
            Follow::MediaHost => {
                let metas = self
                    .base
                    .host_str()
                    .is_some_and(|h| h.eq_ignore_ascii_case("graph.facebook.com"))
                    && url.scheme() == "https"
                    && url
                        .host_str()
                        .is_some_and(|h| h.eq_ignore_ascii_case(META_MEDIA_HOST))
                    && url.port().is_none();
                same_origin || metas
            }
        };
        if allowed {
            Ok(url)
        } else {
            Err(GraphError::ForeignUrl {
                what,
                host: host_of(&url),
            })
        }
    }

    async fn call_json<T: DeserializeOwned>(
        &self,
        what: &'static str,
        request: reqwest::RequestBuilder,
        url: &Url,
    ) -> Result<T, GraphError> {
        let body = self.call(what, request, url).await?;
        serde_json::from_slice(&body).map_err(|e| GraphError::Decode {
            what,
            detail: self.scrub(&e.to_string()),
        })
    }

    async fn call(
        &self,
        what: &'static str,
        request: reqwest::RequestBuilder,
        url: &Url,
    ) -> Result<Vec<u8>, GraphError> {
        let host = host_of(url);
        let response = request
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .map_err(|e| transport(e, &host))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| transport(e, &host))?;
        tracing::debug!(
            what,
            path = url.path(),
            status,
            bytes = body.len(),
            "graph call"
        );
        if (200..300).contains(&status) {
            return Ok(body.to_vec());
        }
        Err(refusal(what, host, status, &body))
    }

    /// [`Self::call`] reading at most `max_bytes` of a successful answer:
    /// `None` when it is longer. A refusal's body is read up to 64 KiB.
    async fn call_capped(
        &self,
        what: &'static str,
        request: reqwest::RequestBuilder,
        url: &Url,
        max_bytes: u64,
    ) -> Result<Option<Vec<u8>>, GraphError> {
        const MAX_REFUSAL: u64 = 64 * 1024;
        let host = host_of(url);
        let mut response = request
            .header(AUTHORIZATION, self.auth.clone())
            .send()
            .await
            .map_err(|e| transport(e, &host))?;
        let status = response.status().as_u16();
        let ok = (200..300).contains(&status);
        let limit = if ok { max_bytes } else { MAX_REFUSAL };
        if response.content_length().is_some_and(|n| n > limit) && ok {
            return Ok(None);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport(e, &host))? {
            if (body.len() + chunk.len()) as u64 > limit {
                if ok {
                    return Ok(None);
                }
                break;
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(
            what,
            path = url.path(),
            status,
            bytes = body.len(),
            "graph call"
        );
        if ok {
            Ok(Some(body))
        } else {
            Err(refusal(what, host, status, &body))
        }
    }

    /// Removes the token from text that came from an answer.
    fn scrub(&self, text: &str) -> String {
        let token = self.token.expose().trim();
        if token.is_empty() {
            text.to_owned()
        } else {
            text.replace(token, "***")
        }
    }
}

/// A failure answer: Meta's envelope when it sent one, else the status.
fn refusal(what: &'static str, host: String, status: u16, body: &[u8]) -> GraphError {
    match serde_json::from_slice::<GraphErrorEnvelope>(body) {
        Ok(envelope) => {
            let class = classify(envelope.error.code);
            tracing::info!(
                what,
                status,
                code = envelope.error.code,
                ?class,
                fbtrace_id = envelope.error.fbtrace_id.as_deref(),
                "Graph API refused"
            );
            GraphError::Api {
                envelope,
                class,
                status,
            }
        }
        Err(_) => GraphError::Http { what, host, status },
    }
}

#[derive(Debug, Clone, Copy)]
enum Follow {
    SameOrigin,
    /// The Graph host itself, or, for Meta's Graph API, the host Meta
    /// serves media files from ([`META_MEDIA_HOST`], over https).
    MediaHost,
}

/// Where Meta's `GET /{media-id}` URLs point.
pub const META_MEDIA_HOST: &str = "lookaside.fbsbx.com";

/// Files larger than any media kind Meta allows (documents: 100 MB) are
/// never downloaded.
pub const MAX_MEDIA_BYTES: u64 = 100 * 1024 * 1024;

fn host_of(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => "the Graph API".to_owned(),
    }
}

fn is_loopback(url: &Url) -> bool {
    url.host_str().is_some_and(|host| {
        host.eq_ignore_ascii_case("localhost")
            || host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    })
}

/// Names what went wrong on the wire.
fn transport(error: reqwest::Error, host: &str) -> GraphError {
    let (kind, detail) = transport_kind(error);
    GraphError::Transport {
        kind,
        host: host.to_owned(),
        detail,
    }
}

/// What kind of network failure `error` is, and its innermost cause in
/// words (never the URL). reqwest has no TLS predicate, and a TLS failure
/// during connect also counts as a connect error, so the cause chain is read
/// first for the TLS layer's own words.
pub(crate) fn transport_kind(error: reqwest::Error) -> (TransportKind, String) {
    let error = error.without_url();
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = cause.source();
    }
    let chain = causes.join(": ").to_lowercase();
    let tls = [
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "corrupt message",
        "invalidcontenttype",
    ]
    .iter()
    .any(|word| chain.contains(word));
    let kind = if error.is_timeout() {
        TransportKind::Timeout
    } else if tls {
        TransportKind::Tls
    } else if error.is_connect() {
        TransportKind::Connect
    } else {
        TransportKind::Other
    };
    let detail = causes.pop().unwrap_or_else(|| error.to_string());
    (kind, detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ErrorCode;

    fn client(base: &str) -> GraphClient {
        GraphClient::new(
            GraphConfig::new("106540352242922", "102290129340398").with_base_url(base),
            Secret::new("EAAG-token"),
        )
        .unwrap()
    }

    #[test]
    fn endpoints_keep_ids_inside_one_segment() {
        let c = client("http://127.0.0.1:9/prefix/");
        assert_eq!(
            c.endpoint(&["1065", "messages"]).as_str(),
            format!("http://127.0.0.1:9/prefix/{API_VERSION}/1065/messages")
        );
        assert_eq!(
            c.endpoint(&["../../x?y"]).as_str(),
            format!("http://127.0.0.1:9/prefix/{API_VERSION}/..%2F..%2Fx%3Fy")
        );
    }

    #[test]
    fn the_token_goes_only_to_the_api_or_https() {
        let c = client("http://127.0.0.1:9");
        assert!(
            c.follow(
                "t",
                &format!("http://127.0.0.1:9/{API_VERSION}/1/message_templates?after=x"),
                Follow::SameOrigin
            )
            .is_ok()
        );
        for foreign in [
            "http://127.0.0.1:10/x",
            "https://127.0.0.1:9/x",
            "http://evil.example/x",
        ] {
            let e = c.follow("t", foreign, Follow::SameOrigin).unwrap_err();
            assert_eq!(e.code(), ErrorCode::GraphForeignUrl, "{foreign}");
        }
        // Media comes from the configured Graph host only; for Meta's, also
        // from Meta's media host over https.
        assert!(
            c.follow("t", "http://127.0.0.1:9/a?mid=1", Follow::MediaHost)
                .is_ok()
        );
        for foreign in [
            "https://lookaside.fbsbx.com/a?mid=1",
            "https://evil.example/a",
        ] {
            assert!(
                c.follow("t", foreign, Follow::MediaHost).is_err(),
                "{foreign}"
            );
        }
        let meta = client(META_GRAPH_URL);
        assert!(
            meta.follow(
                "t",
                "https://lookaside.fbsbx.com/a?mid=1",
                Follow::MediaHost
            )
            .is_ok()
        );
        for foreign in [
            "http://lookaside.fbsbx.com/a?mid=1",
            "https://lookaside.fbsbx.com:8443/a",
            "https://evil.example/a",
        ] {
            assert!(
                meta.follow("t", foreign, Follow::MediaHost).is_err(),
                "{foreign}"
            );
        }
        assert_eq!(
            c.follow("t", "not a url", Follow::SameOrigin)
                .unwrap_err()
                .code(),
            ErrorCode::GraphDecode
        );
    }

    #[test]
    fn bad_settings_are_refused_up_front() {
        let config = GraphConfig::new("1", "2");
        for base in [
            "graph.facebook.com",
            "ftp://x",
            "https://u:p@x",
            "https://x/?q=1",
        ] {
            let e =
                GraphClient::new(config.clone().with_base_url(base), Secret::new("t")).unwrap_err();
            assert_eq!(e.code(), ErrorCode::GraphBadBaseUrl, "{base}");
        }
        let e = GraphClient::new(config, Secret::new("EAAG\nZZ")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::GraphBadToken);
        assert!(!format!("{e} {e:?}").contains("EAAG"));
    }

    #[test]
    fn debug_hides_the_token_and_scrub_removes_it() {
        let c = client("http://127.0.0.1:9");
        assert!(!format!("{c:?}").contains("EAAG-token"));
        assert_eq!(c.scrub("x=EAAG-token&y"), "x=***&y");
    }
}
