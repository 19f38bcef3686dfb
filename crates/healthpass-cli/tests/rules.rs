//! EU DCC business rules from the command line: `rules test` over the published country rule
//! tests, and `verify 'HC1:…' --rules DIR --arrival XX` on real DCC test files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn healthpass(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_healthpass")).args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A DCC test file's code, and its signer certificate written to a temporary file.
fn dcc(file: &str, dir: &Path) -> (String, String) {
    let vector: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc").join(file)).unwrap()).unwrap();
    let cert = dir.join(file.replace('/', "-") + ".cert");
    std::fs::write(&cert, vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
    (vector["PREFIX"].as_str().unwrap().to_owned(), cert.to_str().unwrap().to_owned())
}

/// `verify` of a DCC test file's code with its signer certificate at `at`, under the published
/// rules with DE as the country of arrival, and `extra` arguments.
fn verify_with_german_rules(file: &str, name: &str, at: &str, extra: &[&str]) -> Output {
    let dir = temp(name);
    let (code, cert) = dcc(file, &dir);
    let rules = root().join("test-vectors/dcc-rules");
    let args =
        ["verify", &code, "--dcc-cert", &cert, "--at", at, "--rules", rules.to_str().unwrap(), "--arrival", "DE"];
    healthpass(&[&args[..], extra].concat())
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-rules-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_published_country_rule_test_passes() {
    let dir = root().join("test-vectors/dcc-rules");
    let out = healthpass(&["rules", "test", dir.to_str().unwrap()]);
    let text = stdout(&out);
    let last = text.lines().last().unwrap();
    let (passed, failed) = last.split_once(" passed, ").unwrap();
    assert_eq!(failed, "0 failed", "{text}");
    assert!(passed.parse::<usize>().unwrap() >= 975, "{last}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_folder_without_rule_tests_is_a_usage_error() {
    let dir = temp("empty");
    let out = healthpass(&["rules", "test", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no rule tests found"));
}

#[test]
fn a_complete_vaccination_passes_every_german_rule() {
    let out = verify_with_german_rules("DE/2DCode/raw/1.json", "complete", "2021-11-01T10:00:00Z", &[]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert_eq!(text.lines().filter(|l| l.starts_with("PASSED VR-DE-")).count(), 4, "{text}");
    assert!(text.contains("rules of DE: all 4 passed\n"), "{text}");
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("ACCEPTED GREEN") && last.contains("(HC1)"), "{text}");
}

#[test]
fn an_incomplete_vaccination_fails_the_german_schedule_rule_in_german() {
    let out = verify_with_german_rules("DE/2DCode/raw/4.json", "incomplete", "2021-11-01T10:00:00Z", &["--lang", "de"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAILED VR-DE-0001 1.0.0: Die Impfreihe muss vollständig sein"), "{text}");
    assert!(text.lines().last().unwrap().contains("[rule_failed]"), "{text}");
}

#[test]
fn rules_of_a_country_with_none_for_the_date_say_nothing_was_checked() {
    let out = verify_with_german_rules("DE/2DCode/raw/1.json", "none", "2021-06-01T10:00:00Z", &[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("no rules of DE apply to a Vaccination certificate"), "{}", stdout(&out));
}

#[test]
fn a_dcc_needs_its_signer_certificate_and_a_forged_one_is_refused() {
    let dir = temp("forged");
    let (code, _) = dcc("DE/2DCode/raw/1.json", &dir);
    let out = healthpass(&["verify", &code, "--at", "2021-11-01T10:00:00Z"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--dcc-cert"));
    // Another country's signer certificate: the kid is unknown.
    let (_, other) = dcc("AT/2DCode/raw/1.json", &dir);
    let out = healthpass(&["verify", &code, "--dcc-cert", &other, "--at", "2021-11-01T10:00:00Z"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("REFUSED [unknown_kid]"), "{:?}", out);
}
