//! The Hourglass desktop shell.
