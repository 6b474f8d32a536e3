//! End-to-end tests of the real window.
