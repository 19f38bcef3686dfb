//! EU Digital COVID Certificate (`HC1:`): base45, zlib, COSE_Sign1 (ES256 / PS256), the CWT
//! with its `hcert` claim, signer-certificate key usage and validity, and the mapping to
//! [`Claims`](healthpass::Claims).
//!
//! One file per purpose: `decode` reads the CWT and the DCC in one pass (the only payload
//! reader), `cwt` and `payload` hold the types, `claims` maps a DCC to the common claims,
//! `verify` checks signature, issuer, key usage and times, `country` binds the issuing country,
//! `schema` checks a DCC's JSON against the published schema and value sets.

mod claims;
mod country;
mod cwt;
mod decode;
mod payload;
pub mod schema;
mod verify;

pub(crate) use claims::{foreign_subject_id, hashed_credential_id};
pub use claims::{parse_date_time, to_claims};
pub use country::{check_issuer_country, claimed_country};
pub use cwt::DccCwt;
pub use payload::{DccEntry, DccName, DccPayload, DccRecovery, DccTest, DccVaccination};
pub use verify::{DccVerifier, check_key_usage, check_validity};

use super::crypto::{DccUsage, ForeignAlg};
use super::foreign;
use healthpass::cose::{CoseMessage, Profile};
use healthpass::keys::Kid;
use healthpass::transport::{decode_base45, inflate_bounded, strip_prefix};
use healthpass::{Error, Limits, Result};

/// The prefix of DCC text (context identifier `HC1`).
pub const DCC_PREFIX: &str = "HC1:";
/// The hcert claim key of the CWT, and the key of the DCC inside it.
const HCERT_CLAIM: i64 = -260;
/// `tr` of a test: "Not detected".
const TEST_NOT_DETECTED: &str = "260415000";
/// `tr` of a test: "Detected".
const TEST_DETECTED: &str = "260373001";
/// `tt` of a test: nucleic-acid amplification with probe detection.
const TEST_TYPE_NAAT: &str = "LP6464-4";
/// `tt` of a test: rapid immunoassay (antigen).
const TEST_TYPE_RAT: &str = "LP217198-3";

fn err(step: &'static str, detail: impl Into<String>) -> Error {
    foreign("DCC", step, detail)
}

/// Turns the base45-decoded body into COSE bytes: inflates it when it starts with a zlib header
/// (CM 8 and a valid header check), otherwise takes it as an uncompressed COSE message.
///
/// # Errors
/// Those of [`inflate_bounded`], and [`Error::Cbor`] for an empty body.
pub fn decompress_body(body: Vec<u8>, limits: &Limits) -> Result<Vec<u8>> {
    match body.as_slice() {
        [] => Err(Error::Cbor { step: "body", detail: "empty".into() }),
        [cmf, flg, ..] if cmf & 0x0f == 8 && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0 => {
            inflate_bounded(&body, limits)
        }
        _ => Ok(body),
    }
}

/// A DCC that has been decoded but not verified.
#[derive(Debug, Clone)]
pub struct UnverifiedDcc {
    message: CoseMessage,
}

impl UnverifiedDcc {
    /// Decodes `HC1:` text: length, prefix, base45, zlib (or none), COSE_Sign1.
    ///
    /// # Errors
    /// The error of the first failed step: [`Error::TooLarge`], [`Error::Prefix`],
    /// [`Error::Base45`], [`Error::Decompress`], [`Error::Cbor`], [`Error::TrailingBytes`],
    /// [`Error::DuplicateKey`].
    pub fn parse(text: &str, limits: &Limits) -> Result<Self> {
        let body = decode_base45(strip_prefix(text, DCC_PREFIX, limits)?)?;
        UnverifiedDcc::from_cose(&decompress_body(body, limits)?, limits)
    }

    /// Decodes a COSE_Sign1, tagged (18) or untagged, optionally wrapped in the CWT tag 61
    /// ([`Profile::Foreign`]).
    ///
    /// # Errors
    /// Those of [`CoseMessage::decode`].
    pub fn from_cose(bytes: &[u8], limits: &Limits) -> Result<Self> {
        Ok(UnverifiedDcc { message: CoseMessage::decode(bytes, Profile::Foreign, limits)? })
    }

    /// The kid: from the protected header; only when the protected header has none, from the
    /// unprotected header (as the DCC specification allows). A wrong kid in the protected header
    /// is never overridden by the unprotected one.
    ///
    /// # Errors
    /// [`Error::MissingKid`] when neither header has one.
    pub fn kid(&self) -> Result<Kid> {
        self.message.protected_kid().or_else(|| self.message.unprotected_kid()).ok_or(Error::MissingKid)
    }

    /// The algorithm: from the protected header; only when it has none, from the unprotected
    /// header. That fallback is safe because the algorithm must also match the type of the key
    /// the kid selects (an RSA key only checks PS256, a P-256 key only ES256), so an attacker who
    /// rewrites the unprotected header cannot switch algorithms under a key.
    ///
    /// # Errors
    /// [`Error::MissingAlg`] when neither header has one, [`Error::UnsupportedAlg`] for any
    /// algorithm but ES256 and PS256.
    pub fn alg(&self) -> Result<ForeignAlg> {
        let alg = match self.message.protected_alg() {
            Ok(alg) => alg,
            Err(missing) => self.message.unprotected_alg().ok_or(missing)?,
        };
        ForeignAlg::from_cose(alg).ok_or_else(|| Error::UnsupportedAlg(alg.to_string()))
    }

    /// The CWT claims, decoded **without** checking the signature. For display and conformance
    /// checks only; never base a decision on them.
    ///
    /// # Errors
    /// Those of [`DccCwt::decode`].
    pub fn cwt_unverified(&self, limits: &Limits) -> Result<DccCwt> {
        DccCwt::decode(self.message.payload(), limits)
    }

    /// The CWT and the typed DCC payload, decoded **without** checking the signature (the fast
    /// path the verifier takes once the signature holds).
    ///
    /// # Errors
    /// [`Error::Foreign`] for a CWT or payload that does not decode, [`Error::TrailingBytes`].
    pub fn payload_unverified(&self, limits: &Limits) -> Result<(DccCwt, DccPayload)> {
        let (cwt, payload) = decode::cwt(self.message.payload(), limits, true)?;
        Ok((cwt, payload.ok_or_else(|| err("CWT", "no DCC"))?))
    }

    /// The parsed COSE_Sign1 message.
    pub fn message(&self) -> &CoseMessage {
        &self.message
    }
}

#[cfg(test)]
mod serde_oracle;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    #[test]
    fn zlib_is_recognised_by_its_header_check() {
        let cose = vec![0xd2, 0x84, 0x40];
        assert_eq!(decompress_body(cose.clone(), &Limits::DEFAULT).unwrap(), cose);
        let packed = healthpass::transport::deflate(&cose);
        assert_eq!(decompress_body(packed, &Limits::DEFAULT).unwrap(), cose);
        // 0x78 0x00 fails the header check, so it is taken as (malformed) COSE, not inflated.
        assert_eq!(decompress_body(vec![0x78, 0x00], &Limits::DEFAULT).unwrap(), vec![0x78, 0x00]);
    }

    /// The one reader against the serde reader it replaced, over every published DCC payload
    /// and thousands of one-byte changes: the same claims and payload where both accept, and
    /// the same answer on every input but the few kinds where the one reader is stricter.
    #[test]
    fn the_reader_reads_as_serde_did() {
        let limits = Limits::DEFAULT;
        let payloads: Vec<Vec<u8>> = healthpass_testkit::vectors::published_cose()
            .iter()
            .filter_map(|cose| UnverifiedDcc::from_cose(cose, &limits).ok())
            .map(|code| code.message().payload().to_vec())
            .collect();
        let all = healthpass_testkit::vectors::with_changes(payloads, 0..400);
        let (mut both, mut stricter, total) = (0, Vec::new(), all.len());
        for payload in all {
            let ours = decode::cwt(&payload, &limits, true);
            match (ours, serde_oracle::decode_serde(&payload, &limits)) {
                (Ok((cwt, Some(ours))), Ok((header, theirs))) => {
                    both += 1;
                    assert_eq!(
                        (cwt.issuer, cwt.issued_at, cwt.expires_at),
                        header,
                        "{}",
                        data_encoding::HEXLOWER.encode(&payload)
                    );
                    assert_eq!(ours, theirs, "{}", data_encoding::HEXLOWER.encode(&payload));
                }
                (Err(_), Err(_)) => {}
                // Stricter by design: map keys other than integers and text (serde skipped
                // them, or matched a byte-string key to a field name), integer field names in the
                // DCC's maps (serde took them as field indices), and any repeated key.
                (Err(Error::Cbor { detail, .. }), Ok(_)) if detail.contains("map key") => {}
                (Err(Error::DuplicateKey { .. }), Ok(_)) => {}
                (Err(Error::Foreign { detail, .. }), Ok(_)) if detail.contains("is not text") => {}
                (Err(ours), Ok(_)) => stricter.push(format!("{ours}: {}", data_encoding::HEXLOWER.encode(&payload))),
                (ours, theirs) => {
                    panic!("{ours:?} against serde's {theirs:?}: {}", data_encoding::HEXLOWER.encode(&payload))
                }
            }
        }
        assert!(both > total / 4, "{both} of {total}");
        assert!(stricter.is_empty(), "{} of {total}: {:#?}", stricter.len(), stricter.get(..5));
    }

    #[test]
    fn date_times_in_the_forms_issuers_used() {
        let expected = DateTime::from_timestamp(1_622_282_400, 0).unwrap();
        assert_eq!(parse_date_time("2021-05-29T10:00:00Z"), Some(expected));
        assert_eq!(parse_date_time("2021-05-29T12:00:00+02:00"), Some(expected));
        assert_eq!(parse_date_time("2021-05-29T12:00:00+0200"), Some(expected));
        assert_eq!(parse_date_time("2021-05-29T10:00:00.123Z"), Some(expected));
        assert_eq!(parse_date_time("2021-05-29"), None);
    }

    #[test]
    fn exactly_one_entry() {
        let base = serde_json::json!({"ver": "1.3.0", "nam": {"fnt": "A"}, "dob": "1990-01-01"});
        let recovery = serde_json::json!([{"tg": "840539006", "fr": "2021-01-01", "co": "AT", "is": "X",
            "df": "2021-01-10", "du": "2021-06-01", "ci": "URN:UVCI:1"}]);
        let mut one = base.clone();
        one["r"] = recovery.clone();
        let payload: DccPayload = serde_json::from_value(one).unwrap();
        assert_eq!(payload.entry().unwrap().usage(), DccUsage::Recovery);
        let mut two = base;
        two["r"] = recovery;
        two["v"] = serde_json::json!([]);
        let payload: DccPayload = serde_json::from_value(two).unwrap();
        assert!(matches!(payload.entry(), Err(Error::Foreign { .. })));
    }
}
