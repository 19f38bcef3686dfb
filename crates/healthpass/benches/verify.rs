//! Verification against its physical floor: one strict Ed25519 check of the same bytes.
//!
//! Each group holds the baseline and our path, so their ratio is taken in the same run:
//! `cargo bench --bench verify && cargo run --release --example bench_report`. Instruction
//! counts of the same work, repeatable under load: `examples/verify_instructions.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::hint::black_box;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use healthpass::decide::{Checkpoint, Policy};
use healthpass::trust::{CredentialHash, RevocationList, TrustEntry, TrustList};
use healthpass::{Claims, CredentialId, Issuer, KeySet, Limits, SigningKey, UnverifiedCode, Verifier};

fn typical() -> (String, Verifier) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let text = Issuer::new(SigningKey::demo()).issue(&Claims::example(now)).unwrap();
    // 1,000 trusted keys, the issuer's among them.
    let mut keys: KeySet = (0..999u32)
        .map(|i| {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&i.to_le_bytes());
            SigningKey::from_seed(&seed).public_key()
        })
        .collect();
    keys.add(SigningKey::demo().public_key());
    (text, Verifier::new(keys))
}

fn verify(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap();
    let (text, verifier) = typical();
    let code = UnverifiedCode::parse(&text, &Limits::DEFAULT).unwrap();
    let signed = code.signed_bytes();
    let signature = code.signature().to_vec();
    let key = SigningKey::demo().public_key();
    assert!(verifier.verify(&text, now).is_ok());

    let mut group = c.benchmark_group("verify");
    group.bench_function("baseline: verify_strict of the Sig_structure", |b| {
        b.iter(|| key.verify_strict(black_box(&signed), black_box(&signature)).unwrap())
    });
    group.bench_function("verify_cofactored of the Sig_structure (the rule of codes)", |b| {
        b.iter(|| key.verify_cofactored(black_box(&signed), black_box(&signature)).unwrap())
    });
    group.bench_function("text to Verified<Claims>, 1000 keys", |b| {
        b.iter(|| verifier.verify(black_box(&text), now).unwrap())
    });
    group.finish();
}

/// The whole decision of a checkpoint: a trust list of 1,000 keys, a revocation list of
/// 1,000,000 credentials and a policy, against the same signature check alone.
fn checkpoint(c: &mut Criterion) {
    let issued = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let now = issued + TimeDelta::minutes(30);
    let anchor = SigningKey::from_seed(&[1; 32]);
    let issuer = SigningKey::demo();
    let mut trust = TrustList::new(1, issued, issued + TimeDelta::days(7));
    for i in 0..999u32 {
        let mut seed = [2u8; 32];
        seed[..4].copy_from_slice(&i.to_le_bytes());
        let key = SigningKey::from_seed(&seed).public_key();
        trust.entries.push(TrustEntry::ed25519(&key, "CN-GD", "CN", issued - TimeDelta::days(1), TimeDelta::days(365)));
    }
    trust.entries.push(TrustEntry::ed25519(
        &issuer.public_key(),
        "CN-GD",
        "CN",
        issued - TimeDelta::days(1),
        TimeDelta::days(365),
    ));
    let trust_bytes = trust.sign(&anchor, &Limits::DEFAULT).unwrap();
    let mut revoked = RevocationList::new(1, issued, issued + TimeDelta::days(1));
    revoked.revoke_hashes((0..1_000_000u32).map(|i| {
        let mut id = [0u8; 16];
        id[..4].copy_from_slice(&i.to_be_bytes());
        CredentialHash::of(&CredentialId(id))
    }));
    let revoked_bytes = revoked.sign(&anchor, &Limits::DEFAULT).unwrap();
    let policy = Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 48 }"#).unwrap();
    let mut checkpoint = Checkpoint::new(vec![anchor.public_key()], &trust_bytes, policy).unwrap();
    checkpoint.add_revocation_list(&revoked_bytes).unwrap();
    let text = Issuer::new(SigningKey::demo()).issue(&Claims::example(issued)).unwrap();
    let verdict = checkpoint.check(&text, now);
    assert!(verdict.accepted(), "{verdict}");
    let code = UnverifiedCode::parse(&text, &Limits::DEFAULT).unwrap();
    let (signed, signature, key) = (code.signed_bytes(), code.signature().to_vec(), issuer.public_key());

    let mut group = c.benchmark_group("checkpoint");
    group.bench_function("baseline: verify_strict of the Sig_structure", |b| {
        b.iter(|| key.verify_strict(black_box(&signed), black_box(&signature)).unwrap())
    });
    group.bench_function("text to Verdict: 1000 keys, 1M revoked, policy", |b| {
        b.iter(|| assert!(checkpoint.check(black_box(&text), now).accepted()))
    });
    group.finish();
}

fn batch(c: &mut Criterion) {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 30, 0).unwrap();
    let (_, verifier) = typical();
    for n in [64usize, 256] {
        let texts: Vec<String> = (0..n)
            .map(|i| {
                let mut claims = Claims::example(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
                claims.credential_id.0[..8].copy_from_slice(&(i as u64).to_le_bytes());
                Issuer::new(SigningKey::demo()).issue(&claims).unwrap()
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        assert!(verifier.verify_batch(&refs, now).iter().all(Result::is_ok));
        let mut group = c.benchmark_group(format!("batch {n}"));
        group.sample_size(20);
        group.bench_function("baseline: one by one", |b| {
            b.iter(|| refs.iter().map(|t| verifier.verify(t, now).is_ok()).filter(|ok| *ok).count())
        });
        group.bench_function("verify_batch", |b| {
            b.iter(|| verifier.verify_batch(black_box(&refs), now).iter().filter(|r| r.is_ok()).count())
        });
        group.finish();
    }
}

criterion_group!(benches, verify, checkpoint, batch);
criterion_main!(benches);
