//! Bounded CBOR reading and small helpers for maps with integer keys.

mod reader;

use ciborium::Value;
use ciborium_ll::{Decoder, Header};
#[cfg(feature = "hazmat")]
pub use reader::Number;
pub use reader::{Items, Key, Kind, Reader};

use crate::{Error, Limits, Result};

/// Reads exactly one CBOR item of one of our own formats from `bytes` under the nesting, count
/// and duplicate-key rules, refusing indefinite lengths.
///
/// # Errors
/// [`Error::Cbor`] for malformed input, indefinite lengths or nesting past the limit,
/// [`Error::TrailingBytes`] for bytes after the item, [`Error::TooLarge`] for a collection over
/// the item limit, and [`Error::DuplicateKey`] for a map holding a key twice.
pub fn read(bytes: &[u8], step: &'static str, limits: &Limits) -> Result<Value> {
    read_with(bytes, step, limits, Lengths::Definite)
}

/// As [`read`], for other systems' codes, whose issuers may use indefinite lengths (the DCC
/// vectors of several countries do); every other rule still applies.
///
/// # Errors
/// As [`read`], but for indefinite lengths.
pub fn read_foreign(bytes: &[u8], step: &'static str, limits: &Limits) -> Result<Value> {
    read_with(bytes, step, limits, Lengths::AnyWellFormed)
}

/// Whether indefinite-length strings, arrays and maps are allowed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lengths {
    Definite,
    AnyWellFormed,
}

fn read_with(bytes: &[u8], step: &'static str, limits: &Limits, lengths: Lengths) -> Result<Value> {
    if scan(bytes, step, limits, lengths)? != bytes.len() {
        return Err(Error::TrailingBytes { step });
    }
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

/// A container the scan is inside.
enum Open {
    /// A definite-length container (or the top level) with this many items still to come; a
    /// map's pairs count twice.
    Counted(u64),
    /// An indefinite-length array or map, with the items seen so far.
    UntilBreak { items: usize, map: bool },
    /// An indefinite-length byte or text string: definite chunks of its own type until a break.
    Chunks { text: bool },
}

/// Walks the item headers of `bytes` before anything is built from them, without recursion and
/// without allocating per item: refuses a string longer than the bytes that remain, a collection
/// over [`Limits::max_cbor_items`], nesting past [`Limits::max_cbor_depth`] and, unless allowed,
/// indefinite lengths. Returns the offset where the first item ends.
fn scan(bytes: &[u8], step: &'static str, limits: &Limits, lengths: Lengths) -> Result<usize> {
    let malformed = |detail: String| Error::Cbor { step, detail };
    let too_many = || Error::TooLarge { what: "CBOR collection", limit: limits.max_cbor_items };
    let mut open: Vec<Open> = vec![Open::Counted(1)];
    let mut at = 0usize;
    loop {
        while matches!(open.last(), Some(Open::Counted(0))) {
            open.pop();
        }
        // The item about to be read sits at depth open.len(): the outermost item at depth 1.
        if open.len() > limits.max_cbor_depth {
            return Err(malformed("nested too deeply".into()));
        }
        let Some(top) = open.last_mut() else { return Ok(at) };
        let rest = bytes.get(at..).unwrap_or_default();
        let mut decoder = Decoder::from(rest);
        let header = decoder.pull().map_err(|e| match e {
            ciborium_ll::Error::Io(_) => malformed("unexpected end of input".into()),
            ciborium_ll::Error::Syntax(_) => malformed(format!("syntax error at byte {at}")),
        })?;
        let header_len = decoder.offset();
        let after_header = rest.len().saturating_sub(header_len);
        match (&mut *top, &header) {
            (Open::UntilBreak { items, map }, Header::Break) => {
                if *map && *items % 2 == 1 {
                    return Err(malformed(format!("a map ends after a key at byte {at}")));
                }
                open.pop();
                at = at.saturating_add(header_len);
                continue;
            }
            (Open::Chunks { .. }, Header::Break) => {
                open.pop();
                at = at.saturating_add(header_len);
                continue;
            }
            (Open::Chunks { text }, Header::Text(Some(_)) | Header::Bytes(Some(_)))
                if *text == matches!(header, Header::Text(_)) => {}
            (Open::Chunks { .. }, _) => {
                return Err(malformed(format!("a bad chunk in an indefinite-length string at byte {at}")));
            }
            (Open::Counted(left), _) => *left -= 1,
            (Open::UntilBreak { items, map }, _) => {
                *items += 1;
                let cap = if *map { limits.max_cbor_items.saturating_mul(2) } else { limits.max_cbor_items };
                if *items > cap {
                    return Err(too_many());
                }
            }
        }
        if lengths == Lengths::Definite
            && matches!(header, Header::Bytes(None) | Header::Text(None) | Header::Array(None) | Header::Map(None))
        {
            return Err(malformed(format!("indefinite length at byte {at}")));
        }
        let child = match header {
            Header::Positive(_) | Header::Negative(_) | Header::Float(_) | Header::Simple(_) => None,
            Header::Break => return Err(malformed(format!("unexpected break at byte {at}"))),
            Header::Bytes(None) => Some(Open::Chunks { text: false }),
            Header::Text(None) => Some(Open::Chunks { text: true }),
            Header::Array(None) => Some(Open::UntilBreak { items: 0, map: false }),
            Header::Map(None) => Some(Open::UntilBreak { items: 0, map: true }),
            Header::Bytes(Some(len)) | Header::Text(Some(len)) => {
                if len > after_header {
                    return Err(malformed(format!("a string at byte {at} is longer than the input")));
                }
                at = at.saturating_add(len);
                None
            }
            Header::Tag(_) => Some(Open::Counted(1)),
            Header::Array(Some(n)) | Header::Map(Some(n)) => {
                if n > limits.max_cbor_items {
                    return Err(too_many());
                }
                let n = u64::try_from(n).unwrap_or(u64::MAX);
                Some(Open::Counted(if matches!(header, Header::Map(_)) { n.saturating_mul(2) } else { n }))
            }
        };
        at = at.saturating_add(header_len);
        open.extend(child);
    }
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
pub struct MapBuilder(Vec<(Value, Value)>);

impl MapBuilder {
    /// Adds `key` with `value`.
    pub fn put(mut self, key: i64, value: impl Into<Value>) -> Self {
        self.0.push((Value::Integer(key.into()), value.into()));
        self
    }

    /// Adds `key` with `value` when there is one.
    pub fn opt(self, key: i64, value: Option<impl Into<Value>>) -> Self {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }

    /// Adds `key` with an array of `items`, unless there are none.
    pub fn list<T>(self, key: i64, items: &[T], each: impl Fn(&T) -> Value) -> Self {
        if items.is_empty() { self } else { self.put(key, Value::Array(items.iter().map(each).collect())) }
    }

    /// The map, its keys in the order added.
    pub fn build(self) -> Value {
        Value::Map(self.0)
    }
}

/// Encodes a value as CBOR bytes (writing to a Vec cannot fail for a `Value`).
pub fn write(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = ciborium::ser::into_writer(value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> Error {
        read(bytes, "test", &Limits::DEFAULT).unwrap_err()
    }

    #[test]
    fn indefinite_lengths_are_refused() {
        // [_ 1], {_ 1: 2}, (_ h'01'), (_ "a")
        for bytes in
            [&[0x9f, 0x01, 0xff][..], &[0xbf, 0x01, 0x02, 0xff], &[0x5f, 0x41, 0x01, 0xff], &[0x7f, 0x61, 0x61, 0xff]]
        {
            assert_eq!(err(bytes), Error::Cbor { step: "test", detail: "indefinite length at byte 0".into() });
        }
    }

    #[test]
    fn a_declared_length_beyond_the_input_is_refused_before_allocating() {
        // A byte string claiming 2^63 bytes, and a text string claiming 4 GiB.
        let huge = [0x5b, 0x80, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            err(&huge),
            Error::Cbor { step: "test", detail: "a string at byte 0 is longer than the input".into() }
        );
        let text = [0x7a, 0xff, 0xff, 0xff, 0xff, b'a'];
        assert_eq!(
            err(&text),
            Error::Cbor { step: "test", detail: "a string at byte 0 is longer than the input".into() }
        );
    }

    #[test]
    fn counts_and_depth_are_capped_before_parsing() {
        // An array header claiming 2^32 items, with none present.
        assert_eq!(err(&[0x9a, 0xff, 0xff, 0xff, 0xff]), Error::TooLarge { what: "CBOR collection", limit: 512 });
        // The outermost item is at depth 1: an integer inside 15 arrays is at depth 16, inside 16 at 17.
        let deep = [vec![0x81; 16], vec![0x00]].concat();
        assert_eq!(err(&deep), Error::Cbor { step: "test", detail: "nested too deeply".into() });
        let ok = [vec![0x81; 15], vec![0x00]].concat();
        assert!(read(&ok, "test", &Limits::DEFAULT).is_ok());
        let tags = [vec![0xc1; 16], vec![0x00]].concat();
        assert_eq!(err(&tags), Error::Cbor { step: "test", detail: "nested too deeply".into() });
    }

    #[test]
    fn breaks_reserved_values_truncation_and_trailing_bytes() {
        assert_eq!(err(&[0xff]), Error::Cbor { step: "test", detail: "unexpected break at byte 0".into() });
        assert_eq!(err(&[0x82, 0x01, 0x1c]), Error::Cbor { step: "test", detail: "syntax error at byte 2".into() });
        assert_eq!(err(&[0x82, 0x01]), Error::Cbor { step: "test", detail: "unexpected end of input".into() });
        assert_eq!(err(&[0x01, 0x02]), Error::TrailingBytes { step: "test" });
        assert_eq!(err(&[0xa2, 0x01, 0x00, 0x01, 0x00]), Error::DuplicateKey { step: "test" });
    }

    #[test]
    fn foreign_codes_may_use_indefinite_lengths() {
        let limits = Limits::DEFAULT;
        // [_ 1, {_ 1: (_ h'01', h'02')}] reads as [1, {1: h'0102'}].
        let bytes = [0x9f, 0x01, 0xbf, 0x01, 0x5f, 0x41, 0x01, 0x41, 0x02, 0xff, 0xff, 0xff];
        let value = read_foreign(&bytes, "test", &limits).unwrap();
        let expected = Value::Array(vec![1.into(), Value::Map(vec![(1.into(), Value::Bytes(vec![1, 2]))])]);
        assert_eq!(value, expected);
        assert!(matches!(read(&bytes, "test", &limits), Err(Error::Cbor { .. })));
        // A map that ends after a key, a text chunk in a byte string, a missing break.
        assert!(matches!(read_foreign(&[0xbf, 0x01, 0xff], "test", &limits), Err(Error::Cbor { .. })));
        assert!(matches!(read_foreign(&[0x5f, 0x61, 0x61, 0xff], "test", &limits), Err(Error::Cbor { .. })));
        assert!(matches!(read_foreign(&[0x9f, 0x01], "test", &limits), Err(Error::Cbor { .. })));
        // The item cap holds for indefinite arrays too.
        let long = [vec![0x9f], vec![0x01; 600], vec![0xff]].concat();
        assert!(matches!(read_foreign(&long, "test", &limits), Err(Error::TooLarge { .. })));
    }

    #[test]
    fn duplicates_are_found_by_value_not_by_encoding() {
        // {1: 0, 1: 0} with the second key in a longer encoding.
        assert_eq!(err(&[0xa2, 0x01, 0x00, 0x18, 0x01, 0x00]), Error::DuplicateKey { step: "test" });
    }
}
