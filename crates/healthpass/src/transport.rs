//! The text transport: prefix, base45 (RFC 9285) and bounded zlib (RFC 1950).

use std::cell::Cell;
use std::io::Write;

use flate2::{Compression, Decompress, FlushDecompress, Status, write::ZlibEncoder};

use crate::{Error, Limits, Result};

/// The first byte of a tagged COSE_Sign1 (CBOR tag 18).
pub(crate) const COSE_SIGN1_TAG_BYTE: u8 = 0xd2;
/// The first byte of every zlib stream with a 32 KiB window (CMF = deflate, window 2^15).
pub(crate) const ZLIB_HEADER_BYTE: u8 = 0x78;

/// Strips `prefix` from `text` after checking the text's length against the limit.
///
/// The limit counts characters, prefix included, and applies to ASCII text, where characters and
/// UTF-8 bytes are the same count (FORMAT.md §1). A text holding any other character is never
/// too large: it can only be refused, by the prefix or by [`decode_base45`] (a character outside
/// the alphabet), whatever its length and however it is counted.
///
/// # Errors
/// [`Error::TooLarge`] if the text is ASCII and longer than [`Limits::max_text_len`],
/// [`Error::Prefix`] if it does not start with `prefix`.
pub fn strip_prefix<'t>(text: &'t str, prefix: &'static str, limits: &Limits) -> Result<&'t str> {
    if text.len() > limits.max_text_len && text.is_ascii() {
        return Err(Error::TooLarge { what: "code text", limit: limits.max_text_len });
    }
    text.strip_prefix(prefix).ok_or(Error::Prefix { expected: prefix })
}

/// Decodes base45 text (RFC 9285), refusing every non-canonical or out-of-range group.
///
/// Decoded here, through a table of digit values, rather than by the `base45` crate (which
/// still encodes): the crate truncates a final pair above 255 to its low byte instead of
/// refusing it, which would let two texts decode to the same bytes, and it took a fifth of the
/// instructions spent outside the signature check on a DCC (BENCHMARKS.md). A test holds the
/// two decoders equal on every text the crate decodes canonically.
///
/// # Errors
/// [`Error::Base45`] naming the fault: a character outside the alphabet, a length that leaves a
/// single character, a three-character group above 65535 or a final pair above 255.
pub fn decode_base45(text: &str) -> Result<Vec<u8>> {
    let bytes = text.as_bytes();
    let digit = |c: &u8| BASE45_DIGITS.get(usize::from(*c)).copied().filter(|d| *d < 45).map(u32::from);
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    let mut groups = bytes.chunks_exact(3);
    for group in &mut groups {
        let value = match group {
            [a, b, c] => digit(a).zip(digit(b)).zip(digit(c)).map(|((a, b), c)| a + b * 45 + c * 45 * 45),
            _ => None,
        };
        match value.and_then(|v| u16::try_from(v).ok()) {
            Some(v) => out.extend_from_slice(&v.to_be_bytes()),
            None => return Err(Error::Base45(diagnose_base45(bytes))),
        }
    }
    match groups.remainder() {
        [] => {}
        [a, b] => match digit(a).zip(digit(b)).and_then(|(a, b)| u8::try_from(a + b * 45).ok()) {
            Some(v) => out.push(v),
            None => return Err(Error::Base45(diagnose_base45(bytes))),
        },
        _ => return Err(Error::Base45(diagnose_base45(bytes))),
    }
    Ok(out)
}

/// The base45 alphabet (RFC 9285 §4).
const BASE45_ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Each byte's base45 digit value, or 255 for a byte outside the alphabet.
// Evaluated at compile time: an index out of range would fail the build, never a run.
#[allow(clippy::indexing_slicing)]
const BASE45_DIGITS: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut i = 0;
    while i < BASE45_ALPHABET.len() {
        table[BASE45_ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Encodes bytes as base45 (RFC 9285).
pub fn encode_base45(bytes: &[u8]) -> String {
    base45::encode(bytes)
}

fn base45_digit(c: u8) -> Option<u32> {
    BASE45_DIGITS.get(usize::from(c)).copied().filter(|d| *d < 45).map(u32::from)
}

/// The fault of a base45 text holding a character outside the alphabet.
const OUTSIDE_ALPHABET: &str = "a character outside the base45 alphabet";

/// Names the reason a base45 text failed to decode (only called on failure), in the order the
/// faults are reported: a character outside the alphabet when the text is not ASCII, a final
/// pair above 255, any character outside the alphabet, the length, a group above 65535.
fn diagnose_base45(bytes: &[u8]) -> &'static str {
    if !bytes.is_ascii() {
        return OUTSIDE_ALPHABET;
    }
    if bytes.len() % 3 == 2 {
        if let Some([a, b]) = bytes.get(bytes.len() - 2..) {
            if let (Some(a), Some(b)) = (base45_digit(*a), base45_digit(*b)) {
                if a + b * 45 > 255 {
                    return "a final two-character group is above 255";
                }
            }
        }
    }
    if bytes.iter().any(|&c| base45_digit(c).is_none()) {
        return OUTSIDE_ALPHABET;
    }
    if bytes.len() % 3 == 1 {
        return "the length leaves a single character";
    }
    "a three-character group is above 65535"
}

/// Inflates a zlib stream, stopping as soon as the output would pass `limits.max_decompressed_len`.
///
/// The whole input must be one complete zlib stream with a correct checksum.
///
/// # Errors
/// [`Error::TooLarge`] at the cap, [`Error::Decompress`] for a corrupt or truncated stream,
/// [`Error::TrailingBytes`] for bytes after the stream's end.
pub fn inflate_bounded(input: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    inflate_framed(input, Framing::Zlib, limits)
}

/// How a compressed stream is framed: zlib (RFC 1950) or raw DEFLATE (RFC 1951, as in JWS).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// A zlib stream (RFC 1950): native and DCC codes.
    Zlib,
    /// A raw DEFLATE stream (RFC 1951): SMART Health Cards' JWS payloads.
    RawDeflate,
}

/// Inflates one complete stream of the given framing, stopping as soon as the output would pass
/// `limits.max_decompressed_len`; bytes after the stream's end are refused.
///
/// # Errors
/// As [`inflate_bounded`].
pub fn inflate_framed(input: &[u8], framing: Framing, limits: &Limits) -> Result<Vec<u8>> {
    let (corrupt, truncated, step) = match framing {
        Framing::Zlib => ("corrupt zlib stream", "truncated zlib stream", "zlib"),
        Framing::RawDeflate => ("corrupt DEFLATE stream", "truncated DEFLATE stream", "DEFLATE"),
    };
    let cap = limits.max_decompressed_len;
    let zlib = framing == Framing::Zlib;
    // The thread's inflater, reset, or a new one (on first use, or when a caller up the stack
    // holds it); put back for the next stream whatever happens to this one.
    let mut inflater = INFLATER.try_with(Cell::take).ok().flatten().map_or_else(
        || Decompress::new(zlib),
        |mut inflater| {
            inflater.reset(zlib);
            inflater
        },
    );
    let out = inflate_with(&mut inflater, input, (corrupt, truncated, step), cap);
    let _ = INFLATER.try_with(|cell| cell.set(Some(inflater)));
    out
}

thread_local! {
    /// One inflater kept per thread and reset before each stream: building zlib-rs's state
    /// zeroes tens of kilobytes, which cost a quarter of inflating a typical code (BENCHMARKS.md,
    /// "Instruction counts"). It holds that memory (about 40 KiB) for the thread's lifetime.
    static INFLATER: Cell<Option<Decompress>> = const { Cell::new(None) };
}

/// Inflates `input` with a fresh or reset `inflater` up to `cap` bytes of output.
fn inflate_with(
    inflater: &mut Decompress,
    input: &[u8],
    (corrupt, truncated, step): (&'static str, &'static str, &'static str),
    cap: usize,
) -> Result<Vec<u8>> {
    // Grow the buffer as output arrives, never past the cap (+1 to tell "exactly at" from "over").
    let mut out = Vec::with_capacity(input.len().saturating_mul(4).min(cap.saturating_add(1)));
    loop {
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        let before = (inflater.total_in(), inflater.total_out());
        let status =
            inflater.decompress_vec(rest, &mut out, FlushDecompress::Finish).map_err(|_| Error::Decompress(corrupt))?;
        if out.len() > cap {
            return Err(Error::TooLarge { what: "decompressed body", limit: cap });
        }
        match status {
            Status::StreamEnd => break,
            Status::Ok | Status::BufError => {
                if out.len() == out.capacity() {
                    let grow = out.capacity().max(256).min(cap.saturating_add(1) - out.len());
                    if grow == 0 {
                        return Err(Error::TooLarge { what: "decompressed body", limit: cap });
                    }
                    out.reserve_exact(grow);
                } else if before == (inflater.total_in(), inflater.total_out()) {
                    return Err(Error::Decompress(truncated));
                }
            }
        }
    }
    if usize::try_from(inflater.total_in()).ok() != Some(input.len()) {
        return Err(Error::TrailingBytes { step });
    }
    Ok(out)
}

/// Compresses bytes with zlib at the best compression level.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() + 16), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Splits a decoded body into COSE bytes: inflates it if it is a zlib stream, else returns it as is.
///
/// # Errors
/// [`Error::Body`] if the body is neither, and the errors of [`inflate_bounded`].
pub fn unwrap_body(body: Vec<u8>, limits: &Limits) -> Result<Vec<u8>> {
    match body.first() {
        Some(&ZLIB_HEADER_BYTE) => inflate_bounded(&body, limits),
        Some(&COSE_SIGN1_TAG_BYTE) => Ok(body),
        Some(&other) => Err(Error::Body(other)),
        None => Err(Error::Cbor { step: "body", detail: "empty".into() }),
    }
}

/// Wraps COSE bytes for transport: the zlib form when it is strictly shorter, else the bytes as they are.
pub fn wrap_body(cose: Vec<u8>) -> Vec<u8> {
    let compressed = deflate(&cose);
    if compressed.len() < cose.len() { compressed } else { cose }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base45_round_trip_and_rfc_examples() {
        assert_eq!(encode_base45(b"AB"), "BB8");
        assert_eq!(encode_base45(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(decode_base45("QED8WEX0").unwrap(), b"ietf!");
    }

    #[test]
    fn base45_refuses_each_fault_with_its_reason() {
        assert_eq!(decode_base45("GGW").unwrap_err(), Error::Base45("a three-character group is above 65535"));
        assert_eq!(decode_base45(":::").unwrap_err(), Error::Base45("a three-character group is above 65535"));
        assert_eq!(decode_base45("ab").unwrap_err(), Error::Base45("a character outside the base45 alphabet"));
        assert_eq!(decode_base45("BB8A").unwrap_err(), Error::Base45("the length leaves a single character"));
        // "::" is 44 + 44*45 = 2024, above 255: the crate alone would truncate it.
        assert_eq!(decode_base45("::").unwrap_err(), Error::Base45("a final two-character group is above 255"));
    }

    /// The table decoder against the `base45` crate: the same bytes on every text the crate
    /// decodes canonically, and a refusal wherever the crate refuses.
    #[test]
    fn base45_decodes_as_the_crate_does() {
        let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:a~";
        let mut seed = 0x2545_f491_u32;
        for len in 0..40 {
            for _ in 0..200 {
                let text: String = (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 17;
                        seed ^= seed << 5;
                        alphabet.as_bytes()[seed as usize % alphabet.len()] as char
                    })
                    .collect();
                let canonical = base45::decode(&text).ok().filter(|bytes| base45::encode(bytes) == text);
                match (decode_base45(&text), base45::decode(&text)) {
                    (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text:?}"),
                    (Err(_), _) => assert!(canonical.is_none(), "{text:?}"),
                    (Ok(_), Err(_)) => panic!("accepted {text:?}"),
                }
            }
        }
    }

    /// FORMAT.md §1: the length limit applies to ASCII text; a non-ASCII character is refused by
    /// the prefix or by base45 whatever the length, so counting characters or UTF-8 bytes gives
    /// the same error.
    #[test]
    fn the_text_limit_is_the_same_counted_in_characters_or_bytes() {
        let limits = Limits::DEFAULT;
        let verify = |text: &str| strip_prefix(text, "HP1:", &limits).and_then(decode_base45);
        let too_large = Err(Error::TooLarge { what: "code text", limit: 7_089 });
        assert_eq!(verify(&format!("HP1:{}", "0".repeat(7_086))), too_large);
        assert_eq!(verify(&format!("XX1:{}", "0".repeat(7_086))), too_large);
        assert_eq!(verify(&format!("HP1:{}", "00".repeat(1_542))), Ok(vec![0; 2 * 1_028]));
        let outside = Err(Error::Base45(OUTSIDE_ALPHABET));
        // 3,604 characters but 7,204 bytes; 7,090 characters; 6,000 characters and bytes.
        for body in ["é".repeat(3_600), format!("{}é", "0".repeat(7_085)), format!("{}é", "0".repeat(5_993))] {
            assert_eq!(verify(&format!("HP1:{body}")), outside, "{} bytes", body.len());
            assert_eq!(verify(&format!("HP1{body}")), Err(Error::Prefix { expected: "HP1:" }));
        }
        assert_eq!(verify(&format!("ＨP1:{}", "0".repeat(7_086))), Err(Error::Prefix { expected: "HP1:" }));
    }

    #[test]
    fn inflate_round_trip() {
        let data = b"the same words again and again and again and again".repeat(10);
        assert_eq!(inflate_bounded(&deflate(&data), &Limits::DEFAULT).unwrap(), data);
    }

    #[test]
    fn inflate_stops_a_bomb_at_the_cap() {
        let bomb = deflate(&vec![0u8; 10 * 1024 * 1024]);
        let limits = Limits { max_decompressed_len: 4096, ..Limits::DEFAULT };
        assert_eq!(
            inflate_bounded(&bomb, &limits).unwrap_err(),
            Error::TooLarge { what: "decompressed body", limit: 4096 }
        );
    }

    #[test]
    fn inflate_refuses_truncation_corruption_and_trailing_bytes() {
        let stream = deflate(&b"abc".repeat(100));
        let truncated = &stream[..stream.len() - 3];
        assert_eq!(
            inflate_bounded(truncated, &Limits::DEFAULT).unwrap_err(),
            Error::Decompress("truncated zlib stream")
        );
        let mut trailing = stream.clone();
        trailing.push(0);
        assert_eq!(inflate_bounded(&trailing, &Limits::DEFAULT).unwrap_err(), Error::TrailingBytes { step: "zlib" });
        let mut corrupt = stream;
        let last = corrupt.len() - 1;
        corrupt[last] ^= 0xff; // breaks the Adler-32 checksum
        assert_eq!(inflate_bounded(&corrupt, &Limits::DEFAULT).unwrap_err(), Error::Decompress("corrupt zlib stream"));
    }

    #[test]
    fn exact_cap_is_allowed() {
        let data = vec![7u8; 4096];
        let limits = Limits { max_decompressed_len: 4096, ..Limits::DEFAULT };
        assert_eq!(inflate_bounded(&deflate(&data), &limits).unwrap(), data);
    }
}
