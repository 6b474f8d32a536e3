//! Canonical JSON for hashing: object keys sorted, no whitespace.
//!
//! Written out by hand rather than relying on `serde_json`'s map order, which
//! changes when any crate in the build turns on `preserve_order`; a dedupe key
//! that changed with a feature flag would let a retry in twice.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// 128 bits of SHA-256 over the canonical form, as 32 lowercase hex digits.
pub(crate) fn digest(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    let hash = Sha256::digest(out.as_bytes());
    hex::encode(&hash[..16])
}

pub(crate) fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(k, out);
                out.push(':');
                if let Some(v) = map.get(k) {
                    write(v, out);
                }
            }
            out.push('}');
        }
    }
}

fn write_str(s: &str, out: &mut String) {
    // serde_json's string escaping is deterministic and cannot fail for &str.
    match serde_json::to_string(s) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => unreachable!("serializing a str to JSON cannot fail"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_change_the_digest() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":[1,"x"],"x":null}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"x":null,"y":[1,"x"]},"b":1}"#).unwrap();
        assert_eq!(digest(&a), digest(&b));
        let mut s = String::new();
        write(&a, &mut s);
        assert_eq!(s, r#"{"a":{"x":null,"y":[1,"x"]},"b":1}"#);
    }

    #[test]
    fn different_values_differ() {
        assert_ne!(digest(&json!({"a": 1})), digest(&json!({"a": "1"})));
        assert_eq!(digest(&json!({"a": 1})).len(), 32);
    }
}
