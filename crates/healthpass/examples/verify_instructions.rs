//! Instruction counts for verification, repeatable on a busy machine (BENCHMARKS.md):
//!
//! ```sh
//! cargo build --release --example verify_instructions
//! for what in strict single batch64 single64 batch256 single256; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null --toggle-collect='*verify_instructions*measure*' \
//!     target/release/examples/verify_instructions $what 2>&1 | grep 'Collected'
//! done
//! ```
//!
//! Only `measure` is counted: issuing the codes and building the key set are left out. The
//! workload is the one of `benches/verify.rs`: demo-key codes, 1,000 trusted keys.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use healthpass::{Claims, Issuer, KeySet, Limits, PublicKey, SigningKey, UnverifiedCode, Verifier};

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let issued = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let now = issued + chrono::TimeDelta::minutes(30);
    let count = match what.as_str() {
        "batch64" | "single64" => 64,
        "batch256" | "single256" => 256,
        _ => 1,
    };
    let texts: Vec<String> = (0..count)
        .map(|i: u64| {
            let mut claims = Claims::example(issued);
            claims.credential_id.0[..8].copy_from_slice(&i.to_le_bytes());
            Issuer::new(SigningKey::demo()).issue(&claims).unwrap()
        })
        .collect();
    let mut keys: KeySet = (0..999u32)
        .map(|i| {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&i.to_le_bytes());
            SigningKey::from_seed(&seed).public_key()
        })
        .collect();
    keys.add(SigningKey::demo().public_key());
    let verifier = Verifier::new(keys);
    let code = UnverifiedCode::parse(&texts[0], &Limits::DEFAULT).unwrap();
    let (signed, signature) = (code.signed_bytes(), code.signature().to_vec());
    let key = SigningKey::demo().public_key();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let ok = measure(&what, &verifier, &refs, &key, &signed, &signature, now);
    println!("{what}: {ok} of {count} verified");
}

#[inline(never)]
fn measure(
    what: &str,
    verifier: &Verifier,
    texts: &[&str],
    key: &PublicKey,
    signed: &[u8],
    signature: &[u8],
    now: chrono::DateTime<Utc>,
) -> usize {
    match what {
        "strict" => usize::from(key.verify_strict(black_box(signed), black_box(signature)).is_ok()),
        "cofactored" => usize::from(key.verify_cofactored(black_box(signed), black_box(signature)).is_ok()),
        "batch64" | "batch256" => verifier.verify_batch(black_box(texts), now).iter().filter(|r| r.is_ok()).count(),
        _ => texts.iter().filter(|t| verifier.verify(black_box(t), now).is_ok()).count(),
    }
}
