//! Runs every vector in test-vectors/healthpass: the verifier must reach each expected outcome,
//! and the issuer must reproduce the signed bytes of each reference case exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::trust::TrustedKey;
use healthpass::{Claims, Error, Issuer, KeySet, PublicKey, SigningKey, Verified, Verifier};
use serde_json::Value;

fn hex32(value: &Value) -> [u8; 32] {
    data_encoding::HEXLOWER_PERMISSIVE.decode(value.as_str().unwrap().as_bytes()).unwrap().try_into().unwrap()
}

/// Loads the vector's trusted keys and verifies its text: the outcome a verifier reaches.
fn outcome(vector: &Value) -> Result<Verified<Claims>, Error> {
    let mut keys = KeySet::new();
    for k in vector["trusted_keys"].as_array().unwrap() {
        let key = PublicKey::from_bytes(&hex32(&k["public_key"]))?;
        keys.insert(TrustedKey { key, issuer: k["issuer"].as_str().map(String::from) });
    }
    let now: DateTime<Utc> = vector["now"].as_str().unwrap().parse().unwrap();
    let skew = TimeDelta::seconds(vector["skew_seconds"].as_i64().unwrap());
    Verifier::new(keys).with_skew(skew).verify(vector["text"].as_str().unwrap(), now)
}

#[test]
fn every_vector_gives_its_expected_outcome() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/healthpass");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut valid, mut refused) = (0, 0);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let vector: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let claims: Option<Claims> = serde_json::from_value(vector["claims"].clone()).unwrap();
        match outcome(&vector) {
            Ok(verified) => {
                assert_eq!(vector["expected"]["valid"], true, "{name}: accepted");
                assert_eq!(Some(&*verified), claims.as_ref(), "{name}");
                valid += 1;
            }
            Err(err) => {
                assert_eq!(vector["expected"]["valid"], false, "{name}: refused with {err}");
                assert_eq!(err.code(), vector["expected"]["error"].as_str().unwrap(), "{name}: {err}");
                refused += 1;
            }
        }
        if let Some(cose) = vector["issuer_cose_hex"].as_str() {
            let issuer = Issuer::new(SigningKey::from_seed(&hex32(&vector["signing_key"]["seed"])));
            let claims = claims.as_ref().unwrap();
            assert_eq!(
                data_encoding::HEXLOWER.encode(&issuer.issue_cose(claims).unwrap()),
                cose,
                "{name}: signed bytes"
            );
            assert_eq!(issuer.issue(claims).unwrap(), vector["text"].as_str().unwrap(), "{name}: text");
        }
    }
    assert!(valid >= 10 && refused >= 30, "{valid} valid, {refused} refused: vectors missing?");
}
