//! The compact CBOR form of [`Claims`]: a CWT (RFC 8392) whose status claims sit under one
//! private-use claim key, in maps with small integer keys. `docs/FORMAT.md` is the normative
//! description; this file follows it key by key.

use chrono::NaiveDate;
use ciborium::Value;

use super::keys::{STATUS_CLAIM_KEY, epoch_day};
use super::*;
use crate::cbor::{MapBuilder, write};
use crate::{Limits, Result};

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
        super::decode::claims(bytes, limits)
    }
}

fn date_to_value(date: NaiveDate) -> Value {
    Value::from(date.signed_duration_since(epoch_day()).num_days())
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

fn subject_to_value(subject: &Subject) -> Value {
    MapBuilder::default()
        .put(1, subject.id.0.to_vec())
        .opt(2, subject.name.as_deref())
        .opt(3, subject.birth_date.map(date_to_value))
        .opt(4, subject.document.map(DocumentKind::code))
        .build()
}

fn holder_to_value(holder: &Holder) -> Value {
    MapBuilder::default()
        .put(1, holder.relation.code())
        .opt(2, holder.name.as_deref())
        .opt(3, holder.id.map(|id| id.0.to_vec()))
        .build()
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
        .opt(
            7,
            e.converted_from.as_ref().map(|c| {
                MapBuilder::default()
                    .put(1, c.format.as_str())
                    .put(2, c.region.as_str())
                    .put(3, c.hash.0.to_vec())
                    .build()
            }),
        )
        .build()
}
