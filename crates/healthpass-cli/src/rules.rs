//! `healthpass rules test DIR`, and EU DCC business rules applied to a verified DCC
//! (`verify 'HC1:…' --dcc-cert FILE --rules DIR --arrival XX`): the CertLogic engine is the
//! `healthpass-certlogic` crate; this module reads the arguments and prints.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use clap::Subcommand;
use healthpass::Limits;
use healthpass_certlogic::{CertificateType, External, Overall, RuleQuery, RuleSet, overall, run_rule_tests};
use healthpass_interop::ForeignKeys;
use healthpass_interop::dcc::{DccVerifier, UnverifiedDcc};

use crate::common::{Failure, certificate_der, read_file};

/// Business-rule commands.
#[derive(Subcommand)]
pub(crate) enum RulesCommand {
    /// Run the published country rule tests in DIR (the dgc-business-rules-testdata layout:
    /// one folder per country with rules and tests); ends "N passed, M failed".
    Test {
        /// The folder of rule sets and their tests (such as test-vectors/dcc-rules).
        dir: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// What `verify` needs for an EU DCC: its signer certificates and, optionally, the business
/// rules of the country of arrival.
#[derive(clap::Args, Default)]
pub(crate) struct DccArgs {
    /// Signer certificates (DSC) of EU DCC codes: PEM, DER or base64 (repeatable).
    #[arg(long = "dcc-cert")]
    pub(crate) dcc_cert: Vec<PathBuf>,
    /// Apply the EU DCC business rules in this folder (gateway rule JSON files, found
    /// recursively) after the DCC verifies.
    #[arg(long, requires = "arrival")]
    pub(crate) rules: Option<PathBuf>,
    /// The country of arrival (ISO 3166-1 alpha-2) whose acceptance rules apply.
    #[arg(long)]
    pub(crate) arrival: Option<String>,
    /// The region of arrival within the country, if its rules differ by region.
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// The language of the rules' descriptions (falls back to English).
    #[arg(long, default_value = "en")]
    pub(crate) lang: String,
    /// The value sets rules read (the gateway's valueSets JSON); default DIR/valuesets/valueSets.json.
    #[arg(long)]
    pub(crate) value_sets: Option<PathBuf>,
    /// Refuse a DCC on these revocation lists (the gateway's revocation batch JSON: a file, or
    /// a folder of `*.json` files; docs/INTEROP.md).
    #[arg(long = "dcc-revocation")]
    pub(crate) dcc_revocation: Option<PathBuf>,
    /// Trust a DSC given by --dcc-cert only with a valid path to a CSCA of its country in this
    /// PEM bundle, its key usage allowing the DCC's type (docs/INTEROP.md).
    #[arg(long)]
    pub(crate) csca: Option<PathBuf>,
}

/// Runs a business-rules command.
pub(crate) fn run(command: RulesCommand) -> Result<(), Failure> {
    match command {
        RulesCommand::Test { dir, json } => {
            let report = run_rule_tests(&dir).map_err(|e| Failure::Usage(format!("{}: {e}", dir.display())))?;
            if report.passed() + report.failed() == 0 {
                return Err(Failure::Usage(format!("no rule tests found in {}", dir.display())));
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            } else {
                print!("{}", report.to_text());
            }
            if report.failed() == 0 { Ok(()) } else { Err(Failure::Refused(format!("{} failed", report.failed()))) }
        }
    }
}

/// `verify` for an `HC1:` code: the signature, key and validity against the signer
/// certificates, then (with `--rules`) every business rule that applies. Exit 0 only when the
/// DCC verifies and every rule passed.
pub(crate) fn verify_dcc(text: &str, args: &DccArgs, at: Option<DateTime<Utc>>, skew: i64) -> Result<(), Failure> {
    if args.dcc_cert.is_empty() {
        return Err(Failure::Usage("an HC1: code needs its signer certificate: --dcc-cert FILE".into()));
    }
    let skew = TimeDelta::try_seconds(skew).ok_or_else(|| Failure::Usage("--skew is out of range".into()))?;
    let mut keys = ForeignKeys::new();
    let mut dsc_ders = Vec::new();
    for path in &args.dcc_cert {
        let der = certificate_der(path)?;
        keys.insert_x509_der(&der)?;
        dsc_ders.push(der);
    }
    let cscas = args.csca.as_deref().map(crate::dcc_csca::load).transpose()?;
    let now = at.unwrap_or_else(Utc::now);
    let revocation = args.dcc_revocation.as_deref().map(crate::dcc_revocation::load).transpose()?;
    let foreign = DccVerifier::new(keys)
        .with_skew(skew)
        .verify(text, now)
        .map_err(|e| Failure::Refused(format!("REFUSED [{}] {e}", e.code())))?;
    if let Some(cscas) = &cscas {
        crate::dcc_csca::check(text, &dsc_ders, cscas)?;
    }
    if let Some(store) = &revocation {
        crate::dcc_revocation::check(text, store)?;
    }
    let claims = &foreign.claims;
    println!(
        "VALID {} EU DCC from {}, valid until {}",
        claims.colour.describe().to_uppercase(),
        claims.issuer,
        claims.expires_at.to_rfc3339_opts(SecondsFormat::Secs, true)
    );
    let (Some(dir), Some(arrival)) = (&args.rules, &args.arrival) else { return Ok(()) };
    apply_rules(text, dir, arrival, args, now)
}

fn apply_rules(text: &str, dir: &Path, arrival: &str, args: &DccArgs, now: DateTime<Utc>) -> Result<(), Failure> {
    let limits = Limits::DEFAULT;
    let code = UnverifiedDcc::parse(text, &limits)?;
    let cwt = code.cwt_unverified(&limits)?;
    let payload = cwt.hcert_json()?;
    let set = RuleSet::load(dir).map_err(|e| Failure::Usage(format!("{}: {e}", dir.display())))?;
    for problem in &set.problems {
        eprintln!("warning: {problem:?}");
    }
    let value_sets_file = args.value_sets.clone().unwrap_or_else(|| dir.join("valuesets/valueSets.json"));
    let value_sets = if args.value_sets.is_some() || value_sets_file.exists() {
        External::parse_value_sets(&read_file(&value_sets_file)?, &Default::default())
            .map_err(|e| Failure::Usage(format!("{}: {e}", value_sets_file.display())))?
    } else {
        Default::default()
    };
    let clock = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    let issuer =
        cwt.issuer.clone().or_else(|| External::payload_country(&payload).map(str::to_owned)).unwrap_or_default();
    let external = External {
        validation_clock: clock.clone(),
        value_sets,
        country_code: arrival.to_ascii_uppercase(),
        exp: cwt.expires_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        iat: cwt.issued_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        issuer_country_code: issuer.clone(),
        kid: code.kid().ok().map(|k| base64_of(k.as_bytes())),
        region: args.region.clone(),
    };
    let certificate_type = CertificateType::of_payload(&payload)
        .ok_or_else(|| Failure::Refused("REFUSED [rules] the DCC holds no vaccination, test or recovery".into()))?;
    let query = RuleQuery {
        arrival_country: external.country_code.clone(),
        arrival_region: args.region.clone(),
        issuing_country: issuer,
        certificate_type,
        validation_clock_ms: now.timestamp_millis(),
    };
    let verdicts = set.evaluate(&query, &payload, &external.to_json(), &args.lang);
    if verdicts.is_empty() {
        println!(
            "no rules of {} apply to a {} certificate at {clock}: nothing was checked beyond the signature",
            external.country_code,
            certificate_type.name()
        );
        return Ok(());
    }
    for verdict in &verdicts {
        println!("{verdict}");
    }
    match overall(&verdicts) {
        Overall::Passed => {
            println!("rules of {}: all {} passed", external.country_code, verdicts.len());
            Ok(())
        }
        Overall::Failed => {
            Err(Failure::Refused(format!("REFUSED [rule_failed] by the rules of {}", external.country_code)))
        }
        Overall::Open => Err(Failure::Refused(format!(
            "REFUSED [rule_open] a rule of {} could not be decided",
            external.country_code
        ))),
    }
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kids_are_written_as_the_gateway_does() {
        assert_eq!(base64_of(&[0xd9, 0x19, 0x37, 0x5f, 0xc1, 0xe7, 0xb6, 0xb2]), "2Rk3X8HntrI=");
    }
}
