//! `healthpass conformance`: runs a foreign format's test vectors and prints the report.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use healthpass_conformance::{self as conformance, CasesReport};

use crate::common::Failure;

/// The suites.
#[derive(clap::Subcommand)]
pub enum Suite {
    /// Check every EU DCC test file under DIR (any JSON file with EXPECTEDRESULTS), each
    /// expectation at its own stage with the file's own validation clock.
    Dcc {
        /// The folder of test files (such as test-vectors/dcc).
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Also list the known issues (KNOWN) and untestable expectations (N/A), one a line.
        #[arg(long)]
        verbose: bool,
        /// Also require every file expected to verify to have a DSC chaining to a CSCA of its
        /// country in this PEM bundle (the published test data carries no CSCAs).
        #[arg(long)]
        csca: Option<PathBuf>,
    },
    /// Run the NZ COVID Pass examples listed in FILE (nzcp-examples.json).
    Nzcp {
        /// The examples file.
        file: PathBuf,
        /// The validation clock (RFC 3339); default: the file's suggested clock.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run the SMART Health Cards examples in DIR (example-NN-* files and issuer/.well-known).
    Shc {
        /// The examples folder.
        dir: PathBuf,
        /// The validation clock (RFC 3339); default: one day after the newest card's nbf.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
        /// The issuer URL the examples' keys belong to.
        #[arg(long)]
        issuer: Option<String>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(suite: Suite) -> Result<(), Failure> {
    match suite {
        Suite::Dcc { dir, json, verbose, csca } => {
            let report = conformance::run_dcc(&dir)?;
            let chains = match &csca {
                Some(bundle) => Some(conformance::csca::run_dcc_csca(&dir, &crate::dcc_csca::load(bundle)?)?),
                None => None,
            };
            let (chain_passed, chain_failed) = chains.as_ref().map_or((0, 0), |c| (c.passed(), c.failed()));
            if json {
                let out = serde_json::json!({
                    "report": &report,
                    "passed": report.passed() + chain_passed,
                    "failed": report.failed() + chain_failed,
                    "known_issues": report.known_issues(),
                    "csca": chains,
                });
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                print!("{}", summary_last(&report.to_text(), verbose));
                if let Some(chains) = &chains {
                    print!("{}", chains.to_text());
                }
            }
            finish(report.passed() + chain_passed, report.failed() + chain_failed)
        }
        Suite::Nzcp { file, at, json } => cases(&conformance::run_nzcp(&file, at)?, json),
        Suite::Shc { dir, at, issuer, json } => cases(&conformance::run_shc(&dir, issuer.as_deref(), at)?, json),
    }
}

fn cases(report: &CasesReport, json: bool) -> Result<(), Failure> {
    if json {
        let out = serde_json::json!({ "report": report, "passed": report.passed(), "failed": report.failed() });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        print!("{}", report.to_text());
    }
    finish(report.passed(), report.failed())
}

/// The DCC report reordered for people: the failures first, then the stage table and the
/// counts, ending with `N passed, M failed`; the KNOWN and N/A lines only with `--verbose`.
fn summary_last(text: &str, verbose: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let table_end = lines.iter().position(|l| l.starts_with("total ")).map_or(0, |i| i + 1);
    let (head, rest) = lines.split_at(table_end.min(lines.len()));
    let (title, table) = head.split_first().map_or(("", &[][..]), |(t, rest)| (*t, rest));
    let (last, body) = rest.split_last().map_or(("", &[][..]), |(l, body)| (*l, body));
    let hidden = |l: &&&str| !verbose && (l.starts_with("KNOWN  ") || l.starts_with("N/A    "));
    let hidden_count = body.iter().filter(|l| hidden(l)).count();
    let mut out = vec![title];
    out.extend(body.iter().filter(|l| !hidden(l)));
    out.extend(table);
    let note = format!("({hidden_count} KNOWN and N/A lines not shown: --verbose lists them)");
    if hidden_count > 0 {
        out.push(&note);
    }
    out.push(last);
    out.iter().map(|l| format!("{l}\n")).collect()
}

/// Exit 1 when a check failed, or when none passed or failed: a run that checked nothing has
/// not passed (the library already refuses a folder with no test file: `no_tests`, exit 2).
fn finish(passed: usize, failed: usize) -> Result<(), Failure> {
    if failed > 0 {
        Err(Failure::Refused(format!("conformance: {failed} of {} checks failed", passed.saturating_add(failed))))
    } else if passed == 0 {
        Err(Failure::Refused("conformance: nothing was checked (0 passed, 0 failed)".into()))
    } else {
        Ok(())
    }
}
