//! Identifiers shaped like Meta's: wamids, media ids, business-scoped user
//! ids, trace ids. Only their shape is imitated; nothing parses them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::Rng;

/// `wamid.` + base64 of a protobuf-like blob holding the customer's number,
/// as Meta's are (`wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdG…`).
pub fn wamid(rng: &mut impl Rng, wa_id: &str) -> String {
    let mut blob = vec![0x1c, 0x18, wa_id.len() as u8];
    blob.extend_from_slice(wa_id.as_bytes());
    blob.extend_from_slice(&[0x15, 0x02, 0x00, 0x12, 0x18, 0x14]);
    for _ in 0..20 {
        blob.push(b"0123456789ABCDEF"[rng.random_range(0..16)]);
    }
    blob.push(0x00);
    format!("wamid.{}", STANDARD.encode(blob))
}

/// A numeric media id, as in webhooks.
pub fn media_id(rng: &mut impl Rng) -> String {
    rng.random_range(1_000_000_000_000_000u64..9_999_999_999_999_999)
        .to_string()
}

/// `fbtrace_id` of an error answer.
pub fn fbtrace(rng: &mut impl Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..11)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Business-scoped user id (`US.13491208655302741918`): the customer's
/// country and a number derived from the wa_id, so it is stable per customer.
pub fn user_id(country: &str, wa_id: &str) -> String {
    // FNV-1a: stable across runs and platforms, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in wa_id.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{country}.1{hash:019}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn ids_have_metas_shape() {
        let mut rng = StdRng::seed_from_u64(1);
        let a = wamid(&mut rng, "16505551234");
        let b = wamid(&mut rng, "16505551234");
        assert!(a.starts_with("wamid.HBg"), "{a}");
        assert_ne!(a, b);
        assert_eq!(user_id("US", "16505551234"), user_id("US", "16505551234"));
        assert!(user_id("US", "1").starts_with("US.1"));
        assert_eq!(fbtrace(&mut rng).len(), 11);
    }
}
