//! The CWT of a DCC: issuer, times, and the DCC's bytes as received.

use chrono::{DateTime, Utc};
use healthpass::cbor::{Key, Kind, Reader};
use healthpass::{Limits, Result, cbor};

use super::{DccPayload, DccUsage, decode, err};
use crate::cbor_to_json;

/// The CWT of a DCC: issuer country, issue and expiry times, and the hcert payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DccCwt {
    /// CWT `iss` (1): the issuing country.
    pub issuer: Option<String>,
    /// CWT `iat` (6).
    pub issued_at: Option<DateTime<Utc>>,
    /// CWT `exp` (4).
    pub expires_at: Option<DateTime<Utc>>,
    /// The DCC payload (`-260` → `1`): its CBOR bytes, as they came.
    pub(super) hcert: Vec<u8>,
    /// The limits it was read under, for reading the DCC again.
    pub(super) limits: Limits,
}

impl DccCwt {
    /// Decodes the CWT claims map under the limits and finds the hcert claim, whose DCC is
    /// checked as CBOR (not yet against the payload's structure: see [`DccCwt::payload`]).
    ///
    /// # Errors
    /// [`Error::Cbor`](healthpass::Error::Cbor) and friends for malformed CBOR, [`Error::Foreign`](healthpass::Error::Foreign) when the CWT is not a
    /// map, a time is not a number, or the hcert claim `-260` / `1` is missing.
    pub fn decode(payload: &[u8], limits: &Limits) -> Result<Self> {
        decode::cwt(payload, limits, false).map(|(cwt, _)| cwt)
    }

    /// The DCC payload as JSON, as the DCC tools map CBOR to JSON (for schema checks and
    /// comparisons).
    ///
    /// # Errors
    /// [`Error::Foreign`](healthpass::Error::Foreign) for a map key that is neither text nor an integer, or nesting past 32.
    pub fn hcert_json(&self) -> Result<serde_json::Value> {
        cbor_to_json(&cbor::read_foreign(&self.hcert, "hcert", &self.limits)?, 0)
    }

    /// The DCC's type, from which of `v`, `t` and `r` it holds.
    ///
    /// # Errors
    /// [`Error::Foreign`](healthpass::Error::Foreign) unless exactly one of them is present, as a non-empty list.
    pub fn usage(&self) -> Result<DccUsage> {
        let mut r = Reader::new(&self.hcert, "hcert", Kind::Structure, &self.limits).allowing_indefinite();
        let mut items = r.map_items(1, "the DCC")?;
        let mut groups = Vec::new();
        let mut seen = Vec::new();
        while r.more(&mut items)? {
            let usage = match r.key(2, &mut seen)? {
                Key::Text("v") => DccUsage::Vaccination,
                Key::Text("t") => DccUsage::Test,
                Key::Text("r") => DccUsage::Recovery,
                _ => {
                    r.skip(2)?;
                    continue;
                }
            };
            let non_empty = if r.peek_major() == Some(4) {
                let mut list = r.array_items(2, "an entry list")?;
                let mut count = 0usize;
                while r.more(&mut list)? {
                    r.skip(3)?;
                    count += 1;
                }
                count > 0
            } else {
                r.skip(2)?;
                false
            };
            groups.push((usage, non_empty));
        }
        match groups.as_slice() {
            [(usage, true)] => Ok(*usage),
            [(_, false)] => Err(err("hcert", "a DCC entry list must be a non-empty list")),
            _ => Err(err("hcert", "a DCC must hold exactly one of v, t and r")),
        }
    }

    /// The typed DCC payload.
    ///
    /// # Errors
    /// [`Error::Foreign`](healthpass::Error::Foreign) (step `hcert`) naming the field that breaks the DCC schema's required
    /// structure, or when the payload holds other than exactly one vaccination, test or recovery.
    pub fn payload(&self) -> Result<DccPayload> {
        let payload = decode::payload_of(&self.hcert, &self.limits)?;
        payload.entry()?;
        Ok(payload)
    }
}
