//! Log benchmarks: durable batched appends on the embedded store (and PostgreSQL when
//! `HEALTHPASS_TEST_POSTGRES` is set and the `postgres` feature is on), and inclusion proofs
//! made and checked in a tree of a million entries.
//!
//! Run: `CARGO_TARGET_DIR=/work/target-log cargo bench --bench log` (in crates/healthpass-log).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use healthpass_log::Log;
use healthpass_log::commitment::{Salt, Scheme, credential_id_hash, evidence_commitment, subject_commitment};
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::hash::leaf_hash;
use healthpass_log::note::NoteSigner;
use healthpass_log::proof::verify_inclusion;
use healthpass_log::store::sqlite::SqliteStore;
use healthpass_log::tree::{MerkleTree, inclusion_proof};

const BATCH: u64 = 1000;

fn entry(i: u64) -> DecisionEntry {
    let salt = Salt::from_bytes([(i % 251) as u8; 32]);
    DecisionEntry {
        issuer: "cdc.henan.example".into(),
        key_fingerprint: [7; 32],
        actor: Actor::Officer(format!("officer-{}", i % 1000)),
        colour: [Colour::Green, Colour::Yellow, Colour::Orange, Colour::Red][(i % 4) as usize],
        reasons: vec!["contact.close".into(), "travel.risk-area".into()],
        time: 1_650_000_000 + i,
        credential_id_hash: credential_id_hash(&i.to_be_bytes()),
        scheme: Scheme::HmacSha256,
        subject_commitment: subject_commitment(Scheme::HmacSha256, &salt, &i.to_be_bytes()),
        evidence_commitment: evidence_commitment(Scheme::HmacSha256, &salt, b"evidence"),
    }
}

fn appends(c: &mut Criterion) {
    // Entries are prepared outside the timed loop (the issuer makes them); encoding, hashing,
    // the tree and the durable commit are timed.
    let batches: Vec<Vec<DecisionEntry>> = (0..64).map(|b| (b * BATCH..(b + 1) * BATCH).map(entry).collect()).collect();
    let size = batches[0][0].encode().unwrap().len();
    assert!(size <= 210, "entry grew to {size} bytes");

    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("bench.sqlite")).unwrap();
    let mut log = Log::open(store, NoteSigner::new("bench.example/log", &[1; 32]).unwrap()).unwrap();
    let mut group = c.benchmark_group("append");
    group.throughput(Throughput::Elements(BATCH));
    group.sample_size(30).measurement_time(Duration::from_secs(8));
    let mut next = 0usize;
    group.bench_function("sqlite_batch_1000_durable", |b| {
        b.iter(|| {
            log.append(&batches[next % batches.len()]).unwrap();
            next += 1;
        });
    });
    #[cfg(feature = "postgres")]
    if let Ok(url) = std::env::var("HEALTHPASS_TEST_POSTGRES") {
        use healthpass_log::store::postgres::PostgresStore;
        let name = format!("bench{}", std::process::id());
        PostgresStore::open(&url, &name).unwrap().drop_tables().unwrap();
        let mut pg = Log::open(
            PostgresStore::open(&url, &name).unwrap(),
            NoteSigner::new("bench.example/log", &[1; 32]).unwrap(),
        )
        .unwrap();
        let mut next = 0usize;
        group.bench_function("postgres_batch_1000_durable", |b| {
            b.iter(|| {
                pg.append(&batches[next % batches.len()]).unwrap();
                next += 1;
            });
        });
        PostgresStore::open(&url, &name).unwrap().drop_tables().unwrap();
    }
    group.finish();
    // One sustained figure, printed: a million entries in batches of 1000, durable.
    let dir2 = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir2.path().join("sustained.sqlite")).unwrap();
    let mut log = Log::open(store, NoteSigner::new("bench.example/log", &[1; 32]).unwrap()).unwrap();
    let start = Instant::now();
    for round in 0..(1_000_000 / BATCH as usize) {
        log.append(&batches[round % batches.len()]).unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "sustained: 1,000,000 entries in batches of 1000 (sqlite, durable): {secs:.2} s = {:.0} appends/s",
        1e6 / secs
    );
}

/// Group commit: `threads` callers each appending single entries, durably; prints entries/s.
fn group_commit(_: &mut Criterion) {
    use healthpass_log::group::GroupLog;
    use std::sync::Arc;
    for threads in [16u64, 256] {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("group.sqlite")).unwrap();
        let log = Log::open(store, NoteSigner::new("bench.example/log", &[1; 32]).unwrap()).unwrap();
        let group = Arc::new(GroupLog::new(log));
        let per_thread = 100_000 / threads;
        let start = Instant::now();
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let group = Arc::clone(&group);
                std::thread::spawn(move || {
                    for i in 0..per_thread {
                        group.append(entry(t * per_thread + i)).unwrap();
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
        let secs = start.elapsed().as_secs_f64();
        let n = (threads * per_thread) as f64;
        println!(
            "group commit: {threads} threads appending one entry at a time (sqlite, durable): {:.0} appends/s",
            n / secs
        );
    }
}

fn proofs(c: &mut Criterion) {
    const N: u64 = 1 << 20;
    let mut tree = MerkleTree::new();
    for i in 0..N {
        tree.push(leaf_hash(&entry(i % 4096).encode().unwrap()));
    }
    let size = N - 12_345; // not a power of two: the right edge is ragged
    let root = healthpass_log::tree::root_at(&tree, size).unwrap();
    let index = 777_777;
    let leaf = leaf_hash(&entry(index % 4096).encode().unwrap());
    let proof = inclusion_proof(&tree, index, size).unwrap();
    assert_eq!(proof.len(), 20);
    let mut group = c.benchmark_group("inclusion");
    group.bench_function("make_1M", |b| b.iter(|| inclusion_proof(&tree, black_box(index), black_box(size)).unwrap()));
    group.bench_function("check_1M", |b| {
        b.iter(|| verify_inclusion(black_box(index), size, &leaf, &proof, &root).unwrap());
    });
    group.finish();
}

criterion_group!(benches, appends, group_commit, proofs);
criterion_main!(benches);
