//! `X-Hub-Signature-256`: HMAC-SHA256 of the raw request bytes, keyed with the
//! app secret, sent as `sha256=<lowercase hex>`.
//!
//! The digest is always computed over the bytes exactly as received: Meta
//! escapes non-ASCII as `\uXXXX`, so re-serialising the JSON would change them.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header Meta signs every webhook POST with.
pub const HEADER: &str = "X-Hub-Signature-256";

/// Why a signature was not accepted. The relay answers `Missing` with 401 and
/// the others with 403.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the X-Hub-Signature-256 header is missing")]
    Missing,
    #[error("the X-Hub-Signature-256 header is not of the form sha256=<64 hex digits>")]
    Malformed,
    #[error("the X-Hub-Signature-256 header does not match the body")]
    Mismatch,
}

/// The header value Meta would send for `body`: `sha256=<hex>`.
pub fn sign(app_secret: &[u8], body: &[u8]) -> String {
    let mut mac = new_mac(app_secret);
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The digest a header value carries: `sha256=` and 64 hex digits, the only
/// shape Meta sends. A relay can refuse anything else before reading the body.
pub fn parse_header(header: &str) -> Result<Vec<u8>, SignatureError> {
    let hex_digest = header
        .trim()
        .strip_prefix("sha256=")
        .ok_or(SignatureError::Malformed)?;
    if hex_digest.len() != 64 {
        return Err(SignatureError::Malformed);
    }
    hex::decode(hex_digest).map_err(|_| SignatureError::Malformed)
}

/// Checks a header value against `body` in constant time.
pub fn verify(app_secret: &[u8], body: &[u8], header: Option<&str>) -> Result<(), SignatureError> {
    let expected = parse_header(header.ok_or(SignatureError::Missing)?)?;
    let mut mac = new_mac(app_secret);
    mac.update(body);
    // `verify_slice` compares in constant time.
    mac.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

fn new_mac(key: &[u8]) -> HmacSha256 {
    // HMAC accepts keys of any length; this cannot fail.
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC-SHA256 takes keys of any length"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_body_verifies() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
        let header = sign(b"secret", body);
        assert!(header.starts_with("sha256="));
        assert_eq!(verify(b"secret", body, Some(&header)), Ok(()));
    }

    #[test]
    fn known_vector() {
        // RFC 4231 test case 2.
        let header = sign(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            header,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn missing_malformed_and_wrong_are_told_apart() {
        let body = b"{}";
        assert_eq!(verify(b"s", body, None), Err(SignatureError::Missing));
        assert_eq!(
            verify(b"s", body, Some("md5=abc")),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(b"s", body, Some("sha256=zz")),
            Err(SignatureError::Malformed)
        );
        let other = sign(b"other secret", body);
        assert_eq!(
            verify(b"s", body, Some(&other)),
            Err(SignatureError::Mismatch)
        );
        let tampered = sign(b"s", b"{ }");
        assert_eq!(
            verify(b"s", body, Some(&tampered)),
            Err(SignatureError::Mismatch)
        );
    }
}
