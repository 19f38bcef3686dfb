//! A strict, zero-copy CBOR reader for the fixed shapes of native codes and, with
//! [`Reader::allowing_indefinite`], of other systems' codes.
//!
//! It reads one item header at a time straight from the input and hands out borrowed slices, so
//! a code is checked without building a tree of values: definite lengths only (unless allowed),
//! strings within the input, collections under [`Limits::max_cbor_items`], nesting under
//! [`Limits::max_cbor_depth`], map keys that are integers or text and never repeat, and no bytes
//! after the end. Hand-written rather than serde over ciborium because the reader must keep the
//! protected header's bytes as received, count depth and items as FORMAT.md §4 says, and refuse
//! duplicate keys, none of which a serde deserializer exposes; ciborium-ll still supplies the
//! float headers.

use std::borrow::Cow;
use std::ops::Range;

use ciborium_ll::{Decoder, Header};

use crate::{Error, Limits, Result};

/// What a reader is reading: a wrong type is a CBOR error in a COSE structure, a claims error
/// in the payload (FORMAT.md §5).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A COSE or list structure: a wrong type is a `cbor` error.
    Structure,
    /// A claims payload: a wrong type is a `claims` error.
    Claims,
}

/// A map key: COSE labels and claim keys are integers or text strings.
#[derive(PartialEq, Eq)]
pub enum Key<'b> {
    /// An integer key.
    Int(i128),
    /// A text key.
    Text(&'b str),
}

/// A strict, bounded reader of one CBOR item at a time over borrowed bytes (definite lengths, canonical headers).
pub struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    /// Where the last header read began, for messages.
    header_at: usize,
    step: &'static str,
    kind: Kind,
    limits: &'b Limits,
    /// Whether indefinite-length strings, arrays and maps are read (other systems' codes).
    indefinite: bool,
}

/// The items of an array or map being read: a count, or until a break (indefinite length).
#[derive(Debug, Clone, Copy)]
pub struct Items {
    /// Items (pairs, for a map) still to come, or `None` until a break.
    left: Option<usize>,
    /// Items read so far from an indefinite-length collection.
    read: usize,
}

impl Items {
    /// The declared count of a definite-length collection.
    pub fn declared(&self) -> Option<usize> {
        self.left
    }
}

/// A number item: an integer, or a float (half, single or double precision).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer of major type 0 or 1.
    Int(i128),
    /// A float.
    Float(f64),
}

impl<'b> Reader<'b> {
    /// A reader of `bytes` for the pipeline step `step`, under `limits`.
    pub fn new(bytes: &'b [u8], step: &'static str, kind: Kind, limits: &'b Limits) -> Self {
        Reader { bytes, at: 0, header_at: 0, step, kind, limits, indefinite: false }
    }

    /// The same reader, reading indefinite-length strings, arrays and maps too (the codes of
    /// other systems, whose issuers may use them); every other rule still holds.
    pub fn allowing_indefinite(mut self) -> Self {
        self.indefinite = true;
        self
    }

    /// The limits this reader enforces.
    pub fn limits(&self) -> &Limits {
        self.limits
    }

    /// A `cbor` error of this step with `detail`.
    pub fn malformed(&self, detail: impl Into<String>) -> Error {
        Error::Cbor { step: self.step, detail: detail.into() }
    }

    /// A value of the wrong type (or out of range) where `what` was expected.
    pub fn wrong(&self, what: &str, expected: &str) -> Error {
        match self.kind {
            Kind::Structure => self.malformed(format!("{what} must be {expected}")),
            Kind::Claims => Error::claims(format!("{what} must be {expected}")),
        }
    }

    fn header(&mut self, depth: usize) -> Result<Header> {
        if depth > self.limits.max_cbor_depth {
            return Err(self.malformed("nested too deeply"));
        }
        let at = self.at;
        self.header_at = at;
        let (header, size) = decode_header(self.bytes.get(at..).unwrap_or_default()).map_err(|e| match e {
            HeaderError::End => self.malformed("unexpected end of input"),
            HeaderError::Syntax => self.malformed(format!("syntax error at byte {at}")),
        })?;
        self.at = self.at.saturating_add(size);
        match header {
            Header::Bytes(None) | Header::Text(None) | Header::Array(None) | Header::Map(None) if !self.indefinite => {
                Err(self.malformed(format!("indefinite length at byte {at}")))
            }
            Header::Break => Err(self.malformed(format!("unexpected break at byte {at}"))),
            Header::Array(Some(n)) | Header::Map(Some(n)) if n > self.limits.max_cbor_items => {
                Err(Error::TooLarge { what: "CBOR collection", limit: self.limits.max_cbor_items })
            }
            header => Ok(header),
        }
    }

    /// The next `len` bytes of the input, for a string whose header has just been read.
    fn take(&mut self, len: usize) -> Result<Range<usize>> {
        let end = self.at.checked_add(len).filter(|end| *end <= self.bytes.len());
        let header_at = self.header_at;
        let end =
            end.ok_or_else(|| self.malformed(format!("a string at byte {header_at} is longer than the input")))?;
        let range = self.at..end;
        self.at = end;
        Ok(range)
    }

    /// The items of an array at `depth`, definite or (when allowed) indefinite; read them with
    /// [`Reader::more`].
    pub fn array_items(&mut self, depth: usize, what: &str) -> Result<Items> {
        match self.header(depth)? {
            Header::Array(left) => Ok(Items { left, read: 0 }),
            _ => Err(self.wrong(what, "an array")),
        }
    }

    /// The pairs of a map at `depth`, definite or (when allowed) indefinite; read them with
    /// [`Reader::more`].
    pub fn map_items(&mut self, depth: usize, what: &str) -> Result<Items> {
        match self.header(depth)? {
            Header::Map(left) => Ok(Items { left, read: 0 }),
            _ => Err(self.wrong(what, "a map")),
        }
    }

    /// Whether another item (or pair) of `items` follows; reads the break that ends an
    /// indefinite-length collection.
    ///
    /// # Errors
    /// [`Error::Cbor`] at the end of the input, [`Error::TooLarge`] past the item limit.
    pub fn more(&mut self, items: &mut Items) -> Result<bool> {
        match &mut items.left {
            Some(0) => Ok(false),
            Some(left) => {
                *left -= 1;
                Ok(true)
            }
            None => match self.bytes.get(self.at) {
                Some(0xff) => {
                    self.at += 1;
                    Ok(false)
                }
                Some(_) if items.read >= self.limits.max_cbor_items => {
                    Err(Error::TooLarge { what: "CBOR collection", limit: self.limits.max_cbor_items })
                }
                Some(_) => {
                    items.read += 1;
                    Ok(true)
                }
                None => Err(self.malformed("unexpected end of input")),
            },
        }
    }

    /// A byte string, borrowed, or (when allowed) the joined chunks of an indefinite-length one.
    pub fn byte_string(&mut self, depth: usize, what: &str) -> Result<Cow<'b, [u8]>> {
        match self.header(depth)? {
            Header::Bytes(Some(len)) => {
                let range = self.take(len)?;
                Ok(Cow::Borrowed(self.bytes.get(range).unwrap_or_default()))
            }
            Header::Bytes(None) => self.chunks(false).map(Cow::Owned),
            _ => Err(self.wrong(what, "a byte string")),
        }
    }

    /// A text string, borrowed, or (when allowed) the joined chunks of an indefinite-length one.
    pub fn text_string(&mut self, depth: usize, what: &str) -> Result<Cow<'b, str>> {
        match self.header(depth)? {
            Header::Text(Some(len)) => self.text_of(len).map(Cow::Borrowed),
            Header::Text(None) => String::from_utf8(self.chunks(true)?)
                .map(Cow::Owned)
                .map_err(|_| self.malformed("invalid UTF-8 in a text string")),
            _ => Err(self.wrong(what, "a text string")),
        }
    }

    /// The definite chunks of an indefinite-length string (text or bytes) up to its break.
    fn chunks(&mut self, text: bool) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            if self.bytes.get(self.at) == Some(&0xff) {
                self.at += 1;
                return Ok(out);
            }
            let at = self.at;
            let range = match self.header(1)? {
                Header::Text(Some(len)) if text => self.take(len)?,
                Header::Bytes(Some(len)) if !text => self.take(len)?,
                _ => return Err(self.malformed(format!("a bad chunk in an indefinite-length string at byte {at}"))),
            };
            out.extend_from_slice(self.bytes.get(range).unwrap_or_default());
        }
    }

    /// A number: an integer, or a float.
    pub fn number(&mut self, depth: usize, what: &str) -> Result<Number> {
        match self.header(depth)? {
            Header::Positive(n) => Ok(Number::Int(i128::from(n))),
            Header::Negative(n) => Ok(Number::Int(-1 - i128::from(n))),
            Header::Float(f) => Ok(Number::Float(f)),
            _ => Err(self.wrong(what, "a number")),
        }
    }

    /// Reads past any tags before the next item, returning how many there were (other systems'
    /// readers, such as ciborium's serde, read the tagged item as if untagged).
    pub fn skip_tags(&mut self) -> Result<usize> {
        let mut count = 0;
        // Looking at the major type first spares decoding a header that is not a tag.
        while self.peek_major() == Some(6) && self.tag()?.is_some() {
            count += 1;
        }
        Ok(count)
    }

    /// The offset of the next item in the input.
    pub fn position(&self) -> usize {
        self.at
    }

    /// The major type (0 to 7) of the next item, without reading it; `None` at the end.
    pub fn peek_major(&self) -> Option<u8> {
        self.bytes.get(self.at).map(|b| b >> 5)
    }

    /// Whether the next item is null or undefined; reads it if so.
    pub fn null(&mut self) -> bool {
        match self.bytes.get(self.at) {
            Some(0xf6 | 0xf7) => {
                self.at += 1;
                true
            }
            _ => false,
        }
    }

    /// Reads an unsigned integer.
    pub fn uint(&mut self, depth: usize, what: &str) -> Result<u64> {
        match self.header(depth)? {
            Header::Positive(n) => Ok(n),
            _ => Err(self.wrong(what, "an unsigned integer")),
        }
    }

    /// Reads an integer (major type 0 or 1) that fits an `i64`.
    pub fn int(&mut self, depth: usize, what: &str) -> Result<i64> {
        let expected = "an integer in the 64-bit signed range";
        match self.header(depth)? {
            Header::Positive(n) => i64::try_from(n).map_err(|_| self.wrong(what, expected)),
            Header::Negative(n) => i64::try_from(n).map(|n| -1 - n).map_err(|_| self.wrong(what, expected)),
            _ => Err(self.wrong(what, expected)),
        }
    }

    /// A byte string, as the range of the input it occupies.
    pub fn bytes_range(&mut self, depth: usize, what: &str) -> Result<Range<usize>> {
        match self.header(depth)? {
            Header::Bytes(Some(len)) => self.take(len),
            _ => Err(self.wrong(what, "a byte string")),
        }
    }

    /// Reads a byte string, borrowed.
    pub fn bytes(&mut self, depth: usize, what: &str) -> Result<&'b [u8]> {
        let range = self.bytes_range(depth, what)?;
        Ok(self.bytes.get(range).unwrap_or_default())
    }

    /// Reads a text string, borrowed (valid UTF-8).
    pub fn text(&mut self, depth: usize, what: &str) -> Result<&'b str> {
        match self.header(depth)? {
            Header::Text(Some(len)) => self.text_of(len),
            _ => Err(self.wrong(what, "a text string")),
        }
    }

    fn text_of(&mut self, len: usize) -> Result<&'b str> {
        let range = self.take(len)?;
        std::str::from_utf8(self.bytes.get(range).unwrap_or_default())
            .map_err(|_| self.malformed("invalid UTF-8 in a text string"))
    }

    /// Reads an array header; returns its length.
    pub fn array(&mut self, depth: usize, what: &str) -> Result<usize> {
        match self.header(depth)? {
            Header::Array(Some(n)) => Ok(n),
            _ => Err(self.wrong(what, "an array")),
        }
    }

    /// Reads a map header; returns its number of pairs.
    pub fn map(&mut self, depth: usize, what: &str) -> Result<usize> {
        match self.header(depth)? {
            Header::Map(Some(n)) => Ok(n),
            _ => Err(self.wrong(what, "a map")),
        }
    }

    /// A tag number, if the next item is a tag (the tagged item follows).
    pub fn tag(&mut self) -> Result<Option<u64>> {
        let before = self.at;
        match self.header(1)? {
            Header::Tag(tag) => Ok(Some(tag)),
            _ => {
                self.at = before;
                Ok(None)
            }
        }
    }

    /// A map key at `depth`, which must not repeat one in `seen`.
    pub fn key(&mut self, depth: usize, seen: &mut Vec<Key<'b>>) -> Result<Key<'b>> {
        let key = self.label(depth)?;
        if seen.contains(&key) {
            return Err(Error::DuplicateKey { step: self.step });
        }
        if seen.capacity() == 0 {
            // One allocation for a map's keys rather than growing from four (a DCC entry has 11).
            seen.reserve(16);
        }
        seen.push(match &key {
            Key::Int(n) => Key::Int(*n),
            Key::Text(t) => Key::Text(t),
        });
        Ok(key)
    }

    /// An integer or a text string (a COSE label, or a value that may be either).
    pub fn label(&mut self, depth: usize) -> Result<Key<'b>> {
        self.int_or_text_else(depth, |r| r.malformed("a map key or label must be an integer or a text string"))
    }

    /// An integer or a text string where `what` is expected (a COSE `alg`, say): any other type
    /// is [`Reader::wrong`].
    pub fn int_or_text(&mut self, depth: usize, what: &str) -> Result<Key<'b>> {
        self.int_or_text_else(depth, |r| r.wrong(what, "an integer or a text string"))
    }

    /// An integer or a text string; any other type is the error `otherwise` makes.
    pub(crate) fn int_or_text_else(&mut self, depth: usize, otherwise: impl FnOnce(&Self) -> Error) -> Result<Key<'b>> {
        Ok(match self.header(depth)? {
            Header::Positive(n) => Key::Int(i128::from(n)),
            Header::Negative(n) => Key::Int(-1 - i128::from(n)),
            Header::Text(Some(len)) => Key::Text(self.text_of(len)?),
            _ => return Err(otherwise(self)),
        })
    }

    /// Skips one whole item at `depth`, under every rule of the reader.
    pub fn skip(&mut self, depth: usize) -> Result<()> {
        let header = self.header(depth)?;
        self.skip_rest(header, depth)
    }

    /// Skips what follows a header already read at `depth`.
    fn skip_rest(&mut self, header: Header, depth: usize) -> Result<()> {
        match header {
            Header::Bytes(None) => self.chunks(false).map(drop),
            Header::Text(None) => self.chunks(true).map(drop),
            Header::Array(None) => {
                let mut items = Items { left: None, read: 0 };
                while self.more(&mut items)? {
                    self.skip(depth + 1)?;
                }
                Ok(())
            }
            Header::Map(None) => {
                let (mut items, mut seen) = (Items { left: None, read: 0 }, Vec::new());
                while self.more(&mut items)? {
                    self.key(depth + 1, &mut seen)?;
                    self.skip(depth + 1)?;
                }
                Ok(())
            }
            Header::Bytes(Some(len)) => self.take(len).map(drop),
            Header::Text(Some(len)) => self.text_of(len).map(drop),
            Header::Array(Some(n)) => (0..n).try_for_each(|_| self.skip(depth + 1)),
            Header::Map(Some(n)) => {
                let mut seen = Vec::new();
                (0..n).try_for_each(|_| {
                    self.key(depth + 1, &mut seen)?;
                    self.skip(depth + 1)
                })
            }
            Header::Tag(_) => self.skip(depth + 1),
            _ => Ok(()),
        }
    }

    /// Skips one scalar item at `depth`: a number, a definite string, false, true, null or
    /// undefined. Refuses anything else (arrays, maps, tags, other simple values): those are
    /// what serde readers of other formats might count or judge differently, and a caller falls
    /// back to such a reader on refusal.
    pub fn skip_scalar(&mut self, depth: usize) -> Result<()> {
        match self.header(depth)? {
            Header::Array(_) | Header::Map(_) | Header::Tag(_) => Err(self.malformed("not a scalar")),
            Header::Simple(20..=23) => Ok(()),
            Header::Simple(_) => Err(self.malformed("an unassigned simple value")),
            header => self.skip_rest(header, depth),
        }
    }

    /// Whether the whole input has been read.
    pub fn finish(&self) -> Result<()> {
        if self.at == self.bytes.len() { Ok(()) } else { Err(Error::TrailingBytes { step: self.step }) }
    }
}

/// Why an item header could not be read.
#[derive(Debug, PartialEq, Eq)]
enum HeaderError {
    /// The input ends inside the header.
    End,
    /// Additional information 28 to 30, or an indefinite length where none can be.
    Syntax,
}

/// Reads the item header at the start of `rest`: the header and how many bytes it takes.
///
/// The same decoding as `ciborium_ll::Decoder::pull` (a test holds them equal), read straight
/// from the slice: the decoder's reader plumbing was the largest cost of reading a code after
/// the signature check (BENCHMARKS.md). Floats, which no native structure holds, are left to
/// ciborium-ll.
fn decode_header(rest: &[u8]) -> std::result::Result<(Header, usize), HeaderError> {
    let (&initial, tail) = rest.split_first().ok_or(HeaderError::End)?;
    let (major, info) = (initial >> 5, initial & 0x1f);
    let argument = |size: usize| -> std::result::Result<u64, HeaderError> {
        let bytes = tail.get(..size).ok_or(HeaderError::End)?;
        Ok(bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
    };
    let (value, size) = match info {
        0..=23 => (Some(u64::from(info)), 0),
        24 => (Some(argument(1)?), 1),
        25..=27 if major == 7 => {
            let mut decoder = Decoder::from(rest);
            let header = decoder.pull().map_err(|e| match e {
                ciborium_ll::Error::Io(_) => HeaderError::End,
                ciborium_ll::Error::Syntax(_) => HeaderError::Syntax,
            })?;
            return Ok((header, decoder.offset()));
        }
        25 => (Some(argument(2)?), 2),
        26 => (Some(argument(4)?), 4),
        27 => (Some(argument(8)?), 8),
        31 => (None, 0),
        _ => return Err(HeaderError::Syntax),
    };
    let int = || value.ok_or(HeaderError::Syntax);
    let len = || value.map(usize::try_from).transpose().map_err(|_| HeaderError::Syntax);
    let header = match major {
        0 => Header::Positive(int()?),
        1 => Header::Negative(int()?),
        2 => Header::Bytes(len()?),
        3 => Header::Text(len()?),
        4 => Header::Array(len()?),
        5 => Header::Map(len()?),
        6 => Header::Tag(int()?),
        // Simple values: 0–23 in the initial byte, any byte after 24 (floats are above).
        _ => value.map_or(Header::Break, |v| Header::Simple(v.to_le_bytes()[0])),
    };
    Ok((header, 1 + size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skip(bytes: &[u8]) -> Result<()> {
        let limits = Limits::DEFAULT;
        let mut r = Reader::new(bytes, "test", Kind::Structure, &limits);
        r.skip(1)?;
        r.finish()
    }

    #[test]
    fn the_rules_of_section_4() {
        assert!(skip(&[0xa2, 0x01, 0x80, 0x61, 0x61, 0xa0]).is_ok());
        assert_eq!(skip(&[0xa2, 0x01, 0x00, 0x18, 0x01, 0x00]), Err(Error::DuplicateKey { step: "test" }));
        assert!(matches!(skip(&[0xa1, 0x40, 0x00]), Err(Error::Cbor { .. })), "a byte-string key");
        assert!(matches!(skip(&[0x9f, 0xff]), Err(Error::Cbor { .. })), "indefinite");
        assert!(matches!(skip(&[0x5b, 0x80, 0, 0, 0, 0, 0, 0, 0]), Err(Error::Cbor { .. })), "huge string");
        assert_eq!(skip(&[0x00, 0x00]), Err(Error::TrailingBytes { step: "test" }));
        assert!(skip(&[vec![0x81; 15], vec![0x00]].concat()).is_ok());
        assert!(matches!(skip(&[vec![0x81; 16], vec![0x00]].concat()), Err(Error::Cbor { .. })));
        assert!(matches!(skip(&[0x9a, 0xff, 0xff, 0xff, 0xff]), Err(Error::TooLarge { .. })));
        assert!(matches!(skip(&[0x62, 0xff, 0xfe]), Err(Error::Cbor { .. })), "invalid UTF-8");
    }

    /// `decode_header` reads every header exactly as ciborium-ll's decoder does.
    #[test]
    fn headers_decode_as_ciborium_does() {
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for initial in 0..=255u8 {
            for tail in
                [&[][..], &[0x01], &[0xff], &[0x12, 0x34], &[0, 0, 0, 0x05], &[0xff; 8], &[0x80, 0, 0, 0, 0, 0, 0, 1]]
            {
                inputs.push([&[initial][..], tail].concat());
            }
        }
        for input in inputs {
            let mut decoder = Decoder::from(&input[..]);
            let theirs = decoder.pull().map(|h| (format!("{h:?}"), decoder.offset())).map_err(|e| match e {
                ciborium_ll::Error::Io(_) => HeaderError::End,
                ciborium_ll::Error::Syntax(_) => HeaderError::Syntax,
            });
            let ours = decode_header(&input).map(|(h, n)| (format!("{h:?}"), n));
            assert_eq!(ours, theirs, "{input:02x?}");
        }
    }
}
