//! NZ COVID Pass (`NZCP:/1/`): base32 without padding, a tagged COSE_Sign1 signed ES256, a CWT
//! with a W3C verifiable credential, and issuer keys from the issuer's DID document held offline.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ciborium::Value;
use serde::Serialize;

use super::crypto::{ForeignAlg, ForeignKey, ForeignKeys};
use super::dcc::foreign_subject_id;
use super::{ForeignCode, ForeignPayload, foreign};
use healthpass::cose::{Alg, CoseMessage, Profile};
use healthpass::keys::Kid;
use healthpass::trust::KeyFingerprint;
use healthpass::verify::{Skew, Window};
use healthpass::{Claims, Colour, CredentialId, CredentialKind, Error, Evidence, Limits, Reason, Result, Subject};
use healthpass::{Verified, cbor};

/// The prefix of NZ COVID Pass text, before the version.
pub const NZCP_PREFIX: &str = "NZCP:/";
/// The only version this verifier reads.
const VERSION: &str = "1";
const VC_CONTEXT: &str = "https://www.w3.org/2018/credentials/v1";
const PASS_TYPE: &str = "PublicCovidPass";

fn err(step: &'static str, detail: impl Into<String>) -> Error {
    foreign("NZCP", step, detail)
}

/// The subject of an NZ COVID Pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NzcpSubject {
    /// Given name.
    pub given_name: String,
    /// Family name, when present.
    pub family_name: Option<String>,
    /// Date of birth.
    pub dob: NaiveDate,
}

/// A trusted NZCP issuer: its DID and the keys its DID document lists for assertions.
#[derive(Debug, Clone)]
pub struct NzcpIssuer {
    did: String,
    keys: ForeignKeys,
}

impl NzcpIssuer {
    /// The issuer described by a DID document (as a did:web resolver would fetch it; here it
    /// is given, never fetched). Only P-256 JSON Web Keys named in `assertionMethod` are kept;
    /// each is filed under the fragment of its id (`key-1` for `did:web:…#key-1`).
    ///
    /// # Errors
    /// [`Error::Key`] when the document has no `id` or no usable assertion key.
    pub fn from_did_document(document: &serde_json::Value) -> Result<Self> {
        let did = document
            .get("id")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| Error::Key("DID document: no id".into()))?
            .to_owned();
        let assertion: Vec<&str> = document
            .get("assertionMethod")
            .and_then(serde_json::Value::as_array)
            .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default();
        let mut keys = ForeignKeys::new();
        let methods = document.get("verificationMethod").and_then(serde_json::Value::as_array);
        for method in methods.map(Vec::as_slice).unwrap_or_default() {
            let Some(id) = method.get("id").and_then(serde_json::Value::as_str) else { continue };
            let Some(fragment) = id.strip_prefix(did.as_str()).and_then(|rest| rest.strip_prefix('#')) else {
                continue;
            };
            if !assertion.contains(&id) {
                continue;
            }
            let Some(jwk) = method.get("publicKeyJwk") else { continue };
            let Some(kid) = Kid::new(fragment.as_bytes()) else { continue };
            let key = ForeignKey::from_jwk(jwk)?.with_kid(kid).with_issuer(did.clone());
            keys.insert(key);
        }
        if keys.is_empty() {
            return Err(Error::Key("DID document: no P-256 key named in assertionMethod".into()));
        }
        Ok(NzcpIssuer { did, keys })
    }

    /// The issuer's DID.
    pub fn did(&self) -> &str {
        &self.did
    }
}

/// The CWT claims of a pass, read before the signature is checked only to find the issuer.
struct NzcpCwt {
    issuer: String,
    not_before: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    cti: Option<Value>,
    vc: Option<Value>,
}

impl NzcpCwt {
    fn decode(payload: &[u8], limits: &Limits) -> Result<Self> {
        let Value::Map(entries) = cbor::read_foreign(payload, "CWT", limits)? else {
            return Err(err("CWT", "the claims are not a CBOR map"));
        };
        let mut issuer = None;
        let (mut nbf, mut exp, mut cti, mut vc) = (None, None, None, None);
        for (key, value) in entries {
            match (&key, value) {
                (Value::Integer(k), value) => match i128::from(*k) {
                    1 => issuer = value.as_text().map(str::to_owned),
                    4 => exp = Some(time(&value, "exp")?),
                    5 => nbf = Some(time(&value, "nbf")?),
                    7 => cti = Some(value),
                    _ => {}
                },
                (Value::Text(k), value) if k == "vc" => vc = Some(value),
                _ => {}
            }
        }
        Ok(NzcpCwt {
            issuer: issuer.ok_or_else(|| err("CWT", "no iss"))?,
            not_before: nbf.ok_or_else(|| err("CWT", "no nbf"))?,
            expires_at: exp.ok_or_else(|| err("CWT", "no exp"))?,
            cti,
            vc,
        })
    }
}

fn time(value: &Value, name: &str) -> Result<DateTime<Utc>> {
    value
        .as_integer()
        .and_then(|i| i64::try_from(i).ok())
        .and_then(|s| DateTime::from_timestamp(s, 0))
        .ok_or_else(|| err("CWT", format!("{name} is not a whole number of seconds")))
}

/// Verifies NZ COVID Passes against trusted issuers and a clock the caller passes in.
#[derive(Debug, Clone)]
pub struct NzcpVerifier {
    issuers: Vec<NzcpIssuer>,
    skew: TimeDelta,
    limits: Limits,
}

impl NzcpVerifier {
    /// A verifier trusting these issuers, with no clock skew and the default limits.
    pub fn new(issuers: impl IntoIterator<Item = NzcpIssuer>) -> Self {
        NzcpVerifier { issuers: issuers.into_iter().collect(), skew: TimeDelta::zero(), limits: Limits::DEFAULT }
    }

    /// The same verifier allowing `skew` of clock difference (a negative skew counts as zero).
    pub fn with_skew(mut self, skew: TimeDelta) -> Self {
        self.skew = Skew::new(skew).get();
        self
    }

    /// Verifies pass text at `now`, in the specification's order: prefix and version, base32,
    /// COSE_Sign1 (tag 18), `alg` ES256 and `kid` from the protected header, `iss` a trusted
    /// issuer, the key `iss#kid` from its DID document, the signature, `nbf` and `exp`, then the
    /// credential (context, version 1.0.0, type PublicCovidPass, subject) and `cti`.
    ///
    /// # Errors
    /// The error of the first failed step: [`Error::TooLarge`], [`Error::Prefix`],
    /// [`Error::Foreign`], [`Error::Cbor`], [`Error::MissingAlg`], [`Error::UnsupportedAlg`],
    /// [`Error::MissingKid`], [`Error::UntrustedIssuer`], [`Error::UnknownKid`],
    /// [`Error::BadSignature`], [`Error::NotYetValid`], [`Error::Expired`].
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<ForeignCode> {
        let limits = &self.limits;
        let rest = healthpass::transport::strip_prefix(text, NZCP_PREFIX, limits)?;
        let (version, data) = rest.split_once('/').ok_or_else(|| err("prefix", "no version"))?;
        if version != VERSION {
            return Err(err("prefix", "only version 1 is supported"));
        }
        let bytes = data_encoding::BASE32_NOPAD
            .decode(data.as_bytes())
            .map_err(|_| err("base32", "not RFC 4648 base32 without padding"))?;
        let message = CoseMessage::decode(&bytes, Profile::ForeignTagged, limits)?;
        let alg = message.protected_alg()?;
        if !alg.is(Alg::ES256) {
            return Err(Error::UnsupportedAlg(alg.to_string()));
        }
        let kid = message.protected_kid().ok_or(Error::MissingKid)?;
        let cwt = NzcpCwt::decode(message.payload(), limits)?;
        let issuer = self
            .issuers
            .iter()
            .find(|i| i.did == cwt.issuer)
            .ok_or_else(|| Error::UntrustedIssuer(cwt.issuer.clone()))?;
        let key = issuer.keys.verify(&kid, ForeignAlg::Es256, &message.signed_bytes(), message.signature())?;
        Window { issued_at: None, not_before: Some(cwt.not_before), expires_at: Some(cwt.expires_at) }
            .check(now, Skew::new(self.skew))?;
        let cti = match &cwt.cti {
            Some(Value::Bytes(b)) => <[u8; 16]>::try_from(b.as_slice()).ok(),
            _ => None,
        }
        .ok_or_else(|| err("CWT", "cti is not a 16-byte string"))?;
        let subject = credential_subject(cwt.vc.as_ref())?;
        let standard = format!("{}<<{}", subject.family_name.as_deref().unwrap_or_default(), subject.given_name);
        let name = match &subject.family_name {
            Some(family) => format!("{} {family}", subject.given_name),
            None => subject.given_name.clone(),
        };
        let claims = Claims {
            issuer: cwt.issuer.clone(),
            credential_id: CredentialId(cti),
            issued_at: cwt.not_before,
            not_before: cwt.not_before,
            expires_at: cwt.expires_at,
            colour: Colour::Green,
            reasons: vec![Reason::Vaccinated],
            kind: CredentialKind::Personal,
            subject: Subject {
                id: foreign_subject_id("NZCP", &standard, &subject.dob.to_string()),
                name: Some(name),
                birth_date: Some(subject.dob),
                document: None,
            },
            holder: None,
            evidence: Evidence::default(),
        };
        claims.validate(limits.max_text_string_len)?;
        Ok(ForeignCode {
            claims: Verified::new(claims, key.kid().clone(), KeyFingerprint::of(key.spki_der())),
            payload: ForeignPayload::Nzcp(subject),
        })
    }
}

/// What an NZ COVID Pass claims, read WITHOUT checking anything: not its signature, its issuer,
/// its times nor its credential. For people looking at a pass (`healthpass decode`), never for
/// a decision: [`NzcpVerifier::verify`] is the only way to a verified pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UnverifiedNzcp {
    /// The protected header's `kid` as text (bytes that are not UTF-8 replaced), empty when the
    /// header has none.
    pub kid: String,
    /// The CWT claims as JSON ([`crate::cbor_to_json`]: integer keys as strings, `"1"` the
    /// issuer, `"4"` and `"5"` the times, `"vc"` the credential).
    pub cwt: serde_json::Value,
}

/// Reads pass text WITHOUT verifying it ([`UnverifiedNzcp`]): prefix and version, base32,
/// COSE_Sign1 (tagged or not), the CWT map, each step under `limits` (text length, CBOR depth,
/// counts and string lengths, no trailing bytes, no duplicate keys).
///
/// # Errors
/// The error of the first failed step: [`Error::TooLarge`] and [`Error::Prefix`] for the text,
/// [`Error::Foreign`] (steps `prefix`, `base32`, `CWT`), [`Error::Cbor`] and the other errors of
/// the COSE reader.
pub fn decode_unverified(text: &str, limits: &Limits) -> Result<UnverifiedNzcp> {
    let rest = healthpass::transport::strip_prefix(text, NZCP_PREFIX, limits)?;
    let data = rest.strip_prefix("1/").ok_or_else(|| err("prefix", "only version 1 is supported"))?;
    let bytes = data_encoding::BASE32_NOPAD
        .decode(data.as_bytes())
        .map_err(|_| err("base32", "not RFC 4648 base32 without padding"))?;
    let message = CoseMessage::decode(&bytes, Profile::Foreign, limits)?;
    let cwt = cbor::read_foreign(message.payload(), "CWT", limits)?;
    if !matches!(cwt, Value::Map(_)) {
        return Err(err("CWT", "the claims are not a CBOR map"));
    }
    let kid = message.protected_kid().map(|k| String::from_utf8_lossy(k.as_bytes()).into_owned()).unwrap_or_default();
    Ok(UnverifiedNzcp { kid, cwt: crate::cbor_to_json(&cwt, 0)? })
}

fn credential_subject(vc: Option<&Value>) -> Result<NzcpSubject> {
    let vc = vc.ok_or_else(|| err("credential", "no vc claim"))?;
    let field = |map: &Value, name: &str| -> Option<Value> {
        map.as_map()?.iter().find(|(k, _)| k.as_text() == Some(name)).map(|(_, v)| v.clone())
    };
    let texts = |value: Option<Value>| -> Vec<String> {
        value
            .and_then(|v| v.into_array().ok())
            .map(|a| a.into_iter().filter_map(|v| v.into_text().ok()).collect())
            .unwrap_or_default()
    };
    let context = texts(field(vc, "@context"));
    if context.first().map(String::as_str) != Some(VC_CONTEXT) {
        return Err(err("credential", "@context does not start with the W3C credentials context"));
    }
    if field(vc, "version").and_then(|v| v.into_text().ok()).as_deref() != Some("1.0.0") {
        return Err(err("credential", "version is not 1.0.0"));
    }
    let types = texts(field(vc, "type"));
    if types.first().map(String::as_str) != Some("VerifiableCredential") || !types.iter().any(|t| t == PASS_TYPE) {
        return Err(err("credential", "type is not VerifiableCredential, PublicCovidPass"));
    }
    let subject = field(vc, "credentialSubject").ok_or_else(|| err("credential", "no credentialSubject"))?;
    let text = |name: &str| field(&subject, name).and_then(|v| v.into_text().ok()).filter(|t| !t.is_empty());
    let given_name = text("givenName").ok_or_else(|| err("credential", "no givenName"))?;
    let dob = text("dob")
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .ok_or_else(|| err("credential", "dob is not a date"))?;
    Ok(NzcpSubject { given_name, family_name: text("familyName"), dob })
}
