//! Tile paths, tile contents, and proofs computed by a reader that only fetches tiles.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::cell::Cell;

use healthpass_log::hash::leaf_hash;
use healthpass_log::proof::{verify_consistency, verify_inclusion};
use healthpass_log::tiles::{
    TileFetcher, TileId, TileKind, TileReader, decode_bundle, encode_bundle, tile_data, tiles_for_size,
};
use healthpass_log::tree::{MerkleTree, consistency_proof, inclusion_proof, root_at};
use healthpass_log::{Error, Result};

#[test]
fn paths_follow_the_spec() {
    let cases = [
        (TileKind::Hashes(0), 0, 256, "tile/0/000"),
        (TileKind::Hashes(0), 1_234_067, 256, "tile/0/x001/x234/067"),
        (TileKind::Hashes(1), 1000, 256, "tile/1/x001/000"),
        (TileKind::Hashes(2), 5, 1, "tile/2/005.p/1"),
        (TileKind::Hashes(63), 999, 255, "tile/63/999.p/255"),
        (TileKind::Entries, 12, 256, "tile/entries/012"),
        (TileKind::Entries, 0, 112, "tile/entries/000.p/112"),
    ];
    for (kind, index, width, path) in cases {
        let id = TileId { kind, index, width };
        assert_eq!(id.path(), path);
        assert_eq!(TileId::parse(path).unwrap(), id);
    }
    let max = TileId { kind: TileKind::Hashes(0), index: u64::MAX, width: 256 };
    assert_eq!(TileId::parse(&max.path()).unwrap(), max);
    for bad in [
        "tile/00/000",
        "tile/64/000",
        "tile/0/00",
        "tile/0/0000",
        "tile/0/001/002",
        "tile/0/x000/001",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/07",
        "tile/0/000.p/",
        "tile/x/000",
        "tiles/0/000",
        "tile/0/x018/x446/x744/x073/x709/x551/616",
        "tile/0/x999/x999/x999/x999/x999/x999/999",
    ] {
        assert!(TileId::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn tiles_of_a_tree_of_70000() {
    // The spec's example: 273 full level-0 tiles, a partial of 112, one full level-1 tile, a
    // partial of 17 at level 1, and a partial of 1 at level 2 (plus the entry bundles).
    let tiles = tiles_for_size(70_000);
    let level = |l| tiles.iter().filter(move |t| t.kind == TileKind::Hashes(l));
    assert_eq!(level(0).filter(|t| t.width == 256).count(), 273);
    assert_eq!(level(0).filter(|t| t.width < 256).map(|t| t.width).collect::<Vec<_>>(), [112]);
    assert_eq!(level(1).map(|t| t.width).collect::<Vec<_>>(), [256, 17]);
    assert_eq!(level(2).map(|t| t.width).collect::<Vec<_>>(), [1]);
    assert_eq!(level(3).count(), 0);
    assert_eq!(tiles.iter().filter(|t| t.kind == TileKind::Entries).count(), 274);
    let t256 = tiles_for_size(256);
    assert_eq!(t256.iter().filter(|t| t.kind == TileKind::Hashes(1)).map(|t| t.width).collect::<Vec<_>>(), [1]);
    assert!(tiles_for_size(0).is_empty());
}

fn tree(n: u64) -> MerkleTree {
    let mut t = MerkleTree::new();
    for i in 0..n {
        t.push(leaf_hash(&i.to_le_bytes()));
    }
    t
}

/// Serves tiles from a tree, counting fetches.
struct Served<'a> {
    tree: &'a MerkleTree,
    fetches: Cell<usize>,
}

impl TileFetcher for Served<'_> {
    fn fetch(&self, tile: &TileId) -> Result<Vec<u8>> {
        self.fetches.set(self.fetches.get() + 1);
        tile_data(self.tree, tile)
    }
}

#[test]
fn level_one_tile_hashes_are_roots_of_full_level_zero_tiles() {
    let t = tree(70_000);
    let tile = tile_data(&t, &TileId { kind: TileKind::Hashes(1), index: 0, width: 17 }).unwrap();
    assert_eq!(tile.len(), 17 * 32);
    assert_eq!(&tile[32..64], &range(&t, 256, 512));
    assert_eq!(&tile[16 * 32..], &range(&t, 16 * 256, 17 * 256));
}

fn range(t: &MerkleTree, start: u64, end: u64) -> [u8; 32] {
    let hashes = t.leaf_hashes(start, end);
    healthpass_log::hash::root_from_leaf_hashes(hashes)
}

#[test]
fn proofs_from_tiles_equal_proofs_from_the_tree() {
    let t = tree(70_000);
    for size in [1u64, 2, 255, 256, 257, 65_535, 65_536, 65_537, 70_000] {
        let reader = TileReader::new(Served { tree: &t, fetches: Cell::new(0) }, size);
        let root = root_at(&reader, size).unwrap();
        assert_eq!(root, root_at(&t, size).unwrap());
        for index in [0, size / 3, size / 2, size - 1] {
            let proof = inclusion_proof(&reader, index, size).unwrap();
            assert_eq!(proof, inclusion_proof(&t, index, size).unwrap());
            verify_inclusion(index, size, &leaf_hash(&index.to_le_bytes()), &proof, &root).unwrap();
        }
        for size1 in [1u64, size / 2, size - 1] {
            if size1 == 0 {
                continue;
            }
            let proof = consistency_proof(&reader, size1, size).unwrap();
            assert_eq!(proof, consistency_proof(&t, size1, size).unwrap());
            verify_consistency(size1, size, &root_at(&t, size1).unwrap(), &root, &proof).unwrap();
        }
        // Each tile is fetched once, and few are needed.
        assert!(reader.fetched() <= 12, "size {size}: {} tiles", reader.fetched());
    }
}

#[test]
fn a_wrong_tile_gives_a_proof_that_fails() {
    struct Liar<'a>(&'a MerkleTree);
    impl TileFetcher for Liar<'_> {
        fn fetch(&self, tile: &TileId) -> Result<Vec<u8>> {
            let mut bytes = tile_data(self.0, tile)?;
            bytes[5] ^= 1;
            Ok(bytes)
        }
    }
    struct Short;
    impl TileFetcher for Short {
        fn fetch(&self, _: &TileId) -> Result<Vec<u8>> {
            Ok(vec![0; 31])
        }
    }
    let t = tree(1000);
    let root = t.root();
    let reader = TileReader::new(Liar(&t), 1000);
    let proof = inclusion_proof(&reader, 700, 1000).unwrap();
    assert!(verify_inclusion(700, 1000, &leaf_hash(&700u64.to_le_bytes()), &proof, &root).is_err());
    let short = TileReader::new(Short, 1000);
    assert!(matches!(inclusion_proof(&short, 1, 1000), Err(Error::Tile(_))));
}

#[test]
fn bundles_round_trip_and_are_strict() {
    let entries = vec![b"one".to_vec(), vec![], vec![7; 300]];
    let bytes = encode_bundle(&entries).unwrap();
    assert_eq!(decode_bundle(&bytes, 3).unwrap(), entries);
    assert!(decode_bundle(&bytes, 2).is_err());
    assert!(decode_bundle(&bytes, 4).is_err());
    assert!(decode_bundle(&bytes[..bytes.len() - 1], 3).is_err());
    assert!(decode_bundle(&[0], 1).is_err());
    assert!(encode_bundle(&[vec![0; 5000]]).is_err());
}
