//! The DCC payload's types (the JSON schema's required structure), as the verifier returns them.

use serde::{Deserialize, Deserializer, Serialize};

use super::err;
use crate::crypto::DccUsage;
use healthpass::Result;

/// The DCC payload (the JSON schema's top level), for callers that need the DCC's own fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccPayload {
    /// Schema version, such as `1.3.0`.
    pub ver: String,
    /// The holder's name.
    pub nam: DccName,
    /// Date of birth: `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty.
    pub dob: String,
    /// Vaccination entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<Vec<DccVaccination>>,
    /// Test entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t: Option<Vec<DccTest>>,
    /// Recovery entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<Vec<DccRecovery>>,
}

/// The DCC's one statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DccEntry<'a> {
    /// A vaccination.
    Vaccination(&'a DccVaccination),
    /// A test.
    Test(&'a DccTest),
    /// A recovery.
    Recovery(&'a DccRecovery),
}

impl DccEntry<'_> {
    /// The key usage a signer certificate needs to sign this entry.
    pub fn usage(&self) -> DccUsage {
        match self {
            DccEntry::Vaccination(_) => DccUsage::Vaccination,
            DccEntry::Test(_) => DccUsage::Test,
            DccEntry::Recovery(_) => DccUsage::Recovery,
        }
    }

    /// The unique certificate identifier (`ci`).
    pub fn certificate_id(&self) -> &str {
        match self {
            DccEntry::Vaccination(v) => &v.ci,
            DccEntry::Test(t) => &t.ci,
            DccEntry::Recovery(r) => &r.ci,
        }
    }

    /// The country of the event (`co`).
    pub fn country(&self) -> &str {
        match self {
            DccEntry::Vaccination(v) => &v.co,
            DccEntry::Test(t) => &t.co,
            DccEntry::Recovery(r) => &r.co,
        }
    }
}

impl DccPayload {
    /// The one vaccination, test or recovery entry.
    ///
    /// # Errors
    /// [`Error::Foreign`](healthpass::Error::Foreign) unless exactly one of `v`, `t`, `r` is present with exactly one entry.
    pub fn entry(&self) -> Result<DccEntry<'_>> {
        let groups = [self.v.is_some(), self.t.is_some(), self.r.is_some()];
        if groups.iter().filter(|g| **g).count() != 1 {
            return Err(err("hcert", "a DCC must hold exactly one of v, t and r"));
        }
        let one = |len: usize| {
            if len == 1 { Ok(()) } else { Err(err("hcert", "a DCC entry list must hold exactly one entry")) }
        };
        match (&self.v, &self.t, &self.r) {
            (Some(v), _, _) => {
                one(v.len()).and_then(|()| v.first().map(DccEntry::Vaccination).ok_or(err("hcert", "empty")))
            }
            (_, Some(t), _) => one(t.len()).and_then(|()| t.first().map(DccEntry::Test).ok_or(err("hcert", "empty"))),
            (_, _, Some(r)) => {
                one(r.len()).and_then(|()| r.first().map(DccEntry::Recovery).ok_or(err("hcert", "empty")))
            }
            _ => Err(err("hcert", "no entry")),
        }
    }
}

/// The holder's name, as printed and in the ICAO 9303 standardised form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccName {
    /// Family name.
    #[serde(rename = "fn", default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Standardised family name (`A-Z` and `<`).
    #[serde(rename = "fnt", default, skip_serializing_if = "Option::is_none")]
    pub family_standard: Option<String>,
    /// Given name.
    #[serde(rename = "gn", default, skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// Standardised given name.
    #[serde(rename = "gnt", default, skip_serializing_if = "Option::is_none")]
    pub given_standard: Option<String>,
}

/// A vaccination entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccVaccination {
    /// Disease targeted (SNOMED CT, `840539006` for COVID-19).
    pub tg: String,
    /// Vaccine or prophylaxis.
    pub vp: String,
    /// Medicinal product.
    pub mp: String,
    /// Marketing authorisation holder or manufacturer.
    pub ma: String,
    /// Dose number.
    #[serde(deserialize_with = "whole_number")]
    pub dn: u32,
    /// Total series of doses.
    #[serde(deserialize_with = "whole_number")]
    pub sd: u32,
    /// Date of vaccination.
    pub dt: String,
    /// Country of vaccination.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Unique certificate identifier.
    pub ci: String,
}

/// A test entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccTest {
    /// Disease targeted.
    pub tg: String,
    /// Type of test (`LP6464-4` NAAT, `LP217198-3` rapid antigen).
    pub tt: String,
    /// NAAT test name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nm: Option<String>,
    /// Rapid antigen test device identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    /// Date and time of sample collection.
    pub sc: String,
    /// Date and time of the result (schema 1.0.x only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dr: Option<String>,
    /// Result (`260415000` not detected, `260373001` detected).
    pub tr: String,
    /// Testing centre or facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tc: Option<String>,
    /// Country of the test.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Unique certificate identifier.
    pub ci: String,
}

/// A recovery entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DccRecovery {
    /// Disease recovered from.
    pub tg: String,
    /// Date of the first positive NAAT result.
    pub fr: String,
    /// Country of the test.
    pub co: String,
    /// Certificate issuer.
    pub is: String,
    /// Certificate valid from.
    pub df: String,
    /// Certificate valid until.
    pub du: String,
    /// Unique certificate identifier.
    pub ci: String,
}

fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<u32, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    number
        .as_u64()
        .or_else(|| {
            number.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX)).map(|f| f as u64)
        })
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| serde::de::Error::custom("expected a whole number"))
}
