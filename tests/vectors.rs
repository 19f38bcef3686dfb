//! Runs every vector in test-vectors/healthpass: the verifier must reach each expected outcome,
//! and the issuer must reproduce the signed bytes of each reference case exactly.

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::{Claims, Issuer, KeySet, PublicKey, SigningKey, Verifier};
use serde_json::Value;

fn hex32(value: &Value) -> [u8; 32] {
    hex::decode(value.as_str().unwrap()).unwrap().try_into().unwrap()
}

#[test]
fn every_vector_gives_its_expected_outcome() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-vectors/healthpass");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 20, "the vectors are missing");
    let (mut valid, mut refused) = (0, 0);
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let vector: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let keys: KeySet = vector["trusted_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| PublicKey::from_bytes(&hex32(&k["public_key"])).unwrap())
            .collect();
        let now: DateTime<Utc> = vector["now"].as_str().unwrap().parse().unwrap();
        let skew = TimeDelta::seconds(vector["skew_seconds"].as_i64().unwrap());
        let text = vector["text"].as_str().unwrap();
        let result = Verifier::new(keys).with_skew(skew).verify(text, now);
        let claims: Option<Claims> = serde_json::from_value(vector["claims"].clone()).unwrap();
        if vector["expected"]["valid"].as_bool().unwrap() {
            let verified = result.unwrap_or_else(|e| panic!("{name}: refused with {e}"));
            assert_eq!(Some(&*verified), claims.as_ref(), "{name}");
            valid += 1;
        } else {
            let err = result.err().unwrap_or_else(|| panic!("{name}: accepted"));
            assert_eq!(err.code(), vector["expected"]["error"].as_str().unwrap(), "{name}: {err}");
            refused += 1;
        }
        if let Some(cose) = vector["issuer_cose_hex"].as_str() {
            let issuer = Issuer::new(SigningKey::from_seed(&hex32(&vector["signing_key"]["seed"])));
            let claims = claims.as_ref().unwrap();
            assert_eq!(hex::encode(issuer.issue_cose(claims).unwrap()), cose, "{name}: signed bytes");
            assert_eq!(issuer.issue(claims).unwrap(), text, "{name}: text");
        }
    }
    assert!(valid >= 5 && refused >= 10, "{valid} valid, {refused} refused");
}
