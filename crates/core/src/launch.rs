//! What a launch of Hourglass asks for: its command-line arguments and the
//! `hourglass://` links the operating system hands it.
//!
//! Links come from outside the app (a web page, a chat, a CRM's "WhatsApp
//! this customer" button), so they are parsed strictly and a bad one is a
//! typed [`DeepLinkError`] the window words in its own language, never a
//! crash and never a guess.
//!
//! # Links
//!
//! - `hourglass://open?phone=+34612345678` opens the conversation with that
//!   customer on the business number in use, starting it when there is none.
//!   The number may be written with spaces, dashes or dots, percent-encoded
//!   (`%2B34…`), or without its `+`; a `+` is never read as a space.
//! - `hourglass://demo` starts the demo.
//!
//! The scheme and the action are case-insensitive; a trailing `/` after the
//! action is accepted (`hourglass://open/?phone=…`). Parameters other than
//! `phone` are ignored, so later versions may add some.
//!
//! # Arguments
//!
//! [`LaunchArgs::parse`] reads `--demo` and every argument that is an
//! `hourglass:` link (the form desktop files and registry entries pass with
//! `%u`), and ignores the rest. The first instance reads its own arguments
//! this way; a second launch's arguments reach the first instance and are
//! read the same way.

use crate::phone::E164;
use crate::problem::ErrorCode;

/// The URL scheme Hourglass registers.
pub const SCHEME: &str = "hourglass";

/// The command-line flag that starts the demo.
pub const DEMO_FLAG: &str = "--demo";

/// The longest link read at all; anything longer is refused unread.
const MAX_LINK_LEN: usize = 2048;

/// What a link asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeepLink {
    /// Open (or start) the conversation with this customer.
    Open {
        /// In E.164, e.g. `+34612345678`.
        phone: String,
    },
    /// Start the demo.
    Demo,
}

/// Why a link was refused. The window words each from its [`code`](Self::code).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeepLinkError {
    #[error("the link does not start with {SCHEME}://")]
    NotHourglass,
    #[error("the link is too long or not a URL")]
    Malformed,
    #[error("Hourglass does not know the link action \"{0}\"")]
    UnknownAction(String),
    #[error("the link names no phone number")]
    PhoneMissing,
    #[error("\"{0}\" is not a phone number")]
    PhoneInvalid(String),
}

impl DeepLinkError {
    /// Stable, for the window to word.
    pub fn code(&self) -> ErrorCode {
        match self {
            DeepLinkError::NotHourglass => ErrorCode::LinkNotHourglass,
            DeepLinkError::Malformed => ErrorCode::LinkMalformed,
            DeepLinkError::UnknownAction(_) => ErrorCode::LinkUnknownAction,
            DeepLinkError::PhoneMissing => ErrorCode::LinkPhoneMissing,
            DeepLinkError::PhoneInvalid(_) => ErrorCode::LinkPhoneInvalid,
        }
    }
}

impl DeepLink {
    /// Parses an `hourglass://` link.
    pub fn parse(url: &str) -> Result<DeepLink, DeepLinkError> {
        let url = url.trim();
        if url.len() > MAX_LINK_LEN || url.chars().any(char::is_control) {
            return Err(DeepLinkError::Malformed);
        }
        let (scheme, rest) = url.split_once(':').ok_or(DeepLinkError::NotHourglass)?;
        if !scheme.eq_ignore_ascii_case(SCHEME) {
            return Err(DeepLinkError::NotHourglass);
        }
        let rest = rest.strip_prefix("//").ok_or(DeepLinkError::Malformed)?;
        // A fragment never carries anything for us.
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (action, query) = match rest.split_once('?') {
            Some((action, query)) => (action, query),
            None => (rest, ""),
        };
        let action = action.strip_suffix('/').unwrap_or(action);
        match action.to_ascii_lowercase().as_str() {
            "demo" => Ok(DeepLink::Demo),
            "open" => {
                let phone = query_value(query, "phone")?.ok_or(DeepLinkError::PhoneMissing)?;
                Ok(DeepLink::Open {
                    phone: parse_phone(&phone)?.to_string(),
                })
            }
            "" => Err(DeepLinkError::Malformed),
            other => Err(DeepLinkError::UnknownAction(
                other.chars().take(40).collect(),
            )),
        }
    }
}

/// The one value of `name` in a query string, percent-decoded; a `+` stays
/// a `+` (phone numbers start with one). Two values are refused: which one
/// was meant cannot be known.
fn query_value(query: &str, name: &str) -> Result<Option<String>, DeepLinkError> {
    let mut found = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key != name {
            continue;
        }
        if found.is_some() {
            return Err(DeepLinkError::Malformed);
        }
        let decoded = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .map_err(|_| DeepLinkError::Malformed)?;
        found = Some(decoded.into_owned());
    }
    Ok(found)
}

/// A customer's number: digits with the punctuation people write, 8 to 15
/// digits in all (E.164's longest), a known country code.
fn parse_phone(raw: &str) -> Result<E164, DeepLinkError> {
    let written = raw.trim();
    let invalid = || DeepLinkError::PhoneInvalid(written.chars().take(40).collect());
    if written.is_empty() {
        return Err(DeepLinkError::PhoneMissing);
    }
    let plus_only_first = written.char_indices().all(|(i, c)| c != '+' || i == 0);
    let allowed = written
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '.' | '(' | ')'));
    let digits = written.chars().filter(char::is_ascii_digit).count();
    if !plus_only_first || !allowed || !(8..=15).contains(&digits) {
        return Err(invalid());
    }
    E164::parse(written).map_err(|_| invalid())
}

/// The environment variable that names the profile directory (else the
/// platform's app-data directory is used).
pub const DATA_DIR_ENV: &str = "HOURGLASS_DATA_DIR";
/// Set to `1` (or `true`) to start in demo mode, as `--demo` does.
pub const DEMO_ENV: &str = "HOURGLASS_DEMO";

/// The profile directory [`DATA_DIR_ENV`] names, if any.
pub fn explicit_data_dir() -> Option<std::path::PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(std::path::PathBuf::from)
}

/// Where demo mode keeps its store: `demo/` in a profile named with
/// [`DATA_DIR_ENV`], else a temporary folder (`None`).
pub fn demo_folder() -> Option<std::path::PathBuf> {
    explicit_data_dir().map(|dir| dir.join("demo"))
}

/// What one launch of the app asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchArgs {
    /// `--demo` was given.
    pub demo: bool,
    /// Every `hourglass:` argument, parsed, in order.
    pub links: Vec<Result<DeepLink, DeepLinkError>>,
}

impl LaunchArgs {
    /// Reads the arguments after the program's own name (`args` must not
    /// include it).
    pub fn parse<I, S>(args: I) -> LaunchArgs
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut out = LaunchArgs::default();
        for arg in args {
            let arg = arg.as_ref();
            if arg == DEMO_FLAG {
                out.demo = true;
            } else if is_link(arg) {
                out.links.push(DeepLink::parse(arg));
            }
        }
        out
    }

    /// Whether this first launch starts in demo mode: `--demo`, or
    /// [`DEMO_ENV`] (its value `env`) set to `1` or `true`.
    pub fn wants_demo(&self, env: Option<&str>) -> bool {
        self.demo || env.is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
    }

    /// Whether the launch asked for anything (a plain second launch only
    /// brings the window forward).
    pub fn is_empty(&self) -> bool {
        !self.demo && self.links.is_empty()
    }
}

/// Whether an argument is meant as an Hourglass link.
pub fn is_link(arg: &str) -> bool {
    arg.len() > SCHEME.len()
        && arg.as_bytes()[SCHEME.len()] == b':'
        && arg[..SCHEME.len()].eq_ignore_ascii_case(SCHEME)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::ErrorCode;

    fn open(phone: &str) -> Result<DeepLink, DeepLinkError> {
        Ok(DeepLink::Open {
            phone: phone.to_owned(),
        })
    }

    #[test]
    fn open_links_in_the_forms_people_write_them() {
        for link in [
            "hourglass://open?phone=+34612345678",
            "hourglass://open?phone=%2B34612345678",
            "hourglass://open?phone=34612345678",
            "hourglass://open?phone=+34%20612%2034%2056%2078",
            "hourglass://open?phone=+34-612-345-678",
            "HOURGLASS://Open?phone=+34612345678",
            "hourglass://open/?phone=+34612345678",
            "hourglass://open?source=crm&phone=+34612345678&x",
            "hourglass://open?phone=+34612345678#top",
            "  hourglass://open?phone=+34612345678\n",
        ] {
            assert_eq!(DeepLink::parse(link), open("+34612345678"), "{link}");
        }
        assert_eq!(
            DeepLink::parse("hourglass://open?phone=+1%20(650)%20555-1234"),
            open("+16505551234")
        );
    }

    #[test]
    fn the_demo_link() {
        for link in [
            "hourglass://demo",
            "hourglass://demo/",
            "Hourglass://DEMO?x=1",
        ] {
            assert_eq!(DeepLink::parse(link), Ok(DeepLink::Demo), "{link}");
        }
    }

    #[test]
    fn bad_links_are_refused_with_a_code() {
        let cases: &[(&str, ErrorCode)] = &[
            (
                "https://open?phone=+34612345678",
                ErrorCode::LinkNotHourglass,
            ),
            ("hourglassx://demo", ErrorCode::LinkNotHourglass),
            ("no colon at all", ErrorCode::LinkNotHourglass),
            ("", ErrorCode::LinkNotHourglass),
            (
                "hourglass:open?phone=+34612345678",
                ErrorCode::LinkMalformed,
            ),
            ("hourglass://", ErrorCode::LinkMalformed),
            ("hourglass://?phone=+34612345678", ErrorCode::LinkMalformed),
            (
                "hourglass://open?phone=+34612345678&phone=+34699999999",
                ErrorCode::LinkMalformed,
            ),
            ("hourglass://open?phone=%ff%fe", ErrorCode::LinkMalformed),
            (
                "hourglass://open?phone=+34\u{0}612345678",
                ErrorCode::LinkMalformed,
            ),
            (
                "hourglass://delete-everything",
                ErrorCode::LinkUnknownAction,
            ),
            ("hourglass://open", ErrorCode::LinkPhoneMissing),
            ("hourglass://open?phone=", ErrorCode::LinkPhoneMissing),
            ("hourglass://open?name=Ana", ErrorCode::LinkPhoneMissing),
            ("hourglass://open?phone=abc", ErrorCode::LinkPhoneInvalid),
            (
                "hourglass://open?phone=+34 612 ABC 678",
                ErrorCode::LinkPhoneInvalid,
            ),
            ("hourglass://open?phone=12345", ErrorCode::LinkPhoneInvalid),
            (
                "hourglass://open?phone=+1234567890123456",
                ErrorCode::LinkPhoneInvalid,
            ),
            (
                "hourglass://open?phone=34+612345678",
                ErrorCode::LinkPhoneInvalid,
            ),
            (
                "hourglass://open?phone=<script>",
                ErrorCode::LinkPhoneInvalid,
            ),
        ];
        for (link, code) in cases {
            let err = DeepLink::parse(link).expect_err(link);
            assert_eq!(err.code(), *code, "{link}: {err}");
        }
        let long = format!(
            "hourglass://open?phone=+34612345678&pad={}",
            "x".repeat(3000)
        );
        assert_eq!(DeepLink::parse(&long), Err(DeepLinkError::Malformed));
    }

    #[test]
    fn what_an_error_quotes_is_bounded() {
        let err = DeepLink::parse(&format!("hourglass://{}", "a".repeat(500))).unwrap_err();
        assert!(err.to_string().len() < 120, "{err}");
    }

    #[test]
    fn demo_mode_by_flag_or_environment() {
        let plain = LaunchArgs::parse(["hourglass://open?phone=+34612345678"]);
        assert!(!plain.wants_demo(None));
        assert!(!plain.wants_demo(Some("0")));
        assert!(!plain.wants_demo(Some("")));
        assert!(plain.wants_demo(Some("1")));
        assert!(plain.wants_demo(Some("TRUE")));
        assert!(LaunchArgs::parse(["--demo"]).wants_demo(None));
    }

    #[test]
    fn arguments() {
        let args = LaunchArgs::parse([
            "--demo",
            "hourglass://open?phone=+34612345678",
            "--something-else",
            "/tmp/file",
            "hourglass://nope",
        ]);
        assert!(args.demo);
        assert_eq!(args.links.len(), 2);
        assert_eq!(args.links[0], open("+34612345678"));
        assert_eq!(
            args.links[1].as_ref().unwrap_err().code(),
            ErrorCode::LinkUnknownAction
        );
        assert!(LaunchArgs::parse(Vec::<String>::new()).is_empty());
        assert!(LaunchArgs::parse(["--verbose"]).is_empty());
        assert!(!LaunchArgs::parse(["HOURGLASS://demo"]).is_empty());
        assert!(!is_link("hourglass"));
        assert!(!is_link("hourglass-demo"));
    }
}

/// What the window should show or do after a launch or a link.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LaunchNotice {
    /// Open this conversation.
    pub open: Option<crate::inbox::ConversationId>,
    /// A link could not be followed: `code` is worded by the window,
    /// `detail` is what the link said (a number, an action), possibly empty.
    pub problem: Option<LaunchProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LaunchProblem {
    pub code: ErrorCode,
    pub detail: String,
}

/// What links decided, kept between a link and the window taking its
/// notice: one pending [`LaunchNotice`] (the shell pings the window; the
/// window takes it when pinged and once after it loaded, so a link handled
/// before the window listened is not lost and none is shown twice), and a
/// number asked for before any session ran.
#[derive(Debug, Default)]
pub struct Launcher {
    notice: std::sync::Mutex<Option<LaunchNotice>>,
    waiting: std::sync::Mutex<Option<String>>,
}

impl Launcher {
    fn notify(&self, open: Option<crate::inbox::ConversationId>, problem: Option<LaunchProblem>) {
        *self.notice.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(LaunchNotice { open, problem });
    }

    /// A problem the window words (`code`) with what the link said.
    pub fn problem(&self, code: ErrorCode, detail: impl Into<String>) {
        let detail = detail.into();
        self.notify(None, Some(LaunchProblem { code, detail }));
    }

    /// A link that could not be read.
    pub fn refuse(&self, err: &DeepLinkError) {
        tracing::warn!(code = %err.code(), "refused a link: {err}");
        let detail = match err {
            DeepLinkError::UnknownAction(a) => a.clone(),
            DeepLinkError::PhoneInvalid(p) => p.clone(),
            _ => String::new(),
        };
        self.problem(err.code(), detail);
    }

    /// `open?phone=`: opens the conversation with `phone` on the session's
    /// business `number` through `open` (which finds or starts it). Before
    /// any session runs (`number` is `None`), the number waits for one.
    /// True when a conversation was opened (the list may not have it yet).
    pub fn open_phone(
        &self,
        number: Option<String>,
        phone: String,
        open: impl FnOnce(&str, &str) -> Result<crate::inbox::ConversationId, (ErrorCode, String)>,
    ) -> bool {
        let Some(number) = number else {
            *self.waiting.lock().unwrap_or_else(|p| p.into_inner()) = Some(phone.clone());
            self.problem(ErrorCode::LinkNeedsNumber, phone);
            return false;
        };
        match open(&phone, &number) {
            Ok(id) => {
                self.notify(Some(id), None);
                true
            }
            Err((code, message)) => {
                tracing::warn!("cannot open the conversation with {phone}: {message}");
                self.problem(code, message);
                false
            }
        }
    }

    /// A session started: the number a link asked for before, if any.
    pub fn session_started(&self) -> Option<String> {
        self.waiting
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }

    /// The notice waiting for the window, if any; taking it clears it.
    pub fn take_notice(&self) -> Option<LaunchNotice> {
        self.notice.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// The conversation with `phone` on the business number `phone_number_id`,
/// started (with its contact) when there is none.
pub fn conversation_with(
    store: &mut crate::store::Store,
    phone: &str,
    phone_number_id: &str,
) -> crate::Result<crate::inbox::ConversationId> {
    store.write(|w| {
        let contact = w.upsert_contact(&crate::store::NewContact {
            phone: Some(phone.to_owned()),
            user_id: None,
            name: None,
            username: None,
        })?;
        w.conversation_for(contact, phone_number_id)
    })
}

/// The single-instance name of a profile (the D-Bus name on Linux): the
/// app's `identifier` for the default profile; a profile named with
/// `HOURGLASS_DATA_DIR` (`explicit`) adds a digest of its path, so
/// side-by-side profiles (and tests) each have their own instance.
pub fn instance_id(identifier: &str, explicit: Option<std::path::PathBuf>) -> String {
    use sha2::Digest as _;
    match explicit {
        None => identifier.to_owned(),
        Some(dir) => {
            let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
            let digest = sha2::Sha256::digest(dir.as_os_str().as_encoded_bytes());
            // A bus name element must not start with a digit.
            format!("{identifier}.p{}", &hex::encode(digest)[..16])
        }
    }
}

#[cfg(test)]
mod launcher_tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_number_before_any_session_waits_for_one() {
        let launcher = Launcher::default();
        assert_eq!(launcher.take_notice(), None);
        let opened = launcher.open_phone(None, "+34600111222".into(), |_, _| panic!("no store"));
        assert!(!opened);
        let notice = launcher.take_notice().unwrap();
        assert_eq!(
            notice.problem,
            Some(LaunchProblem {
                code: ErrorCode::LinkNeedsNumber,
                detail: "+34600111222".into()
            })
        );
        assert_eq!(launcher.take_notice(), None, "taken once");
        assert_eq!(launcher.session_started().as_deref(), Some("+34600111222"));
        assert_eq!(launcher.session_started(), None);
    }

    #[test]
    fn a_number_opens_its_conversation_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_in_dir(dir.path()).unwrap();
        let launcher = Launcher::default();
        let mut open = |phone: &str, number: &str| {
            conversation_with(&mut store, phone, number).map_err(|e| (e.code(), e.to_string()))
        };
        assert!(launcher.open_phone(Some("PN1".into()), "+34600111222".into(), &mut open));
        let first = launcher.take_notice().unwrap().open.unwrap();
        assert!(launcher.open_phone(Some("PN1".into()), "+34600111222".into(), &mut open));
        assert_eq!(launcher.take_notice().unwrap().open, Some(first));
        let failed = launcher.open_phone(Some("PN1".into()), "x".into(), |_, _| {
            Err((ErrorCode::Database, "disk full".into()))
        });
        assert!(!failed);
        let problem = launcher.take_notice().unwrap().problem.unwrap();
        assert_eq!(
            (problem.code, problem.detail.as_str()),
            (ErrorCode::Database, "disk full")
        );
    }

    #[test]
    fn a_bad_link_says_what_it_said() {
        let launcher = Launcher::default();
        launcher.refuse(&DeepLink::parse("hourglass://dance").unwrap_err());
        let problem = launcher.take_notice().unwrap().problem.unwrap();
        assert_eq!(
            (problem.code, problem.detail.as_str()),
            (ErrorCode::LinkUnknownAction, "dance")
        );
        launcher.refuse(&DeepLinkError::Malformed);
        assert_eq!(launcher.take_notice().unwrap().problem.unwrap().detail, "");
    }

    #[test]
    fn each_profile_has_its_own_instance() {
        assert_eq!(instance_id("app.x", None), "app.x");
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let id_a = instance_id("app.x", Some(a.path().to_owned()));
        assert!(
            id_a.starts_with("app.x.p") && id_a.len() == "app.x.p".len() + 16,
            "{id_a}"
        );
        assert_eq!(id_a, instance_id("app.x", Some(a.path().to_owned())));
        assert_ne!(id_a, instance_id("app.x", Some(b.path().to_owned())));
    }
}
