//! `decode` of NZ COVID Pass (`NZCP:/1/`) and SMART Health Card (`shc:/`) codes: what they
//! claim, read WITHOUT checking anything, for people looking at a code.
//!
//! Hand-written here because the interop crate offers these formats only through their
//! verifiers; its unverified readers (as `UnverifiedDcc` for the DCC) would be the place for
//! this. The steps are the formats' own, each under the core's limits: base32 (RFC 4648) →
//! COSE_Sign1 (coset) → CWT CBOR (ciborium, mapped to JSON as the interop crate maps it) for
//! NZCP; numeric chunks → JWS (the interop crate's `assemble`) → base64url → bounded raw
//! DEFLATE (the core's `inflate_framed`) → JSON for SHC.

use base64::Engine;
use coset::{CborSerializable, TaggedCborSerializable};
use healthpass::transport::{Framing, inflate_framed, strip_prefix};
use healthpass::{Error, Limits};
use serde_json::{Value, json};

use crate::common::Failure;

fn failed(format: &str, step: &str, detail: impl std::fmt::Display) -> Failure {
    Failure::Usage(format!("{format} {step}: {detail}"))
}

/// The NZ COVID Pass's header and CWT claims, unverified.
pub(crate) fn nzcp(text: &str) -> Result<Value, Failure> {
    let limits = Limits::DEFAULT;
    let rest = strip_prefix(text, "NZCP:/", &limits)?;
    let data = rest.strip_prefix("1/").ok_or_else(|| failed("NZCP", "prefix", "only version 1 is supported"))?;
    let bytes = data_encoding::BASE32_NOPAD
        .decode(data.as_bytes())
        .map_err(|_| failed("NZCP", "base32", "not RFC 4648 base32 without padding"))?;
    let sign1 = coset::CoseSign1::from_tagged_slice(&bytes)
        .or_else(|_| coset::CoseSign1::from_slice(&bytes))
        .map_err(|e| failed("NZCP", "COSE", e))?;
    let payload = sign1.payload.as_deref().ok_or_else(|| failed("NZCP", "COSE", "no payload"))?;
    if payload.len() > limits.max_decompressed_len {
        return Err(Error::TooLarge { what: "NZCP payload", limit: limits.max_decompressed_len }.into());
    }
    let cwt: ciborium::Value = ciborium::from_reader(payload).map_err(|e| failed("NZCP", "CWT", e))?;
    let kid = String::from_utf8_lossy(&sign1.protected.header.key_id).into_owned();
    Ok(json!({
        "UNVERIFIED": true,
        "format": "NZCP",
        "kid": kid,
        "cwt": healthpass_interop::cbor_to_json(&cwt, 0)?,
    }))
}

/// The SMART Health Card's JWS header and payload, unverified (every chunk of a split card is
/// needed: give the whole card's single chunk).
pub(crate) fn shc(text: &str) -> Result<Value, Failure> {
    let limits = Limits::DEFAULT;
    let jws = healthpass_interop::shc::assemble(&[text], &limits)?;
    let mut parts = jws.split('.');
    let (Some(header), Some(payload), Some(_), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(failed("SHC", "JWS", "not three dot-separated parts"));
    };
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = b64.decode(header).map_err(|e| failed("SHC", "JWS header", e))?;
    let header: Value = serde_json::from_slice(&header).map_err(|e| failed("SHC", "JWS header", e))?;
    let deflated = b64.decode(payload).map_err(|e| failed("SHC", "JWS payload", e))?;
    let payload = inflate_framed(&deflated, Framing::RawDeflate, &limits)?;
    let payload: Value = serde_json::from_slice(&payload).map_err(|e| failed("SHC", "JWS payload", e))?;
    Ok(json!({ "UNVERIFIED": true, "format": "SHC", "header": header, "payload": payload }))
}
