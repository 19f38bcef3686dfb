//! SMART Health Cards (`shc:/`): numeric-mode QR text (whole or in chunks), a compact JWS
//! signed ES256 over a raw-DEFLATE JSON payload, keys from the issuer's `jwks.json` (kid = RFC
//! 7638 thumbprint), fractional `nbf`, and revocation by the issuer's CRL of revocation ids.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use data_encoding::BASE64URL_NOPAD;
use serde::Serialize;

use super::crypto::{ForeignAlg, ForeignKey, ForeignKeys, jwk_thumbprint};
use super::dcc::{foreign_subject_id, hashed_credential_id};
use super::{ForeignCode, ForeignPayload, foreign};
use healthpass::claims::Vaccination;
use healthpass::keys::Kid;
use healthpass::transport::{Framing, inflate_framed};
use healthpass::trust::KeyFingerprint;
use healthpass::verify::{Skew, Window};
use healthpass::{Claims, Colour, CredentialKind, Error, Evidence, Limits, Reason, Result, Subject, Verified};

/// The prefix of SMART Health Card QR text.
pub const SHC_PREFIX: &str = "shc:/";
/// The expiry given to cards without `exp` in the common claims: the end of year 9999.
const NO_EXPIRY: i64 = 253_402_300_799;

mod chunks;
pub use chunks::{MAX_CHUNKS, assemble, chunk_position, chunk_refusal_code, group_chunks, join_chunks};

fn err(step: &'static str, detail: impl Into<String>) -> Error {
    foreign("SHC", step, detail)
}

/// A verified SMART Health Card's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShcCard {
    /// The issuer URL (`iss`).
    pub issuer: String,
    /// Not valid before, with the fractional seconds the card carries.
    pub not_before: f64,
    /// Expiry, if the card has one.
    pub expires_at: Option<f64>,
    /// The card's revocation id (`vc.rid`), if any.
    pub rid: Option<String>,
    /// The credential types (`vc.type`).
    pub types: Vec<String>,
    /// The whole JWS payload (the FHIR bundle is at `vc.credentialSubject.fhirBundle`).
    pub payload: serde_json::Value,
}

/// A trusted SMART Health Cards issuer: its URL, its keys and its revocation lists.
#[derive(Debug, Clone)]
pub struct ShcIssuer {
    url: String,
    keys: ForeignKeys,
    /// Revoked ids by kid: each rid with an optional time (cards issued before it are revoked).
    revoked: HashMap<Kid, Vec<(String, Option<f64>)>>,
}

impl ShcIssuer {
    /// The issuer at `url` with the keys of its `jwks.json` (held offline). Only ES256 P-256 keys
    /// for signing whose `kid` is their RFC 7638 thumbprint are kept.
    ///
    /// # Errors
    /// [`Error::Key`] when no key qualifies.
    pub fn from_jwks(url: &str, jwks: &serde_json::Value) -> Result<Self> {
        let mut keys = ForeignKeys::new();
        for jwk in jwks.get("keys").and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            let text = |k: &str| jwk.get(k).and_then(serde_json::Value::as_str);
            if text("alg").is_some_and(|a| a != "ES256") || text("use").is_some_and(|u| u != "sig") {
                continue;
            }
            let Ok(thumbprint) = jwk_thumbprint(jwk) else { continue };
            if text("kid") != Some(thumbprint.as_str()) {
                continue;
            }
            if let Ok(key) = ForeignKey::from_jwk(jwk) {
                keys.insert(key.with_issuer(url));
            }
        }
        if keys.is_empty() {
            return Err(Error::Key("jwks.json: no ES256 P-256 signing key whose kid is its thumbprint".into()));
        }
        Ok(ShcIssuer { url: url.to_owned(), keys, revoked: HashMap::new() })
    }

    /// Adds one of the issuer's revocation lists (`.well-known/crl/<kid>.json`, method `rid`).
    ///
    /// # Errors
    /// [`Error::Foreign`] for a list of another method or without a kid.
    pub fn add_crl(&mut self, crl: &serde_json::Value) -> Result<&mut Self> {
        let kid = crl.get("kid").and_then(serde_json::Value::as_str).ok_or_else(|| err("CRL", "no kid"))?;
        if crl.get("method").and_then(serde_json::Value::as_str) != Some("rid") {
            return Err(err("CRL", "only the rid method is supported"));
        }
        let kid = Kid::new(kid.as_bytes()).ok_or_else(|| err("CRL", "an empty kid"))?;
        let entries = self.revoked.entry(kid).or_default();
        for rid in crl.get("rids").and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or_default() {
            let Some(rid) = rid.as_str() else { continue };
            match rid.split_once('.') {
                Some((id, time)) => entries.push((id.to_owned(), time.parse::<f64>().ok())),
                None => entries.push((rid.to_owned(), None)),
            }
        }
        Ok(self)
    }

    /// The issuer's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn is_revoked(&self, kid: &Kid, rid: &str, not_before: f64) -> bool {
        self.revoked
            .get(kid)
            .is_some_and(|list| list.iter().any(|(id, time)| id == rid && time.is_none_or(|t| not_before < t)))
    }
}

/// Inflates raw DEFLATE (RFC 1951), stopping at the limit.
fn inflate_raw(input: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    inflate_framed(input, Framing::RawDeflate, limits)
}

/// The three parts of a compact JWS, still base64url.
fn split_jws(jws: &str) -> Result<(&str, &str, &str)> {
    let mut pieces = jws.split('.');
    match (pieces.next(), pieces.next(), pieces.next(), pieces.next()) {
        (Some(header), Some(payload), Some(signature), None) => Ok((header, payload, signature)),
        _ => Err(err("JWS", "not three dot-separated parts")),
    }
}

fn base64url(part: &str, what: &'static str) -> Result<Vec<u8>> {
    BASE64URL_NOPAD.decode(part.as_bytes()).map_err(|_| err("JWS", format!("the {what} is not base64url")))
}

/// The JWS header as JSON.
fn jws_header(header64: &str) -> Result<serde_json::Value> {
    serde_json::from_slice(&base64url(header64, "header")?).map_err(|_| err("JWS", "the header is not JSON"))
}

/// The JWS payload: base64url, raw DEFLATE inflated under the limit, JSON.
fn jws_payload(payload64: &str, limits: &Limits) -> Result<serde_json::Value> {
    serde_json::from_slice(&inflate_raw(&base64url(payload64, "payload")?, limits)?)
        .map_err(|_| err("payload", "not JSON"))
}

/// What a SMART Health Card claims, read WITHOUT checking anything: not its signature, its
/// issuer, its times nor its revocation. For people looking at a card (`healthpass decode`),
/// never for a decision: [`ShcVerifier::verify`] is the only way to a verified card.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UnverifiedShc {
    /// The JWS header (`alg`, `kid`, `zip`), as the card states it.
    pub header: serde_json::Value,
    /// The JWS payload (`iss`, `nbf`, `vc` with the FHIR bundle), as the card states it.
    pub payload: serde_json::Value,
}

/// Reads a card WITHOUT verifying it ([`UnverifiedShc`]): one `shc:/…` text, or every chunk
/// `shc:/C/N/…` of a split card in any order ([`assemble`]), then the JWS header and the
/// payload (base64url, raw DEFLATE inflated no further than `limits.max_decompressed_len`, JSON).
///
/// # Errors
/// Those of [`assemble`] (a missing, repeated or inconsistent chunk), [`Error::TooLarge`], and
/// [`Error::Foreign`] (steps `JWS`, `payload`) or [`Error::Decompress`] for the step that failed.
pub fn decode_unverified<S: AsRef<str>>(texts: &[S], limits: &Limits) -> Result<UnverifiedShc> {
    let jws = assemble(texts, limits)?;
    let (header64, payload64, _) = split_jws(&jws)?;
    Ok(UnverifiedShc { header: jws_header(header64)?, payload: jws_payload(payload64, limits)? })
}

/// Verifies SMART Health Cards against trusted issuers and a clock the caller passes in.
#[derive(Debug, Clone)]
pub struct ShcVerifier {
    issuers: Vec<ShcIssuer>,
    skew: TimeDelta,
    limits: Limits,
}

impl ShcVerifier {
    /// A verifier trusting these issuers, with no clock skew and the default limits.
    pub fn new(issuers: impl IntoIterator<Item = ShcIssuer>) -> Self {
        ShcVerifier { issuers: issuers.into_iter().collect(), skew: TimeDelta::zero(), limits: Limits::DEFAULT }
    }

    /// The same verifier allowing `skew` of clock difference (a negative skew counts as zero).
    pub fn with_skew(mut self, skew: TimeDelta) -> Self {
        self.skew = Skew::new(skew).get();
        self
    }

    /// Verifies a card given as its QR text(s) at `now`: reassembly, the JWS header (`zip` DEF,
    /// `alg` ES256, `kid`), raw DEFLATE, `iss` a trusted issuer, the key with that kid in its
    /// JWKS, the signature, `nbf` and `exp` (fractional seconds), then the issuer's CRL.
    ///
    /// # Errors
    /// The error of the first failed step, ending with [`Error::Revoked`] for a card
    /// whose rid the issuer's CRL lists.
    pub fn verify<S: AsRef<str>>(&self, texts: &[S], now: DateTime<Utc>) -> Result<Verified<ShcCard>> {
        self.verify_jws(&assemble(texts, &self.limits)?, now)
    }

    /// Verifies a compact JWS (as in a `.smart-health-card` file), as [`ShcVerifier::verify`].
    ///
    /// # Errors
    /// As [`ShcVerifier::verify`].
    pub fn verify_jws(&self, jws: &str, now: DateTime<Utc>) -> Result<Verified<ShcCard>> {
        let limits = &self.limits;
        if jws.len() > limits.max_text_len.saturating_mul(MAX_CHUNKS) {
            return Err(Error::TooLarge { what: "JWS", limit: limits.max_text_len.saturating_mul(MAX_CHUNKS) });
        }
        let (header64, payload64, signature64) = split_jws(jws)?;
        let header = jws_header(header64)?;
        let field = |name: &str| header.get(name).and_then(serde_json::Value::as_str);
        if field("zip") != Some("DEF") {
            return Err(err("JWS", "the header's zip is not DEF"));
        }
        match field("alg") {
            Some("ES256") => {}
            Some(other) => return Err(Error::UnsupportedAlg(other.to_owned())),
            None => return Err(Error::MissingAlg { in_unprotected: false }),
        }
        let kid = Kid::new(field("kid").ok_or(Error::MissingKid)?.as_bytes()).ok_or(Error::MissingKid)?;
        let payload = jws_payload(payload64, limits)?;
        let iss = payload.get("iss").and_then(serde_json::Value::as_str).ok_or_else(|| err("payload", "no iss"))?;
        let issuer =
            self.issuers.iter().find(|i| i.url == iss).ok_or_else(|| Error::UntrustedIssuer(iss.to_owned()))?;
        let signed_len = header64.len() + 1 + payload64.len();
        let signed = jws.get(..signed_len).ok_or_else(|| err("JWS", "truncated"))?;
        let key =
            issuer.keys.verify(&kid, ForeignAlg::Es256, signed.as_bytes(), &base64url(signature64, "signature")?)?;
        let number = |name: &str| payload.get(name).and_then(serde_json::Value::as_f64);
        let not_before = number("nbf").ok_or_else(|| err("payload", "no nbf"))?;
        let expires_at = number("exp");
        let window = Window {
            issued_at: None,
            not_before: Some(instant(not_before, "nbf")?),
            expires_at: expires_at.map(|e| instant(e, "exp")).transpose()?,
        };
        window.check(now, Skew::new(self.skew))?;
        let vc = payload.get("vc").ok_or_else(|| err("payload", "no vc"))?;
        let rid = vc.get("rid").and_then(serde_json::Value::as_str).map(str::to_owned);
        if let Some(rid) = &rid {
            if issuer.is_revoked(key.kid(), rid, not_before) {
                return Err(Error::Revoked(format!("the issuer has revoked this credential (revocation id {rid})")));
            }
        }
        let types = vc
            .get("type")
            .and_then(serde_json::Value::as_array)
            .map(|t| t.iter().filter_map(serde_json::Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        let card = ShcCard { issuer: iss.to_owned(), not_before, expires_at, rid, types, payload };
        Ok(Verified::new(card, key.kid().clone(), KeyFingerprint::of(key.spki_der())))
    }

    /// Verifies a card and maps it to the common claims ([`to_claims`]).
    ///
    /// # Errors
    /// Those of [`ShcVerifier::verify`] and [`to_claims`].
    pub fn verify_claims<S: AsRef<str>>(&self, texts: &[S], now: DateTime<Utc>) -> Result<ForeignCode> {
        let card = self.verify(texts, now)?;
        let claims = to_claims(&card)?;
        claims.validate(self.limits.max_text_string_len)?;
        claims.check_evidence_times(now, self.skew)?;
        let (kid, key) = (card.kid().clone(), *card.key_fingerprint());
        Ok(ForeignCode { claims: Verified::new(claims, kid, key), payload: ForeignPayload::Shc(card.into_inner()) })
    }
}

/// A JWT time (seconds, perhaps fractional) as an instant to the millisecond: `nbf` rounded
/// up and `exp` down, so that the window is never wider than the card states.
fn instant(seconds: f64, name: &'static str) -> Result<DateTime<Utc>> {
    let millis = seconds * 1000.0;
    let millis = if name == "nbf" { millis.ceil() } else { millis.floor() };
    // `as` saturates, and chrono refuses what it cannot represent.
    DateTime::from_timestamp_millis(millis as i64)
        .filter(|_| millis.is_finite())
        .ok_or_else(|| err("payload", format!("{name} is out of range")))
}

/// Maps a card that holds immunizations to the common claims: Green / Vaccinated, each
/// completed Immunization as a vaccination (dose `i` of the `n` the card lists, product the
/// first vaccine code), the Patient's name and birth date. `not_before` is `nbf` rounded up to
/// the second; a card without `exp` gets the end of year 9999.
///
/// # Errors
/// [`Error::Foreign`] (step `claims`) for a card without a Patient or without immunizations
/// (a lab report has no health status to map).
pub fn to_claims(card: &ShcCard) -> Result<Claims> {
    let entries = card
        .payload
        .pointer("/vc/credentialSubject/fhirBundle/entry")
        .and_then(serde_json::Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let resources: Vec<&serde_json::Value> = entries.iter().filter_map(|e| e.get("resource")).collect();
    let is = |r: &serde_json::Value, t: &str| r.get("resourceType").and_then(serde_json::Value::as_str) == Some(t);
    let patient =
        resources.iter().copied().find(|r| is(r, "Patient")).ok_or_else(|| err("claims", "the card has no Patient"))?;
    let shots: Vec<&serde_json::Value> = resources
        .iter()
        .copied()
        .filter(|r| is(r, "Immunization"))
        .filter(|i| i.get("status").and_then(serde_json::Value::as_str) == Some("completed"))
        .collect();
    if shots.is_empty() {
        return Err(err("claims", "the card holds no completed immunization: no health status to map"));
    }
    let doses = u8::try_from(shots.len()).map_err(|_| err("claims", "too many immunizations"))?;
    let mut vaccinations = Vec::new();
    for (dose, shot) in (1..=doses).zip(&shots) {
        let product = shot
            .pointer("/vaccineCode/coding/0/code")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| err("claims", "an immunization has no vaccine code"))?;
        let date = shot
            .get("occurrenceDateTime")
            .and_then(serde_json::Value::as_str)
            .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok())
            .ok_or_else(|| err("claims", "an immunization has no date"))?;
        vaccinations.push(Vaccination { product: product.to_owned(), dose, doses, date });
    }
    let name = patient.pointer("/name/0");
    let family = name.and_then(|n| n.get("family")).and_then(serde_json::Value::as_str).unwrap_or_default();
    let given: Vec<&str> = name
        .and_then(|n| n.get("given"))
        .and_then(serde_json::Value::as_array)
        .map(|g| g.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    let birth = patient.get("birthDate").and_then(serde_json::Value::as_str).unwrap_or_default();
    let full_name = given.iter().copied().chain((!family.is_empty()).then_some(family)).collect::<Vec<_>>().join(" ");
    let not_before =
        DateTime::from_timestamp(card.not_before.ceil() as i64, 0).ok_or_else(|| err("claims", "nbf out of range"))?;
    let expires_at = DateTime::from_timestamp(card.expires_at.map_or(NO_EXPIRY, |e| e.floor() as i64), 0)
        .ok_or_else(|| err("claims", "exp out of range"))?;
    let identifier = format!("{}#{}", card.issuer, card.rid.as_deref().unwrap_or(&full_name));
    Ok(Claims {
        issuer: card.issuer.clone(),
        credential_id: hashed_credential_id(&identifier),
        issued_at: not_before,
        not_before,
        expires_at,
        colour: Colour::Green,
        reasons: vec![Reason::Vaccinated],
        kind: CredentialKind::Personal,
        subject: Subject {
            id: foreign_subject_id("SHC", &format!("{family}<<{}", given.join("<")), birth),
            name: (!full_name.is_empty()).then_some(full_name),
            birth_date: NaiveDate::parse_from_str(birth, "%Y-%m-%d").ok(),
            document: None,
        },
        holder: None,
        evidence: Evidence { vaccinations, ..Evidence::default() },
    })
}
