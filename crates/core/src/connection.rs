//! Connecting a real number: what the agent types in, and "Test connection".
//!
//! A connection has five parts: the team relay's URL and this agent's token
//! for it, the business phone number's id, the WhatsApp Business Account id,
//! and the Cloud API access token. The three non-secret values are kept in
//! the store ([`ConnectionSettings`], under [`SETTINGS_KEY`]); the two tokens
//! only in the OS keychain ([`crate::secrets`]).
//!
//! [`test`] checks each part on its own and answers one [`Check`] per part,
//! in plain words with what to do:
//! - **relay**: the URL is usable, the relay answers, and it accepts the
//!   agent token (`GET /v1/events?limit=1`, [`RelayClient::probe`], through
//!   the same client and proxy policy as the sync engine);
//! - **phone number**: the access token is valid and may use this phone
//!   number id (`GET /{phone-number-id}`), e.g. 190 is an expired token and
//!   100/33 a wrong id;
//! - **templates**: the token may read this account's templates
//!   (`GET /{waba-id}/message_templates?limit=1`).
//!
//! Decisions:
//! - Every part is checked even when an earlier one failed, so the agent
//!   sees every mistake at once rather than one per attempt.
//! - Ids are checked for shape (digits only) before any network call: a
//!   pasted phone number instead of its id is the most common mistake, and
//!   the answer to it needs no round trip.
//! - The agent token crosses the network in a header, so the relay must be
//!   `https://` unless it is on this computer (loopback).
//! - A token field left empty means "the saved one" ([`FormCredentials`]),
//!   but a saved relay token goes only to the relay address it was saved
//!   for ([`same_relay`]): typing another address asks for its token
//!   (`relay_token_for_new_address`) and nothing is sent to it.

use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::graph::{GraphClient, GraphConfig, GraphError, META_GRAPH_URL, TransportKind};
use crate::problem::{ErrorCode, Params, params};
use crate::relay::{Probe, ProxyPolicy, RelayClient, RelayOptions};
use crate::secrets::Secret;

/// The store setting holding [`ConnectionSettings`].
pub const SETTINGS_KEY: &str = "connection";

/// The non-secret half of a connection, kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectionSettings {
    /// `https://relay.example.com`: where the team relay listens.
    pub relay_url: String,
    /// The business phone number's id (Meta → WhatsApp → API Setup).
    pub phone_number_id: String,
    /// The WhatsApp Business Account id (same page).
    pub waba_id: String,
}

impl ConnectionSettings {
    /// Trims what was pasted (spaces, a trailing slash).
    pub fn normalised(&self) -> ConnectionSettings {
        ConnectionSettings {
            relay_url: self.relay_url.trim().trim_end_matches('/').to_owned(),
            phone_number_id: self.phone_number_id.trim().to_owned(),
            waba_id: self.waba_id.trim().to_owned(),
        }
    }
}

/// The two tokens, in memory only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub relay_token: Secret,
    pub access_token: Secret,
}

/// The tokens as the form gives them: `None` where a field was left empty
/// ("keep the saved one").
#[derive(Debug, Clone, Default)]
pub struct FormCredentials {
    pub relay_token: Option<Secret>,
    pub access_token: Option<Secret>,
}

impl FormCredentials {
    /// Both tokens were typed: nothing saved is needed.
    pub fn complete(&self) -> bool {
        self.relay_token.is_some() && self.access_token.is_some()
    }
}

/// What is saved: the relay address the relay token belongs to, and the
/// tokens from the keychain.
#[derive(Debug, Clone, Default)]
pub struct SavedCredentials {
    pub relay_url: Option<String>,
    pub relay_token: Option<Secret>,
    pub access_token: Option<Secret>,
}

/// Whether two relay addresses name the same relay: scheme, host (in any
/// case), port (explicit or the scheme's) and path, a trailing slash aside.
pub fn same_relay(a: &str, b: &str) -> bool {
    let parse = |s: &str| Url::parse(s.trim().trim_end_matches('/')).ok();
    match (parse(a), parse(b)) {
        (Some(a), Some(b)) => {
            a.scheme() == b.scheme()
                && a.host_str().map(str::to_ascii_lowercase)
                    == b.host_str().map(str::to_ascii_lowercase)
                && a.port_or_known_default() == b.port_or_known_default()
                && a.path().trim_end_matches('/') == b.path().trim_end_matches('/')
                && a.username() == b.username()
                && a.query() == b.query()
        }
        _ => false,
    }
}

/// The tokens to use for `settings`: the typed ones, else the saved ones,
/// except that the saved relay token is not used for another relay
/// address. Then the relay token is empty and the second value is the
/// relay's check to report instead of calling it.
pub fn resolve_credentials(
    settings: &ConnectionSettings,
    form: FormCredentials,
    saved: SavedCredentials,
) -> (Credentials, Option<Check>) {
    let mut refusal = None;
    let relay_token = match form.relay_token {
        Some(typed) => Some(typed),
        None => match (&saved.relay_url, saved.relay_token) {
            (Some(url), Some(token)) if same_relay(url, &settings.relay_url) => Some(token),
            (_, Some(_)) if !settings.relay_url.trim().is_empty() => {
                refusal = Some(failed(
                    CheckPart::Relay,
                    ErrorCode::RelayTokenForNewAddress,
                    "The saved agent token belongs to another relay address. Enter your agent \
                     token for this relay (its administrator creates one with \
                     `hourglass-relay agent add <name>`).",
                ));
                None
            }
            _ => None,
        },
    };
    let credentials = Credentials {
        relay_token: relay_token.unwrap_or_else(|| Secret::new("")),
        access_token: form
            .access_token
            .or(saved.access_token)
            .unwrap_or_else(|| Secret::new("")),
    };
    (credentials, refusal)
}

/// [`test`] of what the form holds: the tokens resolved with
/// [`resolve_credentials`]; answers the report and the credentials tested.
pub async fn test_form(
    settings: &ConnectionSettings,
    form: FormCredentials,
    saved: SavedCredentials,
    targets: &TestTargets,
) -> (ConnectionReport, Credentials) {
    let settings = settings.normalised();
    let (credentials, refusal) = resolve_credentials(&settings, form, saved);
    let report = run_checks(&settings, &credentials, targets, refusal).await;
    (report, credentials)
}

/// Which part of the connection a [`Check`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckPart {
    Relay,
    PhoneNumber,
    Templates,
}

/// The outcome of checking one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Check {
    pub part: CheckPart,
    pub ok: bool,
    /// What was found, when `ok`.
    pub found: Option<CheckFound>,
    /// Stable identifier of the problem (absent when `ok`).
    pub code: Option<ErrorCode>,
    /// The values the window's wording fills in (host, number, status, …).
    #[ts(type = "Record<string, string>")]
    pub params: Params,
    /// What was found, or what is wrong and how to fix it, in English for
    /// the log; the window words `found` or `code` itself.
    pub message: String,
}

/// What a passed check found, for the window to word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CheckFound {
    /// The relay answers and accepts the agent token (`host`).
    RelayAccepted,
    /// The access token may send from the number (`number`, maybe `name`).
    NumberReady,
    /// The account's templates can be read.
    TemplatesReadable,
    /// The templates can be read, but there are none yet.
    TemplatesNone,
}

/// Every part checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ConnectionReport {
    pub checks: Vec<Check>,
    /// The business number in Meta's display form, when the token could read it.
    pub display_phone_number: Option<String>,
    /// The name customers see, once Meta approved it.
    pub verified_name: Option<String>,
}

impl ConnectionReport {
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// Where [`test`] sends its calls; tests point it at the simulator.
#[derive(Debug, Clone)]
pub struct TestTargets {
    pub graph_base_url: String,
    pub timeout: Duration,
    /// How the relay is reached; the app uses [`ProxyPolicy::System`], as
    /// the sync engine and the outbox do.
    pub relay_proxy: ProxyPolicy,
}

impl Default for TestTargets {
    fn default() -> Self {
        TestTargets {
            graph_base_url: META_GRAPH_URL.to_owned(),
            timeout: Duration::from_secs(15),
            relay_proxy: ProxyPolicy::System,
        }
    }
}

/// Checks every part of a connection; see the module docs.
pub async fn test(
    settings: &ConnectionSettings,
    credentials: &Credentials,
    targets: &TestTargets,
) -> ConnectionReport {
    run_checks(&settings.normalised(), credentials, targets, None).await
}

async fn run_checks(
    settings: &ConnectionSettings,
    credentials: &Credentials,
    targets: &TestTargets,
    relay_refusal: Option<Check>,
) -> ConnectionReport {
    let relay = async {
        match relay_refusal {
            Some(check) => check,
            None => {
                check_relay(
                    &settings.relay_url,
                    &credentials.relay_token,
                    targets.timeout,
                    &targets.relay_proxy,
                )
                .await
            }
        }
    };
    let graph = check_graph(settings, &credentials.access_token, targets);
    let (relay, (phone, templates, number)) = tokio::join!(relay, graph);
    let (display_phone_number, verified_name) = number.unzip();
    ConnectionReport {
        checks: vec![relay, phone, templates],
        display_phone_number,
        verified_name: verified_name.flatten(),
    }
}

fn passed(part: CheckPart, found: CheckFound, params: Params, message: impl Into<String>) -> Check {
    Check {
        part,
        ok: true,
        found: Some(found),
        code: None,
        params,
        message: message.into(),
    }
}

fn failed(part: CheckPart, code: ErrorCode, message: impl Into<String>) -> Check {
    failed_with(part, code, Params::new(), message)
}

fn failed_with(
    part: CheckPart,
    code: ErrorCode,
    params: Params,
    message: impl Into<String>,
) -> Check {
    Check {
        part,
        ok: false,
        found: None,
        code: Some(code),
        params,
        message: message.into(),
    }
}

/// The relay URL, if it is one Hourglass may send the agent token to.
pub fn relay_url(raw: &str) -> Result<Url, Check> {
    let part = CheckPart::Relay;
    let raw = raw.trim().trim_end_matches('/');
    if raw.is_empty() {
        return Err(failed(
            part,
            ErrorCode::RelayUrlMissing,
            "Enter the relay's address, such as https://relay.example.com (whoever set up the relay has it).",
        ));
    }
    let url = Url::parse(raw).map_err(|e| {
        failed_with(
            part,
            ErrorCode::RelayUrlInvalid,
            params([("input", raw.to_owned()), ("detail", e.to_string())]),
            format!(
                "\"{raw}\" is not a web address ({e}). It looks like https://relay.example.com."
            ),
        )
    })?;
    let loopback = crate::relay::is_loopback(&url);
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        "http" => Err(failed(
            part,
            ErrorCode::RelayInsecure,
            "The relay's address must start with https:// so the agent token cannot be read on the way. \
             Put the relay behind TLS (docs/deploy.md shows how) and use its https:// address.",
        )),
        other => Err(failed_with(
            part,
            ErrorCode::RelayUrlInvalid,
            params([("input", raw.to_owned()), ("detail", format!("{other}://"))]),
            format!(
                "\"{other}://\" is not a relay address. It looks like https://relay.example.com."
            ),
        )),
    }
}

async fn check_relay(raw: &str, token: &Secret, timeout: Duration, proxy: &ProxyPolicy) -> Check {
    let part = CheckPart::Relay;
    let url = match relay_url(raw) {
        Ok(url) => url,
        Err(check) => return check,
    };
    if token.is_empty() {
        return failed(
            part,
            ErrorCode::RelayTokenMissing,
            "Enter your relay agent token. The relay's administrator creates one per agent with \
             `hourglass-relay agent add <name>`.",
        );
    }
    if HeaderValue::from_str(&format!("Bearer {}", token.expose().trim())).is_err() {
        return failed(
            part,
            ErrorCode::RelayTokenInvalid,
            "The relay agent token contains characters that cannot be sent. Paste it again.",
        );
    }
    let host = url.host_str().unwrap_or("the relay").to_owned();
    let at = |extra: &[(&str, String)]| {
        let mut p = params([("host", host.clone())]);
        p.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        p
    };
    let options = RelayOptions {
        proxy: proxy.clone(),
        connect_timeout: timeout,
        timeout,
    };
    let client = match RelayClient::with_options(
        url.as_str(),
        Secret::new(token.expose().trim()),
        options,
    ) {
        Ok(client) => client,
        Err(e) => {
            return failed_with(
                part,
                ErrorCode::RelayUnreachable,
                at(&[("detail", e.to_string())]),
                format!("No HTTP client: {e}"),
            );
        }
    };
    match client.probe().await {
        Probe::Accepted => passed(
            part,
            CheckFound::RelayAccepted,
            at(&[]),
            format!("The relay at {host} answers and accepts your agent token."),
        ),
        Probe::TokenRejected => failed_with(
            part,
            ErrorCode::RelayTokenRejected,
            at(&[]),
            format!(
                "The relay at {host} refused the agent token. Ask the relay's administrator for a \
                 token (`hourglass-relay agent add <name>`) and paste it whole."
            ),
        ),
        Probe::NotARelay { answer } => not_a_relay(&host, &answer),
        Probe::Status(status) => failed_with(
            part,
            ErrorCode::RelayHttp,
            at(&[("status", status.to_string())]),
            format!(
                "The relay at {host} answered HTTP {status}. Try again; if it keeps happening, \
                 ask the relay's administrator to look at its log."
            ),
        ),
        Probe::Transport { kind, detail } => match kind {
            TransportKind::Tls => failed_with(
                part,
                ErrorCode::RelayTls,
                at(&[("detail", detail.clone())]),
                format!(
                    "The secure connection to the relay at {host} failed ({detail}). Check that the \
                     relay's certificate is valid for {host}, that this computer's date and time are \
                     right, and that no proxy or antivirus intercepts HTTPS."
                ),
            ),
            TransportKind::Timeout => failed_with(
                part,
                ErrorCode::RelayTimeout,
                at(&[]),
                format!(
                    "The relay at {host} did not answer in time. Check that it is running and reachable from here."
                ),
            ),
            TransportKind::Connect | TransportKind::Other => failed_with(
                part,
                ErrorCode::RelayUnreachable,
                at(&[("detail", detail.clone())]),
                format!(
                    "Could not reach the relay at {host} ({detail}). Check the address, that the relay \
                     is running, and that no firewall blocks it."
                ),
            ),
        },
    }
}

fn not_a_relay(host: &str, answer: &str) -> Check {
    failed_with(
        CheckPart::Relay,
        ErrorCode::RelayNotHourglass,
        params([("host", host.to_owned()), ("detail", answer.to_owned())]),
        format!(
            "{host} answered ({answer}), but not like an Hourglass relay. Check the address: \
             it is the relay's own address, without /webhook at the end."
        ),
    )
}

/// Which Graph id a [`bad_id`] check is about.
#[derive(Clone, Copy)]
enum IdKind {
    PhoneNumber,
    Waba,
}

impl IdKind {
    fn part(self) -> CheckPart {
        match self {
            IdKind::PhoneNumber => CheckPart::PhoneNumber,
            IdKind::Waba => CheckPart::Templates,
        }
    }

    fn what(self) -> &'static str {
        match self {
            IdKind::PhoneNumber => "phone number ID",
            IdKind::Waba => "WhatsApp Business Account ID",
        }
    }
}

/// The failed check when `id` cannot be a Graph id.
fn bad_id(id: &str, kind: IdKind) -> Option<Check> {
    let (missing, invalid) = match kind {
        IdKind::PhoneNumber => (
            ErrorCode::PhoneNumberIdMissing,
            ErrorCode::PhoneNumberIdInvalid,
        ),
        IdKind::Waba => (ErrorCode::WabaIdMissing, ErrorCode::WabaIdInvalid),
    };
    let looks_like_number = id.starts_with('+') || id.contains(' ');
    let input = params([
        ("input", id.to_owned()),
        ("looks_like_number", looks_like_number.to_string()),
    ]);
    bad_id_message(id, kind.what(), WHERE_IDS).map(|message| {
        let code = if id.is_empty() { missing } else { invalid };
        failed_with(kind.part(), code, input, message)
    })
}

/// `Some(message)` when `id` cannot be a Graph id, in English for the log.
fn bad_id_message(id: &str, what: &str, hint: &str) -> Option<String> {
    if id.is_empty() {
        return Some(format!("Enter the {what}. {hint}"));
    }
    if !id.chars().all(|c| c.is_ascii_digit()) {
        let looks_like_number = id.starts_with('+') || id.contains(' ');
        let extra = if looks_like_number {
            " It is not the phone number itself but Meta's id for it, a long number without +."
        } else {
            ""
        };
        return Some(format!(
            "\"{id}\" is not a {what}: it has only digits.{extra} {hint}"
        ));
    }
    None
}

const WHERE_IDS: &str =
    "Find it in Meta's App Dashboard → WhatsApp → API Setup, under the phone number.";

type NumberFacts = Option<(String, Option<String>)>;

async fn check_graph(
    settings: &ConnectionSettings,
    token: &Secret,
    targets: &TestTargets,
) -> (Check, Check, NumberFacts) {
    let phone_bad = bad_id(&settings.phone_number_id, IdKind::PhoneNumber);
    let waba_bad = bad_id(&settings.waba_id, IdKind::Waba);
    if token.is_empty() {
        let message = "Enter the access token: a permanent token of a system user in Meta Business \
                       Settings → Users → System users, with whatsapp_business_messaging and \
                       whatsapp_business_management.";
        let phone = phone_bad.unwrap_or_else(|| {
            failed(
                CheckPart::PhoneNumber,
                ErrorCode::AccessTokenMissing,
                message,
            )
        });
        let templates = waba_bad.unwrap_or_else(|| {
            failed(CheckPart::Templates, ErrorCode::AccessTokenMissing, message)
        });
        return (phone, templates, None);
    }
    let config = GraphConfig::new(settings.phone_number_id.clone(), settings.waba_id.clone())
        .with_base_url(targets.graph_base_url.clone());
    let client = match GraphClient::new(config, token.clone()) {
        Ok(client) => client,
        Err(e) => {
            return (
                graph_failed(CheckPart::PhoneNumber, &e),
                graph_failed(CheckPart::Templates, &e),
                None,
            );
        }
    };
    let phone = async {
        if let Some(check) = phone_bad {
            return (check, None);
        }
        match client.check_phone_number().await {
            Ok(info) => {
                let number = info.display_phone_number.clone().unwrap_or(info.id.clone());
                let name = info
                    .verified_name
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                let mut facts = params([("number", number.clone())]);
                if let Some(verified) = &info.verified_name {
                    facts.insert("name".to_owned(), verified.clone());
                }
                (
                    passed(
                        CheckPart::PhoneNumber,
                        CheckFound::NumberReady,
                        facts,
                        format!("The access token is valid and may send from {number}{name}."),
                    ),
                    Some((number, info.verified_name)),
                )
            }
            Err(e) => (graph_failed(CheckPart::PhoneNumber, &e), None),
        }
    };
    let templates = async {
        if let Some(check) = waba_bad {
            return check;
        }
        match client.check_waba().await {
            Ok(check) if check.has_templates => passed(
                CheckPart::Templates,
                CheckFound::TemplatesReadable,
                Params::new(),
                "The account's message templates can be read.",
            ),
            Ok(_) => passed(
                CheckPart::Templates,
                CheckFound::TemplatesNone,
                Params::new(),
                "The account's templates can be read, but it has none yet. Create one in WhatsApp Manager \
                 to write to customers whose 24-hour window has closed.",
            ),
            Err(e) => graph_failed(CheckPart::Templates, &e),
        }
    };
    let ((phone, number), templates) = tokio::join!(phone, templates);
    (phone, templates, number)
}

fn graph_failed(part: CheckPart, error: &GraphError) -> Check {
    failed_with(part, error.code(), error.params(), error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_urls_must_be_secure_unless_local() {
        assert!(relay_url("https://relay.example.com/").is_ok());
        assert!(relay_url("http://127.0.0.1:8080").is_ok());
        assert!(relay_url("http://localhost:8080").is_ok());
        let insecure = relay_url("http://relay.example.com").unwrap_err();
        assert_eq!(insecure.code, Some(ErrorCode::RelayInsecure));
        let garbage = relay_url("relay example").unwrap_err();
        assert_eq!(garbage.code, Some(ErrorCode::RelayUrlInvalid));
        let empty = relay_url("  ").unwrap_err();
        assert_eq!(empty.code, Some(ErrorCode::RelayUrlMissing));
    }

    #[test]
    fn a_phone_number_in_place_of_its_id_is_explained() {
        let check = bad_id("+1 555 078 3881", IdKind::PhoneNumber).unwrap();
        assert_eq!(check.code, Some(ErrorCode::PhoneNumberIdInvalid));
        assert!(
            check.message.contains("not the phone number itself"),
            "{}",
            check.message
        );
        assert_eq!(check.params["input"], "+1 555 078 3881");
        assert_eq!(check.params["looks_like_number"], "true");
        assert_eq!(bad_id("106540352242922", IdKind::PhoneNumber), None);
        let missing = bad_id("", IdKind::Waba).unwrap();
        assert_eq!(missing.code, Some(ErrorCode::WabaIdMissing));
        assert_eq!(missing.part, CheckPart::Templates);
        assert!(missing.message.starts_with("Enter"));
    }

    #[test]
    fn the_same_relay_is_recognised_whatever_its_spelling() {
        assert!(same_relay(
            "https://Relay.Example.com/",
            "https://relay.example.com"
        ));
        assert!(same_relay(
            "https://relay.example.com:443",
            "https://relay.example.com/"
        ));
        assert!(same_relay(
            "http://127.0.0.1:8080",
            " http://127.0.0.1:8080/ "
        ));
        assert!(!same_relay(
            "https://relay.example.com",
            "https://relay.example.org"
        ));
        assert!(!same_relay(
            "https://relay.example.com",
            "http://relay.example.com"
        ));
        assert!(!same_relay(
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8081"
        ));
        assert!(!same_relay(
            "https://relay.example.com/a",
            "https://relay.example.com/b"
        ));
        assert!(!same_relay("", ""));
    }

    #[test]
    fn a_saved_relay_token_is_kept_only_for_its_own_address() {
        let settings = |url: &str| ConnectionSettings {
            relay_url: url.to_owned(),
            phone_number_id: "1".to_owned(),
            waba_id: "2".to_owned(),
        };
        let saved = || SavedCredentials {
            relay_url: Some("https://relay.example.com".to_owned()),
            relay_token: Some(Secret::new("saved-relay")),
            access_token: Some(Secret::new("saved-access")),
        };
        let (same, refusal) = resolve_credentials(
            &settings("https://RELAY.example.com/"),
            FormCredentials::default(),
            saved(),
        );
        assert_eq!(same.relay_token.expose(), "saved-relay");
        assert!(refusal.is_none());
        let (other, refusal) = resolve_credentials(
            &settings("https://evil.example.net"),
            FormCredentials::default(),
            saved(),
        );
        assert_eq!(other.relay_token.expose(), "");
        assert_eq!(other.access_token.expose(), "saved-access");
        assert_eq!(
            refusal.unwrap().code,
            Some(ErrorCode::RelayTokenForNewAddress)
        );
        let (typed, refusal) = resolve_credentials(
            &settings("https://evil.example.net"),
            FormCredentials {
                relay_token: Some(Secret::new("typed")),
                access_token: None,
            },
            saved(),
        );
        assert_eq!(typed.relay_token.expose(), "typed");
        assert!(refusal.is_none());
    }

    #[test]
    fn credentials_never_print_their_tokens() {
        let printed = format!(
            "{:?} {:?} {:?}",
            Credentials {
                relay_token: Secret::new("hgr_relay_91"),
                access_token: Secret::new("EAAG_access_92"),
            },
            FormCredentials {
                relay_token: Some(Secret::new("hgr_relay_93")),
                access_token: Some(Secret::new("EAAG_access_94")),
            },
            SavedCredentials {
                relay_url: Some("https://relay.example.com".to_owned()),
                relay_token: Some(Secret::new("hgr_relay_95")),
                access_token: Some(Secret::new("EAAG_access_96")),
            },
        );
        for n in 91..=96 {
            assert!(!printed.contains(&format!("_{n}")), "{printed}");
        }
        assert!(printed.contains("relay.example.com"));
    }

    #[test]
    fn settings_are_trimmed() {
        let s = ConnectionSettings {
            relay_url: " https://r.example.com/ ".into(),
            phone_number_id: " 123 ".into(),
            waba_id: "456\n".into(),
        }
        .normalised();
        assert_eq!(s.relay_url, "https://r.example.com");
        assert_eq!(s.phone_number_id, "123");
        assert_eq!(s.waba_id, "456");
    }
}
