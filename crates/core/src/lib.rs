//! The Hourglass desktop domain: everything an agent's app knows and decides,
//! with no knowledge of Tauri or of any window.
//!
//! The shell drives it through [`session`]. A [`session::Session`] is what
//! feeds the inbox: it owns the one writer [`store::Store`] of its folder
//! (shared by the sync engine, the outbox and the commands), the sync
//! engine, the outbox, one [`relay`] client and the [`graph`] client. It
//! starts from a [`session::SessionConfig`] (the demo's relay and simulator
//! on loopback, or the team's relay and Meta) and stops with
//! [`session::Session::stop`]. Everything the window must hear goes out as
//! one typed [`session::AppEvent`] (exported to TypeScript) on the
//! [`session::Profile`]'s bus. The profile outlives sessions: its own store
//! (preferences, copied into a demo's store), the keychain, and the connect
//! workflow (test, then keychain, then save, then start).
//! [`session::Sessions`] is the shell's whole state, `Unconfigured`, `Demo`
//! or `Connected` ([`session::Current`]); team actions through it wait until
//! this desktop applied them (read your own write), and every command
//! answers a [`session::IpcError`] with a generated [`problem::ErrorCode`].
//!
//! The modules:
//!
//! - [`store`]: the local SQLite database (WAL, foreign keys, forward-only
//!   migrations embedded in the binary). It is the single source the UI reads;
//!   the inbox opens from it instantly and reads work offline.
//! - [`inbox`]: the nouns the UI shows — contacts, conversations, messages —
//!   shared with the TypeScript side through generated bindings.
//! - [`phone`]: phone numbers normalised to E.164 with a real phone-number
//!   library, so one customer never becomes two contacts.
//! - [`sync`]: the sync engine — relay catch-up and live stream applied to
//!   the store (events and cursor in one transaction), reconnects with
//!   back-off, and typed updates for the window.
//! - [`window`]: the 24-hour customer-service window and the 72-hour free
//!   entry point, as pure functions of Meta's timestamps and `now`; the rules
//!   themselves are `hourglass_whatsapp::window`, shared with the simulator.
//! - [`graph`]: the WhatsApp Cloud API client (send, mark as read, template
//!   listing, media, connection test) with a configurable base URL, so demo
//!   mode and tests talk to the simulator through the same code.
//! - [`media`]: photos, voice notes, videos and documents fetched from the
//!   Graph API only when the window shows them, checked against Meta's
//!   limits and the webhook's checksum, kept in a size-capped,
//!   content-addressed cache with least-recently-used eviction.
//! - [`outbox`]: every send as a row before it is a request: window
//!   refusal, crash-safe sending, retries, reconciliation from status
//!   webhooks, publishing to the relay; [`attachments`]: what the window's
//!   file commands answer. [`templates`]: the synced template
//!   catalogue and the picker's queries; [`cost`]: per-message estimates.
//! - [`relay`]: the one client of the team relay (catch-up pages, live
//!   stream, publishing, agents, presence, the connection probe) with one
//!   proxy policy: the system proxy for a remote relay, none for a relay on
//!   this computer.
//! - [`health`]: the number's quality rating and messaging-limit tier,
//!   template statuses with Meta's reasons, and the changes the banner
//!   raises.
//! - [`handover`]: who answers a conversation, this app or Meta's business
//!   AI agent, and taking it over from the agent.
//! - [`presence`]: who else is viewing or typing in a chat, and the
//!   warning before answering a customer another agent is answering.
//! - [`search`]: FTS5 search over messages, private notes and contacts,
//!   hits returned as marked text segments, never markup.
//! - [`reports`]: the team lead's figures over a date range (conversations
//!   opened, response times, busiest hours, missed windows, leads, spend).
//! - [`launch`]: what a launch asks for: `--demo` and `hourglass://` links,
//!   parsed strictly, a bad link a typed error.
//! - [`problem`]: every problem's stable [`problem::ErrorCode`] and the
//!   values its wording needs; the window words them in its own language
//!   (the errors' English `Display` is for logs and a last resort).
//! - [`diagnostics`]: the app's daily log files and "Copy diagnostics",
//!   scrubbed of the session's tokens.
//! - [`desktop`]: closing to the tray, the tray's menu and words, the
//!   desktop settings kept in the profile.
//! - [`updates`]: signed updates: what a check found, why one failed, the
//!   verified package waiting to be installed.
//! - [`secrets`]: tokens in the OS keychain; never in SQLite, logs or the UI,
//!   and no plain-text fallback when the keychain is unavailable.
//!
//! Layers, each importing only those below it: the domain nouns ([`inbox`]
//! with the outbox's and the sync's state types, [`phone`], [`lead`],
//! [`problem`], [`error`]); the [`store`] on them; the workflows ([`sync`],
//! [`outbox`], [`notification`], [`health`], [`templates`], …) on the
//! store. A type that moved down keeps its old path as a re-export.
//!
//! Decisions the architecture leaves open, taken here:
//! - Times that come from Meta (message timestamps) are stored as Unix seconds
//!   exactly as Meta sent them; they drive ordering and the 24 h window. Times
//!   this app makes up (row creation) are Unix milliseconds of the local clock
//!   and never drive any rule.
//! - A message whose `wamid` is already stored is ignored, not updated, so any
//!   replay of the relay's log is a no-op.

pub mod attachments;
pub mod connection;
pub mod contacts;
pub mod cost;
pub mod desktop;
pub mod diagnostics;
pub mod error;
pub mod graph;
pub mod handover;
pub mod health;
pub mod inbox;
pub mod invalid;
pub mod launch;
pub mod lead;
pub mod lead_link;
pub mod media;
pub mod notification;
pub mod outbox;
pub mod outreach;
pub mod phone;
pub mod presence;
pub mod problem;
pub mod receipt;
pub mod relay;
pub mod reports;
pub mod search;
pub mod secrets;
pub mod service_cost;
pub mod session;
pub mod status;
pub mod store;
pub mod sync;
pub mod team;
pub mod templates;
pub mod typing;
pub mod updates;
pub mod window;

pub use error::{Error, Result};
