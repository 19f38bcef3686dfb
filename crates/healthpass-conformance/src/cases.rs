//! The case-list suites (NZ COVID Pass examples, SMART Health Cards examples): each case's
//! expected and actual outcome, and whether its pictures scan to its text.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use healthpass::{Error, Limits, Result};
use healthpass_interop::foreign;
use healthpass_qr as qr;

use crate::MAX_TEST_FILE;
use crate::dcc_run::no_tests;

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
