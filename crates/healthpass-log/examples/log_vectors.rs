//! Writes the decision-log vectors to `test-vectors/log/` (deterministic: fixed keys, salts
//! and clocks). `tests/log_vectors.rs` checks every file against the library, so a change to
//! a format shows up as a failing vector; rerun this to regenerate on purpose:
//!
//! `cargo run --example log_vectors` (in crates/healthpass-log).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use data_encoding::HEXLOWER;
use healthpass_log::Log;
use healthpass_log::commitment::{Salt, Scheme, credential_id_hash, evidence_commitment, subject_commitment};
use healthpass_log::cosignature::Cosigner;
use healthpass_log::entry::{Actor, Colour, DecisionEntry};
use healthpass_log::hash::leaf_hash;
use healthpass_log::note::NoteSigner;
use healthpass_log::store::memory::MemoryStore;
use serde_json::{Value, json};

const ORIGIN: &str = "log.example/health";
const NOW: u64 = 1_655_100_000;

fn inputs(name: &str, colour: Colour, reasons: &[&str], scheme: Scheme, officer: bool) -> Value {
    json!({
        "issuer": "cdc.zhengzhou.example",
        "key_fingerprint": HEXLOWER.encode(&[0xab; 32]),
        "actor": if officer { json!({"officer": "officer-0042"}) } else { json!({"rule": "rule-travel-7"}) },
        "colour": colour.name(),
        "reasons": reasons,
        "time": 1_655_000_000u64,
        "credential_id": format!("credential-{name}"),
        "scheme": match scheme { Scheme::HmacSha256 => "hmac-sha256", Scheme::Sha256 => "sha256" },
        "salt": HEXLOWER.encode(&[0x5a; 32]),
        "pseudonym": "holder-pseudonym-1",
        "evidence": "evidence-digest-1",
    })
}

/// The entry a vector's `input` describes.
pub fn build(v: &Value) -> DecisionEntry {
    let scheme = if v["scheme"] == "sha256" { Scheme::Sha256 } else { Scheme::HmacSha256 };
    let salt = Salt::from_bytes(HEXLOWER.decode(v["salt"].as_str().unwrap().as_bytes()).unwrap().try_into().unwrap());
    let colour = match v["colour"].as_str().unwrap() {
        "green" => Colour::Green,
        "yellow" => Colour::Yellow,
        "orange" => Colour::Orange,
        _ => Colour::Red,
    };
    let actor = match (v["actor"].get("officer"), v["actor"].get("rule")) {
        (Some(o), _) => Actor::Officer(o.as_str().unwrap().into()),
        (_, Some(r)) => Actor::Rule(r.as_str().unwrap().into()),
        _ => panic!("actor"),
    };
    DecisionEntry {
        issuer: v["issuer"].as_str().unwrap().into(),
        key_fingerprint: HEXLOWER
            .decode(v["key_fingerprint"].as_str().unwrap().as_bytes())
            .unwrap()
            .try_into()
            .unwrap(),
        actor,
        colour,
        reasons: v["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_owned()).collect(),
        time: v["time"].as_u64().unwrap(),
        credential_id_hash: credential_id_hash(v["credential_id"].as_str().unwrap().as_bytes()),
        scheme,
        subject_commitment: subject_commitment(scheme, &salt, v["pseudonym"].as_str().unwrap().as_bytes()),
        evidence_commitment: evidence_commitment(scheme, &salt, v["evidence"].as_str().unwrap().as_bytes()),
    }
}

fn write(dir: &Path, name: &str, value: &Value) {
    std::fs::create_dir_all(dir).unwrap();
    let mut text = serde_json::to_string_pretty(value).unwrap();
    text.push('\n');
    std::fs::write(dir.join(format!("{name}.json")), text).unwrap();
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/log");
    generate(&root);
}

/// Writes every vector below `root`.
pub fn generate(root: &Path) {
    let cases = [
        ("red-officer", Colour::Red, &["close-contact", "travel.risk-area"][..], Scheme::HmacSha256, true),
        ("yellow-rule", Colour::Yellow, &["travel.risk-area"][..], Scheme::HmacSha256, false),
        ("green-sha256", Colour::Green, &["test.negative"][..], Scheme::Sha256, false),
        ("red-no-reason", Colour::Red, &[][..], Scheme::HmacSha256, true),
    ];
    let mut encoded = Vec::new();
    for (name, colour, reasons, scheme, officer) in cases {
        let input = inputs(name, colour, reasons, scheme, officer);
        let bytes = build(&input).encode().unwrap();
        let entry = build(&input);
        write(
            &root.join("entry"),
            name,
            &json!({
                "description": format!("a {} decision; encoded is the leaf data, leaf_hash its RFC 9162 leaf hash", colour.name()),
                "input": input,
                "credential_id_hash": HEXLOWER.encode(&entry.credential_id_hash),
                "subject_commitment": HEXLOWER.encode(&entry.subject_commitment),
                "evidence_commitment": HEXLOWER.encode(&entry.evidence_commitment),
                "encoded": HEXLOWER.encode(&bytes),
                "leaf_hash": HEXLOWER.encode(&leaf_hash(&bytes)),
            }),
        );
        encoded.push(bytes);
    }
    let base = encoded[0].clone();
    let mutate = |at: usize, value: u8| {
        let mut b = base.clone();
        b[at] = value;
        b
    };
    let invalid: Vec<(&str, &str, Vec<u8>)> = vec![
        ("unknown-version", "version byte 2", mutate(0, 2)),
        ("truncated", "the last byte missing", base[..base.len() - 1].to_vec()),
        ("trailing-byte", "one byte after the evidence commitment", [base.clone(), vec![0]].concat()),
        ("empty-issuer", "issuer length 0", mutate(1, 0)),
        ("colour-5", "colour byte 5", mutate(1 + 22 + 32 + 1 + 13, 5)),
        ("reasons-unsorted", "reason codes out of order", {
            let mut e = build(&inputs("x", Colour::Red, &["b", "a"], Scheme::HmacSha256, true));
            e.normalise();
            let mut b = e.encode().unwrap();
            let at = 1 + 22 + 32 + 1 + 13 + 1 + 1 + 1;
            b[at] = b'b';
            b[at + 2] = b'a';
            b
        }),
        ("time-past-2-63", "time with its top bit set", mutate(1 + 22 + 32 + 1 + 13 + 1 + 1 + 14 + 17, 0x80)),
    ];
    for (name, why, bytes) in invalid {
        write(
            &root.join("entry-invalid"),
            name,
            &json!({"description": why, "encoded": HEXLOWER.encode(&bytes), "valid": false}),
        );
    }

    // A log of the four entries, a checkpoint cosigned by two of three witnesses, proofs.
    let log_signer = NoteSigner::new(ORIGIN, &[0x11; 32]).unwrap();
    let witnesses: Vec<Cosigner> =
        (1..=3u8).map(|i| Cosigner::new(&format!("witness{i}.example"), &[0x20 + i; 32]).unwrap()).collect();
    let mut log = Log::open(MemoryStore::new(), log_signer.clone()).unwrap();
    let entries: Vec<DecisionEntry> = encoded.iter().map(|b| DecisionEntry::decode(b).unwrap()).collect();
    log.append(&entries).unwrap();
    let checkpoint = log.checkpoint().unwrap();
    let mut note = checkpoint.note().clone();
    note.push_signature(witnesses[0].cosign(note.text_unverified(), NOW - 10).unwrap());
    note.push_signature(witnesses[2].cosign(note.text_unverified(), NOW - 5).unwrap());
    let cosigned = note.to_text();
    let keys = json!({
        "origin": ORIGIN,
        "log_vkey": log_signer.verifier().to_string(),
        "witness_vkeys": witnesses.iter().map(|w| w.verifier().to_string()).collect::<Vec<_>>(),
    });
    let checkpoint_case = |desc: &str, note: &str, threshold: usize, expect: Value| json!({"description": desc, "keys": keys, "threshold": threshold, "max_future_skew": 60, "now": NOW, "note": note, "expected": expect});
    let ok = json!({"valid": true, "size": 4, "root": HEXLOWER.encode(checkpoint.root()), "cosigners": ["witness1.example", "witness3.example"]});
    let dir = root.join("checkpoint");
    write(&dir, "two-of-three", &checkpoint_case("cosigned by witnesses 1 and 3; policy 2 of 3", &cosigned, 2, ok));
    write(
        &dir,
        "quorum-not-met",
        &checkpoint_case(
            "the same note under a 3-of-3 policy",
            &cosigned,
            3,
            json!({"valid": false, "error": "quorum"}),
        ),
    );
    let impostor = NoteSigner::new(ORIGIN, &[0x66; 32]).unwrap();
    let forged = checkpoint.body().sign(&impostor).unwrap().to_text();
    write(
        &dir,
        "wrong-log-key",
        &checkpoint_case(
            "signed by another key under the log's name",
            &forged,
            0,
            json!({"valid": false, "error": "missing-signature"}),
        ),
    );
    let tampered = checkpoint.to_note_text().replacen("\n4\n", "\n3\n", 1);
    write(
        &dir,
        "tampered-size",
        &checkpoint_case("size changed after signing", &tampered, 0, json!({"valid": false, "error": "bad-signature"})),
    );

    let dir = root.join("tlog-proof");
    for index in [0u64, 3] {
        let proof = log.tlog_proof(index, Some(&cosigned)).unwrap().to_text();
        write(
            &dir,
            &format!("entry-{index}"),
            &json!({
                "description": "a holder's offline proof of one entry against the cosigned checkpoint (policy 2 of 3)",
                "keys": keys, "threshold": 2, "max_future_skew": 60, "now": NOW,
                "entry": HEXLOWER.encode(&encoded[index as usize]), "proof": proof, "expected": {"valid": true},
            }),
        );
    }
    let proof = log.tlog_proof(1, Some(&cosigned)).unwrap().to_text();
    write(
        &dir,
        "wrong-entry",
        &json!({
            "description": "the proof of entry 1 presented with entry 2",
            "keys": keys, "threshold": 2, "max_future_skew": 60, "now": NOW,
            "entry": HEXLOWER.encode(&encoded[2]), "proof": proof, "expected": {"valid": false, "error": "proof"},
        }),
    );
}
