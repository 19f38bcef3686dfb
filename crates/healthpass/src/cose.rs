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
    let protected = HeaderBuilder::new().algorithm(iana::Algorithm::EdDSA).key_id(key.kid().into_bytes()).build();
    CoseSign1Builder::new()
        .protected(protected)
        .payload(payload)
        .create_signature(&[], |tbs| key.sign(tbs).to_vec())
        .build()
        .to_tagged_vec()
        .map_err(|e| Error::Cbor { step: "COSE_Sign1", detail: e.to_string() })
}

/// A COSE_Sign1 message that has been parsed but whose signature has not been checked.
#[derive(Debug, Clone, PartialEq)]
pub struct CoseMessage {
    /// The protected header's bytes, exactly as received.
    protected: Vec<u8>,
    protected_alg: Option<coset::Algorithm>,
    protected_kid: Vec<u8>,
    unprotected_alg: Option<coset::Algorithm>,
    unprotected_kid: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl CoseMessage {
    /// Parses a COSE_Sign1 under `limits`. With `require_tag`, the message must carry CBOR tag 18
    /// (native codes); otherwise an untagged message is accepted too (the DCC allows both).
    ///
    /// The common shape (definite lengths; headers holding only `alg` ES256, PS256 or EdDSA and
    /// `kid`) is read straight from the bytes; anything else goes through a checked CBOR tree and
    /// `coset`, which accepts or refuses it exactly as before. A test holds the two paths equal.
    ///
    /// # Errors
    /// [`Error::Cbor`] for a malformed or wrongly tagged message, [`Error::TrailingBytes`],
    /// [`Error::DuplicateKey`] and [`Error::TooLarge`] as [`crate::Limits`] sets.
    pub fn decode(bytes: &[u8], require_tag: bool, limits: &Limits) -> Result<Self> {
        match plain::read(bytes, require_tag, limits) {
            Some(message) => Ok(message),
            None => CoseMessage::decode_general(bytes, require_tag, limits),
        }
    }

    /// Any COSE_Sign1, through a checked ciborium tree and coset.
    fn decode_general(bytes: &[u8], require_tag: bool, limits: &Limits) -> Result<Self> {
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
        let mut protected = Vec::new();
        if let Value::Array(items) = &value {
            if let Some(Value::Bytes(received)) = items.first() {
                if !received.is_empty() {
                    cbor::read_foreign(received, "protected header", limits)?;
                }
                protected.clone_from(received);
            }
        }
        let sign1 = CoseSign1::from_cbor_value(value).map_err(|e| cose_error(e, step))?;
        if !sign1.protected.header.crit.is_empty() {
            return Err(Error::Cbor {
                step: "protected header",
                detail: "critical header parameters are not supported".into(),
            });
        }
        let Some(payload) = sign1.payload else {
            return Err(Error::Cbor { step, detail: "detached payloads are not supported".into() });
        };
        Ok(CoseMessage {
            protected,
            protected_alg: sign1.protected.header.alg,
            protected_kid: sign1.protected.header.key_id,
            unprotected_alg: sign1.unprotected.alg,
            unprotected_kid: sign1.unprotected.key_id,
            payload,
            signature: sign1.signature,
        })
    }

    /// The algorithm named in the protected header. An `alg` in the unprotected header is never used.
    ///
    /// # Errors
    /// [`Error::MissingAlg`] if the protected header has none.
    pub fn protected_alg(&self) -> Result<&coset::Algorithm> {
        self.protected_alg.as_ref().ok_or(Error::MissingAlg { in_unprotected: self.unprotected_alg.is_some() })
    }

    /// The algorithm of the unprotected header, for formats that allow it there (the DCC).
    pub fn unprotected_alg(&self) -> Option<&coset::Algorithm> {
        self.unprotected_alg.as_ref()
    }

    /// The kid in the protected header, if any.
    pub fn protected_kid(&self) -> Option<Kid> {
        Kid::new(self.protected_kid.clone())
    }

    /// The kid in the unprotected header, if any.
    pub fn unprotected_kid(&self) -> Option<Kid> {
        Kid::new(self.unprotected_kid.clone())
    }

    /// The bytes that were signed: the `Sig_structure` built over the protected header bytes as
    /// they were received, empty external AAD and the payload.
    pub fn signed_bytes(&self) -> Vec<u8> {
        sig_structure(&self.protected, &self.payload)
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// The payload bytes (unverified until the signature is checked).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// Whether the protected header names `alg`.
    pub fn alg_is(alg: &coset::Algorithm, expected: iana::Algorithm) -> bool {
        *alg == RegisteredLabelWithPrivate::Assigned(expected)
    }
}

/// For fuzzing (not part of the API): whether the plain reader, where it answers for `bytes`,
/// gives what the general path gives.
#[doc(hidden)]
pub fn plain_path_agrees(bytes: &[u8], require_tag: bool, limits: &Limits) -> bool {
    plain::read(bytes, require_tag, limits)
        .is_none_or(|fast| CoseMessage::decode_general(bytes, require_tag, limits).is_ok_and(|general| general == fast))
}

/// The common COSE_Sign1 shape, read without a tree.
mod plain {
    use coset::{RegisteredLabelWithPrivate::Assigned, iana::Algorithm};

    use super::{COSE_SIGN1_TAG, CoseMessage};
    use crate::Limits;
    use crate::cbor::{Key, Kind, Reader};

    /// The message, if it has the common shape: an optional tag 18 (required with
    /// `require_tag`), an array of four definite items, headers as [`header`] reads them, and
    /// nothing after. `None` for anything else, including every malformed input.
    pub(super) fn read(bytes: &[u8], require_tag: bool, limits: &Limits) -> Option<CoseMessage> {
        let mut r = Reader::new(bytes, "COSE_Sign1", Kind::Structure, limits);
        match r.tag().ok()? {
            Some(COSE_SIGN1_TAG) => {}
            None if !require_tag => {}
            _ => return None,
        }
        let depth = 1 + usize::from(bytes.first().is_some_and(|b| b >> 5 == 6));
        if r.array(depth, "").ok()? != 4 {
            return None;
        }
        let protected = r.bytes(depth + 1, "").ok()?;
        let (protected_alg, protected_kid) = if protected.is_empty() {
            (None, Vec::new())
        } else {
            let mut p = Reader::new(protected, "protected header", Kind::Structure, limits);
            let count = p.map(1, "").ok()?;
            let header = header(&mut p, count, 2)?;
            p.finish().ok()?;
            header
        };
        let count = r.map(depth + 1, "").ok()?;
        let (unprotected_alg, unprotected_kid) = header(&mut r, count, depth + 2)?;
        let payload = r.bytes(depth + 1, "").ok()?;
        let signature = r.bytes(depth + 1, "").ok()?;
        r.finish().ok()?;
        Some(CoseMessage {
            protected: protected.to_vec(),
            protected_alg,
            protected_kid,
            unprotected_alg,
            unprotected_kid,
            payload: payload.to_vec(),
            signature: signature.to_vec(),
        })
    }

    /// A header map of `count` entries at `depth` holding at most `alg` (1) as ES256, PS256 or
    /// EdDSA and `kid` (4) as a non-empty byte string, each once; `None` for any other label or
    /// value.
    fn header(r: &mut Reader<'_>, count: usize, depth: usize) -> Option<(Option<coset::Algorithm>, Vec<u8>)> {
        let (mut alg, mut kid) = (None, None);
        for _ in 0..count {
            match r.label(depth).ok()? {
                Key::Int(1) if alg.is_none() => {
                    alg = Some(Assigned(match r.label(depth).ok()? {
                        Key::Int(-7) => Algorithm::ES256,
                        Key::Int(-37) => Algorithm::PS256,
                        Key::Int(-8) => Algorithm::EdDSA,
                        _ => return None,
                    }));
                }
                // coset refuses an empty kid.
                Key::Int(4) if kid.is_none() => kid = Some(r.bytes(depth, "").ok().filter(|k| !k.is_empty())?.to_vec()),
                _ => return None,
            }
        }
        Some((alg, kid.unwrap_or_default()))
    }
}

/// The bytes a COSE_Sign1 signature covers: `["Signature1", protected header bytes as received,
/// h'' (empty external AAD), payload]` (RFC 9052 §4.4).
pub(crate) fn sig_structure(protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(protected.len() + payload.len() + 24);
    out.extend_from_slice(&[0x84, 0x6a]);
    out.extend_from_slice(b"Signature1");
    byte_string(&mut out, protected);
    out.push(0x40);
    byte_string(&mut out, payload);
    out
}

/// Appends a CBOR byte string (RFC 8949 §3.1, major type 2, shortest length form).
fn byte_string(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = bytes.len();
    match u32::try_from(len) {
        Ok(n) if n < 24 => out.push(0x40 | n as u8),
        Ok(n) if n <= 0xff => out.extend_from_slice(&[0x58, n as u8]),
        Ok(n) if n <= 0xffff => {
            out.push(0x59);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        Ok(n) => {
            out.push(0x5a);
            out.extend_from_slice(&n.to_be_bytes());
        }
        Err(_) => {
            out.push(0x5b);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(bytes);
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use healthpass_testkit::vectors::{published_cose as published, with_changes};

    /// The plain path accepts only what the general path accepts, and reads it the same.
    #[test]
    fn the_plain_path_reads_as_the_general_path_does() {
        let limits = Limits::DEFAULT;
        let (mut plain_count, mut total) = (0, 0);
        for message in with_changes(published(), 0..80) {
            for inner in [&message[..], message.strip_prefix(&[0xd8, 0x3d][..]).unwrap_or(&message)] {
                for require_tag in [false, true] {
                    total += 1;
                    if let Some(fast) = plain::read(inner, require_tag, &limits) {
                        plain_count += 1;
                        let general = CoseMessage::decode_general(inner, require_tag, &limits);
                        assert_eq!(general.as_ref(), Ok(&fast), "{}", hex::encode(inner));
                        assert_eq!(fast.signed_bytes(), general.unwrap().signed_bytes());
                    }
                }
            }
        }
        // Most of the published messages take the plain path.
        assert!(plain_count > total / 4, "{plain_count} of {total}");
    }

    #[test]
    fn the_sig_structure_is_coset_s() {
        let sign1 = CoseSign1Builder::new()
            .protected(HeaderBuilder::new().algorithm(iana::Algorithm::ES256).key_id(vec![1; 8]).build())
            .payload(vec![7; 300])
            .signature(vec![9; 64])
            .build();
        let bytes = sign1.clone().to_tagged_vec().unwrap();
        let message = CoseMessage::decode(&bytes, true, &Limits::DEFAULT).unwrap();
        assert_eq!(message.signed_bytes(), sign1.tbs_data(&[]));
        assert!(plain::read(&bytes, true, &Limits::DEFAULT).is_some());
    }
}
