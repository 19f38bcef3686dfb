//! COSE_Sign1 (RFC 9052) for native codes: building a signed message, and reading one back with
//! the protected header kept exactly as received.

use ciborium::Value;
use coset::{
    AsCborValue, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, RegisteredLabelWithPrivate,
    TaggedCborSerializable, iana,
};

use crate::claims::cose_error;
use crate::keys::{Kid, SigningKey};
use std::ops::Range;

use crate::cbor::{Key, Kind, Reader};
use crate::{Error, Limits, Result, cbor};

/// The CBOR tag of COSE_Sign1.
const COSE_SIGN1_TAG: u64 = 18;

/// Signs `payload` as a tagged COSE_Sign1 with alg EdDSA and the key's kid in the protected
/// header, an empty unprotected header and empty external AAD.
pub(crate) fn sign(payload: Vec<u8>, key: &SigningKey) -> Result<Vec<u8>> {
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid().0).build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(&[], |tbs| key.sign(tbs).to_vec())
        .build()
        .to_tagged_vec()
        .map_err(|e| Error::Cbor { step: "COSE_Sign1", detail: e.to_string() })
}

/// A COSE_Sign1 message that has been parsed but whose signature has not been checked.
#[derive(Debug, Clone)]
pub struct CoseMessage(CoseSign1);

impl CoseMessage {
    /// Parses a COSE_Sign1 under `limits`. With `require_tag`, the message must carry CBOR tag 18
    /// (native codes); otherwise an untagged message is accepted too (the DCC allows both).
    ///
    /// # Errors
    /// [`Error::Cbor`] for a malformed or wrongly tagged message, [`Error::TrailingBytes`],
    /// [`Error::DuplicateKey`] and [`Error::TooLarge`] as [`crate::Limits`] sets.
    pub fn decode(bytes: &[u8], require_tag: bool, limits: &Limits) -> Result<Self> {
        let step = "COSE_Sign1";
        let value = match cbor::read_foreign(bytes, step, limits)? {
            Value::Tag(COSE_SIGN1_TAG, inner) => *inner,
            Value::Tag(other, _) => {
                return Err(Error::Cbor { step, detail: format!("unexpected CBOR tag {other}") });
            }
            _ if require_tag => return Err(Error::Cbor { step, detail: "missing COSE_Sign1 tag 18".into() }),
            untagged => untagged,
        };
        // coset parses the protected header's bytes itself, under none of our limits: hold them
        // to the same rules (depth, counts, definite lengths, duplicate keys) first.
        if let Value::Array(items) = &value {
            if let Some(Value::Bytes(protected)) = items.first() {
                if !protected.is_empty() {
                    cbor::read_foreign(protected, "protected header", limits)?;
                }
            }
        }
        let sign1 = CoseSign1::from_cbor_value(value).map_err(|e| cose_error(e, step))?;
        if !sign1.protected.header.crit.is_empty() {
            return Err(Error::Cbor {
                step: "protected header",
                detail: "critical header parameters are not supported".into(),
            });
        }
        if sign1.payload.is_none() {
            return Err(Error::Cbor { step, detail: "detached payloads are not supported".into() });
        }
        Ok(CoseMessage(sign1))
    }

    /// The algorithm named in the protected header. An `alg` in the unprotected header is never used.
    ///
    /// # Errors
    /// [`Error::MissingAlg`] if the protected header has none.
    pub fn protected_alg(&self) -> Result<&coset::Algorithm> {
        self.0
            .protected
            .header
            .alg
            .as_ref()
            .ok_or(Error::MissingAlg { in_unprotected: self.0.unprotected.alg.is_some() })
    }

    /// The algorithm of the unprotected header, for formats that allow it there (the DCC).
    pub fn unprotected_alg(&self) -> Option<&coset::Algorithm> {
        self.0.unprotected.alg.as_ref()
    }

    /// The kid in the protected header, if any.
    pub fn protected_kid(&self) -> Option<Kid> {
        let kid = &self.0.protected.header.key_id;
        (!kid.is_empty()).then(|| Kid(kid.clone()))
    }

    /// The kid in the unprotected header, if any.
    pub fn unprotected_kid(&self) -> Option<Kid> {
        let kid = &self.0.unprotected.key_id;
        (!kid.is_empty()).then(|| Kid(kid.clone()))
    }

    /// The bytes that were signed: the `Sig_structure` built over the protected header bytes as
    /// they were received, empty external AAD and the payload.
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.0.tbs_data(&[])
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.0.signature
    }

    /// The payload bytes (unverified until the signature is checked).
    pub fn payload(&self) -> &[u8] {
        self.0.payload.as_deref().unwrap_or_default()
    }

    /// Whether the protected header names `alg`.
    pub fn alg_is(alg: &coset::Algorithm, expected: iana::Algorithm) -> bool {
        *alg == RegisteredLabelWithPrivate::Assigned(expected)
    }
}

/// Encodes a COSE_Sign1 for tests and vectors that need hand-made (often malformed) messages.
#[doc(hidden)]
pub fn encode_untrusted(sign1: CoseSign1, tagged: bool) -> Vec<u8> {
    let result = if tagged { sign1.to_tagged_vec() } else { sign1.to_vec() };
    result.unwrap_or_default()
}

/// An `alg` value: COSE allows an integer or a text string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AlgValue {
    Int(i128),
    Text(String),
}

impl std::fmt::Display for AlgValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AlgValue::Int(n) => write!(f, "alg {n}"),
            AlgValue::Text(t) => write!(f, "alg {t:?}"),
        }
    }
}

/// A native COSE_Sign1, read in one pass without copying: where each part lies in the bytes.
#[derive(Debug, Clone)]
pub(crate) struct NativeSign1 {
    pub(crate) protected: Range<usize>,
    pub(crate) payload: Range<usize>,
    pub(crate) signature: Range<usize>,
    /// `alg` of the protected header.
    pub(crate) alg: Option<AlgValue>,
    /// Whether the unprotected header names an `alg` (never used, only reported).
    pub(crate) unprotected_alg: bool,
    /// `kid` of the protected header, as a range of the bytes.
    pub(crate) kid: Option<Range<usize>>,
}

/// Reads a native COSE_Sign1 (FORMAT.md §3 and §4): tag 18, an array of four, the protected
/// header's bytes kept as received and read under the same rules, any unprotected map, an
/// embedded payload and a signature.
///
/// # Errors
/// [`Error::Cbor`], [`Error::TrailingBytes`], [`Error::DuplicateKey`], [`Error::TooLarge`].
pub(crate) fn decode_native(bytes: &[u8], limits: &Limits) -> Result<NativeSign1> {
    let mut r = Reader::new(bytes, "COSE_Sign1", Kind::Structure, limits);
    match r.tag()? {
        Some(COSE_SIGN1_TAG) => {}
        Some(other) => return Err(r.malformed(format!("unexpected CBOR tag {other}"))),
        None => return Err(r.malformed("missing COSE_Sign1 tag 18")),
    }
    if r.array(2, "COSE_Sign1")? != 4 {
        return Err(r.malformed("COSE_Sign1 must be an array of 4 items"));
    }
    let protected = r.bytes_range(3, "the protected header")?;
    let mut unprotected_alg = false;
    let mut seen = Vec::new();
    for _ in 0..r.map(3, "the unprotected header")? {
        if r.key(4, &mut seen)? == Key::Int(1) {
            unprotected_alg = true;
        }
        r.skip(4)?;
    }
    let payload = r.bytes_range(3, "the payload (detached payloads are not supported)")?;
    let signature = r.bytes_range(3, "the signature")?;
    r.finish()?;
    let (alg, kid) = decode_protected(bytes.get(protected.clone()).unwrap_or_default(), limits)?;
    let kid = kid.map(|k| k.start + protected.start..k.end + protected.start);
    Ok(NativeSign1 { protected, payload, signature, alg, unprotected_alg, kid })
}

/// The protected header: `alg` (1) and `kid` (4); `crit` (2) is refused, other labels skipped.
fn decode_protected(bytes: &[u8], limits: &Limits) -> Result<(Option<AlgValue>, Option<Range<usize>>)> {
    if bytes.is_empty() {
        return Ok((None, None));
    }
    let mut r = Reader::new(bytes, "protected header", Kind::Structure, limits);
    let (mut alg, mut kid) = (None, None);
    let mut seen = Vec::new();
    for _ in 0..r.map(1, "the protected header")? {
        match r.key(2, &mut seen)? {
            Key::Int(1) => {
                alg = Some(match r.label(2)? {
                    Key::Int(n) => AlgValue::Int(n),
                    Key::Text(t) => AlgValue::Text(t.into()),
                });
            }
            Key::Int(2) => return Err(r.malformed("critical header parameters are not supported")),
            Key::Int(4) => kid = Some(r.bytes_range(2, "kid")?),
            _ => r.skip(2)?,
        }
    }
    r.finish()?;
    Ok((alg, kid))
}
