//! Every inclusion, consistency, subtree inclusion and subtree consistency vector of
//! transparency-dev/merkle, valid and invalid, with
//! the exact expected outcome; happy paths also check that proof generation reproduces them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use data_encoding::BASE64;
use healthpass_log::hash::leaf_hash;
use healthpass_log::proof::{verify_consistency, verify_inclusion};
use healthpass_log::tree::{MerkleTree, consistency_proof, inclusion_proof, root_at};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Inclusion {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Consistency {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

fn vector_dir(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/merkle/transparency-dev").join(kind)
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn b64(s: &str) -> Vec<u8> {
    BASE64.decode(s.as_bytes()).unwrap()
}

/// The eight leaves of the RFC 6962 reference tree that the happy paths are built on.
fn reference_tree() -> MerkleTree {
    let leaves: [&[u8]; 8] = [
        b"",
        &[0x00],
        &[0x10],
        &[0x20, 0x21],
        &[0x30, 0x31],
        &[0x40, 0x41, 0x42, 0x43],
        &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        &[0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];
    let mut tree = MerkleTree::new();
    for leaf in leaves {
        tree.push(leaf_hash(leaf));
    }
    tree
}

#[test]
fn inclusion_vectors() {
    let mut files = Vec::new();
    json_files(&vector_dir("inclusion"), &mut files);
    assert!(files.len() >= 90, "found only {} inclusion vectors", files.len());
    let tree = reference_tree();
    let (mut ok, mut err, mut generated) = (0, 0, 0);
    for file in &files {
        let v: Inclusion = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let proof: Vec<Vec<u8>> = v.proof.unwrap_or_default().iter().map(|p| b64(p)).collect();
        let result = verify_inclusion(v.leaf_idx, v.tree_size, &b64(&v.leaf_hash), &proof, &b64(&v.root));
        assert_eq!(result.is_err(), v.want_err, "{}: {} -> {result:?}", file.display(), v.desc);
        if v.want_err {
            err += 1;
        } else {
            ok += 1;
            if v.tree_size <= 8 && root_at(&tree, v.tree_size).unwrap().as_slice() == b64(&v.root) {
                let made = inclusion_proof(&tree, v.leaf_idx, v.tree_size).unwrap();
                let made: Vec<Vec<u8>> = made.iter().map(|h| h.to_vec()).collect();
                assert_eq!(made, proof, "{}: generated proof differs", file.display());
                generated += 1;
            }
        }
    }
    assert!(ok >= 5 && err >= 80 && generated >= 5, "ok {ok}, err {err}, generated {generated}");
}

#[test]
fn consistency_vectors() {
    let mut files = Vec::new();
    json_files(&vector_dir("consistency"), &mut files);
    assert!(files.len() >= 90, "found only {} consistency vectors", files.len());
    let tree = reference_tree();
    let (mut ok, mut err, mut generated) = (0, 0, 0);
    for file in &files {
        let v: Consistency = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let proof: Vec<Vec<u8>> = v.proof.unwrap_or_default().iter().map(|p| b64(p)).collect();
        let result = verify_consistency(v.size1, v.size2, &b64(&v.root1), &b64(&v.root2), &proof);
        assert_eq!(result.is_err(), v.want_err, "{}: {} -> {result:?}", file.display(), v.desc);
        if v.want_err {
            err += 1;
        } else {
            ok += 1;
            let matches_tree = v.size2 <= 8
                && v.size1 >= 1
                && root_at(&tree, v.size1).unwrap().as_slice() == b64(&v.root1)
                && root_at(&tree, v.size2).unwrap().as_slice() == b64(&v.root2);
            if matches_tree {
                let made = consistency_proof(&tree, v.size1, v.size2).unwrap();
                let made: Vec<Vec<u8>> = made.iter().map(|h| h.to_vec()).collect();
                assert_eq!(made, proof, "{}: generated proof differs", file.display());
                generated += 1;
            }
        }
    }
    assert!(ok >= 5 && err >= 80 && generated >= 5, "ok {ok}, err {err}, generated {generated}");
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubtreeInclusion {
    leaf_idx: u64,
    start: u64,
    end: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SubtreeConsistency {
    start: u64,
    end: u64,
    size: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[test]
fn subtree_inclusion_vectors() {
    use healthpass_log::subtree::verify_subtree_inclusion;
    let mut files = Vec::new();
    json_files(&vector_dir("subtreeinclusion"), &mut files);
    assert!(files.len() >= 150, "found only {} subtree inclusion vectors", files.len());
    let (mut ok, mut err) = (0, 0);
    for file in &files {
        let v: SubtreeInclusion = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let proof: Vec<Vec<u8>> = v.proof.unwrap_or_default().iter().map(|p| b64(p)).collect();
        let result = verify_subtree_inclusion(v.leaf_idx, v.start, v.end, &b64(&v.leaf_hash), &proof, &b64(&v.root));
        assert_eq!(result.is_err(), v.want_err, "{}: {} -> {result:?}", file.display(), v.desc);
        if v.want_err { err += 1 } else { ok += 1 }
    }
    assert!(ok >= 10 && err >= 100, "ok {ok}, err {err}");
}

#[test]
fn subtree_consistency_vectors() {
    use healthpass_log::subtree::{subtree_consistency_proof, subtree_hash, verify_subtree_consistency};
    let mut files = Vec::new();
    json_files(&vector_dir("subtreeconsistency"), &mut files);
    assert!(files.len() >= 100, "found only {} subtree consistency vectors", files.len());
    let tree = reference_tree();
    let (mut ok, mut err, mut generated) = (0, 0, 0);
    for file in &files {
        let v: SubtreeConsistency = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let proof: Vec<Vec<u8>> = v.proof.unwrap_or_default().iter().map(|p| b64(p)).collect();
        let result = verify_subtree_consistency(v.start, v.end, v.size, &b64(&v.root1), &b64(&v.root2), &proof);
        assert_eq!(result.is_err(), v.want_err, "{}: {} -> {result:?}", file.display(), v.desc);
        if v.want_err {
            err += 1;
        } else {
            ok += 1;
            let matches_tree = v.size <= 8
                && v.start < v.end
                && v.end < v.size
                && subtree_hash(&tree, v.start, v.end).unwrap().as_slice() == b64(&v.root1)
                && root_at(&tree, v.size).unwrap().as_slice() == b64(&v.root2);
            if matches_tree {
                let made = subtree_consistency_proof(&tree, v.start, v.end, v.size).unwrap();
                let made: Vec<Vec<u8>> = made.iter().map(|h| h.to_vec()).collect();
                assert_eq!(made, proof, "{}: generated proof differs", file.display());
                generated += 1;
            }
        }
    }
    assert!(ok >= 5 && err >= 80 && generated >= 3, "ok {ok}, err {err}, generated {generated}");
}

#[test]
fn every_subtree_of_small_trees_proves_and_tampering_fails() {
    use healthpass_log::subtree::{
        is_valid_subtree, subtree_consistency_proof, subtree_hash, verify_subtree_consistency,
    };
    let mut tree = MerkleTree::new();
    for i in 0u64..40 {
        tree.push(leaf_hash(&i.to_be_bytes()));
    }
    let mut checked = 0;
    for size in 1..=40u64 {
        let root = root_at(&tree, size).unwrap();
        for start in 0..size {
            for end in start + 1..=size {
                if !is_valid_subtree(start, end) {
                    assert!(subtree_consistency_proof(&tree, start, end, size).is_err());
                    continue;
                }
                let sub = subtree_hash(&tree, start, end).unwrap();
                let proof = subtree_consistency_proof(&tree, start, end, size).unwrap();
                verify_subtree_consistency(start, end, size, &sub, &root, &proof).unwrap();
                // start = 0 is an ordinary consistency proof.
                if start == 0 {
                    assert_eq!(proof, consistency_proof(&tree, end, size).unwrap());
                }
                let wrong = leaf_hash(b"x");
                assert!(verify_subtree_consistency(start, end, size, &wrong, &root, &proof).is_err());
                assert!(verify_subtree_consistency(start, end, size, &sub, &wrong, &proof).is_err());
                if let Some(last) = proof.last() {
                    let mut bad = proof.clone();
                    *bad.last_mut().unwrap() = leaf_hash(last);
                    assert!(verify_subtree_consistency(start, end, size, &sub, &root, &bad).is_err());
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked}");
}
