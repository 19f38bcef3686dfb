//! Cross-border conversion: a Guangdong checkpoint verifies a Macau code, applies a 7-day
//! negative-test policy, and issues a native cross-border code that records the source's region
//! and hash. A week later the same source is refused, and the refusal says why.
//!
//! Run with `cargo run --example border_conversion`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use healthpass::claims::DeclarationCategory;
use healthpass::decide::Policy;
use healthpass::{Claims, CredentialId, Issuer, KeySet, SigningKey, Verifier};
use healthpass_scenarios::border::Converter;

/// Converts at `now`, returning the converted claims and the refusal a week later.
pub fn run(now: DateTime<Utc>) -> healthpass::Result<(Claims, String)> {
    let macau = SigningKey::from_seed(&[4; 32]);
    let mut source = Claims::example(now - TimeDelta::hours(1));
    source.issuer = "MO".into();
    let text = Issuer::new(SigningKey::from_seed(&[4; 32])).issue(&source)?;
    let verified = Verifier::new([macau.public_key()].into_iter().collect::<KeySet>()).verify(&text, now)?;
    let converter = Converter {
        issuer: "CN-GD".into(),
        policy: Policy::from_json(r#"{ "accept_colours": ["green"], "negative_test_max_age_hours": 168 }"#)?,
        category: DeclarationCategory::Individual,
        valid_hours: 24,
    };
    let converted = converter.convert(&text, "HP1", &verified, CredentialId([8; 16]), now)?;
    let later = converter.convert(&text, "HP1", &verified, CredentialId([9; 16]), now + TimeDelta::days(7));
    Ok((converted, later.err().map(|e| e.to_string()).unwrap_or_default()))
}

fn main() {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single().unwrap_or_default();
    match run(now) {
        Ok((claims, later)) => {
            let from = claims.evidence.converted_from.as_ref();
            println!(
                "converted: {} code from {}, reasons {:?}, source {} {} sha256 {}",
                claims.colour,
                claims.issuer,
                claims.reasons,
                from.map_or("", |f| f.format.as_str()),
                from.map_or("", |f| f.region.as_str()),
                from.map(|f| f.hash.to_string()).unwrap_or_default()
            );
            println!("a week later: {later}");
        }
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    }
}
