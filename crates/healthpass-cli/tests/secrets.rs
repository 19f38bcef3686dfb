//! Secret keys: wiped on drop, written atomically with mode 0600, never printed, and a warning
//! when one is loaded from a file that others can read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use healthpass::{Issuer, SigningKey};

fn zeroizes_on_drop<T: zeroize::ZeroizeOnDrop>() {}

#[test]
fn secret_keys_zeroize_on_drop() {
    // Checked by the compiler: the wrapper and the dalek key it holds both wipe themselves.
    zeroizes_on_drop::<SigningKey>();
    zeroizes_on_drop::<ed25519_dalek::SigningKey>();
    // The PEM form comes back in memory that is wiped too.
    let pem: zeroize::Zeroizing<String> = SigningKey::demo().to_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
}

const SEED: [u8; 32] = [0xa7; 32];

#[test]
fn debug_shows_only_the_kid() {
    let key = SigningKey::from_seed(&SEED);
    let shown = format!("{key:?} {:?} {key:#?}", Issuer::new(SigningKey::from_seed(&SEED)));
    assert!(shown.contains(&key.kid().to_string()));
    let pem = key.to_pem().unwrap();
    let pem_body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    for secret in
        [data_encoding::HEXLOWER.encode(&SEED), data_encoding::HEXUPPER.encode(&SEED), format!("{SEED:?}"), pem_body]
    {
        assert!(!shown.contains(&secret), "{shown}");
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-secrets-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn key_files_are_written_atomically_with_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("mode");
    let path = dir.join("issuer.key");
    // Even over a world-readable file, the new key is 0600: it is a new file renamed into place.
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    SigningKey::from_seed(&SEED).write_file(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(SigningKey::read_file(&path).unwrap().kid(), SigningKey::from_seed(&SEED).kid());
    // Nothing but the key is left in the folder (no temporary file).
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).args(args).output().unwrap()
}

/// Writes a green personal claims file for `healthpass issue` into `dir`; returns its path.
fn claims_file(dir: &Path) -> PathBuf {
    let claims = dir.join("claims.json");
    std::fs::write(
        &claims,
        r#"{"issuer":"CN-GD","colour":"green","reasons":["negative_test"],"kind":{"type":"personal"},
            "subject":{"id":"000102030405060708090a0b0c0d0e0f"}}"#,
    )
    .unwrap();
    claims
}

fn all_output(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn the_cli_never_prints_a_secret_key() {
    let dir = temp_dir("print");
    let key_path = dir.join("k.pem");
    let keygen = cli(&["keygen", "--out", key_path.to_str().unwrap()]);
    assert!(keygen.status.success());
    let pem = std::fs::read_to_string(&key_path).unwrap();
    let key = SigningKey::from_pem(&pem).unwrap();
    let body: Vec<&str> = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let claims = claims_file(&dir);
    let issue = cli(&["issue", claims.to_str().unwrap(), "--key", key_path.to_str().unwrap()]);
    assert!(issue.status.success(), "{}", all_output(&issue));
    // A damaged key file: the error names the problem, not the content.
    let damaged = dir.join("damaged.pem");
    std::fs::write(&damaged, pem.replace(body[0], &body[0].chars().rev().collect::<String>())).unwrap();
    let refused = cli(&["issue", claims.to_str().unwrap(), "--key", damaged.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    for out in [&keygen, &issue, &refused] {
        let text = all_output(out);
        for line in &body {
            assert!(!text.contains(line), "a line of the secret key was printed: {text}");
        }
        assert!(!text.contains("PRIVATE KEY"), "{text}");
    }
    assert!(all_output(&keygen).contains(&key.kid().to_string()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn loading_a_key_others_can_read_warns() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("warn");
    let key_path = dir.join("k.pem");
    SigningKey::from_seed(&SEED).write_file(&key_path).unwrap();
    let claims = claims_file(&dir);
    for (mode, warns) in [(0o600, false), (0o400, false), (0o640, true), (0o604, true), (0o644, true)] {
        std::fs::set_permissions(&key_path, std::fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(healthpass::keys::secret_file_is_exposed(&key_path).unwrap(), warns, "{mode:o}");
        let out = cli(&["issue", claims.to_str().unwrap(), "--key", key_path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", all_output(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.contains("warning:") && stderr.contains("can be read by other users"),
            warns,
            "{mode:o}: {stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- no command ever overwrites an existing secret key ----

fn code_of(out: &Output) -> Option<i32> {
    out.status.code()
}

#[test]
fn keygen_refuses_a_public_key_path_that_is_the_secret_key_path() {
    let dir = temp_dir("same-path");
    let key = dir.join("k");
    let aliases = [key.clone(), dir.join(".").join("k"), dir.join("sub").join("..").join("k")];
    std::fs::create_dir(dir.join("sub")).unwrap();
    for public in &aliases {
        let out = cli(&["keygen", "--out", key.to_str().unwrap(), "--public", public.to_str().unwrap()]);
        assert_eq!(code_of(&out), Some(2), "{}", all_output(&out));
        assert!(all_output(&out).contains("is the file of --out"), "{}", all_output(&out));
        assert!(!key.exists(), "nothing is written");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn keygen_never_replaces_a_secret_key_even_with_force() {
    let dir = temp_dir("force");
    let key = dir.join("k");
    assert!(cli(&["keygen", "--out", key.to_str().unwrap()]).status.success());
    let before = std::fs::read(&key).unwrap();
    let other = dir.join("other");
    for args in [
        vec!["keygen", "--out", key.to_str().unwrap(), "--force"],
        vec!["keygen", "--out", other.to_str().unwrap(), "--public", key.to_str().unwrap(), "--force"],
    ] {
        let out = cli(&args);
        assert_eq!(code_of(&out), Some(2), "{}", all_output(&out));
        assert!(
            all_output(&out).contains(&format!("file {}: holds a secret key", key.display())),
            "{}",
            all_output(&out)
        );
    }
    assert_eq!(std::fs::read(&key).unwrap(), before);
    assert!(!other.exists());
    // --force still replaces a stale public key.
    let public = dir.join("k.pub");
    std::fs::remove_file(&key).unwrap();
    let out = cli(&["keygen", "--out", key.to_str().unwrap(), "--force"]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(std::fs::read_to_string(&public).unwrap().contains("BEGIN PUBLIC KEY"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn no_command_overwrites_a_secret_key() {
    let dir = temp_dir("overwrite");
    let key = dir.join("issuer.key");
    SigningKey::from_seed(&SEED).write_file(&key).unwrap();
    let before = std::fs::read(&key).unwrap();
    let claims = claims_file(&dir);
    let draft = dir.join("draft.json");
    assert!(cli(&["trust-list", "new", "--out", draft.to_str().unwrap()]).status.success());
    let policy = dir.join("policy.json");
    std::fs::write(&policy, r#"{ "accept_colours": ["green"] }"#).unwrap();
    let (k, c, d, p) =
        (key.to_str().unwrap(), claims.to_str().unwrap(), draft.to_str().unwrap(), policy.to_str().unwrap());
    let code = String::from_utf8(cli(&["issue", c, "--demo-key"]).stdout).unwrap().trim().to_owned();
    for args in [
        vec!["issue", c, "--demo-key", "--png", k],
        vec!["issue", c, "--demo-key", "--svg", k],
        vec!["demo", "--png", k],
        vec!["card", &code, "--png", k],
        vec!["trust-list", "new", "--out", k, "--force"],
        vec!["trust-list", "sign", d, "--anchor-key", k, "--out", k],
        vec!["revoke", "--key", k, "--out", k],
        vec!["venue", "issue", "--id", "V", "--policy", p, "--issuer", "X", "--officer", "o", "--demo-key", "--png", k],
    ] {
        let out = cli(&args);
        assert_eq!(code_of(&out), Some(2), "{args:?}: {}", all_output(&out));
        assert!(all_output(&out).contains("holds a secret key"), "{args:?}: {}", all_output(&out));
        assert_eq!(std::fs::read(&key).unwrap(), before, "{args:?} replaced the key");
    }
    // From the library: a new key is not written over an old one either.
    let err = SigningKey::from_seed(&[0x5a; 32]).write_file(&key).unwrap_err();
    assert_eq!(err.code(), "secret_key_exists");
    assert_eq!(std::fs::read(&key).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}
