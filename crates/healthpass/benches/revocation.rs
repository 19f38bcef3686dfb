//! Revocation list at scale: 1,000,000 revoked credentials — size on the wire and in memory,
//! load time (signature check included) and lookup time, hits and misses.
//!
//! Run: `cargo bench --bench revocation`. The sizes are asserted, so a regression fails the run.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use healthpass::trust::{CredentialHash, RevocationList, TrustList};
use healthpass::{Claims, CredentialId, Limits, SigningKey};

const REVOKED: u32 = 1_000_000;
const MIB: usize = 1024 * 1024;

fn id(i: u32) -> CredentialId {
    let mut id = [0u8; 16];
    id[..4].copy_from_slice(&i.to_be_bytes());
    id[4..8].copy_from_slice(b"rev!");
    CredentialId(id)
}

fn bench(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let anchor = SigningKey::from_seed(&[1; 32]);
    let trust = TrustList::new(1, now, now + TimeDelta::days(7));
    let mut list = RevocationList::new(1, now, now + TimeDelta::days(1));
    list.revoke_hashes((0..REVOKED).map(|i| CredentialHash::of(&id(i))));
    let signed = list.sign(&anchor, &Limits::DEFAULT).unwrap();
    let loaded = RevocationList::decode_signed(&signed, &[anchor.public_key()], &trust, &Limits::DEFAULT).unwrap();
    assert_eq!(loaded.credential_count(), REVOKED as usize);
    assert!(signed.len() <= 16 * MIB, "on disk: {} bytes", signed.len());
    assert!(loaded.heap_bytes() <= 16 * MIB, "in memory: {} bytes", loaded.heap_bytes());
    eprintln!(
        "revocation list of {REVOKED} credentials: {} bytes signed on disk ({:.2} MiB), {} bytes in memory ({:.2} MiB)",
        signed.len(),
        signed.len() as f64 / MIB as f64,
        loaded.heap_bytes(),
        loaded.heap_bytes() as f64 / MIB as f64
    );

    // Queries spread over the whole list so that lookups do not all hit the same cache lines.
    let hits: Vec<CredentialHash> = (0..4096u32).map(|i| CredentialHash::of(&id(i * 241 % REVOKED))).collect();
    let misses: Vec<CredentialHash> = (0..4096u32).map(|i| CredentialHash::of(&id(REVOKED + i))).collect();
    assert!(hits.iter().all(|h| loaded.contains(h)));
    assert!(!misses.iter().any(|h| loaded.contains(h)));

    let mut group = c.benchmark_group("revocation");
    let mut i = 0usize;
    group.bench_function("lookup hit (1M entries)", |b| {
        b.iter(|| {
            i = (i + 1) % hits.len();
            black_box(loaded.contains(black_box(&hits[i])))
        })
    });
    group.bench_function("lookup miss (1M entries)", |b| {
        b.iter(|| {
            i = (i + 1) % misses.len();
            black_box(loaded.contains(black_box(&misses[i])))
        })
    });
    let claims: Vec<Claims> = (0..1024u32)
        .map(|n| {
            let mut claims = Claims::example(now);
            claims.credential_id = id(n * 977);
            claims
        })
        .collect();
    let kid = anchor.kid();
    group.bench_function("check claims: hash + lookup (1M entries)", |b| {
        b.iter(|| {
            i = (i + 1) % claims.len();
            black_box(loaded.check(black_box(&claims[i]), &kid))
        })
    });
    group.sample_size(10);
    group.bench_function("load 1M: decode + verify signature + check order", |b| {
        b.iter(|| {
            RevocationList::decode_signed(black_box(&signed), &[anchor.public_key()], &trust, &Limits::DEFAULT).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
