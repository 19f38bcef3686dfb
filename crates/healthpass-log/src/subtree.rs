//! Subtree inclusion and consistency proofs (the Merkle Tree Certificates draft,
//! draft-ietf-plants-merkle-tree-certs, "subtrees"), used by C2SP subtree cosignatures.
//!
//! A subtree `[start, end)` is valid when `start < end` and `start` is a multiple of the
//! smallest power of two at least `end - start`; its hash is then the Merkle Tree Hash of the
//! leaves `[start, end)`. Ordinary RFC 9162 proofs are the case `start = 0`.
//!
//! Verification walks the same decomposition as generation, so the proof's expected length is
//! known before any hashing, and both the subtree hash and the tree root are rebuilt from it.

use crate::error::{Error, Result};
use crate::hash::{Hash, empty_root, hash_from_slice, node_hash, split_point};
use crate::proof::{MAX_PROOF_LEN, verify_inclusion};
use crate::tree::{PerfectNodes, range_hash};

fn err(reason: &'static str) -> Error {
    Error::Proof { kind: "subtree", reason }
}

/// True when `[start, end)` is a valid subtree.
///
/// ```
/// use healthpass_log::subtree::is_valid_subtree;
/// assert!(is_valid_subtree(8, 13));
/// assert!(!is_valid_subtree(2, 6));
/// assert!(!is_valid_subtree(3, 3));
/// ```
#[must_use]
pub fn is_valid_subtree(start: u64, end: u64) -> bool {
    if start >= end {
        return false;
    }
    match (end - start).checked_next_power_of_two() {
        Some(width) => start % width == 0,
        None => false,
    }
}

/// Checks that `proof` proves leaf `index` in the subtree `[start, end)` whose hash is `root`.
///
/// # Errors
/// [`Error::Proof`] for an invalid subtree, a leaf outside it, or a failed proof;
/// [`Error::HashLength`] for a hash that is not 32 bytes.
pub fn verify_subtree_inclusion<P: AsRef<[u8]>>(
    index: u64,
    start: u64,
    end: u64,
    leaf_hash: &[u8],
    proof: &[P],
    root: &[u8],
) -> Result<()> {
    if !is_valid_subtree(start, end) {
        return Err(err("not a valid subtree"));
    }
    if index < start || index >= end {
        return Err(err("leaf outside the subtree"));
    }
    verify_inclusion(index - start, end - start, leaf_hash, proof, root)
}

/// One step of the walk from the tree's root down to the subtree's lowest covering node.
#[derive(Clone, Copy)]
struct Step {
    /// The walk went right, so the sibling is on the left.
    right: bool,
    /// The sibling lies inside the subtree.
    inside: bool,
}

/// Walks from `[0, size)` to the node where the subtree's remaining part is a whole node.
/// Returns the steps, the final node, and whether the subtree is that whole node.
fn walk(start: u64, end: u64, size: u64) -> Result<(Vec<Step>, (u64, u64), bool)> {
    let mut steps = Vec::with_capacity(64);
    let (mut lo, mut hi, mut cur, mut whole) = (0u64, size, start, true);
    while !(cur == lo && end == hi) {
        if hi - lo < 2 || steps.len() >= MAX_PROOF_LEN {
            return Err(err("subtree does not fit the tree"));
        }
        let mid = lo + split_point(hi - lo);
        if end <= mid {
            steps.push(Step { right: false, inside: false });
            hi = mid;
        } else if cur >= mid {
            steps.push(Step { right: true, inside: false });
            lo = mid;
        } else if cur == lo {
            steps.push(Step { right: true, inside: true });
            lo = mid;
            cur = mid;
            whole = false;
        } else {
            return Err(err("not a valid subtree"));
        }
    }
    Ok((steps, (lo, hi), whole))
}

/// Checks that the subtree `[start, end)` with hash `root1` is part of the tree of `size`
/// leaves with root `root2`.
///
/// An empty subtree (`start == end <= size`) is consistent with any tree when its hash is the
/// empty-tree hash and the proof is empty.
///
/// # Errors
/// [`Error::Proof`] naming the failed check; [`Error::HashLength`].
pub fn verify_subtree_consistency<P: AsRef<[u8]>>(
    start: u64,
    end: u64,
    size: u64,
    root1: &[u8],
    root2: &[u8],
    proof: &[P],
) -> Result<()> {
    if start > end || end > size {
        return Err(err("subtree is not inside the tree"));
    }
    if start == end {
        if !proof.is_empty() {
            return Err(err("empty subtree with a non-empty proof"));
        }
        if root1 != empty_root() {
            return Err(err("empty subtree whose hash is not the empty-tree hash"));
        }
        return Ok(());
    }
    if !is_valid_subtree(start, end) {
        return Err(err("not a valid subtree"));
    }
    if proof.len() > MAX_PROOF_LEN {
        return Err(err("proof longer than 64 hashes"));
    }
    let (steps, _, whole) = walk(start, end, size)?;
    let expected = steps.len() + usize::from(!whole);
    if proof.len() != expected {
        return Err(err("proof has the wrong length"));
    }
    if expected == 0 {
        // The subtree is the whole tree.
        return if root1 == root2 { Ok(()) } else { Err(err("roots differ")) };
    }
    let first = hash_from_slice("root1", root1)?;
    let second = hash_from_slice("root2", root2)?;
    let mut hashes = proof.iter().map(|p| hash_from_slice("proof hash", p.as_ref()));
    let node = if whole { first } else { hashes.next().ok_or_else(|| err("proof too short"))?? };
    let (mut tree, mut sub) = (node, node);
    for step in steps.iter().rev() {
        let sibling = hashes.next().ok_or_else(|| err("proof too short"))??;
        if step.right {
            tree = node_hash(&sibling, &tree);
            if step.inside {
                sub = node_hash(&sibling, &sub);
            }
        } else {
            tree = node_hash(&tree, &sibling);
        }
    }
    if sub != first {
        return Err(err("subtree hash does not match"));
    }
    if tree != second {
        return Err(err("tree root does not match"));
    }
    Ok(())
}

/// The subtree consistency proof of `[start, end)` in the tree of `size` leaves.
///
/// # Errors
/// [`Error::ProofRequest`] for an invalid or empty subtree, or one outside the source.
pub fn subtree_consistency_proof<S: PerfectNodes + ?Sized>(
    source: &S,
    start: u64,
    end: u64,
    size: u64,
) -> Result<Vec<Hash>> {
    if !is_valid_subtree(start, end) || end > size || size > source.size() {
        return Err(Error::ProofRequest("subtree must be valid and inside the tree"));
    }
    let (steps, (lo, hi), whole) = walk(start, end, size)?;
    let mut proof = Vec::with_capacity(steps.len() + 1);
    if !whole {
        proof.push(range_hash(source, lo, hi)?);
    }
    // Re-walk to find each sibling's range, bottom-up.
    let mut ranges = Vec::with_capacity(steps.len());
    let (mut l, mut h) = (0u64, size);
    for step in &steps {
        let mid = l + split_point(h - l);
        if step.right {
            ranges.push((l, mid));
            l = mid;
        } else {
            ranges.push((mid, h));
            h = mid;
        }
    }
    for (a, b) in ranges.into_iter().rev() {
        proof.push(range_hash(source, a, b)?);
    }
    Ok(proof)
}

/// The hash of the subtree `[start, end)`.
///
/// # Errors
/// [`Error::ProofRequest`] for an invalid subtree or one outside the source.
pub fn subtree_hash<S: PerfectNodes + ?Sized>(source: &S, start: u64, end: u64) -> Result<Hash> {
    if !is_valid_subtree(start, end) {
        return Err(Error::ProofRequest("not a valid subtree"));
    }
    range_hash(source, start, end)
}
