//! Signed revocation lists: revoked credentials (as hashes that reveal nobody) and revoked keys.
//!
//! `docs/TRUST.md` is the normative wire format. The credential set is a sorted array of
//! 16-byte hashes searched by bisection: exact (no probabilistic filter), 16 bytes per entry in
//! memory and on the wire, and about 20 comparisons for a million entries.

use chrono::{DateTime, Utc};
use ciborium::Value;
use sha2::{Digest, Sha256};

use crate::cbor::MapBuilder;
use crate::keys::{Kid, PublicKey, SigningKey};
use crate::trust::envelope::{self, ListFields, list_error};
use crate::trust::keyset::KeyFingerprint;
use crate::trust::list::TrustList;
use crate::{Claims, CredentialId, Error, Limits, Result};

/// The format marker at key 0 of a revocation list's payload.
pub const REVOCATION_LIST_MARKER: &str = "healthpass revocation list v1";

/// The prefix hashed before a credential id (domain separation).
const HASH_DOMAIN: &[u8] = b"healthpass/revoked-credential/v1";

const WHAT: &str = "revocation list";
const HASH_LEN: usize = 16;

/// The hash of a credential id that a revocation list carries: the first 16 bytes of
/// SHA-256(`"healthpass/revoked-credential/v1"` ‖ id). The list names no credential id, and
/// so nobody; whoever holds a code can still check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CredentialHash(pub [u8; 16]);

impl CredentialHash {
    /// The hash of a credential id.
    pub fn of(id: &CredentialId) -> Self {
        let digest = Sha256::new().chain_update(HASH_DOMAIN).chain_update(id.0).finalize();
        let mut hash = [0u8; HASH_LEN];
        hash.copy_from_slice(digest.get(..HASH_LEN).unwrap_or(&[0; HASH_LEN]));
        CredentialHash(hash)
    }

    fn to_u128(self) -> u128 {
        u128::from_be_bytes(self.0)
    }
}

/// A key revoked from a given time: codes it signed with `iat` at or after `from` are refused
/// (a key known to be compromised since then); codes signed before stay good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedKey {
    /// The key id.
    pub kid: Kid,
    /// Codes issued at or after this time are refused.
    pub from: DateTime<Utc>,
}

/// A signed list of revoked credentials and keys, with a sequence number and update times.
///
/// A list signed by a trust anchor applies to every code (or to one issuer's, if it names one);
/// one signed by an issuer's key (whose trust-list scope allows revocation) must name that
/// issuer and applies to its codes only, and revokes kids only of keys bound to that issuer.
/// A checkpoint holds lists per signer ([`RevocationList::signer`]): no signer's list replaces,
/// shadows or blocks another's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationList {
    /// Increases with every list its signer publishes for the same issuer.
    pub sequence: u64,
    /// When the list was signed.
    pub issued_at: DateTime<Utc>,
    /// When a newer list is due.
    pub next_update: DateTime<Utc>,
    /// The issuer whose codes the list covers; `None` (anchor-signed lists only) covers all.
    pub issuer: Option<String>,
    /// Revoked keys.
    pub keys: Vec<RevokedKey>,
    /// Revoked credential hashes as big-endian integers, sorted ascending, without duplicates.
    credentials: Vec<u128>,
    /// The key that signed the list, once [`RevocationList::decode_signed`] has checked it.
    signer: Option<KeyFingerprint>,
}

impl RevocationList {
    /// An empty list.
    pub fn new(sequence: u64, issued_at: DateTime<Utc>, next_update: DateTime<Utc>) -> Self {
        RevocationList {
            sequence,
            issued_at,
            next_update,
            issuer: None,
            keys: Vec::new(),
            credentials: Vec::new(),
            signer: None,
        }
    }

    /// The fingerprint of the key (anchor or issuer revocation key) whose signature
    /// [`RevocationList::decode_signed`] checked; `None` for a list built in memory.
    pub fn signer(&self) -> Option<&KeyFingerprint> {
        self.signer.as_ref()
    }

    /// Adds credential hashes (duplicates are merged).
    pub fn revoke_hashes(&mut self, hashes: impl IntoIterator<Item = CredentialHash>) -> &mut Self {
        self.credentials.extend(hashes.into_iter().map(CredentialHash::to_u128));
        self.credentials.sort_unstable();
        self.credentials.dedup();
        self
    }

    /// Adds credentials by id.
    pub fn revoke_credentials<'a>(&mut self, ids: impl IntoIterator<Item = &'a CredentialId>) -> &mut Self {
        self.revoke_hashes(ids.into_iter().map(CredentialHash::of))
    }

    /// Revokes a key for codes issued at or after `from`.
    pub fn revoke_key(&mut self, kid: Kid, from: DateTime<Utc>) -> &mut Self {
        self.keys.push(RevokedKey { kid, from });
        self
    }

    /// How many credentials the list revokes.
    pub fn credential_count(&self) -> usize {
        self.credentials.len()
    }

    /// The revoked credential hashes, in ascending order.
    pub fn credential_hashes(&self) -> impl Iterator<Item = CredentialHash> + '_ {
        self.credentials.iter().map(|h| CredentialHash(h.to_be_bytes()))
    }

    /// Bytes of heap memory the list holds for its credential and key sets.
    pub fn heap_bytes(&self) -> usize {
        self.credentials.capacity() * std::mem::size_of::<u128>()
            + self.keys.capacity() * std::mem::size_of::<RevokedKey>()
            + self.keys.iter().map(|k| k.kid.as_bytes().len()).sum::<usize>()
    }

    /// Whether the list holds this credential hash (binary search, exact).
    pub fn contains(&self, hash: &CredentialHash) -> bool {
        self.credentials.binary_search(&hash.to_u128()).is_ok()
    }

    /// Whether the list applies to codes of `issuer`.
    pub fn covers(&self, issuer: &str) -> bool {
        self.issuer.as_deref().is_none_or(|own| own == issuer)
    }

    /// Every reason this list refuses a code with these claims, signed under `kid`: the
    /// credential revoked, or the key revoked since before the code was issued. Empty if none,
    /// or if the list does not cover the code's issuer. As [`RevocationList::check_signed_by`]
    /// with the key bound to the code's own issuer.
    pub fn check(&self, claims: &Claims, kid: &Kid) -> Vec<Error> {
        self.check_signed_by(claims, kid, &claims.issuer)
    }

    /// As [`RevocationList::check`] for a code signed under `kid` by a key the trust list binds
    /// to `key_issuer`: a list naming an issuer revokes that issuer's credentials, and kids
    /// only of keys bound to that issuer.
    pub fn check_signed_by(&self, claims: &Claims, kid: &Kid, key_issuer: &str) -> Vec<Error> {
        let mut out = Vec::new();
        if !self.covers(&claims.issuer) {
            return out;
        }
        if self.contains(&CredentialHash::of(&claims.credential_id)) {
            out.push(Error::Revoked(format!("the credential is on revocation list {}", self.sequence)));
        }
        if !self.covers(key_issuer) {
            return out;
        }
        for key in self.keys.iter().filter(|k| k.kid == *kid && claims.issued_at >= k.from) {
            out.push(Error::Revoked(format!("the signing key {kid} is revoked for codes issued from {}", key.from)));
        }
        out
    }

    /// Checks that `offered` may replace `self`: the same scope (issuer) and a higher sequence,
    /// or the same list again.
    ///
    /// # Errors
    /// [`Error::ListRollback`] for a lower sequence; [`Error::List`] for another issuer, or for
    /// the same sequence with different content.
    pub fn check_update(&self, offered: &RevocationList) -> Result<()> {
        if offered.issuer != self.issuer {
            return Err(list_error(WHAT, "a list can only replace a list for the same issuer"));
        }
        if offered.sequence < self.sequence {
            return Err(Error::ListRollback { what: WHAT, held: self.sequence, got: offered.sequence });
        }
        if offered.sequence == self.sequence && offered != self {
            return Err(list_error(WHAT, "same sequence as the held list but different content"));
        }
        Ok(())
    }

    /// Checks the list's rules: next-update after issued-at, the caps of [`Limits`], key ids of
    /// 1 to 64 bytes and a non-empty issuer when one is named.
    ///
    /// # Errors
    /// [`Error::List`] or [`Error::TooLarge`].
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        if self.next_update <= self.issued_at {
            return Err(list_error(WHAT, "next_update must be after issued_at"));
        }
        if self.credentials.len() > limits.max_revoked_credentials {
            return Err(Error::TooLarge { what: "revoked credentials", limit: limits.max_revoked_credentials });
        }
        if self.keys.len() > limits.max_revoked_keys {
            return Err(Error::TooLarge { what: "revoked keys", limit: limits.max_revoked_keys });
        }
        if self.keys.iter().any(|k| k.kid.as_bytes().len() > 64) {
            return Err(list_error(WHAT, "a revoked kid must have 1 to 64 bytes"));
        }
        if self.issuer.as_ref().is_some_and(|i| i.is_empty() || i.len() > limits.max_text_string_len) {
            return Err(list_error(WHAT, "the issuer must not be empty or over-long"));
        }
        Ok(())
    }

    /// Validates and signs the list: the bytes to publish. Sign with the anchor's key, or with
    /// an issuer's key whose trust-list entry allows revocation (then set [`Self::issuer`]).
    ///
    /// # Errors
    /// The errors of [`RevocationList::validate`]; [`Error::Cbor`] if encoding fails.
    pub fn sign(&self, key: &SigningKey, limits: &Limits) -> Result<Vec<u8>> {
        self.validate(limits)?;
        let mut hashes = Vec::with_capacity(self.credentials.len() * HASH_LEN);
        self.credentials.iter().for_each(|h| hashes.extend_from_slice(&h.to_be_bytes()));
        let keys: Vec<Value> = self
            .keys
            .iter()
            .map(|k| MapBuilder::default().put(1, k.kid.as_bytes().to_vec()).put(2, k.from.timestamp()).build())
            .collect();
        let payload = MapBuilder::default()
            .put(0, REVOCATION_LIST_MARKER)
            .put(1, self.sequence)
            .put(2, self.issued_at.timestamp())
            .put(3, self.next_update.timestamp())
            .opt(4, self.issuer.as_deref())
            .put(5, hashes)
            .opt(6, (!keys.is_empty()).then_some(Value::Array(keys)))
            .build();
        envelope::seal(&payload, key)
    }

    /// Decodes a signed revocation list and checks who signed it: one of the pinned `anchors`,
    /// or an Ed25519 key of `trust` whose scope allows revocation, valid when the list was
    /// issued, for the issuer the list names. Nothing is returned unless all of it is good; the
    /// list returned names its signer ([`RevocationList::signer`]).
    ///
    /// Allocation is bounded by [`Limits::max_list_bytes`]: the file is measured first, and
    /// the hashes are read from one byte string into one array of the same size.
    ///
    /// # Errors
    /// As [`TrustList::decode_signed`]; [`Error::OutOfScope`] for an issuer key signing for
    /// another issuer (or for all issuers); [`Error::List`] for hashes that are not a whole
    /// number of 16-byte entries in strictly ascending order.
    pub fn decode_signed(bytes: &[u8], anchors: &[PublicKey], trust: &TrustList, limits: &Limits) -> Result<Self> {
        let revokers: Vec<(PublicKey, &str, &crate::trust::TrustEntry)> = trust
            .entries
            .iter()
            .filter(|e| e.scope.revocation)
            .filter_map(|e| e.ed25519_key().ok().map(|k| (k, e.issuer.as_str(), e)))
            .collect();
        let signers = anchors.iter().chain(revokers.iter().map(|(k, _, _)| k));
        let (message, signer) = envelope::open(bytes, signers, WHAT, limits)?;
        let mut list = Self::from_message(&message, limits)?;
        list.signer = Some(KeyFingerprint::of_ed25519(signer));
        if anchors.contains(signer) {
            return Ok(list);
        }
        let authorised = revokers.iter().any(|(key, issuer, entry)| {
            key == signer && list.issuer.as_deref() == Some(*issuer) && entry.is_valid_at(list.issued_at)
        });
        if !authorised {
            return Err(Error::OutOfScope(match &list.issuer {
                Some(_) => "revocation lists for another issuer, or outside its validity".into(),
                None => "revocation lists for every issuer (only an anchor may)".into(),
            }));
        }
        Ok(list)
    }

    fn from_message(message: &crate::cose::CoseMessage, limits: &Limits) -> Result<Self> {
        let mut f = envelope::payload_fields(message, REVOCATION_LIST_MARKER, WHAT, limits, limits.max_revoked_keys)?;
        let sequence = f.uint(1, "sequence")?;
        let issued_at = f.time(2, "issued_at")?;
        let next_update = f.time(3, "next_update")?;
        let issuer = f.opt_text(4, "issuer", limits)?;
        let hashes = f.bytes(5, "revoked credentials")?;
        if hashes.len() % HASH_LEN != 0 {
            return Err(list_error(WHAT, "revoked credentials are not a whole number of 16-byte hashes"));
        }
        if hashes.len() / HASH_LEN > limits.max_revoked_credentials {
            return Err(Error::TooLarge { what: "revoked credentials", limit: limits.max_revoked_credentials });
        }
        let mut credentials = Vec::with_capacity(hashes.len() / HASH_LEN);
        for chunk in hashes.chunks_exact(HASH_LEN) {
            let hash = u128::from_be_bytes(chunk.try_into().unwrap_or([0; HASH_LEN]));
            if credentials.last().is_some_and(|&last| last >= hash) {
                return Err(list_error(WHAT, "revoked credentials must be in strictly ascending order"));
            }
            credentials.push(hash);
        }
        drop(hashes);
        let keys = f
            .array(6, "revoked keys")?
            .unwrap_or_default()
            .into_iter()
            .map(|v| {
                let mut k = ListFields::new(v, WHAT)?;
                let kid = Kid::new(k.bytes(1, "revoked kid")?)
                    .ok_or_else(|| list_error(WHAT, "a revoked kid must have 1 to 64 bytes"))?;
                let from = k.time(2, "revoked from")?;
                k.finish()?;
                Ok(RevokedKey { kid, from })
            })
            .collect::<Result<Vec<_>>>()?;
        f.finish()?;
        let list = RevocationList { sequence, issued_at, next_update, issuer, keys, credentials, signer: None };
        list.validate(limits)?;
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;

    #[test]
    fn the_credential_hash_matches_the_documented_vectors() {
        // Computed independently: sha256(b"healthpass/revoked-credential/v1" + id)[:16] in Python.
        assert_eq!(
            crate::hex::encode(&CredentialHash::of(&CredentialId([0; 16])).0),
            "76dfae703d3b091446143fc7a894051f"
        );
        assert_eq!(
            crate::hex::encode(&CredentialHash::of(&CredentialId([0x5a; 16])).0),
            "daa488d32a746da6ddaeed62a8c2a623"
        );
    }

    #[test]
    fn hashes_are_exact_and_sorted() {
        let t = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap();
        let mut list = RevocationList::new(1, t, t + TimeDelta::days(1));
        let ids: Vec<CredentialId> = (0u8..50).map(|i| CredentialId([i; 16])).collect();
        list.revoke_credentials(ids.iter().step_by(2));
        list.revoke_credentials(ids.iter().take(4)); // duplicates merge
        assert_eq!(list.credential_count(), 27);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(list.contains(&CredentialHash::of(id)), i % 2 == 0 || i < 4, "id {i}");
        }
        let hashes: Vec<_> = list.credential_hashes().collect();
        assert!(hashes.windows(2).all(|w| w[0] < w[1]));
    }
}
