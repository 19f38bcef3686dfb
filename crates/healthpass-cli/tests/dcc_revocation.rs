//! `verify 'HC1:…' --dcc-cert F --dcc-revocation FILE_OR_DIR` on a published DCC test file: a
//! listed DCC is refused with code `revoked` (exit 1), an unlisted one verifies, and a bad list
//! file is a usage error naming the step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use healthpass::Limits;
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_revocation::RevocationHashes;

const FILE: &str = "DE/2DCode/raw/1.json";
const AT: &str = "2021-11-01T10:00:00Z";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-dcc-revocation-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The code, its signer certificate file, its kid and hashes.
fn dcc(dir: &Path) -> (String, String, Vec<u8>, RevocationHashes) {
    let vector: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc").join(FILE)).unwrap()).unwrap();
    let cert = dir.join("dsc.cert");
    std::fs::write(&cert, vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    let code = vector["PREFIX"].as_str().unwrap().to_owned();
    let parsed = UnverifiedDcc::parse(&code, &Limits::DEFAULT).unwrap();
    let hashes = RevocationHashes::of(&parsed, &Limits::DEFAULT).unwrap();
    (code, cert.to_str().unwrap().to_owned(), parsed.kid().unwrap().as_bytes().to_vec(), hashes)
}

fn batch(kid: &[u8], hash_type: &str, hash: &[u8]) -> String {
    serde_json::json!({
        "country": "DE", "expires": "2030-01-01T00:00:00Z", "kid": STANDARD.encode(kid),
        "hashType": hash_type, "entries": [ { "hash": STANDARD.encode(hash) } ]
    })
    .to_string()
}

fn verify(code: &str, cert: &str, list: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(["verify", code, "--dcc-cert", cert, "--at", AT, "--dcc-revocation", list.to_str().unwrap()])
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn a_revoked_dcc_is_refused_and_an_unlisted_one_verifies() {
    let dir = temp("revoked");
    let (code, cert, kid, hashes) = dcc(&dir);
    // A folder of lists: the DCC's UCI hash in a nested file.
    let lists = dir.join("lists");
    std::fs::create_dir_all(lists.join("de")).unwrap();
    std::fs::write(lists.join("other.json"), batch(&kid, "SIGNATURE", &[3; 16])).unwrap();
    std::fs::write(lists.join("de/uci.json"), batch(&kid, "UCI", &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &lists);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[revoked]"), "{}", text(&out));
    assert!(text(&out).contains("UCI"), "{}", text(&out));
    // The same hash under another kid does not revoke it.
    let file = dir.join("other-kid.json");
    std::fs::write(&file, batch(&[1; 8], "UCI", &hashes.uci)).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("ACCEPTED"), "{}", text(&out));
    // The signature hash revokes too.
    std::fs::write(&file, batch(&kid, "SIGNATURE", &hashes.signature)).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("[revoked]"), "{}", text(&out));
}

#[test]
fn a_bad_list_file_is_a_usage_error_naming_the_step() {
    let dir = temp("bad");
    let (code, cert, kid, _) = dcc(&dir);
    let file = dir.join("bad.json");
    std::fs::write(&file, batch(&kid, "MD5", &[0; 16])).unwrap();
    let out = verify(&code, &cert, &file);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("batch 0: hashType"), "{}", text(&out));
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = verify(&code, &cert, &empty);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no revocation list"), "{}", text(&out));
}
