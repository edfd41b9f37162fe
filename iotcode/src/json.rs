//! JSON input checks serde_json does not make by itself.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// Rejects a document in which an object has the same key twice (`{"status": "Failed", "status":
/// "Succeeded"}`): serde_json's `Value` keeps the last one silently, and which one the sender meant cannot be
/// known. Also bounded by serde_json's nesting limit (128), like the parse that follows it.
pub fn reject_duplicate_keys(text: &str) -> Result<(), String> {
    serde_json::from_str::<NoDuplicateKeys>(text)
        .map(drop)
        .map_err(|e| format!("not accepted: {e}"))
}

/// Any JSON value whose objects have distinct keys (nothing is kept).
struct NoDuplicateKeys;

impl<'de> Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Checker)
    }
}

struct Checker;

impl<'de> Visitor<'de> for Checker {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_i64<E>(self, _: i64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_u64<E>(self, _: u64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_f64<E>(self, _: f64) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_str<E>(self, _: &str) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_unit<E>(self) -> Result<NoDuplicateKeys, E> {
        Ok(NoDuplicateKeys)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NoDuplicateKeys, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(NoDuplicateKeys)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NoDuplicateKeys, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                // Named by its first characters: a key can be megabytes long.
                let shown: String = key.chars().take(64).collect();
                return Err(de::Error::custom(format!("duplicate key {shown:?}")));
            }
            map.next_value::<NoDuplicateKeys>()?;
            seen.insert(key);
        }
        Ok(NoDuplicateKeys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_at_any_depth_are_rejected() {
        assert!(reject_duplicate_keys(r#"{"a": 1, "b": [{"c": 2, "d": {"e": null}}]}"#).is_ok());
        let e = reject_duplicate_keys(r#"{"a": 1, "a": 2}"#).unwrap_err();
        assert!(
            e.contains("duplicate key \"a\"") && e.contains("line 1"),
            "{e}"
        );
        assert!(reject_duplicate_keys(r#"[{"x": {"y": 1, "y": 1}}]"#).is_err());
        // Escapes spell the same key.
        assert!(reject_duplicate_keys(r#"{"a": 1, "\u0061": 2}"#).is_err());
        assert!(
            reject_duplicate_keys(&format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)))
                .is_err()
        );
    }
}
