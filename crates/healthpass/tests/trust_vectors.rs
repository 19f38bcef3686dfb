//! Runs every vector in test-vectors/trust: trust lists and revocation lists must load or be
//! refused as expected, checkpoints must reach the expected refusals, and the signed bytes of
//! the reference cases must be reproduced exactly from their inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use chrono::{DateTime, TimeDelta, Utc};
use healthpass::decide::{Checkpoint, ClockGuard, Policy};
use healthpass::trust::{CredentialHash, RevocationList, TrustList};
use healthpass::{Claims, CredentialId, Error, Issuer, Limits, PublicKey, SigningKey};
use serde_json::Value;

fn bytes(value: &Value) -> Vec<u8> {
    data_encoding::HEXLOWER_PERMISSIVE.decode(value.as_str().unwrap().as_bytes()).unwrap()
}

fn public_key(key: &Value) -> PublicKey {
    PublicKey::from_bytes(&bytes(&key["public_key"]).try_into().unwrap()).unwrap()
}

fn signing_key(key: &Value) -> SigningKey {
    SigningKey::from_seed(&bytes(&key["seed"]).try_into().unwrap())
}

fn expect_outcome<T>(name: &str, result: Result<T, Error>, expected: &Value) -> Option<T> {
    match result {
        Ok(value) => {
            assert_eq!(expected["valid"], true, "{name}: loaded but should be refused");
            Some(value)
        }
        Err(err) => {
            assert_eq!(expected["valid"], false, "{name}: refused with {err}");
            assert_eq!(err.code(), expected["error"].as_str().unwrap(), "{name}: {err}");
            None
        }
    }
}

fn trust_list_vector(name: &str, v: &Value) {
    let anchors = [public_key(&v["anchor"])];
    let list_bytes = bytes(&v["list_hex"]);
    let result = TrustList::decode_signed(&list_bytes, &anchors, &Limits::DEFAULT);
    if let Some(list) = expect_outcome(name, result, &v["expected"]) {
        assert_eq!(list.sequence, v["expected"]["sequence"].as_u64().unwrap(), "{name}");
        assert_eq!(list.entries.len() as u64, v["expected"]["entries"].as_u64().unwrap(), "{name}");
        let draft: TrustList = serde_json::from_value(v["draft"].clone()).unwrap();
        assert_eq!(list, draft, "{name}: decoded list differs from its draft");
        let resigned = draft.sign(&signing_key(&v["signer"]), &Limits::DEFAULT).unwrap();
        assert_eq!(resigned, list_bytes, "{name}: signing the draft must reproduce the bytes");
    }
}

fn revocation_vector(name: &str, v: &Value) {
    let anchors = [public_key(&v["anchor"])];
    let trust = TrustList::decode_signed(&bytes(&v["trust_list_hex"]), &anchors, &Limits::DEFAULT).unwrap();
    let result = RevocationList::decode_signed(&bytes(&v["list_hex"]), &anchors, &trust, &Limits::DEFAULT);
    if let Some(list) = expect_outcome(name, result, &v["expected"]) {
        let id = |hex_id: &Value| CredentialHash::of(&CredentialId(bytes(hex_id).try_into().unwrap()));
        assert_eq!(list.sequence, v["expected"]["sequence"].as_u64().unwrap(), "{name}");
        for revoked in v["expected"]["revoked"].as_array().unwrap() {
            assert!(list.contains(&id(revoked)), "{name}: {revoked} should be revoked");
        }
        for fine in v["expected"]["not_revoked"].as_array().unwrap() {
            assert!(!list.contains(&id(fine)), "{name}: {fine} should not be revoked");
        }
    }
}

fn checkpoint_vector(name: &str, v: &Value) {
    let policy = Policy::from_json(&v["policy"].to_string()).unwrap();
    let skew = ClockGuard::new(TimeDelta::seconds(v["skew_seconds"].as_i64().unwrap()));
    let mut cp =
        Checkpoint::new(vec![public_key(&v["anchor"])], &bytes(&v["trust_list_hex"]), policy).unwrap().with_clock(skew);
    for list in v["revocation_lists_hex"].as_array().unwrap() {
        cp.add_revocation_list(&bytes(list)).unwrap();
    }
    let now: DateTime<Utc> = v["now"].as_str().unwrap().parse().unwrap();
    let text = v["text"].as_str().unwrap();
    let verdict = cp.check(text, now);
    let expected: Vec<&str> =
        v["expected"]["refusals"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(verdict.refusal_codes(), expected, "{name}: {verdict}");
    assert_eq!(verdict.accepted(), v["expected"]["accepted"].as_bool().unwrap(), "{name}");
    assert_eq!(serde_json::to_value(verdict.colour).unwrap(), v["expected"]["colour"], "{name}");
    let claims: Claims = serde_json::from_value(v["claims"].clone()).unwrap();
    assert_eq!(Issuer::new(signing_key(&v["signer"])).issue(&claims).unwrap(), text, "{name}: code text");
}

#[test]
fn every_trust_vector_gives_its_expected_outcome() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join("test-vectors/trust");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut counts = [0usize; 3];
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let vector: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        match vector["kind"].as_str().unwrap() {
            "trust_list" => (trust_list_vector(&name, &vector), counts[0] += 1),
            "revocation_list" => (revocation_vector(&name, &vector), counts[1] += 1),
            "checkpoint" => (checkpoint_vector(&name, &vector), counts[2] += 1),
            other => panic!("{name}: unknown kind {other}"),
        };
    }
    assert!(counts.iter().all(|&n| n >= 5), "vectors missing? {counts:?}");
}
