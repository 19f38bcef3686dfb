//! Key files with the `openssl` command, both ways: a key made by `openssl genpkey -algorithm
//! ed25519` signs codes that verify, and a key made by `healthpass keygen` opens in
//! `openssl pkey` (PKCS#8 version 1, RFC 8410; OpenSSL 3.0 refuses version 2 as "extra data").
//! Version 2 files are still read. `openssl` must be installed (.ci/run installs it): these
//! tests fail, never skip, without it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-openssl-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(dir: &Path, args: &[&str]) -> Output {
    Command::new("openssl").current_dir(dir).args(args).output().unwrap_or_else(|e| {
        panic!("the openssl command is needed by these tests ({e}); .ci/run installs it (apt-get install openssl)")
    })
}

fn healthpass(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).current_dir(dir).args(args).output().unwrap()
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn chmod_600(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

const CLAIMS: &str = r#"{"issuer":"CN-GD","colour":"green","reasons":["negative_test"],"kind":{"type":"personal"},
"subject":{"id":"000102030405060708090a0b0c0d0e0f"}}"#;

#[test]
fn a_key_made_by_openssl_signs_codes_that_verify() {
    let dir = temp("genpkey");
    ok(&openssl(&dir, &["genpkey", "-algorithm", "ed25519", "-out", "issuer.key"]), "openssl genpkey");
    chmod_600(&dir.join("issuer.key"));
    ok(&openssl(&dir, &["pkey", "-in", "issuer.key", "-pubout", "-out", "issuer.pub"]), "openssl pkey -pubout");
    std::fs::write(dir.join("claims.json"), CLAIMS).unwrap();
    let out = healthpass(&dir, &["issue", "claims.json", "--key", "issuer.key"]);
    let text = ok(&out, "issue with an openssl key");
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = healthpass(&dir, &["verify", text.trim(), "--keys", "issuer.pub"]);
    assert!(ok(&out, "verify with the openssl public key").starts_with("ACCEPTED GREEN"));
}

#[test]
fn a_key_made_by_healthpass_opens_in_openssl_and_gives_the_same_public_key() {
    let dir = temp("keygen");
    ok(&healthpass(&dir, &["keygen", "--out", "issuer.key"]), "keygen");
    let pem = std::fs::read_to_string(dir.join("issuer.key")).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    let text = ok(&openssl(&dir, &["pkey", "-in", "issuer.key", "-noout", "-text"]), "openssl pkey on keygen's key");
    assert!(text.contains("ED25519 Private-Key"), "{text}");
    let public = ok(&openssl(&dir, &["pkey", "-in", "issuer.key", "-pubout"]), "openssl pkey -pubout");
    assert_eq!(public, std::fs::read_to_string(dir.join("issuer.key.pub")).unwrap());
    // Version 1: the DER is 48 bytes (version 0, the algorithm, the 32-byte key), no public key.
    let der = ok(&openssl(&dir, &["pkey", "-in", "issuer.key", "-outform", "DER", "-out", "issuer.der"]), "to DER");
    assert!(der.is_empty());
    assert_eq!(std::fs::read(dir.join("issuer.der")).unwrap().len(), 48);
}

#[test]
fn a_version_2_key_file_is_still_read() {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    let dir = temp("v2");
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let pem = key.to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF).unwrap();
    std::fs::write(dir.join("v2.key"), pem.as_bytes()).unwrap();
    chmod_600(&dir.join("v2.key"));
    std::fs::write(dir.join("claims.json"), CLAIMS).unwrap();
    let text = ok(&healthpass(&dir, &["issue", "claims.json", "--key", "v2.key"]), "issue with a v2 key");
    let public = healthpass::SigningKey::from_seed(&[7; 32]).public_key().to_pem().unwrap();
    std::fs::write(dir.join("v2.pub"), public).unwrap();
    ok(&healthpass(&dir, &["verify", text.trim(), "--keys", "v2.pub"]), "verify");
}

#[test]
fn a_public_key_where_the_secret_belongs_is_said_first_and_errors_name_the_file() {
    let dir = temp("public");
    ok(&healthpass(&dir, &["keygen", "--out", "issuer.key"]), "keygen");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("issuer.key.pub"), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::write(dir.join("claims.json"), CLAIMS).unwrap();
    let out = healthpass(&dir, &["issue", "claims.json", "--key", "issuer.key.pub"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("issuer.key.pub: holds a PUBLIC key"), "{err}");
    assert!(!err.contains("chmod"), "no permission warning about a public key: {err}");
    std::fs::write(dir.join("junk.key"), "not a key").unwrap();
    chmod_600(&dir.join("junk.key"));
    let out = healthpass(&dir, &["issue", "claims.json", "--key", "junk.key"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.key"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = healthpass(&dir, &["verify", "HP1:X", "--keys", "junk.key"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("junk.key"), "{}", String::from_utf8_lossy(&out.stderr));
}
