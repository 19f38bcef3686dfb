//! A DCC in the common claim model, and the identifiers derived from it.

use chrono::Utc;
use chrono::{DateTime, NaiveDate};
use sha2::{Digest, Sha256};

use super::{
    DccCwt, DccEntry, DccPayload, TEST_DETECTED, TEST_NOT_DETECTED, TEST_TYPE_NAAT, TEST_TYPE_RAT, claimed_country, err,
};
use healthpass::claims::{TestKind, TestOutcome, TestResult, Vaccination};
use healthpass::{Claims, Colour, CredentialId, CredentialKind, Evidence, Reason, Result, Subject, SubjectId};

/// Parses a DCC date-time: RFC 3339, or ISO 8601 with a `+hhmm` offset, kept to whole seconds.
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let parsed = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z"))
        .ok()?;
    DateTime::from_timestamp(parsed.timestamp(), 0)
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
/// replaces it with the country bound to the signer ([`DccVerifier::verify_code`](super::DccVerifier::verify_code)).
///
/// # Errors
/// [`Error::Foreign`](healthpass::Error::Foreign) for a missing `iat`/`exp`, an unknown test type or result, or an
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
