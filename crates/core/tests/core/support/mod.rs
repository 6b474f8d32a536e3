//! Shared by the test modules: a relay and simulator lab on loopback, and
//! private PostgreSQL clusters (the relay's own test support).

pub mod lab;
#[path = "../../../../relay/tests/support/pg.rs"]
pub mod pg;
