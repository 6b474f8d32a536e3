//! Message templates: the model `GET /{waba-id}/message_templates` returns,
//! the variables a template needs, the check Meta applies to a template send,
//! and the message the customer would see.
//!
//! One set of rules serves the simulator (which answers a bad send with the
//! Graph error Meta would) and the desktop's template picker (which refuses to
//! send what Meta would refuse, and previews the result):
//!
//! 1. [`Template::variables`] lists every value to fill in, as a [`Slot`]:
//!    header text variables, a media header, body variables (positional
//!    `{{1}}` or named `{{first_name}}`) and button values (a URL button's
//!    `{{1}}` suffix, an OTP code, a coupon code).
//! 2. [`Template::build_payload`] turns filled-in values into the `template`
//!    object of a send, in the template's parameter format.
//! 3. [`validate`] checks a send against the template and returns the Meta
//!    error that applies (see below).
//! 4. [`render`] substitutes values into header, body, footer and buttons;
//!    unfilled variables stay visible as `{{name}}`. [`preview`] is
//!    validate-then-render.
//!
//! Checks, in the order they are made (the first failure is reported):
//! - name and language must match, or 132001 (`template name (x) does not
//!   exist in en_US`); a PAUSED template gives 132015, DISABLED 132016, any
//!   other status but APPROVED (PENDING, REJECTED, …) 132001 because Meta does
//!   not know a sendable translation of it;
//! - for header, body and each button: the number of parameters must equal the
//!   number of variables, or 132000 (`body: number of localizable_params (1)
//!   does not match the expected number of params (2)`); a button index the
//!   template lacks is 131009;
//! - each parameter must be of the kind the slot takes (text for text
//!   variables, the header's media kind, `payload` for quick replies, …), and
//!   named templates need `parameter_name`s that are exactly the template's
//!   names while positional templates must not send any, or 132012;
//! - text values may not be empty (131008) nor hold new lines, tabs or more than
//!   four spaces in a row (132018);
//! - the filled-in header may not exceed 60 characters and the body 1024, or
//!   132005.

mod model;
mod render;
mod validate;
mod variables;

pub use model::*;
pub use render::*;
pub use validate::*;
pub use variables::*;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::graph_error::{ErrorCode, GraphError};
use crate::send::{
    MediaBody, Parameter, ParameterValue, SendComponent, SendComponentKind, TemplatePayload,
};

#[cfg(test)]
mod tests;
