//! The decision entry: one colour decision, in a canonical, bounded, versioned binary form.
//!
//! An entry names the issuer, its key fingerprint, the officer or rule that decided, the
//! colour, the reason codes, the time, the credential id hash, and salted commitments to the
//! subject's pseudonym and to the evidence. It never holds health data or a name in clear.
//!
//! Written by hand rather than with serde: a Merkle leaf must have exactly one encoding, and a
//! fixed-order binary layout with strict decoding gives that with no canonicalisation rules.
//! Layout (all integers big-endian), every field mandatory and in this order:
//!
//! ```text
//! u8  version = 1
//! u8  len, issuer id (1..=128 bytes of visible ASCII)
//! 32  issuer key fingerprint
//! u8  actor kind (1 officer, 2 automated rule)
//! u8  len, actor id (1..=128 bytes of visible ASCII)
//! u8  colour (1 green, 2 yellow, 3 orange, 4 red)
//! u8  reason count (0..=16), then each: u8 len, code (1..=32 bytes of [a-z0-9_.-]),
//!     strictly ascending byte order (sorted, no duplicates)
//! u64 time, unix seconds (< 2^63)
//! 32  credential id hash
//! u8  commitment scheme (1 HMAC-SHA256, 2 SHA-256)
//! 32  subject commitment
//! 32  evidence commitment
//! ```
//! Nothing may follow the last field.

use crate::commitment::Scheme;
use crate::error::{Error, Result};
use crate::limits::{MAX_ENTRY_BYTES, MAX_ID_LEN, MAX_REASON_LEN, MAX_REASONS};

/// The encoding version this crate writes and reads.
pub const ENTRY_VERSION: u8 = 1;

/// The colour decided (the same numbers as the core crate's `Colour`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Colour {
    /// No known risk.
    Green = 1,
    /// Lower middle risk.
    Yellow = 2,
    /// Higher middle risk.
    Orange = 3,
    /// Infection confirmed or suspected, or quarantine in force.
    Red = 4,
}

impl Colour {
    fn from_u8(b: u8) -> Option<Self> {
        Some(match b {
            1 => Self::Green,
            2 => Self::Yellow,
            3 => Self::Orange,
            4 => Self::Red,
            _ => return None,
        })
    }

    /// The lower-case name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Orange => "orange",
            Self::Red => "red",
        }
    }
}

/// Who decided: a named officer or an automated rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Actor {
    /// An officer's id (not a name).
    Officer(String),
    /// An automated rule's id.
    Rule(String),
}

/// One colour decision, as logged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DecisionEntry {
    /// The issuer's id.
    pub issuer: String,
    /// SHA-256 fingerprint of the issuer's signing key.
    pub key_fingerprint: [u8; 32],
    /// Officer or rule.
    pub actor: Actor,
    /// The colour given.
    pub colour: Colour,
    /// Reason codes; [`DecisionEntry::encode`] requires them sorted and unique
    /// ([`DecisionEntry::normalise`] makes them so).
    pub reasons: Vec<String>,
    /// Decision time, unix seconds.
    pub time: u64,
    /// Hash of the code's credential id ([`crate::commitment::credential_id_hash`]).
    pub credential_id_hash: [u8; 32],
    /// How the commitments were made.
    pub scheme: Scheme,
    /// Commitment to the subject's pseudonym.
    pub subject_commitment: [u8; 32],
    /// Commitment to the evidence.
    pub evidence_commitment: [u8; 32],
}

fn check_id(field: &'static str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_ID_LEN {
        return Err(Error::EntryField { field, reason: "must be 1 to 128 bytes" });
    }
    if !id.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::EntryField { field, reason: "must be visible ASCII without spaces" });
    }
    Ok(())
}

fn check_reason(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_REASON_LEN
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b))
}

impl DecisionEntry {
    /// Sorts and de-duplicates the reason codes into their canonical order.
    pub fn normalise(&mut self) {
        self.reasons.sort_unstable();
        self.reasons.dedup();
    }

    /// Checks every field against the format's rules.
    ///
    /// # Errors
    /// [`Error::EntryField`] naming the field.
    pub fn validate(&self) -> Result<()> {
        check_id("issuer", &self.issuer)?;
        let (Actor::Officer(id) | Actor::Rule(id)) = &self.actor;
        check_id("actor", id)?;
        if self.reasons.len() > MAX_REASONS {
            return Err(Error::EntryField { field: "reasons", reason: "more than 16" });
        }
        if !self.reasons.iter().all(|r| check_reason(r)) {
            return Err(Error::EntryField { field: "reasons", reason: "a code is not 1-32 bytes of [a-z0-9_.-]" });
        }
        if !self.reasons.windows(2).all(|w| matches!(w, [a, b] if a < b)) {
            return Err(Error::EntryField { field: "reasons", reason: "not sorted and unique" });
        }
        if self.time > i64::MAX as u64 {
            return Err(Error::EntryField { field: "time", reason: "past 2^63 - 1" });
        }
        Ok(())
    }

    /// The canonical encoding, the leaf data of the Merkle tree.
    ///
    /// # Errors
    /// [`Error::EntryField`] when a field breaks the format's rules.
    pub fn encode(&self) -> Result<Vec<u8>> {
        self.validate()?;
        let mut out = Vec::with_capacity(256);
        out.push(ENTRY_VERSION);
        push_str(&mut out, &self.issuer);
        out.extend_from_slice(&self.key_fingerprint);
        let (kind, id) = match &self.actor {
            Actor::Officer(id) => (1u8, id),
            Actor::Rule(id) => (2u8, id),
        };
        out.push(kind);
        push_str(&mut out, id);
        out.push(self.colour as u8);
        out.push(self.reasons.len() as u8);
        for r in &self.reasons {
            push_str(&mut out, r);
        }
        out.extend_from_slice(&self.time.to_be_bytes());
        out.extend_from_slice(&self.credential_id_hash);
        out.push(self.scheme as u8);
        out.extend_from_slice(&self.subject_commitment);
        out.extend_from_slice(&self.evidence_commitment);
        Ok(out)
    }

    /// Decodes an entry strictly: known version, every bound, canonical reason order, no
    /// trailing bytes. `decode(encode(e)) == e` and `encode(decode(b)) == b`.
    ///
    /// # Errors
    /// [`Error::TooLarge`] past [`MAX_ENTRY_BYTES`]; [`Error::Entry`] with the byte offset.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() > MAX_ENTRY_BYTES {
            return Err(Error::TooLarge { what: "decision entry", limit: MAX_ENTRY_BYTES });
        }
        let mut r = Reader { bytes, at: 0 };
        if r.u8()? != ENTRY_VERSION {
            return Err(r.err("unknown version"));
        }
        let issuer = r.id()?;
        let key_fingerprint = r.array()?;
        let actor = match r.u8()? {
            1 => Actor::Officer(r.id()?),
            2 => Actor::Rule(r.id()?),
            _ => return Err(r.err("unknown actor kind")),
        };
        let colour = Colour::from_u8(r.u8()?).ok_or_else(|| r.err("unknown colour"))?;
        let count = usize::from(r.u8()?);
        if count > MAX_REASONS {
            return Err(r.err("more than 16 reasons"));
        }
        let mut reasons: Vec<String> = Vec::with_capacity(count);
        for _ in 0..count {
            let code = r.str()?;
            if !check_reason(&code) {
                return Err(r.err("reason code is not 1-32 bytes of [a-z0-9_.-]"));
            }
            if reasons.last().is_some_and(|prev| *prev >= code) {
                return Err(r.err("reasons not sorted and unique"));
            }
            reasons.push(code);
        }
        let time = u64::from_be_bytes(r.array()?);
        if time > i64::MAX as u64 {
            return Err(r.err("time past 2^63 - 1"));
        }
        let credential_id_hash = r.array()?;
        let scheme = Scheme::from_u8(r.u8()?).ok_or_else(|| r.err("unknown commitment scheme"))?;
        let subject_commitment = r.array()?;
        let evidence_commitment = r.array()?;
        if r.at != bytes.len() {
            return Err(r.err("trailing bytes"));
        }
        Ok(Self {
            issuer,
            key_fingerprint,
            actor,
            colour,
            reasons,
            time,
            credential_id_hash,
            scheme,
            subject_commitment,
            evidence_commitment,
        })
    }
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    // Lengths were validated to fit a byte.
    out.push(s.len() as u8);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn err(&self, reason: &'static str) -> Error {
        Error::Entry { at: self.at, reason }
    }

    fn take(&mut self, n: usize) -> Result<&[u8]> {
        let end = self.at.checked_add(n).ok_or_else(|| self.err("truncated"))?;
        let slice = self.bytes.get(self.at..end).ok_or_else(|| self.err("truncated"))?;
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8> {
        self.take(1)?.first().copied().ok_or_else(|| self.err("truncated"))
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let at = self.at;
        self.take(N)?.try_into().map_err(|_| Error::Entry { at, reason: "truncated" })
    }

    fn str(&mut self) -> Result<String> {
        let len = usize::from(self.u8()?);
        let at = self.at;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| Error::Entry { at, reason: "not UTF-8" })
    }

    fn id(&mut self) -> Result<String> {
        let at = self.at;
        let id = self.str()?;
        check_id("id", &id).map_err(|_| Error::Entry { at, reason: "id is not 1-128 bytes of visible ASCII" })?;
        Ok(id)
    }
}
