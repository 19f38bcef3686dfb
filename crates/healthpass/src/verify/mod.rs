//! The verifier: code text → checked signature, key and validity → [`Verified`] claims.
//!
//! [`Verifier`] checks a code against a plain [`KeySet`], one at a time or
//! many with one equation ([`Verifier::verify_batch`]). The decisions a checkpoint makes beyond
//! the signature (trust lists, revocation, policy, clock) are in [`crate::decide`].

mod authenticate;
mod batch;
pub(crate) mod signature;
mod window;

pub use authenticate::authenticate;
pub use window::{Skew, Window};

use chrono::{DateTime, TimeDelta, Utc};

use crate::trust::{KeyFingerprint, KeySet, TrustedKey};

use crate::cose::{Alg, CoseMessage, Profile};
use crate::keys::Kid;
use crate::transport::{decode_base45, strip_prefix, unwrap_body};
use crate::{Claims, Error, Limits, PREFIX, Result};

/// A value that only a verifier can construct: its signature checked under a trusted key, and
/// its validity window checked against the caller's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified<T> {
    value: T,
    kid: Kid,
    key: KeyFingerprint,
}

impl<T> Verified<T> {
    #[cfg(not(feature = "hazmat"))]
    pub(crate) fn new(value: T, kid: Kid, key: KeyFingerprint) -> Self {
        Verified { value, kid, key }
    }

    /// Wraps a value whose signature the caller has checked with the key of `key`, named by
    /// `kid`: for verifiers of other formats (the `healthpass-interop` crate). A checkpoint
    /// decides about a `Verified` value as if this crate had checked it, so call it only after
    /// the signature has verified.
    #[cfg(feature = "hazmat")]
    pub fn new(value: T, kid: Kid, key: KeyFingerprint) -> Self {
        Verified { value, kid, key }
    }

    /// The kid of the key that signed it.
    pub fn kid(&self) -> &Kid {
        &self.kid
    }

    /// The fingerprint of the key whose signature verified (SHA-256 of the key's bytes as a
    /// trust list holds them). [`Checkpoint::check_verified`](crate::Checkpoint::check_verified)(crate::Checkpoint::check_verified) trusts only a trust-list entry
    /// holding this very key, not merely one with the same kid.
    pub fn key_fingerprint(&self) -> &KeyFingerprint {
        &self.key
    }

    /// The verified value, giving up the proof that it was verified.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T> std::ops::Deref for Verified<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A native code that has been decoded but not verified.
///
/// Reading its claims needs [`UnverifiedCode::claims_unverified`]: a loud name for data that
/// nobody has vouched for.
#[derive(Debug, Clone)]
pub struct UnverifiedCode {
    message: CoseMessage,
}

impl UnverifiedCode {
    /// Decodes `HP1:` text: length, prefix, base45, optional bounded zlib, COSE_Sign1 structure.
    ///
    /// # Errors
    /// The error of the first step that fails: [`Error::TooLarge`], [`Error::Prefix`],
    /// [`Error::Base45`], [`Error::Body`], [`Error::Decompress`], [`Error::Cbor`],
    /// [`Error::TrailingBytes`] or [`Error::DuplicateKey`].
    pub fn parse(text: &str, limits: &Limits) -> Result<Self> {
        let body = decode_base45(strip_prefix(text, PREFIX, limits)?)?;
        let cose = unwrap_body(body, limits)?;
        Ok(UnverifiedCode { message: CoseMessage::decode(&cose, Profile::Native, limits)? })
    }

    /// Checks that the protected header names EdDSA, the only algorithm of native codes. An
    /// `alg` in the unprotected header is never used.
    ///
    /// # Errors
    /// [`Error::MissingAlg`] or [`Error::UnsupportedAlg`].
    pub fn check_alg(&self) -> Result<()> {
        match self.message.protected_alg()? {
            alg if alg.is(Alg::EDDSA) => Ok(()),
            other => Err(Error::UnsupportedAlg(other.to_string())),
        }
    }

    /// The kid in the protected header.
    ///
    /// # Errors
    /// [`Error::MissingKid`] if there is none or it is empty.
    pub fn kid(&self) -> Result<Kid> {
        self.message.protected_kid().ok_or(Error::MissingKid)
    }

    /// The bytes the signature covers: `["Signature1", protected header bytes as received,
    /// h'' (empty external AAD), payload]` (RFC 9052 §4.4).
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.message.signed_bytes()
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        self.message.signature()
    }

    /// The payload bytes: the CWT, not yet vouched for.
    pub fn payload(&self) -> &[u8] {
        self.message.payload()
    }

    /// The claims, decoded **without** checking the signature or the validity window. For
    /// display and debugging only; never base a decision on them.
    ///
    /// # Errors
    /// The errors of [`Claims::from_cbor`].
    pub fn claims_unverified(&self, limits: &Limits) -> Result<Claims> {
        Claims::from_cbor(self.payload(), limits)
    }
}

/// Checks native codes against a set of trusted keys and a clock the caller passes in.
///
/// The verifier never reads the system clock: every call takes `now`.
#[derive(Debug, Clone)]
pub struct Verifier {
    keys: KeySet,
    skew: TimeDelta,
    limits: Limits,
}

impl Verifier {
    /// The default clock skew allowed on `exp`, `nbf` and `iat`: 5 minutes.
    pub const DEFAULT_SKEW: TimeDelta = TimeDelta::minutes(5);

    /// A verifier trusting `keys`, with the default skew and limits.
    pub fn new(keys: KeySet) -> Self {
        Verifier { keys, skew: Self::DEFAULT_SKEW, limits: Limits::DEFAULT }
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

    /// The limits this verifier applies.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Verifies code text at time `now`.
    ///
    /// # Errors
    /// The error of the first failed step: those of [`UnverifiedCode::parse`], then those of
    /// [`Verifier::verify_code`].
    pub fn verify(&self, text: &str, now: DateTime<Utc>) -> Result<Verified<Claims>> {
        self.verify_code(&UnverifiedCode::parse(text, &self.limits)?, now)
    }

    /// Verifies a decoded code at time `now`, in this order: `alg` from the protected header
    /// only (EdDSA), the kid, a signature by a trusted key with that kid
    /// ([`PublicKey::verify_cofactored`](crate::PublicKey::verify_cofactored); each key sharing
    /// the kid is tried), the claims, the issuer bound to the key, then `iat`, `nbf`
    /// and `exp` against `now` with the skew, and no evidence dated in the future
    /// ([`Claims::check_evidence_times`]).
    ///
    /// # Errors
    /// [`Error::MissingAlg`], [`Error::UnsupportedAlg`], [`Error::MissingKid`],
    /// [`Error::UnknownKid`], [`Error::BadSignature`], the claim errors of [`Claims::from_cbor`],
    /// [`Error::IssuerMismatch`], [`Error::IssuedInFuture`], [`Error::NotYetValid`], [`Error::Expired`],
    /// [`Error::EvidenceInFuture`].
    pub fn verify_code(&self, code: &UnverifiedCode, now: DateTime<Utc>) -> Result<Verified<Claims>> {
        let (kid, candidates) = self.candidates(code)?;
        let signed = code.signed_bytes();
        let signers = authenticate(
            &kid,
            candidates,
            |k| k.key.verify_cofactored(&signed, code.signature()),
            |kid| Error::UnknownKid(kid.to_string()),
        )?;
        self.finish(code, &signers, kid, now)
    }

    /// Steps 5 and 6: the algorithm from the protected header, and the trusted keys with the kid.
    fn candidates(&self, code: &UnverifiedCode) -> Result<(Kid, &[TrustedKey])> {
        code.check_alg()?;
        let kid = code.kid()?;
        let candidates = self.keys.get(&kid);
        if candidates.is_empty() {
            return Err(Error::UnknownKid(kid.to_string()));
        }
        Ok((kid, candidates))
    }

    /// Steps 8 to 10, after the signature has verified under each of `signers`: the claims, the
    /// issuer (one signer must be unbound or bound to the code's issuer), the times.
    fn finish(
        &self,
        code: &UnverifiedCode,
        signers: &[&TrustedKey],
        kid: Kid,
        now: DateTime<Utc>,
    ) -> Result<Verified<Claims>> {
        let claims = Claims::from_cbor(code.payload(), &self.limits)?;
        let Some(signer) = signers.iter().find(|k| k.issuer.as_ref().is_none_or(|issuer| *issuer == claims.issuer))
        else {
            return Err(Error::IssuerMismatch);
        };
        check_times(&claims, now, self.skew)?;
        claims.check_evidence_times(now, self.skew)?;
        Ok(Verified::new(claims, kid, KeyFingerprint::of_ed25519(&signer.key)))
    }
}

fn check_times(claims: &Claims, now: DateTime<Utc>, skew: TimeDelta) -> Result<()> {
    let window = Window {
        issued_at: Some(claims.issued_at),
        not_before: Some(claims.not_before),
        expires_at: Some(claims.expires_at),
    };
    window.check(now, Skew::new(skew))
}
