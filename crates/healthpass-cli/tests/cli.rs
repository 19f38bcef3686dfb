//! The CLI from the outside: exit codes 0 (valid), 1 (refused), 2 (usage or I/O error).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_healthpass"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child =
        bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const CLAIMS: &str = r#"{
  "issuer": "CN-GD",
  "colour": "yellow",
  "reasons": ["risk_area_visit"],
  "kind": {"type": "cross_border", "category": "truck_driver"},
  "subject": {"id": "000102030405060708090a0b0c0d0e0f", "name": "Li Wei"},
  "evidence": {"travel": [{"region": "CN-HB", "from": "2026-11-10", "until": "2026-11-12"}]}
}"#;

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn keygen_issue_verify_decode_and_scan() {
    let dir = temp_dir("flow");
    let key = dir.join("issuer.key");
    let out = run(&["keygen", "--out", p(&key)], None);
    assert!(out.status.success(), "{}", stderr(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let public = dir.join("issuer.key.pub");
    assert!(std::fs::read_to_string(&public).unwrap().contains("BEGIN PUBLIC KEY"));
    // A second keygen must not overwrite the key (nor would --force: tests/secrets.rs).
    let again = run(&["keygen", "--out", p(&key)], None);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("holds a secret key"), "{}", stderr(&again));

    let png = dir.join("code.png");
    let svg = dir.join("code.svg");
    let out = run(&["issue", "-", "--key", p(&key), "--png", p(&png), "--svg", p(&svg)], Some(CLAIMS));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out).trim().to_string();
    assert!(text.starts_with("HP1:"));

    let out = run(&["verify", &text, "--keys", p(&public)], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("ACCEPTED YELLOW cross-border code"), "{}", stdout(&out));
    let out = run(&["verify", "-", "--keys", p(&public), "--json"], Some(&text));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["status"], "accepted");
    assert_eq!(json["kind"], "cross_border");
    assert_eq!(json["name"], "L** W**");

    let out = run(&["verify", "--image", p(&png), "--keys", p(&public)], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));

    let out = run(&["scan", p(&png)], None);
    assert_eq!(stdout(&out).trim(), text);

    let out = run(&["decode", &text], None);
    assert!(out.status.success());
    assert!(stderr(&out).contains("UNVERIFIED"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["UNVERIFIED"], true);
    assert_eq!(json["claims"]["subject"]["name"], "Li Wei");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refusals_exit_1_with_the_reason() {
    let out = run(&["issue", "-", "--demo-key"], Some(CLAIMS));
    let text = stdout(&out).trim().to_string();
    // Not trusted: the stranger's key.
    let dir = temp_dir("refuse");
    let key = dir.join("k");
    assert!(run(&["keygen", "--out", p(&key)], None).status.success());
    let out = run(&["verify", &text, "--keys", &format!("{}.pub", p(&key))], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("REFUSED [unknown_kid] key id"), "{}", stdout(&out));
    // Expired: verified a month later.
    let out = run(&["verify", &text, "--demo-key", "--at", "2099-01-01T00:00:00Z", "--json"], None);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["refusals"][0]["code"], "expired");
    // Garbage.
    let out = run(&["verify", "HP1:not base45", "--demo-key"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("base45"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(run(&["verify", "HP1:X"], None).status.code(), Some(2), "no keys given");
    assert_eq!(run(&["verify", "--image", "/no/such/file.png", "--demo-key"], None).status.code(), Some(2));
    assert_eq!(run(&["issue", "-", "--demo-key"], Some("{not json")).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn a_world_readable_secret_key_draws_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("perm");
    let key = dir.join("k");
    assert!(run(&["keygen", "--out", p(&key)], None).status.success());
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(&["issue", "-", "--key", p(&key)], Some(CLAIMS));
    assert!(out.status.success());
    assert!(stderr(&out).contains("can be read by other users"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_demo_runs() {
    let dir = temp_dir("demo");
    let png = dir.join("demo.png");
    let out = run(&["demo", "--png", p(&png)], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("ACCEPTED GREEN"), "{}", stdout(&out));
    assert!(png.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- a conformance runner that ran nothing has not passed ----

/// A folder with files, none of them a test file of any suite.
fn folder_without_tests(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::write(dir.join("notes.txt"), "no tests here").unwrap();
    std::fs::write(dir.join("other.json"), r#"{"JSON": {}}"#).unwrap();
    dir
}

#[test]
fn conformance_with_no_test_files_fails_in_the_library() {
    use healthpass_conformance::{run_dcc, run_nzcp, run_shc};
    let dir = folder_without_tests("no-tests-lib");
    let err = run_dcc(&dir).unwrap_err();
    assert_eq!(err.code(), "no_tests");
    assert_eq!(err.to_string(), format!("no test files found in {}", dir.display()));
    assert_eq!(run_shc(&dir, None, None).unwrap_err().code(), "no_tests");
    let examples = dir.join("nzcp-examples.json");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/nzcp/did.json"), dir.join("did.json"))
        .unwrap();
    let mut spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/nzcp/nzcp-examples.json"))
            .unwrap(),
    )
    .unwrap();
    spec["cases"] = serde_json::json!([]);
    std::fs::write(&examples, spec.to_string()).unwrap();
    assert_eq!(run_nzcp(&examples, None).unwrap_err().code(), "no_tests");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn conformance_with_no_test_files_fails_from_the_cli() {
    let dir = folder_without_tests("no-tests-cli");
    for suite in ["dcc", "shc"] {
        let out = run(&["conformance", suite, p(&dir)], None);
        assert_eq!(out.status.code(), Some(2), "{suite}: {}", stdout(&out));
        assert!(stderr(&out).contains(&format!("no test files found in {}", dir.display())), "{}", stderr(&out));
        assert!(!stdout(&out).contains("0 passed, 0 failed"), "{}", stdout(&out));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
