//! Every published country rule test (test-vectors/dcc-rules) through `run_rule_tests`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

use healthpass_certlogic::run_rule_tests;

#[test]
fn every_published_country_rule_test() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/dcc-rules");
    let report = run_rule_tests(&dir).unwrap();
    let text = report.to_text();
    print!("{text}");
    assert!(text.ends_with(&format!("{} passed, {} failed\n", report.passed(), report.failed())));
    assert_eq!(report.rules, 142);
    assert_eq!(report.tests.len(), 975);
    assert_eq!(report.failed(), 0);
}
