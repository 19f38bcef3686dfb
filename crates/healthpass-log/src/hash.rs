//! RFC 9162 (and RFC 6962) Merkle tree hashing with SHA-256: leaves are hashed with a `0x00`
//! prefix, interior nodes with `0x01`, and the empty tree's hash is SHA-256 of nothing.

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Length of every hash in the tree.
pub const HASH_LEN: usize = 32;

/// A SHA-256 Merkle tree hash.
pub type Hash = [u8; HASH_LEN];

/// The hash of the empty tree, `SHA-256()`.
///
/// ```
/// let empty = healthpass_log::hash::empty_root();
/// assert_eq!(empty[..4], [0xe3, 0xb0, 0xc4, 0x42]);
/// ```
#[must_use]
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// The leaf hash of `data`: `SHA-256(0x00 || data)`.
#[must_use]
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x00]);
    hasher.update(data);
    hasher.finalize().into()
}

/// The interior node hash of two children: `SHA-256(0x01 || left || right)`.
#[must_use]
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([0x01]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// Reads a hash from bytes that must be exactly 32 long.
///
/// # Errors
/// [`Error::HashLength`] naming `what` when the length is not 32.
pub fn hash_from_slice(what: &'static str, bytes: &[u8]) -> Result<Hash> {
    Hash::try_from(bytes).map_err(|_| Error::HashLength { what, len: bytes.len() })
}

/// The Merkle Tree Hash (RFC 9162 §2.1.1) of a list of leaf hashes.
///
/// Uses a stack of perfect subtrees, so memory is O(log n).
///
/// ```
/// use healthpass_log::hash::{leaf_hash, node_hash, root_from_leaf_hashes};
/// let (a, b, c) = (leaf_hash(b"a"), leaf_hash(b"b"), leaf_hash(b"c"));
/// let root = root_from_leaf_hashes(&[a, b, c]);
/// assert_eq!(root, node_hash(&node_hash(&a, &b), &c));
/// ```
#[must_use]
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    let mut stack = Vec::<(u32, Hash)>::new();
    for leaf in leaves {
        push_perfect(&mut stack, *leaf);
    }
    fold_stack(&stack).unwrap_or_else(empty_root)
}

/// Pushes a leaf onto a stack of `(height, hash)` perfect subtrees, merging equal heights.
pub(crate) fn push_perfect(stack: &mut Vec<(u32, Hash)>, leaf: Hash) {
    let mut current = (0u32, leaf);
    while let Some(&(height, left)) = stack.last() {
        if height != current.0 {
            break;
        }
        stack.pop();
        current = (height.saturating_add(1), node_hash(&left, &current.1));
    }
    stack.push(current);
}

/// Folds a stack of perfect subtrees (left to right, decreasing heights) into the root.
pub(crate) fn fold_stack(stack: &[(u32, Hash)]) -> Option<Hash> {
    let mut iter = stack.iter().rev();
    let mut acc = iter.next()?.1;
    for (_, left) in iter {
        acc = node_hash(left, &acc);
    }
    Some(acc)
}

/// The largest power of two strictly smaller than `n` (`n >= 2`).
pub(crate) fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    let bits = 63u32.saturating_sub(n.saturating_sub(1).leading_zeros());
    1u64 << bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point_is_largest_power_below() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(8), 4);
        assert_eq!(split_point(9), 8);
        assert_eq!(split_point(u64::MAX), 1 << 63);
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(root_from_leaf_hashes(&[]), empty_root());
        let leaf = leaf_hash(b"");
        assert_eq!(root_from_leaf_hashes(&[leaf]), leaf);
        // RFC 6962 test vector: the leaf hash of the empty string.
        assert_eq!(
            data_encoding::HEXLOWER.encode(&leaf),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn hash_from_slice_checks_length() {
        assert!(hash_from_slice("x", &[0; 31]).is_err());
        assert!(hash_from_slice("x", &[0; 32]).is_ok());
    }
}
