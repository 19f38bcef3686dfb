//! COSE_Sign1 (RFC 9052): building a signed message (`sign`, for the issuer and signed
//! lists), and the one reader of every COSE_Sign1 the crates verify ([`CoseMessage::decode`]
//! under a [`Profile`]), which keeps the protected header exactly as received.

mod read;

pub use read::{Alg, CoseMessage, Profile};

use crate::Result;
use crate::keys::SigningKey;

/// Signs `payload` as a tagged COSE_Sign1 with alg EdDSA and the key's kid in the protected
/// header, an empty unprotected header and empty external AAD (FORMAT.md §3).
///
/// Written byte by byte rather than with coset: the message has one fixed shape, and building
/// it here keeps coset out of the crate's dependencies. A test holds the bytes equal to what
/// coset's builder makes.
pub(crate) fn sign(payload: Vec<u8>, key: &SigningKey) -> Result<Vec<u8>> {
    // {1: -8, 4: kid}, deterministically encoded.
    let mut protected = vec![0xa2, 0x01, 0x27, 0x04];
    byte_string(&mut protected, &key.kid().into_bytes());
    let signature = key.sign(&sig_structure(&protected, &payload));
    let mut out = Vec::with_capacity(protected.len() + payload.len() + 80);
    out.extend_from_slice(&[0xd2, 0x84]);
    byte_string(&mut out, &protected);
    out.push(0xa0);
    byte_string(&mut out, &payload);
    byte_string(&mut out, &signature);
    Ok(out)
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
