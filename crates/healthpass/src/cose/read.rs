//! The one COSE_Sign1 reader (RFC 9052 §4.2), for native codes, signed lists and other systems'
//! codes alike, under an explicit [`Profile`].
//!
//! Hand-written over the crate's strict CBOR reader rather than through `coset`: the signature
//! must be checked over the protected header's bytes exactly as received, every header
//! parameter FORMAT.md §3 names must be held to its type in either header, and depth, counts,
//! duplicate labels and trailing bytes must be refused under [`Limits`] before anything is
//! built. coset stays a test oracle (`cose/tests.rs` reads every published DCC message both ways).

use crate::cbor::{Items, Key, Kind, Reader};
use crate::keys::Kid;
use crate::{Error, Limits, Result};

/// The CBOR tag of COSE_Sign1.
pub(crate) const COSE_SIGN1_TAG: u64 = 18;
/// The CBOR tag of a CWT, which some DCC issuers wrap around the COSE_Sign1.
const CWT_TAG: u64 = 61;

/// The rules a COSE_Sign1 is read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Profile {
    /// Native codes, trust lists and revocation lists (FORMAT.md §3–§4): tag 18 required,
    /// definite lengths only.
    Native,
    /// Other systems' codes as the EU DCC allows them: untagged or tag 18, either optionally
    /// inside the CWT tag 61; indefinite lengths allowed (the DCC specification does not forbid
    /// them, and generic CBOR encoders may write them).
    Foreign,
    /// As [`Profile::Foreign`], with tag 18 required (the NZ COVID Pass specification).
    ForeignTagged,
}

/// An `alg` header value: COSE allows an integer or a text string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Alg {
    /// A registered (or private) integer algorithm id, such as -8 (EdDSA).
    Int(i128),
    /// A text algorithm name.
    Text(String),
}

impl Alg {
    /// The COSE id of EdDSA.
    pub const EDDSA: i128 = -8;
    /// The COSE id of ES256.
    pub const ES256: i128 = -7;
    /// The COSE id of PS256.
    pub const PS256: i128 = -37;

    /// Whether this is the integer algorithm `id`.
    pub fn is(&self, id: i128) -> bool {
        *self == Alg::Int(id)
    }
}

impl std::fmt::Display for Alg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Alg::Int(n) => write!(f, "alg {n}"),
            Alg::Text(t) => write!(f, "alg {t:?}"),
        }
    }
}

/// A COSE_Sign1 message that has been read but whose signature has not been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoseMessage {
    /// The protected header's bytes, exactly as received.
    pub(super) protected: Vec<u8>,
    pub(super) protected_alg: Option<Alg>,
    pub(super) protected_kid: Option<Vec<u8>>,
    pub(super) unprotected_alg: Option<Alg>,
    pub(super) unprotected_kid: Option<Vec<u8>>,
    pub(super) payload: Vec<u8>,
    pub(super) signature: Vec<u8>,
}

impl CoseMessage {
    /// Reads a COSE_Sign1 under `profile` and `limits`: the tags the profile allows, an array of
    /// four, the protected header's bytes (kept as received, and read as a map under the same
    /// rules), the unprotected map, an embedded payload and the signature, and nothing after.
    /// In both headers `alg` (1) must be an integer or text, `crit` (2) a non-empty array of
    /// labels (refused outright in the protected header: none is supported), `content type` (3)
    /// an unsigned integer or text, `kid` (4), `IV` (5) and `Partial IV` (6) byte strings; other
    /// labels are skipped under the CBOR rules.
    ///
    /// # Errors
    /// [`Error::Cbor`] for a malformed or wrongly tagged message or a header value of the wrong
    /// type, [`Error::TrailingBytes`], [`Error::DuplicateKey`] and [`Error::TooLarge`] as
    /// [`Limits`] sets.
    pub fn decode(bytes: &[u8], profile: Profile, limits: &Limits) -> Result<Self> {
        let mut r = Reader::new(bytes, "COSE_Sign1", Kind::Structure, limits);
        if profile != Profile::Native {
            r = r.allowing_indefinite();
        }
        let mut depth = 1;
        let mut tag = r.tag()?;
        if tag == Some(CWT_TAG) && profile != Profile::Native {
            depth += 1;
            tag = r.tag()?;
        }
        match (tag, profile) {
            (Some(COSE_SIGN1_TAG), _) => depth += 1,
            (Some(other), _) => return Err(r.malformed(format!("unexpected CBOR tag {other}"))),
            (None, Profile::Foreign) => {}
            (None, _) => return Err(r.malformed("missing COSE_Sign1 tag 18")),
        }
        let mut items = r.array_items(depth, "COSE_Sign1")?;
        if items.declared().is_some_and(|n| n != 4) {
            return Err(r.malformed("COSE_Sign1 must be an array of 4 items"));
        }
        let mut next = |r: &mut Reader<'_>| -> Result<()> {
            if r.more(&mut items)? { Ok(()) } else { Err(r.malformed("COSE_Sign1 must be an array of 4 items")) }
        };
        next(&mut r)?;
        let protected = r.byte_string(depth + 1, "the protected header")?.into_owned();
        next(&mut r)?;
        let unprotected_items = r.map_items(depth + 1, "the unprotected header")?;
        let unprotected = header(&mut r, unprotected_items, depth + 2, false)?;
        next(&mut r)?;
        let payload = r.byte_string(depth + 1, "the payload (detached payloads are not supported)")?.into_owned();
        next(&mut r)?;
        let signature = r.byte_string(depth + 1, "the signature")?.into_owned();
        if r.more(&mut items)? {
            return Err(r.malformed("COSE_Sign1 must be an array of 4 items"));
        }
        r.finish()?;
        let (protected_alg, protected_kid) = if protected.is_empty() {
            (None, None)
        } else {
            let mut p = Reader::new(&protected, "protected header", Kind::Structure, limits);
            if profile != Profile::Native {
                p = p.allowing_indefinite();
            }
            let items = p.map_items(1, "the protected header")?;
            let (alg, kid) = header(&mut p, items, 2, true)?;
            p.finish()?;
            (alg, kid.map(|k| k.to_vec()))
        };
        let (unprotected_alg, unprotected_kid) = unprotected;
        let unprotected_kid = unprotected_kid.map(|k| k.to_vec());
        Ok(CoseMessage {
            protected,
            protected_alg,
            protected_kid,
            unprotected_alg,
            unprotected_kid,
            payload,
            signature,
        })
    }

    /// The algorithm named in the protected header.
    ///
    /// # Errors
    /// [`Error::MissingAlg`] if the protected header has none (saying whether the unprotected
    /// one has).
    pub fn protected_alg(&self) -> Result<&Alg> {
        self.protected_alg.as_ref().ok_or(Error::MissingAlg { in_unprotected: self.unprotected_alg.is_some() })
    }

    /// The algorithm of the unprotected header, for formats that allow it there (the DCC).
    pub fn unprotected_alg(&self) -> Option<&Alg> {
        self.unprotected_alg.as_ref()
    }

    /// The kid in the protected header, if there is a non-empty one.
    pub fn protected_kid(&self) -> Option<Kid> {
        self.protected_kid.as_deref().and_then(Kid::new)
    }

    /// Whether the protected header holds a `kid` at all (an empty one included).
    pub fn has_protected_kid(&self) -> bool {
        self.protected_kid.is_some()
    }

    /// The kid in the unprotected header, if there is a non-empty one.
    pub fn unprotected_kid(&self) -> Option<Kid> {
        self.unprotected_kid.as_deref().and_then(Kid::new)
    }

    /// The bytes that were signed: the `Sig_structure` built over the protected header bytes as
    /// they were received, empty external AAD and the payload.
    pub fn signed_bytes(&self) -> Vec<u8> {
        super::sig_structure(&self.protected, &self.payload)
    }

    /// The protected header's bytes, as received.
    pub fn protected(&self) -> &[u8] {
        &self.protected
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The payload bytes (unverified until the signature is checked).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }
}

/// The `alg` and `kid` of a header map (the kid borrowed from the header's bytes).
type Header<'b> = (Option<Alg>, Option<std::borrow::Cow<'b, [u8]>>);

/// Reads a header map's `items` at `depth`: labels integers or text, none twice, `crit`
/// refused in the protected header, every parameter checked by [`parameter`].
fn header<'b>(r: &mut Reader<'b>, mut items: Items, depth: usize, protected: bool) -> Result<Header<'b>> {
    let (mut alg, mut kid) = (None, None);
    let mut seen = Vec::new();
    while r.more(&mut items)? {
        let label = r.key(depth, &mut seen)?;
        if protected && label == Key::Int(2) {
            return Err(r.malformed("critical header parameters are not supported"));
        }
        match parameter(r, &label, depth)? {
            Parameter::Alg(value) => alg = Some(value),
            Parameter::Kid(value) => kid = Some(value),
            Parameter::Other => {}
        }
    }
    Ok((alg, kid))
}

/// A header parameter's value, as far as the verifiers use it.
enum Parameter<'b> {
    /// `alg` (label 1).
    Alg(Alg),
    /// `kid` (label 4).
    Kid(std::borrow::Cow<'b, [u8]>),
    /// Any other label, its value checked and skipped.
    Other,
}

/// Reads the value of header label `label` at `depth`, holding the common parameters of
/// RFC 9052 §3.1 to their types in either header (FORMAT.md §3): `alg` (1) an integer or a text
/// string, `crit` (2) a non-empty array of integers or text strings, `content type` (3) an
/// unsigned integer or a text string, `kid` (4), `IV` (5) and `Partial IV` (6) byte strings.
/// Any other label's value is skipped under the CBOR rules of §4.
fn parameter<'b>(r: &mut Reader<'b>, label: &Key<'_>, depth: usize) -> Result<Parameter<'b>> {
    Ok(match label {
        Key::Int(1) => Parameter::Alg(match r.int_or_text(depth, "alg")? {
            Key::Int(n) => Alg::Int(n),
            Key::Text(t) => Alg::Text(t.into()),
        }),
        Key::Int(2) => {
            let mut items = r.array_items(depth, "crit")?;
            if items.declared() == Some(0) {
                return Err(r.wrong("crit", "a non-empty array"));
            }
            let mut count = 0;
            while r.more(&mut items)? {
                r.int_or_text(depth + 1, "a crit label")?;
                count += 1;
            }
            if count == 0 {
                return Err(r.wrong("crit", "a non-empty array"));
            }
            Parameter::Other
        }
        Key::Int(3) => {
            let wrong = |r: &Reader<'_>| r.wrong("content type", "an unsigned integer or a text string");
            match r.int_or_text_else(depth, wrong)? {
                Key::Int(n) if n < 0 => return Err(wrong(&*r)),
                _ => Parameter::Other,
            }
        }
        Key::Int(4) => Parameter::Kid(r.byte_string(depth, "kid")?),
        Key::Int(5) => r.byte_string(depth, "IV").map(|_| Parameter::Other)?,
        Key::Int(6) => r.byte_string(depth, "Partial IV").map(|_| Parameter::Other)?,
        _ => r.skip(depth).map(|()| Parameter::Other)?,
    })
}
