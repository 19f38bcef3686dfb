//! Reading the compact CBOR form of [`Claims`] (FORMAT.md §4–6) in one pass, without building a
//! tree of values: every key, type, range and limit is checked as it is read.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::keys::{STATUS_CLAIM_KEY, epoch_day};
use super::*;
use crate::cbor::{Key, Kind, Reader};
use crate::{Error, Limits, Result};

/// Reads the CWT payload bytes into claims, checking [`Claims::validate`].
pub(super) fn claims(bytes: &[u8], limits: &Limits) -> Result<Claims> {
    let mut r = Reader::new(bytes, "CWT", Kind::Claims, limits);
    let (mut iss, mut exp, mut nbf, mut iat, mut cti, mut status) = (None, None, None, None, None, None);
    fields(&mut r, 1, "the CWT", |r, key| {
        match key {
            1 => iss = Some(text(r, 2, "iss")?),
            4 => exp = Some(time(r, 2, "exp")?),
            5 => nbf = Some(time(r, 2, "nbf")?),
            6 => iat = Some(time(r, 2, "iat")?),
            7 => cti = Some(r.bytes(2, "cti")?),
            STATUS_CLAIM_KEY => status = Some(status_claims(r, limits)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    r.finish()?;
    let issued_at = need(iat, "the CWT", "iat")?;
    let (colour, reasons, kind, subject, holder, evidence) = need(status, "the CWT", "the status claims")?;
    let claims = Claims {
        issuer: need(iss, "the CWT", "iss")?,
        credential_id: CredentialId(
            need(cti, "the CWT", "cti")?.try_into().map_err(|_| Error::claims("cti must be 16 bytes"))?,
        ),
        issued_at,
        not_before: nbf.unwrap_or(issued_at),
        expires_at: need(exp, "the CWT", "exp")?,
        colour,
        reasons,
        kind,
        subject,
        holder,
        evidence,
    };
    claims.validate(limits.max_text_string_len)?;
    Ok(claims)
}

type Status = (Colour, Vec<Reason>, CredentialKind, Subject, Option<Holder>, Evidence);

fn status_claims(r: &mut Reader<'_>, limits: &Limits) -> Result<Status> {
    let (mut colour, mut reasons, mut kind, mut subject, mut holder, mut evidence) =
        (None, None, None, None, None, None);
    fields(r, 2, "the status claims", |r, key| {
        match key {
            1 => colour = Some(code(r, 3, Colour::WHAT, Colour::from_code)?),
            2 => reasons = Some(list(r, 3, "reasons", |r| code(r, 4, Reason::WHAT, Reason::from_code))?),
            3 => kind = Some(credential_kind(r)?),
            4 => subject = Some(read_subject(r)?),
            5 => holder = Some(read_holder(r)?),
            6 => evidence = Some(read_evidence(r)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let _ = limits;
    Ok((
        need(colour, "the status claims", "colour")?,
        need(reasons, "the status claims", "reasons")?,
        kind.unwrap_or(CredentialKind::Personal),
        need(subject, "the status claims", "subject")?,
        holder,
        evidence.unwrap_or_default(),
    ))
}

fn credential_kind(r: &mut Reader<'_>) -> Result<CredentialKind> {
    let (mut kind, mut school, mut class, mut category, mut venue, mut name, mut region) =
        (None, None, None, None, None, None, None);
    fields(r, 3, "kind", |r, key| {
        match key {
            1 => kind = Some(r.uint(4, "kind type")?),
            2 => school = Some(text(r, 4, "school")?),
            3 => class = Some(text(r, 4, "class")?),
            4 => category = Some(code(r, 4, DeclarationCategory::WHAT, DeclarationCategory::from_code)?),
            5 => venue = Some(text(r, 4, "venue id")?),
            6 => name = Some(text(r, 4, "venue name")?),
            7 => region = Some(text(r, 4, "venue region")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    let unused = |present: &[bool]| {
        if present.iter().any(|p| *p) { Err(Error::claims("kind has a key its type does not use")) } else { Ok(()) }
    };
    let kind = match need(kind, "kind", "type")? {
        1 => {
            unused(&[
                school.is_some(),
                class.is_some(),
                category.is_some(),
                venue.is_some(),
                name.is_some(),
                region.is_some(),
            ])?;
            CredentialKind::Personal
        }
        2 => {
            unused(&[category.is_some(), venue.is_some(), name.is_some(), region.is_some()])?;
            CredentialKind::Student { school: need(school, "kind", "school")?, class: need(class, "kind", "class")? }
        }
        3 => {
            unused(&[school.is_some(), class.is_some(), venue.is_some(), name.is_some(), region.is_some()])?;
            CredentialKind::CrossBorder { category: need(category, "kind", "category")? }
        }
        4 => {
            unused(&[school.is_some(), class.is_some(), category.is_some()])?;
            CredentialKind::Venue { venue_id: need(venue, "kind", "venue id")?, name, region }
        }
        other => return Err(Error::claims(format!("unknown kind type {other}"))),
    };
    Ok(kind)
}

fn read_subject(r: &mut Reader<'_>) -> Result<Subject> {
    let (mut id, mut name, mut birth_date, mut document) = (None, None, None, None);
    fields(r, 3, "subject", |r, key| {
        match key {
            1 => id = Some(pseudonym(r, 4, "subject id")?),
            2 => name = Some(text(r, 4, "name")?),
            3 => birth_date = Some(date(r, 4, "birth date")?),
            4 => document = Some(code(r, 4, DocumentKind::WHAT, DocumentKind::from_code)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(Subject { id: need(id, "subject", "id")?, name, birth_date, document })
}

fn read_holder(r: &mut Reader<'_>) -> Result<Holder> {
    let (mut relation, mut name, mut id) = (None, None, None);
    fields(r, 3, "holder", |r, key| {
        match key {
            1 => relation = Some(code(r, 4, Relation::WHAT, Relation::from_code)?),
            2 => name = Some(text(r, 4, "holder name")?),
            3 => id = Some(pseudonym(r, 4, "holder id")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(Holder { relation: need(relation, "holder", "relation")?, name, id })
}

fn read_evidence(r: &mut Reader<'_>) -> Result<Evidence> {
    let mut e = Evidence::default();
    fields(r, 3, "evidence", |r, key| {
        match key {
            1 => e.tests = list(r, 4, "tests", test)?,
            2 => e.vaccinations = list(r, 4, "vaccinations", vaccination)?,
            3 => e.temperatures = list(r, 4, "temperature checks", temperature)?,
            4 => e.travel = list(r, 4, "travel", stay)?,
            5 => e.residency = Some(text(r, 4, "residency")?),
            6 => e.decisions = list(r, 4, "officer decisions", decision)?,
            7 => e.converted_from = Some(source_code(r)?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(e)
}

/// List items sit at depth 5 and their fields at depth 6.
fn test(r: &mut Reader<'_>) -> Result<TestResult> {
    let (mut kind, mut result, mut sampled_at, mut facility) = (None, None, None, None);
    fields(r, 5, "test", |r, key| {
        match key {
            1 => kind = Some(code(r, 6, TestKind::WHAT, TestKind::from_code)?),
            2 => result = Some(code(r, 6, TestOutcome::WHAT, TestOutcome::from_code)?),
            3 => sampled_at = Some(time(r, 6, "sample time")?),
            4 => facility = Some(text(r, 6, "facility")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(TestResult {
        kind: need(kind, "test", "kind")?,
        result: need(result, "test", "result")?,
        sampled_at: need(sampled_at, "test", "sample time")?,
        facility,
    })
}

fn vaccination(r: &mut Reader<'_>) -> Result<Vaccination> {
    let (mut product, mut dose, mut doses, mut day) = (None, None, None, None);
    fields(r, 5, "vaccination", |r, key| {
        match key {
            1 => product = Some(text(r, 6, "product")?),
            2 => dose = Some(small(r, 6, "dose")?),
            3 => doses = Some(small(r, 6, "doses")?),
            4 => day = Some(date(r, 6, "vaccination date")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(Vaccination {
        product: need(product, "vaccination", "product")?,
        dose: need(dose, "vaccination", "dose")?,
        doses: need(doses, "vaccination", "doses")?,
        date: need(day, "vaccination", "date")?,
    })
}

fn temperature(r: &mut Reader<'_>) -> Result<TemperatureCheck> {
    let (mut decicelsius, mut at, mut place) = (None, None, None);
    fields(r, 5, "temperature check", |r, key| {
        match key {
            1 => {
                decicelsius = Some(
                    u16::try_from(r.uint(6, "temperature")?)
                        .map_err(|_| Error::claims("temperature is out of range"))?,
                )
            }
            2 => at = Some(time(r, 6, "temperature time")?),
            3 => place = Some(text(r, 6, "place")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(TemperatureCheck {
        decicelsius: need(decicelsius, "temperature check", "temperature")?,
        at: need(at, "temperature check", "time")?,
        place,
    })
}

fn stay(r: &mut Reader<'_>) -> Result<TravelRecord> {
    let (mut region, mut from, mut until) = (None, None, None);
    fields(r, 5, "travel record", |r, key| {
        match key {
            1 => region = Some(text(r, 6, "region")?),
            2 => from = Some(date(r, 6, "travel start")?),
            3 => until = Some(date(r, 6, "travel end")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(TravelRecord {
        region: need(region, "travel record", "region")?,
        from: need(from, "travel record", "from")?,
        until,
    })
}

fn source_code(r: &mut Reader<'_>) -> Result<SourceCode> {
    let (mut format, mut region, mut hash) = (None, None, None);
    fields(r, 4, "converted from", |r, key| {
        match key {
            1 => format = Some(text(r, 5, "source format")?),
            2 => region = Some(text(r, 5, "source region")?),
            3 => {
                let bytes = r.bytes(5, "source hash")?;
                hash = Some(SourceHash(bytes.try_into().map_err(|_| Error::claims("source hash must be 32 bytes"))?));
            }
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(SourceCode {
        format: need(format, "converted from", "format")?,
        region: need(region, "converted from", "region")?,
        hash: need(hash, "converted from", "hash")?,
    })
}

fn decision(r: &mut Reader<'_>) -> Result<OfficerDecision> {
    let (mut officer, mut at, mut basis) = (None, None, None);
    fields(r, 5, "officer decision", |r, key| {
        match key {
            1 => officer = Some(text(r, 6, "officer")?),
            2 => at = Some(time(r, 6, "decision time")?),
            3 => basis = Some(text(r, 6, "basis")?),
            _ => return Ok(false),
        }
        Ok(true)
    })?;
    Ok(OfficerDecision {
        officer: need(officer, "officer decision", "officer")?,
        at: need(at, "officer decision", "time")?,
        basis: need(basis, "officer decision", "basis")?,
    })
}

/// Reads a map at `depth` with integer keys, handing each key to `each`; a key `each` does not
/// know (it returns `false`), a text key or a repeated key is refused.
fn fields<'b>(
    r: &mut Reader<'b>,
    depth: usize,
    what: &str,
    mut each: impl FnMut(&mut Reader<'b>, i64) -> Result<bool>,
) -> Result<()> {
    let mut seen = Vec::new();
    for _ in 0..r.map(depth, what)? {
        let known = match r.key(depth + 1, &mut seen)? {
            Key::Int(k) => match i64::try_from(k) {
                Ok(k) if each(r, k)? => None,
                _ => Some(k.to_string()),
            },
            Key::Text(t) => Some(format!("{t:?}")),
        };
        if let Some(key) = known {
            return Err(Error::claims(format!("{what} has unknown key {key}")));
        }
    }
    Ok(())
}

/// An array at `depth` of items read by `item` (at `depth + 1`).
fn list<'b, T>(
    r: &mut Reader<'b>,
    depth: usize,
    what: &str,
    mut item: impl FnMut(&mut Reader<'b>) -> Result<T>,
) -> Result<Vec<T>> {
    let n = r.array(depth, what)?;
    (0..n).map(|_| item(r)).collect()
}

fn need<T>(value: Option<T>, what: &str, name: &str) -> Result<T> {
    value.ok_or_else(|| Error::claims(format!("{what} lacks {name}")))
}

fn text(r: &mut Reader<'_>, depth: usize, what: &str) -> Result<String> {
    let text = r.text(depth, what)?;
    let limit = r.limits().max_text_string_len;
    if text.len() > limit {
        return Err(Error::TooLarge { what: "claim text", limit });
    }
    Ok(text.to_owned())
}

fn code<T>(r: &mut Reader<'_>, depth: usize, what: &str, from_code: fn(u64) -> Option<T>) -> Result<T> {
    let code = r.uint(depth, what)?;
    from_code(code).ok_or_else(|| Error::claims(format!("unknown {what} code {code}")))
}

fn small(r: &mut Reader<'_>, depth: usize, what: &str) -> Result<u8> {
    u8::try_from(r.uint(depth, what)?).map_err(|_| Error::claims(format!("{what} is out of range")))
}

fn pseudonym(r: &mut Reader<'_>, depth: usize, what: &str) -> Result<SubjectId> {
    let bytes = r.bytes(depth, what)?;
    Ok(SubjectId(bytes.try_into().map_err(|_| Error::claims(format!("{what} must be 16 bytes")))?))
}

fn time(r: &mut Reader<'_>, depth: usize, what: &str) -> Result<DateTime<Utc>> {
    let secs = r.int(depth, what)?;
    DateTime::from_timestamp(secs, 0)
        .filter(|t| in_year_range(t.date_naive()))
        .ok_or_else(|| Error::claims(format!("{what} is out of range (years 0001 to 9999)")))
}

fn date(r: &mut Reader<'_>, depth: usize, what: &str) -> Result<NaiveDate> {
    let days = r.int(depth, what)?;
    TimeDelta::try_days(days)
        .and_then(|d| epoch_day().checked_add_signed(d))
        .filter(|d| in_year_range(*d))
        .ok_or_else(|| Error::claims(format!("{what} is out of range (years 0001 to 9999)")))
}
