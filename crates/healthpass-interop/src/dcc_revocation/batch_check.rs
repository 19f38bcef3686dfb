//! Checks on gateway revocation batches before they are loaded: a batch past its `expires` time,
//! and a batch whose country is not the country of the DSC its kid names, are refused with
//! their own codes (and the rest of the file is loaded).
//!
//! A country revokes only the DCCs its own signers issued: the gateway accepts a batch from a
//! country only for its own DSCs, so a batch of country FR that lists the kid of a DE DSC did not
//! come through the gateway as it should, and revoking DE's certificates on its word would let
//! one country cancel another's. A batch past `expires` is one the gateway has already deleted
//! (its DSC has expired); holding on to it would keep data that is no longer distributed.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::crypto::SignerCertificate;
use healthpass::Result;

/// Stable code: a revocation batch is past its `expires` time.
pub const BATCH_EXPIRED: &str = "revocation_batch_expired";
/// Stable code: a revocation batch's country is not the country of the DSC its kid names.
pub const BATCH_COUNTRY: &str = "revocation_batch_country";

/// What batches are checked against: the time, and the country of each known DSC (by kid).
#[derive(Debug, Clone)]
pub struct BatchCheck {
    now: DateTime<Utc>,
    countries: HashMap<Vec<u8>, String>,
}

/// A batch that was not loaded, with its stable code ([`BATCH_EXPIRED`], [`BATCH_COUNTRY`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedBatch {
    /// The batch's position in its file.
    pub batch: usize,
    /// The stable code.
    pub code: &'static str,
    /// Why, in words.
    pub reason: String,
}

impl std::fmt::Display for RefusedBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "batch {} refused [{}]: {}", self.batch, self.code, self.reason)
    }
}

impl BatchCheck {
    /// Checks at `now`, with no DSC known yet (a batch for an unknown kid is not checked for its
    /// country: no DCC it could revoke verifies here).
    pub fn new(now: DateTime<Utc>) -> Self {
        BatchCheck { now, countries: HashMap::new() }
    }

    /// Knows the DSC with this kid to be of `country`.
    pub fn with_dsc(mut self, kid: &[u8], country: &str) -> Self {
        self.countries.insert(kid.to_vec(), country.to_ascii_uppercase());
        self
    }

    /// Knows a DSC (DER) by its kid and subject country; a DSC without a country adds nothing.
    ///
    /// # Errors
    /// Those of [`SignerCertificate::from_der`].
    pub fn with_dsc_der(self, der: &[u8]) -> Result<Self> {
        let certificate = SignerCertificate::from_der(der)?;
        Ok(match &certificate.info.country {
            Some(country) => self.with_dsc(certificate.kid.as_bytes(), country),
            None => self,
        })
    }

    /// The refusal of batch `index` (kid, country, expiry), if any.
    pub(super) fn refuse(
        &self,
        index: usize,
        kid: &[u8],
        country: &str,
        expires: DateTime<Utc>,
    ) -> Option<RefusedBatch> {
        if expires < self.now {
            return Some(RefusedBatch {
                batch: index,
                code: BATCH_EXPIRED,
                reason: format!("it expired at {}", expires.to_rfc3339()),
            });
        }
        match self.countries.get(kid) {
            Some(dsc) if dsc != country => Some(RefusedBatch {
                batch: index,
                code: BATCH_COUNTRY,
                reason: format!(
                    "a batch of {country} names the kid of a DSC of {dsc}; a country revokes its own DCCs only"
                ),
            }),
            _ => None,
        }
    }
}
