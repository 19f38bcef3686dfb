//! Bounded CBOR reading and small helpers for maps with integer keys.

use ciborium::Value;

use crate::{Error, Limits, Result};

/// Reads exactly one CBOR item from `bytes` under the nesting, count and duplicate-key rules.
///
/// # Errors
/// [`Error::Cbor`] for malformed input or nesting past the limit, [`Error::TrailingBytes`] for
/// bytes after the item, [`Error::TooLarge`] for a collection over the item limit, and
/// [`Error::DuplicateKey`] for a map holding a key twice.
pub(crate) fn read(bytes: &[u8], step: &'static str, limits: &Limits) -> Result<Value> {
    let mut rest = bytes;
    // ciborium's own recursion guard (kept above ours) protects the stack; `check` applies the
    // documented rule exactly: the outermost item is at depth 1, each array, map or tag adds one.
    let value: Value =
        ciborium::de::from_reader_with_recursion_limit(&mut rest, limits.max_cbor_depth.saturating_add(2))
            .map_err(|e| Error::Cbor { step, detail: describe(&e) })?;
    if !rest.is_empty() {
        return Err(Error::TrailingBytes { step });
    }
    check(&value, step, limits, 1)?;
    Ok(value)
}

fn describe<T: std::fmt::Debug>(err: &ciborium::de::Error<T>) -> String {
    match err {
        ciborium::de::Error::Io(_) => "unexpected end of input".into(),
        ciborium::de::Error::Syntax(at) => format!("syntax error at byte {at}"),
        ciborium::de::Error::Semantic(at, msg) => match at {
            Some(at) => format!("{msg} at byte {at}"),
            None => msg.clone(),
        },
        ciborium::de::Error::RecursionLimitExceeded => "nested too deeply".into(),
    }
}

fn check(value: &Value, step: &'static str, limits: &Limits, depth: usize) -> Result<()> {
    if depth > limits.max_cbor_depth {
        return Err(Error::Cbor { step, detail: "nested too deeply".into() });
    }
    let too_many = || Error::TooLarge { what: "CBOR collection", limit: limits.max_cbor_items };
    match value {
        Value::Array(items) => {
            if items.len() > limits.max_cbor_items {
                return Err(too_many());
            }
            items.iter().try_for_each(|v| check(v, step, limits, depth + 1))
        }
        Value::Map(entries) => {
            if entries.len() > limits.max_cbor_items {
                return Err(too_many());
            }
            for (i, (key, _)) in entries.iter().enumerate() {
                if entries.iter().skip(i + 1).any(|(other, _)| other == key) {
                    return Err(Error::DuplicateKey { step });
                }
            }
            entries.iter().try_for_each(|(k, v)| {
                check(k, step, limits, depth + 1)?;
                check(v, step, limits, depth + 1)
            })
        }
        Value::Tag(_, inner) => check(inner, step, limits, depth + 1),
        _ => Ok(()),
    }
}

/// Builds a CBOR map with integer keys, in ascending key order (the deterministic order).
#[derive(Default)]
pub(crate) struct MapBuilder(Vec<(Value, Value)>);

impl MapBuilder {
    pub(crate) fn put(mut self, key: i64, value: impl Into<Value>) -> Self {
        self.0.push((Value::Integer(key.into()), value.into()));
        self
    }

    pub(crate) fn opt(self, key: i64, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// Adds `key` with an array of `items`, unless there are none.
    pub(crate) fn list<T>(self, key: i64, items: &[T], each: impl Fn(&T) -> Value) -> Self {
        if items.is_empty() { self } else { self.put(key, Value::Array(items.iter().map(each).collect())) }
    }

    pub(crate) fn build(self) -> Value {
        Value::Map(self.0)
    }
}

/// Reads the fields of a CBOR map with small integer keys, refusing unknown keys at the end.
pub(crate) struct Fields {
    what: &'static str,
    entries: Vec<(i64, Value)>,
}

impl Fields {
    pub(crate) fn new(value: Value, what: &'static str) -> Result<Self> {
        let Value::Map(map) = value else {
            return Err(Error::claims(format!("{what} must be a map")));
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let key = key
                .as_integer()
                .and_then(|k| i64::try_from(k).ok())
                .ok_or_else(|| Error::claims(format!("{what} has a key that is not a small integer")))?;
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(Error::DuplicateKey { step: "claims" });
            }
            entries.push((key, value));
        }
        Ok(Fields { what, entries })
    }

    pub(crate) fn take(&mut self, key: i64) -> Option<Value> {
        let at = self.entries.iter().position(|(k, _)| *k == key)?;
        Some(self.entries.swap_remove(at).1)
    }

    pub(crate) fn need(&mut self, key: i64, name: &str) -> Result<Value> {
        self.take(key).ok_or_else(|| Error::claims(format!("{} lacks {name} (key {key})", self.what)))
    }

    pub(crate) fn finish(self) -> Result<()> {
        match self.entries.first() {
            Some((key, _)) => Err(Error::claims(format!("{} has unknown key {key}", self.what))),
            None => Ok(()),
        }
    }
}

pub(crate) fn to_text(value: Value, what: &str, limits: &Limits) -> Result<String> {
    match value {
        Value::Text(text) if text.len() > limits.max_text_string_len => {
            Err(Error::TooLarge { what: "claim text", limit: limits.max_text_string_len })
        }
        Value::Text(text) => Ok(text),
        _ => Err(Error::claims(format!("{what} must be a text string"))),
    }
}

pub(crate) fn to_uint(value: &Value, what: &str) -> Result<u64> {
    value
        .as_integer()
        .and_then(|i| u64::try_from(i).ok())
        .ok_or_else(|| Error::claims(format!("{what} must be an unsigned integer")))
}

pub(crate) fn to_int(value: &Value, what: &str) -> Result<i64> {
    value
        .as_integer()
        .and_then(|i| i64::try_from(i).ok())
        .ok_or_else(|| Error::claims(format!("{what} must be an integer in the 64-bit signed range")))
}

pub(crate) fn to_array(value: Value, what: &str) -> Result<Vec<Value>> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(Error::claims(format!("{what} must be an array"))),
    }
}

pub(crate) fn to_bytes(value: Value, what: &str) -> Result<Vec<u8>> {
    match value {
        Value::Bytes(bytes) => Ok(bytes),
        _ => Err(Error::claims(format!("{what} must be a byte string"))),
    }
}

/// Encodes a value as CBOR bytes (writing to a Vec cannot fail for a `Value`).
pub(crate) fn write(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = ciborium::ser::into_writer(value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> Vec<u8> {
        // depth - 1 arrays of one item around an integer: the integer is at `depth`.
        let mut bytes = vec![0x81; depth - 1];
        bytes.push(0x00);
        bytes
    }

    #[test]
    fn depth_counts_from_one_at_the_outermost_item() {
        let limits = Limits::DEFAULT;
        assert!(read(&nested(16), "test", &limits).is_ok());
        assert!(matches!(read(&nested(17), "test", &limits), Err(Error::Cbor { .. })));
        assert!(matches!(read(&nested(5000), "test", &limits), Err(Error::Cbor { .. })));
    }

    #[test]
    fn collections_are_capped_and_duplicates_found_by_value() {
        let limits = Limits { max_cbor_items: 3, ..Limits::DEFAULT };
        assert!(read(&[0x83, 1, 2, 3], "test", &limits).is_ok());
        assert!(matches!(read(&[0x84, 1, 2, 3, 4], "test", &limits), Err(Error::TooLarge { .. })));
        // {1: 0, 1: 0} with the second key in a longer encoding is still a duplicate.
        assert_eq!(
            read(&[0xa2, 0x01, 0x00, 0x18, 0x01, 0x00], "test", &limits),
            Err(Error::DuplicateKey { step: "test" })
        );
    }

    #[test]
    fn indefinite_lengths_are_read_as_their_definite_meaning() {
        // [_ 1, 2] (indefinite array) is the array [1, 2].
        assert_eq!(
            read(&[0x9f, 0x01, 0x02, 0xff], "test", &Limits::DEFAULT).unwrap(),
            Value::Array(vec![1.into(), 2.into()])
        );
    }
}
