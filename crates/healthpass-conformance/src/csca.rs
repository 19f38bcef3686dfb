//! The CSCA stage of the DCC runner (`conformance dcc DIR --csca BUNDLE`): every test file that
//! expects its signature to verify (`EXPECTEDVERIFY` true) must also have a signer certificate
//! (`TESTCTX.CERTIFICATE`) with a valid path to a CSCA of its country in the bundle, at the time
//! its DCC was signed (`iat`), with a key usage that allows the DCC's type
//! (`healthpass_interop::dcc_csca`, rustls-webpki).
//!
//! The published test data carries DSCs but no CSCAs, so on it every such file is refused
//! `csca_untrusted`; the stage is for test data that ships its CSCAs (and for generated chains).

use std::path::Path;

use data_encoding::BASE64;
use serde::Serialize;

use healthpass::{Error, Limits, Result};
use healthpass_interop::dcc::UnverifiedDcc;
use healthpass_interop::dcc_csca::CscaStore;

/// Test files larger than this are not read.
const MAX_TEST_FILE: usize = 4 << 20;

/// The CSCA stage's result for one test file.
#[derive(Debug, Clone, Serialize)]
pub struct CscaCheck {
    /// The file, relative to the folder run.
    pub file: String,
    /// `None` when the DSC chains to a CSCA of its country; else the refusal's code
    /// (`csca_untrusted`, `csca_wrong_country`, `csca_expired`, ...) and its reason.
    pub refused: Option<(String, String)>,
}

/// The CSCA stage over a folder of DCC test files.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CscaReport {
    /// One check per test file that expects its signature to verify.
    pub checks: Vec<CscaCheck>,
}

impl CscaReport {
    /// Files whose DSC chains to a CSCA of its country.
    pub fn passed(&self) -> usize {
        self.checks.iter().filter(|c| c.refused.is_none()).count()
    }

    /// Files whose DSC does not.
    pub fn failed(&self) -> usize {
        self.checks.len() - self.passed()
    }

    /// One line per refused file, then `CSCA chains: N passed, M failed`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for check in &self.checks {
            if let Some((code, reason)) = &check.refused {
                out.push_str(&format!("FAIL csca {}: [{code}] {reason}\n", check.file));
            }
        }
        out.push_str(&format!("CSCA chains: {} passed, {} failed\n", self.passed(), self.failed()));
        out
    }
}

/// Runs the CSCA stage over every test file under `dir` (a JSON object with `EXPECTEDRESULTS`
/// whose `EXPECTEDVERIFY` is true).
///
/// # Errors
/// [`Error::Io`] if `dir` cannot be listed; [`Error::NoTests`] if no file expects to verify.
pub fn run_dcc_csca(dir: &Path, store: &CscaStore) -> Result<CscaReport> {
    let mut files = Vec::new();
    crate::dcc_run::walk(dir, &mut files)?;
    files.sort();
    let mut report = CscaReport::default();
    for path in files {
        let Ok(bytes) = healthpass::fs::read_bounded(&path, MAX_TEST_FILE, "test file") else { continue };
        let Ok(test) = serde_json::from_slice::<serde_json::Value>(&bytes) else { continue };
        if test.pointer("/EXPECTEDRESULTS/EXPECTEDVERIFY") != Some(&serde_json::Value::Bool(true)) {
            continue;
        }
        let file = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
        report.checks.push(CscaCheck { file, refused: check_file(&test, store).err() });
    }
    if report.checks.is_empty() {
        return Err(Error::NoTests { path: dir.display().to_string() });
    }
    Ok(report)
}

/// The chain of one test file's DSC, at its DCC's `iat`, for its DCC's type.
fn check_file(test: &serde_json::Value, store: &CscaStore) -> std::result::Result<(), (String, String)> {
    let input = |why: &str| ("no_input".to_owned(), why.to_owned());
    let certificate =
        test.pointer("/TESTCTX/CERTIFICATE").and_then(|c| c.as_str()).ok_or(input("no TESTCTX.CERTIFICATE"))?;
    // Bare base64 as the test data defines it; PEM armour lines are tolerated.
    let base64: String = certificate.lines().filter(|l| !l.starts_with("-----")).flat_map(str::chars).collect();
    let der = BASE64
        .decode(base64.chars().filter(|c| !c.is_whitespace()).collect::<String>().as_bytes())
        .map_err(|_| input("TESTCTX.CERTIFICATE is not base64"))?;
    let prefix = test.get("PREFIX").and_then(|p| p.as_str()).ok_or(input("no PREFIX"))?;
    let limits = Limits::DEFAULT;
    let step = |e: Error| (e.code().to_owned(), e.to_string());
    let cwt =
        UnverifiedDcc::parse(prefix.trim(), &limits).and_then(|code| code.cwt_unverified(&limits)).map_err(step)?;
    let usage = cwt.usage().map_err(step)?;
    let signed_at = cwt.issued_at.ok_or(input("the DCC has no iat"))?;
    store.verify_dsc(&der, Some(usage), signed_at).map(|_| ()).map_err(|e| (e.code().to_owned(), e.to_string()))
}
