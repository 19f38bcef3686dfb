//! The compact CBOR form of [`Claims`]: a CWT (RFC 8392) whose status claims sit under one
//! private-use claim key, in maps with small integer keys. `docs/FORMAT.md` is the normative
//! description; this file follows it key by key.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use ciborium::Value;
use coset::{AsCborValue, CoseError, RegisteredLabelWithPrivate, cwt::ClaimsSet, cwt::Timestamp};

use super::*;
use crate::cbor::{Fields, MapBuilder, read, to_array, to_bytes, to_int, to_text, to_uint, write};
use crate::{Error, Limits, Result};

/// The CWT claim key under which the status claims travel (private use: below -65536).
pub const STATUS_CLAIM_KEY: i64 = -65537;

/// Dates travel as whole days since 1970-01-01.
fn epoch_day() -> NaiveDate {
    DateTime::UNIX_EPOCH.date_naive()
}

impl Claims {
    /// Encodes the claims as the CWT payload bytes, deterministically (RFC 8949 §4.2.1 order).
    pub fn to_cbor(&self) -> Vec<u8> {
        let status = MapBuilder::default()
            .put(1, self.colour.code())
            .put(2, Value::Array(self.reasons.iter().map(|r| Value::from(r.code())).collect()))
            .opt(3, (self.kind != CredentialKind::Personal).then(|| kind_to_value(&self.kind)))
            .put(4, subject_to_value(&self.subject))
            .opt(5, self.holder.as_ref().map(holder_to_value))
            .opt(6, (!self.evidence.is_empty()).then(|| evidence_to_value(&self.evidence)))
            .build();
        let cwt = MapBuilder::default()
            .put(1, self.issuer.as_str())
            .put(4, self.expires_at.timestamp())
            .opt(5, (self.not_before != self.issued_at).then(|| self.not_before.timestamp()))
            .put(6, self.issued_at.timestamp())
            .put(7, self.credential_id.0.to_vec())
            .put(STATUS_CLAIM_KEY, status)
            .build();
        write(&cwt)
    }

    /// Decodes CWT payload bytes into claims, under `limits`, and checks [`Claims::validate`].
    ///
    /// # Errors
    /// [`Error::Cbor`], [`Error::TrailingBytes`], [`Error::DuplicateKey`] or [`Error::TooLarge`]
    /// for bytes that are not one well-formed CWT; [`Error::Claims`] for a CWT that breaks the
    /// claim model (a missing or unknown key, a value of the wrong type or out of range).
    pub fn from_cbor(bytes: &[u8], limits: &Limits) -> Result<Self> {
        let value = read(bytes, "CWT", limits)?;
        let set = ClaimsSet::from_cbor_value(value).map_err(|e| match e {
            CoseError::DuplicateMapKey => Error::DuplicateKey { step: "CWT" },
            other => Error::claims(format!("CWT: {other}")),
        })?;
        let claims = claims_from_set(set, limits)?;
        claims.validate(limits.max_text_string_len)?;
        Ok(claims)
    }
}

pub(crate) fn cose_error(err: CoseError, step: &'static str) -> Error {
    match err {
        CoseError::DuplicateMapKey => Error::DuplicateKey { step },
        CoseError::ExtraneousData => Error::TrailingBytes { step },
        other => Error::Cbor { step, detail: other.to_string() },
    }
}

fn claims_from_set(set: ClaimsSet, limits: &Limits) -> Result<Claims> {
    if set.subject.is_some() || set.audience.is_some() {
        return Err(Error::claims("the CWT must not carry sub or aud"));
    }
    let issuer = set.issuer.ok_or_else(|| Error::claims("the CWT lacks iss"))?;
    if issuer.len() > limits.max_text_string_len {
        return Err(Error::TooLarge { what: "claim text", limit: limits.max_text_string_len });
    }
    let cti = set.cwt_id.ok_or_else(|| Error::claims("the CWT lacks cti"))?;
    let credential_id = CredentialId(cti.try_into().map_err(|_| Error::claims("cti must be 16 bytes"))?);
    let mut status = None;
    for (name, value) in set.rest {
        match name {
            RegisteredLabelWithPrivate::PrivateUse(STATUS_CLAIM_KEY) => status = Some(value),
            _ => return Err(Error::claims("the CWT carries an unknown claim")),
        }
    }
    let mut s = Fields::new(status.ok_or_else(|| Error::claims("the CWT lacks the status claims"))?, "status claims")?;
    let colour = registry_value::<Colour>(&s.need(1, "colour")?, Colour::WHAT, Colour::from_code)?;
    let reasons = to_array(s.need(2, "reasons")?, "reasons")?
        .iter()
        .map(|v| registry_value(v, Reason::WHAT, Reason::from_code))
        .collect::<Result<_>>()?;
    let kind = s.take(3).map(|v| kind_from_value(v, limits)).transpose()?.unwrap_or(CredentialKind::Personal);
    let subject = subject_from_value(s.need(4, "subject")?, limits)?;
    let holder = s.take(5).map(|v| holder_from_value(v, limits)).transpose()?;
    let evidence = s.take(6).map(|v| evidence_from_value(v, limits)).transpose()?.unwrap_or_default();
    s.finish()?;
    let issued_at = time(set.issued_at, "iat")?;
    Ok(Claims {
        issuer,
        credential_id,
        issued_at,
        // nbf is left out when it equals iat.
        not_before: set.not_before.map_or(Ok(issued_at), |nbf| time(Some(nbf), "nbf"))?,
        expires_at: time(set.expiration_time, "exp")?,
        colour,
        reasons,
        kind,
        subject,
        holder,
        evidence,
    })
}

fn time(stamp: Option<Timestamp>, what: &str) -> Result<DateTime<Utc>> {
    match stamp {
        Some(Timestamp::WholeSeconds(secs)) => seconds_to_time(secs, what),
        Some(Timestamp::FractionalSeconds(_)) => Err(Error::claims(format!("{what} must be whole seconds"))),
        None => Err(Error::claims(format!("the CWT lacks {what}"))),
    }
}

fn seconds_to_time(secs: i64, what: &str) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp(secs, 0)
        .filter(|t| super::in_year_range(t.date_naive()))
        .ok_or_else(|| Error::claims(format!("{what} is out of range (years 0001 to 9999)")))
}

fn registry_value<T>(value: &Value, what: &str, from_code: fn(u64) -> Option<T>) -> Result<T> {
    let code = to_uint(value, what)?;
    from_code(code).ok_or_else(|| Error::claims(format!("unknown {what} code {code}")))
}

fn date_to_value(date: NaiveDate) -> Value {
    Value::from(date.signed_duration_since(epoch_day()).num_days())
}

fn value_to_date(value: &Value, what: &str) -> Result<NaiveDate> {
    let days = to_int(value, what)?;
    TimeDelta::try_days(days)
        .and_then(|d| epoch_day().checked_add_signed(d))
        .filter(|d| super::in_year_range(*d))
        .ok_or_else(|| Error::claims(format!("{what} is out of range (years 0001 to 9999)")))
}

fn value_to_time(value: &Value, what: &str) -> Result<DateTime<Utc>> {
    seconds_to_time(to_int(value, what)?, what)
}

fn small(value: &Value, what: &str) -> Result<u8> {
    u8::try_from(to_uint(value, what)?).map_err(|_| Error::claims(format!("{what} is out of range")))
}

fn kind_to_value(kind: &CredentialKind) -> Value {
    let map = MapBuilder::default().put(1, kind.code());
    match kind {
        CredentialKind::Personal => map,
        CredentialKind::Student { school, class } => map.put(2, school.as_str()).put(3, class.as_str()),
        CredentialKind::CrossBorder { category } => map.put(4, category.code()),
        CredentialKind::Venue { venue_id, name, region } => {
            map.put(5, venue_id.as_str()).opt(6, name.as_deref()).opt(7, region.as_deref())
        }
    }
    .build()
}

fn kind_from_value(value: Value, limits: &Limits) -> Result<CredentialKind> {
    let mut f = Fields::new(value, "kind")?;
    let code = to_uint(&f.need(1, "type")?, "kind type")?;
    let mut text = |key, name| to_text(f.need(key, name)?, name, limits);
    let kind = match code {
        1 => CredentialKind::Personal,
        2 => CredentialKind::Student { school: text(2, "school")?, class: text(3, "class")? },
        3 => CredentialKind::CrossBorder {
            category: registry_value(
                &f.need(4, "category")?,
                DeclarationCategory::WHAT,
                DeclarationCategory::from_code,
            )?,
        },
        4 => CredentialKind::Venue {
            venue_id: text(5, "venue id")?,
            name: f.take(6).map(|v| to_text(v, "venue name", limits)).transpose()?,
            region: f.take(7).map(|v| to_text(v, "venue region", limits)).transpose()?,
        },
        other => return Err(Error::claims(format!("unknown kind type {other}"))),
    };
    f.finish()?;
    Ok(kind)
}

fn subject_to_value(subject: &Subject) -> Value {
    MapBuilder::default()
        .put(1, subject.id.0.to_vec())
        .opt(2, subject.name.as_deref())
        .opt(3, subject.birth_date.map(date_to_value))
        .opt(4, subject.document.map(DocumentKind::code))
        .build()
}

fn subject_from_value(value: Value, limits: &Limits) -> Result<Subject> {
    let mut f = Fields::new(value, "subject")?;
    let subject = Subject {
        id: id_from_value(f.need(1, "id")?, "subject id")?,
        name: f.take(2).map(|v| to_text(v, "name", limits)).transpose()?,
        birth_date: f.take(3).map(|v| value_to_date(&v, "birth date")).transpose()?,
        document: f.take(4).map(|v| registry_value(&v, DocumentKind::WHAT, DocumentKind::from_code)).transpose()?,
    };
    f.finish()?;
    Ok(subject)
}

fn id_from_value(value: Value, what: &str) -> Result<SubjectId> {
    let bytes = to_bytes(value, what)?;
    Ok(SubjectId(bytes.try_into().map_err(|_| Error::claims(format!("{what} must be 16 bytes")))?))
}

fn holder_to_value(holder: &Holder) -> Value {
    MapBuilder::default()
        .put(1, holder.relation.code())
        .opt(2, holder.name.as_deref())
        .opt(3, holder.id.map(|id| id.0.to_vec()))
        .build()
}

fn holder_from_value(value: Value, limits: &Limits) -> Result<Holder> {
    let mut f = Fields::new(value, "holder")?;
    let holder = Holder {
        relation: registry_value(&f.need(1, "relation")?, Relation::WHAT, Relation::from_code)?,
        name: f.take(2).map(|v| to_text(v, "holder name", limits)).transpose()?,
        id: f.take(3).map(|v| id_from_value(v, "holder id")).transpose()?,
    };
    f.finish()?;
    Ok(holder)
}

fn evidence_to_value(e: &Evidence) -> Value {
    MapBuilder::default()
        .list(1, &e.tests, |t| {
            MapBuilder::default()
                .put(1, t.kind.code())
                .put(2, t.result.code())
                .put(3, t.sampled_at.timestamp())
                .opt(4, t.facility.as_deref())
                .build()
        })
        .list(2, &e.vaccinations, |v| {
            MapBuilder::default()
                .put(1, v.product.as_str())
                .put(2, v.dose)
                .put(3, v.doses)
                .put(4, date_to_value(v.date))
                .build()
        })
        .list(3, &e.temperatures, |t| {
            MapBuilder::default().put(1, t.decicelsius).put(2, t.at.timestamp()).opt(3, t.place.as_deref()).build()
        })
        .list(4, &e.travel, |t| {
            MapBuilder::default()
                .put(1, t.region.as_str())
                .put(2, date_to_value(t.from))
                .opt(3, t.until.map(date_to_value))
                .build()
        })
        .opt(5, e.residency.as_deref())
        .list(6, &e.decisions, |d| {
            MapBuilder::default().put(1, d.officer.as_str()).put(2, d.at.timestamp()).put(3, d.basis.as_str()).build()
        })
        .build()
}

fn evidence_from_value(value: Value, limits: &Limits) -> Result<Evidence> {
    let mut f = Fields::new(value, "evidence")?;
    let text = |v: Value, what| to_text(v, what, limits);
    let mut list = |key, what: &'static str| -> Result<Vec<Fields>> {
        match f.take(key) {
            Some(v) => to_array(v, what)?.into_iter().map(|item| Fields::new(item, what)).collect(),
            None => Ok(Vec::new()),
        }
    };
    let tests = list(1, "test")?
        .into_iter()
        .map(|mut t| {
            let test = TestResult {
                kind: registry_value(&t.need(1, "kind")?, TestKind::WHAT, TestKind::from_code)?,
                result: registry_value(&t.need(2, "result")?, TestOutcome::WHAT, TestOutcome::from_code)?,
                sampled_at: value_to_time(&t.need(3, "sample time")?, "sample time")?,
                facility: t.take(4).map(|v| text(v, "facility")).transpose()?,
            };
            t.finish().map(|()| test)
        })
        .collect::<Result<_>>()?;
    let vaccinations = list(2, "vaccination")?
        .into_iter()
        .map(|mut v| {
            let vaccination = Vaccination {
                product: text(v.need(1, "product")?, "product")?,
                dose: small(&v.need(2, "dose")?, "dose")?,
                doses: small(&v.need(3, "doses")?, "doses")?,
                date: value_to_date(&v.need(4, "date")?, "vaccination date")?,
            };
            v.finish().map(|()| vaccination)
        })
        .collect::<Result<_>>()?;
    let temperatures = list(3, "temperature check")?
        .into_iter()
        .map(|mut t| {
            let check = TemperatureCheck {
                decicelsius: u16::try_from(to_uint(&t.need(1, "temperature")?, "temperature")?)
                    .map_err(|_| Error::claims("temperature is out of range"))?,
                at: value_to_time(&t.need(2, "time")?, "temperature time")?,
                place: t.take(3).map(|v| text(v, "place")).transpose()?,
            };
            t.finish().map(|()| check)
        })
        .collect::<Result<_>>()?;
    let travel = list(4, "travel record")?
        .into_iter()
        .map(|mut t| {
            let record = TravelRecord {
                region: text(t.need(1, "region")?, "region")?,
                from: value_to_date(&t.need(2, "from")?, "travel start")?,
                until: t.take(3).map(|v| value_to_date(&v, "travel end")).transpose()?,
            };
            t.finish().map(|()| record)
        })
        .collect::<Result<_>>()?;
    let decisions = list(6, "officer decision")?
        .into_iter()
        .map(|mut d| {
            let decision = OfficerDecision {
                officer: text(d.need(1, "officer")?, "officer")?,
                at: value_to_time(&d.need(2, "time")?, "decision time")?,
                basis: text(d.need(3, "basis")?, "basis")?,
            };
            d.finish().map(|()| decision)
        })
        .collect::<Result<_>>()?;
    let residency = f.take(5).map(|v| text(v, "residency")).transpose()?;
    f.finish()?;
    Ok(Evidence { tests, vaccinations, temperatures, travel, residency, decisions })
}
