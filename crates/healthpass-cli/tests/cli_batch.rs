//! The command line gives each Ed25519 signature shape the verdict of the library (the
//! library's own batch and single-verification tests are the core's `tests/batch.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use healthpass_testkit::ed25519 as ed25519_support;
use healthpass_testkit::ed25519::{Kind, holder, mixed_key, mixing_verifier, text_of, verdict};

/// `healthpass verify --json` on one code: the exit code and the error code (or `"ok"`).
fn cli_verdict(text: &str, keys: &std::path::Path) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(["verify", text, "--keys", keys.to_str().unwrap(), "--at", "2026-11-23T09:00:00Z", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdict = if json["status"] == "accepted" {
        "ok".to_string()
    } else {
        json["refusals"][0]["code"].as_str().unwrap().to_string()
    };
    (out.status.code().unwrap(), verdict)
}

#[test]
fn the_cli_gives_each_signature_shape_the_verdict_of_the_library() {
    let dir = std::env::temp_dir().join(format!("healthpass-batch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keys = dir.join("keys.pub");
    let pems = [holder().key().to_pem().unwrap(), mixed_key().key().to_pem().unwrap()];
    std::fs::write(&keys, pems.concat()).unwrap();
    let verifier = mixing_verifier();
    for (i, kind) in [Kind::TorsionR(4), Kind::MixedKey(2), Kind::NonCanonicalS, Kind::SmallR(4), Kind::FlippedS(9)]
        .into_iter()
        .enumerate()
    {
        let (text, expected) = text_of(kind, i as u32);
        assert_eq!(verdict(&verifier.verify(&text, ed25519_support::now())), expected, "{kind:?}");
        let exit = if expected == "ok" { 0 } else { 1 };
        assert_eq!(cli_verdict(&text, &keys), (exit, expected.to_string()), "{kind:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
