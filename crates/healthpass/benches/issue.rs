//! Issuing against its floor (one Ed25519 signature), the code's size, and rendering.
//!
//! `cargo bench --bench issue && cargo run --release --example bench_report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use healthpass::{Claims, Issuer, SigningKey};
use healthpass_qr::Qr;

fn issue(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let claims = Claims::example(now);
    let key = SigningKey::demo();
    let issuer = Issuer::new(SigningKey::demo());
    let text = issuer.issue(&claims).unwrap();
    // Size targets (performance issue, target 4): a regression fails the bench run.
    let base45 = text.len() - healthpass::PREFIX.len();
    assert!(base45 <= 260, "typical code is {base45} base45 characters");
    let qr = Qr::encode(&text).unwrap();
    assert!(qr.version() <= 9, "typical code needs QR version {}", qr.version());
    let signed = healthpass::UnverifiedCode::parse(&text, &Default::default()).unwrap().signed_bytes();

    let mut group = c.benchmark_group("issue");
    group.bench_function("baseline: sign the Sig_structure", |b| b.iter(|| key.sign(black_box(&signed))));
    group.bench_function("claims to text", |b| b.iter(|| issuer.issue(black_box(&claims)).unwrap()));
    group.finish();
}

criterion_group!(benches, issue);
criterion_main!(benches);
