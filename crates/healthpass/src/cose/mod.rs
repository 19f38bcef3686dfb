//! COSE_Sign1 (RFC 9052): building a signed message ([`sign`], for the issuer and signed
//! lists), and the one reader of every COSE_Sign1 the crates verify ([`CoseMessage::decode`]
//! under a [`Profile`]), which keeps the protected header exactly as received.

mod read;

pub use read::{Alg, CoseMessage, Profile};

use coset::{CoseSign1Builder, HeaderBuilder, TaggedCborSerializable, iana};

use crate::Result;
use crate::claims::cose_error;
use crate::keys::SigningKey;

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
        .map_err(|e| cose_error(e, "COSE_Sign1"))
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

#[cfg(test)]
mod tests;
