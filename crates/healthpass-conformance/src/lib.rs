//! Conformance runners over the published test vectors of each format: every expectation a test
//! case sets is checked at its own stage, with the case's own clock, and reported.
//!
//! The runners read files (the vectors) but never the system clock or the network.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use healthpass::transport::{decode_base45, inflate_bounded, strip_prefix};
use healthpass::{Error, Limits, Result, cbor};
use healthpass_interop::crypto::{ForeignKey, ForeignKeys, SignerCertificate};
use healthpass_interop::dcc::{self, DCC_PREFIX, DccCwt, DccVerifier, UnverifiedDcc, decompress_body};
use healthpass_interop::{cbor_to_json, dcc_schema, foreign};
use healthpass_qr as qr;

pub mod csca;

/// Test files larger than this are refused (the largest published one is about 60 KiB).
const MAX_TEST_FILE: usize = 4 * 1024 * 1024;

/// A stage of the DCC test procedure, named by the `EXPECTED*` key that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// `EXPECTEDPICTUREDECODE`: the `2DCODE` PNG scans to the text in `PREFIX`.
    Picture,
    /// `EXPECTEDUNPREFIX`: `PREFIX` is `HC1:` followed by `BASE45`.
    Unprefix,
    /// `EXPECTEDB45DECODE`: `BASE45` decodes to `COMPRESSED`.
    Base45,
    /// `EXPECTEDCOMPRESSION`: `COMPRESSED` is a zlib stream that inflates to `COSE`.
    Compression,
    /// `EXPECTEDDECODE`: the COSE payload and `CBOR` decode, and their DCC matches `JSON`.
    Decode,
    /// `EXPECTEDVERIFY`: the COSE signature verifies under the kid-selected `TESTCTX.CERTIFICATE`.
    Verify,
    /// `EXPECTEDKEYUSAGE`: the certificate's extended key usage allows the DCC's type.
    KeyUsage,
    /// `EXPECTEDEXPIRATIONCHECK` (also the misspelled `EXPTECTEDEXPIRED`): the DCC is valid at
    /// `TESTCTX.VALIDATIONCLOCK` and within its certificate's validity.
    Expiration,
    /// `EXPECTEDSCHEMAVALIDATION`: the DCC in the COSE payload follows the `TESTCTX.SCHEMA` release.
    Schema,
    /// `EXPECTEDVALIDJSON`: the whole chain from `PREFIX` decodes and its DCC matches `JSON`.
    ValidJson,
    /// `EXPECTEDVALIDOBJECT`: `JSON` follows the `TESTCTX.SCHEMA` release.
    ValidObject,
    /// `EXPECTEDENCODE`: `CBOR` encodes the same DCC as `JSON`.
    Encode,
    /// A nested `EXPECTEDRESULTS` boolean (ES 1001–1003): the whole chain from `PREFIX` decodes
    /// and the signature verifies. Key usage and times are left to their own keys.
    Overall,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: &'static [Stage] = &[
        Stage::Picture,
        Stage::Unprefix,
        Stage::Base45,
        Stage::Compression,
        Stage::Decode,
        Stage::Verify,
        Stage::KeyUsage,
        Stage::Expiration,
        Stage::Schema,
        Stage::ValidJson,
        Stage::ValidObject,
        Stage::Encode,
        Stage::Overall,
    ];

    /// The stage an `EXPECTED*` key sets, if it is a known one.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "EXPECTEDPICTUREDECODE" => Stage::Picture,
            "EXPECTEDUNPREFIX" => Stage::Unprefix,
            "EXPECTEDB45DECODE" => Stage::Base45,
            "EXPECTEDCOMPRESSION" => Stage::Compression,
            "EXPECTEDDECODE" => Stage::Decode,
            "EXPECTEDVERIFY" => Stage::Verify,
            "EXPECTEDKEYUSAGE" => Stage::KeyUsage,
            "EXPECTEDEXPIRATIONCHECK" | "EXPTECTEDEXPIRED" => Stage::Expiration,
            "EXPECTEDSCHEMAVALIDATION" => Stage::Schema,
            "EXPECTEDVALIDJSON" => Stage::ValidJson,
            "EXPECTEDVALIDOBJECT" => Stage::ValidObject,
            "EXPECTEDENCODE" => Stage::Encode,
            "EXPECTEDRESULTS" => Stage::Overall,
            _ => return None,
        })
    }

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Picture => "picture decode",
            Stage::Unprefix => "unprefix",
            Stage::Base45 => "base45",
            Stage::Compression => "compression",
            Stage::Decode => "COSE decode",
            Stage::Verify => "verify",
            Stage::KeyUsage => "key usage",
            Stage::Expiration => "expiration",
            Stage::Schema => "schema",
            Stage::ValidJson => "valid JSON",
            Stage::ValidObject => "valid object",
            Stage::Encode => "encode",
            Stage::Overall => "overall",
        }
    }

    /// The test name the upstream suite (and its `tests/known_issues.csv`) uses for this stage.
    fn upstream_tests(self) -> &'static [&'static str] {
        match self {
            Stage::Picture => &["test_picture_decode"],
            Stage::Unprefix => &["test_un_prefix"],
            Stage::Base45 => &["test_b45decode"],
            Stage::Compression => &["test_compression"],
            Stage::Decode => &["test_cose_json", "test_cose_cbor"],
            Stage::Verify => &["test_verification_check"],
            Stage::KeyUsage => &["test_expected_key_usage"],
            Stage::Expiration => &["test_expiration_check"],
            // The upstream suite has no test for EXPECTEDVALIDOBJECT; it asks the same question of
            // the JSON field that test_cose_schema asks of the signed payload, so the schema
            // entries of the known-issue list apply to it too.
            Stage::Schema | Stage::ValidObject => &["test_cose_schema"],
            Stage::ValidJson => &["test_cbor_json"],
            Stage::Encode | Stage::Overall => &[],
        }
    }
}

/// Files whose upstream expectations are known to be wrong, with the reason, as listed in the
/// test data's `tests/known_issues.csv` (test name, country, test set; an empty test set means
/// every file of the country). A listed check whose result disagrees with its expectation is
/// counted as a known issue, never as a pass; one that agrees counts as a pass.
const KNOWN_ISSUES: &[(&str, &str, &str, &str)] = &[
    ("test_cose_schema", "NL", "", "NL schema expectations predate later schema releases (dgc-testdata#107)"),
    ("test_cose_json", "FR", "test_pcr_ok", "the JSON does not match the signed payload (dgc-testdata#141)"),
    ("test_cbor_json", "FR", "test_pcr_ok", "the JSON does not match the CBOR (dgc-testdata#141)"),
    ("test_verification_check", "ES", "401", "signed with a P-384 key under an ES256 header (dgc-testdata#228)"),
    ("test_verification_check", "ES", "402", "signed with a P-384 key under an ES256 header (dgc-testdata#228)"),
    ("test_verification_check", "ES", "403", "signed with a P-384 key under an ES256 header (dgc-testdata#228)"),
    ("test_cose_schema", "BG", "1", "payload breaks the schema it names (dgc-testdata#298)"),
    ("test_cose_schema", "BG", "2", "payload breaks the schema it names (dgc-testdata#298)"),
    ("test_cose_schema", "LI", "4", "payload breaks the schema it names (dgc-testdata#339)"),
    ("test_cose_schema", "HU", "3", "payload breaks the schema it names (dgc-testdata#340)"),
    ("test_cose_schema", "RO", "2", "payload breaks the schema it names (dgc-testdata#356)"),
    ("test_cose_schema", "SK", "3", "payload breaks the schema it names (dgc-testdata#357)"),
    (
        "test_verification_check",
        "FI",
        "",
        "FI certificates and codes disagree with the stated expectations (dgc-testdata#407)",
    ),
    (
        "test_expiration_check",
        "FI",
        "",
        "FI certificates and codes disagree with the stated expectations (dgc-testdata#407)",
    ),
    (
        "test_expected_key_usage",
        "FI",
        "",
        "FI certificates and codes disagree with the stated expectations (dgc-testdata#407)",
    ),
];

/// Expectations that the test data itself shows to be wrong, found while running it and kept
/// here with the evidence: (file, key, reason). Like the upstream list, an entry only turns a
/// disagreeing result into a known issue; an agreeing one still counts as a pass. Files are
/// matched by the end of their path under the directory run.
const CONTRADICTED: &[(&str, &str, &str)] = &[
    (
        "BG/2DCode/raw/4.json",
        "EXPTECTEDEXPIRED",
        "a misspelt key the upstream runner never reads; read as the expiration check, it contradicts \
         the file's own certificate: the code was signed (iat) before the certificate's notBefore \
         (2021-05-11), and the rule notBefore <= iat <= clock <= exp <= notAfter refuses that",
    ),
    (
        "PL/*/2DCode/raw/7.json",
        "EXPECTEDSCHEMAVALIDATION",
        "expects a code outside its value set (test ma 9999, outside test-manf) to fail the schema; \
         the schema names value sets only as annotations (valueset-uri), which no schema validation \
         checks, and ES 1101 and 1103, GE 1 and 2 and IE 2 and 3 expect such codes to pass",
    ),
    (
        "PL/*/2DCode/raw/8.json",
        "EXPECTEDSCHEMAVALIDATION",
        "expects a code outside its value set (co XY, outside the country codes) to fail the schema; \
         the schema names value sets only as annotations (valueset-uri), which no schema validation \
         checks, and ES 1101 and 1103, GE 1 and 2 and IE 2 and 3 expect such codes to pass",
    ),
    (
        "PL/*/2DCode/raw/9.json",
        "EXPECTEDSCHEMAVALIDATION",
        "expects a code outside its value set (vaccine ma ORG-99999999, outside vaccine-mah-manf) to \
         fail the schema; the schema names value sets only as annotations (valueset-uri), which no \
         schema validation checks, and ES 1101 and 1103, GE 1 and 2 and IE 2 and 3 expect such codes \
         to pass",
    ),
    (
        "PL/1.3.0/2DCode/raw/1.json",
        "EXPECTEDDECODE",
        "the JSON field describes another holder (Akdi Omar, born 1974-06-10) than the signed payload \
         and the file's own CBOR field (Rogalinski-Krol Stanislaw, born 1958-11-11)",
    ),
    (
        "PL/1.3.0/2DCode/raw/1.json",
        "EXPECTEDVALIDJSON",
        "the JSON field describes another holder (Akdi Omar, born 1974-06-10) than the file's CBOR \
         field (Rogalinski-Krol Stanislaw, born 1958-11-11)",
    ),
    (
        "PL/1.3.0/2DCode/raw/5.json",
        "EXPECTEDDECODE",
        "the JSON field names another holder (ik ben ben) than the signed payload and the file's own \
         CBOR field (Rogalinski-Krol Stanislaw)",
    ),
    (
        "PL/1.3.0/2DCode/raw/5.json",
        "EXPECTEDVALIDJSON",
        "the JSON field names another holder (ik ben ben) than the file's CBOR field \
         (Rogalinski-Krol Stanislaw)",
    ),
];

/// The reason an expectation of `file` (its path under the directory run) is contradicted by
/// the test data, if [`CONTRADICTED`] lists it. A `*` in a listed path stands for one folder
/// (PL keeps a folder per schema release).
fn contradicted(file: &str, key: &str) -> Option<String> {
    let folders: Vec<&str> = file.split('/').collect();
    CONTRADICTED
        .iter()
        .find(|(path, k, _)| {
            let pattern: Vec<&str> = path.split('/').collect();
            let tail = folders.len().checked_sub(pattern.len()).and_then(|from| folders.get(from..));
            *k == key && tail.is_some_and(|tail| tail.iter().zip(&pattern).all(|(f, p)| *p == "*" || f == p))
        })
        .map(|(.., reason)| format!("contradicted by the test data: {reason}"))
}

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
    /// by the test data (`CONTRADICTED`, docs/INTEROP.md).
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

/// Runs every DCC test file under `dir`: any file whose content is a JSON object with an
/// `EXPECTEDRESULTS` object is a test file, whatever its name. Known issues come from the table
/// in this module and from `tests/known_issues.csv` under `dir` when present.
///
/// # Errors
/// [`Error::Io`] if `dir` cannot be listed; [`Error::NoTests`] if it holds no test file with an
/// expectation to check (a runner that ran nothing has not passed).
pub fn run_dcc(dir: &Path) -> Result<DccReport> {
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let known = known_issues(dir);
    // Files are independent: run them on every core (picture scanning dominates), then merge
    // the parts in file order.
    let threads = std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 8);
    let chunk = files.len().div_ceil(threads).max(1);
    let parts: Vec<DccReport> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            files.chunks(chunk).map(|part| scope.spawn(|| run_dcc_files(dir, part, &known))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| DccReport {
                    unreadable: vec![(
                        "(worker)".into(),
                        "a worker thread panicked; its files were not checked".into(),
                    )],
                    ..DccReport::default()
                })
            })
            .collect()
    });
    let mut report = DccReport::default();
    for part in parts {
        report.files += part.files;
        report.checks.extend(part.checks);
        report.unreadable.extend(part.unreadable);
        report.undecoded_pictures.extend(part.undecoded_pictures);
        for (country, rate) in part.pictures {
            let total = report.pictures.entry(country).or_default();
            total.pictures += rate.pictures;
            total.decoded += rate.decoded;
        }
    }
    if report.checks.is_empty() && report.unreadable.is_empty() {
        return Err(no_tests(dir));
    }
    Ok(report)
}

/// [`Error::NoTests`] for `path`.
fn no_tests(path: &Path) -> Error {
    Error::NoTests { path: path.display().to_string() }
}

fn run_dcc_files(dir: &Path, files: &[PathBuf], known: &KnownIssues) -> DccReport {
    let mut report = DccReport::default();
    for path in files {
        let relative = path.strip_prefix(dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
        let bytes = match healthpass::fs::read_bounded(path, MAX_TEST_FILE, "test file") {
            Ok(bytes) => bytes,
            Err(Error::TooLarge { .. }) => {
                if relative.ends_with(".json") {
                    report.unreadable.push((relative, format!("larger than {MAX_TEST_FILE} bytes")));
                }
                continue;
            }
            Err(_) => {
                report.unreadable.push((relative, "cannot be read".into()));
                continue;
            }
        };
        // A UTF-8 byte-order mark is allowed before the JSON.
        let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        if text.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            continue;
        }
        let case: serde_json::Value = match serde_json::from_slice(text) {
            Ok(case) => case,
            Err(_) if relative.ends_with(".json") => {
                report.unreadable.push((relative, "not valid JSON".into()));
                continue;
            }
            Err(_) => continue,
        };
        let Some(expected) = case.get("EXPECTEDRESULTS").and_then(serde_json::Value::as_object) else { continue };
        report.files += 1;
        let country = country_of(path, &relative);
        let test_set = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let case = DccCase::new(&case);
        if let Some(outcome) = case.picture_scan() {
            let rate = report.pictures.entry(country.clone()).or_default();
            rate.pictures += 1;
            rate.decoded += usize::from(outcome.is_ok());
            if let Err(why) = outcome {
                report.undecoded_pictures.push((relative.clone(), why.into_detail()));
            }
        }
        for (key, value) in expected {
            if !key.starts_with("EXPECTED") && !key.starts_with("EXPTECTED") {
                continue;
            }
            let stage = Stage::from_key(key);
            let boolean = match value {
                serde_json::Value::String(text) if text.eq_ignore_ascii_case("true") => Some(true),
                serde_json::Value::String(text) if text.eq_ignore_ascii_case("false") => Some(false),
                other => other.as_bool(),
            };
            let Some(expected) = boolean else {
                report.unreadable.push((relative.clone(), format!("{key} is not a boolean")));
                continue;
            };
            let result = match stage {
                Some(stage) => case.run(stage),
                None => Err(StageError::Failed("unknown expectation key: no stage checks it".to_owned())),
            };
            let actual = result.is_ok();
            let (outcome, detail) = match result {
                Err(StageError::Missing(input)) => {
                    let reason = format!("the file has no {input}, which this stage needs");
                    (Outcome::NotApplicable { reason: reason.clone() }, Some(reason))
                }
                _ if stage.is_none() => (Outcome::Failed, result.err().map(StageError::into_detail)),
                _ if actual == expected => (Outcome::Passed, result.err().map(StageError::into_detail)),
                _ => {
                    let detail = result.err().map(StageError::into_detail);
                    let listed = stage.and_then(|s| known.reason(s, &country, &test_set));
                    match listed.or_else(|| contradicted(&relative, key)) {
                        Some(reason) => (Outcome::KnownIssue { reason }, detail),
                        None => (Outcome::Failed, detail),
                    }
                }
            };
            report.checks.push(Check {
                file: relative.clone(),
                country: country.clone(),
                key: key.clone(),
                stage,
                expected,
                actual,
                detail,
                outcome,
            });
        }
    }
    report
}

/// The country folder of a test file: the folder above its `2DCode` folder (skipping a schema
/// version folder such as `1.3.0`), looked up along the whole path so that a run on one
/// country's folder still knows its country; else the first folder under the run's root.
fn country_of(path: &Path, relative: &str) -> String {
    let parts: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let code = parts.iter().rposition(|p| p.eq_ignore_ascii_case("2DCode"));
    let country = code.and_then(|at| {
        parts.get(..at)?.iter().rev().find(|p| !p.chars().next().is_some_and(|c| c.is_ascii_digit())).cloned()
    });
    country.unwrap_or_else(|| relative.split('/').next().unwrap_or_default().to_owned())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out)?,
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
    Ok(())
}

struct KnownIssues(Vec<(String, String, String, String)>);

impl KnownIssues {
    fn reason(&self, stage: Stage, country: &str, test_set: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(test, c, set, _)| {
                stage.upstream_tests().contains(&test.as_str()) && c == country && (set.is_empty() || set == test_set)
            })
            .map(|(.., reason)| reason.clone())
    }
}

fn known_issues(dir: &Path) -> KnownIssues {
    let mut list: Vec<(String, String, String, String)> =
        KNOWN_ISSUES.iter().map(|(t, c, s, r)| ((*t).into(), (*c).into(), (*s).into(), (*r).into())).collect();
    // Entries of the data's own list that the table above does not have yet.
    let csv = healthpass::fs::read_bounded(&dir.join("tests").join("known_issues.csv"), MAX_TEST_FILE, "known issues");
    if let Ok(csv) = csv.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()) {
        for line in csv.lines().skip(1) {
            let fields: Vec<&str> = line.trim().splitn(4, ',').collect();
            if let [test, country, set, url] = fields.as_slice() {
                if !list.iter().any(|(t, c, s, _)| t == test && c == country && s == set) {
                    list.push(((*test).into(), (*country).into(), (*set).into(), format!("listed upstream: {url}")));
                }
            }
        }
    }
    KnownIssues(list)
}

type StageResult = Fallible<()>;
type Fallible<T> = std::result::Result<T, StageError>;

/// Why a stage did not succeed.
#[derive(Debug)]
enum StageError {
    /// The stage ran and failed.
    Failed(String),
    /// The file lacks an input the stage needs, so it cannot be checked from this file.
    Missing(&'static str),
}

impl StageError {
    fn into_detail(self) -> String {
        match self {
            StageError::Failed(detail) => detail,
            StageError::Missing(input) => format!("no {input}"),
        }
    }
}

impl From<String> for StageError {
    fn from(detail: String) -> Self {
        StageError::Failed(detail)
    }
}

impl From<&str> for StageError {
    fn from(detail: &str) -> Self {
        StageError::Failed(detail.to_owned())
    }
}

fn fail(error: Error) -> StageError {
    StageError::Failed(format!("{}: {error}", error.code()))
}

/// One DCC test file, with each input in the form its stages need.
struct DccCase<'a> {
    case: &'a serde_json::Value,
    /// The `JSON` field: an object, or a string holding one (as some files write it).
    json: Option<std::borrow::Cow<'a, serde_json::Value>>,
    limits: Limits,
}

impl<'a> DccCase<'a> {
    fn new(case: &'a serde_json::Value) -> Self {
        let json = match Self::field(case, "JSON") {
            Some(object @ serde_json::Value::Object(_)) => Some(std::borrow::Cow::Borrowed(object)),
            Some(serde_json::Value::String(text)) => serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .filter(serde_json::Value::is_object)
                .map(std::borrow::Cow::Owned),
            _ => None,
        };
        DccCase { case, json, limits: Limits::DEFAULT }
    }

    /// The field `key` of the file: its exact name, else a name that differs only by surrounding
    /// spaces or a leading `_` (files write `"2DCODE "` and `"_2DCODE"`).
    fn field(case: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        let object = case.as_object()?;
        object.get(key).or_else(|| {
            object.iter().find(|(name, _)| name.trim().trim_start_matches('_') == key).map(|(_, value)| value)
        })
    }

    fn text(&self, key: &str) -> Option<&'a str> {
        Self::field(self.case, key).and_then(serde_json::Value::as_str)
    }

    fn context(&self, key: &str) -> Option<&'a str> {
        self.case.get("TESTCTX").and_then(|c| c.get(key)).and_then(serde_json::Value::as_str)
    }

    /// A binary field: hex, as the test specification writes it, or base64 (some files).
    fn hex(&self, key: &str) -> Option<Fallible<Vec<u8>>> {
        self.text(key).map(|text| {
            let text = text.trim();
            hex::decode(text)
                .or_else(|_| STANDARD.decode(text))
                .map_err(|_| StageError::Failed(format!("{key} is neither hex nor base64")))
        })
    }

    fn run(&self, stage: Stage) -> StageResult {
        match stage {
            Stage::Picture => self.picture(),
            Stage::Unprefix => self.unprefix(),
            Stage::Base45 => self.base45(),
            Stage::Compression => self.compression(),
            Stage::Decode => self.decode(),
            Stage::Verify => self.verify().map(|_| ()),
            Stage::KeyUsage => self.key_usage(),
            Stage::Expiration => self.expiration(),
            Stage::Schema => self.schema(),
            Stage::ValidJson => self.valid_json(),
            Stage::ValidObject => self.valid_object(),
            Stage::Encode => self.encode(),
            Stage::Overall => self.overall(),
        }
    }

    fn picture_scan(&self) -> Option<StageResult> {
        let image = self.text("2DCODE")?;
        Some(self.scan(image))
    }

    fn scan(&self, image: &str) -> StageResult {
        // Some producers write a data URL (`data:image/png;base64,...`) rather than bare base64.
        let image = image.trim();
        let image = image.split_once(";base64,").map_or(image, |(_, data)| data);
        let image: String = image.chars().filter(|c| !c.is_whitespace()).collect();
        let png = STANDARD.decode(image).map_err(|_| "2DCODE is not base64".to_owned())?;
        let image = qr::read_image(&png, &self.limits).map_err(fail)?;
        let first_code = |image: &image::GrayImage| -> Result<String> {
            qr::scan_image(image, &self.limits)?.into_iter().next().unwrap_or(Err(Error::NoCode))
        };
        // A picture drawn without its quiet zone is scanned again inside a white margin (only
        // pictures of moderate size, so the copy stays small).
        let first = first_code(&image)
            .or_else(|e| {
                if image.width().max(image.height()) <= 4096 {
                    first_code(&with_margin(&image)).map_err(|_| e)
                } else {
                    Err(e)
                }
            })
            .map_err(fail)?;
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX to compare with"))?;
        if first == prefix { Ok(()) } else { Err("the scanned text differs from PREFIX".into()) }
    }

    fn picture(&self) -> StageResult {
        self.picture_scan().unwrap_or(Err(StageError::Missing("2DCODE picture")))
    }

    fn unprefix(&self) -> StageResult {
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX"))?;
        let rest = strip_prefix(prefix, DCC_PREFIX, &self.limits).map_err(fail)?;
        match self.text("BASE45") {
            Some(base45) if base45 != rest => Err("the text after the prefix differs from BASE45".into()),
            Some(_) => Ok(()),
            None => decode_base45(rest).map(|_| ()).map_err(fail),
        }
    }

    /// The base45 text: `BASE45`, or `PREFIX` without its prefix.
    fn base45_text(&self) -> Fallible<&'a str> {
        if let Some(text) = self.text("BASE45") {
            return Ok(text);
        }
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("BASE45 nor PREFIX"))?;
        strip_prefix(prefix, DCC_PREFIX, &self.limits).map_err(fail)
    }

    fn base45(&self) -> StageResult {
        let decoded = decode_base45(self.base45_text()?).map_err(fail)?;
        if let Some(compressed) = self.hex("COMPRESSED") {
            return if decoded == compressed? {
                Ok(())
            } else {
                Err("the decoded bytes differ from COMPRESSED".into())
            };
        }
        if let Some(cose) = self.hex("COSE") {
            let body = decompress_body(decoded, &self.limits).map_err(fail)?;
            return if body == cose? { Ok(()) } else { Err("the decoded COSE differs from COSE".into()) };
        }
        Ok(())
    }

    /// The compressed bytes: `COMPRESSED`, or decoded from the base45 text.
    fn compressed(&self) -> Fallible<Vec<u8>> {
        match self.hex("COMPRESSED") {
            Some(bytes) => bytes,
            None => decode_base45(self.base45_text()?).map_err(fail),
        }
    }

    fn compression(&self) -> StageResult {
        let inflated = inflate_bounded(&self.compressed()?, &self.limits).map_err(fail)?;
        match self.hex("COSE").transpose()? {
            Some(cose) if inflated != cose => Err("the inflated bytes differ from COSE".into()),
            _ => Ok(()),
        }
    }

    /// The COSE bytes: `COSE`, or decoded along the chain from `COMPRESSED`, `BASE45` or `PREFIX`.
    fn cose(&self) -> Fallible<Vec<u8>> {
        match self.hex("COSE") {
            Some(bytes) => bytes,
            None => decompress_body(self.compressed()?, &self.limits).map_err(fail),
        }
    }

    fn message(&self) -> Fallible<UnverifiedDcc> {
        UnverifiedDcc::from_cose(&self.cose()?, &self.limits).map_err(fail)
    }

    fn cwt(&self) -> Fallible<DccCwt> {
        self.message()?.cwt_unverified(&self.limits).map_err(fail)
    }

    /// The DCC of the `CBOR` field: a whole CWT (its hcert claim) or the bare DCC map.
    fn cbor_dcc(&self) -> Option<Fallible<serde_json::Value>> {
        let bytes = self.hex("CBOR")?;
        Some(bytes.and_then(|bytes| {
            if let Ok(cwt) = DccCwt::decode(&bytes, &self.limits) {
                return cwt.hcert_json().map_err(fail);
            }
            let value = cbor::read_foreign(&bytes, "CBOR", &self.limits).map_err(fail)?;
            if !value.is_map() {
                return Err("CBOR is not a map".into());
            }
            cbor_to_json(&value, 0).map_err(fail)
        }))
    }

    fn json(&self) -> Option<&serde_json::Value> {
        self.json.as_deref()
    }

    fn decode(&self) -> StageResult {
        let from_cbor = self.cbor_dcc().transpose()?;
        let from_cose = match (self.text("COSE"), &from_cbor) {
            (None, Some(_)) if self.text("PREFIX").is_none() => None,
            _ => Some(self.cwt()?.hcert_json().map_err(fail)?),
        };
        if let (Some(cbor), Some(cose)) = (&from_cbor, &from_cose) {
            same_dcc(cbor, cose).map_err(|d| StageError::Failed(format!("CBOR and the COSE payload differ at {d}")))?;
        }
        if let Some(json) = self.json() {
            let decoded = from_cose.as_ref().or(from_cbor.as_ref()).ok_or("nothing to decode")?;
            same_dcc(decoded, json)
                .map_err(|d| StageError::Failed(format!("the decoded DCC differs from JSON at {d}")))?;
        }
        Ok(())
    }

    fn certificate(&self) -> Fallible<Vec<u8>> {
        let text = self.context("CERTIFICATE").ok_or(StageError::Missing("TESTCTX.CERTIFICATE"))?;
        // Bare base64 as the test data defines it; PEM armour lines are tolerated.
        let text: String = text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        STANDARD.decode(text).map_err(|_| "TESTCTX.CERTIFICATE is not base64".into())
    }

    fn signer(&self) -> Fallible<SignerCertificate> {
        SignerCertificate::from_der(&self.certificate()?).map_err(fail)
    }

    fn verify(&self) -> Fallible<ForeignKey> {
        let key = ForeignKey::from_x509_der(&self.certificate()?).map_err(fail)?;
        let verifier = DccVerifier::new([key].into_iter().collect::<ForeignKeys>());
        let message = self.message()?;
        verifier.verify_signature(&message).cloned().map_err(fail)
    }

    fn key_usage(&self) -> StageResult {
        let signer = self.signer()?;
        let cwt = self.cwt()?;
        dcc::check_key_usage(Some(&signer.info), &cwt).map_err(fail)
    }

    fn clock(&self) -> Fallible<DateTime<Utc>> {
        let text = self
            .context("VALIDATIONCLOCK")
            .or_else(|| self.context("validationClockInstant"))
            .ok_or(StageError::Missing("TESTCTX.VALIDATIONCLOCK"))?;
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
            .map(|t| t.with_timezone(&Utc))
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc()))
            .map_err(|_| "TESTCTX.VALIDATIONCLOCK is not a date-time".into())
    }

    fn expiration(&self) -> StageResult {
        let signer = self.signer()?;
        let cwt = self.cwt()?;
        dcc::check_validity(Some(&signer.info), &cwt, self.clock()?, TimeDelta::zero()).map_err(fail)
    }

    /// The schema release to validate `dcc` against: the one its own `ver` names when that
    /// release is held (a DCC declares the schema it follows), else `TESTCTX.SCHEMA`.
    fn schema_version<'d>(&self, dcc: &'d serde_json::Value) -> Fallible<&'d str>
    where
        'a: 'd,
    {
        let own = dcc.get("ver").and_then(serde_json::Value::as_str).filter(|v| dcc_schema::VERSIONS.contains(v));
        own.or_else(|| self.context("SCHEMA")).ok_or(StageError::Missing("TESTCTX.SCHEMA"))
    }

    fn schema(&self) -> StageResult {
        let cwt = self.cwt()?;
        let json = cwt.hcert_json().map_err(fail)?;
        // The schema alone, as the test specification's step 8 says: it names the value sets of
        // coded fields (`valueset-uri`) as annotations, which validation does not check (the
        // data agrees: docs/INTEROP.md). `dcc_schema::check_value_sets` is there for business rules.
        dcc_schema::validate(self.schema_version(&json)?, &json).map_err(fail)?;
        cwt.usage().map(|_| ()).map_err(fail)
    }

    fn valid_json(&self) -> StageResult {
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX"))?;
        let cwt =
            UnverifiedDcc::parse(prefix, &self.limits).and_then(|m| m.cwt_unverified(&self.limits)).map_err(fail)?;
        match self.json() {
            Some(json) => same_dcc(&cwt.hcert_json().map_err(fail)?, json)
                .map_err(|d| StageError::Failed(format!("the decoded DCC differs from JSON at {d}"))),
            None => Ok(()),
        }
    }

    fn valid_object(&self) -> StageResult {
        let json = self.json().ok_or(StageError::Missing("JSON"))?;
        dcc_schema::validate(self.schema_version(json)?, json).map_err(fail)
    }

    fn encode(&self) -> StageResult {
        let cbor = self.cbor_dcc().ok_or(StageError::Missing("CBOR"))??;
        let json = self.json().ok_or(StageError::Missing("JSON"))?;
        same_dcc(&cbor, json).map_err(|d| StageError::Failed(format!("CBOR and JSON differ at {d}")))
    }

    fn overall(&self) -> StageResult {
        let key = ForeignKey::from_x509_der(&self.certificate()?).map_err(fail)?;
        let verifier = DccVerifier::new([key].into_iter().collect::<ForeignKeys>());
        let prefix = self.text("PREFIX").ok_or(StageError::Missing("PREFIX"))?;
        let code = UnverifiedDcc::parse(prefix, &self.limits).map_err(fail)?;
        verifier.verify_signature(&code).map_err(fail)?;
        code.cwt_unverified(&self.limits).map(|_| ()).map_err(fail)
    }
}

/// The picture inside a white margin of an eighth of its side (at least 8 pixels).
fn with_margin(picture: &image::GrayImage) -> image::GrayImage {
    let margin = picture.width().max(picture.height()) / 8 + 8;
    let mut framed = image::GrayImage::from_pixel(
        picture.width().saturating_add(2 * margin),
        picture.height().saturating_add(2 * margin),
        image::Luma([255]),
    );
    image::imageops::replace(&mut framed, picture, i64::from(margin), i64::from(margin));
    framed
}

/// Compares two DCCs as JSON: maps by key, arrays in order, numbers by value, and strings that
/// are date-times by the instant they name (issuers write `Z`, `+00:00` or fractions for the
/// same time). Returns the path of the first difference.
fn same_dcc(a: &serde_json::Value, b: &serde_json::Value) -> std::result::Result<(), String> {
    use serde_json::Value as J;
    fn walk(a: &J, b: &J, path: &mut String) -> bool {
        match (a, b) {
            (J::Object(x), J::Object(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                x.iter().all(|(k, v)| {
                    let len = path.len();
                    path.push('/');
                    path.push_str(k);
                    let same = y.get(k).is_some_and(|w| walk(v, w, path));
                    if same {
                        path.truncate(len);
                    }
                    same
                })
            }
            (J::Array(x), J::Array(y)) => {
                x.len() == y.len()
                    && x.iter().zip(y).enumerate().all(|(i, (v, w))| {
                        let len = path.len();
                        path.push_str(&format!("/{i}"));
                        let same = walk(v, w, path);
                        if same {
                            path.truncate(len);
                        }
                        same
                    })
            }
            (J::Number(x), J::Number(y)) => x.as_f64() == y.as_f64(),
            (J::String(x), J::String(y)) => {
                x == y || matches!((dcc::parse_date_time(x), dcc::parse_date_time(y)), (Some(s), Some(t)) if s == t)
            }
            _ => a == b,
        }
    }
    let mut path = String::new();
    if walk(a, b, &mut path) { Ok(()) } else { Err(if path.is_empty() { "/".into() } else { path }) }
}

/// One case of a case-list suite (NZCP, SHC): its expected and actual outcome.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// The expected outcome: `valid`, `invalid`, or for SHC `revoked`.
    pub expected: String,
    /// The outcome: `valid`, or the error code of the step that refused it.
    pub actual: String,
    /// Why it was refused, when it was.
    pub detail: Option<String>,
    /// Whether the case's QR picture(s) scanned to its text, when it has pictures.
    pub picture: Option<bool>,
    /// Whether the outcome (and the picture) matched.
    pub passed: bool,
}

/// The report of a case-list suite.
#[derive(Debug, Clone, Serialize)]
pub struct CasesReport {
    /// The format.
    pub format: &'static str,
    /// The validation clock used.
    pub clock: DateTime<Utc>,
    /// Every case.
    pub cases: Vec<CaseResult>,
}

impl CasesReport {
    /// Cases whose outcome matched.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }

    /// Cases whose outcome did not match.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// The report as text, one line per case, ending with the line `N passed, M failed`.
    pub fn to_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let _ = writeln!(out, "{} conformance at {}", self.format, self.clock.to_rfc3339());
        for case in &self.cases {
            let _ = writeln!(
                out,
                "{} {:<34} expected {:<8} got {:<20}{}{}",
                if case.passed { "ok    " } else { "FAILED" },
                case.name,
                case.expected,
                case.actual,
                case.picture.map(|p| if p { " picture ok" } else { " PICTURE MISMATCH" }).unwrap_or_default(),
                case.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
            );
        }
        let _ = writeln!(out, "{} passed, {} failed", self.passed(), self.failed());
        out
    }
}

fn read_json(path: &Path) -> Result<serde_json::Value> {
    let bytes = healthpass::fs::read_bounded(path, MAX_TEST_FILE, "vector file")?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Error::Io { path: path.display().to_string(), detail: format!("not JSON: {e}") })
}

fn outcome_of<T>(result: &Result<T>) -> (String, Option<String>) {
    match result {
        Ok(_) => ("valid".into(), None),
        Err(e) => (e.code().into(), Some(e.to_string())),
    }
}

/// Scans every picture and checks that together they hold exactly `texts`, in order.
fn pictures_match(pictures: &[PathBuf], texts: &[String]) -> bool {
    let limits = Limits::DEFAULT;
    let mut scanned = Vec::new();
    for picture in pictures {
        let Ok(bytes) = healthpass::fs::read_bounded(picture, limits.max_image_bytes, "picture") else { return false };
        match qr::scan(&bytes, &limits) {
            Ok(found) => scanned.extend(found.into_iter().flatten()),
            Err(_) => return false,
        }
    }
    scanned == texts
}

/// Runs the NZ COVID Pass examples listed in `file` (the `nzcp-examples.json` format: cases with
/// `payload` and `expected`, the trusted issuer and its DID document beside the file) at `clock`,
/// or at the file's `suggested_validation_clock`. PNG cases are also scanned and compared.
///
/// # Errors
/// [`Error::Io`] for unreadable files, [`Error::Key`] for an unusable DID document,
/// [`Error::Foreign`] when the file lacks what a run needs, and [`Error::NoTests`] when it lists
/// no case.
pub fn run_nzcp(file: &Path, clock: Option<DateTime<Utc>>) -> Result<CasesReport> {
    use healthpass_interop::nzcp::{NzcpIssuer, NzcpVerifier};
    let spec = read_json(file)?;
    let base = file.parent().unwrap_or(Path::new("."));
    let missing = |what: &str| foreign("NZCP", "examples", format!("the examples file has no {what}"));
    let clock = match clock {
        Some(clock) => clock,
        None => spec
            .get("suggested_validation_clock")
            .and_then(serde_json::Value::as_str)
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| missing("suggested_validation_clock"))?,
    };
    let did_file = spec
        .pointer("/issuer_key/did_document_file")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(|| missing("issuer_key.did_document_file"))?;
    let issuer = NzcpIssuer::from_did_document(&read_json(&base.join(did_file))?)?;
    let trusted = spec.get("trusted_issuer_for_examples").and_then(serde_json::Value::as_str);
    if trusted != Some(issuer.did()) {
        return Err(foreign("NZCP", "examples", "the DID document is not the trusted example issuer's"));
    }
    let verifier = NzcpVerifier::new([issuer]);
    let mut cases = Vec::new();
    for case in spec.get("cases").and_then(serde_json::Value::as_array).ok_or_else(|| missing("cases"))? {
        let text = |k: &str| case.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
        let (name, payload, expected) = (text("name"), text("payload"), text("expected"));
        let (actual, detail) = outcome_of(&verifier.verify(&payload, clock));
        let picture = case
            .get("file")
            .and_then(serde_json::Value::as_str)
            .filter(|f| f.ends_with(".png"))
            .map(|f| pictures_match(&[base.join(f)], std::slice::from_ref::<String>(&payload)));
        let outcome_ok = if expected == "valid" { actual == "valid" } else { actual != "valid" };
        let passed = outcome_ok && picture != Some(false);
        cases.push(CaseResult { name, expected, actual, detail, picture, passed });
    }
    if cases.is_empty() {
        return Err(no_tests(file));
    }
    Ok(CasesReport { format: "NZCP", clock, cases })
}

/// The issuer URL the SMART Health Cards examples are signed under.
pub const SHC_EXAMPLE_ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";

/// Runs the SMART Health Cards examples in `dir` (the published examples layout:
/// `example-NN-f-qr-code-numeric-value-K.txt` QR texts, `example-NN-d-jws.txt`,
/// `example-NN-e-file.smart-health-card`, and `issuer/.well-known/{jwks.json,crl/*.json}`),
/// trusting `issuer` (default [`SHC_EXAMPLE_ISSUER`]) with the keys and CRLs found there, at
/// `clock` (default: one day after the newest card's `nbf`).
///
/// Every example is expected to verify; the case's outcome is `valid`, or `revoked`
/// when the CRL revokes it (revocation is reported, and counts as verified). The QR texts must
/// also reassemble to the example's JWS, and its `.smart-health-card` file must hold the same.
///
/// # Errors
/// [`Error::Io`] for unreadable files, [`Error::Key`] for unusable keys, and
/// [`Error::NoTests`] when `dir` holds no example QR text.
pub fn run_shc(dir: &Path, issuer: Option<&str>, clock: Option<DateTime<Utc>>) -> Result<CasesReport> {
    use healthpass_interop::shc::{ShcIssuer, ShcVerifier, assemble};
    // Group the QR texts by example.
    let mut examples: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((example, _)) = name.split_once("-f-qr-code-numeric-value-") {
            examples.entry(example.to_owned()).or_default().push(entry.path());
        }
    }
    if examples.is_empty() {
        return Err(no_tests(dir));
    }
    let well_known = dir.join("issuer").join(".well-known");
    let mut trusted =
        ShcIssuer::from_jwks(issuer.unwrap_or(SHC_EXAMPLE_ISSUER), &read_json(&well_known.join("jwks.json"))?)?;
    let mut crls = Vec::new();
    if let Ok(entries) = std::fs::read_dir(well_known.join("crl")) {
        crls = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    }
    crls.sort();
    for crl in crls {
        trusted.add_crl(&read_json(&crl)?)?;
    }
    let verifier = ShcVerifier::new([trusted]);
    let limits = Limits::DEFAULT;
    let mut loaded = Vec::new();
    let mut newest = f64::MIN;
    for (example, mut parts) in examples {
        parts.sort();
        let mut texts = Vec::new();
        for part in &parts {
            let bytes = healthpass::fs::read_bounded(part, limits.max_text_len + 16, "QR text")?;
            texts.push(String::from_utf8_lossy(&bytes).trim().to_owned());
        }
        let jws = assemble(&texts, &limits);
        if let Ok(jws) = &jws {
            if let Ok(card) = verifier.verify_jws(jws, DateTime::<Utc>::MAX_UTC) {
                newest = newest.max(card.not_before);
            }
        }
        loaded.push((example, texts, jws));
    }
    let clock = clock.unwrap_or_else(|| {
        DateTime::from_timestamp(newest.ceil() as i64, 0)
            .map_or(DateTime::UNIX_EPOCH, |t| healthpass::time::saturating_after(t, TimeDelta::days(1)))
    });
    let mut cases = Vec::new();
    for (example, texts, jws) in loaded {
        let result = verifier.verify(&texts, clock);
        let (actual, detail) = outcome_of(&result);
        // The QR texts must give the example's own JWS and .smart-health-card content.
        let read = |suffix: &str| {
            let bytes =
                healthpass::fs::read_bounded(&dir.join(format!("{example}-{suffix}")), MAX_TEST_FILE, "example");
            bytes.ok().map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        };
        let same_jws = match (&jws, read("d-jws.txt")) {
            (Ok(jws), Some(file)) => file.trim() == jws,
            _ => false,
        };
        let same_file = match (&jws, read("e-file.smart-health-card")) {
            (Ok(jws), Some(file)) => serde_json::from_str::<serde_json::Value>(&file)
                .ok()
                .and_then(|v| v.pointer("/verifiableCredential/0").and_then(|c| c.as_str().map(str::to_owned)))
                .is_some_and(|c| &c == jws),
            _ => false,
        };
        let verified = actual == "valid" || actual == "revoked";
        let detail = match (same_jws, same_file) {
            (true, true) => detail,
            _ => {
                Some(format!("the QR texts do not give the example's JWS (jws file {same_jws}, card file {same_file})"))
            }
        };
        cases.push(CaseResult {
            name: format!("{example} ({} QR)", texts.len()),
            expected: "verified".into(),
            actual,
            detail,
            picture: None,
            passed: verified && same_jws && same_file,
        });
    }
    Ok(CasesReport { format: "SHC", clock, cases })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_without_its_quiet_zone_scans_inside_the_margin() {
        let text = "HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IDOEZ%BJMI:TU+MMPZ55%PBT1";
        let picture = healthpass_qr::Qr::encode(text).unwrap().to_image(4);
        // Cut the 4-module (16-pixel) quiet zone away.
        let side = picture.width() - 32;
        let bare = image::imageops::crop_imm(&picture, 16, 16, side, side).to_image();
        let framed = with_margin(&bare);
        assert!(framed.width() > bare.width() + 16);
        let found = qr::scan_image(&framed, &Limits::DEFAULT).unwrap();
        assert_eq!(found[0].as_deref().unwrap(), text);
    }

    #[test]
    fn dcc_comparison_reads_date_times_by_instant() {
        let a = serde_json::json!({"t": [{"sc": "2021-05-29T10:00:00Z", "n": 1}]});
        let b = serde_json::json!({"t": [{"sc": "2021-05-29T12:00:00+02:00", "n": 1.0}]});
        assert!(same_dcc(&a, &b).is_ok());
        let c = serde_json::json!({"t": [{"sc": "2021-05-29T10:00:01Z", "n": 1}]});
        assert_eq!(same_dcc(&a, &c).unwrap_err(), "/t/0/sc");
    }

    #[test]
    fn stage_keys_and_country_folders() {
        assert_eq!(Stage::from_key("EXPTECTEDEXPIRED"), Some(Stage::Expiration));
        assert_eq!(Stage::from_key("EXPECTEDNOTHING"), None);
        let path = Path::new("/x/dcc/PL/1.3.0/2DCode/raw/1.json");
        assert_eq!(country_of(path, "PL/1.3.0/2DCode/raw/1.json"), "PL");
        assert_eq!(country_of(Path::new("/x/dcc/IE/2DCode/Raw/1.json"), "1.json"), "IE");
        assert_eq!(country_of(Path::new("/x/dcc/QR"), "QR"), "QR");
    }
}
