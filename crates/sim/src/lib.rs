//! A simulator of Meta's WhatsApp Cloud API.
