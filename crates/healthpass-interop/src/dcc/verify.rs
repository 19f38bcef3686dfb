//! The DCC verifier: signature, issuing country, key usage and times, then the claims.

use chrono::{DateTime, TimeDelta, Utc};

use super::{DccCwt, UnverifiedDcc, check_issuer_country, claimed_country, decode, err, to_claims};
use crate::crypto::{CertificateInfo, ForeignKey, ForeignKeys};
use crate::{ForeignCode, ForeignPayload};
use healthpass::verify::{Skew, Window};
use healthpass::{Error, Limits, Result, Verified};

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
    /// times ([`check_validity`]), the mapping to [`Claims`](healthpass::Claims), and no evidence dated in the
    /// future ([`Claims::check_evidence_times`](healthpass::Claims::check_evidence_times)).
    ///
    /// # Errors
    /// The error of the first failed check.
    pub fn verify_code(&self, code: &UnverifiedDcc, now: DateTime<Utc>) -> Result<ForeignCode> {
        let key = self.verify_signature(code)?;
        let (cwt, payload) = decode::cwt(code.message().payload(), &self.limits, true)?;
        let payload = payload.ok_or_else(|| err("CWT", "no DCC"))?;
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
            claims: Verified::new(claims, key.kid().clone(), *key.fingerprint()),
            payload: ForeignPayload::Dcc(payload),
        })
    }
}
