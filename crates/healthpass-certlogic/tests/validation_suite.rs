//! The CertLogic specification's validation test suite (`specification/validation-testSuite/`):
//! validating each case's expression must report exactly its issues, in order, with the same
//! expression and message; and an expression compiles iff it has no issues.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

use healthpass_certlogic::{Expression, validate};
use serde_json::Value;

#[test]
fn every_case_of_the_validation_test_suite() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../test-vectors/certlogic/specification/validation-testSuite");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 4);
    let (mut passed, mut failed) = (0, Vec::new());
    for file in &files {
        let suite: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        assert_ne!(suite.get("directive").and_then(Value::as_str), Some("skip"));
        for (i, case) in suite["cases"].as_array().unwrap().iter().enumerate() {
            assert_ne!(case.get("directive").and_then(Value::as_str), Some("skip"));
            let expr = &case["certLogicExpression"];
            let expected = case["issues"].as_array().unwrap();
            let issues = validate(expr);
            let same = issues.len() == expected.len()
                && issues
                    .iter()
                    .zip(expected)
                    .all(|(got, want)| got.expr == want["expr"] && got.message == want["message"]);
            let compiles = Expression::compile(expr).is_ok();
            if same && compiles == expected.is_empty() {
                passed += 1;
            } else {
                failed.push(format!(
                    "{} #{i} {expr}: expected {expected:?}, got {issues:?}, compiles {compiles}",
                    file.display()
                ));
            }
        }
    }
    failed.iter().for_each(|f| println!("FAIL {f}"));
    println!("{passed} passed, {} failed", failed.len());
    assert!(failed.is_empty());
    assert_eq!(passed, 23);
}
