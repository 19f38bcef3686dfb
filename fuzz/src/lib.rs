//! Helpers shared by the fuzz targets: claims built from fuzz bytes, and the `image` target's
//! input (`image_input`).

pub mod image_input;

use arbitrary::{Result, Unstructured};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use healthpass::claims::{
    DeclarationCategory, DocumentKind, OfficerDecision, Relation, TemperatureCheck, TestKind, TestOutcome, TestResult,
    TravelRecord, Vaccination,
};
use healthpass::{Claims, Colour, CredentialId, CredentialKind, Evidence, Holder, Reason, Subject, SubjectId};

/// Whole seconds that chrono can represent, well inside its range so that offsets stay valid.
const MAX_SECONDS: i64 = 8_000_000_000_000;
/// Days that `NaiveDate` can represent, around 1970.
const MAX_DAYS: i64 = 90_000_000;

/// A validity window built from fuzz bytes: `issued_at`, `not_before` and `expires_at`, with
/// `expires_at` after `not_before` (the rule `Claims::validate` enforces).
pub fn times(u: &mut Unstructured) -> Result<(DateTime<Utc>, DateTime<Utc>, DateTime<Utc>)> {
    let iat = u.int_in_range(-MAX_SECONDS..=MAX_SECONDS)?;
    let nbf = iat + u.int_in_range(-1_000_000..=1_000_000_000)?;
    let exp = nbf + u.int_in_range(1..=1_000_000_000)?;
    Ok((second(iat)?, second(nbf)?, second(exp)?))
}

fn second(secs: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0).ok_or(arbitrary::Error::IncorrectFormat)
}

fn time(u: &mut Unstructured) -> Result<DateTime<Utc>> {
    second(u.int_in_range(-MAX_SECONDS..=MAX_SECONDS)?)
}

fn date(u: &mut Unstructured) -> Result<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or(arbitrary::Error::IncorrectFormat)?;
    epoch.checked_add_signed(TimeDelta::days(u.int_in_range(-MAX_DAYS..=MAX_DAYS)?)).ok_or(arbitrary::Error::IncorrectFormat)
}

/// Text of up to 48 bytes (sometimes empty, any Unicode).
fn text(u: &mut Unstructured) -> Result<String> {
    let len = u.int_in_range(0..=48)?;
    Ok(String::from_utf8_lossy(u.bytes(len.min(u.len()))?).into_owned())
}

fn opt<T>(u: &mut Unstructured, f: impl FnOnce(&mut Unstructured) -> Result<T>) -> Result<Option<T>> {
    if u.arbitrary()? { f(u).map(Some) } else { Ok(None) }
}

fn list<T>(u: &mut Unstructured, mut f: impl FnMut(&mut Unstructured) -> Result<T>) -> Result<Vec<T>> {
    let n = u.int_in_range(0..=3)?;
    (0..n).map(|_| f(u)).collect()
}

fn pick<T: Copy>(u: &mut Unstructured, all: &[T]) -> Result<T> {
    u.choose(all).copied()
}

/// Claims built from fuzz bytes, covering every field and variant of the model.
pub fn claims(u: &mut Unstructured) -> Result<Claims> {
    let (issued_at, not_before, expires_at) = times(u)?;
    let kind = match u.int_in_range(0..=3)? {
        0 => CredentialKind::Personal,
        1 => CredentialKind::Student { school: text(u)?, class: text(u)? },
        2 => CredentialKind::CrossBorder { category: pick(u, DeclarationCategory::ALL)? },
        _ => CredentialKind::Venue { venue_id: text(u)?, name: opt(u, text)?, region: opt(u, text)? },
    };
    let mut reasons = list(u, |u| pick(u, Reason::ALL))?;
    if reasons.is_empty() || u.arbitrary()? {
        reasons.push(pick(u, Reason::ALL)?);
    }
    Ok(Claims {
        issuer: text(u)?,
        credential_id: CredentialId(u.arbitrary()?),
        issued_at,
        not_before,
        expires_at,
        colour: pick(u, Colour::ALL)?,
        reasons,
        kind,
        subject: Subject {
            id: SubjectId(u.arbitrary()?),
            name: opt(u, text)?,
            birth_date: opt(u, date)?,
            document: opt(u, |u| pick(u, DocumentKind::ALL))?,
        },
        holder: opt(u, |u| {
            Ok(Holder {
                relation: pick(u, Relation::ALL)?,
                name: opt(u, text)?,
                id: opt(u, |u| Ok(SubjectId(u.arbitrary()?)))?,
            })
        })?,
        evidence: Evidence {
            tests: list(u, |u| {
                Ok(TestResult {
                    kind: pick(u, TestKind::ALL)?,
                    result: pick(u, TestOutcome::ALL)?,
                    sampled_at: time(u)?,
                    facility: opt(u, text)?,
                })
            })?,
            vaccinations: list(u, |u| {
                Ok(Vaccination { product: text(u)?, dose: u.arbitrary()?, doses: u.arbitrary()?, date: date(u)? })
            })?,
            temperatures: list(u, |u| {
                Ok(TemperatureCheck { decicelsius: u.arbitrary()?, at: time(u)?, place: opt(u, text)? })
            })?,
            travel: list(u, |u| Ok(TravelRecord { region: text(u)?, from: date(u)?, until: opt(u, date)? }))?,
            residency: opt(u, text)?,
            decisions: list(u, |u| Ok(OfficerDecision { officer: text(u)?, at: time(u)?, basis: text(u)? }))?,
            converted_from: None,
        },
    })
}
