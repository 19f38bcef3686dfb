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
/// Most chunks one card may be split into.
const MAX_CHUNKS: usize = 16;
/// The expiry given to cards without `exp` in the common claims: the end of year 9999.
const NO_EXPIRY: i64 = 253_402_300_799;

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

/// Joins numeric QR texts into the compact JWS: one `shc:/…` text, or every chunk
/// `shc:/C/N/…` of a split card in any order.
///
/// # Errors
/// [`Error::Prefix`], and [`Error::Foreign`] for malformed digits or an incomplete, repeated or
/// inconsistent set of chunks.
pub fn assemble<S: AsRef<str>>(texts: &[S], limits: &Limits) -> Result<String> {
    if texts.len() > MAX_CHUNKS {
        return Err(Error::TooLarge { what: "SHC chunks", limit: MAX_CHUNKS });
    }
    let mut parts: Vec<Option<String>> = Vec::new();
    for text in texts {
        let rest = healthpass::transport::strip_prefix(text.as_ref(), SHC_PREFIX, limits)?;
        let fields: Vec<&str> = rest.split('/').collect();
        let (index, total, digits) = match fields.as_slice() {
            [digits] => (1, 1, *digits),
            [index, total, digits] => {
                // Digits only: `usize::from_str` would also take a leading `+`.
                let number = |s: &str| {
                    s.bytes()
                        .all(|b| b.is_ascii_digit())
                        .then(|| s.parse::<usize>().ok())
                        .flatten()
                        .filter(|n| (1..=MAX_CHUNKS).contains(n))
                };
                let index = number(index).ok_or_else(|| err("chunks", "bad chunk index"))?;
                let total = number(total).ok_or_else(|| err("chunks", "bad chunk count"))?;
                (index, total, *digits)
            }
            _ => return Err(err("chunks", "expected shc:/DIGITS or shc:/C/N/DIGITS")),
        };
        if parts.is_empty() {
            parts = vec![None; total];
        }
        if parts.len() != total || index > total {
            return Err(err("chunks", "the chunks disagree on their count"));
        }
        let slot = parts.get_mut(index - 1).ok_or_else(|| err("chunks", "bad chunk index"))?;
        if slot.is_some() {
            return Err(err("chunks", "a chunk is repeated"));
        }
        *slot = Some(numeric_to_text(digits)?);
    }
    let mut jws = String::new();
    for part in parts {
        jws.push_str(&part.ok_or_else(|| err("chunks", "a chunk is missing"))?);
    }
    if jws.is_empty() {
        return Err(err("chunks", "no code"));
    }
    Ok(jws)
}

/// Numeric mode: each pair of digits is a character's code minus 45.
fn numeric_to_text(digits: &str) -> Result<String> {
    let bytes = digits.as_bytes();
    if bytes.len() % 2 != 0 || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(err("numeric", "not an even number of digits"));
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match pair {
            [a, b] => {
                let value = (a - b'0') * 10 + (b - b'0');
                if value > 77 { Err(err("numeric", "a digit pair is above 77")) } else { Ok(char::from(value + 45)) }
            }
            _ => Err(err("numeric", "odd digit")),
        })
        .collect()
}

/// Inflates raw DEFLATE (RFC 1951), stopping at the limit.
fn inflate_raw(input: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    inflate_framed(input, Framing::RawDeflate, limits)
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
        let mut pieces = jws.split('.');
        let (Some(header64), Some(payload64), Some(signature64), None) =
            (pieces.next(), pieces.next(), pieces.next(), pieces.next())
        else {
            return Err(err("JWS", "not three dot-separated parts"));
        };
        let decode = |part: &str, what: &'static str| {
            BASE64URL_NOPAD.decode(part.as_bytes()).map_err(|_| err("JWS", format!("the {what} is not base64url")))
        };
        let header: serde_json::Value =
            serde_json::from_slice(&decode(header64, "header")?).map_err(|_| err("JWS", "the header is not JSON"))?;
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
        let payload: serde_json::Value = serde_json::from_slice(&inflate_raw(&decode(payload64, "payload")?, limits)?)
            .map_err(|_| err("payload", "not JSON"))?;
        let iss = payload.get("iss").and_then(serde_json::Value::as_str).ok_or_else(|| err("payload", "no iss"))?;
        let issuer =
            self.issuers.iter().find(|i| i.url == iss).ok_or_else(|| Error::UntrustedIssuer(iss.to_owned()))?;
        let signed_len = header64.len() + 1 + payload64.len();
        let signed = jws.get(..signed_len).ok_or_else(|| err("JWS", "truncated"))?;
        let key = issuer.keys.verify(&kid, ForeignAlg::Es256, signed.as_bytes(), &decode(signature64, "signature")?)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The step and detail of an SHC format error, or a description of any other outcome.
    fn shc_fault<T: std::fmt::Debug>(result: Result<T>) -> (String, String) {
        match result {
            Err(Error::Foreign { format: "SHC", step, detail }) => (step.to_owned(), detail),
            other => (format!("{other:?}"), String::new()),
        }
    }

    fn numeric(detail: &str) -> (String, String) {
        ("numeric".to_owned(), detail.to_owned())
    }

    fn chunks(detail: &str) -> (String, String) {
        ("chunks".to_owned(), detail.to_owned())
    }

    #[test]
    fn numeric_mode_round_trip_and_faults() {
        assert_eq!(numeric_to_text("5676").unwrap(), "ey");
        assert_eq!(shc_fault(numeric_to_text("567")), numeric("not an even number of digits"));
        assert_eq!(shc_fault(numeric_to_text("78")), numeric("a digit pair is above 77"));
        assert_eq!(shc_fault(numeric_to_text("5a")), numeric("not an even number of digits"));
        assert_eq!(numeric_to_text("77").unwrap(), "z", "77 is the highest pair");
    }

    #[test]
    fn chunks_must_be_complete_and_consistent() {
        let l = Limits::DEFAULT;
        assert_eq!(assemble(&["shc:/2/2/5676", "shc:/1/2/5676"], &l).unwrap(), "eyey");
        assert_eq!(shc_fault(assemble(&["shc:/1/2/5676"], &l)), chunks("a chunk is missing"));
        assert_eq!(shc_fault(assemble(&["shc:/1/2/5676", "shc:/1/2/5676"], &l)), chunks("a chunk is repeated"));
        assert_eq!(
            shc_fault(assemble(&["shc:/1/2/5676", "shc:/2/3/5676"], &l)),
            chunks("the chunks disagree on their count")
        );
        assert_eq!(shc_fault(assemble(&["shc:/0/2/5676"], &l)), chunks("bad chunk index"));
        assert_eq!(
            shc_fault(assemble(&["shc:/+2/2/5676", "shc:/1/2/5676"], &l)),
            chunks("bad chunk index"),
            "a sign is not a digit"
        );
        assert_eq!(shc_fault(assemble(&["shc:/1/+1/5676"], &l)), chunks("bad chunk count"));
        assert_eq!(
            shc_fault(assemble(&["shc:/3/2/5676", "shc:/1/2/5676"], &l)),
            chunks("the chunks disagree on their count")
        );
        assert_eq!(shc_fault(assemble(&["shc:/1/17/56"], &l)), chunks("bad chunk count"), "at most 16 chunks");
        assert_eq!(shc_fault(assemble::<&str>(&[], &l)), chunks("no code"));
        let seventeen = vec!["shc:/56"; MAX_CHUNKS + 1];
        assert_eq!(assemble(&seventeen, &l).unwrap_err().code(), "too_large");
        assert_eq!(assemble(&["SHC:/56"], &l).unwrap_err().code(), "prefix");
    }
}
