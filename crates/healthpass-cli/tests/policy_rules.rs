//! A policy that names CertLogic business rules (`rules`), from the binary: a native code and a
//! DCC judged by the same rules (docs/POLICY.md, "Business rules").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_healthpass"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("healthpass-policy-rules-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The rule of the docs/POLICY.md example: a vaccination must have its schedule complete, and
/// a code of a native colour must be green; a rule folder with it, and a policy naming the
/// folder relative to itself.
fn policy_with_rules(dir: &Path) -> PathBuf {
    let rule = serde_json::json!({
        "Identifier": "VR-MO-0001", "Type": "Acceptance", "Country": "MO", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "1.0.0",
        "CertificateType": "Vaccination",
        "Description": [{"lang": "en", "desc": "The vaccination schedule must be complete."}],
        "ValidFrom": "2021-01-01T00:00:00Z", "ValidTo": "2099-01-01T00:00:00Z",
        "AffectedFields": ["v.0.dn", "v.0.sd"],
        "Logic": {"if": [{"var": "payload.v.0"},
                         {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}, true]}
    });
    let folder = dir.join("rules/MO/VR-MO-0001");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("rule.json"), rule.to_string()).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{ "name": "Macau, by the rules", "accept_colours": ["green", "yellow"],
             "rules": { "dir": "rules", "arrival": "MO" } }"#,
    )
    .unwrap();
    policy
}

fn native_code(dose: u8) -> String {
    let claims = format!(
        r#"{{ "issuer": "MO", "colour": "green", "reasons": ["vaccinated"], "kind": {{"type": "personal"}},
             "subject": {{"id": "000102030405060708090a0b0c0d0e0f"}},
             "evidence": {{"vaccinations": [{{"product": "EU/1/20/1528", "dose": {dose}, "doses": 2, "date": "2026-06-01"}}]}} }}"#
    );
    let out = run(&["issue", "-", "--demo-key"], Some(&claims));
    assert!(out.status.success(), "{}", text(&out));
    String::from_utf8(out.stdout).unwrap().lines().find(|l| l.starts_with("HP1:")).unwrap().to_owned()
}

#[test]
fn a_native_code_is_judged_by_the_rules_its_policy_names() {
    let dir = temp("native");
    let policy = policy_with_rules(&dir);
    let policy = policy.to_str().unwrap();
    let complete = run(&["verify", &native_code(2), "--demo-key", "--policy", policy], None);
    assert_eq!(complete.status.code(), Some(0), "{}", text(&complete));
    let incomplete = run(&["verify", &native_code(1), "--demo-key", "--policy", policy, "--json"], None);
    assert_eq!(incomplete.status.code(), Some(1), "{}", text(&incomplete));
    let verdict: serde_json::Value = serde_json::from_slice(&incomplete.stdout).unwrap();
    let codes: Vec<&str> =
        verdict["refusals"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["rule_failed"], "{verdict}");
    assert!(verdict["refusals"][0]["message"].as_str().unwrap().contains("VR-MO-0001"), "{verdict}");
    // The same code without the rules in its policy is accepted: the refusal is the rule's.
    let plain = dir.join("plain.json");
    std::fs::write(&plain, r#"{ "accept_colours": ["green", "yellow"] }"#).unwrap();
    let out = run(&["verify", &native_code(1), "--demo-key", "--policy", plain.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

#[test]
fn a_dcc_is_judged_by_the_same_policy_rules_on_its_own_payload() {
    let dir = temp("dcc");
    let rules = root().join("test-vectors/dcc-rules");
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        serde_json::json!({"accept_colours": ["green"], "rules": {"dir": rules, "arrival": "DE"}}).to_string(),
    )
    .unwrap();
    let judge = |file: &str| {
        let vector: serde_json::Value =
            serde_json::from_slice(&std::fs::read(root().join("test-vectors/dcc").join(file)).unwrap()).unwrap();
        let cert = dir.join(file.replace('/', "-") + ".cert");
        std::fs::write(&cert, vector["TESTCTX"]["CERTIFICATE"].as_str().unwrap()).unwrap();
        let code = vector["PREFIX"].as_str().unwrap();
        let args = ["verify", code, "--dcc-cert", cert.to_str().unwrap(), "--at", "2021-11-01T10:00:00Z"];
        run(&[&args[..], &["--policy", policy.to_str().unwrap(), "--json"]].concat(), None)
    };
    let complete = judge("DE/2DCode/raw/1.json");
    assert_eq!(complete.status.code(), Some(0), "{}", text(&complete));
    let incomplete = judge("DE/2DCode/raw/4.json");
    assert_eq!(incomplete.status.code(), Some(1), "{}", text(&incomplete));
    let verdict: serde_json::Value = serde_json::from_slice(&incomplete.stdout).unwrap();
    assert_eq!(verdict["refusals"][0]["code"], "rule_failed", "{verdict}");
    assert!(verdict["refusals"][0]["message"].as_str().unwrap().contains("VR-DE-0001"), "{verdict}");
}

#[test]
fn a_policy_naming_rules_that_cannot_be_read_is_a_usage_error() {
    let dir = temp("missing");
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{ "accept_colours": ["green"], "rules": { "dir": "no-such-folder", "arrival": "MO" } }"#,
    )
    .unwrap();
    let out = run(&["verify", &native_code(2), "--demo-key", "--policy", policy.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    std::fs::write(&policy, r#"{ "accept_colours": ["green"], "rules": { "dir": "r", "arrival": "Macau" } }"#).unwrap();
    let out = run(&["verify", &native_code(2), "--demo-key", "--policy", policy.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("rules.arrival"), "{}", text(&out));
}
