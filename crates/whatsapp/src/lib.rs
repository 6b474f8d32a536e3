//! The WhatsApp Cloud API wire format, as Hourglass needs it.
//!
//! This crate turns Meta's bytes into types and types into Meta's bytes; it
//! never does I/O, never reads the clock and never panics on input from the
//! network. The relay, the desktop core and the simulator all speak through it,
//! so there is one definition of every payload.
//!
//! - [`signature`]: `X-Hub-Signature-256` over the raw request body.
//! - [`send`]: bodies of `POST /{phone-number-id}/messages` and its reply.
//! - [`template`]: the template model, its variables, Meta's send validation and the preview.
//! - [`graph_error`]: Meta's error envelope and what each code means for an inbox.
//! - [`thread_control`]: the body of `POST /{phone-number-id}/thread_control`,
//!   which hands a conversation between this app and Meta's AI agent.
//! - [`media`]: media kinds, the formats each takes and Meta's size limits.
//! - [`webhook`]: webhook envelopes split into single updates, then typed.
//! - [`window`]: Meta's 24-hour customer-service window and 72-hour free entry
//!   point, as functions of its timestamps and `now`.

/// The Graph API version Hourglass is written against: the one place it is
/// named. The desktop calls `https://graph.facebook.com/{this}/…`; docs and
/// tests take it from here.
pub const GRAPH_API_VERSION: &str = "v25.0";

pub mod block;
pub mod graph_error;
pub mod media;
pub mod send;
pub mod signature;
pub mod template;
pub mod thread_control;
pub mod webhook;
pub mod window;
