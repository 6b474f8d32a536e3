//! The customer-service window and the free entry point. The rules are Meta's
//! and live with the rest of the wire format in [`hourglass_whatsapp::window`];
//! the core uses them under this name so its callers read `window::…`.

pub use hourglass_whatsapp::window::*;
