//! Other systems' codes behind the same verdict type as native ones: the EU Digital COVID
//! Certificate (`HC1:`), the NZ COVID Pass (`NZCP:/1/`) and SMART Health Cards (`shc:/`).
//!
//! Each format has its own verifier, taking trusted [`ForeignKeys`] (or an issuer's published
//! keys) and a clock; each returns a [`ForeignCode`] whose `claims` is the same
//! [`Verified<Claims>`] a native code gives, so a checkpoint policy written for native codes
//! applies unchanged. The format's own typed payload travels beside it. `docs/INTEROP.md` lists
//! what is checked for each format.

#[cfg(not(any(feature = "ring", feature = "aws-lc")))]
compile_error!("healthpass-interop checks ES256/PS256 with `ring` (the default feature) or `aws-lc`: enable one");

pub mod crypto;
pub mod dcc;
pub mod dcc_csca;
pub mod dcc_revocation;
pub mod nzcp;
pub mod policy_rules;
pub mod shc;

use ciborium::Value;
use serde::Serialize;

pub use crypto::jwk_thumbprint;
pub use crypto::{CertificateInfo, DccUsage, ForeignAlg, ForeignKey, ForeignKeys, SignerCertificate, dcc_kid};

use healthpass::{Claims, Error, Result, Verified};

/// A foreign code format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// EU Digital COVID Certificate (`HC1:`).
    Dcc,
    /// NZ COVID Pass (`NZCP:/1/`).
    Nzcp,
    /// SMART Health Card (`shc:/`).
    Shc,
}

impl Format {
    /// The format of a code text, from its prefix alone (nothing is decoded or verified).
    pub fn detect(text: &str) -> Option<Self> {
        if text.starts_with(dcc::DCC_PREFIX) {
            Some(Format::Dcc)
        } else if text.starts_with(nzcp::NZCP_PREFIX) {
            Some(Format::Nzcp)
        } else if text.starts_with(shc::SHC_PREFIX) {
            Some(Format::Shc)
        } else {
            None
        }
    }

    /// The short name used in errors and reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Dcc => "DCC",
            Format::Nzcp => "NZCP",
            Format::Shc => "SHC",
        }
    }
}

/// A verified foreign code: the common claims, and the format's own payload beside them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ForeignCode {
    /// The claims in the common model, verified (signature, key, times) like a native code's.
    pub claims: Verified<Claims>,
    /// The format's own payload, which also says the format.
    pub payload: ForeignPayload,
}

impl ForeignCode {
    /// The format it came in.
    pub fn format(&self) -> Format {
        self.payload.format()
    }

    /// The DCC payload, for a DCC.
    pub fn dcc(&self) -> Option<&dcc::DccPayload> {
        match &self.payload {
            ForeignPayload::Dcc(payload) => Some(payload),
            _ => None,
        }
    }

    /// The NZ COVID Pass subject, for an NZCP.
    pub fn nzcp(&self) -> Option<&nzcp::NzcpSubject> {
        match &self.payload {
            ForeignPayload::Nzcp(subject) => Some(subject),
            _ => None,
        }
    }

    /// The SMART Health Card, for an SHC.
    pub fn shc(&self) -> Option<&shc::ShcCard> {
        match &self.payload {
            ForeignPayload::Shc(card) => Some(card),
            _ => None,
        }
    }
}

/// The payload of a verified foreign code in its format's own terms: exactly one, so a code
/// cannot carry a DCC payload and an NZCP subject at once, nor none.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ForeignPayload {
    /// An EU DCC's payload.
    Dcc(dcc::DccPayload),
    /// An NZ COVID Pass's subject.
    Nzcp(nzcp::NzcpSubject),
    /// A SMART Health Card.
    Shc(shc::ShcCard),
}

impl ForeignPayload {
    /// The format the payload belongs to.
    pub fn format(&self) -> Format {
        match self {
            ForeignPayload::Dcc(_) => Format::Dcc,
            ForeignPayload::Nzcp(_) => Format::Nzcp,
            ForeignPayload::Shc(_) => Format::Shc,
        }
    }
}

/// One entry point for every configured foreign format, chosen by the text's prefix.
///
/// A format without a verifier is refused; nothing is guessed.
#[derive(Debug, Clone, Default)]
pub struct ForeignVerifier {
    /// The EU DCC verifier, if DCCs are accepted.
    pub dcc: Option<dcc::DccVerifier>,
    /// The NZ COVID Pass verifier, if passes are accepted.
    pub nzcp: Option<nzcp::NzcpVerifier>,
    /// The SMART Health Cards verifier, if cards are accepted.
    pub shc: Option<shc::ShcVerifier>,
}

impl ForeignVerifier {
    /// Verifies one code text at `now` with the verifier of its format (a SMART Health Card
    /// split over several QR codes needs [`shc::ShcVerifier::verify_claims`] with every chunk).
    ///
    /// # Errors
    /// [`Error::Prefix`] for text of no supported format, [`Error::Foreign`] (step `trust`) for
    /// a format without a verifier, and the errors of that format's verifier.
    pub fn verify(&self, text: &str, now: chrono::DateTime<chrono::Utc>) -> Result<ForeignCode> {
        let format = Format::detect(text).ok_or(Error::Prefix { expected: "HC1:, NZCP:/ or shc:/" })?;
        let unconfigured = || foreign(format.name(), "trust", "no verifier is configured for this format");
        match format {
            Format::Dcc => self.dcc.as_ref().ok_or_else(unconfigured)?.verify(text, now),
            Format::Nzcp => self.nzcp.as_ref().ok_or_else(unconfigured)?.verify(text, now),
            Format::Shc => self.shc.as_ref().ok_or_else(unconfigured)?.verify_claims(&[text], now),
        }
    }
}

/// An [`Error::Foreign`] of `format` at `step`.
pub fn foreign(format: &'static str, step: &'static str, detail: impl Into<String>) -> Error {
    Error::Foreign { format, step, detail: detail.into() }
}

/// Maps CBOR to JSON as the DCC tools do: text and integer map keys become strings, tag 0
/// (date-time text) becomes its text, tag 1 (epoch seconds) an RFC 3339 string, other tags their
/// content, byte strings base64.
///
/// # Errors
/// [`Error::Foreign`] for nesting past 32 levels or a map key that is neither text nor integer.
pub fn cbor_to_json(value: &Value, depth: usize) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    if depth > 32 {
        return Err(foreign("CBOR", "JSON", "nested too deeply"));
    }
    Ok(match value {
        Value::Integer(i) => {
            let i = i128::from(*i);
            match (i64::try_from(i), u64::try_from(i)) {
                (Ok(n), _) => J::from(n),
                (_, Ok(n)) => J::from(n),
                _ => J::from(i as f64),
            }
        }
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::Text(t) => J::String(t.clone()),
        Value::Bytes(b) => J::String(data_encoding::BASE64.encode(b)),
        Value::Bool(b) => J::Bool(*b),
        Value::Null => J::Null,
        Value::Tag(1, inner) => {
            let seconds = match inner.as_ref() {
                Value::Integer(i) => i64::try_from(*i).ok(),
                Value::Float(f) if f.is_finite() && f.abs() < 1e15 => Some(f.trunc() as i64),
                _ => None,
            };
            match seconds.and_then(|s| chrono::DateTime::from_timestamp(s, 0)) {
                Some(t) => J::String(t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                None => cbor_to_json(inner, depth + 1)?,
            }
        }
        Value::Tag(_, inner) => cbor_to_json(inner, depth + 1)?,
        Value::Array(items) => J::Array(items.iter().map(|v| cbor_to_json(v, depth + 1)).collect::<Result<_>>()?),
        Value::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (k, v) in entries {
                let key = match k {
                    Value::Text(t) => t.clone(),
                    Value::Integer(i) => i128::from(*i).to_string(),
                    _ => return Err(foreign("CBOR", "JSON", "a map key is neither text nor an integer")),
                };
                map.insert(key, cbor_to_json(v, depth + 1)?);
            }
            J::Object(map)
        }
        _ => J::Null,
    })
}
