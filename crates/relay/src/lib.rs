//! The Hourglass webhook relay.
