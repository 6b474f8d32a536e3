//! Every integration test of `hourglass-core`, in one binary (one link
//! instead of one per file): real SQLite files, the real relay and
//! simulator on loopback, a private PostgreSQL, D-Bus and Secret Service
//! where a test needs them. `support` holds what several modules share.
//!
//! Run one module with a filter: `cargo test -p hourglass-core --test core faults::`.

mod support;

mod calls;
mod coexistence;
mod connection;
mod contacts;
mod faults;
mod graph;
mod health;
mod history;
mod keychain;
mod lead_link;
mod leads;
mod media;
mod migrations;
mod my_chats;
mod notifications;
mod outbox;
mod outbox_media;
mod outreach;
mod pages;
mod presence;
mod relay_going_away;
mod relay_limits;
mod relay_proxy;
mod report_figures;
mod reports;
mod search;
mod service_cost;
mod session;
mod status;
mod sync;
mod sync_apply;
mod team;
mod templates;
mod timeline;
mod typing;
mod usernames;
