//! The standard Bloom filter of the EU DCC revocation lists (eu-digital-green-certificates/
//! dgc-bloomfilter): its sizing, its SHA-256 index function and its serialized form.
//!
//! Hand-written because the format fixes every detail a general Bloom filter crate chooses for
//! itself (the sizing arithmetic, one SHA-256 per round with the round number appended, indices
//! read as signed big-endian integers, 32-bit words with bits counted from the most significant),
//! and a filter must give the same answer as the Java and Swift implementations that wrote it.
//! The rules are in `test-vectors/dcc-revocation/dgc-bloomfilter/README.md` and
//! `test-vectors/README.md`; `filter-test.json` is reproduced bit for bit by the tests.
//!
//! A filter answers "certainly absent" or "maybe present". A "maybe" is never a revocation on its
//! own: [`super::RevocationStore`] confirms it against the exact hash list of the same chunk.

use sha2::{Digest, Sha256};

use super::{RevocationLimits, err};
use healthpass::{Error, Result};

/// The serialized format version this module reads and writes.
pub const FORMAT_VERSION: i16 = 1;
/// The hash strategy code of uniform SHA-256 hashing (the only one defined).
pub const HASH_SHA256: i8 = 0;
/// Bytes of the serialized header: version, k, hash type, p, n, count, word count.
const HEADER_LEN: usize = 2 + 1 + 1 + 4 + 4 + 4 + 4;

/// A Bloom filter in the dgc-bloomfilter format.
#[derive(Debug, Clone, PartialEq)]
pub struct BloomFilter {
    words: Vec<u32>,
    rounds: u8,
    probability: f32,
    capacity: u32,
    count: u32,
    /// `32 × words`, the modulus of the indices (never zero).
    bits: u64,
}

impl BloomFilter {
    /// An empty filter sized for `capacity` elements at false-positive rate `probability`, as
    /// the reference implementation sizes it: `m = ceil(n·ln p / ln(1/2^ln 2))` bits, rounded
    /// to `floor(m/8)+1` bytes, held in `floor(bytes/4) + bytes mod 4` 32-bit words, and
    /// `k = max(1, round(32·words / n · ln 2))` rounds.
    ///
    /// # Errors
    /// [`Error::Foreign`] (step `Bloom filter`) when `capacity` is zero, `probability` is not in (0, 1), or
    /// the filter would need more than `limits.max_filter_bytes` or 127 rounds.
    pub fn new(capacity: u32, probability: f32, limits: &RevocationLimits) -> Result<Self> {
        if capacity == 0 || !(probability > 0.0 && probability < 1.0) {
            return Err(err("Bloom filter", "the capacity must be positive and p within (0, 1)"));
        }
        let n = f64::from(capacity);
        let ln2 = std::f64::consts::LN_2;
        let raw_bits = (n * f64::from(probability).ln() / (1.0 / 2f64.powf(ln2)).ln()).ceil();
        let byte_limit = limits.max_filter_bytes as f64;
        if !raw_bits.is_finite() || raw_bits < 0.0 || raw_bits / 8.0 > byte_limit {
            return Err(Error::TooLarge { what: "Bloom filter bytes", limit: limits.max_filter_bytes });
        }
        let bytes = (raw_bits as u64) / 8 + 1;
        let word_count = bytes / 4 + bytes % 4;
        let bits = word_count * 32;
        let rounds = ((bits as f64) / n * ln2).round().max(1.0);
        if rounds > f64::from(i8::MAX as u8) {
            return Err(err("Bloom filter", format!("{rounds} rounds are more than the format holds (127)")));
        }
        let words = vec![0; usize::try_from(word_count).map_err(|_| err("Bloom filter", "too many words"))?];
        Ok(BloomFilter { words, rounds: rounds as u8, probability, capacity, count: 0, bits })
    }

    /// Adds an element (its bytes as they are hashed: a revocation hash, or a string's UTF-8).
    pub fn add(&mut self, element: &[u8]) {
        for round in 0..self.rounds {
            let index = self.index(element, round);
            if let Some(word) = self.words.get_mut((index / 32) as usize) {
                *word |= 0x8000_0000 >> (index % 32);
            }
        }
        self.count = self.count.saturating_add(1);
    }

    /// `false` when the element is certainly not in the filter; `true` when it may be (the
    /// false-positive rate is about the filter's `p` while it holds no more than its capacity).
    pub fn might_contain(&self, element: &[u8]) -> bool {
        (0..self.rounds).all(|round| {
            let index = self.index(element, round);
            self.words.get((index / 32) as usize).is_some_and(|word| word & (0x8000_0000 >> (index % 32)) != 0)
        })
    }

    /// The number of hash rounds `k`.
    pub fn rounds(&self) -> u8 {
        self.rounds
    }

    /// The elements added (or, for a decoded filter, the count it declares).
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The filter's 32-bit words, as the reference implementation holds them.
    pub fn words(&self) -> &[u32] {
        &self.words
    }

    /// The words as the reference tests write them: Java's `Arrays.toString` of the signed
    /// 32-bit values, `[w0, w1, ...]`.
    pub fn words_text(&self) -> String {
        let words: Vec<String> = self.words.iter().map(|w| (*w as i32).to_string()).collect();
        format!("[{}]", words.join(", "))
    }

    /// The serialized form (big-endian): version `i16` (1), `k` `i8`, hash type `i8` (0,
    /// SHA-256), `p` `f32`, `n` `i32`, element count `i32`, word count `i32`, the words as `i32`.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN + 4 * self.words.len());
        out.extend_from_slice(&FORMAT_VERSION.to_be_bytes());
        out.push(self.rounds);
        out.push(HASH_SHA256 as u8);
        out.extend_from_slice(&self.probability.to_be_bytes());
        out.extend_from_slice(&self.capacity.to_be_bytes());
        out.extend_from_slice(&self.count.to_be_bytes());
        out.extend_from_slice(&(self.words.len() as u32).to_be_bytes());
        for word in &self.words {
            out.extend_from_slice(&word.to_be_bytes());
        }
        out
    }

    /// Reads a serialized filter (the form [`BloomFilter::encode`] writes), bounded by `limits`.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past `max_filter_bytes`; [`Error::Foreign`] (step `Bloom filter`) naming
    /// the field for a short header, another version or hash type, `k` outside 1–127, a
    /// negative size, a word count that does not match the bytes, or trailing bytes.
    pub fn decode(bytes: &[u8], limits: &RevocationLimits) -> Result<Self> {
        if bytes.len() > limits.max_filter_bytes.saturating_add(HEADER_LEN) {
            return Err(Error::TooLarge { what: "Bloom filter bytes", limit: limits.max_filter_bytes });
        }
        let (header, body) = bytes
            .split_at_checked(HEADER_LEN)
            .ok_or_else(|| err("Bloom filter", format!("header: {} bytes, {HEADER_LEN} needed", bytes.len())))?;
        let be4 = |at: usize| -> [u8; 4] {
            let mut out = [0; 4];
            if let Some(src) = header.get(at..at + 4) {
                out.copy_from_slice(src);
            }
            out
        };
        let version = i16::from_be_bytes([header.first().copied().unwrap_or(0), header.get(1).copied().unwrap_or(0)]);
        if version != FORMAT_VERSION {
            return Err(err("Bloom filter", format!("version: {version}, only {FORMAT_VERSION} is known")));
        }
        let rounds = header.get(2).copied().unwrap_or(0) as i8;
        if rounds < 1 {
            return Err(err("Bloom filter", format!("k: {rounds}, at least 1 needed")));
        }
        let hash = header.get(3).copied().unwrap_or(0) as i8;
        if hash != HASH_SHA256 {
            return Err(err("Bloom filter", format!("hash type: {hash}, only 0 (SHA-256) is known")));
        }
        let probability = f32::from_be_bytes(be4(4));
        let capacity = i32::from_be_bytes(be4(8));
        let count = i32::from_be_bytes(be4(12));
        let word_count = i32::from_be_bytes(be4(16));
        let (Ok(capacity), Ok(count), Ok(word_count)) =
            (u32::try_from(capacity), u32::try_from(count), usize::try_from(word_count))
        else {
            return Err(err("Bloom filter", "n, count or word count is negative"));
        };
        if word_count == 0 || body.len() != word_count.saturating_mul(4) {
            return Err(err(
                "Bloom filter",
                format!("words: {word_count} declared, {} bytes follow (trailing or missing bytes)", body.len()),
            ));
        }
        let words: Vec<u32> =
            body.chunks_exact(4).map(|c| <[u8; 4]>::try_from(c).map(u32::from_be_bytes).unwrap_or(0)).collect();
        let bits = 32 * words.len() as u64;
        Ok(BloomFilter { words, rounds: rounds as u8, probability, capacity, count, bits })
    }

    /// The bit index of `element` in `round`: SHA-256 of the element followed by the round
    /// number as one byte, read as a signed big-endian integer, modulo the filter's bits (a
    /// non-negative result, as Java's `BigInteger.mod`).
    fn index(&self, element: &[u8], round: u8) -> u64 {
        let digest = Sha256::new().chain_update(element).chain_update([round]).finalize();
        let modulus = u128::from(self.bits);
        let unsigned = digest.iter().fold(0u128, |acc, byte| (acc * 256 + u128::from(*byte)) % modulus);
        let negative = digest.first().is_some_and(|b| b & 0x80 != 0);
        let value = if negative {
            // value − 2^256 (two's complement): subtract 2^256 mod m, staying non-negative.
            let two_256 = (0..32).fold(1u128, |acc, _| (acc * 256) % modulus);
            (unsigned + modulus - two_256) % modulus
        } else {
            unsigned
        };
        value as u64
    }
}
