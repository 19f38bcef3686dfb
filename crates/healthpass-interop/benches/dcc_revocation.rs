//! DCC revocation lookup with 1,000,000 hashes under one kid (target ≤ 1 µs), a listed and an
//! unlisted hash, and a whole DCC's three hashes (`RevocationStore::check`).
//!
//! `cargo bench -p healthpass-interop --bench dcc_revocation`
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use healthpass_interop::dcc_revocation::{HashType, Lookup, RevocationHashes, RevocationStore};
use sha2::{Digest, Sha256};

const ENTRIES: u32 = 1_000_000;

fn hash_of(i: u32) -> [u8; 16] {
    Sha256::digest(i.to_be_bytes())[..16].try_into().unwrap()
}

fn lookup(c: &mut Criterion) {
    let kid = [0x2a; 8];
    let listed: Vec<[u8; 16]> = (0..ENTRIES).map(hash_of).collect();
    let mut store = RevocationStore::new();
    store.insert_hashes(&kid, HashType::Uci, &listed).unwrap();
    assert_eq!(store.len(), ENTRIES as usize);
    let present = listed[ENTRIES as usize / 2];
    let absent = hash_of(ENTRIES + 7);
    assert_eq!(store.lookup(&kid, HashType::Uci, &present), Lookup::Revoked(HashType::Uci));
    assert_eq!(store.lookup(&kid, HashType::Uci, &absent), Lookup::NotListed);
    let mut group = c.benchmark_group("dcc_revocation_1M");
    group.bench_function("lookup_listed", |b| {
        b.iter(|| store.lookup(black_box(&kid), HashType::Uci, black_box(&present)))
    });
    group.bench_function("lookup_unlisted", |b| {
        b.iter(|| store.lookup(black_box(&kid), HashType::Uci, black_box(&absent)))
    });
    let dcc =
        RevocationHashes { signature: hash_of(ENTRIES + 1), uci: absent, country_code_uci: Some(hash_of(ENTRIES + 2)) };
    group.bench_function("check_dcc_three_hashes", |b| b.iter(|| store.check(black_box(&kid), black_box(&dcc))));
    group.finish();
}

criterion_group!(benches, lookup);
criterion_main!(benches);
