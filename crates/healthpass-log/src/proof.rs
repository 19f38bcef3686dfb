//! RFC 9162 §2.1.3.2 and §2.1.4.2 proof verification, written from the RFC's algorithms.
//!
//! Inputs are taken as the bytes received (`&[u8]`), so a hash of the wrong length is refused
//! with an error naming it rather than being silently cut or padded. Proofs longer than
//! [`MAX_PROOF_LEN`] hashes are refused before any hashing.

use crate::error::{Error, Result};
use crate::hash::{Hash, hash_from_slice, node_hash};

/// No proof in a tree of at most 2^64 leaves holds more than 64 hashes.
pub const MAX_PROOF_LEN: usize = 64;

fn inclusion_err(reason: &'static str) -> Error {
    Error::Proof { kind: "inclusion", reason }
}

fn consistency_err(reason: &'static str) -> Error {
    Error::Proof { kind: "consistency", reason }
}

/// Checks that `proof` proves the leaf with hash `leaf_hash` at `index` in the tree of `size`
/// leaves whose root is `root`.
///
/// # Errors
/// [`Error::Proof`] naming the failed check (index not below size, proof too long or short,
/// root mismatch), or [`Error::HashLength`] for a hash that is not 32 bytes.
pub fn verify_inclusion<P: AsRef<[u8]>>(
    index: u64,
    size: u64,
    leaf_hash: &[u8],
    proof: &[P],
    root: &[u8],
) -> Result<()> {
    if index >= size {
        return Err(inclusion_err("leaf index is not below the tree size"));
    }
    if proof.len() > MAX_PROOF_LEN {
        return Err(inclusion_err("proof longer than 64 hashes"));
    }
    let root = hash_from_slice("root", root)?;
    let computed = root_from_inclusion(index, size, leaf_hash, proof)?;
    if computed != root {
        return Err(inclusion_err("computed root does not match"));
    }
    Ok(())
}

/// The root that an inclusion proof implies for the leaf (the RFC algorithm, steps 2-3).
///
/// # Errors
/// As [`verify_inclusion`], except the root comparison.
pub fn root_from_inclusion<P: AsRef<[u8]>>(index: u64, size: u64, leaf_hash: &[u8], proof: &[P]) -> Result<Hash> {
    if index >= size {
        return Err(inclusion_err("leaf index is not below the tree size"));
    }
    let mut r = hash_from_slice("leaf hash", leaf_hash)?;
    let (mut f, mut s) = (index, size - 1);
    for p in proof {
        let p = hash_from_slice("proof hash", p.as_ref())?;
        if s == 0 {
            return Err(inclusion_err("proof is too long for the tree size"));
        }
        if f & 1 == 1 || f == s {
            r = node_hash(&p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, &p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(inclusion_err("proof is too short for the tree size"));
    }
    Ok(r)
}

/// Checks that `proof` shows the tree of `size1` leaves with root `root1` is a prefix of the
/// tree of `size2` leaves with root `root2`.
///
/// RFC 9162 defines consistency proofs for `0 < size1 < size2`; equal sizes are consistent when
/// the proof is empty and the roots are equal. A proof from the empty tree proves nothing and is
/// refused.
///
/// # Errors
/// [`Error::Proof`] naming the failed check, or [`Error::HashLength`].
pub fn verify_consistency<P: AsRef<[u8]>>(
    size1: u64,
    size2: u64,
    root1: &[u8],
    root2: &[u8],
    proof: &[P],
) -> Result<()> {
    if size2 < size1 {
        return Err(consistency_err("size1 is greater than size2"));
    }
    if size1 == 0 {
        return Err(consistency_err("size1 is zero: nothing to prove"));
    }
    if proof.len() > MAX_PROOF_LEN {
        return Err(consistency_err("proof longer than 64 hashes"));
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(consistency_err("sizes are equal but the proof is not empty"));
        }
        if root1 != root2 {
            return Err(consistency_err("sizes are equal but the roots differ"));
        }
        return Ok(());
    }
    if proof.is_empty() {
        return Err(consistency_err("empty proof"));
    }
    let first = hash_from_slice("root1", root1)?;
    let second = hash_from_slice("root2", root2)?;
    let mut hashes = Vec::with_capacity(proof.len().saturating_add(1));
    if size1.is_power_of_two() {
        hashes.push(first);
    }
    for p in proof {
        hashes.push(hash_from_slice("proof hash", p.as_ref())?);
    }
    let Some((seed, rest)) = hashes.split_first() else {
        return Err(consistency_err("empty proof"));
    };
    let (mut f, mut s) = (size1 - 1, size2 - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*seed, *seed);
    for c in rest {
        if s == 0 {
            return Err(consistency_err("proof is too long for the tree sizes"));
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(consistency_err("proof is too short for the tree sizes"));
    }
    if fr != first {
        return Err(consistency_err("root1 does not match"));
    }
    if sr != second {
        return Err(consistency_err("root2 does not match"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;
    use crate::tree::{MerkleTree, consistency_proof, inclusion_proof, root_at};

    fn tree(n: u64) -> MerkleTree {
        let mut t = MerkleTree::new();
        for i in 0..n {
            t.push(leaf_hash(&i.to_be_bytes()));
        }
        t
    }

    #[test]
    fn every_inclusion_proof_of_small_trees_verifies_and_tampering_fails() {
        let t = tree(33);
        for size in 1..=33u64 {
            let root = root_at(&t, size).unwrap();
            for index in 0..size {
                let leaf = leaf_hash(&index.to_be_bytes());
                let proof = inclusion_proof(&t, index, size).unwrap();
                verify_inclusion(index, size, &leaf, &proof, &root).unwrap();
                let other = leaf_hash(&(index + 1000).to_be_bytes());
                assert!(verify_inclusion(index, size, &other, &proof, &root).is_err());
                if size > 1 {
                    assert!(verify_inclusion((index + 1) % size, size, &leaf, &proof, &root).is_err());
                }
            }
        }
    }

    #[test]
    fn every_consistency_proof_of_small_trees_verifies_and_tampering_fails() {
        let t = tree(33);
        for size2 in 1..=33u64 {
            let root2 = root_at(&t, size2).unwrap();
            for size1 in 1..=size2 {
                let root1 = root_at(&t, size1).unwrap();
                let proof = consistency_proof(&t, size1, size2).unwrap();
                verify_consistency(size1, size2, &root1, &root2, &proof).unwrap();
                assert!(verify_consistency(size1, size2, &root2, &root1, &proof).is_err() || root1 == root2);
                if let Some(first) = proof.first() {
                    let mut bad = proof.clone();
                    bad[0] = leaf_hash(first);
                    assert!(verify_consistency(size1, size2, &root1, &root2, &bad).is_err());
                }
            }
        }
    }
}
