//! Walking a folder of DCC test files: every JSON object with `EXPECTEDRESULTS` is a test file;
//! each expectation runs at its stage and is judged against the errata.

use std::path::{Path, PathBuf};

use healthpass::{Error, Result};

use crate::dcc_case::{DccCase, StageError};
use crate::errata::{KnownIssues, contradicted, known_issues};
use crate::{Check, DccReport, MAX_TEST_FILE, Outcome, Stage};

/// Runs every DCC test file under `dir`: any file whose content is a JSON object with an
/// `EXPECTEDRESULTS` object is a test file, whatever its name. Known issues come from the list
/// in `test-vectors/dcc-errata/` (built in) and from `tests/known_issues.csv` under `dir` when present.
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
pub(crate) fn no_tests(path: &Path) -> Error {
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

/// Every file under `dir`, recursively (symbolic links are not followed).
pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
