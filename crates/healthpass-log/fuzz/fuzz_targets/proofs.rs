//! Proof verification on arbitrary sizes, indices and hashes never panics; and on a tree built
//! from the input, every generated proof verifies while a proof with one flipped bit does not.
//!
//! Input: 8 bytes index, 8 bytes size, 8 bytes second size (big-endian), one flip position,
//! then 32-byte hashes (the first two are the leaf and the root, the rest the proof).
#![no_main]

use healthpass_log::hash::{Hash, leaf_hash};
use healthpass_log::proof::{verify_consistency, verify_inclusion};
use healthpass_log::subtree::{verify_subtree_consistency, verify_subtree_inclusion};
use healthpass_log::tree::{MerkleTree, consistency_proof, inclusion_proof, root_at};
use libfuzzer_sys::fuzz_target;

fn u64_at(data: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    if let Some(s) = data.get(at..at + 8) {
        b.copy_from_slice(s);
    }
    u64::from_be_bytes(b)
}

fuzz_target!(|data: &[u8]| {
    let (a, b, c) = (u64_at(data, 0), u64_at(data, 8), u64_at(data, 16));
    let flip = data.get(24).copied().unwrap_or(0);
    let hashes: Vec<&[u8]> = data.get(25..).unwrap_or_default().chunks(32).collect();
    let leaf = hashes.first().copied().unwrap_or_default();
    let root = hashes.get(1).copied().unwrap_or_default();
    let proof = hashes.get(2..).unwrap_or_default();
    let _ = verify_inclusion(a, b, leaf, proof, root);
    let _ = verify_consistency(a, b, leaf, root, proof);
    let _ = verify_subtree_inclusion(a, b, c, leaf, proof, root);
    let _ = verify_subtree_consistency(a, b, c, leaf, root, proof);

    // A real tree of up to 300 leaves.
    let n = b % 300 + 1;
    let mut tree = MerkleTree::new();
    for i in 0..n {
        tree.push(leaf_hash(&i.to_be_bytes()));
    }
    let index = a % n;
    let size = index + 1 + c % (n - index);
    let root: Hash = root_at(&tree, size).expect("root");
    let mut path = inclusion_proof(&tree, index, size).expect("proof");
    let leaf = leaf_hash(&index.to_be_bytes());
    verify_inclusion(index, size, &leaf, &path, &root).expect("a generated proof verifies");
    if let Some(h) = path.get_mut(usize::from(flip) % 64) {
        h[usize::from(flip) % 32] ^= 1 << (flip % 8);
        assert!(verify_inclusion(index, size, &leaf, &path, &root).is_err(), "a flipped proof verified");
    }
    let size1 = 1 + a % size;
    let proof = consistency_proof(&tree, size1, size).expect("consistency proof");
    let root1 = root_at(&tree, size1).expect("root1");
    verify_consistency(size1, size, &root1, &root, &proof).expect("a generated consistency proof verifies");
});
