//! The issuer: claims → CWT → COSE_Sign1 → (zlib) → base45 → `HP1:` text.

use crate::claims::Evidence;
use crate::keys::{Kid, SigningKey};
use crate::transport::{encode_base45, wrap_body};
use crate::{Claims, Limits, PREFIX, Result, cose};

/// zlib finds only repeats: text, and the entries of an evidence list. A code with under this
/// many bytes of text and no list of two entries or more shrinks by a few bytes at most (the
/// typical code by one), for a cost about that of the signature (BENCHMARKS.md), so it is sent as
/// it is, unless that would not fit.
const ZLIB_MIN_TEXT: usize = 24;

/// The longest text an issuer makes: what a QR code of version 40 holds in alphanumeric mode at
/// error-correction level M.
pub const MAX_ISSUED_TEXT: usize = 3_391;

/// Signs claims into code text with one secret key.
///
/// ```
/// use healthpass::{Issuer, SigningKey};
/// let issuer = Issuer::new(SigningKey::demo());
/// assert_eq!(issuer.kid(), SigningKey::demo().kid());
/// ```
#[derive(Debug)]
pub struct Issuer {
    key: SigningKey,
    limits: Limits,
}

impl Issuer {
    /// An issuer signing with `key`, checking claims under the default [`Limits`].
    pub fn new(key: SigningKey) -> Self {
        Issuer { key, limits: Limits::DEFAULT }
    }

    /// The same issuer with other limits (the text-length caps of [`Claims::validate`]).
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The kid that every code from this issuer carries.
    pub fn kid(&self) -> Kid {
        self.key.kid()
    }

    /// Issues a code: the `HP1:` text that goes into a QR code.
    ///
    /// Sub-second parts of the claims' times are dropped. The zlib form is tried when the claims
    /// hold repeats (at least 24 bytes of text, or an evidence list of two entries or more) or
    /// when the plain COSE bytes would make a text over the limit, and sent when it is shorter
    /// (see `docs/FORMAT.md` §2): claims that fit only compressed are issued compressed.
    ///
    /// # Errors
    /// [`crate::Error::Claims`] or [`crate::Error::TooLarge`] if the claims break
    /// [`Claims::validate`], or if the text would not fit the limits a verifier applies.
    pub fn issue(&self, claims: &Claims) -> Result<String> {
        let cose = self.issue_cose(claims)?;
        let limit = self.limits.max_text_len.min(MAX_ISSUED_TEXT);
        // base45 writes two bytes as three characters and a last odd byte as two.
        let plain_text_len = PREFIX.len() + cose.len() / 2 * 3 + cose.len() % 2 * 2;
        let text_bytes: usize = claims.texts().map(str::len).sum();
        let try_zlib = text_bytes >= ZLIB_MIN_TEXT || has_repeated_entries(&claims.evidence) || plain_text_len > limit;
        let body = if try_zlib { wrap_body(cose) } else { cose };
        let text = format!("{PREFIX}{}", encode_base45(&body));
        if text.len() > limit {
            return Err(crate::Error::TooLarge { what: "code text", limit });
        }
        Ok(text)
    }

    /// Issues the signed COSE_Sign1 bytes alone, before compression and base45.
    ///
    /// # Errors
    /// As [`Issuer::issue`].
    pub fn issue_cose(&self, claims: &Claims) -> Result<Vec<u8>> {
        claims.validate(self.limits.max_text_string_len)?;
        cose::sign(claims.to_cbor(), &self.key)
    }
}

/// Whether an evidence list holds two entries or more: repeated structure for zlib to find.
fn has_repeated_entries(e: &Evidence) -> bool {
    [e.tests.len(), e.vaccinations.len(), e.temperatures.len(), e.travel.len(), e.decisions.len()]
        .iter()
        .any(|n| *n > 1)
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::*;
    use crate::claims::{Evidence, Reason, Subject, TemperatureCheck};
    use crate::transport::{ZLIB_HEADER_BYTE, decode_base45};
    use crate::{Error, Verifier};

    fn readings(place: impl Fn(usize) -> Option<String>) -> Claims {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        Claims {
            reasons: vec![Reason::NormalReports],
            evidence: Evidence {
                temperatures: (0..512)
                    .map(|i| TemperatureCheck { decicelsius: 366, at: now - TimeDelta::hours(1), place: place(i) })
                    .collect(),
                ..Evidence::default()
            },
            ..Claims::example(now)
        }
    }

    /// FORMAT.md §2: claims with under 24 bytes of text are compressed when an evidence list
    /// repeats. 512 repeated readings are over 8,000 characters uncompressed, over the issuer's
    /// 3,391, and fit compressed: they issue and verify.
    #[test]
    fn claims_that_fit_only_compressed_are_issued_compressed() {
        let claims = readings(|_| None);
        assert!(claims.texts().map(str::len).sum::<usize>() < ZLIB_MIN_TEXT);
        let issuer = Issuer::new(SigningKey::from_seed(&[0x11; 32]));
        let plain = format!("{PREFIX}{}", encode_base45(&issuer.issue_cose(&claims).unwrap()));
        assert!(plain.len() > MAX_ISSUED_TEXT, "{}", plain.len());
        let text = issuer.issue(&claims).unwrap();
        assert!(text.len() < 400, "{}", text.len());
        let body = decode_base45(&text[PREFIX.len()..]).unwrap();
        assert_eq!(body.first(), Some(&ZLIB_HEADER_BYTE));
        let keys = [issuer.key.public_key()].into_iter().collect();
        let verified = Verifier::new(keys).verify(&text, claims.issued_at).unwrap();
        assert_eq!(verified.into_inner(), claims);
    }

    /// The typical code is sent as it is (zlib would save one byte); two readings of the same
    /// claims are compressed, the same as a text of 24 bytes; a code whose plain form would
    /// not fit is compressed whatever it holds.
    #[test]
    fn zlib_is_tried_for_repeats_or_when_the_plain_form_does_not_fit() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap();
        let issuer = Issuer::new(SigningKey::from_seed(&[0x11; 32]));
        let first_byte = |claims: &Claims| {
            let text = issuer.issue(claims).unwrap();
            decode_base45(&text[PREFIX.len()..]).unwrap().first().copied()
        };
        let typical = Claims::example(now);
        assert_eq!(first_byte(&typical), Some(0xd2));
        let reading = TemperatureCheck { decicelsius: 366, at: now - TimeDelta::hours(1), place: None };
        let two = Claims {
            evidence: Evidence { temperatures: vec![reading; 2], ..typical.evidence.clone() },
            ..typical.clone()
        };
        assert_eq!(first_byte(&two), Some(ZLIB_HEADER_BYTE));
        let long_name = Subject { name: Some("x".repeat(24 - typical.issuer.len())), ..typical.subject.clone() };
        assert_eq!(first_byte(&Claims { subject: long_name, ..typical.clone() }), Some(ZLIB_HEADER_BYTE));
        let small = Issuer::new(SigningKey::from_seed(&[0x11; 32]))
            .with_limits(Limits { max_text_len: 260, ..Limits::DEFAULT });
        let text = small.issue(&typical).unwrap();
        assert_eq!(decode_base45(&text[PREFIX.len()..]).unwrap().first(), Some(&ZLIB_HEADER_BYTE));
    }

    /// Claims too large even compressed are still refused, at the issuer's limit.
    #[test]
    fn claims_too_large_even_compressed_are_refused() {
        let claims = readings(|i| Some(crate::hex::encode(&<sha2::Sha256 as sha2::Digest>::digest(i.to_be_bytes()))));
        let issuer = Issuer::new(SigningKey::from_seed(&[0x11; 32]));
        assert_eq!(issuer.issue(&claims), Err(Error::TooLarge { what: "code text", limit: MAX_ISSUED_TEXT }));
    }
}
