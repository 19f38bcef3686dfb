//! The decision-log vectors in `test-vectors/log/`: the generator reproduces every file byte
//! for byte (no drift), and every file's expected outcome holds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[allow(dead_code)]
#[path = "../examples/log_vectors.rs"]
mod generator;

use std::path::{Path, PathBuf};

use data_encoding::HEXLOWER;
use healthpass_log::Error;
use healthpass_log::checkpoint::CheckpointVerifier;
use healthpass_log::cosignature::WitnessPolicy;
use healthpass_log::entry::DecisionEntry;
use healthpass_log::hash::leaf_hash;
use healthpass_log::note::VerifierKey;
use healthpass_log::tlog_proof::TlogProof;
use serde_json::Value;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/log")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    out.retain(|p| p.extension().is_some_and(|e| e == "json"));
    out.sort();
    out
}

fn load(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn hex(v: &Value) -> Vec<u8> {
    HEXLOWER.decode(v.as_str().unwrap().as_bytes()).unwrap()
}

#[test]
fn generator_reproduces_the_committed_vectors() {
    let dir = tempfile::tempdir().unwrap();
    generator::generate(dir.path());
    let mut count = 0;
    for sub in ["entry", "entry-invalid", "checkpoint", "tlog-proof"] {
        let made = files(&dir.path().join(sub));
        assert_eq!(made.len(), files(&vectors().join(sub)).len(), "{sub}: number of files");
        for file in made {
            let committed = vectors().join(sub).join(file.file_name().unwrap());
            assert_eq!(
                std::fs::read(&file).unwrap(),
                std::fs::read(&committed).unwrap(),
                "{} drifted",
                committed.display()
            );
            count += 1;
        }
    }
    assert!(count >= 18);
}

#[test]
fn entry_vectors() {
    for file in files(&vectors().join("entry")) {
        let v = load(&file);
        let encoded = hex(&v["encoded"]);
        let entry = generator::build(&v["input"]);
        assert_eq!(entry.encode().unwrap(), encoded, "{}", file.display());
        assert_eq!(DecisionEntry::decode(&encoded).unwrap(), entry, "{}", file.display());
        assert_eq!(leaf_hash(&encoded).to_vec(), hex(&v["leaf_hash"]));
        assert_eq!(entry.subject_commitment.to_vec(), hex(&v["subject_commitment"]));
        assert_eq!(entry.evidence_commitment.to_vec(), hex(&v["evidence_commitment"]));
        assert_eq!(entry.credential_id_hash.to_vec(), hex(&v["credential_id_hash"]));
    }
    for file in files(&vectors().join("entry-invalid")) {
        let v = load(&file);
        assert_eq!(v["valid"], false);
        assert!(DecisionEntry::decode(&hex(&v["encoded"])).is_err(), "{}", file.display());
    }
}

fn verifier(v: &Value) -> CheckpointVerifier {
    let keys = &v["keys"];
    let log_key = VerifierKey::parse(keys["log_vkey"].as_str().unwrap()).unwrap();
    let threshold = v["threshold"].as_u64().unwrap() as usize;
    let policy = if threshold == 0 {
        WitnessPolicy::none()
    } else {
        let witnesses =
            keys["witness_vkeys"].as_array().unwrap().iter().map(|k| VerifierKey::parse(k.as_str().unwrap()).unwrap());
        WitnessPolicy::new(witnesses.collect(), threshold, v["max_future_skew"].as_u64().unwrap()).unwrap()
    };
    CheckpointVerifier::new(keys["origin"].as_str().unwrap(), log_key, policy)
}

fn error_name(e: &Error) -> &'static str {
    match e {
        Error::Quorum { .. } => "quorum",
        Error::MissingSignature(_) => "missing-signature",
        Error::BadSignature(_) => "bad-signature",
        Error::Proof { .. } => "proof",
        _ => "other",
    }
}

#[test]
fn checkpoint_vectors() {
    let all = files(&vectors().join("checkpoint"));
    assert!(all.len() >= 4);
    for file in all {
        let v = load(&file);
        let result = verifier(&v).verify(v["note"].as_str().unwrap(), v["now"].as_u64().unwrap());
        let expected = &v["expected"];
        match result {
            Ok(cp) => {
                assert_eq!(expected["valid"], true, "{}", file.display());
                assert_eq!(cp.size(), expected["size"].as_u64().unwrap());
                assert_eq!(cp.root().to_vec(), hex(&expected["root"]));
                let names: Vec<&str> = cp.cosigners().iter().map(|(n, _)| n.as_str()).collect();
                let want: Vec<&str> =
                    expected["cosigners"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
                assert_eq!(names, want);
            }
            Err(e) => {
                assert_eq!(expected["valid"], false, "{}: {e}", file.display());
                assert_eq!(error_name(&e), expected["error"].as_str().unwrap(), "{}: {e}", file.display());
            }
        }
    }
}

#[test]
fn tlog_proof_vectors() {
    let all = files(&vectors().join("tlog-proof"));
    assert!(all.len() >= 3);
    for file in all {
        let v = load(&file);
        let proof = TlogProof::parse(v["proof"].as_str().unwrap()).unwrap();
        let leaf = leaf_hash(&hex(&v["entry"]));
        let result = proof.verify(&leaf, &verifier(&v), v["now"].as_u64().unwrap());
        let expected = &v["expected"];
        assert_eq!(result.is_ok(), expected["valid"] == true, "{}: {result:?}", file.display());
        if let Err(e) = result {
            assert_eq!(error_name(&e), expected["error"].as_str().unwrap());
        }
    }
}
