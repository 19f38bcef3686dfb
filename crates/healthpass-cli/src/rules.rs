//! `healthpass rules test DIR`, and EU DCC business rules applied to a verified DCC
//! (`verify 'HC1:…' --dcc-cert FILE --rules DIR --arrival XX`, decided in `crate::verify`): the CertLogic engine is the
//! `healthpass-certlogic` crate; this module reads the arguments and prints.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use clap::Subcommand;
use healthpass::Limits;
use healthpass::decide::Finding;
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

/// The signer certificates of `HC1:` codes (`--dcc-cert`, PEM, DER or base64) as DER, for the
/// CSCA chain check (`--csca`).
pub(crate) fn dsc_ders(args: &DccArgs) -> Result<Vec<Vec<u8>>, Failure> {
    args.dcc_cert.iter().map(|path| certificate_der(path)).collect()
}

/// The verifier of `HC1:` codes: their signer certificates (`--dcc-cert`, PEM, DER or base64).
pub(crate) fn dcc_verifier(args: &DccArgs, skew: TimeDelta) -> Result<DccVerifier, Failure> {
    let mut keys = ForeignKeys::new();
    for path in &args.dcc_cert {
        keys.insert_x509_der(&certificate_der(path)?)
            .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    }
    Ok(DccVerifier::new(keys).with_skew(skew))
}

/// Applies the business rules of `arrival` in `dir` to a DCC whose signature verified. Each
/// rule's line goes to standard output, or to standard error under `--json` (where standard
/// output holds only the verdict); the refusal, if any, is returned for the verdict:
/// `rule_failed` when a rule failed, `rule_open` when one could not be decided.
pub(crate) fn apply_rules(
    text: &str,
    dir: &Path,
    arrival: &str,
    args: &DccArgs,
    now: DateTime<Utc>,
    json: bool,
) -> Result<Option<Finding>, Failure> {
    let say = |line: &str| if json { eprintln!("{line}") } else { println!("{line}") };
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
    let Some(certificate_type) = CertificateType::of_payload(&payload) else {
        return Ok(Some(Finding::new("rules", "the DCC holds no vaccination, test or recovery")));
    };
    let query = RuleQuery {
        arrival_country: external.country_code.clone(),
        arrival_region: args.region.clone(),
        issuing_country: issuer,
        certificate_type,
        validation_clock_ms: now.timestamp_millis(),
    };
    let verdicts = set.evaluate(&query, &payload, &external.to_json(), &crate::locale::requested_lang());
    if verdicts.is_empty() {
        say(&format!(
            "no rules of {} apply to a {} certificate at {clock}: nothing was checked beyond the signature",
            external.country_code,
            certificate_type.name()
        ));
        return Ok(None);
    }
    for verdict in &verdicts {
        say(&verdict.to_string());
    }
    Ok(match overall(&verdicts) {
        Overall::Passed => {
            say(&format!("rules of {}: all {} passed", external.country_code, verdicts.len()));
            None
        }
        Overall::Failed => {
            Some(Finding::new("rule_failed", format!("refused by the rules of {}", external.country_code)))
        }
        Overall::Open => {
            Some(Finding::new("rule_open", format!("a rule of {} could not be decided", external.country_code)))
        }
    })
}

fn base64_of(bytes: &[u8]) -> String {
    data_encoding::BASE64.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kids_are_written_as_the_gateway_does() {
        assert_eq!(base64_of(&[0xd9, 0x19, 0x37, 0x5f, 0xc1, 0xe7, 0xb6, 0xb2]), "2Rk3X8HntrI=");
    }
}
