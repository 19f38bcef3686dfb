//! How each expectation came out, and the report of a DCC run.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Stage;

/// How one expectation came out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The stage's result matches the expectation.
    Passed,
    /// It does not.
    Failed,
    /// It does not, and the file is listed upstream as having a wrong expectation there.
    KnownIssue {
        /// Why the expectation is known to be wrong.
        reason: String,
    },
    /// The file sets the expectation but lacks the input the stage reads (for example
    /// `EXPECTEDPICTUREDECODE` without a `2DCODE` picture), so the file cannot test it.
    NotApplicable {
        /// Which input is missing.
        reason: String,
    },
}

/// One checked expectation.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// The test file, relative to the folder run.
    pub file: String,
    /// The country folder (first path component).
    pub country: String,
    /// The `EXPECTED*` key as written in the file.
    pub key: String,
    /// The stage it sets, if the key is known.
    pub stage: Option<Stage>,
    /// The expected result.
    pub expected: bool,
    /// The result the stage gave.
    pub actual: bool,
    /// Why the stage failed, when it did (a step and reason, never health data).
    pub detail: Option<String>,
    /// The outcome.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Picture decoding of one country's `2DCODE` images.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PictureRate {
    /// Files with a picture.
    pub pictures: usize,
    /// Pictures that scanned to exactly the file's `PREFIX` text.
    pub decoded: usize,
}

/// The report of a DCC conformance run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DccReport {
    /// Test files found (JSON objects with `EXPECTEDRESULTS`).
    pub files: usize,
    /// Every checked expectation.
    pub checks: Vec<Check>,
    /// Picture decode rate per country (every picture is scanned, expectation or not).
    pub pictures: BTreeMap<String, PictureRate>,
    /// Files that could not be read as test files, with why.
    pub unreadable: Vec<(String, String)>,
    /// Pictures that did not scan to their file's text, with why.
    pub undecoded_pictures: Vec<(String, String)>,
}

impl DccReport {
    /// Checks that passed.
    pub fn passed(&self) -> usize {
        self.checks.iter().filter(|c| c.outcome == Outcome::Passed).count()
    }

    /// Checks that failed, plus unreadable files.
    pub fn failed(&self) -> usize {
        self.checks.iter().filter(|c| c.outcome == Outcome::Failed).count() + self.unreadable.len()
    }

    /// Checks that disagreed with an expectation known to be wrong: listed upstream, or contradicted
    /// by the test data (`test-vectors/dcc-errata/contradicted.tsv`, docs/INTEROP.md).
    pub fn known_issues(&self) -> usize {
        self.checks.iter().filter(|c| matches!(c.outcome, Outcome::KnownIssue { .. })).count()
    }

    /// Expectations the file cannot test because it lacks the stage's input.
    pub fn not_applicable(&self) -> usize {
        self.checks.iter().filter(|c| matches!(c.outcome, Outcome::NotApplicable { .. })).count()
    }

    /// The report as text: a per-stage table, the failures and known issues, the picture decode
    /// rate per country, ending with the line `N passed, M failed`.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "DCC conformance: {} test files", self.files);
        let _ = writeln!(
            out,
            "{:<16} {:>8} {:>8} {:>8} {:>8} {:>8}",
            "stage", "checks", "passed", "failed", "known", "no input"
        );
        let mut rows: Vec<(String, [usize; 5])> = Vec::new();
        for stage in Stage::ALL.iter().map(|s| Some(*s)).chain([None]) {
            let checks: Vec<&Check> = self.checks.iter().filter(|c| c.stage == stage).collect();
            if checks.is_empty() {
                continue;
            }
            let count = |o: fn(&Outcome) -> bool| checks.iter().filter(|c| o(&c.outcome)).count();
            rows.push((
                stage.map_or("unknown key", Stage::name).to_owned(),
                [
                    checks.len(),
                    count(|o| *o == Outcome::Passed),
                    count(|o| *o == Outcome::Failed),
                    count(|o| matches!(o, Outcome::KnownIssue { .. })),
                    count(|o| matches!(o, Outcome::NotApplicable { .. })),
                ],
            ));
        }
        let mut total = [0usize; 5];
        for (name, counts) in &rows {
            let [a, b, c, d, e] = counts;
            let _ = writeln!(out, "{name:<16} {a:>8} {b:>8} {c:>8} {d:>8} {e:>8}");
            for (t, c) in total.iter_mut().zip(counts) {
                *t += c;
            }
        }
        let [a, b, c, d, e] = total;
        let _ = writeln!(out, "{:<16} {a:>8} {b:>8} {c:>8} {d:>8} {e:>8}", "total");
        for check in &self.checks {
            match &check.outcome {
                Outcome::Passed => {}
                Outcome::Failed => {
                    let _ = writeln!(
                        out,
                        "FAILED {} {}: expected {}, got {}{}",
                        check.file,
                        check.key,
                        check.expected,
                        check.actual,
                        check.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
                    );
                }
                Outcome::KnownIssue { reason } => {
                    let _ = writeln!(
                        out,
                        "KNOWN  {} {}: expected {}, got {}: {reason}",
                        check.file, check.key, check.expected, check.actual
                    );
                }
                Outcome::NotApplicable { reason } => {
                    let _ = writeln!(out, "N/A    {} {}: {reason}", check.file, check.key);
                }
            }
        }
        for (file, why) in &self.unreadable {
            let _ = writeln!(out, "FAILED {file}: not a readable test file ({why})");
        }
        let _ = writeln!(out, "picture decode rate per country:");
        for (country, rate) in &self.pictures {
            let _ = writeln!(out, "  {country:<8} {}/{}", rate.decoded, rate.pictures);
        }
        for (file, why) in &self.undecoded_pictures {
            let _ = writeln!(out, "  not decoded: {file} ({why})");
        }
        let _ = writeln!(
            out,
            "{} known issues (expectations listed upstream as wrong, or contradicted by the test data)",
            self.known_issues()
        );
        let _ = writeln!(out, "{} expectations the files cannot test (input missing)", self.not_applicable());
        let _ = writeln!(out, "{} passed, {} failed", self.passed(), self.failed());
        out
    }
}
