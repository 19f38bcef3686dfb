//! The Merkle tree as perfect subtrees, and RFC 9162 proof generation over any source of them.
//!
//! Every hash in an RFC 9162 proof is the hash of a range of leaves that splits into perfect
//! (power-of-two, aligned) subtrees. A [`PerfectNodes`] source answers those; the in-memory
//! [`MerkleTree`] keeps every perfect node, and [`crate::tiles::TileReader`] fetches them from
//! tiles, so the same generation code serves a log and a client that only reads tiles.
//!
//! Written by hand because of that: the Merkle crates (ct-merkle, rs_merkle, tlog_tiles) each
//! fix where the hashes live (the whole tree in memory, or their own storage on an older sha2),
//! and the RFC's algorithms are a few dozen lines.

use crate::error::{Error, Result};
use crate::hash::{Hash, empty_root, node_hash, split_point};

/// A source of perfect subtree hashes: node `(level, index)` covers leaves
/// `[index * 2^level, (index + 1) * 2^level)`.
pub trait PerfectNodes {
    /// The number of leaves the source knows.
    fn size(&self) -> u64;
    /// The hash of perfect node `(level, index)`, whose leaves all lie below [`Self::size`].
    ///
    /// # Errors
    /// When the node is outside the tree or cannot be read.
    fn perfect(&self, level: u32, index: u64) -> Result<Hash>;
}

/// The Merkle Tree Hash of leaves `[start, end)` from perfect nodes (`start < end`).
///
/// # Errors
/// [`Error::ProofRequest`] for an empty or out-of-tree range; errors of the source.
pub fn range_hash<S: PerfectNodes + ?Sized>(source: &S, start: u64, end: u64) -> Result<Hash> {
    if start >= end || end > source.size() {
        return Err(Error::ProofRequest("range outside the tree"));
    }
    let len = end - start;
    if len.is_power_of_two() && start % len == 0 {
        let level = len.trailing_zeros();
        return source.perfect(level, start >> level);
    }
    let k = split_point(len);
    let left = range_hash(source, start, start + k)?;
    let right = range_hash(source, start + k, end)?;
    Ok(node_hash(&left, &right))
}

/// The root hash of the first `size` leaves (the empty-tree hash for 0).
///
/// # Errors
/// When `size` exceeds the source, or the source fails.
pub fn root_at<S: PerfectNodes + ?Sized>(source: &S, size: u64) -> Result<Hash> {
    if size == 0 { Ok(empty_root()) } else { range_hash(source, 0, size) }
}

/// The inclusion proof (RFC 9162 §2.1.3.1) of leaf `index` in the tree of `size` leaves.
///
/// # Errors
/// [`Error::ProofRequest`] when `index >= size` or `size` exceeds the source.
pub fn inclusion_proof<S: PerfectNodes + ?Sized>(source: &S, index: u64, size: u64) -> Result<Vec<Hash>> {
    if index >= size || size > source.size() {
        return Err(Error::ProofRequest("leaf index not below tree size"));
    }
    let mut path = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if index - lo < k {
            path.push(range_hash(source, lo + k, hi)?);
            hi = lo + k;
        } else {
            path.push(range_hash(source, lo, lo + k)?);
            lo += k;
        }
    }
    path.reverse();
    Ok(path)
}

/// The consistency proof (RFC 9162 §2.1.4.1) from the tree of `size1` leaves to that of `size2`.
///
/// Equal sizes give an empty proof.
///
/// # Errors
/// [`Error::ProofRequest`] when `size1` is 0, `size1 > size2` or `size2` exceeds the source.
pub fn consistency_proof<S: PerfectNodes + ?Sized>(source: &S, size1: u64, size2: u64) -> Result<Vec<Hash>> {
    if size1 == 0 || size1 > size2 || size2 > source.size() {
        return Err(Error::ProofRequest("consistency needs 0 < size1 <= size2 <= tree size"));
    }
    let mut proof = Vec::with_capacity(64);
    let (mut lo, mut hi, mut whole) = (0u64, size2, true);
    loop {
        let len = hi - lo;
        let m = size1 - lo;
        if m == len {
            if !whole {
                proof.push(range_hash(source, lo, hi)?);
            }
            break;
        }
        let k = split_point(len);
        if m <= k {
            proof.push(range_hash(source, lo + k, hi)?);
            hi = lo + k;
        } else {
            proof.push(range_hash(source, lo, lo + k)?);
            lo += k;
            whole = false;
        }
    }
    proof.reverse();
    Ok(proof)
}

/// An append-only Merkle tree that keeps every perfect node in memory (64 bytes per leaf).
///
/// ```
/// use healthpass_log::hash::leaf_hash;
/// use healthpass_log::proof::verify_inclusion;
/// use healthpass_log::tree::{MerkleTree, inclusion_proof};
///
/// let mut tree = MerkleTree::new();
/// for i in 0u32..10 {
///     tree.push(leaf_hash(&i.to_be_bytes()));
/// }
/// let proof = inclusion_proof(&tree, 3, 10)?;
/// verify_inclusion(3, 10, &leaf_hash(&3u32.to_be_bytes()), &proof, &tree.root())?;
/// # Ok::<(), healthpass_log::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MerkleTree {
    levels: Vec<Vec<Hash>>,
}

impl MerkleTree {
    /// An empty tree.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a leaf hash, completing every perfect node it closes.
    pub fn push(&mut self, leaf: Hash) {
        let mut level = 0usize;
        let mut current = leaf;
        loop {
            if self.levels.len() <= level {
                self.levels.push(Vec::new());
            }
            let Some(row) = self.levels.get_mut(level) else { return };
            row.push(current);
            if row.len() % 2 == 1 {
                return;
            }
            let (Some(right), Some(left)) = (row.last(), row.len().checked_sub(2).and_then(|i| row.get(i))) else {
                return;
            };
            current = node_hash(left, right);
            level += 1;
        }
    }

    /// Drops every leaf from `size` on (used when an append fails to reach the store).
    pub fn truncate(&mut self, size: u64) {
        for (level, row) in self.levels.iter_mut().enumerate() {
            let keep = u32::try_from(level).ok().and_then(|l| size.checked_shr(l)).unwrap_or(0);
            row.truncate(usize::try_from(keep).unwrap_or(usize::MAX));
        }
    }

    /// The root hash of the whole tree.
    #[must_use]
    pub fn root(&self) -> Hash {
        root_at(self, self.size()).unwrap_or_else(|_| empty_root())
    }

    /// The leaf hashes `[start, end)` clipped to the tree.
    #[must_use]
    pub fn leaf_hashes(&self, start: u64, end: u64) -> &[Hash] {
        let row = self.levels.first().map(Vec::as_slice).unwrap_or(&[]);
        let end = usize::try_from(end).unwrap_or(usize::MAX).min(row.len());
        let start = usize::try_from(start).unwrap_or(usize::MAX).min(end);
        row.get(start..end).unwrap_or(&[])
    }
}

impl PerfectNodes for MerkleTree {
    fn size(&self) -> u64 {
        self.levels.first().map_or(0, |row| row.len() as u64)
    }

    fn perfect(&self, level: u32, index: u64) -> Result<Hash> {
        let row = self.levels.get(level as usize).ok_or(Error::ProofRequest("node outside the tree"))?;
        let index = usize::try_from(index).map_err(|_| Error::ProofRequest("node outside the tree"))?;
        row.get(index).copied().ok_or(Error::ProofRequest("node outside the tree"))
    }
}
