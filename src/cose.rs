//! COSE_Sign1 (RFC 9052) for native codes: building a signed message, and reading one back with
//! the protected header kept exactly as received.

use ciborium::Value;
use coset::{
    AsCborValue, CborSerializable, CoseSign1, CoseSign1Builder, HeaderBuilder, RegisteredLabelWithPrivate,
    TaggedCborSerializable, iana,
};

use crate::claims::cose_error;
use crate::keys::{Kid, SigningKey};
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
        let value = match cbor::read(bytes, step, limits)? {
            Value::Tag(COSE_SIGN1_TAG, inner) => *inner,
            Value::Tag(other, _) => {
                return Err(Error::Cbor { step, detail: format!("unexpected CBOR tag {other}") });
            }
            _ if require_tag => return Err(Error::Cbor { step, detail: "missing COSE_Sign1 tag 18".into() }),
            untagged => untagged,
        };
        // The protected header is a byte string holding CBOR: the same rules apply inside it.
        if let Value::Array(items) = &value {
            if let Some(Value::Bytes(protected)) = items.first() {
                if !protected.is_empty() {
                    cbor::read(protected, "protected header", limits)?;
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
    pub(crate) fn alg_is(alg: &coset::Algorithm, expected: iana::Algorithm) -> bool {
        *alg == RegisteredLabelWithPrivate::Assigned(expected)
    }
}

/// Encodes a COSE_Sign1 for tests and vectors that need hand-made (often malformed) messages.
#[doc(hidden)]
pub fn encode_untrusted(sign1: CoseSign1, tagged: bool) -> Vec<u8> {
    let result = if tagged { sign1.to_tagged_vec() } else { sign1.to_vec() };
    result.unwrap_or_default()
}
