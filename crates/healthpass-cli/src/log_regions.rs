//! `audit --trust LIST --anchor KEY --officers FILE`: decisions whose officer acted outside the
//! region of the authority that signed them.
//!
//! A log entry names the signing key (its fingerprint) and the officer, not a region. The
//! authority's region is the `region` of the trust-list entry holding that key (docs/TRUST.md);
//! the officer's region comes from the authorities' own register of officers, a text file of
//! `OFFICER-ID REGION` lines. An officer is inside the authority's region when their region is
//! that region or a subdivision of it (`CN-GD` is inside `CN`), compared as ISO 3166 codes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use healthpass::Limits;
use healthpass::trust::{KeyFingerprint, TrustList};
use healthpass_log::entry::{Actor, DecisionEntry};

use crate::common::{Failure, read_file, read_public_keys};

/// The most officers a register may list.
const MAX_OFFICERS: usize = 1_000_000;

/// The regions of signing keys (from a verified trust list) and of officers (from a register).
pub(crate) struct Authorities {
    key_regions: HashMap<[u8; 32], Vec<String>>,
    officers: HashMap<String, String>,
}

/// Whether `inner` is `outer` or one of its subdivisions (`CN-GD` inside `CN`).
pub(crate) fn within(inner: &str, outer: &str) -> bool {
    inner == outer || inner.strip_prefix(outer).is_some_and(|rest| rest.starts_with('-'))
}

impl Authorities {
    /// Reads the trust list (its signature checked with `anchors`) and the officer register.
    pub(crate) fn load(trust: &Path, anchors: &[PathBuf], officers: &Path) -> Result<Self, Failure> {
        let anchors = read_public_keys(anchors)?;
        let list = TrustList::decode_signed(&read_file(trust)?, &anchors, &Limits::DEFAULT)
            .map_err(|e| Failure::Usage(format!("{}: {e}", trust.display())))?;
        let mut key_regions: HashMap<[u8; 32], Vec<String>> = HashMap::new();
        for entry in &list.entries {
            key_regions.entry(KeyFingerprint::of(&entry.public_key).0).or_default().push(entry.region.clone());
        }
        let text = String::from_utf8(read_file(officers)?)
            .map_err(|_| Failure::Usage(format!("{}: not UTF-8 text", officers.display())))?;
        let mut register = HashMap::new();
        for (number, line) in (1usize..).zip(text.lines()) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let (Some(officer), Some(region), None) = (words.next(), words.next(), words.next()) else {
                return Err(Failure::Usage(format!(
                    "{}: line {number}: expected `OFFICER-ID REGION`",
                    officers.display()
                )));
            };
            if register.len() >= MAX_OFFICERS {
                return Err(Failure::Usage(format!("{}: more than {MAX_OFFICERS} officers", officers.display())));
            }
            if register.insert(officer.to_owned(), region.to_owned()).is_some() {
                return Err(Failure::Usage(format!(
                    "{}: line {number}: officer {officer} listed twice",
                    officers.display()
                )));
            }
        }
        Ok(Authorities { key_regions, officers: register })
    }

    /// The finding for `entry`, if any: its stable code and what was seen. Decisions of
    /// automated rules have no officer and are not judged here.
    pub(crate) fn check(&self, entry: &DecisionEntry) -> Option<(&'static str, String)> {
        let Actor::Officer(officer) = &entry.actor else { return None };
        let Some(regions) = self.key_regions.get(&entry.key_fingerprint) else {
            return Some(("signer_not_in_trust_list", "the signing key is in no trust-list entry".into()));
        };
        let Some(region) = self.officers.get(officer) else {
            return Some(("officer_not_registered", format!("officer {officer} is not in the register")));
        };
        if regions.iter().any(|authority| within(region, authority)) {
            return None;
        }
        Some((
            "officer_outside_region",
            format!("officer {officer} of {region} decided under a key of {}", regions.join(", ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn subdivisions_are_within_their_country_only() {
        assert!(within("CN-GD", "CN-GD"));
        assert!(within("CN-GD", "CN"));
        assert!(!within("CN", "CN-GD"));
        assert!(!within("CN-HA", "CN-GD"));
        assert!(!within("CNX", "CN"));
    }
}
