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
        let label = r.key(4, &mut seen)?;
        if let Parameter::Alg(_) = parameter(&mut r, &label, 4)? {
            unprotected_alg = true;
        }
    }
    let payload = r.bytes_range(3, "the payload (detached payloads are not supported)")?;
    let signature = r.bytes_range(3, "the signature")?;
    r.finish()?;
    let (alg, kid) = decode_protected(bytes.get(protected.clone()).unwrap_or_default(), limits)?;
    let kid = kid.map(|k| k.start + protected.start..k.end + protected.start);
    Ok(NativeSign1 { protected, payload, signature, alg, unprotected_alg, kid })
}

/// The protected header: `alg` (1) and `kid` (4); `crit` (2) is refused, other labels are
/// checked as [`parameter`] does and skipped.
fn decode_protected(bytes: &[u8], limits: &Limits) -> Result<(Option<AlgValue>, Option<Range<usize>>)> {
    if bytes.is_empty() {
        return Ok((None, None));
    }
    let mut r = Reader::new(bytes, "protected header", Kind::Structure, limits);
    let (mut alg, mut kid) = (None, None);
    let mut seen = Vec::new();
    for _ in 0..r.map(1, "the protected header")? {
        let label = r.key(2, &mut seen)?;
        if label == Key::Int(2) {
            return Err(r.malformed("critical header parameters are not supported"));
        }
        match parameter(&mut r, &label, 2)? {
            Parameter::Alg(value) => alg = Some(value),
            Parameter::Kid(range) => kid = Some(range),
            Parameter::Other => {}
        }
    }
    r.finish()?;
    Ok((alg, kid))
}

/// A header parameter's value, as far as native codes use it.
enum Parameter {
    /// `alg` (label 1).
    Alg(AlgValue),
    /// `kid` (label 4), as a range of the header's bytes.
    Kid(Range<usize>),
    /// Any other label, its value checked and skipped.
    Other,
}

/// Reads the value of header label `label` at `depth`, holding the common parameters of
/// RFC 9052 §3.1 to their types in either header (FORMAT.md §3): `alg` (1) an integer or a text
/// string, `crit` (2) a non-empty array of integers or text strings, `content type` (3) an
/// unsigned integer or a text string, `kid` (4), `IV` (5) and `Partial IV` (6) byte strings.
/// Any other label's value is skipped under the CBOR rules of §4.
///
/// # Errors
/// [`Error::Cbor`] for a value of the wrong type, and the errors of [`Reader::skip`].
fn parameter(r: &mut Reader<'_>, label: &Key<'_>, depth: usize) -> Result<Parameter> {
    Ok(match label {
        Key::Int(1) => Parameter::Alg(match r.int_or_text(depth, "alg")? {
            Key::Int(n) => AlgValue::Int(n),
            Key::Text(t) => AlgValue::Text(t.into()),
        }),
        Key::Int(2) => {
            let count = r.array(depth, "crit")?;
            if count == 0 {
                return Err(r.wrong("crit", "a non-empty array"));
            }
            for _ in 0..count {
                r.int_or_text(depth + 1, "a crit label")?;
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
        Key::Int(4) => Parameter::Kid(r.bytes_range(depth, "kid")?),
        Key::Int(5) => r.bytes_range(depth, "IV").map(|_| Parameter::Other)?,
        Key::Int(6) => r.bytes_range(depth, "Partial IV").map(|_| Parameter::Other)?,
        _ => r.skip(depth).map(|()| Parameter::Other)?,
    })
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

    /// A tagged COSE_Sign1 of these header bytes around `payload`, signed by `key`.
    fn raw_sign1(protected: &[u8], unprotected: &[u8], payload: &[u8], key: &SigningKey) -> Vec<u8> {
        let mut out = vec![0xd2, 0x84];
        byte_string(&mut out, protected);
        out.extend_from_slice(unprotected);
        byte_string(&mut out, payload);
        byte_string(&mut out, &key.sign(&sig_structure(protected, payload)));
        out
    }

    /// FORMAT.md §3: `kid` as text, `alg` as bytes, `content type` as bytes and `IV` as text are
    /// `cbor` errors at step 4, in the protected header and in the unprotected one, although the
    /// code is otherwise well signed; the right types pass.
    #[test]
    fn known_header_labels_with_the_wrong_type_are_cbor_errors() {
        let key = SigningKey::from_seed(&[0x11; 32]);
        let kid = key.kid().into_bytes();
        let payload = [0xa0];
        let protected = |extra: &[u8], count: u8| [&[0xa0 + count, 0x01, 0x27, 0x04, 0x48][..], &kid, extra].concat();
        let wrong: [(&[u8], &str); 4] = [
            (&[0x04, 0x61, 0x61], "kid must be a byte string"),
            (&[0x01, 0x41, 0x27], "alg must be an integer or a text string"),
            (&[0x03, 0x41, 0x00], "content type must be an unsigned integer or a text string"),
            (&[0x05, 0x61, 0x61], "IV must be a byte string"),
        ];
        for (parameter, detail) in wrong {
            let detail = detail.to_string();
            // In the protected header, in place of the right value or beside alg and kid.
            let bytes = match parameter.first() {
                Some(0x01) => [&[0xa2][..], parameter, &[0x04, 0x48], &kid].concat(),
                Some(0x04) => [&[0xa2, 0x01, 0x27][..], parameter].concat(),
                _ => protected(parameter, 3),
            };
            let cose = raw_sign1(&bytes, &[0xa0], &payload, &key);
            assert_eq!(
                decode_native(&cose, &Limits::DEFAULT).unwrap_err(),
                Error::Cbor { step: "protected header", detail: detail.clone() },
                "{}",
                hex::encode(&bytes)
            );
            let cose = raw_sign1(&protected(&[], 2), &[&[0xa1][..], parameter].concat(), &payload, &key);
            assert_eq!(
                decode_native(&cose, &Limits::DEFAULT).unwrap_err(),
                Error::Cbor { step: "COSE_Sign1", detail },
                "{}",
                hex::encode(parameter)
            );
        }
        // The other checked types: crit (an array of labels, refused anyway when protected),
        // content type as a negative integer, Partial IV as text.
        for (unprotected, detail) in [
            (&[0xa1, 0x02, 0x80][..], "crit must be a non-empty array"),
            (&[0xa1, 0x02, 0x81, 0x40], "a crit label must be an integer or a text string"),
            (&[0xa1, 0x03, 0x20], "content type must be an unsigned integer or a text string"),
            (&[0xa1, 0x06, 0x61, 0x61], "Partial IV must be a byte string"),
        ] {
            let cose = raw_sign1(&protected(&[], 2), unprotected, &payload, &key);
            assert_eq!(
                decode_native(&cose, &Limits::DEFAULT).unwrap_err(),
                Error::Cbor { step: "COSE_Sign1", detail: detail.into() }
            );
        }
        // Values of the right type, in both headers, are read past; an empty kid is a kid
        // (`missing_kid` at step 6), and an unprotected alg is only reported.
        let right = [0x02, 0x82, 0x01, 0x63, b'a', b'/', b'b', 0x03, 0x00, 0x06, 0x41, 0x01];
        for unprotected in [
            [&[0xa4, 0x01, 0x26], &right[..]].concat(),
            vec![0xa3, 0x03, 0x63, b'a', b'/', b'b', 0x04, 0x40, 0x05, 0x41, 0x01],
        ] {
            let cose = raw_sign1(&protected(&[0x03, 0x00, 0x05, 0x40], 4), &unprotected, &payload, &key);
            let parts = decode_native(&cose, &Limits::DEFAULT).unwrap();
            assert_eq!(parts.alg, Some(AlgValue::Int(-8)));
            assert_eq!(parts.unprotected_alg, unprotected[2] == 0x26);
        }
        let cose = raw_sign1(&[0xa2, 0x01, 0x65, b'E', b'd', b'D', b'S', b'A', 0x04, 0x40], &[0xa0], &payload, &key);
        let parts = decode_native(&cose, &Limits::DEFAULT).unwrap();
        assert_eq!((parts.alg, parts.kid.map(|k| k.len())), (Some(AlgValue::Text("EdDSA".into())), Some(0)));
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
