//! The CertLogic specification's evaluation test suite (`specification/testSuite/*.json`): every
//! assertion of every case of every file is run and compared with its expected value; those the
//! suite marks `"directive": "skip"` (on the file, the case or the assertion) are counted as
//! skipped, by name, and still evaluated so that the report shows what this evaluator does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;

use healthpass_certlogic::{Errata, Expression, Limits, json_eq};
use serde_json::Value;

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-vectors/certlogic/specification/testSuite")
}

fn skipped(node: &Value) -> bool {
    node.get("directive").and_then(Value::as_str) == Some("skip")
}

#[test]
fn every_assertion_of_the_specification_test_suite() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite_dir()).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 14, "the suite has 14 files");
    let errata = Errata::load(&suite_dir().join("../.."), &Limits::default()).unwrap();
    let (mut passed, mut failed, mut skipped_count, mut known) = (0, Vec::new(), Vec::new(), Vec::new());
    for file in &files {
        let suite: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
        for case in suite["cases"].as_array().unwrap() {
            for (i, assertion) in case["assertions"].as_array().unwrap().iter().enumerate() {
                let case_name = case["name"].as_str().unwrap_or("?");
                let label = format!("{file_name} / {case_name} / #{i}");
                let expr = assertion.get("certLogicExpression").or(case.get("certLogicExpression")).unwrap();
                let result = Expression::compile(expr).and_then(|e| e.evaluate(&assertion["data"]));
                let ok = matches!(&result, Ok(value) if json_eq(value, &assertion["expected"]));
                if skipped(&suite) || skipped(case) || skipped(assertion) {
                    skipped_count.push(format!("{label}: {result:?}"));
                } else if ok {
                    passed += 1;
                } else if let Some(erratum) = errata.find(&format!("{file_name}/{case_name}/{i}")) {
                    known.push(format!("{label}: {result:?}; upstream error: {}", erratum.reason));
                } else {
                    failed.push(format!("{label}: expected {}, got {result:?}", assertion["expected"]));
                }
            }
        }
    }
    println!("skipped (directive \"skip\" upstream):");
    skipped_count.iter().for_each(|s| println!("  {s}"));
    failed.iter().for_each(|f| println!("FAIL {f}"));
    known.iter().for_each(|k| println!("KNOWN {k}"));
    println!("{} known upstream errors (ERRATA.json)", known.len());
    println!("{passed} passed, {} failed, {} skipped", failed.len(), skipped_count.len());
    assert!(failed.is_empty());
    assert_eq!(passed + known.len() + skipped_count.len(), 232, "every assertion of the suite is counted");
    assert_eq!(skipped_count.len(), 14, "patched-reduce.json (10) and four null-safety assertions");
}
