//! The EU DCC conformance suite over the published test files in test-vectors/dcc.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::panic, clippy::unwrap_used)]

use std::path::Path;

use healthpass_conformance::{DccReport, Outcome, Stage, run_dcc};

fn report() -> DccReport {
    run_dcc(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/dcc"))).unwrap()
}

#[test]
fn dcc_conformance() {
    let report = report();
    let text = report.to_text();
    println!("{text}");
    assert!(report.files >= 540, "found {} test files", report.files);
    assert!(report.unreadable.is_empty(), "{:?}", report.unreadable);
    assert_eq!(text.lines().last().unwrap(), format!("{} passed, {} failed", report.passed(), report.failed()));

    // Every expectation is met, or known to be wrong with a stated reason.
    assert_eq!(report.failed(), 0, "{text}");
    let contradicted: Vec<_> = report
        .checks
        .iter()
        .filter(|c| matches!(&c.outcome, Outcome::KnownIssue { reason } if reason.starts_with("contradicted")))
        .collect();
    assert_eq!(contradicted.len(), 14, "{contradicted:#?}");
    // The contradiction is in the data: ES, GE and IE expect codes outside their value sets to
    // pass the schema check, and they do (the schema names value sets only as annotations);
    // PL 7-9 expect such codes to fail, and are the known issues.
    let lenient =
        ["ES/2DCode/raw/1101.json", "ES/2DCode/raw/1103.json", "GE/2DCode/raw/1.json", "IE/2DCode/Raw/2.json"];
    for file in lenient {
        let check = report.checks.iter().find(|c| c.file == file && c.key == "EXPECTEDSCHEMAVALIDATION").unwrap();
        assert!(check.expected && check.actual && check.outcome == Outcome::Passed, "{check:?}");
    }
    let strict: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.file.starts_with("PL/") && c.key == "EXPECTEDSCHEMAVALIDATION" && !c.expected)
        .collect();
    assert_eq!(strict.len(), 9);
    assert!(strict.iter().all(|c| c.actual && matches!(c.outcome, Outcome::KnownIssue { .. })));

    // The stages a verifier depends on meet every expectation.
    for stage in [Stage::Unprefix, Stage::Base45, Stage::Compression, Stage::KeyUsage, Stage::Picture, Stage::Overall] {
        let failed = report.checks.iter().filter(|c| c.stage == Some(stage) && c.outcome == Outcome::Failed).count();
        assert_eq!(failed, 0, "{stage:?}");
    }
    let verify: Vec<_> = report.checks.iter().filter(|c| c.stage == Some(Stage::Verify)).collect();
    assert!(verify.len() >= 515);
    assert!(verify.iter().all(|c| c.outcome != Outcome::Failed));
    // The only verify expectations not met are ES 401-403 (P-384 key under an ES256 header).
    let known: Vec<_> = verify.iter().filter(|c| matches!(c.outcome, Outcome::KnownIssue { .. })).collect();
    assert_eq!(known.len(), 3);
    assert!(known.iter().all(|c| c.file.starts_with("ES/") && c.file.contains("/40")));

    // Both expectations are exercised: codes that must verify and codes that must not.
    assert!(verify.iter().any(|c| !c.expected && !c.actual));
    assert!(verify.iter().any(|c| c.expected && c.actual));

    // Pictures: the decode rate over every picture, negative cases (common Q1) included.
    let (pictures, decoded) = report.pictures.values().fold((0, 0), |(p, d), r| (p + r.pictures, d + r.decoded));
    assert!(pictures >= 470 && decoded * 100 >= pictures * 98, "{decoded}/{pictures}");
}

/// Files written in the forms seen upstream besides the specification's: binary fields in
/// base64 rather than hex, the `JSON` field as a string, a picture key with a stray space. The
/// runner reads them as the same test, and every expectation comes out as it does for the
/// original file.
#[test]
fn the_same_test_written_in_other_forms_gives_the_same_results() {
    let original = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../test-vectors/dcc/AE/2DCode/raw/test.json"));
    let mut case: serde_json::Value = serde_json::from_slice(&std::fs::read(original).unwrap()).unwrap();
    let outcomes = |dir: &Path| {
        let report = run_dcc(dir).unwrap();
        let mut outcomes: Vec<_> = report.checks.iter().map(|c| (c.key.clone(), c.expected, c.actual)).collect();
        outcomes.sort();
        (outcomes, report.failed())
    };
    let dir = std::env::temp_dir().join(format!("healthpass-dcc-forms-{}", std::process::id()));
    let write = |case: &serde_json::Value| {
        std::fs::create_dir_all(dir.join("XX/2DCode/raw")).unwrap();
        std::fs::write(dir.join("XX/2DCode/raw/1.json"), serde_json::to_vec(case).unwrap()).unwrap();
    };
    write(&case);
    let (expected, failed) = outcomes(&dir);
    assert_eq!(failed, 0);
    assert!(expected.len() >= 11, "{expected:?}");

    let object = case.as_object_mut().unwrap();
    for key in ["CBOR", "COSE", "COMPRESSED"] {
        let bytes = data_encoding::HEXLOWER_PERMISSIVE.decode(object[key].as_str().unwrap().as_bytes()).unwrap();
        object[key] = data_encoding::BASE64.encode(&bytes).into();
    }
    let json = object["JSON"].to_string();
    object["JSON"] = json.into();
    let picture = object.remove("2DCODE").unwrap();
    object.insert("2DCODE ".into(), picture);
    write(&case);
    assert_eq!(outcomes(&dir), (expected, 0));
    std::fs::remove_dir_all(&dir).unwrap();
}
