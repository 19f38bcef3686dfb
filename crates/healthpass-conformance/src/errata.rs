//! Upstream expectations known to be wrong, kept as data beside the vectors
//! (`test-vectors/dcc-errata/`, tab-separated, one line each with its reason) and built into the
//! runner, so that a run on any copy of the test data judges them the same way:
//!
//! - `known_issues.tsv`: files whose expectations upstream lists as wrong (test name, country,
//!   test set; an empty test set means every file of the country), as the test data's own
//!   `tests/known_issues.csv` does;
//! - `contradicted.tsv`: expectations that the test data itself shows to be wrong, found while
//!   running it, with the evidence (file, key, reason; files matched by the end of their path
//!   under the directory run, a `*` standing for one folder: PL keeps a folder per schema
//!   release).
//!
//! An entry only turns a disagreeing result into a known issue; an agreeing one still counts as
//! a pass.

use std::path::Path;

use crate::{MAX_TEST_FILE, Stage};

/// The known-issue list (test, country, test set, reason).
const KNOWN_ISSUES: &str = include_str!("../../../test-vectors/dcc-errata/known_issues.tsv");
/// The contradicted expectations (file, key, reason).
const CONTRADICTED: &str = include_str!("../../../test-vectors/dcc-errata/contradicted.tsv");

/// The rows of a tab-separated list after its header line, each split into `N` fields (the last
/// taking the rest of the line); blank lines and lines with fewer fields are skipped.
fn rows<const N: usize>(text: &str) -> impl Iterator<Item = [&str; N]> {
    text.lines().skip(1).filter_map(|line| {
        let fields: Vec<&str> = line.splitn(N, '\t').collect();
        <[&str; N]>::try_from(fields).ok()
    })
}

/// Known issues: the built-in list, then the entries of the test data's own list that it does
/// not have yet.
pub(crate) struct KnownIssues(Vec<(String, String, String, String)>);

impl KnownIssues {
    /// The reason a check of `stage` on `country`'s test set `test_set` is a known issue.
    pub(crate) fn reason(&self, stage: Stage, country: &str, test_set: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(test, c, set, _)| {
                stage.upstream_tests().contains(&test.as_str()) && c == country && (set.is_empty() || set == test_set)
            })
            .map(|(.., reason)| reason.clone())
    }
}

/// The known issues of a run on `dir`: [`KNOWN_ISSUES`] and `tests/known_issues.csv` under `dir`
/// when present.
pub(crate) fn known_issues(dir: &Path) -> KnownIssues {
    let mut list: Vec<(String, String, String, String)> =
        rows::<4>(KNOWN_ISSUES).map(|[t, c, s, r]| (t.into(), c.into(), s.into(), r.into())).collect();
    // Entries of the data's own list that the built-in one does not have yet.
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

/// The reason an expectation of `file` (its path under the directory run) is contradicted by
/// the test data, if [`CONTRADICTED`] lists it.
pub(crate) fn contradicted(file: &str, key: &str) -> Option<String> {
    let folders: Vec<&str> = file.split('/').collect();
    rows::<3>(CONTRADICTED)
        .find(|[path, k, _]| {
            let pattern: Vec<&str> = path.split('/').collect();
            let tail = folders.len().checked_sub(pattern.len()).and_then(|from| folders.get(from..));
            *k == key && tail.is_some_and(|tail| tail.iter().zip(&pattern).all(|(f, p)| *p == "*" || f == p))
        })
        .map(|[.., reason]| format!("contradicted by the test data: {reason}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_read_whole() {
        assert_eq!(rows::<4>(KNOWN_ISSUES).count(), KNOWN_ISSUES.lines().count() - 1);
        assert_eq!(rows::<3>(CONTRADICTED).count(), CONTRADICTED.lines().count() - 1);
        assert!(rows::<4>(KNOWN_ISSUES).all(|[t, c, _, r]| t.starts_with("test_") && c.len() == 2 && !r.is_empty()));
        assert!(contradicted("PL/1.3.0/2DCode/raw/7.json", "EXPECTEDSCHEMAVALIDATION").is_some());
        assert!(contradicted("x/PL/1.3.0/2DCode/raw/7.json", "EXPECTEDSCHEMAVALIDATION").is_some());
        assert!(contradicted("PL/1.3.0/2DCode/raw/7.json", "EXPECTEDDECODE").is_none());
        assert!(contradicted("DE/1.3.0/2DCode/raw/7.json", "EXPECTEDSCHEMAVALIDATION").is_none());
    }
}
