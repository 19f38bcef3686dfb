//! The rule test runner on folders built here: each way a test can fail, errata, and layouts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};

use healthpass_certlogic::{Errata, Erratum, Limits, TestOutcome, run_rule_tests, run_rule_tests_with};
use serde_json::{Value, json};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("hp-certlogic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(path: &Path, value: &Value) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
}

fn rule() -> Value {
    json!({
        "Identifier": "VR-ZZ-0001", "Type": "Acceptance", "Country": "ZZ", "Version": "1.0.0",
        "SchemaVersion": "1.0.0", "Engine": "CERTLOGIC", "EngineVersion": "0.7.5", "CertificateType": "Vaccination",
        "Description": [{"lang": "en", "desc": "The vaccination schedule must be complete."}],
        "ValidFrom": "2021-07-01T00:00:00Z", "ValidTo": "2030-06-01T00:00:00Z", "AffectedFields": ["v.0.dn", "v.0.sd"],
        "Logic": {"if": [{"var": "payload.v.0"}, {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]}, true]}
    })
}

fn test(dn: i64, expected: Value, clock: Option<&str>) -> Value {
    let mut external = json!({"valueSets": {}});
    if let Some(clock) = clock {
        external["validationClock"] = json!(clock);
    }
    json!({"name": format!("dn {dn}"), "payload": {"v": [{"dn": dn, "sd": 2}]}, "external": external, "expected": expected})
}

#[test]
fn passes_fails_and_names_the_step() {
    let dir = TempDir::new("steps");
    let tests = dir.0.join("ZZ/VR-ZZ-0001/tests");
    write(&dir.0.join("ZZ/VR-ZZ-0001/rule.json"), &rule());
    write(&tests.join("test001.json"), &test(2, json!(true), Some("2022-01-01T00:00:00Z")));
    write(&tests.join("test002.json"), &test(1, json!(false), None));
    write(&tests.join("test003.json"), &test(1, json!(true), None));
    write(&tests.join("test004.json"), &test(2, json!(true), Some("2031-01-01T00:00:00Z")));
    write(
        &tests.join("test005.json"),
        &json!({"payload": {"v": [{"dn": "x", "sd": 2}]}, "external": {}, "expected": false}),
    );
    std::fs::write(tests.join("test006.json"), b"{ not json").unwrap();
    write(&tests.join("notes.json"), &json!({"not": "a test"}));
    let report = run_rule_tests(&dir.0).unwrap();
    let text = report.to_text();
    assert_eq!(report.rules, 1);
    assert_eq!(report.tests.len(), 6, "notes.json is not a test file: {text}");
    assert_eq!((report.passed(), report.failed()), (2, 4), "{text}");
    assert!(text.contains("test003.json (dn 1): expected true, got false"), "{text}");
    assert!(
        text.contains("test004.json (dn 2): validation clock 2031-01-01T00:00:00Z outside the rule's validity"),
        "{text}"
    );
    assert!(text.contains("test005.json: evaluation: evaluation of \"comparison\" failed"), "{text}");
    assert!(text.contains("test006.json: test file: test is not valid JSON"), "{text}");
    assert!(text.ends_with("2 passed, 4 failed\n"), "{text}");
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["tests"][0]["outcome"], json!({"result": "passed"}));
    assert_eq!(json["tests"][2]["outcome"]["result"], "failed");
}

#[test]
fn errata_turn_a_disagreement_into_a_known_issue_never_a_pass() {
    let dir = TempDir::new("errata");
    let tests = dir.0.join("ZZ/VR-ZZ-0001/tests");
    write(&dir.0.join("ZZ/VR-ZZ-0001/rule.json"), &rule());
    write(&tests.join("test001.json"), &test(1, json!(true), None));
    write(&tests.join("test002.json"), &test(2, json!(true), None));
    let erratum =
        |file: &str| Erratum { file: file.into(), reason: "wrong expectation".into(), evidence: "dn 1 of 2".into() };
    let errata = Errata {
        about: String::new(),
        errata: vec![erratum("VR-ZZ-0001/tests/test001.json"), erratum("VR-ZZ-0001/tests/test002.json")],
    };
    let report = run_rule_tests_with(&dir.0, &errata, &Limits::default()).unwrap();
    assert_eq!((report.passed(), report.failed(), report.known_issues()), (1, 0, 1));
    assert!(matches!(report.tests[0].outcome, TestOutcome::KnownIssue { .. }));
    assert!(report.notes.iter().any(|n| n.contains("test002.json matched no failing test")));
    // The same errata from a file beside the vectors.
    write(
        &dir.0.join("ERRATA.json"),
        &json!({"errata": [{"file": "ZZ/VR-ZZ-0001/tests/test001.json", "reason": "r", "evidence": "e"}]}),
    );
    let report = run_rule_tests(&dir.0).unwrap();
    assert_eq!((report.passed(), report.failed(), report.known_issues()), (1, 0, 1));
}

#[test]
fn rules_with_invalid_parts_run_as_the_reference_evaluator_and_metadata_is_only_noted() {
    let dir = TempDir::new("load");
    // An invalid operation in the branch a test takes fails that test; in the other branch it
    // does not matter to the test (the reference evaluator never reaches it).
    let mut bad_logic = rule();
    bad_logic["Logic"] = json!({"if": [{"var": "payload.v.0"}, {"all": [1]}, true]});
    write(&dir.0.join("ZZ/VR-ZZ-0001/rule.json"), &bad_logic);
    write(&dir.0.join("ZZ/VR-ZZ-0001/tests/test001.json"), &test(2, json!(true), None));
    write(&dir.0.join("ZZ/VR-ZZ-0001/tests/test002.json"), &json!({"payload": {}, "external": {}, "expected": true}));
    let mut odd_metadata = rule();
    odd_metadata["Identifier"] = json!("VR-ZZ-0002-b");
    write(&dir.0.join("ZZ/VR-ZZ-0002/rule.json"), &odd_metadata);
    write(&dir.0.join("ZZ/VR-ZZ-0002/tests/test001.json"), &test(2, json!(true), None));
    let mut no_dates = rule();
    no_dates.as_object_mut().unwrap().remove("ValidTo");
    write(&dir.0.join("ZZ/VR-ZZ-0004/rule.json"), &no_dates);
    write(&dir.0.join("ZZ/VR-ZZ-0004/tests/test001.json"), &test(2, json!(true), None));
    write(&dir.0.join("ZZ/GR-ZZ-0003/GR-ZZ-0003.json"), &rule());
    let report = run_rule_tests(&dir.0).unwrap();
    let text = report.to_text();
    assert_eq!((report.rules, report.passed(), report.failed()), (3, 2, 2), "{text}");
    assert!(text.contains("VR-ZZ-0001/tests/test001.json (dn 2): evaluation:"), "{text}");
    assert!(text.contains("unrecognised operator"), "{text}");
    assert!(text.contains("VR-ZZ-0001/rule.json: the logic has 1 validation issue(s)"), "{text}");
    assert!(text.contains("VR-ZZ-0002/rule.json: metadata does not follow the gateway format"), "{text}");
    assert!(
        text.contains("VR-ZZ-0004/tests/test001.json (dn 2)") || text.contains("VR-ZZ-0004/tests/test001.json: rule:"),
        "{text}"
    );
    assert!(text.contains("ZZ/GR-ZZ-0003: 1 JSON file(s) but no rule.json"), "{text}");
}

#[test]
fn a_missing_folder_is_an_error_of_the_run() {
    assert!(run_rule_tests(Path::new("/nonexistent/rules")).is_err());
}
