//! EU Digital COVID Certificate (`HC1:`): base45, zlib, COSE_Sign1 (ES256 / PS256), the CWT
//! with its `hcert` claim, signer-certificate key usage and validity, and the mapping to
//! [`Claims`].

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ciborium::Value;
use serde::{Deserialize, Deserializer, Serialize};
use sha2::{Digest, Sha256};

use super::crypto::{CertificateInfo, DccUsage, ForeignAlg, ForeignKey, ForeignKeys};
use super::{ForeignCode, Format, cbor_to_json, foreign};
use healthpass::claims::{TestKind, TestOutcome, TestResult, Vaccination};
use healthpass::cose::CoseMessage;
use healthpass::keys::Kid;
use healthpass::transport::{decode_base45, inflate_bounded, strip_prefix};
use healthpass::trust::KeyFingerprint;
use healthpass::verify::{Skew, Window};
use healthpass::{
    Claims, Colour, CredentialId, CredentialKind, Error, Evidence, Limits, Reason, Result, Subject, SubjectId,
};
use healthpass::{Verified, cbor};

/// The prefix of DCC text (context identifier `HC1`).
pub const DCC_PREFIX: &str = "HC1:";
/// The CBOR encoding of tag 61 (CWT), which some issuers wrap around the COSE_Sign1.
const CWT_TAG: [u8; 2] = [0xd8, 0x3d];
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

    /// Decodes a COSE_Sign1, tagged (18) or untagged, optionally wrapped in the CWT tag 61.
    ///
    /// # Errors
    /// Those of [`CoseMessage::decode`].
    pub fn from_cose(bytes: &[u8], limits: &Limits) -> Result<Self> {
        let inner = bytes.strip_prefix(&CWT_TAG[..]).unwrap_or(bytes);
        Ok(UnverifiedDcc { message: CoseMessage::decode(inner, false, limits)? })
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
        ForeignAlg::from_cose(alg).ok_or_else(|| Error::UnsupportedAlg(format!("{alg:?}")))
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
        typed::decode(self.message.payload(), limits)
    }

    /// The parsed COSE_Sign1 message.
    pub fn message(&self) -> &CoseMessage {
        &self.message
    }
}

/// The CWT of a DCC: issuer country, issue and expiry times, and the hcert payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DccCwt {
    /// CWT `iss` (1): the issuing country.
    pub issuer: Option<String>,
    /// CWT `iat` (6).
    pub issued_at: Option<DateTime<Utc>>,
    /// CWT `exp` (4).
    pub expires_at: Option<DateTime<Utc>>,
    /// The DCC payload (`-260` → `1`), as it came.
    hcert: Value,
}

impl DccCwt {
    /// Decodes the CWT claims map under the limits and finds the hcert claim.
    ///
    /// # Errors
    /// [`Error::Cbor`] and friends for malformed CBOR, [`Error::Foreign`] when the CWT is not a
    /// map, a time is not a number, or the hcert claim `-260` / `1` is missing.
    pub fn decode(payload: &[u8], limits: &Limits) -> Result<Self> {
        let Value::Map(entries) = cbor::read_foreign(payload, "CWT", limits)? else {
            return Err(err("CWT", "the claims are not a CBOR map"));
        };
        let (mut issuer, mut issued_at, mut expires_at, mut hcert) = (None, None, None, None);
        for (key, value) in entries {
            let Some(key) = key.as_integer().and_then(|k| i64::try_from(k).ok()) else { continue };
            match key {
                1 => issuer = Some(value.into_text().map_err(|_| err("CWT", "iss is not text"))?),
                4 => expires_at = Some(cwt_time(&value, "exp")?),
                6 => issued_at = Some(cwt_time(&value, "iat")?),
                HCERT_CLAIM => hcert = Some(value),
                _ => {}
            }
        }
        let Some(Value::Map(versions)) = hcert else {
            return Err(err("CWT", "no hcert claim (-260) map"));
        };
        let hcert = versions
            .into_iter()
            .find(|(k, _)| k.as_integer().is_some_and(|k| i128::from(k) == 1))
            .map(|(_, v)| v)
            .ok_or_else(|| err("CWT", "the hcert claim has no DCC (key 1)"))?;
        if !hcert.is_map() {
            return Err(err("CWT", "the DCC is not a map"));
        }
        Ok(DccCwt { issuer, issued_at, expires_at, hcert })
    }

    /// The DCC payload as JSON, as the DCC tools map CBOR to JSON (for schema checks and
    /// comparisons).
    ///
    /// # Errors
    /// [`Error::Foreign`] for a map key that is neither text nor an integer, or nesting past 32.
    pub fn hcert_json(&self) -> Result<serde_json::Value> {
        cbor_to_json(&self.hcert, 0)
    }

    /// The DCC's type, from which of `v`, `t` and `r` it holds.
    ///
    /// # Errors
    /// [`Error::Foreign`] unless exactly one of them is present, as a non-empty list.
    pub fn usage(&self) -> Result<DccUsage> {
        let entries = self.hcert.as_map().map(Vec::as_slice).unwrap_or_default();
        let groups: Vec<(DccUsage, &Value)> = entries
            .iter()
            .filter_map(|(k, v)| {
                let usage = match k.as_text()? {
                    "v" => DccUsage::Vaccination,
                    "t" => DccUsage::Test,
                    "r" => DccUsage::Recovery,
                    _ => return None,
                };
                Some((usage, v))
            })
            .collect();
        match groups.as_slice() {
            [(usage, Value::Array(list))] if !list.is_empty() => Ok(*usage),
            [(_, _)] => Err(err("hcert", "a DCC entry list must be a non-empty list")),
            _ => Err(err("hcert", "a DCC must hold exactly one of v, t and r")),
        }
    }

    /// The typed DCC payload.
    ///
    /// # Errors
    /// [`Error::Foreign`] (step `hcert`) naming the field that breaks the DCC schema's required
    /// structure, or when the payload holds other than exactly one vaccination, test or recovery.
    pub fn payload(&self) -> Result<DccPayload> {
        let payload: DccPayload = self.hcert.deserialized().map_err(|e| err("hcert", e.to_string()))?;
        payload.entry()?;
        Ok(payload)
    }
}

fn cwt_time(value: &Value, name: &str) -> Result<DateTime<Utc>> {
    let seconds = match value {
        Value::Integer(i) => i64::try_from(*i).ok(),
        // A few issuers wrote times as floats; whole seconds are kept.
        Value::Float(f) if f.is_finite() && f.abs() < 1e15 => Some(f.trunc() as i64),
        _ => None,
    };
    seconds
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .ok_or_else(|| err("CWT", format!("{name} is not a time in seconds")))
}

/// The DCC payload (the JSON schema's top level), for callers that need the DCC's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccPayload {
    /// Schema version, such as `1.3.0`.
    pub ver: String,
    /// The holder's name.
    pub nam: DccName,
    /// Date of birth: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty.
    pub dob: String,
    /// Vaccination entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Vec<DccVaccination>>,
    /// Test entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<Vec<DccTest>>,
    /// Recovery entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<Vec<DccRecovery>>,
}

/// The DCC's one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DccEntry<'a> {
    /// A vaccination.
    Vaccination(&'a DccVaccination),
    /// A test.
    Test(&'a DccTest),
    /// A recovery.
    Recovery(&'a DccRecovery),
}

impl DccEntry<'_> {
    /// The key usage a signer certificate needs to sign this entry.
    pub fn usage(&self) -> DccUsage {
        match self {
            DccEntry::Vaccination(_) => DccUsage::Vaccination,
            DccEntry::Test(_) => DccUsage::Test,
            DccEntry::Recovery(_) => DccUsage::Recovery,
        }
    }

    /// The unique certificate identifier (`ci`).
    pub fn certificate_id(&self) -> &str {
        match self {
            DccEntry::Vaccination(v) => &v.ci,
            DccEntry::Test(t) => &t.ci,
            DccEntry::Recovery(r) => &r.ci,
        }
    }

    /// The country of the event (`co`).
    pub fn country(&self) -> &str {
        match self {
            DccEntry::Vaccination(v) => &v.co,
            DccEntry::Test(t) => &t.co,
            DccEntry::Recovery(r) => &r.co,
        }
    }
}

impl DccPayload {
    /// The one vaccination, test or recovery entry.
    ///
    /// # Errors
    /// [`Error::Foreign`] unless exactly one of `v`, `t`, `r` is present with exactly one entry.
    pub fn entry(&self) -> Result<DccEntry<'_>> {
        let groups = [self.v.is_some(), self.t.is_some(), self.r.is_some()];
        if groups.iter().filter(|g| **g).count() != 1 {
            return Err(err("hcert", "a DCC must hold exactly one of v, t and r"));
        }
        let one = |len: usize| {
            if len == 1 { Ok(()) } else { Err(err("hcert", "a DCC entry list must hold exactly one entry")) }
        };
        match (&self.v, &self.t, &self.r) {
            (Some(v), _, _) => {
                one(v.len()).and_then(|()| v.first().map(DccEntry::Vaccination).ok_or(err("hcert", "empty")))
            }
            (_, Some(t), _) => one(t.len()).and_then(|()| t.first().map(DccEntry::Test).ok_or(err("hcert", "empty"))),
            (_, _, Some(r)) => {
                one(r.len()).and_then(|()| r.first().map(DccEntry::Recovery).ok_or(err("hcert", "empty")))
            }
            _ => Err(err("hcert", "no entry")),
        }
    }
}

/// The holder's name, as printed and in the ICAO 9303 standardised form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccName {
    /// Family name.
    #[serde(rename = "fn", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Standardised family name (`A-Z` and `<`).
    #[serde(rename = "fnt", default, skip_serializing_if = "Option::is_none")]
    pub family_standard: Option<String>,
    /// Given name.
    #[serde(rename = "gn", default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Standardised given name.
    #[serde(rename = "gnt", default, skip_serializing_if = "Option::is_none")]
    pub given_standard: Option<String>,
}

/// A vaccination entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccVaccination {
    /// Disease targeted (SNOMED CT, `840539006` for COVID-19).
    pub tg: String,
    /// Vaccine or prophylaxis.
    pub vp: String,
    /// Medicinal product.
    pub mp: String,
    /// Marketing authorisation holder or manufacturer.
    pub ma: String,
    /// Dose number.
    #[serde(deserialize_with = "whole_number")]
    pub dn: u32,
    /// Total series of doses.
    #[serde(deserialize_with = "whole_number")]
    pub sd: u32,
    /// Date of vaccination.
    pub dt: String,
    /// Country of vaccination.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Unique certificate identifier.
    pub ci: String,
}

/// A test entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccTest {
    /// Disease targeted.
    pub tg: String,
    /// Type of test (`LP6464-4` NAAT, `LP217198-3` rapid antigen).
    pub tt: String,
    /// NAAT test name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// Rapid antigen test device identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Date and time of sample collection.
    pub sc: String,
    /// Date and time of the result (schema 1.0.x only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dr: Option<String>,
    /// Result (`260415000` not detected, `260373001` detected).
    pub tr: String,
    /// Testing centre or facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc: Option<String>,
    /// Country of the test.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Unique certificate identifier.
    pub ci: String,
}

/// A recovery entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccRecovery {
    /// Disease recovered from.
    pub tg: String,
    /// Date of the first positive NAAT result.
    pub fr: String,
    /// Country of the test.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Certificate valid from.
    pub df: String,
    /// Certificate valid until.
    pub du: String,
    /// Unique certificate identifier.
    pub ci: String,
}

fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<u32, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    number
        .as_u64()
        .or_else(|| {
            number.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX)).map(|f| f as u64)
        })
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| serde::de::Error::custom("expected a whole number"))
}

/// Parses a DCC date-time: RFC 3339, or ISO 8601 with a `+hhmm` offset, kept to whole seconds.
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let parsed = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z"))
        .ok()?;
    DateTime::from_timestamp(parsed.timestamp(), 0)
}

/// Checks that the signer certificate may sign this kind of DCC ([`CertificateInfo::allows`]).
/// A key without a certificate is not restricted.
///
/// # Errors
/// [`Error::KeyUsage`] naming the type, and those of [`DccCwt::usage`].
pub fn check_key_usage(certificate: Option<&CertificateInfo>, cwt: &DccCwt) -> Result<()> {
    let usage = cwt.usage()?;
    match certificate {
        Some(info) if !info.allows(usage) => Err(Error::KeyUsage(usage.name())),
        _ => Ok(()),
    }
}

/// Checks the DCC's times against `now` and the signer certificate's validity: the DCC was
/// issued and has not expired (`iat ≤ now ≤ exp`), and the certificate was valid when the DCC
/// was signed (`not_before ≤ iat ≤ not_after`). A DCC may outlive its certificate (the
/// specification asks issuers, not verifiers, to keep `exp` within it). `skew` widens the `now`
/// comparisons only.
///
/// # Errors
/// [`Error::Foreign`] when `iat` or `exp` is missing, [`Error::IssuedInFuture`],
/// [`Error::Expired`], and [`Error::NotYetValid`] / [`Error::Expired`] naming the certificate's
/// bound when the DCC falls outside it.
pub fn check_validity(
    certificate: Option<&CertificateInfo>,
    cwt: &DccCwt,
    now: DateTime<Utc>,
    skew: TimeDelta,
) -> Result<()> {
    let issued_at = cwt.issued_at.ok_or_else(|| err("CWT", "no iat"))?;
    let expires_at = cwt.expires_at.ok_or_else(|| err("CWT", "no exp"))?;
    Window { issued_at: Some(issued_at), not_before: None, expires_at: Some(expires_at) }
        .check(now, Skew::new(skew))?;
    if let Some(info) = certificate {
        if issued_at < info.not_before {
            return Err(Error::NotYetValid(format!("signer certificate from {}", info.not_before.to_rfc3339())));
        }
        if issued_at > info.not_after {
            return Err(Error::Expired(format!("signer certificate at {}", info.not_after.to_rfc3339())));
        }
    }
    Ok(())
}

/// Verifies EU DCC codes against trusted signer keys and a clock the caller passes in.
#[derive(Debug, Clone)]
pub struct DccVerifier {
    keys: ForeignKeys,
    skew: TimeDelta,
    limits: Limits,
}

impl DccVerifier {
    /// A verifier trusting `keys`, with no clock skew and the default limits.
    pub fn new(keys: ForeignKeys) -> Self {
        DccVerifier { keys, skew: TimeDelta::zero(), limits: Limits::DEFAULT }
    }

    /// The same verifier allowing `skew` of clock difference (a negative skew counts as zero).
    pub fn with_skew(mut self, skew: TimeDelta) -> Self {
        self.skew = Skew::new(skew).get();
        self
    }

    /// The same verifier under other limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The trusted keys.
    pub fn keys(&self) -> &ForeignKeys {
        &self.keys
    }

    /// Verifies `HC1:` text at time `now`.
    ///
    /// # Errors
    /// Those of [`UnverifiedDcc::parse`] and [`DccVerifier::verify_code`].
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<ForeignCode> {
        self.verify_code(&UnverifiedDcc::parse(text, &self.limits)?, now)
    }

    /// Checks only the signature: the algorithm, the kid, and a trusted key with that kid
    /// under which the signature verifies (each key sharing the kid is tried).
    ///
    /// # Errors
    /// [`Error::MissingAlg`], [`Error::UnsupportedAlg`], [`Error::MissingKid`],
    /// [`Error::UnknownKid`], [`Error::BadSignature`].
    pub fn verify_signature(&self, code: &UnverifiedDcc) -> Result<&ForeignKey> {
        let alg = code.alg()?;
        let kid = code.kid()?;
        let message = code.message();
        self.keys.verify(&kid, alg, &message.signed_bytes(), message.signature())
    }

    /// Verifies a decoded DCC at `now`, in this order: signature ([`Self::verify_signature`]),
    /// the CWT and its payload, the claimed issuing country ([`claimed_country`]) against the
    /// key's issuer binding (`issuer_mismatch`) and the signer certificate's country
    /// ([`check_issuer_country`], `issuer_country_mismatch`), the certificate's key usage, the
    /// times ([`check_validity`]), the mapping to [`Claims`], and no evidence dated in the
    /// future ([`Claims::check_evidence_times`]).
    ///
    /// # Errors
    /// The error of the first failed check.
    pub fn verify_code(&self, code: &UnverifiedDcc, now: DateTime<Utc>) -> Result<ForeignCode> {
        let key = self.verify_signature(code)?;
        let (cwt, payload) = typed::decode(code.message().payload(), &self.limits)?;
        let country = claimed_country(&cwt, &payload, key.certificate())?;
        if key.issuer().is_some_and(|bound| !bound.eq_ignore_ascii_case(&country)) {
            return Err(Error::IssuerMismatch);
        }
        check_issuer_country(key.certificate(), &country)?;
        let usage = payload.entry()?.usage();
        if key.certificate().is_some_and(|info| !info.allows(usage)) {
            return Err(Error::KeyUsage(usage.name()));
        }
        check_validity(key.certificate(), &cwt, now, self.skew)?;
        let mut claims = to_claims(&cwt, &payload)?;
        claims.issuer = country;
        claims.validate(self.limits.max_text_string_len)?;
        claims.check_evidence_times(now, self.skew)?;
        Ok(ForeignCode {
            format: Format::Dcc,
            claims: Verified::new(claims, key.kid().clone(), KeyFingerprint::of(key.spki_der())),
            dcc: Some(payload),
            nzcp: None,
            shc: None,
        })
    }
}

mod country;
mod plain;

pub use country::{check_issuer_country, claimed_country};

/// For fuzzing (not part of the API): whether the plain CWT reader, where it answers for
/// `payload`, gives what the serde path gives.
#[doc(hidden)]
pub fn plain_payload_agrees(payload: &[u8], limits: &Limits) -> bool {
    plain::decode(payload, limits)
        .is_none_or(|fast| typed::decode_serde(payload, limits).is_ok_and(|slow| slow == fast))
}

/// The CWT decoded straight into the typed payload, without an intermediate CBOR tree: the
/// verifier's fast path once the signature holds. Depth is capped by the limits, the input
/// size by the decompression cap, and duplicate claims or DCC fields are refused.
mod typed {
    use std::fmt;

    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

    use super::{DccCwt, DccPayload, HCERT_CLAIM, err};
    use healthpass::{Error, Limits, Result};

    pub(super) fn decode(payload: &[u8], limits: &Limits) -> Result<(DccCwt, DccPayload)> {
        match super::plain::decode(payload, limits) {
            Some(decoded) => Ok(decoded),
            None => decode_serde(payload, limits),
        }
    }

    /// Any CWT, through ciborium's serde.
    pub(super) fn decode_serde(payload: &[u8], limits: &Limits) -> Result<(DccCwt, DccPayload)> {
        let mut rest = payload;
        let cwt: Cwt = ciborium::de::from_reader_with_recursion_limit(&mut rest, limits.max_cbor_depth)
            .map_err(|e| err("CWT", describe(&e)))?;
        if !rest.is_empty() {
            return Err(Error::TrailingBytes { step: "CWT" });
        }
        let time = |t: Option<i64>, name: &str| {
            t.map(|s| chrono::DateTime::from_timestamp(s, 0).ok_or_else(|| err("CWT", format!("{name} out of range"))))
                .transpose()
        };
        let payload = cwt.hcert.ok_or_else(|| err("CWT", "no hcert claim (-260) with a DCC (key 1)"))?;
        let header = DccCwt {
            issuer: cwt.issuer,
            issued_at: time(cwt.iat, "iat")?,
            expires_at: time(cwt.exp, "exp")?,
            hcert: ciborium::Value::Null,
        };
        Ok((header, payload))
    }

    fn describe<T: fmt::Debug>(e: &ciborium::de::Error<T>) -> String {
        match e {
            ciborium::de::Error::Io(_) => "unexpected end of input".into(),
            ciborium::de::Error::Syntax(at) => format!("syntax error at byte {at}"),
            ciborium::de::Error::Semantic(_, msg) => msg.clone(),
            ciborium::de::Error::RecursionLimitExceeded => "nested too deeply".into(),
        }
    }

    struct Cwt {
        issuer: Option<String>,
        iat: Option<i64>,
        exp: Option<i64>,
        hcert: Option<DccPayload>,
    }

    /// A map key: an integer, or anything else (skipped).
    enum Key {
        Int(i64),
        Other,
    }

    impl<'de> de::Deserialize<'de> for Key {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Key;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a map key")
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Key, E> {
                    Ok(Key::Int(v))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Key, E> {
                    Ok(i64::try_from(v).map_or(Key::Other, Key::Int))
                }
                fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Key, E> {
                    Ok(Key::Other)
                }
                fn visit_bytes<E: de::Error>(self, _: &[u8]) -> std::result::Result<Key, E> {
                    Ok(Key::Other)
                }
                fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Key, E> {
                    Ok(Key::Other)
                }
                fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Key, E> {
                    Ok(Key::Other)
                }
            }
            d.deserialize_any(V)
        }
    }

    /// A time in seconds: an integer, or a float kept to whole seconds.
    struct Seconds(i64);

    impl<'de> de::Deserialize<'de> for Seconds {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Seconds;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a time in seconds")
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Seconds, E> {
                    Ok(Seconds(v))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Seconds, E> {
                    i64::try_from(v).map(Seconds).map_err(|_| E::custom("time out of range"))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Seconds, E> {
                    if v.is_finite() && v.abs() < 1e15 {
                        Ok(Seconds(v.trunc() as i64))
                    } else {
                        Err(E::custom("time out of range"))
                    }
                }
            }
            d.deserialize_any(V)
        }
    }

    /// The hcert claim: a map whose key 1 is the DCC.
    struct Hcert(Option<DccPayload>);

    impl<'de> de::Deserialize<'de> for Hcert {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Hcert;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("the hcert map")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Hcert, A::Error> {
                    let mut dcc = None;
                    while let Some(key) = map.next_key::<Key>()? {
                        match key {
                            Key::Int(1) if dcc.is_some() => return Err(de::Error::custom("duplicate DCC")),
                            Key::Int(1) => dcc = Some(map.next_value::<DccPayload>()?),
                            _ => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(Hcert(dcc))
                }
            }
            d.deserialize_map(V)
        }
    }

    impl<'de> de::Deserialize<'de> for Cwt {
        fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Cwt;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("the CWT claims map")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Cwt, A::Error> {
                    let mut cwt = Cwt { issuer: None, iat: None, exp: None, hcert: None };
                    let mut seen: Vec<i64> = Vec::new();
                    while let Some(key) = map.next_key::<Key>()? {
                        let Key::Int(key) = key else {
                            map.next_value::<IgnoredAny>()?;
                            continue;
                        };
                        if seen.contains(&key) {
                            return Err(de::Error::custom("duplicate claim"));
                        }
                        seen.push(key);
                        match key {
                            1 => cwt.issuer = Some(map.next_value::<String>()?),
                            4 => cwt.exp = Some(map.next_value::<Seconds>()?.0),
                            6 => cwt.iat = Some(map.next_value::<Seconds>()?.0),
                            HCERT_CLAIM => cwt.hcert = map.next_value::<Hcert>()?.0,
                            _ => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(cwt)
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// A pseudonymous subject id for a foreign code: the first 16 bytes of SHA-256 over a format
/// label, the standardised name and the date of birth. The same person under the same format
/// gets the same id; nobody can read the name back from it, but a guessed name and date can be
/// tested (foreign codes carry no secret to key it with).
pub(crate) fn foreign_subject_id(label: &str, name: &str, birth: &str) -> SubjectId {
    let mut hash = Sha256::new();
    for part in [label, name, birth] {
        hash.update(u64::try_from(part.len()).unwrap_or(u64::MAX).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(digest.get(..16).unwrap_or(&[0; 16]));
    SubjectId(id)
}

/// The first 16 bytes of SHA-256 of an identifier, as a credential id.
pub(crate) fn hashed_credential_id(identifier: &str) -> CredentialId {
    let digest = Sha256::digest(identifier.as_bytes());
    let mut id = [0u8; 16];
    id.copy_from_slice(digest.get(..16).unwrap_or(&[0; 16]));
    CredentialId(id)
}

/// Maps a DCC to the common claim model: a negative test is Green / NegativeTest with the test
/// as evidence, a positive test Red / PositiveTest, a vaccination Green / Vaccinated with dose
/// `dn` of `sd` (a booster beyond the series counts as its own series size), a recovery
/// Green / Recovered. The issuer is [`claimed_country`] without a certificate; a verifier
/// replaces it with the country bound to the signer ([`DccVerifier::verify_code`]).
///
/// # Errors
/// [`Error::Foreign`] for a missing `iat`/`exp`, an unknown test type or result, or an
/// unreadable date.
pub fn to_claims(cwt: &DccCwt, payload: &DccPayload) -> Result<Claims> {
    let entry = payload.entry()?;
    let issued_at = cwt.issued_at.ok_or_else(|| err("CWT", "no iat"))?;
    let expires_at = cwt.expires_at.ok_or_else(|| err("CWT", "no exp"))?;
    let issuer = claimed_country(cwt, payload, None)?;
    let mut evidence = Evidence::default();
    let (colour, reason) = match entry {
        DccEntry::Test(test) => {
            let kind = match test.tt.as_str() {
                TEST_TYPE_NAAT => TestKind::NucleicAcid,
                TEST_TYPE_RAT => TestKind::Antigen,
                _ => return Err(err("hcert", "unknown test type")),
            };
            let (result, colour, reason) = match test.tr.as_str() {
                TEST_NOT_DETECTED => (TestOutcome::Negative, Colour::Green, Reason::NegativeTest),
                TEST_DETECTED => (TestOutcome::Positive, Colour::Red, Reason::PositiveTest),
                _ => return Err(err("hcert", "unknown test result")),
            };
            let sampled_at = parse_date_time(&test.sc).ok_or_else(|| err("hcert", "unreadable sample time"))?;
            evidence.tests.push(TestResult { kind, result, sampled_at, facility: test.tc.clone() });
            (colour, reason)
        }
        DccEntry::Vaccination(v) => {
            let date = NaiveDate::parse_from_str(&v.dt, "%Y-%m-%d")
                .map_err(|_| err("hcert", "unreadable vaccination date"))?;
            let dose = u8::try_from(v.dn).map_err(|_| err("hcert", "dose number out of range"))?;
            let doses = u8::try_from(v.sd).map_err(|_| err("hcert", "series size out of range"))?.max(dose);
            evidence.vaccinations.push(Vaccination { product: v.mp.clone(), dose, doses, date });
            (Colour::Green, Reason::Vaccinated)
        }
        DccEntry::Recovery(_) => (Colour::Green, Reason::Recovered),
    };
    let standard = format!(
        "{}<<{}",
        payload.nam.family_standard.as_deref().unwrap_or_default(),
        payload.nam.given_standard.as_deref().unwrap_or_default()
    );
    let name = [payload.nam.given.as_deref(), payload.nam.family.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Ok(Claims {
        issuer,
        credential_id: hashed_credential_id(entry.certificate_id()),
        issued_at,
        not_before: issued_at,
        expires_at,
        colour,
        reasons: vec![reason],
        kind: CredentialKind::Personal,
        subject: Subject {
            id: foreign_subject_id("DCC", &standard, &payload.dob),
            name: (!name.is_empty()).then_some(name),
            birth_date: NaiveDate::parse_from_str(&payload.dob, "%Y-%m-%d").ok(),
            document: None,
        },
        holder: None,
        evidence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zlib_is_recognised_by_its_header_check() {
        let cose = vec![0xd2, 0x84, 0x40];
        assert_eq!(decompress_body(cose.clone(), &Limits::DEFAULT).unwrap(), cose);
        let packed = healthpass::transport::deflate(&cose);
        assert_eq!(decompress_body(packed, &Limits::DEFAULT).unwrap(), cose);
        // 0x78 0x00 fails the header check, so it is taken as (malformed) COSE, not inflated.
        assert_eq!(decompress_body(vec![0x78, 0x00], &Limits::DEFAULT).unwrap(), vec![0x78, 0x00]);
    }

    /// Where the plain reader answers, the serde path gives the same CWT and payload.
    #[test]
    fn the_plain_payload_reader_reads_as_serde_does() {
        let limits = Limits::DEFAULT;
        let payloads: Vec<Vec<u8>> = healthpass_testkit::vectors::published_cose()
            .iter()
            .filter_map(|cose| UnverifiedDcc::from_cose(cose, &limits).ok())
            .map(|code| code.message().payload().to_vec())
            .collect();
        let all = healthpass_testkit::vectors::with_changes(payloads, 0..400);
        let (mut plain_count, total) = (0, all.len());
        for payload in all {
            if let Some(fast) = plain::decode(&payload, &limits) {
                plain_count += 1;
                assert_eq!(typed::decode_serde(&payload, &limits), Ok(fast), "{}", hex::encode(&payload));
            }
        }
        assert!(plain_count > total / 4, "{plain_count} of {total}");
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
