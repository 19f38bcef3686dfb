//! Signed trust lists: which keys may sign which codes, for how long, signed by a pinned anchor.
//!
//! `docs/TRUST.md` is the normative wire format; this file follows it key by key.

use chrono::{DateTime, TimeDelta, Utc};
use ciborium::Value;
use serde::{Deserialize, Serialize};

use crate::cbor::MapBuilder;
use crate::cose::{CoseMessage, Profile};
use crate::keys::{Kid, PublicKey, SigningKey};
use crate::trust::KeySet;
use crate::trust::TrustedKey;
use crate::trust::entry::TrustEntry;
use crate::trust::envelope::{self, list_error, whole_seconds};
use crate::{Error, Limits, Result};

/// The format marker at key 0 of a trust list's payload.
pub const TRUST_LIST_MARKER: &str = "healthpass trust list v1";

const WHAT: &str = "trust list";

/// A trust list: which keys may sign which codes, with a sequence number and update times.
///
/// On the wire it is a COSE_Sign1 signed by a trust anchor (see `docs/TRUST.md`); as JSON it is
/// the unsigned draft that `healthpass trust-list` edits. Only [`TrustList::decode_signed`]
/// turns bytes into a list a verifier may rely on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustList {
    /// Increases with every list the anchor signs; a verifier never goes back to a lower one.
    pub sequence: u64,
    /// When the list was signed.
    pub issued_at: DateTime<Utc>,
    /// When a newer list is due. Past it the list is stale; the policy decides any grace.
    pub next_update: DateTime<Utc>,
    /// The trusted keys.
    #[serde(default)]
    pub entries: Vec<TrustEntry>,
}

impl TrustList {
    /// An empty list.
    pub fn new(sequence: u64, issued_at: DateTime<Utc>, next_update: DateTime<Utc>) -> Self {
        TrustList { sequence, issued_at, next_update, entries: Vec::new() }
    }

    /// Every entry with this kid, in list order.
    pub fn entries_for<'a>(&'a self, kid: &'a Kid) -> impl Iterator<Item = &'a TrustEntry> + 'a {
        self.entries.iter().filter(move |e| e.kid == *kid)
    }

    /// Whether `now` is past the list's next-update time.
    pub fn is_past_next_update(&self, now: DateTime<Utc>) -> bool {
        now > self.next_update
    }

    /// Checks that the list is not stale at `now`, allowing `grace` past its next update.
    ///
    /// # Errors
    /// [`Error::StaleList`] if `now` is later than next-update plus `grace`.
    pub fn check_fresh(&self, now: DateTime<Utc>, grace: TimeDelta) -> Result<()> {
        if now > self.next_update.checked_add_signed(grace).unwrap_or(self.next_update) {
            return Err(Error::StaleList { what: WHAT, next_update: self.next_update.to_rfc3339() });
        }
        Ok(())
    }

    /// Checks that `offered` may replace `self`: a higher sequence, or the same list again.
    ///
    /// # Errors
    /// [`Error::ListRollback`] for a lower sequence; [`Error::List`] for the same sequence with
    /// different content (an anchor must never sign two lists under one sequence).
    pub fn check_update(&self, offered: &TrustList) -> Result<()> {
        if offered.sequence < self.sequence {
            return Err(Error::ListRollback { what: WHAT, held: self.sequence, got: offered.sequence });
        }
        if offered.sequence == self.sequence && offered != self {
            return Err(list_error(WHAT, "same sequence as the held list but different content"));
        }
        Ok(())
    }

    /// The Ed25519 entries valid at `at`, as a [`KeySet`] for the plain [`crate::verify::Verifier`]
    /// (which checks issuer binding but neither scope nor key validity).
    pub fn to_key_set(&self, at: DateTime<Utc>) -> KeySet {
        let mut set = KeySet::new();
        for entry in self.entries.iter().filter(|e| e.is_valid_at(at)) {
            if let Ok(key) = entry.ed25519_key() {
                set.insert(TrustedKey { key, issuer: Some(entry.issuer.clone()) });
            }
        }
        set
    }

    /// Checks the list's rules: next-update after issued-at, at most
    /// [`Limits::max_trust_entries`] entries, and each entry's [`TrustEntry::validate`].
    ///
    /// # Errors
    /// [`Error::List`] or [`Error::TooLarge`] naming the rule broken.
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        if self.next_update <= self.issued_at {
            return Err(list_error(WHAT, "next_update must be after issued_at"));
        }
        if self.entries.len() > limits.max_trust_entries {
            return Err(Error::TooLarge { what: "trust list entries", limit: limits.max_trust_entries });
        }
        self.entries.iter().try_for_each(|e| e.validate(limits))
    }

    /// Validates the list and signs it with the anchor's key, dropping sub-second parts of its
    /// times: the bytes to publish.
    ///
    /// # Errors
    /// The errors of [`TrustList::validate`]; [`Error::Cbor`] if encoding fails.
    pub fn sign(&self, anchor: &SigningKey, limits: &Limits) -> Result<Vec<u8>> {
        self.validate(limits)?;
        let entries = self
            .entries
            .iter()
            .map(|e| {
                TrustEntry {
                    valid_from: whole_seconds(e.valid_from),
                    valid_until: whole_seconds(e.valid_until),
                    ..e.clone()
                }
                .to_value()
            })
            .collect();
        let payload = MapBuilder::default()
            .put(0, TRUST_LIST_MARKER)
            .put(1, self.sequence)
            .put(2, self.issued_at.timestamp())
            .put(3, self.next_update.timestamp())
            .put(4, Value::Array(entries))
            .build();
        envelope::seal(&payload, anchor)
    }

    /// Decodes a signed trust list, checking it was signed by one of the pinned `anchors`, and
    /// validates every entry. Nothing is returned unless all of it is good: a list is never
    /// half-loaded.
    ///
    /// What is **not** checked here: freshness ([`TrustList::check_fresh`]) and the sequence
    /// against a held list ([`TrustList::check_update`]); [`crate::decide::Checkpoint`] does both.
    ///
    /// # Errors
    /// [`Error::TooLarge`] for a file over [`Limits::max_list_bytes`]; the COSE errors
    /// ([`Error::Cbor`], [`Error::TrailingBytes`], [`Error::DuplicateKey`], [`Error::TooLarge`]
    /// for a malformed COSE_Sign1, FORMAT.md §3); [`Error::MissingAlg`] or [`Error::UnsupportedAlg`] unless the
    /// protected header names EdDSA; [`Error::MissingKid`]; [`Error::UnknownAnchor`] if no
    /// anchor has the kid; [`Error::BadSignature`]; [`Error::List`] for a payload that breaks
    /// the format.
    pub fn decode_signed(bytes: &[u8], anchors: &[PublicKey], limits: &Limits) -> Result<Self> {
        let (message, _) = envelope::open(bytes, anchors, WHAT, limits)?;
        Self::from_message(&message, limits)
    }

    /// Decodes a trust list **without** checking its signature, for display only (`trust-list
    /// show` without an anchor). Never trust keys from it.
    ///
    /// # Errors
    /// As [`TrustList::decode_signed`], less the signature errors.
    pub fn decode_unverified(bytes: &[u8], limits: &Limits) -> Result<Self> {
        if bytes.len() > limits.max_list_bytes {
            return Err(Error::TooLarge { what: WHAT, limit: limits.max_list_bytes });
        }
        Self::from_message(&CoseMessage::decode(bytes, Profile::Native, limits)?, limits)
    }

    fn from_message(message: &CoseMessage, limits: &Limits) -> Result<Self> {
        let mut f = envelope::payload_fields(message, TRUST_LIST_MARKER, WHAT, limits, limits.max_trust_entries)?;
        let sequence = f.uint(1, "sequence")?;
        let issued_at = f.time(2, "issued_at")?;
        let next_update = f.time(3, "next_update")?;
        let entries = f
            .array(4, "entries")?
            .ok_or_else(|| list_error(WHAT, "lacks entries (key 4)"))?
            .into_iter()
            .map(|v| TrustEntry::from_value(v, limits))
            .collect::<Result<Vec<_>>>()?;
        f.finish()?;
        let list = TrustList { sequence, issued_at, next_update, entries };
        list.validate(limits)?;
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::Colour;
    use crate::trust::entry::is_der_sequence;
    use crate::trust::{KindName, Scope};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn der_sequence_shapes() {
        assert!(is_der_sequence(&[0x30, 0x01, 0x00]));
        assert!(!is_der_sequence(&[0x30, 0x02, 0x00]));
        assert!(!is_der_sequence(&[0x31, 0x01, 0x00]));
        let mut long = vec![0x30, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert!(is_der_sequence(&long));
        assert!(!is_der_sequence(&[]));
    }

    #[test]
    fn sign_then_decode_round_trips() {
        let anchor = SigningKey::from_seed(&[9; 32]);
        let issuer = SigningKey::demo().public_key();
        let mut list = TrustList::new(3, t0(), t0() + TimeDelta::days(7));
        let mut entry = TrustEntry::ed25519(&issuer, "CN-GD", "CN-GD", t0(), TimeDelta::days(365));
        entry.scope = Scope {
            kinds: Some(vec![KindName::Student]),
            colours: Some(vec![Colour::Green, Colour::Yellow]),
            regions: Some(vec!["CN-GD".into()]),
            revocation: true,
        };
        list.entries.push(entry);
        let bytes = list.sign(&anchor, &Limits::DEFAULT).unwrap();
        let back = TrustList::decode_signed(&bytes, &[anchor.public_key()], &Limits::DEFAULT).unwrap();
        assert_eq!(back, list);
        assert_eq!(back.to_key_set(t0()).len(), 1);
        assert_eq!(back.to_key_set(t0() - TimeDelta::days(1)).len(), 0);
    }
}
