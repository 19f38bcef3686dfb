//! The runner for published country rule tests (the dgc-business-rules-testdata layout).
//!
//! It follows the layout, not names: under the folder run, every folder holding a `rule.json`
//! is a rule, and every `*.json` file in its `tests/` subfolder is one test
//! `{ name?, payload, external, expected }`. As the upstream runner does, a test passes when
//! (1) its `external.validationClock`, if present, lies in the rule's validity
//! (`ValidFrom <= clock < ValidTo`), and (2) the rule's `Logic` evaluated against
//! `{ "payload": payload, "external": external }` does not throw and deep-equals `expected`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::datetime::parse_date_time;
use crate::errata::Errata;
use crate::error::{Error, Result};
use crate::expr::Expression;
use crate::files::read_bounded;
use crate::limits::Limits;
use crate::rule::Rule;
use crate::value::json_eq;

/// Deepest folder the runner descends to below the folder run (country / rule / tests).
const MAX_WALK_DEPTH: usize = 6;

/// The outcome of one rule test; in JSON tagged by `"result"`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum TestOutcome {
    /// As expected.
    Passed,
    /// Not as expected, or the test could not be run.
    Failed {
        /// Why, naming the step.
        reason: String,
    },
    /// Not as expected, and listed in the errata file as a known upstream error.
    KnownIssue {
        /// What we found.
        found: String,
        /// The erratum's reason.
        reason: String,
    },
}

/// One rule test and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TestResult {
    /// The test file, relative to the folder run, `/`-separated.
    pub file: String,
    /// The test's `name`, if it has one.
    pub name: Option<String>,
    /// The outcome.
    pub outcome: TestOutcome,
}

/// The result of a run (serializable, for a `--json` report).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Rule folders found.
    pub rules: usize,
    /// Every test, in path order.
    pub tests: Vec<TestResult>,
    /// Observations that are not test failures: folders with JSON but no `rule.json`, rules
    /// breaking gateway constraints, unused errata.
    pub notes: Vec<String>,
}

impl Report {
    /// Tests that passed.
    #[must_use]
    pub fn passed(&self) -> usize {
        self.tests.iter().filter(|t| t.outcome == TestOutcome::Passed).count()
    }

    /// Tests that failed.
    pub fn failed(&self) -> usize {
        self.tests.iter().filter(|t| matches!(t.outcome, TestOutcome::Failed { .. })).count()
    }

    /// Tests that disagreed with an expectation listed as a known upstream error.
    pub fn known_issues(&self) -> usize {
        self.tests.iter().filter(|t| matches!(t.outcome, TestOutcome::KnownIssue { .. })).count()
    }

    /// The report as text: failures, known issues, notes, ending with the line `N passed, M failed`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for test in &self.tests {
            let name = test.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
            match &test.outcome {
                TestOutcome::Passed => {}
                TestOutcome::Failed { reason } => out.push_str(&format!("FAIL  {}{name}: {reason}\n", test.file)),
                TestOutcome::KnownIssue { found, reason } => {
                    out.push_str(&format!("KNOWN {}{name}: {found}; upstream error: {reason}\n", test.file))
                }
            }
        }
        for note in &self.notes {
            out.push_str(&format!("note: {note}\n"));
        }
        // Per rule set (the first folder of each test's path), in path order.
        let mut sets: Vec<(&str, usize, usize)> = Vec::new();
        for test in &self.tests {
            let set = test.file.split('/').next().unwrap_or("");
            let passed = usize::from(test.outcome == TestOutcome::Passed);
            match sets.last_mut() {
                Some((name, p, n)) if *name == set => {
                    *p += passed;
                    *n += 1;
                }
                _ => sets.push((set, passed, 1)),
            }
        }
        for (set, passed, total) in sets {
            out.push_str(&format!("{set}: {passed}/{total} passed\n"));
        }
        out.push_str(&format!(
            "{} rules, {} tests; {} known upstream errors (ERRATA.json)\n",
            self.rules,
            self.tests.len(),
            self.known_issues()
        ));
        out.push_str(&format!("{} passed, {} failed\n", self.passed(), self.failed()));
        out
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let io = |e: std::io::Error| Error::Io { path: dir.display().to_string(), message: e.to_string() };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort();
    Ok(entries)
}

pub(crate) fn relative(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Finds rule folders (holding `rule.json`) below `dir`, and notes folders with JSON files
/// that are not rule folders.
pub(crate) fn find_rule_folders(
    dir: &Path,
    depth: usize,
    root: &Path,
    limits: &Limits,
    found: &mut Vec<PathBuf>,
    notes: &mut Vec<String>,
) -> Result<()> {
    if dir.join("rule.json").is_file() {
        if found.len() >= limits.max_rules {
            return Err(Error::TooLarge { what: "rule folders", limit: limits.max_rules });
        }
        found.push(dir.to_path_buf());
        return Ok(());
    }
    let entries = sorted_entries(dir)?;
    let json_files = entries.iter().filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json")).count();
    if json_files > 0 && depth >= 2 {
        notes.push(format!(
            "{}: {json_files} JSON file(s) but no rule.json: not a rule folder of the published layout, not run",
            relative(dir, root)
        ));
    }
    if depth >= MAX_WALK_DEPTH {
        return Ok(());
    }
    for entry in entries.iter().filter(|p| p.is_dir()) {
        find_rule_folders(entry, depth + 1, root, limits, found, notes)?;
    }
    Ok(())
}

/// Runs every published rule test below `dir`, with the errata of `dir/ERRATA.json` if that
/// file exists, under the default [`Limits`].
///
/// ```no_run
/// let report = healthpass_certlogic::run_rule_tests(std::path::Path::new("test-vectors/dcc-rules"))?;
/// print!("{}", report.to_text()); // ... ends with "N passed, M failed"
/// # Ok::<(), healthpass_certlogic::Error>(())
/// ```
///
/// # Errors
/// [`Error::Io`] if `dir` or a folder below it cannot be listed; [`Error::Json`] for a
/// malformed `ERRATA.json`; [`Error::TooLarge`] past `max_rules`. A rule or test that cannot be
/// read or parsed is a failed test, not an error of the run.
pub fn run_rule_tests(dir: &Path) -> Result<Report> {
    let limits = Limits::default();
    let errata = Errata::load(dir, &limits)?;
    run_rule_tests_with(dir, &errata, &limits)
}

/// [`run_rule_tests`] with explicit errata and limits.
///
/// # Errors
/// As [`run_rule_tests`].
pub fn run_rule_tests_with(dir: &Path, errata: &Errata, limits: &Limits) -> Result<Report> {
    let mut report = Report::default();
    let mut folders = Vec::new();
    find_rule_folders(dir, 0, dir, limits, &mut folders, &mut report.notes)?;
    report.rules = folders.len();
    for folder in &folders {
        run_rule_folder(folder, dir, limits, &mut report)?;
    }
    for test in &mut report.tests {
        if let (TestOutcome::Failed { reason }, Some(erratum)) = (&test.outcome, errata.find(&test.file)) {
            test.outcome = TestOutcome::KnownIssue { found: reason.clone(), reason: erratum.reason.clone() };
        }
    }
    for erratum in &errata.errata {
        if !report
            .tests
            .iter()
            .any(|t| matches!(t.outcome, TestOutcome::KnownIssue { .. }) && errata.find(&t.file) == Some(erratum))
        {
            report.notes.push(format!("erratum for {} matched no failing test", erratum.file));
        }
    }
    Ok(report)
}

/// Whether a file in a rule's `tests/` folder is a test: `test<digits>.json`, the upstream
/// runner's pattern (other files there are not run, by upstream either).
fn is_test_file_name(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    name.strip_prefix("test")
        .and_then(|rest| rest.strip_suffix(".json"))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// What a test needs of its rule: the logic and the validity range.
pub(crate) struct Testable {
    logic: Expression,
    valid_from: String,
    valid_to: String,
    valid_from_ms: i64,
    valid_to_ms: i64,
}

/// Loads a rule for testing. The upstream runner checks a rule's metadata (schema, gateway
/// constraints) and its logic's validity as a separate check from its tests, and runs each test
/// by evaluating the logic with certlogic-js, which fails only on the invalid parts it reaches.
/// So does this: a rule whose metadata does not follow the gateway format, or whose logic does
/// not validate, still has its tests run (and the problem is noted), as long as its `Logic`,
/// `ValidFrom` and `ValidTo` can be read.
fn load_testable(rule_path: &Path, root: &Path, limits: &Limits, notes: &mut Vec<String>) -> Result<Testable> {
    let text = read_bounded(rule_path, limits)?;
    let json: Value = serde_json::from_slice(&text).map_err(|e| Error::json("rule", &e))?;
    let shown = relative(rule_path, root);
    match Rule::from_json_with(&json, limits) {
        Ok(rule) => {
            for issue in rule.gateway_issues() {
                notes.push(format!("{shown}: {issue}"));
            }
            Ok(Testable {
                logic: rule.logic,
                valid_from: rule.valid_from,
                valid_to: rule.valid_to,
                valid_from_ms: rule.valid_from_ms,
                valid_to_ms: rule.valid_to_ms,
            })
        }
        Err(e @ Error::TooLarge { .. }) => Err(e),
        Err(e) => {
            let field = |name: &'static str| {
                json.get(name)
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| Error::rule(name, "must be a string"))
            };
            let date = |text: &str, name: &'static str| {
                parse_date_time(text, name).map_err(|_| Error::rule(name, "must be an ISO 8601 date-time"))
            };
            let (valid_from, valid_to) = (field("ValidFrom")?, field("ValidTo")?);
            let logic = json.get("Logic").ok_or_else(|| Error::rule("Logic", "is missing"))?;
            let (logic, issues) = Expression::compile_lenient(logic, limits)?;
            if issues.is_empty() {
                notes.push(format!(
                    "{shown}: metadata does not follow the gateway format ({e}); tests run on its logic"
                ));
            } else {
                notes.push(format!(
                    "{shown}: the logic has {} validation issue(s), the first: {}; tests run as the reference \
                     evaluator runs them (an invalid part fails only when reached)",
                    issues.len(),
                    issues.first().map_or("", |i| i.message.as_str())
                ));
            }
            Ok(Testable {
                logic,
                valid_from_ms: date(&valid_from, "ValidFrom")?,
                valid_to_ms: date(&valid_to, "ValidTo")?,
                valid_from,
                valid_to,
            })
        }
    }
}

fn run_rule_folder(folder: &Path, root: &Path, limits: &Limits, report: &mut Report) -> Result<()> {
    let rule_path = folder.join("rule.json");
    let rule = load_testable(&rule_path, root, limits, &mut report.notes);
    let tests_dir = folder.join("tests");
    let tests: Vec<PathBuf> = if tests_dir.is_dir() {
        sorted_entries(&tests_dir)?.into_iter().filter(|p| p.is_file() && is_test_file_name(p)).collect()
    } else {
        Vec::new()
    };
    if tests.len() > limits.max_tests_per_rule {
        return Err(Error::TooLarge { what: "tests of one rule", limit: limits.max_tests_per_rule });
    }
    if tests.is_empty() {
        report.notes.push(format!("{}: a rule without tests", relative(folder, root)));
        if let Err(e) = &rule {
            let outcome = TestOutcome::Failed { reason: format!("rule: {e}") };
            report.tests.push(TestResult { file: relative(&rule_path, root), name: None, outcome });
        }
    }
    for test_path in tests {
        let file = relative(&test_path, root);
        let (name, outcome) = match &rule {
            Err(e) => (None, TestOutcome::Failed { reason: format!("rule: {e}") }),
            Ok(rule) => match read_bounded(&test_path, limits)
                .and_then(|text| serde_json::from_slice::<Value>(&text).map_err(|e| Error::json("test", &e)))
            {
                Err(e) => (None, TestOutcome::Failed { reason: format!("test file: {e}") }),
                Ok(test) => {
                    let name = test.get("name").and_then(Value::as_str).map(str::to_owned);
                    (name, run_one(rule, &test))
                }
            },
        };
        report.tests.push(TestResult { file, name, outcome });
    }
    Ok(())
}

/// One test against its rule.
pub(crate) fn run_one(rule: &Testable, test: &Value) -> TestOutcome {
    let fail = |reason: String| TestOutcome::Failed { reason };
    if !test.is_object() {
        return fail("test: not a JSON object".to_owned());
    }
    let Some(expected) = test.get("expected") else {
        return fail("test: no expected result".to_owned());
    };
    let payload = test.get("payload").unwrap_or(&Value::Null);
    let external = test.get("external").unwrap_or(&Value::Null);
    match external.get("validationClock") {
        // As upstream: only a truthy clock is checked.
        None | Some(Value::Null) => {}
        Some(Value::String(clock)) if clock.is_empty() => {}
        Some(Value::String(clock)) => match parse_date_time(clock, "validationClock") {
            Err(e) => return fail(format!("external: {e}")),
            Ok(ms) if !(rule.valid_from_ms <= ms && ms < rule.valid_to_ms) => {
                return fail(format!(
                    "validation clock {clock} outside the rule's validity [{}, {})",
                    rule.valid_from, rule.valid_to
                ));
            }
            Ok(_) => {}
        },
        Some(_) => return fail("external: validationClock is not a string".to_owned()),
    }
    match rule.logic.evaluate_rule_data(payload, external) {
        Err(e) => fail(format!("evaluation: {e}")),
        Ok(result) if json_eq(&result, expected) => TestOutcome::Passed,
        Ok(result) => fail(format!("expected {expected}, got {result}")),
    }
}
