//! The revocation store: lists per kid and hash type, partitions and chunks by the hash's first
//! two bytes, and the lookup.

use std::collections::{BTreeMap, HashMap};

use healthpass::{Error, Result};

use super::{BloomFilter, HashType, RevocationHash, RevocationHashes, RevocationLimits};

/// What the store says about one DCC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// No list of the DCC's kid holds any of its hashes, and no filter says "maybe".
    NotListed,
    /// A hash of the DCC is in the exact list of its kid: the DCC is revoked.
    Revoked(HashType),
    /// A Bloom filter of the DCC's kid says "maybe" for this hash type, and there is no exact
    /// entry to confirm it: not a revocation (a filter has false positives). Report it; the
    /// exact list of that chunk settles it.
    Unconfirmed(HashType),
}

/// One chunk: the hashes sharing their first two bytes, as an exact sorted list, a Bloom
/// filter, or both.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// Sorted, without duplicates.
    hashes: Vec<RevocationHash>,
    filter: Option<BloomFilter>,
}

/// The list of one kid and hash type: chunks keyed by the hash's first byte (the partition)
/// and second byte (the chunk), as `partition << 8 | chunk`.
#[derive(Debug, Clone, Default)]
struct KidList {
    chunks: BTreeMap<u16, Chunk>,
}

/// Revocation lists for DCCs: per signing key (kid) and hash type.
#[derive(Debug, Clone, Default)]
pub struct RevocationStore {
    lists: HashMap<Vec<u8>, BTreeMap<HashType, KidList>>,
    entries: usize,
    limits: RevocationLimits,
}

fn coordinates(hash: &RevocationHash) -> u16 {
    u16::from_be_bytes([hash[0], hash[1]])
}

impl RevocationStore {
    /// An empty store under the default limits.
    pub fn new() -> Self {
        RevocationStore::with_limits(RevocationLimits::DEFAULT)
    }

    /// An empty store under `limits`.
    pub fn with_limits(limits: RevocationLimits) -> Self {
        RevocationStore { lists: HashMap::new(), entries: 0, limits }
    }

    /// The limits the store and its loaders apply.
    pub fn limits(&self) -> &RevocationLimits {
        &self.limits
    }

    /// Exact hashes held (over every kid and type, duplicates counted once).
    pub fn len(&self) -> usize {
        self.entries
    }

    /// Whether the store holds no exact hash and no filter.
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty()
    }

    /// Adds exact revocation hashes for a kid and hash type.
    ///
    /// # Errors
    /// [`Error::TooLarge`] when the store would hold more than `max_total_entries`; nothing is
    /// added then.
    pub fn insert_hashes(&mut self, kid: &[u8], hash_type: HashType, hashes: &[RevocationHash]) -> Result<()> {
        if self.entries.saturating_add(hashes.len()) > self.limits.max_total_entries {
            return Err(Error::TooLarge { what: "revocation entries", limit: self.limits.max_total_entries });
        }
        let list = self.lists.entry(kid.to_vec()).or_default().entry(hash_type).or_default();
        let mut touched: BTreeMap<u16, usize> = BTreeMap::new();
        for hash in hashes {
            let key = coordinates(hash);
            let chunk = list.chunks.entry(key).or_default();
            touched.entry(key).or_insert(chunk.hashes.len());
            chunk.hashes.push(*hash);
        }
        for (key, before) in touched {
            if let Some(chunk) = list.chunks.get_mut(&key) {
                chunk.hashes.sort_unstable();
                chunk.hashes.dedup();
                self.entries = self.entries.saturating_add(chunk.hashes.len().saturating_sub(before));
            }
        }
        Ok(())
    }

    /// Holds `filter` as the Bloom filter of one chunk of a kid and hash type: the hashes
    /// whose first byte is `partition` and second byte is `chunk`. A filter only ever makes a
    /// lookup [`Lookup::Unconfirmed`]; the chunk's exact hashes decide.
    pub fn insert_filter(&mut self, kid: &[u8], hash_type: HashType, partition: u8, chunk: u8, filter: BloomFilter) {
        let list = self.lists.entry(kid.to_vec()).or_default().entry(hash_type).or_default();
        list.chunks.entry(u16::from_be_bytes([partition, chunk])).or_default().filter = Some(filter);
    }

    /// Builds a Bloom filter over every exact hash of each chunk (at false-positive rate
    /// `probability`), for a store to hand on or for a device that keeps only filters. The
    /// exact lists stay: a lookup still decides by them.
    ///
    /// # Errors
    /// Those of [`BloomFilter::new`].
    pub fn build_filters(&mut self, probability: f32) -> Result<()> {
        let limits = self.limits;
        for list in self.lists.values_mut().flat_map(BTreeMap::values_mut) {
            for chunk in list.chunks.values_mut() {
                let Ok(capacity) = u32::try_from(chunk.hashes.len()) else { continue };
                if capacity == 0 {
                    continue;
                }
                let mut filter = BloomFilter::new(capacity, probability, &limits)?;
                for hash in &chunk.hashes {
                    filter.add(hash);
                }
                chunk.filter = Some(filter);
            }
        }
        Ok(())
    }

    /// The filter of one chunk, if it has one.
    pub fn filter(&self, kid: &[u8], hash_type: HashType, partition: u8, chunk: u8) -> Option<&BloomFilter> {
        self.lists.get(kid)?.get(&hash_type)?.chunks.get(&u16::from_be_bytes([partition, chunk]))?.filter.as_ref()
    }

    /// Looks one hash up in the lists of `kid` and `hash_type`: the chunk at the hash's first
    /// two bytes, a binary search in its exact list, and only then its filter.
    pub fn lookup(&self, kid: &[u8], hash_type: HashType, hash: &RevocationHash) -> Lookup {
        let Some(chunk) =
            self.lists.get(kid).and_then(|l| l.get(&hash_type)).and_then(|l| l.chunks.get(&coordinates(hash)))
        else {
            return Lookup::NotListed;
        };
        if chunk.hashes.binary_search(hash).is_ok() {
            Lookup::Revoked(hash_type)
        } else if chunk.filter.as_ref().is_some_and(|f| f.might_contain(hash)) {
            Lookup::Unconfirmed(hash_type)
        } else {
            Lookup::NotListed
        }
    }

    /// Checks a DCC's hashes against the lists of the kid that signed it, every hash type in
    /// turn: the first exact match revokes; failing that, a filter's "maybe" is reported as
    /// unconfirmed.
    pub fn check(&self, kid: &[u8], hashes: &RevocationHashes) -> Lookup {
        let mut result = Lookup::NotListed;
        for hash_type in HashType::ALL {
            let Some(hash) = hashes.get(hash_type) else { continue };
            match self.lookup(kid, hash_type, hash) {
                Lookup::Revoked(t) => return Lookup::Revoked(t),
                Lookup::Unconfirmed(t) if result == Lookup::NotListed => result = Lookup::Unconfirmed(t),
                _ => {}
            }
        }
        result
    }

    /// As [`RevocationStore::check`], as a verdict step.
    ///
    /// # Errors
    /// [`Error::Revoked`] (code `revoked`) naming the hash type when the DCC is revoked.
    pub fn verify(&self, kid: &[u8], hashes: &RevocationHashes) -> Result<Lookup> {
        match self.check(kid, hashes) {
            Lookup::Revoked(t) => Err(Error::Revoked(format!("the DCC's {} hash is on its signer's list", t.name()))),
            other => Ok(other),
        }
    }
}
