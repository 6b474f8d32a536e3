//! The simulator over real loopback HTTP: its Graph API answers, the
//! webhooks it posts to a recording relay stand-in, its scenarios, and the
//! load generator.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod account;
mod coexistence;
mod graph;
mod load;
mod receiver;
mod scenarios;
mod usernames;
mod webhooks;
